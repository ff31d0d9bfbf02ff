import { beforeAll, describe, expect, it } from 'vitest';
import { buildMip, coverageCurve, mergeDemand, modelObjectiveOf, nextStation, parseHighsLog, submodularBound, comparePlan, scoreSites, solveExact, solveHeuristic, writeLp, type CoverageMatrix, type ModelKind, type ModelOptions, type SolveLp } from '../../src/core/optimize/index';
import { handMatrix, randomMatrix, subsets } from '../../src/core/optimize/testMatrix';
import { nodeSolveLp } from '../../src/cli/highsNode';

let solveLp: SolveLp;
beforeAll(async () => { solveLp = await nodeSolveLp(); });

// Chain: c0 reaches d0 (100 s), d1 (200 s); c1 reaches d1 (100 s), d2 (200 s); c2 reaches d2 (100 s), d3 (200 s).
// Weights 1, 2, 3, 4; limit 240 s; penalty for unreached demand 2 × horizon = 480 s.
const chain = () => handMatrix([1, 2, 3, 4], [[[0, 100], [1, 200]], [[1, 100], [2, 200]], [[2, 100], [3, 200]]]);

describe('hand-solved instances', () => {
  it('LSCP: the chain needs c0 and c2 (c1 alone leaves d0 and d3)', async () => {
    const o = { model: 'lscp' as const };
    const h = solveHeuristic(chain(), o), e = await solveExact(chain(), o, solveLp);
    expect(h.objective).toBe(2);
    expect(e.objective).toBe(2);
    expect([...e.open].sort()).toEqual([0, 2]);
    expect(e.score.coveredWeight).toBe(10);
    expect(e.exact?.optimal).toBe(true);
  });

  it('MCLP: k = 1 takes c2 (3 + 4 = 7), k = 2 covers all 10', async () => {
    for (const [k, best] of [[1, 7], [2, 10]]) {
      const h = solveHeuristic(chain(), { model: 'mclp', k }), e = await solveExact(chain(), { model: 'mclp', k }, solveLp);
      expect(h.objective).toBe(best);
      expect(e.objective).toBe(best);
    }
    expect(solveHeuristic(chain(), { model: 'mclp', k: 1 }).picks).toEqual([{ candidate: 2, gain: 7 }]);
  });

  it('p-median k = 1: c2 gives 1·480 + 2·480 + 3·100 + 4·200 = 2540 (c1: 480 + 200 + 600 + 1920 = 3200)', async () => {
    const e = await solveExact(chain(), { model: 'pmedian', k: 1 }, solveLp);
    expect(e.open).toEqual([2]);
    expect(e.objective).toBe(2540);
    expect(e.score.weightedTimeS).toBe(2540);
    expect(solveHeuristic(chain(), { model: 'pmedian', k: 1 }).objective).toBe(2540);
  });

  it('p-center k = 2: {c0, c2} has worst 200 s; k = 3 still 200 s (d1 is 100 s from c1 but d3 stays 200 s)', async () => {
    for (const k of [2, 3]) {
      const e = await solveExact(chain(), { model: 'pcenter', k }, solveLp);
      expect(e.objective).toBe(200);
      expect(solveHeuristic(chain(), { model: 'pcenter', k }).objective).toBe(200);
    }
  });

  it('ties: two identical candidates give the same objective and the lower index wins the greedy', () => {
    const m = handMatrix([5, 5], [[[0, 60]], [[0, 60]], [[1, 60]]]);
    const h = solveHeuristic(m, { model: 'mclp', k: 1 });
    expect(h.objective).toBe(5);
    expect(h.open).toEqual([0]);
    const two = solveHeuristic(m, { model: 'mclp', k: 2 });
    expect(two.objective).toBe(10);
    expect([...two.open].sort()).toEqual([0, 2]);
  });

  it('infeasible demand is reported with its weight, never dropped: LSCP covers the rest', async () => {
    // d2 (weight 7) is 300 s from its only candidate: over the 240 s limit.
    const m = handMatrix([1, 2, 7], [[[0, 10]], [[1, 10], [2, 300]]], { horizonS: 400 });
    const e = await solveExact(m, { model: 'lscp' }, solveLp);
    expect(e.objective).toBe(2);
    expect(e.score.uncoverableWeight).toBe(7);
    expect(e.score.uncoverableCount).toBe(1);
    expect(e.score.coveredWeight).toBe(3);
    expect(e.score.totalWeight).toBe(10);
    expect(solveHeuristic(m, { model: 'lscp' }).score.uncoverableWeight).toBe(7);
  });

  it('all demand already covered by an existing station: LSCP opens nothing, MCLP gains nothing', async () => {
    const m = handMatrix([3, 4], [[[0, 50], [1, 50]], [[0, 10]]], { fixed: [0] });
    expect((await solveExact(m, { model: 'lscp' }, solveLp)).open).toEqual([]);
    expect(solveHeuristic(m, { model: 'lscp' }).open).toEqual([]);
    const mc = await solveExact(m, { model: 'mclp', k: 1 }, solveLp);
    expect(mc.objective).toBe(7);
    expect(mc.score.coveredShare).toBe(1);
  });

  it('backup coverage: weight reached by two stations within the second limit', async () => {
    // second limit 480 s; fixed c0 reaches d0, d1; c1 reaches d1, d2; c2 reaches d0, d2 (k = 1).
    // open c1 → d1 twice (w 5); open c2 → d0 twice (w 2) … so c1: 5; and d2 once either way.
    const m = handMatrix([2, 5, 9], [[[0, 300], [1, 300]], [[1, 400], [2, 100]], [[0, 100], [2, 100]]], { backupLimitS: 480, fixed: [0] });
    const e = await solveExact(m, { model: 'backup', k: 1 }, solveLp);
    expect(e.objective).toBe(5);
    expect(e.open).toEqual([1]);
    expect(solveHeuristic(m, { model: 'backup', k: 1 }).objective).toBe(5);
    // k = 2: c1 + c2 → d0 (c0, c2), d1 (c0, c1), d2 (c1, c2): all 16.
    expect((await solveExact(m, { model: 'backup', k: 2 }, solveLp)).objective).toBe(16);
  });

  it('refuses k < 0, a fractional k, no free candidate and backup without a second limit (zh and en)', () => {
    expect(() => solveHeuristic(chain(), { model: 'mclp', k: -1 })).toThrow(expect.objectContaining({ code: 'bad-k', zh: expect.stringContaining('k') }));
    expect(() => solveHeuristic(chain(), { model: 'mclp', k: 1.5 })).toThrow(expect.objectContaining({ code: 'bad-k' }));
    expect(() => solveHeuristic(handMatrix([1], [[[0, 1]]], { fixed: [0] }), { model: 'lscp' })).toThrow(expect.objectContaining({ code: 'no-candidates' }));
    expect(() => solveHeuristic(chain(), { model: 'backup', k: 1 })).toThrow(expect.objectContaining({ code: 'no-backup-limit' }));
  });

  it('the curve k = 0…3 rises to full coverage and never goes down', () => {
    const c = coverageCurve(chain(), 10);
    expect(c.map((p) => p.coveredWeight)).toEqual([0, 7, 10, 10]);
    expect(c[2].coveredShare).toBe(1);
  });

  it('scores a given plan against the best: c1 alone covers 5 of 10, the best single site 7', () => {
    expect(scoreSites(chain(), [1]).coveredShare).toBe(0.5);
    const c = comparePlan(chain(), [1]);
    expect(c.plan.coveredShare).toBe(0.5);
    expect(c.best.score.coveredShare).toBe(0.7);
    expect(c.best.open).toEqual([2]);
  });
});

