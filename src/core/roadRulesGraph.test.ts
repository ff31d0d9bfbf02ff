import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { EdgeFlag, type RoadGraph } from './graph';
import { parseProfile, type SpeedProfile } from './profile';
import { roadClassCode } from './roadClass';
import {
  CLOSED_BASE, closedCode, closureRows, edgeAccess, explainEdge, ONEWAY_AGAINST, ONEWAY_ALLOWED, ONEWAY_KEEP, parseRoadRules, RULE_CODES, RULE_EMERGENCY_ONLY,
  RULE_OPEN, ruleClosures, ruleEdgeSeconds, ruleFlags, vehicleById, type RoadRules,
} from './roadRules';

const read = (p: string): Record<string, any> => JSON.parse(readFileSync(new URL(`../../geodata/profiles/${p}`, import.meta.url), 'utf8'));
const rules = parseRoadRules(read('road-rules.json'));
const withRule = (edit: (r: Record<string, any>) => void): RoadRules => { const r = read('road-rules.json'); edit(r); return parseRoadRules(r); };
const tender = vehicleById(rules);
const ladder = vehicleById(rules, 'aerial-platform');
const profileOf = (edit: (p: Record<string, any>) => void = () => {}): SpeedProfile => { const p = read('fire-engine.json'); edit(p); return parseProfile(p); };
const profile = profileOf();
/** Residential roads at 20 km/h: 100 m take 18 s. */
const S100 = 18;

type Tags = Record<string, string>;
interface Seg { a: number; b: number; m: number; tags?: Tags; /** the builder's one-way reading when it differs from `oneway` (motorways) */ implied?: 1 }

/**
 * A RoadGraph written by hand: every segment a→b becomes the forward edge a→b and the backward edge b→a, the one
 * against `oneway` flagged AgainstOneway as the graph builder does; tags deduplicated into `facts` (0 = {}).
 * Returns the graph, the true direction of each edge and an edge lookup.
 */
function handGraph(n: number, segs: Seg[], nodeTags: Record<number, Tags> = {}) {
  const facts: Tags[] = [{}];
  const idx = (t?: Tags) => {
    if (!t || !Object.keys(t).length) return 0;
    const i = facts.findIndex((f) => JSON.stringify(f) === JSON.stringify(t));
    return i >= 0 ? i : facts.push(t) - 1;
  };
  const dirOf = (s: Seg) => {
    const o = s.tags?.oneway;
    if (o === 'yes' || o === '1' || o === 'true') return 1;
    if (o === '-1' || o === 'reverse') return -1;
    if (o === 'no') return 0;
    return s.tags?.junction === 'roundabout' || s.implied ? 1 : 0;
  };
  const edges = segs.flatMap((s, i) => {
    const fi = idx(s.tags), d = dirOf(s);
    return [
      { tail: s.a, head: s.b, m: s.m, fi, flag: d === -1 ? EdgeFlag.AgainstOneway : 0, fwd: true, seg: i },
      { tail: s.b, head: s.a, m: s.m, fi, flag: d === 1 ? EdgeFlag.AgainstOneway : 0, fwd: false, seg: i },
    ];
  }).sort((x, y) => x.tail - y.tail);
  const m = edges.length;
  const firstEdge = new Uint32Array(n + 1);
  for (const e of edges) firstEdge[e.tail + 1]++;
  for (let i = 0; i < n; i++) firstEdge[i + 1] += firstEdge[i];
  const nodeFacts = new Uint32Array(n);
  for (const [v, t] of Object.entries(nodeTags)) nodeFacts[Number(v)] = idx(t);
  const graph: RoadGraph = {
    buffer: new ArrayBuffer(0), nodeCount: n, edgeCount: m, bbox: [0, 0, 0, 0],
    lon: new Int32Array(n), lat: new Int32Array(n), firstEdge,
    target: Uint32Array.from(edges, (e) => e.head), lengthM: Float32Array.from(edges, (e) => e.m), nameId: new Uint32Array(m),
    roadClass: new Uint8Array(m).fill(roadClassCode('residential')), flags: Uint8Array.from(edges, (e) => e.flag), maxspeed: new Uint8Array(m),
    names: { zh: [''], en: [''] },
    edgeFacts: Uint32Array.from(edges, (e) => e.fi), nodeFacts, facts,
  };
  const forward = edges.map((e) => e.fwd);
  const edge = (a: number, b: number) => edges.findIndex((e) => e.tail === a && e.head === b);
  const edgeOfSeg = (i: number, fwd: boolean) => edges.findIndex((e) => e.seg === i && e.fwd === fwd);
  return { graph, isForward: (e: number) => forward[e], edge, edgeOfSeg };
}

