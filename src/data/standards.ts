/**
 * Numbers for the straight-line estimate (speed, curvature factor λ, travel minutes), read from the default
 * standard in geodata/standards/*.json ("default": true). Fallback: the assumption values of the standards
 * notes (30 km/h, λ 1.4, 4 min travel, 1 min turnout).
 */
const files = import.meta.glob<unknown>('../../geodata/standards/*.json', { eager: true, import: 'default' });

export interface EstimateParams {
  speedKmh: number;
  lambda: number;
  travelMin: number;
  turnoutMin: number;
  /** Short name of the standard the numbers come from, or '' for the built-in fallback. */
  sourceZh: string;
  sourceEn: string;
}

export const DEFAULT_ESTIMATE: EstimateParams = { speedKmh: 30, lambda: 1.4, travelMin: 4, turnoutMin: 1, sourceZh: '', sourceEn: '' };

interface StandardFile {
  default?: boolean;
  short?: { zh?: string; en?: string };
  turnoutS?: { value?: number };
  travelLimitS?: { value?: number };
  straightLine?: { speedKmh?: { value?: number }; curvature?: { value?: number } };
}

const num = (v: unknown, lo: number, hi: number): number | undefined =>
  typeof v === 'number' && Number.isFinite(v) && v >= lo && v <= hi ? v : undefined;

export function estimateParams(): EstimateParams {
  const all = Object.values(files) as StandardFile[];
  const std = all.find((f) => f && f.default) ?? all.find((f) => f && f.straightLine);
  if (!std) return { ...DEFAULT_ESTIMATE };
  const travelS = num(std.travelLimitS?.value, 30, 1800);
  const turnoutS = num(std.turnoutS?.value, 0, 600);
  return {
    speedKmh: num(std.straightLine?.speedKmh?.value, 5, 120) ?? DEFAULT_ESTIMATE.speedKmh,
    lambda: num(std.straightLine?.curvature?.value, 1, 3) ?? DEFAULT_ESTIMATE.lambda,
    travelMin: travelS !== undefined ? travelS / 60 : DEFAULT_ESTIMATE.travelMin,
    turnoutMin: turnoutS !== undefined ? turnoutS / 60 : DEFAULT_ESTIMATE.turnoutMin,
    sourceZh: std.short?.zh ?? '',
    sourceEn: std.short?.en ?? '',
  };
}

/** Straight-line radius in km: speed × travel time ÷ λ. */
export function estimateRadiusKm(p: EstimateParams): number {
  return (p.speedKmh * p.travelMin) / 60 / p.lambda;
}

/** Response standards offered for the compliance check (the JSON is sent to the worker as is). */
export interface StandardChoice {
  id: string;
  name: { zh: string; en: string };
  isDefault: boolean;
  json: unknown;
}

let choices: StandardChoice[] | undefined;
/** The response standards of geodata/standards (read once: the files are bundled), default first. */
export function standardChoices(): StandardChoice[] {
  return (choices ??= readChoices());
}

function readChoices(): StandardChoice[] {
  const out: StandardChoice[] = [];
  for (const json of Object.values(files)) {
    const f = json as { id?: unknown; name?: { zh?: unknown; en?: unknown }; travelLimitS?: unknown; default?: unknown };
    if (typeof f?.id !== 'string' || !f.travelLimitS) continue; // siting rules and other files are not response standards
    const zh = typeof f.name?.zh === 'string' ? f.name.zh : f.id;
    const en = typeof f.name?.en === 'string' ? f.name.en : f.id;
    out.push({ id: f.id, name: { zh, en }, isDefault: f.default === true, json });
  }
  return out.sort((a, b) => Number(b.isDefault) - Number(a.isDefault) || a.id.localeCompare(b.id));
}
