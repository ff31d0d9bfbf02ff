/**
 * The router set-up made faster (issue #11: edge seconds from lookup tables, rule flags that skip untouched edges,
 * rule closures that skip graphs without facts, components without find() after the unions, crossing times read
 * only when the graph has a ferry) gives the same numbers as the computations before
 * (tests/support/routerSetupReference.ts), on the real samples and on random graphs with random facts, flags,
 * classes, maxspeeds and closures.
 */
import { describe, expect, it } from 'vitest';
import { EdgeFlag, type RoadGraph } from '../../src/core/graph';
import { computeComponents } from '../../src/core/components';
import { edgeSeconds, withProfileValues, type SpeedProfile } from '../../src/core/profile';
import { Router } from '../../src/core/router';
import { ruleClosures, ruleFlags, vehicleById, type RuleClosures } from '../../src/core/roadRules';
import { ROAD_CLASSES } from '../../src/core/roadClass';
import { rng } from '../../src/core/optimize/testMatrix';
import { fireEngineProfile, placeRouter, roadRules } from '../support/place';
import { referenceComponents, referenceEdgeSeconds, referenceRuleFlags } from '../support/routerSetupReference';

/** Tag sets the road rules read (ways and nodes), some closing, some one-way, ferries with and without a duration. */
const FACTS: Record<string, string>[] = [
  {}, { access: 'private' }, { access: 'no', emergency: 'yes' }, { oneway: 'yes' }, { oneway: '-1' }, { 'access:backward': 'no' },
  { route: 'ferry', duration: '00:20' }, { route: 'ferry' }, { maxheight: '3' }, { maxweight: '10' }, { barrier: 'gate' },
  { barrier: 'bollard' }, { barrier: 'gate', access: 'private' }, { highway: 'construction' },
];

/** A random graph in CSR: two-way segments (as the builder makes them) and some single edges, random attributes. */
function randomGraph(seed: number, withFacts: boolean, ferries = true): RoadGraph {
  const r = rng(seed);
  const n = 2 + Math.floor(r() * 60), segs = Math.floor(r() * n * 2.5);
  const edges: { u: number; v: number; len: number; cls: number; ms: number; flags: number; fact: number }[] = [];
  const factOf = () => (withFacts && r() < 0.4 ? 1 + Math.floor(r() * (ferries ? FACTS.length - 1 : 5)) : 0);
  for (let k = 0; k < segs; k++) {
    const u = Math.floor(r() * n), v = Math.floor(r() * n), len = Math.fround(1 + r() * 800);
    const cls = r() < 0.05 ? 200 : Math.floor(r() * ROAD_CLASSES.length), ms = r() < 0.3 ? Math.floor(r() * 130) : 0;
    const bits = () => (r() < 0.3 ? 1 << Math.floor(r() * 6) : 0);
    const fact = factOf();
    edges.push({ u, v, len, cls, ms, flags: bits(), fact });
    if (r() < 0.85) edges.push({ u: v, v: u, len, cls, ms, flags: bits() | EdgeFlag.Reverse, fact });
  }
  edges.sort((a, b) => a.u - b.u);
  const m = edges.length, firstEdge = new Uint32Array(n + 1);
  for (const e of edges) firstEdge[e.u + 1]++;
  for (let i = 0; i < n; i++) firstEdge[i + 1] += firstEdge[i];
  const nodeFacts = Uint32Array.from({ length: n }, () => (withFacts && r() < 0.15 ? 10 + Math.floor(r() * 3) : 0));
  return {
    buffer: new ArrayBuffer(0), nodeCount: n, edgeCount: m, bbox: [114, 22.5, 114.1, 22.6],
    lon: Int32Array.from({ length: n }, () => 1_140_000_000 + Math.floor(r() * 1e6)), lat: Int32Array.from({ length: n }, () => 225_000_000 + Math.floor(r() * 1e6)),
    firstEdge, target: Uint32Array.from(edges, (e) => e.v), lengthM: Float32Array.from(edges, (e) => e.len), nameId: new Uint32Array(m),
    roadClass: Uint8Array.from(edges, (e) => e.cls), flags: Uint8Array.from(edges, (e) => e.flags), maxspeed: Uint8Array.from(edges, (e) => e.ms),
    names: { zh: [''], en: [''], ref: [''] }, restrFirst: new Uint32Array(1), restrEdges: new Uint32Array(0),
    edgeFacts: Uint32Array.from(edges, (e) => e.fact), nodeFacts, facts: FACTS,
  };
}

