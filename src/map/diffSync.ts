/**
 * Partial map updates (issue #14): a GeoJSON source is sent to MapLibre once with numbered features, and after that
 * only what changed: features are matched by content (their properties and a hash of their coordinates), so a
 * district, a failing stretch or a station that did not move is never sent again, whichever object it arrived in
 * (worker results are fresh objects every time). When most of a source changed, the whole source is replaced.
 */
import type { Feature, FeatureCollection, Geometry } from 'geojson';

/** What the map holds of one source: feature ids by content fingerprint (an id list: equal features may repeat). */
export interface SourceMirror {
  byPrint: Map<string, number[]>;
  count: number;
  nextId: number;
}

export type SourceUpdate =
  | { kind: 'set'; data: FeatureCollection; mirror: SourceMirror }
  | { kind: 'diff'; add: Feature[]; remove: number[]; mirror: SourceMirror }
  | { kind: 'none'; mirror: SourceMirror };

/** How deep a geometry type's coordinates nest above its positions (a position is depth 0). */
const DEPTH: Record<string, number> = { Point: 0, MultiPoint: 1, LineString: 1, MultiLineString: 2, Polygon: 2, MultiPolygon: 3 };

/**
 * Coordinates quantised to 1e-7° (about 1 cm) and hashed twice (two independent 32-bit FNV-style mixes), with every
 * array's length mixed in. Runs on every feature of a fresh worker result, so the loops are flat: the hash state
 * lives in locals, nesting is walked by the geometry type's depth (anything else goes through the generic walk).
 */
function geometryHash(g: Geometry | null): string {
  if (!g) return 'null';
  const st = new Int32Array([0x811c9dc5, 0x01000193]);
  if (g.type === 'GeometryCollection') for (const x of g.geometries) walkAny((x as { coordinates?: unknown }).coordinates, st);
  else walkDepth(g.coordinates, DEPTH[g.type] ?? -1, st);
  return `${g.type}:${(st[0] >>> 0).toString(36)}:${(st[1] >>> 0).toString(36)}`;
}

const LEN = 0x9e3779b9 | 0;

/** Hashes a list of positions (numbers quantised); false when it is not one (the caller walks it generically). */
function positions(list: unknown[], st: Int32Array): boolean {
  let h1 = st[0];
  let h2 = st[1];
  h1 = Math.imul(h1 ^ (list.length + LEN), 0x01000193);
  h2 = Math.imul(h2 ^ (list.length + LEN), 0x5bd1e995) ^ (h2 >>> 15);
  for (let i = 0; i < list.length; i++) {
    const p = list[i];
    if (!Array.isArray(p)) return false;
    h1 = Math.imul(h1 ^ (p.length + LEN), 0x01000193);
    h2 = Math.imul(h2 ^ (p.length + LEN), 0x5bd1e995) ^ (h2 >>> 15);
    for (let j = 0; j < p.length; j++) {
      const c = p[j];
      if (typeof c !== 'number') return false;
      const v = Math.round(c * 1e7) | 0;
      h1 = Math.imul(h1 ^ v, 0x01000193);
      h2 = Math.imul(h2 ^ v, 0x5bd1e995) ^ (h2 >>> 15);
    }
  }
  st[0] = h1;
  st[1] = h2;
  return true;
}

function walkDepth(c: unknown, depth: number, st: Int32Array): void {
  if (depth >= 1 && Array.isArray(c)) {
    if (depth === 1) {
      const before = [st[0], st[1]];
      if (positions(c, st)) return;
      st[0] = before[0];
      st[1] = before[1];
    } else {
      mixInto(st, c.length + LEN);
      for (const x of c) walkDepth(x, depth - 1, st);
      return;
    }
  }
  walkAny(c, st);
}

function mixInto(st: Int32Array, v: number): void {
  st[0] = Math.imul(st[0] ^ v, 0x01000193);
  st[1] = Math.imul(st[1] ^ v, 0x5bd1e995) ^ (st[1] >>> 15);
}

/** Any nesting of arrays and numbers (the hash a well-formed geometry gets through walkDepth too). */
function walkAny(c: unknown, st: Int32Array): void {
  if (typeof c === 'number') mixInto(st, Math.round(c * 1e7) | 0);
  else if (Array.isArray(c)) {
    mixInto(st, c.length + LEN);
    for (const x of c) walkAny(x, st);
  }
}

/**
 * A feature's content fingerprint: its properties (as JSON) and its geometry hash. Kept per feature object (features
 * are never changed in place in this app), so a feature seen in an earlier sync is not read again.
 */
const prints = new WeakMap<Feature, string>();
export function featurePrint(f: Feature): string {
  let p = prints.get(f);
  if (p === undefined) {
    p = `${JSON.stringify(f.properties ?? null)}|${geometryHash(f.geometry)}`;
    prints.set(f, p);
  }
  return p;
}

const numbered = (f: Feature, id: number): Feature => ({ ...f, id });

/**
 * The update that brings the map's copy (`mirror`, undefined before the first send) to `next`: a diff when at most
 * `maxShare` of the features changed, else the whole collection. The returned mirror describes the map afterwards.
 */
export function planUpdate(mirror: SourceMirror | undefined, next: FeatureCollection, maxShare = 0.5): SourceUpdate {
  const prints = next.features.map(featurePrint);
  const whole = (): SourceUpdate => {
    const byPrint = new Map<string, number[]>();
    const features = next.features.map((f, i) => {
      const ids = byPrint.get(prints[i]);
      if (ids) ids.push(i);
      else byPrint.set(prints[i], [i]);
      return numbered(f, i);
    });
    return { kind: 'set', data: { type: 'FeatureCollection', features }, mirror: { byPrint, count: features.length, nextId: features.length } };
  };
  if (!mirror) return whole();
  // Match every next feature with an unused id of the same content (the last unused one first; `taken` counts the
  // ids used per print, so the mirror is read, never copied); the rest are added, unmatched ids removed.
  const taken = new Map<string, number>();
  const byPrint = new Map<string, number[]>();
  const add: Feature[] = [];
  let nextId = mirror.nextId;
  for (let i = 0; i < next.features.length; i++) {
    const p = prints[i];
    const free = mirror.byPrint.get(p);
    const k = taken.get(p) ?? 0;
    let id: number;
    if (free && k < free.length) {
      id = free[free.length - 1 - k];
      taken.set(p, k + 1);
    } else {
      id = nextId++;
      add.push(numbered(next.features[i], id));
    }
    const ids = byPrint.get(p);
    if (ids) ids.push(id);
    else byPrint.set(p, [id]);
  }
  const remove: number[] = [];
  for (const [p, ids] of mirror.byPrint) {
    const left = ids.length - (taken.get(p) ?? 0);
    for (let j = 0; j < left; j++) remove.push(ids[j]);
  }
  const after: SourceMirror = { byPrint, count: next.features.length, nextId };
  if (!add.length && !remove.length) return { kind: 'none', mirror: after };
  if (add.length + remove.length > maxShare * Math.max(1, mirror.count + next.features.length) && add.length > 8) return whole();
  return { kind: 'diff', add, remove, mirror: after };
}
