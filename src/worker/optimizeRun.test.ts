import { describe, expect, it } from 'vitest';
import { MessageChannel, type MessagePort } from 'node:worker_threads';
import { expose, type Endpoint } from 'comlink';
import type { FeatureCollection, Polygon } from 'geojson';
import { coveredWeight, greedy, openDemand, rankSet, solveExact, swapImprove, uncoverable, writeLp, type CoverageInstance } from './optimizeRun';
import { highsLoader } from './optimizeHighs';
import { createPlannerApi } from './api';
import { createPlannerClient, isStale, type WorkerLike } from './client';
import { placeGraphBytes, placeJson } from '../../tests/support/place';
import type { OptimizeProgress, OptimizeRequest, OptimizeResult } from './optimizeProtocol';

/** An instance from per-candidate demand lists. */
function inst(weights: number[], reach: number[][], fixed: number[] = []): CoverageInstance {
  const first = [0], items: number[] = [];
  for (const r of reach) { items.push(...r); first.push(items.length); }
  const fixedCount = new Uint32Array(weights.length);
  for (const d of fixed) fixedCount[d]++;
  return { weights: Float64Array.from(weights), candidates: reach.map((_, i) => ({ id: `c${i}`, lon: 114 + i * 0.001, lat: 22.5 })), first: Uint32Array.from(first), items: Uint32Array.from(items), fixedCount };
}

/** Best covered weight over all k-subsets (brute force). */
function bruteBest(x: CoverageInstance, k: number): number {
  const n = x.candidates.length;
  let best = coveredWeight(x, []);
  const pick = (from: number, chosen: number[]) => {
    if (chosen.length === k) { best = Math.max(best, coveredWeight(x, chosen)); return; }
    for (let c = from; c < n; c++) pick(c + 1, [...chosen, c]);
  };
  pick(0, []);
  return best;
}

/** Deterministic pseudo-random numbers (mulberry32). */
function rng(seed: number) {
  let a = seed;
  return () => { a |= 0; a = (a + 0x6d2b79f5) | 0; let t = Math.imul(a ^ (a >>> 15), 1 | a); t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t; return ((t ^ (t >>> 14)) >>> 0) / 4294967296; };
}

const load = highsLoader();

describe('siting run: heuristic, exact and LP on small instances', () => {
  it('hand instance: greedy takes the big site first; swap repairs the greedy trap; exact agrees', async () => {
    // Demand 0..5 weight 1. c0 covers 0-3 (greedy's first pick), c1 covers 0,1,4, c2 covers 2,3,5.
    // k = 2: greedy c0 + c1 (or c2) covers 5; the optimum c1 + c2 covers all 6.
    const x = inst([1, 1, 1, 1, 1, 1], [[0, 1, 2, 3], [0, 1, 4], [2, 3, 5]]);
    const g = greedy(x, 2);
    expect(g.order[0]).toBe(0);
    expect(g.gains).toEqual([4, 1]);
    expect(coveredWeight(x, g.order)).toBe(5);
    const s = swapImprove(x, g.order);
    expect(coveredWeight(x, s)).toBe(6);
    expect(rankSet(x, s).gains).toEqual([3, 3]);
    const ex = await solveExact(x, 'mclp', 2, 10, load);
    expect(ex.exact.status).toBe('optimal');
    expect(ex.exact.objective).toBe(6);
    expect(ex.chosen.sort()).toEqual([1, 2]);
    const lscp = await solveExact(x, 'lscp', 0, 10, load);
    expect(lscp.exact.objective).toBe(2);
  });

  it('fixed stations count as covered; uncoverable demand is reported; identical coverage is merged', () => {
    const x = inst([2, 1, 1, 5], [[0, 1], [1, 2]], [0]);
    expect(coveredWeight(x, [])).toBe(2);
    expect(uncoverable(x)).toBe(5);
    // demand 1 (c0, c1) and 2 (c1) stay open; demand 0 is fixed-covered, demand 3 uncoverable
    expect(openDemand(x)).toEqual([{ weight: 1, cands: [0, 1] }, { weight: 1, cands: [1] }]);
    const lp = writeLp(x, 'mclp', 1);
    expect(lp).toContain('Maximize');
    expect(lp).toMatch(/c0: y0 - x0 - x1 <= 0/);
    expect(lp).toMatch(/k: x0 \+ x1 <= 1/);
    expect(lp.trim().endsWith('End')).toBe(true);
  });

  it('random instances: exact equals brute force and greedy + swap is never better', async () => {
    for (let seed = 1; seed <= 12; seed++) {
      const r = rng(seed);
      const D = 14, C = 7, k = 1 + (seed % 3);
      const reach = Array.from({ length: C }, () => Array.from({ length: D }, (_, d) => d).filter(() => r() < 0.3));
      const x = inst(Array.from({ length: D }, () => Math.round(r() * 9) + 1), reach, r() < 0.5 ? [0, 1] : []);
      const best = bruteBest(x, k);
      const ex = await solveExact(x, 'mclp', k, 10, load);
      expect(ex.exact.status).toBe('optimal');
      expect(ex.exact.objective).toBeCloseTo(best, 6);
      const heur = coveredWeight(x, swapImprove(x, greedy(x, k).order));
      expect(heur).toBeLessThanOrEqual(best + 1e-9);
    }
  });
});