describe('greedy next station, warm start, progress and cancel', () => {
  it('next station: c2 first (+7), then c0 (+3, lower index than c1 on the tie)', () => {
    expect(nextStation(chain(), { model: 'mclp' }, [])).toEqual({ candidate: 2, gain: 7 });
    expect(nextStation(chain(), { model: 'mclp' }, [2])).toEqual({ candidate: 0, gain: 3 });
    expect(nextStation(chain(), { model: 'pmedian' }, [2])?.candidate).toBe(0);
  });

  it('an exact solve reports B&B progress in the model’s terms and ends with bound = objective', async () => {
    const m = randomMatrix(21, 30, 200, { sizeM: 6000, horizonS: 480 });
    const seen: number[] = [];
    const e = await solveExact(m, { model: 'mclp', k: 3 }, solveLp, { onProgress: (p) => { if (p.bestSolution !== null) seen.push(p.bestSolution); } });
    expect(e.exact?.optimal).toBe(true);
    expect(e.exact?.bound).toBeCloseTo(e.objective, 6);
    expect(seen.length).toBeGreaterThan(0);
    expect(Math.max(...seen)).toBeCloseTo(e.objective, 6);
  });

  it('a cancel before the first checkpoint returns the starting (greedy) answer, marked not optimal', async () => {
    const m = randomMatrix(21, 30, 200, { sizeM: 6000, horizonS: 480 });
    const o = { model: 'mclp' as const, k: 3 };
    const e = await solveExact(m, o, solveLp, { signal: { aborted: true } });
    expect(e.exact?.status).toMatch(/interrupt/i);
    expect(e.exact?.optimal).toBe(false);
    expect(e.objective).toBeGreaterThanOrEqual(solveHeuristic(m, o).objective - 1e-9);
  });
});

