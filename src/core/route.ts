/**
 * Fastest route from the last multi-source run to a snapped point, as an OSRM v5-shaped route object with
 * maneuvers (depart / turn / continue / new name / roundabout / exit roundabout / arrive) and instruction text
 * from osrm-text-instructions (zh-Hans, en).
 */
import type { LineString, Position } from 'geojson';
// @ts-expect-error osrm-text-instructions ships CommonJS without type declarations
import osrmTextInstructions from 'osrm-text-instructions';
import { EdgeFlag, type RoadGraph } from './graph';
import { bearingDeg, round7 } from './geo';
import { FROM_SOURCE, timeToPoint, type ShortestPaths, type SourcePoint } from './dijkstra';
import type { SpatialIndex } from './spatial';
import { hasPenalties } from './turns';

export type RouteLang = 'zh-Hans' | 'en';

/** A travelled part of a directed edge, fractions a < b from its tail. */
export interface RoutePiece {
  edge: number;
  a: number;
  b: number;
  /** Turn penalty paid on entering this piece (profile turn seconds), when any. */
  turnS?: number;
}

export interface OsrmManeuver {
  type: string;
  modifier?: string;
  bearing_before: number;
  bearing_after: number;
  location: Position;
  exit?: number;
}

export interface OsrmStep {
  maneuver: OsrmManeuver;
  name: string;
  /** Road number(s) of the way (OSM ref), shown beside the name by the instruction text: "深南大道 (G107)". */
  ref?: string;
  distance: number;
  duration: number;
  geometry: LineString;
  mode: 'driving';
  weight: number;
}

export interface OsrmRoute {
  distance: number;
  duration: number;
  weight: number;
  weight_name: 'duration';
  geometry: LineString;
  legs: { distance: number; duration: number; weight: number; summary: string; steps: OsrmStep[] }[];
}

export interface PathResult {
  /** Index of the source the route starts at. */
  source: number;
  seconds: number;
  meters: number;
  pieces: RoutePiece[];
}

/**
 * Reconstructs the fastest path to `to` from the last run of `paths` (same sources). Null if unreachable. The run's
 * predecessors are search edges (a node's turn copies included), mapped back to road edges here, so the route is
 * the one the turn rules allow. `seconds` includes turn penalties.
 */
export function pathTo(graph: RoadGraph, _sp: SpatialIndex, paths: ShortestPaths, sources: readonly SourcePoint[], to: SourcePoint): PathResult | null {
  paths.finishEntries([to.edge, to.reverse]);
  const best = timeToPoint(paths, sources, to);
  if (!(best.seconds < Infinity)) return null;
  const pieces: RoutePiece[] = [];
  if (best.via === 'direct') {
    const p = sources[best.source];
    if (to.t >= p.t) pieces.push({ edge: to.edge, a: p.t, b: to.t });
    else pieces.push({ edge: to.reverse, a: 1 - p.t, b: 1 - to.t });
  } else {
    const onNode = best.via === 'u' ? to.t === 0 : to.t === 1;
    const last = best.via === 'u' ? to.edge : to.reverse;
    let s = onNode ? paths.nodeState(best.via === 'u' ? to.u : to.v) : paths.entryNode(last);
    const tail: RoutePiece = best.via === 'u' ? { edge: to.edge, a: 0, b: to.t } : { edge: to.reverse, a: 0, b: 1 - to.t };
    const full: number[] = [], turn: number[] = [];
    const { pred, origin } = paths.search, { edgeOf, real, weight } = paths.sg;
    const penalties = hasPenalties(paths.rules);
    if (penalties && !onNode && s >= 0 && paths.entryTime(last) - paths.search.dist[s] > 1e-9) tail.turnS = paths.entryTime(last) - paths.search.dist[s];
    while (pred[s] !== FROM_SOURCE) {
      const e = pred[s];
      full.push(edgeOf[e]);
      turn.push(penalties ? weight[e] - paths.seconds[edgeOf[e]] : 0);
      s = paths.searchTail[e];
    }
    const node = real[s];
    const p = sources[origin[s]];
    pieces.push(node === p.v && p.u !== p.v ? { edge: p.edge, a: p.t, b: 1 } : { edge: p.reverse, a: 1 - p.t, b: 1 });
    for (let i = full.length - 1; i >= 0; i--) pieces.push(turn[i] > 1e-9 ? { edge: full[i], a: 0, b: 1, turnS: turn[i] } : { edge: full[i], a: 0, b: 1 });
    pieces.push(tail);
  }
  const used = pieces.filter((q) => q.edge >= 0 && q.b - q.a > 0);
  let seconds = 0, meters = 0;
  for (const q of used) {
    seconds += (q.b - q.a) * paths.seconds[q.edge];
    meters += (q.b - q.a) * graph.lengthM[q.edge];
  }
  // Turn penalties are no road length: the run's time holds them.
  if (hasPenalties(paths.rules)) seconds = best.seconds;
  return { source: best.source, seconds, meters, pieces: used };
}

