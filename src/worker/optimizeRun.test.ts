import { describe, expect, it } from 'vitest';
import { MessageChannel, type MessagePort } from 'node:worker_threads';
import { expose, type Endpoint } from 'comlink';
import type { FeatureCollection, Point, Polygon } from 'geojson';
import { haversineM } from '../core/geo';
import { parseSitingRules, type PoiProps } from '../core/siting';
import { readJson } from '../../tests/support/place';
import { area, booleanPointInPolygon } from '@turf/turf';
import { networkMatrix, roadCandidates, roadDemand, stationCandidates } from '../core/optimize';
import { decodeGraph } from '../core/graph';
import { Router } from '../core/router';
import { buildInstance, joinRows } from './optimizeRun';
import { createPlannerApi, defaultProfile } from './api';
import { createPlannerClient, isStale, type WorkerLike } from './client';
import { nodeSolveLp } from '../cli/highsNode';
import { placeGraphBytes, placeJson } from '../../tests/support/place';
import type { OptimizeModel, OptimizeProgress, OptimizeRequest, OptimizeResult } from './optimizeProtocol';

const plan = () => (placeJson('nanshan', 'plan.geojson') as FeatureCollection).features.map((f) => f.properties as { id: string; lon: number; lat: number });
const request = (extra: Partial<OptimizeRequest> = {}): OptimizeRequest => ({
  runId: 'r1', placeId: 'nanshan', model: 'mclp', k: 3, minutes: 4, candidates: { kind: 'thinned', spacingM: 400 },
  fixed: [], planned: plan().slice(0, 3), weight: 'length', exactLimitS: 5, writeLp: true, ...extra,
});
const api = () => createPlannerApi({ solveLp: nodeSolveLp });
const sitingRules = () => parseSitingRules(readJson('geodata/standards/siting.json'));

describe('siting run: the matrix in batches', () => {
  it('joining per-batch matrices gives the same rows as one matrix over all candidates (南山)', async () => {
    const router = new Router(decodeGraph(placeGraphBytes('nanshan')), defaultProfile());
    const demand = roadDemand(router.graph, { spacingM: 50, seconds: router.seconds });
    const cands = [...stationCandidates(plan().slice(0, 2)), ...roadCandidates(router.graph, { spacingM: 600, seconds: router.seconds, usable: router.mainNetwork })];
    const lim = { limitS: 240 };
    const whole = networkMatrix(router, demand, cands, lim);
    const joined = joinRows([networkMatrix(router, demand, cands.slice(0, 7), lim), networkMatrix(router, demand, cands.slice(7), lim)]);
    expect(joined.candidates.map((c) => c.id)).toEqual(whole.candidates.map((c) => c.id));
    expect(Array.from(joined.first)).toEqual(Array.from(whole.first));
    expect(Array.from(joined.dem)).toEqual(Array.from(whole.dem));
    expect(Array.from(joined.time)).toEqual(Array.from(whole.time));
    // and the run's own instance (batches of 25, progress between them) has every candidate: fixed, plan, new
    const seen: OptimizeProgress[] = [];
    const inst = await buildInstance(request({ candidates: { kind: 'thinned', spacingM: 600 }, fixed: plan().slice(0, 2), planned: plan().slice(2, 3) }), router, (p) => { seen.push(p); });
    expect(inst.matrix.candidates.slice(0, 3).map((c) => [c.id, c.fixed])).toEqual([[plan()[0].id, true], [plan()[1].id, true], [plan()[2].id, false]]);
    expect(inst.planned).toEqual([2]);
    expect(seen.filter((p) => p.phase === 'matrix').at(-1)).toMatchObject({ done: inst.matrix.candidates.length, total: inst.matrix.candidates.length });
  });
});