describe('HiGHS log', () => {
  it('reads B&B rows and the final report', () => {
    const row = parseHighsLog(' L       0       0         0   0.00%   209.2521584     204                2.57%      750     15      2        59     3.7s');
    expect(row).toMatchObject({ bestBound: 209.2521584, bestSolution: 204, seconds: 3.7 });
    expect(row?.gap).toBeCloseTo(0.0257, 9);
    expect(parseHighsLog(' J       0       0         0   0.00%   inf             23                 Large        0      0      0         0     0.2s')).toMatchObject({ bestBound: null, bestSolution: 23, gap: null });
    expect(parseHighsLog('  Dual bound        208')).toMatchObject({ bestBound: 208, seconds: null });
    expect(parseHighsLog('Solving report')).toBeNull();
  });
});

/** Brute force over all subsets of ≤ k free sites (LSCP: the fewest sites covering all coverable demand). */
function brute(m: CoverageMatrix, o: ModelOptions): number {
  const all = [...subsets(m, o.model === 'lscp' ? m.candidates.length : o.k!)];
  if (o.model === 'lscp') {
    const need = scoreSites(m, all.reduce((a, b) => (b.length > a.length ? b : a), [])).coveredWeight;
    return Math.min(...all.filter((s) => scoreSites(m, s).coveredWeight >= need - 1e-9).map((s) => s.length));
  }
  const vals = all.map((s) => modelObjectiveOf(m, o, s));
  return o.model === 'mclp' || o.model === 'backup' ? Math.max(...vals) : Math.min(...vals);
}

describe('random small instances (seeded, synthetic)', () => {
  const models: ModelKind[] = ['lscp', 'mclp', 'pmedian', 'pcenter', 'backup'];
  for (let seed = 1; seed <= 6; seed++)
    for (const model of models)
      it(`seed ${seed} ${model}: exact = brute force; greedy + swap never better; merged = unmerged`, async () => {
        const m = randomMatrix(seed, 8, 25, { limitS: 240, backupLimitS: model === 'backup' ? 400 : null, horizonS: 400, fixed: seed % 2 });
        const o: ModelOptions = { model, k: 1 + (seed % 3) };
        const b = brute(m, o);
        const e = await solveExact(m, o, solveLp);
        const h = solveHeuristic(m, o);
        expect(e.objective).toBeCloseTo(b, 6);
        if (model === 'mclp' || model === 'backup') expect(h.objective).toBeLessThanOrEqual(e.objective + 1e-6);
        else expect(h.objective).toBeGreaterThanOrEqual(e.objective - 1e-6);
        // The submodularity bound from the greedy answer and from nothing is a valid bound on the optimum.
        for (const from of [h.open, []]) {
          const sb = submodularBound(m, o, from);
          if (model === 'mclp') expect(sb!).toBeGreaterThanOrEqual(b - 1e-6);
          if (model === 'pmedian') expect(sb!).toBeLessThanOrEqual(b + 1e-6);
        }
        // Merging points the model cannot tell apart changes nothing (times are whole seconds here).
        const mm = mergeDemand(m, model);
        expect(mm.demandCount).toBeLessThanOrEqual(m.demandCount);
        const em = await solveExact(mm, o, solveLp);
        expect(em.objective).toBeCloseTo(b, 6);
        expect(modelObjectiveOf(m, o, em.open)).toBeCloseTo(b, 6);
        // The LP's own objective + offset equals the model's objective.
        expect(writeLp(buildMip(m, o))).toContain(o.model === 'mclp' || o.model === 'backup' ? 'Maximize' : 'Minimize');
      });
});
