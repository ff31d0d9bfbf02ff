import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { buildGraph } from './buildGraph';
import { parseProfile } from './profile';
import { Router } from './router';
import { closureRows, figuresOf, parseRoadRules, ruleFeatures, vehicleById, withFigures, type RoadRules } from './roadRules';
import type { OsmData, OsmRelation, Tags } from './osm/types';
import { PlannerError } from './errors';

const read = (p: string): Record<string, any> => JSON.parse(readFileSync(new URL(`../../geodata/profiles/${p}`, import.meta.url), 'utf8'));
const rules = parseRoadRules(read('road-rules.json'));
const withRules = (edit: (r: Record<string, any>) => void): RoadRules => { const r = read('road-rules.json'); edit(r); return parseRoadRules(r); };
const profile = parseProfile(read('fire-engine.json'));
/** Residential roads at 20 km/h: 100 m take 18 s. */
const S100 = 18;
const M = 111194.93; // metres per degree on the equator (the graph's haversine)

/** OSM data from node positions in metres east/north of (0°, 0°) (ids 1..n), ways and relations. */
function osm(nodes: Record<number, [number, number, Tags?]>, ways: { id: number; nodes: number[]; tags?: Tags }[], relations: OsmRelation[] = []): OsmData {
  const map = new Map(Object.entries(nodes).map(([id, [x, y, tags]]) => [Number(id), { id: Number(id), lon: x / M, lat: y / M, ...(tags ? { tags } : {}) }]));
  return { nodes: map, ways: ways.map((w) => ({ ...w, tags: { highway: 'residential', ...w.tags } })), relations };
}
const at = (x: number, y: number): [number, number] => [x / M, y / M];

/**
 * A (0,0) → B (100,0) → X (150,0) → C (200,0); detours B → D (100,-100) → E (200,-100) → C (400 m from A) and
 * B → F (100,150) → G (200,150) → C (500 m from A).
 */
function square(opts: { bollard?: boolean; noRightTurn?: boolean }) {
  return osm({
    1: [0, 0], 2: [100, 0], 3: [150, 0, opts.bollard ? { barrier: 'bollard' } : undefined], 4: [200, 0],
    5: [100, -100], 6: [200, -100], 7: [100, 150], 8: [200, 150],
  }, [
    { id: 1, nodes: [1, 2] }, { id: 2, nodes: [2, 3, 4] }, { id: 3, nodes: [2, 5] }, { id: 4, nodes: [5, 6] }, { id: 5, nodes: [6, 4] },
    { id: 6, nodes: [2, 7] }, { id: 7, nodes: [7, 8] }, { id: 8, nodes: [8, 4] },
  ], opts.noRightTurn ? [{
    id: 1, tags: { type: 'restriction', restriction: 'no_right_turn' },
    members: [{ type: 'way', ref: 1, role: 'from' }, { type: 'node', ref: 2, role: 'via' }, { type: 'way', ref: 3, role: 'to' }],
  }] : []);
}

const secondsAtoC = (data: OsmData, r: RoadRules | null = rules): number | null => {
  const router = new Router(buildGraph(data).graph, profile, false, { roadRules: r });
  return router.times(at(0, 0), [at(200, 0)]).results[0].seconds;
};

