/**
 * The road rules on the map (issue #17): a Point per node that blocks the vehicle ({kind:'barrier', rule, zh, en}),
 * a LineString per closed road stretch ({kind:'closed', rule, zh, en, lengthM}) and one per stretch with a size or
 * weight limit the vehicle passes ({kind:'limit', …}: "限高 4.5 米（车高 3.4 米，可通行）") — consecutive segments
 * of the same way with the same reason are merged into one line. zh/en is the reason text, e.g. "限高 2.2 米 <
 * 车高 3.4 米". A segment closed in one direction only is drawn too (its reason names the direction's tag). Pure.
 */
import type { Feature, FeatureCollection, LineString, Point, Position } from 'geojson';
import { EdgeFlag, edgeSources, type RoadGraph } from './graph';
import type { RoadRules, Vehicle } from './roadRules';
import { nodePasses, passedLimits, type RuleReason } from './roadRulesAccess';
import { CLOSED_BASE, explainEdge, type RuleClosures } from './roadRulesGraph';

export interface RuleFeatureProps {
  kind: 'barrier' | 'closed' | 'limit';
  rule: string;
  zh: string;
  en: string;
  /** Length of a closed stretch, metres to 0.1 (lines only). */
  lengthM?: number;
}

const pos = (g: RoadGraph, v: number): Position => [g.lon[v] / 1e7, g.lat[v] / 1e7];

/** One closed road segment: its canonical directed edge, end nodes and the merge key (facts + reason). */
interface Seg { e: number; u: number; v: number; key: string; reason: RuleReason }

/** Closed segments, each once (the lower-numbered closed edge of the pair). */
function closedSegments(g: RoadGraph, tail: Uint32Array, c: RuleClosures, rules: RoadRules, vehicle: Vehicle): Seg[] {
  const isForward = (e: number) => !(g.flags[e] & EdgeFlag.Reverse);
  const segs: Seg[] = [];
  const twinOf = (e: number): number => {
    const u = tail[e], v = g.target[e];
    const fe = g.edgeFacts ? g.edgeFacts[e] : 0;
    for (let r = g.firstEdge[v]; r < g.firstEdge[v + 1]; r++)
      if (g.target[r] === u && (g.edgeFacts ? g.edgeFacts[r] : 0) === fe && Math.abs(g.lengthM[r] - g.lengthM[e]) < 1e-3) return r;
    return -1;
  };
  for (let e = 0; e < g.edgeCount; e++) {
    if (c.edge[e] < CLOSED_BASE) continue;
    const r = twinOf(e);
    if (r >= 0 && r < e && c.edge[r] >= CLOSED_BASE) continue;
    const a = explainEdge(g, e, rules, vehicle, isForward);
    const reason = a.reason ?? { code: 'access', zh: '道路禁止通行', en: 'road closed' };
    segs.push({ e, u: tail[e], v: g.target[e], key: `${g.edgeFacts ? g.edgeFacts[e] : 0}|${reason.code}|${reason.zh}`, reason });
  }
  return segs;
}

/** Open segments (each once) whose way has a readable size or weight limit: the vehicle passes it, by how much. */
function limitSegments(g: RoadGraph, tail: Uint32Array, c: RuleClosures, vehicle: Vehicle): Seg[] {
  const facts = g.facts ?? [{}], segs: Seg[] = [];
  if (!g.edgeFacts) return segs;
  for (let e = 0; e < g.edgeCount; e++) {
    if (c.edge[e] >= CLOSED_BASE || g.edgeFacts[e] === 0) continue;
    const u = tail[e], v = g.target[e];
    // Each segment once: skip an edge whose open reverse (same way facts) has the lower id.
    let twinFirst = false;
    for (let r = g.firstEdge[v]; r < g.firstEdge[v + 1]; r++)
      if (r < e && g.target[r] === u && g.edgeFacts[r] === g.edgeFacts[e] && c.edge[r] < CLOSED_BASE) twinFirst = true;
    if (twinFirst) continue;
    const reason = passedLimits(facts[g.edgeFacts[e]] ?? {}, !(g.flags[e] & EdgeFlag.Reverse), vehicle);
    if (!reason) continue;
    segs.push({ e, u, v, key: `${g.edgeFacts[e]}|${reason.zh}`, reason });
  }
  return segs;
}

