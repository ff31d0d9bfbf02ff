/**
 * The road rules counted on raw OSM: a hand-solved extract, the golden per-rule summary of the real samples
 * (tests/fixtures/road-rules/samples.golden.json; REGEN=1 rewrites it, so a rule change shows up as a reviewed diff),
 * and — once the graphs carry road-rule facts — the same count through ruleClosures on the built graph.
 */
import { describe, expect, it } from 'vitest';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { decodeGraph } from './graph';
import { readOsm } from './osm/read';
import type { OsmData, OsmNode } from './osm/types';
import {
  osmRuleSummary, parseRoadRules, ruleClosures, ruleFacts, RULE_CODES, vehicleById, type OsmRuleSummary, type RoadRules, type Vehicle,
} from './roadRules';

const root = new URL('../../', import.meta.url);
const rulesJson = (): Record<string, any> => JSON.parse(readFileSync(new URL('geodata/profiles/road-rules.json', root), 'utf8'));
const rules = parseRoadRules(rulesJson());
const tender = vehicleById(rules);
const ladder = vehicleById(rules, 'aerial-platform');
/** Metres per degree at the equator (R = 6371 km). */
const M = 111194.93;

describe('ruleFacts', () => {
  it('keeps only the tags the rules read', () => {
    expect(ruleFacts({ highway: 'residential', name: '人民路', ref: 'G1', oneway: 'yes', 'access:forward': 'no', 'maxheight:physical': '3', surface: 'asphalt' }))
      .toEqual({ ref: 'G1', oneway: 'yes', 'access:forward': 'no', 'maxheight:physical': '3' });
    expect(ruleFacts({ highway: 'construction', construction: 'primary' })).toEqual({ highway: 'construction', construction: 'primary' });
    expect(ruleFacts({ barrier: 'bollard', access: 'no' })).toEqual({ access: 'no' });
    expect(ruleFacts({ barrier: 'bollard', access: 'no' }, true)).toEqual({ barrier: 'bollard', access: 'no' });
    expect(ruleFacts({ accessible: 'yes', onewayness: 'x' })).toEqual({});
  });
});

describe('osmRuleSummary on a hand-made extract', () => {
  // Nodes every 0.001° along the equator: each segment is 111.19493 m.
  const L = 0.001 * M / 1000;
  const node = (id: number, i: number, tags?: Record<string, string>): [number, OsmNode] => [id, { id, lon: i * 0.001, lat: 0, ...(tags ? { tags } : {}) }];
  const osm: OsmData = {
    nodes: new Map([node(1, 0), node(2, 1, { barrier: 'bollard' }), node(3, 2), node(4, 3, { barrier: 'gate', access: 'no' }), node(5, 4, { barrier: 'wall' })]),
    ways: [
      { id: 1, nodes: [1, 2], tags: { highway: 'residential', access: 'no' } },
      { id: 2, nodes: [2, 3], tags: { highway: 'service', 'access:forward': 'no', maxheight: '3' } },
      { id: 3, nodes: [3, 4], tags: { highway: 'residential', access: 'private' } },
      { id: 4, nodes: [4, 5], tags: { highway: 'footway', access: 'no' } }, // not drivable: neither it nor its wall count
      { id: 5, nodes: [1, 3, 99], tags: { highway: 'tertiary', maxweight: '10' } }, // node 99 is outside the extract
    ],
    relations: [],
  };
  it('counts each way once when both directions close for the same rule, per direction otherwise', () => {
    const s = osmRuleSummary(osm, rules, tender);
    expect(s.ways).toBe(4);
    expect(s.closedKm.access).toBeCloseTo(2 * L, 6); // way 1 both ways (once) + way 2 forward
    expect(s.closedKm.maxheight).toBeCloseTo(L, 6); // way 2 backward: 3 m < 3.4 m
    expect(s.closedKm.maxweight).toBeCloseTo(2 * L, 6); // way 5: 2 segments, the third node missing
    expect(s.emergencyOnlyKm).toBeCloseTo(L, 6); // way 3: private = emergency-only
    expect(s.blockedNodes).toMatchObject({ barrier: 1, access: 1 });
    expect(s.blockedBarriers).toEqual({ bollard: 1, gate: 1 });
  });
  it('the ladder truck loses what its size and weight exclude', () => {
    const s = osmRuleSummary(osm, rules, ladder);
    expect(s.closedKm.maxheight).toBeCloseTo(L, 6);
    expect(s.closedKm.maxweight).toBeCloseTo(2 * L, 6);
  });
});

