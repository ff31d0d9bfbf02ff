/**
 * Barrier check (GB 51080-2015 §4.1.3): a district should not straddle motorways, railways or large rivers.
 * Barriers are lines (polygon barriers such as river areas contribute their outlines); motorway segments come from
 * the road graph (BARRIER_CLASSES). A district is flagged when a barrier runs inside it for at least `minInsideM`.
 */
import type { FeatureCollection, Geometry, Position } from 'geojson';
import { edgeSources, type RoadGraph } from '../graph';
import { BARRIER_CLASSES, roadClassName } from '../roadClass';
import type { AreaGeometry } from '../types';
import { bboxOf, clipLineToArea, lineLengthM, ringIndex, roundPt } from './geom';
import type { BarrierHit } from './report';

/**
 * Kinds treated as barriers by default: large rivers and canals (their centre lines, and the outlines of river areas
 * — waterway=riverbank, water=river — where no centre line runs through the district), railways, motorways. Streams,
 * ditches, coastlines, the sea (its outline is the coast plus the offshore clip box: every coastal district would be
 * flagged) and other water areas (ponds, lakes: their outlines would flag any pond inside a district) are left out;
 * a planner can add them with the barrierKinds option ('sea', 'water', 'reservoir', 'stream', 'coastline').
 */
export const DEFAULT_BARRIER_KINDS = ['river', 'riverbank', 'canal', 'railway', 'rail', 'motorway'];

export interface BarrierLine {
  kind: string;
  name: string;
  line: Position[];
}

/** A place's barrier features for the check: its water and its surface railways together (either may be missing). */
export function placeBarriers(water?: FeatureCollection | null, rail?: FeatureCollection | null): FeatureCollection | undefined {
  if (!rail) return water ?? undefined;
  if (!water) return rail;
  return { type: 'FeatureCollection', features: [...water.features, ...rail.features] };
}

/** Lines of barrier features: LineString/MultiLineString as they are, Polygon/MultiPolygon as their rings. */
export function barrierLines(fc: FeatureCollection | undefined): BarrierLine[] {
  const out: BarrierLine[] = [];
  for (const f of fc?.features ?? []) {
    const p = (f.properties ?? {}) as Record<string, unknown>;
    const kind = String(p.kind ?? p.waterway ?? p.railway ?? p.natural ?? 'barrier');
    const name = String(p.name ?? '');
    const add = (line: Position[]) => { if (line.length >= 2) out.push({ kind, name, line }); };
    const g: Geometry | null = f.geometry;
    if (!g) continue;
    if (g.type === 'LineString') add(g.coordinates);
    else if (g.type === 'MultiLineString') g.coordinates.forEach(add);
    else if (g.type === 'Polygon') g.coordinates.forEach(add);
    else if (g.type === 'MultiPolygon') g.coordinates.flat().forEach(add);
  }
  return out;
}

/** Motorway segments of the graph as barrier lines (each road segment once). */
export function motorwayLines(graph: RoadGraph): BarrierLine[] {
  const src = edgeSources(graph);
  const out: BarrierLine[] = [];
  for (let e = 0; e < graph.edgeCount; e++) {
    const u = src[e], v = graph.target[e];
    const cls = roadClassName(graph.roadClass[e]);
    if (!BARRIER_CLASSES.has(cls)) continue;
    // Every segment has both directed edges (against a one-way too, flagged): take it once, from its lower node.
    if (u > v) continue;
    out.push({ kind: 'motorway', name: graph.names.zh[graph.nameId[e]] || graph.names.en[graph.nameId[e]] || '', line: [[graph.lon[u] / 1e7, graph.lat[u] / 1e7], [graph.lon[v] / 1e7, graph.lat[v] / 1e7]] });
  }
  return out;
}

/** Barriers inside a district, grouped by kind and name, longest first. */
export function barriersInDistrict(geom: AreaGeometry, lines: BarrierLine[], minInsideM = 200): BarrierHit[] {
  if (lines.length === 0) return [];
  const [a, b, c, d] = bboxOf(geom);
  const ri = ringIndex(geom);
  const groups = new Map<string, { kind: string; name: string; parts: Position[][]; m: number }>();
  for (const bl of lines) {
    let out = true;
    for (const p of bl.line) if (p[0] >= a && p[0] <= c && p[1] >= b && p[1] <= d) { out = false; break; }
    if (out && !crossesBox(bl.line, a, b, c, d)) continue;
    for (const piece of clipLineToArea(bl.line, geom, ri)) {
      const key = `${bl.kind}\u0000${bl.name}`;
      const gr = groups.get(key) ?? { kind: bl.kind, name: bl.name, parts: [], m: 0 };
      gr.parts.push(piece.map(roundPt));
      gr.m += lineLengthM(piece);
      groups.set(key, gr);
    }
  }
  // A river area's outline and the river's centre line are the same river: where the line is in the district, it
  // stands for the river and the banks (two lines) would count it twice.
  const hasLine = [...groups.values()].some((g) => (g.kind === 'river' || g.kind === 'canal') && g.m >= minInsideM);
  return [...groups.values()]
    .filter((g) => g.m >= minInsideM && !(hasLine && g.kind === 'riverbank'))
    .sort((p, q) => Math.round(q.m) - Math.round(p.m) || (p.kind + p.name < q.kind + q.name ? -1 : 1))
    .map((g) => ({ kind: g.kind, name: g.name, lengthInsideM: Math.round(g.m * 10) / 10, roadOnlyAcrossM: null, geometry: { type: 'MultiLineString', coordinates: g.parts } }));
}

function crossesBox(line: Position[], a: number, b: number, c: number, d: number): boolean {
  for (let i = 1; i < line.length; i++) {
    const [x1, y1] = line[i - 1], [x2, y2] = line[i];
    if (Math.max(x1, x2) >= a && Math.min(x1, x2) <= c && Math.max(y1, y2) >= b && Math.min(y1, y2) <= d) return true;
  }
  return false;
}

