/**
 * Option values of the planner CLI, checked before anything runs: every number finite and in its range, every
 * choice one of its words. Each failure is a PlannerError with a stable code that names the option.
 */
import { convertPosition } from '../core/crs';
import { plannerError, type Lang } from '../core/errors';
import type { LonLat } from '../core/types';
import { MAX_BANDS } from '../core/isochrone';

/** A plain decimal number: digits with an optional sign and fraction (no hex, exponent, Infinity or spaces). */
const DECIMAL = /^-?(?:\d+(?:\.\d*)?|\.\d+)$/;

/** A number option: a plain decimal (see DECIMAL) within [min, max]. */
export function numberOption(name: string, raw: string, min: number, max: number, unit: { zh: string; en: string }): number {
  if (raw === '')
    throw plannerError('bad-option', `--${name} 缺少数值（应为 ${min}–${max} ${unit.zh}）`, `--${name} needs a value (a number from ${min} to ${max} ${unit.en}), got an empty string`);
  const v = DECIMAL.test(raw) ? Number(raw) : NaN;
  if (!Number.isFinite(v) || v < min || v > max)
    throw plannerError('bad-option', `--${name} 应为 ${min}–${max} ${unit.zh}的数，收到「${raw}」`, `--${name} must be a number from ${min} to ${max} ${unit.en}, got "${raw}"`);
  return v;
}

/** One of a fixed set of words. */
export function choiceOption<T extends string>(name: string, raw: string | undefined, choices: readonly T[], fallback: T): T {
  if (raw === undefined) return fallback;
  if (!(choices as readonly string[]).includes(raw))
    throw plannerError('bad-option', `--${name} 只能是 ${choices.join('、')}，收到「${raw}」`, `--${name} must be one of ${choices.join(', ')}, got "${raw}"`);
  return raw as T;
}

/** Isochrone bands in minutes: --bands a,b,c plus --minutes m (default 4), each 0 < b ≤ 120, at most MAX_BANDS distinct. */
export function bandsOption(bands: string | undefined, minutes: string | undefined): number[] {
  const out = bands === undefined ? [] : bands.split(',').map((b) => numberOption('bands', b, 0.1, 120, { zh: '分钟', en: 'minutes' }));
  if (minutes !== undefined) out.push(numberOption('minutes', minutes, 0.1, 120, { zh: '分钟', en: 'minutes' }));
  if (!out.length) out.push(4);
  const n = new Set(out).size;
  if (n > MAX_BANDS)
    throw plannerError('bad-band-count', `时间分段过多：${n} 个（最多 ${MAX_BANDS} 个）`, `too many time bands: ${n} (at most ${MAX_BANDS})`);
  return out;
}

/** LON,LAT in WGS84 (converted from GCJ-02 when asked), range-checked. */
export function pointOption(name: string, s: string, crs: 'wgs84' | 'gcj02'): LonLat {
  const m = /^\s*(-?\d+(?:\.\d+)?)\s*,\s*(-?\d+(?:\.\d+)?)\s*$/.exec(s);
  if (!m) throw plannerError('bad-coordinate', `--${name} 的坐标格式应为 经度,纬度（例如 113.93,22.54），收到「${s}」`, `--${name} coordinates must be LON,LAT (e.g. 113.93,22.54), got "${s}"`);
  const p: LonLat = [Number(m[1]), Number(m[2])];
  if (Math.abs(p[0]) > 180 || Math.abs(p[1]) > 90)
    throw plannerError('bad-coordinate', `--${name} 坐标超出范围：${s}（经度在前）`, `--${name} coordinate out of range: ${s} (longitude first)`);
  if (crs === 'gcj02') {
    const w = convertPosition(p, 'GCJ02', 'WGS84');
    return [Math.round(w[0] * 1e7) / 1e7, Math.round(w[1] * 1e7) / 1e7];
  }
  return p;
}

/** Message language: --lang zh|en (zh-Hans is taken as zh, for the route instructions' old spelling). */
export const langOption = (raw: string | undefined): Lang => choiceOption('lang', raw === 'zh-Hans' ? 'zh' : raw, ['zh', 'en'] as const, 'zh');
