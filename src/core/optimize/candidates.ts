/**
 * Candidate sites: road nodes on roads a station can front (no motorway, service road or track), thinned to a
 * spacing, never where `isExcluded` says (water …), each with its siting checklist result when a check is given;
 * or only inside drawn polygons; or the user's list. Existing and planned stations join as fixed (or freed) columns.
 */
import type { FeatureCollection, Point } from 'geojson';
import type { RoadGraph } from '../graph';
import { sitingChecks, type PoiProps, type SitingOptions } from '../siting';
import { roadClassName, type RoadClass } from '../roadClass';
import { metresPerDegree } from '../geo';
import { plannerError } from '../errors';
import type { Candidate } from './types';

/** Road classes a new station may not stand on. */
export const UNSUITABLE_CLASSES: ReadonlySet<RoadClass> = new Set(['motorway', 'motorway_link', 'service', 'track', 'ferry']);

export type Ring = readonly (readonly [number, number])[];

export interface RoadCandidateOptions {
  /** Minimum metres between two candidates (default 200). */
  spacingM?: number;
  /** Travel seconds per directed edge: a node needs a usable suitable road out and in. */
  seconds?: Float32Array;
  /** Nodes a station can serve from (e.g. the router's main network); others are left out. */
  usable?: Uint8Array;
  isExcluded?: (p: { lon: number; lat: number }) => boolean;
  /** The siting checklist of a site (建标152 sitingChecks folded to one status). */
  siting?: (p: { lon: number; lat: number }) => 'pass' | 'fail' | 'no-data';
  /** 'exclude' (default) drops failing sites; 'flag' keeps them with flagged = true. */
  sitingMode?: 'exclude' | 'flag';
  /** Only inside these polygons (outer rings, [lon, lat]). */
  areas?: readonly Ring[];
}

/** Whether a point lies inside a ring (even-odd rule). */
export function inRing(lon: number, lat: number, ring: Ring): boolean {
  let inside = false;
  for (let i = 0, j = ring.length - 1; i < ring.length; j = i++) {
    const [xi, yi] = ring[i], [xj, yj] = ring[j];
    if (yi > lat !== yj > lat && lon < ((xj - xi) * (lat - yi)) / (yj - yi) + xi) inside = !inside;
  }
  return inside;
}

/**
 * Road candidates. Nodes are taken junctions first (more roads meet there), then by node id, and kept when no kept
 * candidate is within spacingM (a grid of spacing-sized cells makes that check local). Deterministic.
 */
export function roadCandidates(graph: RoadGraph, opts: RoadCandidateOptions = {}): Candidate[] {
  const spacing = opts.spacingM ?? 200;
  if (!(spacing >= 0)) throw plannerError('bad-spacing', `候选点间距无效：${spacing}`, `invalid candidate spacing: ${spacing}`);
  const n = graph.nodeCount, sec = opts.seconds;
  const degree = new Int32Array(n), suitable = new Uint8Array(n);
  for (let u = 0; u < n; u++)
    for (let e = graph.firstEdge[u]; e < graph.firstEdge[u + 1]; e++) {
      if (sec && !(sec[e] < Infinity)) continue;
      const v = graph.target[e];
      degree[u]++; degree[v]++;
      if (!UNSUITABLE_CLASSES.has(roadClassName(graph.roadClass[e]))) { suitable[u] |= 1; suitable[v] |= 2; }
    }
  const order: number[] = [];
  for (let u = 0; u < n; u++) if (suitable[u] === 3 && (!opts.usable || opts.usable[u])) order.push(u);
  order.sort((a, b) => degree[b] - degree[a] || a - b);
  const { mx, my } = metresPerDegree((graph.bbox[1] + graph.bbox[3]) / 2);
  const cell = Math.max(spacing, 1), grid = new Map<string, [number, number][]>();
  const out: Candidate[] = [];
  for (const u of order) {
    const lon = graph.lon[u] / 1e7, lat = graph.lat[u] / 1e7;
    if (opts.areas && !opts.areas.some((r) => inRing(lon, lat, r))) continue;
    if (opts.isExcluded?.({ lon, lat })) continue;
    const x = lon * mx, y = lat * my, cx = Math.floor(x / cell), cy = Math.floor(y / cell);
    let near = false;
    for (let dx = -1; dx <= 1 && !near; dx++)
      for (let dy = -1; dy <= 1 && !near; dy++)
        for (const [px, py] of grid.get(`${cx + dx},${cy + dy}`) ?? []) if (Math.hypot(px - x, py - y) < spacing) { near = true; break; }
    if (near) continue;
    const c: Candidate = { id: `n${u}`, lon, lat, kind: 'new', fixed: false, node: u };
    if (opts.siting) {
      c.siting = opts.siting({ lon, lat });
      if (c.siting === 'fail') {
        if ((opts.sitingMode ?? 'exclude') === 'exclude') continue;
        c.flagged = true;
      }
    }
    const key = `${cx},${cy}`;
    (grid.get(key) ?? grid.set(key, []).get(key)!).push([x, y]);
    out.push(c);
  }
  return out;
}