/** Profile variants: as shipped, contraflow, emergency-only roads refused, no maxspeed cap. */
function profiles(): SpeedProfile[] {
  const base = fireEngineProfile();
  const noEmergency = structuredClone(base);
  noEmergency.allowEmergencyOnly.value = !base.allowEmergencyOnly.value;
  const noCap = structuredClone(base);
  noCap.capAtMaxspeed.value = !base.capAtMaxspeed.value;
  return [base, withProfileValues(base, { oneway: 'contraflow', peakFactor: 0.7 }), noEmergency, noCap];
}

/** Random closures (every code and one-way verdict) for a graph. */
function randomClosures(g: RoadGraph, seed: number): RuleClosures {
  const r = rng(seed), code = () => (r() < 0.7 ? 0 : Math.floor(r() * 6));
  return {
    edge: Uint8Array.from({ length: g.edgeCount }, code), oneway: Uint8Array.from({ length: g.edgeCount }, () => (r() < 0.7 ? 0 : Math.floor(r() * 3))),
    node: Uint8Array.from({ length: g.nodeCount }, code), ferrySeconds: Float32Array.from({ length: g.edgeCount }, () => (r() < 0.1 ? 1 + r() * 900 : 0)),
    closedKm: {} as RuleClosures['closedKm'], emergencyOnlyKm: 0, blockedNodes: {} as RuleClosures['blockedNodes'], blockedBarriers: {}, directionUnknown: 0,
  };
}