describe('Router with the road rules', () => {
  it('turn restriction and bollard together: each alone and both give the hand-solved detour', () => {
    expect(secondsAtoC(square({}))).toBeCloseTo(2 * S100, 1); // A-B-X-C, 200 m
    expect(secondsAtoC(square({ noRightTurn: true }))).toBeCloseTo(2 * S100, 1); // straight on is allowed
    expect(secondsAtoC(square({ bollard: true }))).toBeCloseTo(4 * S100, 1); // A-B-D-E-C, 400 m
    expect(secondsAtoC(square({ bollard: true, noRightTurn: true }))).toBeCloseTo(5 * S100, 1); // A-B-F-G-C, 500 m
    // Without the rules (old callers) the bollard is not seen: only the turn restriction counts.
    expect(secondsAtoC(square({ bollard: true, noRightTurn: true }), null)).toBeCloseTo(2 * S100, 1);
  });

  it('the route with both takes the northern detour through F and G', () => {
    const router = new Router(buildGraph(square({ bollard: true, noRightTurn: true })).graph, profile, false, { roadRules: rules });
    const r = router.route([{ id: 'a', lon: 0, lat: 0 }], at(200, 0), 'en');
    const coords = r.route.geometry.coordinates.map(([x, y]) => [Math.round(x * M), Math.round(y * M)]);
    expect(coords).toEqual([[0, 0], [100, 0], [100, 150], [200, 150], [200, 0]]);
    expect(r.travelSeconds).toBeCloseTo(5 * S100, 1);
  });

  it('a height limit closes the road for the ladder truck only; setRoadRules switches the vehicle', () => {
    // A - B - C with B - C under maxheight 3.6: the water tender (3.4 m) passes, the aerial platform (3.9 m) does not.
    const data = osm({ 1: [0, 0], 2: [100, 0], 3: [200, 0] }, [{ id: 1, nodes: [1, 2] }, { id: 2, nodes: [2, 3], tags: { maxheight: '3.6', name: '人民路', 'name:en': 'Renmin Lu' } }]);
    const router = new Router(buildGraph(data).graph, profile, false, { roadRules: rules });
    expect(router.vehicle?.id).toBe('water-tender');
    expect(router.route([{ id: 'a', lon: 0, lat: 0 }], at(200, 0)).travelSeconds).toBeCloseTo(2 * S100, 1);
    router.setRoadRules(rules, 'aerial-platform');
    // times: the destination's road is closed, so it lands on the nearest road the truck may use (B, 100 m away).
    expect(router.times(at(0, 0), [at(200, 0)]).results[0]).toMatchObject({ seconds: S100, snap: { distanceM: 100 } });
    let err: unknown;
    try { router.route([{ id: 'a', lon: 0, lat: 0 }], at(190, 0)); } catch (e) { err = e; }
    expect(err).toBeInstanceOf(PlannerError);
    expect(err).toMatchObject({ code: 'route-closed-by-rule' });
    const e = err as PlannerError;
    expect(e.zh).toContain('路线被 限高 3.6 米 < 车高 3.9 米 阻断（位于 人民路，0.00135,0.00000）');
    expect(e.en).toBe('route blocked by height limit 3.6 m < vehicle height 3.9 m at Renmin Lu (0.00135, 0.00000)');
    expect(() => router.setRoadRules(rules, 'no-such-truck')).toThrow(expect.objectContaining({ code: 'unknown-vehicle' }));
    router.setRoadRules(null);
    expect(router.times(at(0, 0), [at(200, 0)]).results[0].seconds).toBeCloseTo(2 * S100, 1);
  });

  it('a refused route names the blocking node; a route with no way even without the rules stays "unreachable"', () => {
    const data = osm({ 1: [0, 0], 2: [100, 0, { barrier: 'bollard' }], 3: [200, 0], 4: [0, 500], 5: [100, 500] },
      [{ id: 1, nodes: [1, 2, 3] }, { id: 2, nodes: [4, 5] }]);
    const router = new Router(buildGraph(data).graph, profile, false, { roadRules: rules });
    expect(() => router.route([{ id: 'a', lon: 0, lat: 0 }], at(200, 0))).toThrow(expect.objectContaining({
      code: 'route-closed-by-rule', en: 'route blocked by barrier: bollard (barrier=bollard) at (0.00090, 0.00000)', zh: '路线被 路障：隔离桩（barrier=bollard） 阻断（位于 0.00090,0.00000）',
    }));
    expect(() => router.route([{ id: 'a', lon: 0, lat: 0 }], at(100, 500))).toThrow(expect.objectContaining({ code: 'unreachable-disconnected' }));
  });

  it('closures are computed once per (rules, vehicle): setProfile keeps them', () => {
    const router = new Router(buildGraph(square({ bollard: true })).graph, profile, false, { roadRules: rules });
    const c = router.applied?.closures;
    router.setProfile(profile, true);
    expect(router.applied?.closures).toBe(c);
    router.setRoadRules(rules, 'water-tender');
    expect(router.applied?.closures).toBe(c);
    router.setRoadRules(withRules(() => {}), 'water-tender');
    expect(router.applied?.closures).not.toBe(c);
  });
});

