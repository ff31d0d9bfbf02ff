/**
 * Review of #12: `planner optimize` p-median / p-center solve on demand merged to whole seconds; the objectives it
 * prints (answer, greedy, greedy-to-exact gap) are those of the exact travel times on the unmerged matrix.
 */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { run } from '../../src/cli/cmd-optimize';

let out = '';
beforeEach(() => { out = ''; vi.spyOn(process.stdout, 'write').mockImplementation((s) => { out += String(s); return true; }); });
afterEach(() => vi.restoreAllMocks());

describe('planner optimize: objectives on exact times (清溪镇)', () => {
  it('p-median: objective = Σ weight × exact seconds (weightedTimeS), greedy objective too; not the whole-second sum', async () => {
    expect(await run(['--place', 'qingxi', '--model', 'pmedian', '--k', '2', '--spacing', '2000', '--json'])).toBe(0);
    const r = JSON.parse(out);
    expect(r.objective).toBe(r.weightedTimeS);
    expect(r.greedy.objective).toBe(r.weightedTimeS); // no exact run: the answer is the greedy one
    expect(Number.isInteger(r.objective)).toBe(false);
  }, 60_000);

  it('p-center with --exact: objective, greedy objective and their gap from exact times', async () => {
    expect(await run(['--place', 'qingxi', '--model', 'pcenter', '--k', '3', '--spacing', '2000', '--minutes', '8', '--exact', '--time-limit', '20', '--json'])).toBe(0);
    const r = JSON.parse(out);
    expect(r.exact.status).toBeDefined();
    // every reachable point is reached by the answer here: the worst time is the objective, in exact seconds
    expect(r.notReached).toBeUndefined();
    expect(r.objective).toBe(r.worstTimeS);
    expect(Number.isInteger(r.objective)).toBe(false);
    expect(r.method).toBe('exact');
    expect(r.greedyGap).toBeCloseTo(Math.abs(r.greedy.objective - r.objective) / r.objective, 12);
  }, 120_000);
});
