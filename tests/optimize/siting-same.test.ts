/**
 * Review of #12: the siting checklist in 'exclude' mode is applied by one core function (sitedRoadCandidates) for the
 * app's worker and `planner optimize`: failing nodes are dropped first, then the rest thinned. Thinning first (the
 * app did) let a failing node take a spot and then lose it, leaving a hole a passing neighbour could have filled.
 */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { FeatureCollection, Point } from 'geojson';
import { buildGraph } from '../../src/core/buildGraph';
import { randomGrid } from '../../src/core/testGrid';
import { haversineM } from '../../src/core/geo';
import { parseSitingRules, type PoiProps } from '../../src/core/siting';
import { roadCandidates, sitedRoadCandidates, sitingHook } from '../../src/core/optimize/index';
import { buildInstance } from '../../src/worker/optimizeRun';
import { run } from '../../src/cli/cmd-optimize';
import type { OptimizeRequest } from '../../src/worker/optimizeProtocol';
import { placeJson, placeRouter, readJson } from '../support/place';

const rules = () => {
  const parsed = parseSitingRules(readJson('geodata/standards/siting.json'));
  if (!parsed.ok) throw new Error('siting.json');
  return parsed.rules;
};

describe('sitedRoadCandidates: drop failing nodes, then thin', () => {
  // Synthetic grid (generated): one fuel station; nodes within 300 m of it fail.
  const graph = buildGraph(randomGrid(5, 20, 20, { dropRate: 0.1, onewayRate: 0.1, firstClass: 0, classCount: 10, shapePoints: 1 })).graph;
  const fuel = [114.01, 22.509];
  const pois: FeatureCollection<Point, PoiProps> = { type: 'FeatureCollection', features: [{ type: 'Feature', properties: { kind: 'fuel', name: '加油站' }, geometry: { type: 'Point', coordinates: fuel } }] };
  const hook = sitingHook(pois, { rules: rules(), coverage: [113.9, 22.4, 114.1, 22.6] });
  const near = (c: { lon: number; lat: number }) => haversineM(c.lon, c.lat, fuel[0], fuel[1]) < 300;

  it('exclude keeps passing nodes that thinning-first would have lost next to failing ones; counts what flag shows', () => {
    const spacingM = 250;
    const ex = sitedRoadCandidates(graph, { spacingM, siting: hook, sitingMode: 'exclude' });
    const flag = sitedRoadCandidates(graph, { spacingM, siting: hook, sitingMode: 'flag' });
    const thinFirst = flag.candidates.filter((c) => !c.flagged);
    expect(ex.candidates.some(near)).toBe(false);
    expect(ex.excluded).toBe(flag.candidates.filter((c) => c.flagged).length);
    expect(ex.excluded).toBeGreaterThan(0);
    expect(flag.excluded).toBe(0);
    // Passing nodes within the spacing of a failing site that thinning-first chose: here only when dropped first.
    const gained = ex.candidates.filter((c) => !thinFirst.some((t) => t.id === c.id));
    expect(gained.length).toBeGreaterThan(0);
    expect(ex.candidates.length).toBeGreaterThan(thinFirst.length);
    // Each candidate still keeps the spacing, and is what roadCandidates gives in exclude mode.
    for (let a = 0; a < ex.candidates.length; a++)
      for (let b = a + 1; b < ex.candidates.length; b++)
        expect(haversineM(ex.candidates[a].lon, ex.candidates[a].lat, ex.candidates[b].lon, ex.candidates[b].lat)).toBeGreaterThan(spacingM * 0.99);
    expect(ex.candidates.map((c) => c.id)).toEqual(roadCandidates(graph, { spacingM, siting: hook }).map((c) => c.id));
  });

  it('runs the checklist once per node', () => {
    let calls = 0;
    const counting = (p: { lon: number; lat: number }) => { calls++; return hook(p); };
    sitedRoadCandidates(graph, { spacingM: 250, siting: counting });
    const nodes = graph.nodeCount;
    expect(calls).toBeGreaterThan(0);
    expect(calls).toBeLessThanOrEqual(nodes);
  });
});

describe('the app and the command line give the same candidates (Monaco, 建标152 exclude)', () => {
  let out = '';
  beforeEach(() => { out = ''; vi.spyOn(process.stdout, 'write').mockImplementation((s) => { out += String(s); return true; }); });
  afterEach(() => vi.restoreAllMocks());

  it('same count of new candidates and of excluded ones; the CLI answer stands among the worker candidates', async () => {
    expect(await run(['--place', 'monaco', '--model', 'mclp', '--k', '2', '--siting', 'exclude', '--spacing', '200', '--fixed', 'all', '--json'])).toBe(0);
    const cli = JSON.parse(out);
    const meta = placeJson('monaco', 'place.json') as { bbox: [number, number, number, number] };
    const req: OptimizeRequest = {
      runId: 'r', placeId: 'monaco', model: 'mclp', k: 2, minutes: 4, candidates: { kind: 'thinned', spacingM: 200 }, fixed: [], planned: [], weight: 'length', exactLimitS: 0,
      siting: { mode: 'exclude', rules: rules(), pois: placeJson('monaco', 'pois.geojson') as FeatureCollection<Point, PoiProps>, coverage: meta.bbox },
    };
    const inst = await buildInstance(req, placeRouter('monaco'));
    const news = inst.matrix.candidates.filter((c) => c.kind === 'new');
    expect(cli.candidates.excludedBySiting).toBeGreaterThan(0);
    expect(news.length).toBe(cli.candidates.new);
    expect(inst.excludedBySiting).toBe(cli.candidates.excludedBySiting);
    const ids = new Set(news.map((c) => c.id));
    for (const s of cli.sites) expect(ids.has(s.id)).toBe(true);
  }, 120_000);
});
