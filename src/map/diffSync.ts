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

/** Coordinates quantised to 1e-7° (about 1 cm) and hashed twice (two independent 32-bit FNV-style mixes). */
function geometryHash(g: Geometry | null): string {
  let h1 = 0x811c9dc5 | 0;
  let h2 = 0x01000193 | 0;
  const mix = (v: number) => {
    h1 = Math.imul(h1 ^ v, 0x01000193);
    h2 = Math.imul(h2 ^ v, 0x5bd1e995) ^ (h2 >>> 15);
  };
  const walk = (c: unknown): void => {
    if (typeof c === 'number') mix(Math.round(c * 1e7) | 0);
    else if (Array.isArray(c)) {
      mix(c.length + 0x9e3779b9);
      for (const x of c) walk(x);
    }
  };
  if (!g) return 'null';
  if (g.type === 'GeometryCollection') for (const x of g.geometries) walk((x as { coordinates?: unknown }).coordinates);
  else walk(g.coordinates);
  return `${g.type}:${(h1 >>> 0).toString(36)}:${(h2 >>> 0).toString(36)}`;
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
  // Match every next feature with an unused id of the same content; the rest are added, unmatched ids removed.
  const left = new Map<string, number[]>();
  for (const [p, ids] of mirror.byPrint) left.set(p, [...ids]);
  const byPrint = new Map<string, number[]>();
  const add: Feature[] = [];
  let nextId = mirror.nextId;
  next.features.forEach((f, i) => {
    const p = prints[i];
    const free = left.get(p);
    let id: number;
    if (free?.length) id = free.pop()!;
    else {
      id = nextId++;
      add.push(numbered(f, id));
    }
    const ids = byPrint.get(p);
    if (ids) ids.push(id);
    else byPrint.set(p, [id]);
  });
  const remove = [...left.values()].flat();
  const after: SourceMirror = { byPrint, count: next.features.length, nextId };
  if (!add.length && !remove.length) return { kind: 'none', mirror: after };
  if (add.length + remove.length > maxShare * Math.max(1, mirror.count + next.features.length) && add.length > 8) return whole();
  return { kind: 'diff', add, remove, mirror: after };
}