/** Brute-force shortest times from one node (Bellman-Ford over all edges). */
function reach(g: RoadGraph, sec: Float32Array, from: number): number[] {
  const d = new Array<number>(g.nodeCount).fill(Infinity);
  d[from] = 0;
  for (let round = 0; round < g.nodeCount; round++)
    for (let v = 0; v < g.nodeCount; v++)
      for (let e = g.firstEdge[v]; e < g.firstEdge[v + 1]; e++) if (d[v] + sec[e] < d[g.target[e]]) d[g.target[e]] = d[v] + sec[e];
  return d;
}

describe('ruleClosures on hand-made graphs', () => {
  it('a graph without facts is all open and its flags stay as they were', () => {
    const { graph } = handGraph(3, [{ a: 0, b: 1, m: 100, tags: { oneway: 'yes' } }, { a: 1, b: 2, m: 100 }]);
    const bare: RoadGraph = { ...graph, edgeFacts: undefined, nodeFacts: undefined, facts: undefined };
    const c = ruleClosures(bare, rules, tender);
    expect([...c.edge, ...c.node, ...c.oneway]).toEqual(new Array(graph.edgeCount * 2 + 3).fill(0));
    bare.flags[0] |= EdgeFlag.NoAccess; // an older graph file: the builder's own access reading stays
    expect(ruleFlags(bare, c)).toEqual(bare.flags);
    const empty: RoadGraph = { ...bare, edgeFacts: new Uint32Array(0), nodeFacts: new Uint32Array(0), facts: [{}] };
    expect(ruleClosures(empty, withRule((r) => { r.ferry.allow.value = true; }), tender).edge).toEqual(c.edge);
    expect(ruleFlags(empty, c)).toEqual(bare.flags);
    expect(explainEdge(empty, 0, rules, tender)).toEqual({ ok: true });
    const broken: RoadGraph = { ...graph, facts: [{}] }; // indices point past the facts table
    expect(() => ruleClosures(broken, rules, tender)).toThrow(expect.objectContaining({ code: 'bad-graph' }));
    expect(Object.values(c.closedKm).every((k) => k === 0)).toBe(true);
  });

  it('a bollard stops the way through its node; the engine takes the detour (hand-solved)', () => {
    // 0 —100 m— 1 —100 m— 2, detour 0 —150 m— 3 —150 m— 2; 100 m = 18 s at 20 km/h.
    const segs = [{ a: 0, b: 1, m: 100 }, { a: 1, b: 2, m: 100 }, { a: 0, b: 3, m: 150 }, { a: 3, b: 2, m: 150 }];
    const open = handGraph(4, segs).graph;
    expect(reach(open, ruleEdgeSeconds(open, profile, ruleClosures(open, rules, tender)), 0)[2]).toBeCloseTo(2 * S100, 3);
    const { graph } = handGraph(4, segs, { 1: { barrier: 'bollard' } });
    const c = ruleClosures(graph, rules, tender);
    expect(c.node[1]).toBe(closedCode('barrier'));
    expect(c.blockedNodes.barrier).toBe(1);
    expect(c.blockedBarriers).toEqual({ bollard: 1 });
    expect(closureRows(c)).toEqual([{ rule: 'barrier', zh: '路障', en: 'barrier', km: 0, nodes: 1 }]);
    const t = reach(graph, ruleEdgeSeconds(graph, profile, c), 0);
    expect(t[1]).toBeCloseTo(S100, 3); // the bollard itself is reached
    expect(t[2]).toBeCloseTo(3 * S100, 3); // 300 m round it
    // A lift gate passes; a bollard with emergency=yes passes as emergency-only.
    const gate = handGraph(4, segs, { 1: { barrier: 'lift_gate' } }).graph;
    expect(reach(gate, ruleEdgeSeconds(gate, profile, ruleClosures(gate, rules, tender)), 0)[2]).toBeCloseTo(2 * S100, 3);
    const rising = handGraph(4, segs, { 1: { barrier: 'bollard', emergency: 'yes' } }).graph;
    const cr = ruleClosures(rising, rules, tender);
    expect(cr.node[1]).toBe(RULE_EMERGENCY_ONLY);
    expect(reach(rising, ruleEdgeSeconds(rising, profile, cr), 0)[2]).toBeCloseTo(2 * S100, 3);
    const strict = profileOf((p) => { p.allowEmergencyOnly.value = false; });
    expect(reach(rising, ruleEdgeSeconds(rising, strict, cr), 0)[2]).toBeCloseTo(3 * S100, 3);
  });

  it('access closures count road-km once per road, emergency-only roads apart', () => {
    const { graph, edge } = handGraph(4, [
      { a: 0, b: 1, m: 250, tags: { access: 'no' } },
      { a: 1, b: 2, m: 400, tags: { access: 'private' } },
      { a: 2, b: 3, m: 100, tags: { access: 'no', emergency: 'yes' } },
    ]);
    const c = ruleClosures(graph, rules, tender);
    expect([c.edge[edge(0, 1)], c.edge[edge(1, 0)]]).toEqual([closedCode('access'), closedCode('access')]);
    expect([c.edge[edge(1, 2)], c.edge[edge(2, 3)]]).toEqual([RULE_EMERGENCY_ONLY, RULE_EMERGENCY_ONLY]);
    expect(c.closedKm.access).toBeCloseTo(0.25, 6);
    expect(c.emergencyOnlyKm).toBeCloseTo(0.5, 6);
    expect(closureRows(c)).toEqual([
      { rule: 'access', zh: '禁止通行', en: 'no access', km: expect.closeTo(0.25, 6), nodes: 0 },
      { rule: 'emergency-only', zh: '仅限应急通行', en: 'emergency vehicles only', km: expect.closeTo(0.5, 6), nodes: 0 },
    ]);
    const closedPrivate = ruleClosures(graph, withRule((r) => { r.access.private.value = 'closed'; }), tender);
    expect(closedPrivate.closedKm.private).toBeCloseTo(0.4, 6);
    const sec = ruleEdgeSeconds(graph, profile, c);
    expect(sec[edge(0, 1)]).toBe(Infinity);
    expect(sec[edge(1, 2)]).toBeCloseTo(4 * S100, 3);
  });

  it(':forward/:backward tags on a two-way road: by the given direction, or conservatively both ways', () => {
    const { graph, edge, isForward } = handGraph(2, [{ a: 0, b: 1, m: 100, tags: { 'access:forward': 'no' } }]);
    const known = ruleClosures(graph, rules, tender, { isForward });
    expect([known.edge[edge(0, 1)], known.edge[edge(1, 0)]]).toEqual([closedCode('access'), RULE_OPEN]);
    expect(known.directionUnknown).toBe(0);
    const guessed = ruleClosures(graph, rules, tender);
    expect([guessed.edge[edge(0, 1)], guessed.edge[edge(1, 0)]]).toEqual([closedCode('access'), closedCode('access')]);
    expect(guessed.directionUnknown).toBe(2);
    expect(guessed.closedKm.access).toBeCloseTo(0.1, 6);
  });

  it('reads the direction from the builder\'s one-way flag when it is not given', () => {
    const { graph, edge } = handGraph(6, [
      { a: 0, b: 1, m: 100, tags: { oneway: 'yes', 'maxheight:backward': '2' } },
      { a: 2, b: 3, m: 100, tags: { oneway: '-1', 'maxheight:forward': '2' } },
      { a: 4, b: 5, m: 100, tags: { 'access:backward': 'no' }, implied: 1 }, // a motorway: one-way without a tag
    ]);
    const c = ruleClosures(graph, rules, tender);
    expect(c.directionUnknown).toBe(0);
    expect([c.edge[edge(0, 1)], c.oneway[edge(0, 1)], c.edge[edge(1, 0)]]).toEqual([RULE_OPEN, ONEWAY_ALLOWED, closedCode('maxheight')]);
    expect([c.edge[edge(2, 3)], c.edge[edge(3, 2)], c.oneway[edge(3, 2)]]).toEqual([closedCode('maxheight'), RULE_OPEN, ONEWAY_ALLOWED]);
    expect([c.edge[edge(4, 5)], c.edge[edge(5, 4)], c.oneway[edge(4, 5)]]).toEqual([RULE_OPEN, closedCode('access'), ONEWAY_KEEP]);
    // The motorway's implied one-way stays: against the flow is unusable when one-ways are obeyed.
    expect(ruleFlags(graph, c)[edge(5, 4)] & EdgeFlag.AgainstOneway).toBeTruthy();
  });

  it('one-way variants and reversible roads under obey and contraflow (hand-solved seconds)', () => {
    const { graph, edge, isForward } = handGraph(6, [
      { a: 0, b: 1, m: 100, tags: { 'oneway:motorcar': 'yes' } },
      { a: 2, b: 3, m: 100, tags: { oneway: 'yes', 'oneway:motorcar': 'no' } },
      { a: 4, b: 5, m: 100, tags: { oneway: 'reversible' } },
    ]);
    const c = ruleClosures(graph, rules, tender, { isForward });
    expect([c.oneway[edge(0, 1)], c.oneway[edge(1, 0)]]).toEqual([ONEWAY_ALLOWED, ONEWAY_AGAINST]);
    expect([c.oneway[edge(2, 3)], c.oneway[edge(3, 2)]]).toEqual([ONEWAY_ALLOWED, ONEWAY_ALLOWED]);
    expect([c.oneway[edge(4, 5)], c.oneway[edge(5, 4)]]).toEqual([ONEWAY_AGAINST, ONEWAY_AGAINST]);
    const obey = ruleEdgeSeconds(graph, profile, c);
    const seconds = (sec: Float32Array) => [[0, 1], [1, 0], [2, 3], [3, 2], [4, 5], [5, 4]].map(([a, b]) => sec[edge(a, b)]);
    expect(seconds(obey)).toEqual([S100, Infinity, S100, S100, Infinity, Infinity].map((x) => expect.closeTo(x, 3)));
    const contra = ruleEdgeSeconds(graph, profileOf((p) => { p.oneway.value = 'contraflow'; }), c); // × 1.5 against the flow
    expect(seconds(contra)).toEqual([S100, 27, S100, S100, 27, 27].map((x) => expect.closeTo(x, 3)));
    const both = ruleClosures(graph, withRule((r) => { r.oneway.reversible.value = 'both'; }), tender, { isForward });
    expect(seconds(ruleEdgeSeconds(graph, profile, both)).slice(4)).toEqual([expect.closeTo(S100, 3), expect.closeTo(S100, 3)]);
    const shut = ruleClosures(graph, withRule((r) => { r.oneway.reversible.value = 'closed'; }), tender, { isForward });
    expect(shut.closedKm.reversible).toBeCloseTo(0.1, 6);
  });

  it('size and weight limits: the ladder truck loses roads the water tender keeps', () => {
    const { graph } = handGraph(4, [
      { a: 0, b: 1, m: 100, tags: { maxheight: '3.5' } },
      { a: 1, b: 2, m: 200, tags: { maxweight: '20' } },
      { a: 2, b: 3, m: 300, tags: { maxlength: '10' } },
    ]);
    const t = ruleClosures(graph, rules, tender);
    expect([...t.edge].every((x) => x === RULE_OPEN)).toBe(true);
    const l = ruleClosures(graph, rules, ladder);
    expect([l.closedKm.maxheight, l.closedKm.maxweight, l.closedKm.maxlength]).toEqual([0.1, 0.2, 0.3].map((x) => expect.closeTo(x, 6)));
    expect(reach(graph, ruleEdgeSeconds(graph, profile, t), 0)[3]).toBeCloseTo(6 * S100, 3);
    expect(reach(graph, ruleEdgeSeconds(graph, profile, l), 0)[1]).toBe(Infinity);
    expect(explainEdge(graph, 0, rules, ladder).reason?.en).toBe('height limit 3.5 m < vehicle height 3.9 m');
  });

  it('ferries: closed by default; when allowed they take their duration, shared by length', () => {
    const ferry = { route: 'ferry', duration: '00:15' };
    const { graph, edge } = handGraph(6, [
      { a: 0, b: 1, m: 1000, tags: ferry },
      { a: 1, b: 2, m: 3000, tags: ferry },
      { a: 2, b: 3, m: 100 },
      { a: 4, b: 5, m: 2000, tags: ferry }, // another crossing with the same tags: its own 15 min
    ]);
    const off = ruleClosures(graph, rules, tender);
    expect(off.closedKm.ferry).toBeCloseTo(6, 6);
    expect([...off.ferrySeconds].every((s) => s === 0)).toBe(true);
    expect(reach(graph, ruleEdgeSeconds(graph, profile, off), 0)[3]).toBe(Infinity);
    const allow = withRule((r) => { r.ferry.allow.value = true; });
    const on = ruleClosures(graph, allow, tender);
    expect(on.closedKm.ferry).toBe(0);
    expect([on.ferrySeconds[edge(0, 1)], on.ferrySeconds[edge(1, 0)], on.ferrySeconds[edge(1, 2)], on.ferrySeconds[edge(4, 5)]])
      .toEqual([225, 225, 675, 900].map((x) => expect.closeTo(x, 3)));
    expect(on.ferrySeconds[edge(2, 3)]).toBe(0);
    const t = reach(graph, ruleEdgeSeconds(graph, profile, on), 0);
    expect(t[2]).toBeCloseTo(900, 3);
    expect(t[3]).toBeCloseTo(900 + S100, 3);
    // Without a duration: 4000 m at the rules' 10 km/h = 1440 s.
    const noDuration = handGraph(3, [{ a: 0, b: 1, m: 1000, tags: { route: 'ferry' } }, { a: 1, b: 2, m: 3000, tags: { route: 'ferry' } }]).graph;
    expect(reach(noDuration, ruleEdgeSeconds(noDuration, profile, ruleClosures(noDuration, allow, tender)), 0)[2]).toBeCloseTo(1440, 2);
  });

  it('an emergency-only gate node makes the edges leaving it emergency-only; explainEdge names it', () => {
    const { graph, edge } = handGraph(3, [{ a: 0, b: 1, m: 100 }, { a: 1, b: 2, m: 100 }], { 1: { barrier: 'gate', access: 'private' } });
    const c = ruleClosures(graph, rules, tender);
    expect(c.node[1]).toBe(RULE_EMERGENCY_ONLY);
    const f = ruleFlags(graph, c);
    expect(f[edge(1, 2)] & EdgeFlag.EmergencyOnly).toBeTruthy();
    expect(f[edge(0, 1)] & EdgeFlag.EmergencyOnly).toBeFalsy();
    expect(explainEdge(graph, edge(1, 2), rules, tender).reason?.code).toBe('private');
    const bollard = handGraph(3, [{ a: 0, b: 1, m: 100 }, { a: 1, b: 2, m: 100 }], { 1: { barrier: 'bollard' } });
    expect(explainEdge(bollard.graph, bollard.edge(1, 0), rules, tender).reason?.zh).toBe('路障：隔离桩（barrier=bollard）');
    expect(explainEdge(bollard.graph, bollard.edge(0, 1), rules, tender).ok).toBe(true);
  });

  it('rule flags replace the builder\'s access bits and keep bridge/tunnel bits', () => {
    const { graph, edge } = handGraph(2, [{ a: 0, b: 1, m: 100, tags: { access: 'no', motorcar: 'yes' } }]);
    graph.flags[edge(0, 1)] = EdgeFlag.NoAccess | EdgeFlag.Bridge; // the old builder read only access=no
    const f = ruleFlags(graph, ruleClosures(graph, rules, tender));
    expect(f[edge(0, 1)]).toBe(EdgeFlag.Bridge);
    expect(graph.flags[edge(0, 1)]).toBe(EdgeFlag.NoAccess | EdgeFlag.Bridge); // the graph is not modified
  });

  it('matches edgeAccess edge by edge on a random graph (brute force)', () => {
    const pool: Tags[] = [
      {}, { access: 'no' }, { access: 'private' }, { 'access:forward': 'no' }, { oneway: 'yes' }, { oneway: '-1', maxweight: '10' },
      { 'oneway:motorcar': 'yes', 'maxheight:backward': '3' }, { maxheight: '3.6' }, { access: 'no', emergency: 'yes' },
      { oneway: 'reversible' }, { construction: 'yes' }, { smoothness: 'impassable' }, { motorcar: 'no', 'motorcar:forward': 'yes' },
    ];
    let s = 7;
    const rnd = (k: number) => { s = (s * 1103515245 + 12345) % 2147483648; return s % k; };
    const segs: Seg[] = [];
    for (let i = 0; i < 120; i++) {
      const a = rnd(40), b = (a + 1 + rnd(39)) % 40;
      segs.push({ a, b, m: 50 + rnd(200), tags: pool[rnd(pool.length)] });
    }
    const { graph, isForward, edgeOfSeg } = handGraph(40, segs, { 3: { barrier: 'bollard' }, 9: { barrier: 'gate', access: 'no' }, 12: { barrier: 'cattle_grid' } });
    for (const v of [tender, ladder]) {
      const c = ruleClosures(graph, rules, v, { isForward });
      for (let e = 0; e < graph.edgeCount; e++) {
        const a = edgeAccess(graph.facts![graph.edgeFacts![e]], isForward(e), rules, v);
        expect(c.edge[e]).toBe(!a.ok ? closedCode(a.reason!.code) : a.emergencyOnly ? RULE_EMERGENCY_ONLY : RULE_OPEN);
        expect(c.oneway[e]).toBe(a.againstOneway === undefined ? ONEWAY_KEEP : a.againstOneway ? ONEWAY_AGAINST : ONEWAY_ALLOWED);
      }
      expect([c.node[3], c.node[9], c.node[12]]).toEqual([closedCode('barrier'), closedCode('access'), RULE_OPEN]);
      // Road-km by hand from the segment list: a segment closed the same way in both directions counts once.
      const want: Record<string, number> = { emergency: 0 };
      const add = (code: number, m: number) => {
        const k = code === RULE_EMERGENCY_ONLY ? 'emergency' : RULE_CODES[code - CLOSED_BASE];
        want[k] = (want[k] ?? 0) + m / 1000;
      };
      segs.forEach((sg, i) => {
        const cf = c.edge[edgeOfSeg(i, true)], cb = c.edge[edgeOfSeg(i, false)];
        if (cf === cb) { if (cf !== RULE_OPEN) add(cf, sg.m); } else { if (cf !== RULE_OPEN) add(cf, sg.m); if (cb !== RULE_OPEN) add(cb, sg.m); }
      });
      expect(c.emergencyOnlyKm).toBeCloseTo(want.emergency, 6);
      for (const r of RULE_CODES) expect(c.closedKm[r]).toBeCloseTo(want[r] ?? 0, 6);
      expect(want.access + want.construction + want.maxheight).toBeGreaterThan(0);
    }
  });
});
