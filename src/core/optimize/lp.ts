/**
 * The models as mixed-integer programs (buildMip) and as CPLEX LP text (writeLp) that HiGHS, glpsol and cbc read.
 * Variables: y<c> = 1 when free candidate c opens (fixed candidates are constants). Demand that the fixed sites
 * already serve, or that no candidate reaches, becomes the constant `offset` (kept out of the LP text, written in
 * its header comment): LP objective + offset = the model's objective.
 *
 * LSCP    min Σ y            s.t. Σ_{c covers i} y_c ≥ 1 for each coverable demand not yet covered
 * MCLP    max Σ w_i z_i      s.t. z_i ≤ Σ_{c covers i} y_c, 0 ≤ z_i ≤ 1, Σ y ≤ k
 * p-median min Σ w_i (t_ic − b_i) x_ic   s.t. Σ_c x_ic ≤ 1, x_ic ≤ y_c, Σ y ≤ k   (b_i: fixed sites' time, else the penalty;
 *          only pairs with t_ic < b_i get a variable; offset Σ w_i b_i)
 * p-center min W             s.t. W + Σ_c (b_i − t_ic) x_ic ≥ b_i, Σ_c x_ic ≤ 1, x_ic ≤ y_c, Σ y ≤ k  (only demand some
 *          candidate reaches within the horizon; the rest is uncoverable)
 * backup  max Σ w_i v_i      s.t. 2 v_i ≤ F_i + Σ_{c within the 2nd limit} y_c, v_i binary, Σ y ≤ k  (F_i: fixed ones, < 2)
 */
import { plannerError } from '../errors';
import { byDemand } from './merge';
import { penaltyOf, validateModel } from './heuristic';
import type { CoverageMatrix, MipModel, ModelOptions } from './types';

type Terms = [number, string][];

/** Above this many coefficients the LP text runs to hundreds of MB and WebAssembly HiGHS cannot hold it. */
export const MAX_MIP_TERMS = 4_000_000;

export function buildMip(m: CoverageMatrix, o: ModelOptions, maxTerms = MAX_MIP_TERMS): MipModel {
  validateModel(m, o);
  const size = { terms: 0 };
  const T = byDemand(m), C = m.candidates, n = m.demandCount, pen = penaltyOf(m, o);
  const free = C.map((c) => !c.fixed);
  const siteVars = new Map<string, number>();
  // One string per site variable, shared by every term (no new string per coefficient: less garbage, faster lookups).
  const y = C.map((_, j) => `y${j}`);
  C.forEach((c, j) => { if (!c.fixed) siteVars.set(y[j], j); });
  const model: MipModel = {
    sense: o.model === 'mclp' || o.model === 'backup' ? 'max' : 'min',
    objective: [], offset: 0, constraints: [], binaries: [...siteVars.keys()], continuous: [], siteVars,
    comment: [`model ${o.model}${o.model === 'lscp' ? '' : `, k = ${o.k}`}, ${C.length} candidates (${siteVars.size} free), ${n} demand points`,
      `travel limit ${m.limitS} s${m.backupLimitS !== null ? `, second limit ${m.backupLimitS} s` : ''}${m.estimate ? ', straight-line ESTIMATE times' : ''}`],
  };
  const add = (name: string, terms: Terms, op: '<=' | '>=' | '=', rhs: number) => {
    size.terms += terms.length;
    if (size.terms > maxTerms)
      throw plannerError('model-too-large', `模型过大（超过 ${maxTerms} 个系数），无法精确求解：请加大候选点间距、缩短时间限值或换用 LSCP / MCLP`,
        `the model is too large (over ${maxTerms} coefficients) to solve exactly: use a larger candidate spacing, a shorter limit, or LSCP / MCLP`);
    model.constraints.push({ name, terms, op, rhs });
  };
  const card = () => add('k', [...siteVars.keys()].map((v): [number, string] => [1, v]), '<=', o.k ?? 0);
  const entries = (i: number, limit: number) => {
    const fixed: number[] = [], freeC: number[] = [], times: number[] = [];
    for (let p = T.first[i]; p < T.first[i + 1]; p++) {
      if (T.time[p] > limit) continue;
      if (free[T.cand[p]]) { freeC.push(T.cand[p]); times.push(T.time[p]); } else fixed.push(T.time[p]);
    }
    return { fixed, freeC, times };
  };
  switch (o.model) {
    case 'lscp':
      model.objective = [...siteVars.keys()].map((v) => [1, v]);
      for (let i = 0; i < n; i++) {
        const e = entries(i, m.limitS);
        if (m.weight[i] > 0 && e.fixed.length === 0 && e.freeC.length > 0) add(`d${i}`, e.freeC.map((c) => [1, y[c]]), '>=', 1);
      }
      break;
    case 'mclp':
      for (let i = 0; i < n; i++) {
        const e = entries(i, m.limitS), w = m.weight[i];
        if (e.fixed.length > 0) { model.offset += w; continue; }
        if (e.freeC.length === 0 || !(w > 0)) continue;
        model.objective.push([w, `z${i}`]);
        model.continuous.push({ name: `z${i}`, lo: 0, hi: 1 });
        add(`d${i}`, [[1, `z${i}`], ...e.freeC.map((c): [number, string] => [-1, y[c]])], '<=', 0);
      }
      card();
      break;
    case 'pmedian':
    case 'pcenter': {
      const center = o.model === 'pcenter';
      if (center) { model.objective.push([1, 'W']); model.continuous.push({ name: 'W', lo: 0, hi: null }); }
      for (let i = 0; i < n; i++) {
        const e = entries(i, m.horizonS), w = m.weight[i];
        if (!(w > 0)) continue;
        // p-center: demand no candidate reaches within the horizon is left out (reported as uncoverable).
        if (center && e.fixed.length === 0 && e.freeC.length === 0) continue;
        const b = Math.min(pen, ...e.fixed);
        const useful = e.freeC.map((c, q) => [c, e.times[q]] as const).filter(([, t]) => t < b);
        if (!center) model.offset += w * b;
        if (useful.length === 0) { if (center) add(`w${i}`, [[1, 'W']], '>=', b); continue; }
        const xs = useful.map(([c]) => `x${i}_${c}`);
        model.continuous.push(...xs.map((x) => ({ name: x, lo: 0, hi: 1 })));
        if (center) add(`w${i}`, [[1, 'W'], ...useful.map(([, t], q): [number, string] => [b - t, xs[q]])], '>=', b);
        else model.objective.push(...useful.map(([, t], q): [number, string] => [w * (t - b), xs[q]]));
        add(`a${i}`, xs.map((x) => [1, x]), '<=', 1);
        useful.forEach(([c], q) => add(`o${i}_${c}`, [[1, xs[q]], [-1, y[c]]], '<=', 0));
      }
      card();
      break;
    }
    case 'backup':
      for (let i = 0; i < n; i++) {
        const e = entries(i, m.backupLimitS!), w = m.weight[i];
        if (!(w > 0)) continue;
        if (e.fixed.length >= 2) { model.offset += w; continue; }
        if (e.fixed.length + e.freeC.length < 2) continue;
        model.objective.push([w, `v${i}`]);
        model.binaries.push(`v${i}`);
        add(`d${i}`, [[2, `v${i}`], ...e.freeC.map((c): [number, string] => [-1, y[c]])], '<=', e.fixed.length);
      }
      card();
      break;
  }
  return model;
}