describe('siting run: the 建标152 checklist on candidates', () => {
  it('exclude drops every road candidate within 300 m of a fuel station or 50 m of a school / mall (brute force); flag keeps them marked', async () => {
    const router = new Router(decodeGraph(placeGraphBytes('nanshan')), defaultProfile());
    const pois = placeJson('nanshan', 'pois.geojson') as FeatureCollection<Point, PoiProps>;
    const rules = sitingRules();
    if (!rules.ok) throw new Error('siting rules');
    const spec = (mode: 'exclude' | 'flag') => request({ fixed: [], planned: [], candidates: { kind: 'thinned', spacingM: 200 }, siting: { mode, rules: rules.rules, pois } });
    const ex = await buildInstance(spec('exclude'), router);
    const fl = await buildInstance(spec('flag'), router);
    const limit: Record<string, number> = { fuel: 300, school: 50, kindergarten: 50, mall: 50 };
    const tooClose = (c: { lon: number; lat: number }) => pois.features.some((f) => haversineM(c.lon, c.lat, f.geometry.coordinates[0], f.geometry.coordinates[1]) < limit[f.properties.kind]);
    expect(ex.excludedBySiting).toBeGreaterThan(0);
    expect(ex.matrix.candidates.some(tooClose)).toBe(false);
    const flagged = fl.matrix.candidates.filter((c) => c.flagged);
    expect(flagged.length).toBe(ex.excludedBySiting);
    expect(flagged.every((c) => c.siting === 'fail' && tooClose(c))).toBe(true);
    expect(fl.matrix.candidates.filter((c) => !c.flagged).every((c) => !tooClose(c))).toBe(true);
  });
});

describe('siting run: candidates only inside chosen areas', () => {
  it('every new candidate lies inside the chosen district (turf), and there are fewer than everywhere', async () => {
    const router = new Router(decodeGraph(placeGraphBytes('nanshan')), defaultProfile());
    const d1 = (placeJson('nanshan', 'districts.geojson') as FeatureCollection).features[0].geometry as Polygon;
    const inside = await buildInstance(request({ fixed: [], planned: [], candidates: { kind: 'areas', spacingM: 200, areas: [d1] } }), router);
    const all = await buildInstance(request({ fixed: [], planned: [], candidates: { kind: 'thinned', spacingM: 200 } }), router);
    expect(inside.matrix.candidates.length).toBeGreaterThan(5);
    expect(inside.matrix.candidates.length).toBeLessThan(all.matrix.candidates.length);
    expect(inside.matrix.candidates.every((c) => booleanPointInPolygon([c.lon, c.lat], d1))).toBe(true);
    await expect(api().optimize(request({ candidates: { kind: 'areas', spacingM: 200, areas: [] } }))).rejects.toMatchObject({ code: 'no-candidates' });
  });
});

