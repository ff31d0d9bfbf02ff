/**
 * The one formatting rule for figures shown to people (issue 14): areas in km² to 2 decimals, times as m:ss,
 * shares as whole percents. Every view (report, exports, panels) formats through here, so one card never shows
 * 97 % beside 96.5 %. Missing values are an em dash.
 */

export const MISSING = '—';

const ok = (x: number | null | undefined): x is number => typeof x === 'number' && Number.isFinite(x);

/** 1.3687 → "1.37" (no unit). */
export function km2(x: number | null | undefined): string {
  return ok(x) ? (Math.round(x * 100) / 100 + 0).toFixed(2) : MISSING;
}

/** 1.3687 → "1.37 km²". */
export function km2Unit(x: number | null | undefined): string {
  return ok(x) ? `${km2(x)} km²` : MISSING;
}

/** Seconds as m:ss, rounded to the whole second: 1476.6 → "24:37", 59.6 → "1:00", -5 → "-0:05". */
export function mmss(seconds: number | null | undefined): string {
  if (!ok(seconds)) return MISSING;
  const total = Math.round(Math.abs(seconds));
  const sign = seconds < 0 && total > 0 ? '-' : '';
  return `${sign}${Math.floor(total / 60)}:${String(total % 60).padStart(2, '0')}`;
}

/** A share 0…1 as a whole percent: 0.965 → "97%" (half away from zero, like the rest). */
export function pct(share: number | null | undefined): string {
  return ok(share) ? `${Math.round(share * 100) + 0}%` : MISSING;
}

/** Kilometres to 1 decimal (road lengths): 6.54 → "6.5 km". */
export function km(x: number | null | undefined): string {
  return ok(x) ? `${(Math.round(x * 10) / 10 + 0).toFixed(1)} km` : MISSING;
}

/** Metres as whole metres: 3249.4 → "3249 m". */
export function metres(x: number | null | undefined): string {
  return ok(x) ? `${Math.round(x) + 0} m` : MISSING;
}

/** A plain number to at most `digits` decimals, trailing zeros kept (indicators: 2). */
export function fixed(x: number | null | undefined, digits: number): string {
  return ok(x) ? (Math.round(x * 10 ** digits) / 10 ** digits + 0).toFixed(digits) : MISSING;
}
