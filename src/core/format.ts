/**
 * The one formatting rule for figures people read (issue 14): areas in km² to 2 decimals, times as m:ss, shares
 * as whole percents. Views, report texts and verdict reasons format through here, so one card never shows
 * "97 %" beside "96.5 %", "1476.6 秒" or "1.3687 km²". A missing value is an em dash.
 *
 * Shares are rounded DOWN to the whole percent: a share is compared with a required share (95 %, 100 %), and a
 * rounded-up 99.6 % would read "100 %, required 100 %" on a failing district.
 */

export const NO_VALUE = '—';

const finite = (x: number | null | undefined): x is number => typeof x === 'number' && Number.isFinite(x);

/**
 * How a value is rounded: to the nearest, or up where a text says a figure is over a limit (a worst time of
 * 240.1 s over 240 s reads "4:01 > 4:00", never "4:00 > 4:00").
 */
export type Rounding = 'nearest' | 'up';
const roundBy = (x: number, r: Rounding) => (r === 'up' ? Math.ceil(x - 1e-9) : Math.round(x));

/** 1.3687 → "1.37" (no unit; add " km²"); rounding 'up': 7.001 → "7.01". */
export function fmtKm2(km2: number | null | undefined, rounding: Rounding = 'nearest'): string {
  if (!finite(km2)) return NO_VALUE;
  const s = (roundBy(km2 * 100, rounding) / 100).toFixed(2);
  return s === '-0.00' ? '0.00' : s;
}

/** Seconds as m:ss after rounding to the whole second: 1476.6 → "24:37", 299.6 → "5:00" (never "4:60"), -65 → "-1:05"; 'up': 240.1 → "4:01". */
export function fmtMmss(seconds: number | null | undefined, rounding: Rounding = 'nearest'): string {
  if (!finite(seconds)) return NO_VALUE;
  const total = roundBy(Math.abs(seconds), rounding);
  const sign = seconds < 0 && total > 0 ? '-' : '';
  return `${sign}${Math.floor(total / 60)}:${String(total % 60).padStart(2, '0')}`;
}

/** A share 0…1 as a whole percent, rounded down: 0.965 → "96%", 0.996 → "99%", 1 → "100%", 0.29 → "29%". */
export function fmtShare(share: number | null | undefined): string {
  if (!finite(share)) return NO_VALUE;
  return `${Math.floor(share * 100 + 1e-6)}%`;
}

/** The same rule under the report's names (src/core/report, exports). */
export const MISSING = NO_VALUE;
export const km2 = (x: number | null | undefined): string => fmtKm2(x);
export const mmss = (seconds: number | null | undefined): string => fmtMmss(seconds);
export const pct = (share: number | null | undefined): string => fmtShare(share);

/** 1.3687 → "1.37 km²". */
export function km2Unit(x: number | null | undefined): string {
  return finite(x) ? `${fmtKm2(x)} km²` : NO_VALUE;
}

/** Kilometres to 1 decimal (road lengths): 6.54 → "6.5 km". */
export function km(x: number | null | undefined): string {
  return finite(x) ? `${(Math.round(x * 10) / 10 + 0).toFixed(1)} km` : NO_VALUE;
}

/** Metres as whole metres: 3249.4 → "3249 m". */
export function metres(x: number | null | undefined): string {
  return finite(x) ? `${Math.round(x) + 0} m` : NO_VALUE;
}

/** A plain number to at most `digits` decimals, trailing zeros kept (indicators: 2). */
export function fixed(x: number | null | undefined, digits: number): string {
  return finite(x) ? (Math.round(x * 10 ** digits) / 10 ** digits + 0).toFixed(digits) : NO_VALUE;
}
