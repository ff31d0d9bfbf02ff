/**
 * Value parsers for the OSM tags the road rules read: dimension limits (maxheight, maxwidth, maxlength in metres),
 * weight limits (maxweight, maxaxleload in tonnes), ferry durations (seconds) and street names.
 *
 * A limit parser returns a number, Infinity when the tag says there is no limit ("none", "default", "unsigned" …),
 * or NaN when the value gives no usable number ("below_default", typos). Comparisons `vehicle > limit` are false for
 * both Infinity and NaN, so an unreadable limit never closes a road; `isNaN` tells the caller it was unreadable.
 */

/** Values meaning "no (known) numeric limit applies" (OSM wiki Key:maxheight and siblings). */
const NO_LIMIT: readonly string[] = ['none', 'default', 'unsigned', 'no_sign', 'no_indications', 'no'];

const FOOT = 0.3048;
const INCH = 0.0254;
/** Tonnes per unit (metric tonne, kilogram, US short ton, pound). */
const TONNES_PER: Readonly<Record<string, number>> = {
  t: 1, tonne: 1, tonnes: 1, ton: 1, tons: 1,
  kg: 0.001,
  st: 0.90718474,
  lb: 0.00045359237, lbs: 0.00045359237,
};

const num = (s: string): number => Number(s.replace(',', '.'));

/**
 * Metres from a maxheight / maxwidth / maxlength value: "2.2", "2.2 m", "2,2m", "7'6\"", "7 ft 6 in", "7'", "90\"".
 */
export function parseLength(v: string | undefined): number {
  if (v === undefined) return NaN;
  const s = v.trim().toLowerCase();
  if (NO_LIMIT.includes(s)) return Infinity;
  const metric = /^(\d+(?:[.,]\d+)?)\s*(?:m|metres?|meters?)?$/.exec(s);
  if (metric) return num(metric[1]);
  const feet = /^(\d+(?:\.\d+)?)\s*(?:'|ft|′|feet)\s*(?:(\d+(?:\.\d+)?)\s*(?:"|''|in|″|inches)?)?$/.exec(s);
  if (feet) return Number(feet[1]) * FOOT + (feet[2] ? Number(feet[2]) * INCH : 0);
  const inches = /^(\d+(?:\.\d+)?)\s*(?:"|in|″|inches)$/.exec(s);
  if (inches) return Number(inches[1]) * INCH;
  return NaN;
}

/** Tonnes from a maxweight / maxaxleload value: "10", "10 t", "10t", "5000 kg", "8 st", "20000 lbs". */
export function parseWeight(v: string | undefined): number {
  if (v === undefined) return NaN;
  const s = v.trim().toLowerCase();
  if (NO_LIMIT.includes(s)) return Infinity;
  const m = /^(\d+(?:[.,]\d+)?)\s*([a-z]*)$/.exec(s);
  if (!m) return NaN;
  const factor = m[2] === '' ? 1 : TONNES_PER[m[2]];
  if (factor === undefined) return NaN;
  // With kg or pounds a comma before three digits is a thousands separator ("20,000 kg"), not a decimal comma.
  const small = factor < 0.01, digits = small && /^\d{1,3},\d{3}$/.test(m[1]) ? m[1].replace(',', '') : m[1];
  return num(digits) * factor;
}

/**
 * Seconds from an OSM duration: "hh:mm", "hh:mm:ss", plain minutes ("15", "7.5") or ISO 8601 ("PT15M", "PT1H30M").
 * NaN when absent or unreadable.
 */
export function durationSeconds(v: string | undefined): number {
  if (v === undefined) return NaN;
  const s = v.trim().toUpperCase();
  const clock = /^(\d+):([0-5]\d)(?::([0-5]\d))?$/.exec(s);
  if (clock) return Number(clock[1]) * 3600 + Number(clock[2]) * 60 + (clock[3] ? Number(clock[3]) : 0);
  const minutes = /^(\d+(?:\.\d+)?)$/.exec(s);
  if (minutes) return Number(minutes[1]) * 60;
  const iso = /^PT(?:(\d+(?:\.\d+)?)H)?(?:(\d+(?:\.\d+)?)M)?(?:(\d+(?:\.\d+)?)S)?$/.exec(s);
  if (iso && (iso[1] || iso[2] || iso[3]))
    return Number(iso[1] ?? 0) * 3600 + Number(iso[2] ?? 0) * 60 + Number(iso[3] ?? 0);
  return NaN;
}

/** Crossing seconds of a ferry way from its `duration` tag (NaN when it has none or it is unreadable). */
export const ferrySeconds = (facts: Readonly<Record<string, string>>): number => durationSeconds(facts.duration);

export interface StreetName {
  /** The street's name (`name`), '' when unnamed. Never the ref. */
  name: string;
  /** Road number(s) (`ref`, e.g. "G325" or "G325 / S113"), '' when none: shown as a reference beside the name. */
  ref: string;
}

/** Name and reference of a way: `name` is the name, `ref` only a reference (OSM wiki Key:name, Key:ref). */
export function streetName(tags: Readonly<Record<string, string>>): StreetName {
  const name = (tags.name ?? '').trim();
  const ref = (tags.ref ?? '').split(';').map((r) => r.trim()).filter(Boolean).join(' / ');
  return { name, ref };
}

/** Display text: "人民路（G325）", "未命名道路（G325）", "Renmin Lu (G325)", "unnamed road (G325)", or the name alone. */
export function streetLabel(s: StreetName, lang: 'zh' | 'en'): string {
  const name = s.name || (lang === 'zh' ? '未命名道路' : 'unnamed road');
  if (!s.ref) return s.name;
  return lang === 'zh' ? `${name}（${s.ref}）` : `${name} (${s.ref})`;
}
