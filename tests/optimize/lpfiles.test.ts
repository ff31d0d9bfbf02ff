/**
 * The written LP files solved by two other solvers from Debian (glpsol of glpk-utils, cbc of coinor-cbc; .ci/run
 * installs both): their objective + the file's offset must equal our exact objective. A missing binary skips its
 * test with a message saying so.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildMip, solveExact, writeLp, type ModelKind, type SolveLp } from '../../src/core/optimize/index';
import { handMatrix, randomMatrix } from '../../src/core/optimize/testMatrix';
import { nodeSolveLp } from '../../src/cli/highsNode';

const which = (bin: string): boolean => ['/usr/bin', '/usr/local/bin', '/bin'].some((d) => existsSync(join(d, bin)));
const HAS = { glpsol: which('glpsol'), cbc: which('cbc') };
for (const [bin, ok] of Object.entries(HAS)) if (!ok) console.warn(`lpfiles.test: ${bin} not installed — its comparison is SKIPPED (apt-get install ${bin === 'cbc' ? 'coinor-cbc' : 'glpk-utils'})`);

let dir = '';
let solveLp: SolveLp;
beforeAll(async () => { dir = mkdtempSync(join(tmpdir(), 'planner-lp-')); solveLp = await nodeSolveLp(); });
afterAll(() => { if (dir) rmSync(dir, { recursive: true, force: true }); });

function glpsolObjective(file: string): number {
  const out = join(dir, 'glpsol.txt');
  execFileSync('glpsol', ['--lp', file, '-o', out], { stdio: 'pipe' });
  const m = /Objective:\s+\S+\s*=\s*(-?[\d.e+-]+)/.exec(readFileSync(out, 'utf8'));
  if (!m) throw new Error('glpsol printed no objective');
  return Number(m[1]);
}

function cbcObjective(file: string): number {
  const text = execFileSync('cbc', [file, 'solve'], { encoding: 'utf8', stdio: 'pipe' });
  expect(text).toMatch(/Optimal solution found/);
  const m = /Objective value:\s+(-?[\d.e+-]+)/.exec(text);
  if (!m) throw new Error('cbc printed no objective');
  return Number(m[1]);
}

const cases: { name: string; m: () => ReturnType<typeof handMatrix>; model: ModelKind; k?: number }[] = [];
for (const model of ['lscp', 'mclp', 'pmedian', 'pcenter', 'backup'] as ModelKind[]) {
  cases.push({ name: `random seed 3 (synthetic) ${model}`, m: () => randomMatrix(3, 8, 25, { horizonS: 400, backupLimitS: 400, fixed: 1 }), model, k: 2 });
  // (p-center's LP relaxation is weak: glpsol needs ~20 s on 20 × 80, so it gets the small instance only.)
  if (model !== 'pcenter') cases.push({ name: `random seed 11 (synthetic, 20 × 80) ${model}`, m: () => randomMatrix(11, 20, 80, { horizonS: 480, backupLimitS: 480 }), model, k: 3 });
}
// Fractional weights and times, and uncoverable demand (weight 2.5 beyond every limit).
cases.push({ name: 'hand, fractional weights, uncoverable demand, mclp', m: () => handMatrix([1.25, 2.5, 3.125, 2.5], [[[0, 100.5], [1, 230.25]], [[1, 99.75], [3, 300]]], { horizonS: 400 }), model: 'mclp', k: 1 });
cases.push({ name: 'hand, fractional weights, uncoverable demand, pmedian', m: () => handMatrix([1.25, 2.5, 3.125, 2.5], [[[0, 100.5], [1, 230.25]], [[1, 99.75], [3, 300]]], { horizonS: 400 }), model: 'pmedian', k: 1 });

describe('LP files solved by glpsol and cbc', () => {
  for (const c of cases) {
    it(`${c.name}: glpsol and cbc agree with HiGHS`, async () => {
      const m = c.m(), o = { model: c.model, k: c.k }, mip = buildMip(m, o);
      const file = join(dir, `${c.model}.lp`);
      writeFileSync(file, writeLp(mip));
      const ours = await solveExact(m, o, solveLp, { mip });
      expect(ours.exact?.optimal).toBe(true);
      // The file's header states the offset; solver objective + offset = ours.
      expect(readFileSync(file, 'utf8')).toContain(`offset (constant, not in this file): ${String(Number(mip.offset.toPrecision(12)))}`);
      const tol = 1e-6 * Math.max(1, Math.abs(ours.exact!.objective!));
      if (HAS.glpsol) expect(Math.abs(glpsolObjective(file) + mip.offset - ours.exact!.objective!)).toBeLessThanOrEqual(tol);
      if (HAS.cbc) expect(Math.abs(cbcObjective(file) + mip.offset - ours.exact!.objective!)).toBeLessThanOrEqual(tol);
      // And the model objective recomputed from the chosen sites equals the LP's.
      expect(ours.objective).toBeCloseTo(ours.exact!.objective!, 4);
    });
  }
});
