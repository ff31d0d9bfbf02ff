import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { buildGraph } from './buildGraph';
import { decodeGraph, encodeGraph } from './graph';
import { parseProfile } from './profile';
import { FERRY_CLASS, ROAD_CLASSES, roadClassCode } from './roadClass';
import { Router } from './router';
import { parseRoadRules } from './roadRules';
import type { OsmData, Tags } from './osm/types';

const read = (p: string): Record<string, any> => JSON.parse(readFileSync(new URL(`../../geodata/profiles/${p}`, import.meta.url), 'utf8'));
const rules = parseRoadRules(read('road-rules.json'));
const ferryRules = (() => { const r = read('road-rules.json'); r.ferry.allow.value = true; return parseRoadRules(r); })();
const profile = parseProfile(read('fire-engine.json'));
const M = 111194.93;
const at = (x: number, y: number): [number, number] => [x / M, y / M];

function osm(nodes: [number, number][], ways: { nodes: number[]; tags: Tags }[]): OsmData {
  return {
    nodes: new Map(nodes.map(([x, y], i) => [i + 1, { id: i + 1, lon: x / M, lat: y / M }])),
    ways: ways.map((w, i) => ({ id: i + 1, ...w })), relations: [],
  };
}

describe('street names: name first, ref only as a reference', () => {
  const data = osm([[0, 0], [300, 0], [300, 300], [600, 300]], [
    { nodes: [1, 2], tags: { highway: 'primary', name: '深南大道', 'name:en': 'Shennan Boulevard', ref: 'G107' } },
    { nodes: [2, 3], tags: { highway: 'primary', ref: 'S113;S356' } },
    { nodes: [3, 4], tags: { highway: 'primary', name: '科苑路' } },
  ]);
  const { graph } = buildGraph(data);

  it('the graph keeps the name as the name and the ref beside it', () => {
    expect(graph.names).toEqual({ zh: ['', '深南大道', '', '科苑路'], en: ['', 'Shennan Boulevard', '', ''], ref: ['', 'G107', 'S113 / S356', ''] });
  });

  it('route steps carry the ref and the instructions show it as a reference', () => {
    const router = new Router(graph, profile, false, { roadRules: rules });
    const zh = router.route([{ id: 's', lon: 0, lat: 0 }], at(600, 300), 'zh-Hans');
    expect(zh.route.legs[0].steps.map((s) => [s.name, s.ref ?? ''])).toEqual([['深南大道', 'G107'], ['', 'S113 / S356'], ['科苑路', ''], ['科苑路', '']]);
    expect(zh.steps[0].text).toContain('深南大道（G107）');
    expect(zh.steps[1].text).toContain('S113 / S356');
    const en = router.route([{ id: 's', lon: 0, lat: 0 }], at(600, 300), 'en');
    expect(en.steps[0].text).toContain('Shennan Boulevard (G107)');
    expect(router.summary(router.snap(...at(150, 5)), 'zh-Hans').roadName).toBe('深南大道（G107）');
    expect(router.summary(router.snap(...at(305, 150)), 'en').roadName).toBe('S113 / S356');
  });

  it('an older graph without refs decodes with empty refs', () => {
    const { zh, en } = graph.names;
    const old = decodeGraph(encodeGraph({ ...graph, names: { zh, en } }));
    expect(old.names.ref).toEqual(['', '', '', '']);
    expect(() => decodeGraph(encodeGraph({ ...graph, names: { zh, en, ref: ['x'] } }))).toThrow(expect.objectContaining({ code: 'bad-graph' }));
  });
});

describe('ferries', () => {
  it("route=ferry ways become 'ferry' edges (class codes of roads unchanged); closed by default, their duration when allowed", () => {
    expect(ROAD_CLASSES.indexOf('tertiary_link')).toBe(14);
    expect(roadClassCode('residential')).toBe(6);
    expect(FERRY_CLASS).toBe(15);
    expect(roadClassCode('ferry')).toBe(-1); // not a highway value
    // Road 0–100 m, ferry 100–1100 m (duration 10 min), road 1100–1200 m; a car-free ferry in parallel is left out.
    const data = osm([[0, 0], [100, 0], [1100, 0], [1200, 0], [100, 50], [1100, 50]], [
      { nodes: [1, 2], tags: { highway: 'residential' } },
      { nodes: [2, 3], tags: { route: 'ferry', duration: '00:10', name: '渡口' } },
      { nodes: [3, 4], tags: { highway: 'residential' } },
      { nodes: [5, 6], tags: { route: 'ferry', motor_vehicle: 'no' } },
    ]);
    const { graph } = buildGraph(data);
    expect(graph.nodeCount).toBe(4);
    expect([...graph.roadClass].filter((c) => c === FERRY_CLASS)).toHaveLength(2);
    const seconds = (r: typeof rules | null) => new Router(graph, profile, false, { roadRules: r }).times(at(0, 0), [at(1200, 0)]).results[0];
    // Ferries off (default rules) or no rules at all: the far side cannot be reached.
    expect(seconds(rules).seconds).toBeNull();
    expect(seconds(null).seconds).toBeNull();
    // Allowed: 100 m + 600 s + 100 m at 20 km/h.
    expect(seconds(ferryRules).seconds).toBeCloseTo(18 + 600 + 18, 1);
    const off = new Router(graph, profile, false, { roadRules: rules });
    expect(() => off.route([{ id: 's', lon: 0, lat: 0 }], at(1200, 0), 'en')).toThrow(expect.objectContaining({ code: 'route-closed-by-rule', en: expect.stringContaining('ferry (ferries are off in the rules) at 渡口') }));
  });
});