describe('edge seconds, rule flags and components = the computations before', () => {
  it('edgeSeconds on 300 random graphs × 4 profiles, off-peak and peak, with and without crossing times', () => {
    const ps = profiles();
    for (let seed = 1; seed <= 300; seed++) {
      const g = randomGraph(seed, false);
      const fixed = randomClosures(g, seed).ferrySeconds;
      for (const p of ps)
        for (const opts of [{}, { peak: true }, { fixedSeconds: fixed }, { peak: true, fixedSeconds: fixed }])
          expect(edgeSeconds(g, p, opts), `seed ${seed}`).toEqual(referenceEdgeSeconds(g, p, opts));
    }
  });

  it('ruleFlags on 300 random graphs with random closures (with and without facts: access bits kept or replaced)', () => {
    for (let seed = 1; seed <= 300; seed++) {
      const g = randomGraph(seed, seed % 2 === 0);
      const c = randomClosures(g, seed * 31);
      expect(ruleFlags(g, c), `seed ${seed}`).toEqual(referenceRuleFlags(g, c));
      const bare = { ...g, edgeFacts: undefined, nodeFacts: undefined };
      expect(ruleFlags(bare, c), `seed ${seed}`).toEqual(referenceRuleFlags(bare, c));
    }
  });

  it('ruleFlags with closures all open but for at most one byte (anywhere, also the last ones), aligned or not', () => {
    for (let seed = 1; seed <= 300; seed++) {
      const g = randomGraph(seed, seed % 2 === 0), r = rng(seed * 7);
      // closures arrays as views at an odd offset half the time (read byte by byte, not as words)
      const view = (length: number) => (seed % 4 < 2 ? new Uint8Array(length) : new Uint8Array(length + 3).subarray(1, length + 1));
      const c = { ...randomClosures(g, seed), edge: view(g.edgeCount), oneway: view(g.edgeCount), node: view(g.nodeCount) };
      const which = Math.floor(r() * 4);
      if (which < 3) {
        const a = [c.edge, c.oneway, c.node][which], at = r() < 0.5 ? a.length - 1 - Math.floor(r() * 3) : Math.floor(r() * a.length);
        if (at >= 0) a[at] = 1 + Math.floor(r() * (which === 1 ? 2 : 5));
      }
      const flagged = { ...g, flags: g.flags.map((f) => f & ~(EdgeFlag.NoAccess | EdgeFlag.EmergencyOnly)) };
      if (which === 3 && g.edgeCount) flagged.flags[Math.floor(r() * g.edgeCount)] |= EdgeFlag.NoAccess;
      for (const graph of [g, flagged, { ...flagged, edgeFacts: undefined }])
        expect(ruleFlags(graph, c), `seed ${seed}`).toEqual(referenceRuleFlags(graph, c));
    }
  });

  it('computeComponents on 500 random graphs (NoAccess edges cut) and with a minimum size', () => {
    for (let seed = 1; seed <= 500; seed++) {
      const g = randomGraph(seed, false);
      expect(computeComponents(g), `seed ${seed}`).toEqual(referenceComponents(g));
      expect(computeComponents(g, 3)).toEqual(referenceComponents(g, 3));
    }
  });

  it('rule closures of a graph whose edges carry no facts: all open, nothing closed, no crossing time; nodes still judged', () => {
    const rules = roadRules();
    rules.ferry.allow.value = true;
    for (let seed = 1; seed <= 50; seed++) {
      const g = randomGraph(seed, true);
      const bare = { ...g, edgeFacts: new Uint32Array(g.edgeCount) };
      const c = ruleClosures(bare, rules, vehicleById(rules));
      expect(c.edge.every((x) => x === 0) && c.oneway.every((x) => x === 0) && c.ferrySeconds.every((x) => x === 0)).toBe(true);
      expect(Object.values(c.closedKm).every((x) => x === 0) && c.emergencyOnlyKm === 0 && c.directionUnknown === 0).toBe(true);
      // the nodes as on the graph with its edge facts
      const full = ruleClosures(g, rules, vehicleById(rules));
      expect(c.node).toEqual(full.node);
      expect([c.blockedNodes, c.blockedBarriers]).toEqual([full.blockedNodes, full.blockedBarriers]);
    }
  });
});

describe('the router set-up = the computations before', () => {
  const check = (r: Router) => {
    const c = r.applied!.closures;
    const flags = referenceRuleFlags(r.graph, c);
    expect(r.seconds).toEqual(referenceEdgeSeconds({ ...r.graph, flags }, r.profile, { peak: r.peak, fixedSeconds: c.ferrySeconds }));
    expect(r.components).toEqual(referenceComponents({ ...r.graph, flags }));
  };

  it.each(['monaco', 'andorra', 'nanshan', 'shanghai'])('%s: travel seconds and components, every vehicle, off-peak and peak', (place) => {
    for (const vehicle of roadRules().vehicles.map((v) => v.id)) {
      const r = placeRouter(place, false, vehicle);
      check(r);
      r.setProfile(r.profile, true);
      check(r);
    }
  });

  it('200 random graphs with random facts (ferries allowed or not, barriers, one-ways), every profile variant', () => {
    const ps = profiles(), off = roadRules(), on = roadRules();
    on.ferry.allow.value = true;
    let crossings = 0;
    for (let seed = 1; seed <= 200; seed++) {
      const g = randomGraph(seed, true, seed % 3 !== 0);
      const r = new Router(g, ps[seed % ps.length], seed % 2 === 0, { roadRules: seed % 4 < 2 ? on : off });
      check(r);
      crossings += r.applied!.closures.ferrySeconds.filter((s, e) => s > 0 && r.seconds[e] < Infinity).length;
    }
    expect(crossings).toBeGreaterThan(20); // ferries taking their crossing time were met
  });
});
