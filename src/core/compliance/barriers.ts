/**
 * Barrier check (GB 51080-2015 §4.1.3): a district should not straddle motorways, railways or large rivers.
 * Barriers are lines (polygon barriers such as river areas contribute their outlines); motorway segments come from
 * the road graph (BARRIER_CLASSES). A district is flagged when a barrier runs inside it for at least `minInsideM`.
 */
import type { FeatureCollection, Geometry, Position } from 'geojson';
import { edgeSources, type RoadGraph } from '../graph';
import { BARRIER_CLASSES, roadClassName } from '../roadClass';
import type { AreaGeometry, LonLat } from '../types';
import { metresPerDegree } from '../geo';
import { bboxOf, clipLineToArea, lineLengthM, pointInArea, ringIndex, roundPt } from './geom';
import type { BarrierHit } from './report';

/**
 * Kinds treated as barriers by default: large rivers and canals (their centre lines, and the outlines of river areas
 * — waterway=riverbank, water=river — where no centre line runs through the district), railways, motorways, and the
 * sea where the district straddles it: its coast (the sea polygon's outline without the offshore clip box) counts
 * only where it cuts an inlet into the district (a harbour, a bay: the coast inside the district reaches at least
 * `minInsideM` from the straight line between where it enters and leaves the district), never along a plain shore.
 * Streams, ditches, the coastline lines and other water areas (ponds, lakes: their outlines would flag any pond inside
 * a district) are left out; a planner can add them with the barrierKinds option ('water', 'reservoir', 'stream',
 * 'coastline').
 */
export const DEFAULT_BARRIER_KINDS = ['river', 'riverbank', 'canal', 'railway', 'rail', 'motorway', 'sea'];

export interface BarrierLine {
  kind: string;
  name: string;
  line: Position[];
  /** The area a polygon barrier's ring outlines (its polygons: outer ring, then holes), for lines of areas. */
  area?: Position[][][];
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
    const g: Geometry | null = f.geometry;
    const area = g?.type === 'Polygon' ? [g.coordinates] : g?.type === 'MultiPolygon' ? g.coordinates : undefined;
    const add = (line: Position[]) => { if (line.length >= 2) out.push(area ? { kind, name, line, area } : { kind, name, line }); };
    if (!g) continue;
    if (kind === 'sea' && g.type === 'Polygon') {
      coastOfSea(g.coordinates, Array.isArray(p.box) && p.box.length === 4 ? (p.box as number[]) : null).forEach(add);
      continue;
    }
    if (g.type === 'LineString') add(g.coordinates);
    else if (g.type === 'MultiLineString') g.coordinates.forEach(add);
    else if (g.type === 'Polygon') g.coordinates.forEach(add);
    else if (g.type === 'MultiPolygon') g.coordinates.flat().forEach(add);
  }
  return out;
}

/**
 * The coast parts of a sea polygon's rings: runs of segments not lying on the edges of the box the sea was clipped
 * to (its `box` property, src/core/water/coastline.ts; else the polygon's bounding box). The box edges are no coast.
 */
function coastOfSea(rings: Position[][], box: number[] | null): Position[][] {
  let [w, s, e, n] = box ?? [Infinity, Infinity, -Infinity, -Infinity];
  if (!box) for (const [x, y] of rings[0] ?? []) {
    if (x < w) w = x;
    if (x > e) e = x;
    if (y < s) s = y;
    if (y > n) n = y;
  }
  const onBox = (p: Position, q: Position) => (p[0] === q[0] && (p[0] === w || p[0] === e)) || (p[1] === q[1] && (p[1] === s || p[1] === n));
  const runs: Position[][] = [];
  for (const r of rings) {
    let cur: Position[] = [];
    for (let i = 1; i < r.length; i++) {
      if (onBox(r[i - 1], r[i])) {
        if (cur.length > 1) runs.push(cur);
        cur = [];
        continue;
      }
      if (!cur.length) cur.push(r[i - 1]);
      cur.push(r[i]);
    }
    if (cur.length > 1) runs.push(cur);
  }
  return runs;
}