/** Chains segments with the same key through nodes where exactly two of them meet. */
function mergeChains(segs: Seg[]): Seg[][] {
  const byNode = new Map<string, number[]>();
  const at = (key: string, v: number) => `${key}#${v}`;
  segs.forEach((s, i) => {
    for (const v of [s.u, s.v]) {
      const k = at(s.key, v);
      const list = byNode.get(k);
      if (list) list.push(i);
      else byNode.set(k, [i]);
    }
  });
  const used = new Uint8Array(segs.length);
  const chains: Seg[][] = [];
  /** The other segment continuing the chain at node v, or -1 (an end, a fork, or already used). */
  const next = (i: number, v: number): number => {
    const list = byNode.get(at(segs[i].key, v)) ?? [];
    if (list.length !== 2) return -1;
    const j = list[0] === i ? list[1] : list[0];
    return used[j] ? -1 : j;
  };
  const walk = (start: number, from: number): Seg[] => {
    const chain: Seg[] = [];
    let i = start, v = from;
    while (i >= 0 && !used[i]) {
      used[i] = 1;
      const s = segs[i];
      const forward = s.u === v;
      chain.push(forward ? s : { ...s, u: s.v, v: s.u });
      v = forward ? s.v : s.u;
      i = next(i, v);
    }
    return chain;
  };
  // Chains from their ends first, then what is left (closed loops).
  segs.forEach((s, i) => {
    if (used[i]) return;
    if ((byNode.get(at(s.key, s.u)) ?? []).length !== 2) chains.push(walk(i, s.u));
    else if ((byNode.get(at(s.key, s.v)) ?? []).length !== 2) chains.push(walk(i, s.v));
  });
  segs.forEach((s, i) => { if (!used[i]) chains.push(walk(i, s.u)); });
  return chains;
}

/** Map features of what the rules close for the vehicle on the graph (see the header). */
export function ruleFeatures(graph: RoadGraph, c: RuleClosures, rules: RoadRules, vehicle: Vehicle): FeatureCollection<Point | LineString, RuleFeatureProps> {
  const features: Feature<Point | LineString, RuleFeatureProps>[] = [];
  const facts = graph.facts ?? [{}];
  for (let v = 0; v < graph.nodeCount; v++) {
    if (c.node[v] < CLOSED_BASE) continue;
    const a = nodePasses(facts[graph.nodeFacts ? graph.nodeFacts[v] : 0] ?? {}, rules, vehicle);
    const r = a.reason ?? { code: 'barrier', zh: '节点禁止通行', en: 'node closed' };
    features.push({ type: 'Feature', properties: { kind: 'barrier', rule: r.code, zh: r.zh, en: r.en }, geometry: { type: 'Point', coordinates: pos(graph, v) } });
  }
  const tail = edgeSources(graph);
  const lines: ['closed' | 'limit', Seg[]][] = [['closed', closedSegments(graph, tail, c, rules, vehicle)], ['limit', limitSegments(graph, tail, c, vehicle)]];
  for (const [kind, segs] of lines)
    for (const chain of mergeChains(segs)) {
      const r = chain[0].reason;
      let m = 0;
      for (const s of chain) m += graph.lengthM[s.e];
      const coordinates = [pos(graph, chain[0].u), ...chain.map((s) => pos(graph, s.v))];
      features.push({ type: 'Feature', properties: { kind, rule: r.code, zh: r.zh, en: r.en, lengthM: Math.round(m * 10) / 10 }, geometry: { type: 'LineString', coordinates } });
    }
  return { type: 'FeatureCollection', features };
}