/** The point at fraction f along directed edge e, rounded to the graph's grid. */
export function pointAt(graph: RoadGraph, sp: SpatialIndex, e: number, f: number): Position {
  const a = sp.source[e], b = graph.target[e];
  const lon = graph.lon[a] + f * (graph.lon[b] - graph.lon[a]);
  const lat = graph.lat[a] + f * (graph.lat[b] - graph.lat[a]);
  return [round7(lon / 1e7), round7(lat / 1e7)];
}

/** Number of distinct neighbours of a node (3+ = an intersection). */
function degree(graph: RoadGraph, node: number): number {
  let n = 0;
  for (let e = graph.firstEdge[node]; e < graph.firstEdge[node + 1]; e++) {
    let dup = false;
    for (let f = graph.firstEdge[node]; f < e; f++) if (graph.target[f] === graph.target[e]) dup = true;
    if (!dup) n++;
  }
  return n;
}

function modifierOf(turn: number): string {
  const a = Math.abs(turn);
  if (a < 20) return 'straight';
  const side = turn > 0 ? 'right' : 'left';
  if (a < 60) return `slight ${side}`;
  if (a < 140) return side;
  if (a < 170) return `sharp ${side}`;
  return 'uturn';
}

const roundBearing = (b: number) => Math.round(b) % 360;

/** Display name of an edge: the requested language, falling back to the other one ('' when unnamed; never the ref). */
export function edgeName(graph: RoadGraph, e: number, lang: RouteLang): string {
  const id = graph.nameId[e];
  const zh = graph.names.zh[id] ?? '', en = graph.names.en[id] ?? '';
  return lang === 'en' ? en || zh : zh || en;
}

/** Road number(s) of an edge's way (OSM ref, e.g. "G107"), '' when none. */
export const edgeRef = (graph: RoadGraph, e: number): string => graph.names.ref?.[graph.nameId[e]] ?? '';

/**
 * Name with the ref as a reference, as the instruction texts write it — "深南大道（G107）" / "Shennan Boulevard (G107)" —,
 * the bare ref of an unnamed numbered road, or the name alone.
 */
export function edgeLabel(graph: RoadGraph, e: number, lang: RouteLang): string {
  const name = edgeName(graph, e, lang), ref = edgeRef(graph, e);
  if (!name || !ref) return name || ref;
  return lang === 'en' ? `${name} (${ref})` : `${name}（${ref}）`;
}

