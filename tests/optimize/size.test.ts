/**
 * Review of #12: the exact model's size is counted per model before anything is built (p-median and p-center have an
 * assignment variable per useful pair), and a model over its kind's limits is refused with the sizes in zh and en.
 */
import { describe, expect, it } from 'vitest';
import { buildMip, checkMipSize, DEFAULT_MIP_LIMITS, mergeDemand, mipSize, MODEL_KINDS, type MipModel } from '../../src/core/optimize/index';
import { randomMatrix } from '../../src/core/optimize/testMatrix';
import { PlannerError } from '../../src/core/errors';

/** What buildMip actually made: columns, rows, nonzeros. */
function built(mip: MipModel) {
  const vars = new Set<string>([...mip.binaries, ...mip.continuous.map((c) => c.name)]);
  return { variables: vars.size, rows: mip.constraints.length, nonzeros: mip.constraints.reduce((a, c) => a + c.terms.length, 0) };
}

describe('mipSize counts what buildMip builds, per model', () => {
  it('random instances (fixed sites, unreachable demand, backup limit), merged and not: equal to the built model', () => {
    for (let seed = 1; seed <= 12; seed++)
      for (const model of MODEL_KINDS) {
        const m = randomMatrix(seed, 12, 80, { limitS: 180, backupLimitS: model === 'backup' ? 300 : null, horizonS: model === 'pmedian' || model === 'pcenter' ? 360 : undefined, fixed: seed % 3 });
        const o = { model, k: 3 };
        for (const mm of [m, mergeDemand(m, model)]) expect(mipSize(mm, o)).toEqual(built(buildMip(mm, o)));
      }
  });

  it('p-median grows with the pairs, MCLP with the points: the same matrix is refused for one and not the other', () => {
    const m = randomMatrix(7, 30, 400, { limitS: 240, horizonS: 480 });
    const pm = mipSize(m, { model: 'pmedian', k: 3 }), mc = mipSize(m, { model: 'mclp', k: 3 });
    expect(pm.variables).toBeGreaterThan(5 * mc.variables);
    const limits = { variables: pm.variables - 1, nonzeros: 10 ** 9 };
    expect(() => checkMipSize(m, { model: 'mclp', k: 3 }, limits)).not.toThrow();
    let err: PlannerError | null = null;
    try { checkMipSize(m, { model: 'pmedian', k: 3 }, limits); } catch (e) { err = e as PlannerError; }
    expect(err).toBeInstanceOf(PlannerError);
    expect(err!.code).toBe('model-too-large');
    const v = pm.variables.toLocaleString('en-US'), nz = pm.nonzeros.toLocaleString('en-US');
    expect(err!.en).toContain(`the exact pmedian model is too large: ${v} variables, ${nz} nonzeros (limit ${limits.variables.toLocaleString('en-US')} variables`);
    expect(err!.zh).toContain(`pmedian 精确模型过大：${v} 个变量、${nz} 个非零系数`);
    // Over the nonzeros alone is refused too.
    expect(() => checkMipSize(m, { model: 'pmedian', k: 3 }, { variables: 10 ** 9, nonzeros: pm.nonzeros - 1 })).toThrow(/nonzeros/);
  });

  it('default limits: the assignment models are capped between what ran in HiGHS on Monaco and what aborted', () => {
    // aborted: 686,391 variables / 2,058,367 nonzeros (stations fixed); ran: 396,379 / 1,188,865 (400 m spacing)
    for (const model of ['pmedian', 'pcenter'] as const) {
      expect(DEFAULT_MIP_LIMITS[model].nonzeros).toBeLessThan(2_058_367);
      expect(DEFAULT_MIP_LIMITS[model].variables).toBeLessThan(686_391);
      expect(DEFAULT_MIP_LIMITS[model].nonzeros).toBeGreaterThanOrEqual(1_188_865);
      expect(DEFAULT_MIP_LIMITS[model].variables).toBeGreaterThanOrEqual(396_379);
    }
  });
});
