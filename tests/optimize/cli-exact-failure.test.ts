/**
 * `planner optimize --exact` when the exact run fails (review of #12): the heuristic answer is kept and printed with
 * the exact run's status, exit 0. The solver is replaced here by one that reports "Time limit reached" without a
 * solution (what HiGHS does on Monaco p-median k = 2 in 5 s) or throws highs.js's WebAssembly abort.
 * Also: p-center never prints its penalty as a travel time.
 */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { LpResult } from '../../src/core/optimize/types';
import { handMatrix } from '../../src/core/optimize/testMatrix';

const mode = vi.hoisted(() => ({ current: 'time-limit' as 'time-limit' | 'abort' }));
vi.mock('../../src/cli/highsNode', () => ({
  nodeSolveLp: async () => async (): Promise<LpResult> => {
    if (mode.current === 'abort') throw new WebAssembly.RuntimeError('Aborted()');
    return { status: 'Time limit reached', objective: null, columns: {}, log: ['no feasible solution found'] };
  },
}));
const { run, notReachedBy } = await import('../../src/cli/cmd-optimize');

let out = '', err = '';
beforeEach(() => {
  out = ''; err = '';
  vi.spyOn(process.stdout, 'write').mockImplementation((s) => { out += String(s); return true; });
  vi.spyOn(process.stderr, 'write').mockImplementation((s) => { err += String(s); return true; });
});
afterEach(() => vi.restoreAllMocks());

const args = ['--place', 'qingxi', '--model', 'pmedian', '--k', '2', '--spacing', '2000', '--exact', '--time-limit', '5'];

describe('planner optimize --exact failure keeps the heuristic answer', () => {
  it('no feasible solution in time: exit 0, the greedy sites, exact {status: failed, code solver-failed}', async () => {
    mode.current = 'time-limit';
    expect(await run([...args, '--json', '--lang', 'en'])).toBe(0);
    expect(err).toBe('');
    const r = JSON.parse(out);
    expect(r.method).toBe('greedy+swap');
    expect(r.sites).toHaveLength(2);
    expect(r.sites.map((s: { id: string }) => s.id)).toEqual(r.greedy.sites);
    expect(r.exact).toMatchObject({ status: 'failed', code: 'solver-failed' });
    expect(r.exact.message).toMatch(/no feasible solution \(status: Time limit reached\)/);
    out = '';
    expect(await run(args)).toBe(0);
    expect(out).toMatch(/方法：greedy\+swap\n/);
    expect(out).toMatch(/精确求解未完成 \[solver-failed\]：求解器未给出可行解（状态：Time limit reached）；以上为启发式结果/);
  });

  it('a WebAssembly abort ("RuntimeError: Aborted()") becomes solver-aborted, not an internal error', async () => {
    mode.current = 'abort';
    expect(await run([...args, '--json'])).toBe(0);
    const r = JSON.parse(out);
    expect(r.sites).toHaveLength(2);
    expect(r.exact).toMatchObject({ status: 'failed', code: 'solver-aborted', message: '精确求解器异常中止（模型可能过大）', detail: 'Aborted()' });
    out = '';
    expect(await run([...args, '--lang', 'en'])).toBe(0);
    expect(out).toMatch(/exact run did not finish \[solver-aborted\]: the exact solver aborted/);
    expect(out).not.toMatch(/internal/);
  });
});

describe('p-center: the penalty is not a travel time', () => {
  it('notReachedBy counts reachable demand the chosen sites miss within the horizon', () => {
    // rows are candidates: c0 reaches demand 1, c1 demands 0 and 1, c2 demand 3 (weight 0); demand 2 nobody (left out)
    const m = handMatrix([1, 2, 3, 0], [[[1, 100]], [[0, 300], [1, 50]], [[3, 10]]], { limitS: 240, horizonS: 480 });
    expect(notReachedBy(m, [0])).toEqual({ withinS: 480, points: 1, weight: 1 });
    expect(notReachedBy(m, [2])).toEqual({ withinS: 480, points: 2, weight: 3 });
    expect(notReachedBy(m, [1])).toBeNull();
    // a fixed station counts as open
    const f = handMatrix([1, 2, 3, 0], [[[1, 100]], [[0, 300], [1, 50]], [[3, 10]]], { limitS: 240, horizonS: 480, fixed: [1] });
    expect(notReachedBy(f, [])).toBeNull();
  });

  it('清溪镇 p-center k = 1: "not reached within 8:00 (n points)", no 960 s, worstTimeS null in JSON', async () => {
    const a = ['--place', 'qingxi', '--model', 'pcenter', '--k', '1', '--spacing', '2000'];
    expect(await run([...a, '--lang', 'en'])).toBe(0);
    expect(out).toMatch(/worst travel time: not reached within 8:00 \(\d+ points\)/);
    expect(out).not.toMatch(/960/);
    out = '';
    expect(await run(a)).toBe(0);
    expect(out).toMatch(/最差行车时间：8:00 内无法到达（\d+ 个需求点）/);
    out = '';
    expect(await run([...a, '--json'])).toBe(0);
    const r = JSON.parse(out);
    expect(r.worstTimeS).toBeNull();
    expect(r.notReached.withinS).toBe(480);
    expect(r.notReached.points).toBeGreaterThan(0);
  });
});
