/** Review of #12: the core refuses a backup model whose second limit is shorter than the first (CLI and worker did). */
import { describe, expect, it } from 'vitest';
import { buildMip, mipSize, solveExact, solveHeuristic, validateModel, type SolveLp } from '../../src/core/optimize/index';
import { handMatrix } from '../../src/core/optimize/testMatrix';
import { PlannerError } from '../../src/core/errors';

// c0 reaches d0 in 100 s and d1 in 200 s; c1 reaches d1 in 150 s. First limit 240 s.
const matrix = (backupLimitS: number) => handMatrix([1, 1], [[[0, 100], [1, 200]], [[1, 150]]], { limitS: 240, backupLimitS });
const o = { model: 'backup' as const, k: 2 };
const neverCalled: SolveLp = async () => { throw new Error('the solver must not be reached'); };

function refusal(f: () => unknown): PlannerError {
  try { f(); } catch (e) { return e as PlannerError; }
  throw new Error('not refused');
}

describe('backup coverage: a second limit shorter than the first is refused by the core', () => {
  it('validateModel, solveHeuristic, buildMip and mipSize throw bad-backup-limit in both languages', () => {
    const m = matrix(180);
    for (const f of [() => validateModel(m, o), () => solveHeuristic(m, o), () => buildMip(m, o), () => mipSize(m, o)]) {
      const e = refusal(f);
      expect(e).toBeInstanceOf(PlannerError);
      expect(e.code).toBe('bad-backup-limit');
      expect(e.en).toBe("the backup model's second limit (180 s) cannot be shorter than the first (240 s)");
      expect(e.zh).toBe('备份覆盖的第二时间限值（180 秒）不能短于第一时间限值（240 秒）');
    }
  });

  it('solveExact refuses before any solver run', async () => {
    await expect(solveExact(matrix(180), o, neverCalled)).rejects.toMatchObject({ code: 'bad-backup-limit' });
  });

  it('an equal or longer second limit is a model: both sites reach d1 within 240 s / 480 s (weight 1 twice)', () => {
    expect(solveHeuristic(matrix(240), o).objective).toBe(1);
    expect(solveHeuristic(matrix(480), o).objective).toBe(1);
    // other models ignore the backup limit
    expect(solveHeuristic(matrix(180), { model: 'mclp', k: 1 }).objective).toBe(2);
  });
});