describe('ruleFeatures', () => {
  it('a Point per blocking node and one merged LineString per closed stretch of a way', () => {
    const data = osm({ 1: [0, 0], 2: [100, 0, { barrier: 'bollard' }], 3: [200, 0], 4: [300, 0], 5: [400, 0], 6: [500, 0] }, [
      { id: 1, nodes: [1, 2, 3] },
      { id: 2, nodes: [3, 4, 5], tags: { maxweight: '10' } }, // 200 m over 2 segments: one line for the 18 t tender
      { id: 3, nodes: [5, 6], tags: { access: 'no' } },
    ]);
    const router = new Router(buildGraph(data).graph, profile, false, { roadRules: rules });
    const a = router.applied!;
    const fc = ruleFeatures(router.graph, a.closures, a.rules, a.vehicle);
    const rounded = (c: number[]) => c.map((v) => Math.round(v * M));
    const points = fc.features.filter((f) => f.properties.kind === 'barrier');
    const lines = fc.features.filter((f) => f.properties.kind === 'closed');
    expect(points.map((f) => [f.properties.rule, rounded((f.geometry as GeoJSON.Point).coordinates)])).toEqual([['barrier', [100, 0]]]);
    expect(lines.map((f) => ({ ...f.properties, coords: (f.geometry as GeoJSON.LineString).coordinates.map(rounded) }))).toEqual([
      { kind: 'closed', rule: 'maxweight', zh: '限重 10 吨 < 车重 18 吨', en: 'weight limit 10 t < vehicle weight 18 t', lengthM: 200, coords: [[200, 0], [300, 0], [400, 0]] },
      { kind: 'closed', rule: 'access', zh: '禁止通行：access=no', en: 'no access: access=no', lengthM: 100, coords: [[400, 0], [500, 0]] },
    ].map((l) => expect.objectContaining({ ...l, lengthM: expect.closeTo(l.lengthM, 0) })));
    expect(closureRows(a.closures).map((r) => [r.rule, Math.round(r.km * 1000), r.nodes])).toEqual([['access', 100, 0], ['barrier', 0, 1], ['maxweight', 200, 0]]);
  });

  it("a planner's height for the tender: 3.7 m is closed under 3.6 m, 3.6 m passes; same figures keep the closures", () => {
    const data = osm({ 1: [0, 0], 2: [100, 0], 3: [200, 0] }, [{ id: 1, nodes: [1, 2] }, { id: 2, nodes: [2, 3], tags: { maxheight: '3.6' } }]);
    const router = new Router(buildGraph(data).graph, profile, false, { roadRules: rules });
    const tender = vehicleById(rules);
    const to = () => router.times(at(0, 0), [at(200, 0)]).results[0].seconds;
    expect(to()).toBeCloseTo(2 * S100, 1);
    router.setRoadRules(rules, withFigures(tender, { ...figuresOf(tender), heightM: 3.7 }));
    expect(router.vehicle?.heightM.value).toBe(3.7);
    expect(to()).toBeCloseTo(S100, 1); // lands on B, the end of the road it may use
    const c = router.applied?.closures;
    router.setRoadRules(rules, withFigures(tender, { ...figuresOf(tender), heightM: 3.7 }));
    expect(router.applied?.closures).toBe(c);
    router.setRoadRules(rules, withFigures(tender, { ...figuresOf(tender), heightM: 3.6 }));
    expect(to()).toBeCloseTo(2 * S100, 1);
  });
});