/** An in-process worker behind a MessageChannel. */
function fakeWorker(): WorkerLike {
  const { port1, port2 } = new MessageChannel();
  expose(createPlannerApi(), port1 as unknown as Endpoint);
  return Object.assign(port2 as unknown as WorkerLike, { terminate: () => { (port1 as MessagePort).close(); (port2 as MessagePort).close(); } });
}

const plan = () => (placeJson('nanshan', 'plan.geojson') as FeatureCollection).features.map((f) => f.properties as { id: string; lon: number; lat: number });
const request = (extra: Partial<OptimizeRequest> = {}): OptimizeRequest => ({
  runId: 'r1', placeId: 'nanshan', model: 'mclp', k: 3, minutes: 4, candidates: { kind: 'thinned', spacingM: 400 },
  fixed: [], planned: plan().slice(0, 3), weight: 'length', exactLimitS: 5, writeLp: true, ...extra,
});

describe('siting run in the worker (南山 network)', () => {
  it('MCLP k = 3: ranked sites with gains, a rising curve, the plan compared, exact status and an LP', async () => {
    const api = createPlannerApi();
    await api.loadGraph('nanshan', placeGraphBytes('nanshan'));
    const phases = new Set<string>();
    const res = await api.optimize(request(), (p) => { phases.add(p.phase); });
    expect(res.mode).toBe('network');
    expect([...phases]).toEqual(expect.arrayContaining(['demand', 'matrix', 'heuristic', 'exact']));
    expect(res.sites.map((s) => s.rank)).toEqual([1, 2, 3]);
    for (let i = 1; i < res.sites.length; i++) expect(res.sites[i].gain).toBeLessThanOrEqual(res.sites[i - 1].gain + 1e-9);
    expect(res.demand.unit).toBe('km');
    expect(res.demand.total).toBeGreaterThan(10);
    // the last site's share = (fixed + all gains) / total
    const sum = res.sites.reduce((a, s) => a + s.gain, res.demand.coveredByFixed);
    expect(res.sites[2].shareAfter).toBeCloseTo(sum / res.demand.total, 9);
    expect(res.curve).toHaveLength(11);
    for (let i = 1; i < res.curve.length; i++) expect(res.curve[i].covered).toBeGreaterThanOrEqual(res.curve[i - 1].covered);
    expect(['optimal', 'time-limit']).toContain(res.exact.status);
    // the answer is at least as good as the greedy curve's k = 3 point and the plan's own 3 sites
    expect(res.sites[2].shareAfter).toBeGreaterThanOrEqual(res.curve[3].share - 1e-9);
    expect(res.plan?.count).toBe(3);
    expect(res.plan!.bestShare).toBeGreaterThan(0);
    expect(res.lp).toMatch(/^\\ MCLP/);
  });

  it('without a network: the straight-line estimate on the outline, labelled so; bad k is refused', async () => {
    const api = createPlannerApi();
    const outline = (placeJson('nanshan', 'boundary.geojson') as FeatureCollection).features[0].geometry as Polygon;
    const res = await api.optimize(request({ placeId: 'no-roads', boundary: [outline], straightLine: { speedKmh: 30, curvature: 1.4 }, exactLimitS: 0, writeLp: false, k: 2 }));
    expect(res.mode).toBe('straight-line-estimate');
    expect(res.demand.unit).toBe('points');
    expect(res.sites).toHaveLength(2);
    expect(res.exact.status).toBe('not-run');
    await expect(api.optimize(request({ k: -1 }))).rejects.toMatchObject({ code: 'bad-k' });
    await expect(api.optimize(request({ model: 'pmedian' }))).rejects.toMatchObject({ code: 'model-not-available' });
  });

  it('client: a newer run cancels the stale one in flight; cancelOptimize stops a run', async () => {
    const client = createPlannerClient({ createWorker: fakeWorker });
    await client.loadGraph('nanshan', placeGraphBytes('nanshan'));
    const seen: OptimizeProgress[] = [];
    const first = client.optimize(request({ runId: 'old', exactLimitS: 0, candidates: { kind: 'thinned', spacingM: 100 } }), (p) => seen.push(p));
    await new Promise((r) => setTimeout(r, 30));
    const second = client.optimize(request({ runId: 'new', exactLimitS: 0 }));
    const [a, b] = await Promise.all([first, second]);
    expect(isStale(a)).toBe(true);
    expect(isStale(b)).toBe(false);
    expect((b as OptimizeResult).runId).toBe('new');
    const third = client.optimize(request({ runId: 'x', exactLimitS: 0, candidates: { kind: 'thinned', spacingM: 100 } }));
    client.cancelOptimize();
    expect(isStale(await third)).toBe(true);
    client.terminate();
  });
});