/**
 * Road candidates with the siting checklist applied one way for every caller (the app's worker and `planner
 * optimize`). 'exclude': failing nodes are dropped BEFORE thinning, so a passing node beside a failing one can still
 * stand as a candidate (thinning first would let the failing node take the spot and then lose it); `excluded` counts
 * the failing sites the same thinning would have shown flagged. 'flag': failing ones kept with flagged = true,
 * `excluded` 0. Each node's checklist is run at most once.
 */
export function sitedRoadCandidates(graph: RoadGraph, opts: RoadCandidateOptions = {}): { candidates: Candidate[]; excluded: number } {
  const check = opts.siting;
  if (!check) return { candidates: roadCandidates(graph, opts), excluded: 0 };
  const seen = new Map<string, 'pass' | 'fail' | 'no-data'>();
  const siting = (p: { lon: number; lat: number }) => {
    const key = `${p.lon},${p.lat}`;
    let v = seen.get(key);
    if (v === undefined) { v = check(p); seen.set(key, v); }
    return v;
  };
  const candidates = roadCandidates(graph, { ...opts, siting });
  if ((opts.sitingMode ?? 'exclude') === 'flag') return { candidates, excluded: 0 };
  const excluded = roadCandidates(graph, { ...opts, siting, sitingMode: 'flag' }).filter((c) => c.flagged).length;
  return { candidates, excluded };
}

/** Stations already there (always open) and planned ones (fixed, or free to be chosen like any candidate). */
export function stationCandidates(
  stations: readonly { id: string; name?: string; lon: number; lat: number; planned?: boolean }[],
  planned: 'fixed' | 'free' = 'fixed',
): Candidate[] {
  return stations.map((s) => ({
    id: s.id, name: s.name, lon: s.lon, lat: s.lat, node: -1,
    kind: s.planned ? 'planned' : 'existing', fixed: !s.planned || planned === 'fixed',
  }));
}

/** The user's own candidate list (new sites). Refuses an empty list or a bad coordinate. */
export function importedCandidates(points: readonly { id?: string; name?: string; lon: number; lat: number }[]): Candidate[] {
  if (points.length === 0) throw plannerError('no-candidates', '候选站点为空：没有可供选择的新站址', 'the candidate set is empty: there is no new site to choose from');
  return points.map((p, i) => {
    if (!Number.isFinite(p.lon) || !Number.isFinite(p.lat) || Math.abs(p.lon) > 180 || Math.abs(p.lat) > 90)
      throw plannerError('bad-coordinate', `第 ${i + 1} 个候选点坐标无效：${p.lon}, ${p.lat}`, `candidate ${i + 1} has an invalid coordinate: ${p.lon}, ${p.lat}`);
    return { id: p.id ?? `c${i + 1}`, name: p.name, lon: p.lon, lat: p.lat, kind: 'new' as const, fixed: false, node: -1 };
  });
}

/**
 * The siting hook of roadCandidates from the 建标152 checklist (siting.ts): a site fails when any distance rule
 * (≥ 50 m from crowd exits, ≥ 300 m from hazchem …) fails; 'no-data' when one cannot be judged (no POI data), never a
 * pass. Road-frontage and manual items are left out: a road candidate stands on a road, and manual items need a person.
 */
export function sitingHook(pois: FeatureCollection<Point, PoiProps> | null, opts: Omit<SitingOptions, 'road'>): (p: { lon: number; lat: number }) => 'pass' | 'fail' | 'no-data' {
  const distanceRules = new Set(opts.rules.rules.filter((r) => r.test === 'min-distance').map((r) => r.id));
  return (p) => {
    const items = sitingChecks(p, pois, { ...opts, road: { distanceM: 0 } }).filter((i) => distanceRules.has(i.ruleId));
    return items.some((i) => i.status === 'fail') ? 'fail' : items.some((i) => i.status === 'no-data') ? 'no-data' : 'pass';
  };
}