describe('siting run in the worker (南山 network)', () => {
  it('MCLP k = 3: ranked sites with km gains, a rising curve, the plan compared, exact status and the LP', async () => {
    const a = api();
    await a.loadGraph('nanshan', placeGraphBytes('nanshan'));
    const phases = new Set<string>();
    const res = await a.optimize(request(), (p) => { phases.add(p.phase); });
    expect(res.mode).toBe('network');
    expect([...phases]).toEqual(expect.arrayContaining(['demand', 'matrix', 'heuristic', 'exact']));
    expect(res.sites.map((s) => s.rank)).toEqual([1, 2, 3]);
    for (let i = 1; i < res.sites.length; i++) expect(res.sites[i].gain).toBeLessThanOrEqual(res.sites[i - 1].gain + 1e-9);
    expect(res.demand.unit).toBe('km');
    // 南山's graph holds 247 km of road; the demand (every road once) is about that
    expect(res.demand.total).toBeGreaterThan(200);
    expect(res.demand.total).toBeLessThan(260);
    const sum = res.sites.reduce((s, x) => s + x.gain, res.demand.coveredByFixed);
    expect(res.sites[2].shareAfter).toBeCloseTo(sum / res.demand.total, 9);
    expect(res.curve).toHaveLength(11);
    for (let i = 1; i < res.curve.length; i++) expect(res.curve[i].share).toBeGreaterThanOrEqual(res.curve[i - 1].share - 1e-12);
    expect(['optimal', 'time-limit']).toContain(res.exact.status);
    // the answer is at least as good as the curve's k = 3 point (greedy + swap) and the plan's own 3 sites
    expect(res.sites[2].shareAfter).toBeGreaterThanOrEqual(res.curve[3].share - 1e-9);
    expect(res.plan?.count).toBe(3);
    expect(res.plan!.bestShare).toBeGreaterThanOrEqual(res.plan!.share);
    if (res.exact.status === 'optimal') expect(res.exact.objective).toBeCloseTo(res.sites[2].shareAfter * res.demand.total, 3);
    expect(res.lp).toMatch(/Maximize[\s\S]*Subject To[\s\S]*Binaries[\s\S]*End/);
  });

  it('every model answers (LSCP, p-median, p-center, backup); a bad k and a bad backup limit are refused', async () => {
    const a = api();
    await a.loadGraph('nanshan', placeGraphBytes('nanshan'));
    const run = (model: OptimizeModel, extra: Partial<OptimizeRequest> = {}) => a.optimize(request({ model, k: 2, exactLimitS: 0, writeLp: false, candidates: { kind: 'thinned', spacingM: 500 }, ...extra }));
    const lscp = await run('lscp');
    // LSCP covers all coverable demand: the last site's share = 1 − uncoverable share
    expect(lscp.sites.at(-1)!.shareAfter).toBeCloseTo(1 - lscp.demand.uncoverable / lscp.demand.total, 6);
    for (const m of ['pmedian', 'pcenter'] as const) expect((await run(m)).sites).toHaveLength(2);
    expect((await run('backup', { backupMinutes: 8 })).sites.length).toBeLessThanOrEqual(2);
    await expect(run('mclp', { k: -1 })).rejects.toMatchObject({ code: 'bad-k' });
    await expect(run('backup', { backupMinutes: 3 })).rejects.toMatchObject({ code: 'bad-minutes' });
    await expect(run('mclp', { candidates: { kind: 'list', points: [] } })).rejects.toMatchObject({ code: 'no-candidates' });
  });

  it('imported demand with weights and an imported candidate list: the heavy point decides', async () => {
    const a = api();
    await a.loadGraph('nanshan', placeGraphBytes('nanshan'));
    const [p1, p2] = plan();
    const res = await a.optimize(request({
      k: 1, fixed: [], planned: [], exactLimitS: 0, writeLp: false,
      candidates: { kind: 'list', points: [{ id: 'b', lon: p2.lon, lat: p2.lat }, { id: 'a', lon: p1.lon, lat: p1.lat }] },
      demandPoints: [{ lon: p1.lon + 0.0003, lat: p1.lat, weight: 10 }, { lon: p2.lon + 0.0003, lat: p2.lat, weight: 1 }],
    }));
    expect(res.demand).toMatchObject({ unit: 'weight', total: 11, points: 2 });
    expect(res.sites.map((x) => x.candidateId)).toEqual(['a']);
    expect(res.sites[0].gain).toBeGreaterThanOrEqual(10);
  });

  it('without a network: the straight-line estimate on the outline, labelled so', async () => {
    const outline = (placeJson('nanshan', 'boundary.geojson') as FeatureCollection).features[0].geometry as Polygon;
    const res = await api().optimize(request({ placeId: 'no-roads', boundary: [outline], straightLine: { speedKmh: 30, curvature: 1.4 }, exactLimitS: 0, writeLp: false, k: 2 }));
    expect(res.mode).toBe('straight-line-estimate');
    expect(res.demand.unit).toBe('km2');
    // the grid's cells (200 m × 200 m each) add up to about the outline's area
    const outlineKm2 = area(outline) / 1e6;
    expect(Math.abs(res.demand.total - outlineKm2) / outlineKm2).toBeLessThan(0.1);
    expect(res.sites).toHaveLength(2);
    expect(res.exact.status).toBe('not-run');
  });
});

/** An in-process worker behind a MessageChannel. */
function fakeWorker(): WorkerLike {
  const { port1, port2 } = new MessageChannel();
  expose(api(), port1 as unknown as Endpoint);
  return Object.assign(port2 as unknown as WorkerLike, { terminate: () => { (port1 as MessagePort).close(); (port2 as MessagePort).close(); } });
}

describe('siting run through the client', () => {
  it('a newer run cancels the stale one in flight; cancelOptimize stops a run', async () => {
    const client = createPlannerClient({ createWorker: fakeWorker });
    await client.loadGraph('nanshan', placeGraphBytes('nanshan'));
    const seen: OptimizeProgress[] = [];
    const first = client.optimize(request({ runId: 'old', exactLimitS: 0, candidates: { kind: 'thinned', spacingM: 100 } }), (p) => seen.push(p));
    await new Promise((r) => setTimeout(r, 50));
    const second = client.optimize(request({ runId: 'new', exactLimitS: 0 }));
    const [x, y] = await Promise.all([first, second]);
    expect(isStale(x)).toBe(true);
    expect(isStale(y)).toBe(false);
    expect((y as OptimizeResult).runId).toBe('new');
    const third = client.optimize(request({ runId: 'x', exactLimitS: 0, candidates: { kind: 'thinned', spacingM: 100 } }));
    await new Promise((r) => setTimeout(r, 50));
    client.cancelOptimize();
    expect(isStale(await third)).toBe(true);
    client.terminate();
  });
});