const SAMPLES: [string, string][] = [
  ['monaco', 'fallback_monaco_osrm-testdata_2016.osm.pbf'],
  ['andorra', 'andorra_graphhopper-testdata_2013.osm.pbf'],
  ['nanshan', 'shenzhen_nanshan_xili_overpass_2021-03-17.osm'],
  ['shanghai', 'shanghai_center_overpass_2025-08-09.osm'],
];
const readRaw = (file: string): OsmData => readOsm(new Uint8Array(readFileSync(new URL(`geodata/raw/${file}`, root))), file);
const r3 = (x: number) => Math.round(x * 1000) / 1000;
/** Non-zero entries only, km to the metre. */
const digest = (s: OsmRuleSummary) => ({
  ways: s.ways,
  closedKm: Object.fromEntries(RULE_CODES.filter((c) => s.closedKm[c] > 0).map((c) => [c, r3(s.closedKm[c])])),
  emergencyOnlyKm: r3(s.emergencyOnlyKm),
  blockedNodes: Object.fromEntries(RULE_CODES.filter((c) => s.blockedNodes[c] > 0).map((c) => [c, s.blockedNodes[c]])),
  blockedBarriers: Object.fromEntries(Object.entries(s.blockedBarriers).sort(([a], [b]) => a.localeCompare(b))),
});

describe('the samples: road-km and nodes each rule closes', () => {
  const data = SAMPLES.map(([place, file]) => ({ place, osm: readRaw(file) }));
  const goldenPath = new URL('tests/fixtures/road-rules/samples.golden.json', root);

  it('gives a stable summary (golden; REGEN=1 rewrites it)', () => {
    const now = Object.fromEntries(data.map(({ place, osm }) => [place, { [tender.id]: digest(osmRuleSummary(osm, rules, tender)), [ladder.id]: digest(osmRuleSummary(osm, rules, ladder)) }]));
    if (process.env.REGEN === '1') writeFileSync(goldenPath, JSON.stringify(now, null, 1) + '\n');
    expect(existsSync(goldenPath), 'golden file missing: run with REGEN=1 and review it').toBe(true);
    expect(now).toEqual(JSON.parse(readFileSync(goldenPath, 'utf8')));
  });

  it('a ladder truck never has fewer closures than the water tender (it is bigger and heavier in every figure but axle load)', () => {
    for (const { osm } of data) {
      const t = osmRuleSummary(osm, rules, tender), l = osmRuleSummary(osm, rules, ladder);
      for (const c of ['maxheight', 'maxwidth', 'maxlength', 'maxweight'] as const) expect(l.closedKm[c]).toBeGreaterThanOrEqual(t.closedKm[c]);
    }
  });

  // Active once the pipeline stores road-rule facts in graph.bin: the graph count must agree with the way count.
  const withFacts = SAMPLES.map(([place]) => place).filter((place) => {
    const p = new URL(`public/data/${place}/graph.bin`, root);
    if (!existsSync(p)) return false;
    const b = readFileSync(p);
    return !!decodeGraph(b.buffer.slice(b.byteOffset, b.byteOffset + b.byteLength) as ArrayBuffer).edgeFacts?.length;
  });
  it.skipIf(withFacts.length === 0)('ruleClosures on the built graphs agrees with the way-by-way count', () => {
    const check = (place: string, rr: RoadRules, v: Vehicle) => {
      const b = readFileSync(new URL(`public/data/${place}/graph.bin`, root));
      const g = decodeGraph(b.buffer.slice(b.byteOffset, b.byteOffset + b.byteLength) as ArrayBuffer);
      const c = ruleClosures(g, rr, v);
      const s = osmRuleSummary(data.find((d) => d.place === place)!.osm, rr, v);
      // Direction-unknown edges are judged conservatively on the graph, so it may close a little more.
      for (const code of RULE_CODES) {
        expect(c.closedKm[code], `${place} ${code}`).toBeGreaterThanOrEqual(s.closedKm[code] * 0.98 - 0.05);
        expect(c.closedKm[code], `${place} ${code}`).toBeLessThanOrEqual(s.closedKm[code] * 1.02 + 0.05 + (c.directionUnknown ? 1 : 0));
      }
    };
    for (const place of withFacts) { check(place, rules, tender); check(place, rules, ladder); }
  });
});
