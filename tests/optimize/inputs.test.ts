/** Demand and candidates on a generated grid network (synthetic): weights, spacing, exclusions, siting, areas. */
import { describe, expect, it } from 'vitest';
import type { FeatureCollection, Point } from 'geojson';
import { buildGraph } from '../../src/core/buildGraph';
import { randomGrid } from '../../src/core/testGrid';
import { haversineM } from '../../src/core/geo';
import { roadClassName } from '../../src/core/roadClass';
import { parseSitingRules, type PoiProps } from '../../src/core/siting';
import { importedCandidates, importedDemand, roadCandidates, roadDemand, sitingHook, UNSUITABLE_CLASSES } from '../../src/core/optimize/index';
import { readJson } from '../support/place';

const graph = buildGraph(randomGrid(5, 20, 20, { dropRate: 0.1, onewayRate: 0.1, firstClass: 0, classCount: 10, shapePoints: 1 })).graph;

describe('road demand', () => {
  it('a point every ~50 m, each road once, weights adding up to the road length', () => {
    const d = roadDemand(graph);
    const seen = new Set<string>();
    let km = 0;
    for (let u = 0; u < graph.nodeCount; u++)
      for (let e = graph.firstEdge[u]; e < graph.firstEdge[u + 1]; e++) {
        const key = [Math.min(u, graph.target[e]), Math.max(u, graph.target[e]), graph.lengthM[e]].join();
        if (!seen.has(key)) { seen.add(key); km += graph.lengthM[e] / 1000; }
      }
    expect(d.weight.reduce((a, b) => a + b, 0) / 1000).toBeCloseTo(km, 6);
    expect(Math.max(...d.weight)).toBeLessThanOrEqual(75 + 1e-6);
    expect(d.unit).toBe('m');
    const excluded = roadDemand(graph, { isExcluded: (p) => p.lon < 114.005 });
    expect(excluded.weight.length).toBeLessThan(d.weight.length);
    expect(Math.min(...excluded.lon)).toBeGreaterThanOrEqual(114.005);
  });

  it('imported demand refuses a bad weight and a bad coordinate, naming the point', () => {
    expect(() => importedDemand([{ lon: 114, lat: 22, weight: -1 }])).toThrow(expect.objectContaining({ code: 'bad-weight', en: expect.stringContaining('point 1') }));
    expect(() => importedDemand([{ lon: 114, lat: 22, weight: 1 }, { lon: 200, lat: 22, weight: 1 }])).toThrow(expect.objectContaining({ code: 'bad-coordinate', zh: expect.stringContaining('第 2 个') }));
    expect(() => importedCandidates([])).toThrow(expect.objectContaining({ code: 'no-candidates' }));
  });
});

describe('road candidates', () => {
  const cands = roadCandidates(graph, { spacingM: 250 });

  it('keep the spacing, stand on a suitable road, and are the same on every run', () => {
    expect(cands.length).toBeGreaterThan(5);
    for (let a = 0; a < cands.length; a++)
      for (let b = a + 1; b < cands.length; b++) expect(haversineM(cands[a].lon, cands[a].lat, cands[b].lon, cands[b].lat)).toBeGreaterThanOrEqual(249);
    for (const c of cands) {
      let ok = false;
      for (let e = graph.firstEdge[c.node]; e < graph.firstEdge[c.node + 1]; e++) if (!UNSUITABLE_CLASSES.has(roadClassName(graph.roadClass[e]))) ok = true;
      expect(ok).toBe(true);
    }
    expect(roadCandidates(graph, { spacingM: 250 })).toEqual(cands);
  });

  it('leave out excluded places (water …) and keep to drawn areas', () => {
    const west = roadCandidates(graph, { spacingM: 250, isExcluded: (p) => p.lon > 114.01 });
    expect(west.every((c) => c.lon <= 114.01)).toBe(true);
    const box: [number, number][] = [[114.0, 22.5], [114.008, 22.5], [114.008, 22.508], [114.0, 22.508], [114.0, 22.5]];
    const inside = roadCandidates(graph, { spacingM: 100, areas: [box] });
    expect(inside.length).toBeGreaterThan(0);
    expect(inside.every((c) => c.lon >= 114 && c.lon <= 114.008 && c.lat >= 22.5 && c.lat <= 22.508)).toBe(true);
  });

  it('siting (建标152): sites within 300 m of a fuel station are excluded, or kept and flagged', () => {
    const parsed = parseSitingRules(readJson('geodata/standards/siting.json'));
    if (!parsed.ok) throw new Error('siting.json');
    const fuel = [114.01, 22.509];
    const pois: FeatureCollection<Point, PoiProps> = { type: 'FeatureCollection', features: [{ type: 'Feature', properties: { kind: 'fuel', name: '加油站' }, geometry: { type: 'Point', coordinates: fuel } }] };
    const hook = sitingHook(pois, { rules: parsed.rules, coverage: [113.9, 22.4, 114.1, 22.6] });
    const near = (c: { lon: number; lat: number }) => haversineM(c.lon, c.lat, fuel[0], fuel[1]) < 300;
    const all = roadCandidates(graph, { spacingM: 250 });
    expect(all.some(near)).toBe(true);
    const excluded = roadCandidates(graph, { spacingM: 250, siting: hook });
    expect(excluded.some(near)).toBe(false);
    const flagged = roadCandidates(graph, { spacingM: 250, siting: hook, sitingMode: 'flag' });
    expect(flagged.filter(near).every((c) => c.flagged && c.siting === 'fail')).toBe(true);
    expect(flagged.filter((c) => !near(c)).every((c) => !c.flagged)).toBe(true);
    // Without POI data nothing fails: every site is 'no-data', never a pass.
    expect(roadCandidates(graph, { spacingM: 250, siting: sitingHook(null, { rules: parsed.rules }) }).every((c) => c.siting === 'no-data')).toBe(true);
  });
});