/** A number as LP text: up to 12 significant digits, no exponent for ordinary values. */
const num = (x: number): string => (Number.isInteger(x) ? String(x) : String(Number(x.toPrecision(12))));

function termsText(terms: Terms): string {
  // Short lines (8 terms): some readers limit a line's length.
  let out = '';
  for (let k = 0; k < terms.length; k++) {
    const [a, v] = terms[k];
    if (k > 0) out += k % 8 === 0 ? '\n   ' : ' ';
    out += `${a < 0 ? '- ' : k > 0 ? '+ ' : ''}${a === 1 || a === -1 ? '' : `${num(Math.abs(a))} `}${v}`;
  }
  return out;
}

/** CPLEX LP text of a model. */
export function writeLp(model: MipModel): string {
  const out: string[] = [];
  for (const c of model.comment) out.push(`\\ ${c}`);
  out.push(`\\ objective offset (constant, not in this file): ${num(model.offset)}`);
  out.push(model.sense === 'max' ? 'Maximize' : 'Minimize');
  const anyVar = model.binaries[0] ?? model.continuous[0]?.name;
  out.push(` obj: ${model.objective.length ? termsText(model.objective) : `0 ${anyVar ?? 'none'}`}`);
  out.push('Subject To');
  for (const c of model.constraints) out.push(` ${c.name}: ${c.terms.length ? termsText(c.terms) : `0 ${anyVar ?? 'none'}`} ${c.op} ${num(c.rhs)}`);
  if (model.constraints.length === 0) out.push(` none: ${anyVar ?? 'none'} >= 0`);
  out.push('Bounds');
  for (const v of model.continuous) out.push(v.hi === null ? ` ${v.name} >= ${num(v.lo)}` : ` ${num(v.lo)} <= ${v.name} <= ${num(v.hi)}`);
  if (model.binaries.length) {
    out.push('Binaries');
    for (let k = 0; k < model.binaries.length; k += 10) out.push(` ${model.binaries.slice(k, k + 10).join(' ')}`);
  }
  out.push('End', '');
  return out.join('\n');
}