/** Metres a piece of coast reaches from the straight line between its ends (how deep an inlet it cuts). */
function inletDepthM(piece: Position[]): number {
  const a = piece[0], b = piece[piece.length - 1];
  const { mx, my } = metresPerDegree(a[1]);
  const bx = (b[0] - a[0]) * mx, by = (b[1] - a[1]) * my;
  const len = Math.hypot(bx, by);
  let max = 0;
  for (const p of piece) {
    const px = (p[0] - a[0]) * mx, py = (p[1] - a[1]) * my;
    const d = len > 0 ? Math.abs(px * by - py * bx) / len : Math.hypot(px, py);
    if (d > max) max = d;
  }
  return max;
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
  const banks: { bl: BarrierLine; pieces: LonLat[][] }[] = [];
  const add = (bl: BarrierLine, piece: LonLat[]) => {
    const key = `${bl.kind}\u0000${bl.name}`;
    const gr = groups.get(key) ?? { kind: bl.kind, name: bl.name, parts: [], m: 0 };
    gr.parts.push(piece.map(roundPt));
    gr.m += lineLengthM(piece);
    groups.set(key, gr);
  };
  for (const bl of lines) {
    let out = true;
    for (const p of bl.line) if (p[0] >= a && p[0] <= c && p[1] >= b && p[1] <= d) { out = false; break; }
    if (out && !crossesBox(bl.line, a, b, c, d)) continue;
    const pieces = clipLineToArea(bl.line, geom, ri);
    if (bl.kind === 'riverbank') {
      if (pieces.length) banks.push({ bl, pieces });
      continue;
    }
    for (const piece of pieces) {
      // the sea is a barrier only where its coast cuts an inlet into the district (the district straddles water)
      if (bl.kind === 'sea' && inletDepthM(piece) < minInsideM) continue;
      add(bl, piece);
    }
  }
  // A river area's outline and the river's centre line are the same river: where a centre line counted in the
  // district runs inside the river area, the line stands for the river and the banks (two lines) would count it
  // twice. A river area with no centre line inside it (mapped only as an area) keeps its banks.
  const centre = [...groups.values()].filter((g) => (g.kind === 'river' || g.kind === 'canal') && g.m >= minInsideM).flatMap((g) => g.parts);
  const crossed = new Map<Position[][][], boolean>();
  for (const { bl, pieces } of banks) {
    const area = bl.area ?? closedRing(bl.line);
    if (area && !crossed.has(area)) crossed.set(area, centreRunsInside(centre, area));
    if (area && crossed.get(area)) continue;
    for (const piece of pieces) add(bl, piece);
  }
  return [...groups.values()]
    .filter((g) => g.m >= minInsideM)
    .sort((p, q) => Math.round(q.m) - Math.round(p.m) || (p.kind + p.name < q.kind + q.name ? -1 : 1))
    .map((g) => ({ kind: g.kind, name: g.name, lengthInsideM: Math.round(g.m * 10) / 10, roadOnlyAcrossM: null, geometry: { type: 'MultiLineString', coordinates: g.parts } }));
}

/** A lone closed ring as an area (a river area given as its outline only); null for an open line. */
function closedRing(line: Position[]): Position[][][] | null {
  const p = line[0], q = line[line.length - 1];
  return line.length >= 4 && p[0] === q[0] && p[1] === q[1] ? [[line]] : null;
}

/** Whether a point of the centre lines (a vertex or a segment's midpoint) lies inside the area. */
function centreRunsInside(centre: Position[][], area: Position[][][]): boolean {
  if (centre.length === 0) return false;
  const g: AreaGeometry = { type: 'MultiPolygon', coordinates: area };
  const [w, s, e, n] = bboxOf(g);
  const inside = (x: number, y: number) => x >= w && x <= e && y >= s && y <= n && pointInArea(g, x, y);
  for (const line of centre) {
    for (let i = 0; i < line.length; i++) {
      if (inside(line[i][0], line[i][1])) return true;
      if (i > 0 && inside((line[i - 1][0] + line[i][0]) / 2, (line[i - 1][1] + line[i][1]) / 2)) return true;
    }
  }
  return false;
}

function crossesBox(line: Position[], a: number, b: number, c: number, d: number): boolean {
  for (let i = 1; i < line.length; i++) {
    const [x1, y1] = line[i - 1], [x2, y2] = line[i];
    if (Math.max(x1, x2) >= a && Math.min(x1, x2) <= c && Math.max(y1, y2) >= b && Math.min(y1, y2) <= d) return true;
  }
  return false;
}