/** Builds the OSRM v5-shaped route (one leg) from path pieces. */
export function buildOsrmRoute(graph: RoadGraph, sp: SpatialIndex, seconds: Float32Array, path: PathResult, lang: RouteLang): OsrmRoute {
  const pcs = path.pieces;
  const geometry: Position[] = [];
  const steps: OsrmStep[] = [];
  const push = (arr: Position[], p: Position) => {
    const l = arr[arr.length - 1];
    if (!l || l[0] !== p[0] || l[1] !== p[1]) arr.push(p);
  };
  const bearingOf = (q: RoutePiece) => {
    const s = pointAt(graph, sp, q.edge, q.a), t = pointAt(graph, sp, q.edge, q.b);
    return bearingDeg(s[0], s[1], t[0], t[1]);
  };
  let cur: OsrmStep | null = null;
  let curCoords: Position[] = [];
  const close = () => {
    if (!cur) return;
    cur.geometry = { type: 'LineString', coordinates: curCoords.length > 1 ? curCoords : [curCoords[0], curCoords[0]] };
    steps.push(cur);
  };
  const open = (m: OsrmManeuver, e: number, start: Position) => {
    close();
    const name = e >= 0 ? edgeName(graph, e, lang) : '', ref = e >= 0 ? edgeRef(graph, e) : '';
    cur = { maneuver: m, name, ...(ref ? { ref } : {}), distance: 0, duration: 0, geometry: { type: 'LineString', coordinates: [] }, mode: 'driving', weight: 0 };
    curCoords = [start];
  };
  for (let i = 0; i < pcs.length; i++) {
    const q = pcs[i];
    const start = pointAt(graph, sp, q.edge, q.a), end = pointAt(graph, sp, q.edge, q.b);
    const bAfter = bearingOf(q);
    const inRound = (graph.flags[q.edge] & EdgeFlag.Roundabout) !== 0;
    if (i === 0) {
      open({ type: 'depart', bearing_before: 0, bearing_after: roundBearing(bAfter), location: start }, q.edge, start);
    } else {
      const prev = pcs[i - 1];
      const bBefore = bearingOf(prev);
      const turn = ((bAfter - bBefore + 540) % 360) - 180;
      const node = sp.source[q.edge];
      const prevRound = (graph.flags[prev.edge] & EdgeFlag.Roundabout) !== 0;
      const sameName = graph.nameId[q.edge] === graph.nameId[prev.edge];
      const junction = degree(graph, node) > 2;
      const m = (type: string): OsrmManeuver => ({ type, modifier: modifierOf(turn), bearing_before: roundBearing(bBefore), bearing_after: roundBearing(bAfter), location: start });
      if (inRound && !prevRound) {
        open(m('roundabout'), q.edge, start);
        cur!.maneuver.exit = 0;
      } else if (inRound && prevRound) {
        if (junction && cur!.maneuver.exit !== undefined) cur!.maneuver.exit++;
      } else if (!inRound && prevRound) {
        if (cur!.maneuver.exit !== undefined) {
          cur!.maneuver.exit++;
          cur!.name = edgeName(graph, q.edge, lang);
          const ref = edgeRef(graph, q.edge);
          if (ref) cur!.ref = ref;
          else delete cur!.ref;
        }
        open(m('exit roundabout'), q.edge, start);
      } else if (!sameName) {
        open(m(Math.abs(turn) < 30 ? 'new name' : 'turn'), q.edge, start);
      } else if (junction && Math.abs(turn) >= 40) {
        open(m('continue'), q.edge, start);
      }
    }
    const s = cur!;
    s.distance += (q.b - q.a) * graph.lengthM[q.edge];
    s.duration += (q.b - q.a) * seconds[q.edge] + (q.turnS ?? 0);
    push(curCoords, start);
    push(curCoords, end);
    push(geometry, start);
    push(geometry, end);
  }
  const last = pcs.length ? pointAt(graph, sp, pcs[pcs.length - 1].edge, pcs[pcs.length - 1].b) : [0, 0];
  const lastBearing = pcs.length ? roundBearing(bearingOf(pcs[pcs.length - 1])) : 0;
  if (!pcs.length) open({ type: 'depart', bearing_before: 0, bearing_after: 0, location: last }, -1, last);
  open({ type: 'arrive', bearing_before: lastBearing, bearing_after: 0, location: last }, pcs.length ? pcs[pcs.length - 1].edge : -1, last);
  close();
  for (const st of steps) {
    st.distance = Math.round(st.distance * 10) / 10;
    st.duration = Math.round(st.duration * 10) / 10;
    st.weight = st.duration;
  }
  const distance = Math.round(path.meters * 10) / 10, duration = Math.round(path.seconds * 10) / 10;
  const names = [...new Set(steps.map((s) => s.name || s.ref || '').filter(Boolean))].slice(0, 2);
  if (geometry.length === 1) geometry.push(geometry[0]);
  return {
    distance, duration, weight: duration, weight_name: 'duration',
    geometry: { type: 'LineString', coordinates: geometry },
    legs: [{ distance, duration, weight: duration, summary: names.join(', '), steps }],
  };
}

interface TextCompiler {
  compile(lang: string, step: unknown, opts: { legCount: number; legIndex: number; waypointName?: string }): string;
}

/** The osrm-text-instructions compiler (v5); build one and pass it to instructionTexts to reuse it. */
export const textCompiler = (): TextCompiler => (osrmTextInstructions as (v: string) => TextCompiler)('v5');

/** Instruction text for every step (osrm-text-instructions), e.g. "左转，驶入深南大道". */
export function instructionTexts(route: OsrmRoute, lang: RouteLang, waypointName = '', compiler: TextCompiler = textCompiler()): string[] {
  return route.legs[0].steps.map((s) => compiler.compile(lang, s, { legCount: 1, legIndex: 0, waypointName }));
}
