/**
 * Plan timeline: which stations are in service in a year, and the per-capita planning indicators of the
 * 十四五 plans (stations per 100k residents, professional firefighters per 1,000 residents = ‰) against targets.
 * Staff numbers per station class are input data (editable assumptions), never built in.
 */
import type { Station, StationClass } from './types';

/**
 * Stations in service in `year`: existing ones, planned ones whose phase ≤ year (planned without a phase year
 * are left out — the plan does not say when), and optionally user-proposed ones. Switched-off ids are skipped.
 */
export function stationsInYear(stations: Station[], year: number, opts: { includeProposed?: boolean; removedIds?: string[] } = {}): Station[] {
  const off = new Set(opts.removedIds ?? []);
  return stations.filter((s) => {
    if (off.has(s.id)) return false;
    if (s.status === 'existing') return true;
    if (s.status === 'planned') return s.phase !== undefined && s.phase <= year;
    return !!opts.includeProposed;
  });
}

export type IndicatorId = 'stationsPer100k' | 'firefightersPerMille';

export interface IndicatorTarget {
  value: number;
  /** Year the plan sets the target for. */
  year?: number;
}

export interface IndicatorTargets {
  stationsPer100k?: IndicatorTarget | null;
  firefightersPerMille?: IndicatorTarget | null;
}

export interface Indicator {
  id: IndicatorId;
  label_zh: string;
  label_en: string;
  unit: string;
  /** null = cannot be computed (no population, or unknown staff for a class in service). */
  value: number | null;
  target: IndicatorTarget | null;
  /** Compared at the targets' precision (2 decimals); null when value or target is missing. */
  met: boolean | null;
  note_zh?: string;
  note_en?: string;
}

export interface IndicatorInput {
  stations: Station[];
  /** Resident population; null = unknown. */
  population: number | null;
  /** Professional firefighters per station of each class (editable assumption). */
  staffPerClass: Partial<Record<StationClass, number | null>>;
  year: number;
  targets?: IndicatorTargets;
  includeProposed?: boolean;
  removedIds?: string[];
}

export interface YearIndicators {
  year: number;
  stationCount: number;
  countByClass: Partial<Record<StationClass, number>>;
  firefighters: number | null;
  /** Classes in service with no staff number (the firefighter indicator is then null). */
  missingStaff: StationClass[];
  population: number | null;
  indicators: [Indicator, Indicator];
}

const round2 = (x: number) => Math.round(x * 100) / 100;

function indicator(id: IndicatorId, value: number | null, target: IndicatorTarget | null | undefined, why?: [string, string]): Indicator {
  const labels: Record<IndicatorId, [string, string, string]> = {
    stationsPer100k: ['每十万人拥有消防站', 'Fire stations per 100,000 residents', '座/10万人'],
    firefightersPerMille: ['专职消防人员占总人口比例', 'Professional firefighters per 1,000 residents', '‰'],
  };
  const [zh, en, unit] = labels[id];
  const t = target ?? null;
  const out: Indicator = { id, label_zh: zh, label_en: en, unit, value, target: t, met: value === null || t === null ? null : round2(value) >= t.value };
  if (why) [out.note_zh, out.note_en] = why;
  return out;
}

export function indicatorsForYear(input: IndicatorInput): YearIndicators {
  const inService = stationsInYear(input.stations, input.year, { includeProposed: input.includeProposed, removedIds: input.removedIds });
  const countByClass: Partial<Record<StationClass, number>> = {};
  for (const s of inService) countByClass[s.stationClass] = (countByClass[s.stationClass] ?? 0) + 1;
  const missingStaff: StationClass[] = [];
  let firefighters = 0;
  for (const [cls, n] of Object.entries(countByClass) as [StationClass, number][]) {
    const staff = input.staffPerClass[cls];
    if (typeof staff !== 'number' || !Number.isFinite(staff) || staff < 0) missingStaff.push(cls);
    else firefighters += staff * n;
  }
  const pop = typeof input.population === 'number' && input.population > 0 ? input.population : null;
  const noPop: [string, string] | undefined = pop === null ? ['缺少常住人口数据，无法计算', 'No resident population: cannot be computed'] : undefined;
  const staffWhy: [string, string] | undefined =
    noPop ?? (missingStaff.length ? [`缺少以下等级的人员配置：${missingStaff.join('、')}`, `No staff number for class(es): ${missingStaff.join(', ')}`] : undefined);
  const ff = missingStaff.length ? null : firefighters;
  return {
    year: input.year,
    stationCount: inService.length,
    countByClass,
    firefighters: ff,
    missingStaff,
    population: pop,
    indicators: [
      indicator('stationsPer100k', pop === null ? null : (inService.length / pop) * 100_000, input.targets?.stationsPer100k, noPop),
      indicator('firefightersPerMille', pop === null || ff === null ? null : (ff / pop) * 1000, input.targets?.firefightersPerMille, staffWhy),
    ],
  };
}

/** A plan indicator row as written in geodata/plans/<place>.json. */
export interface PlanIndicatorRow {
  key: string;
  value: unknown;
  op?: string;
  year?: number | null;
  kind?: string;
}

const PLAN_KEYS: Record<IndicatorId, string> = { stationsPer100k: 'stationsPer100k', firefightersPerMille: 'professionalFirefightersPerMille' };

/**
 * The plan target that applies in `year`: the one set for that year, else the latest earlier one, else (before
 * the first target year) the next upcoming one. Only '≥' targets of kind 'target' are read.
 */
export function targetsFromPlan(rows: PlanIndicatorRow[], year: number): IndicatorTargets {
  const pick = (key: string): IndicatorTarget | null => {
    const ts = rows
      .filter((r) => r.key === key && r.kind === 'target' && r.op === '>=' && typeof r.value === 'number' && typeof r.year === 'number')
      .map((r) => ({ value: r.value as number, year: r.year as number }))
      .sort((a, b) => a.year - b.year);
    const past = ts.filter((t) => t.year <= year);
    return past.length ? past[past.length - 1] : ts[0] ?? null;
  };
  return { stationsPer100k: pick(PLAN_KEYS.stationsPer100k), firefightersPerMille: pick(PLAN_KEYS.firefightersPerMille) };
}

/**
 * Staff per class from a table of ranges such as population.json's staffPerStationClass.classes
 * ({ 一级: { min: 30, max: 45 }, … }): the chosen end, or null where it is missing (never guessed).
 */
export function staffPerClassFrom(classes: unknown, end: 'min' | 'max'): Partial<Record<StationClass, number | null>> {
  const out: Partial<Record<StationClass, number | null>> = {};
  if (typeof classes !== 'object' || classes === null) return out;
  for (const [cls, v] of Object.entries(classes as Record<string, unknown>)) {
    const x = typeof v === 'object' && v !== null ? (v as Record<string, unknown>)[end] : undefined;
    out[cls as StationClass] = typeof x === 'number' && Number.isFinite(x) && x >= 0 ? x : null;
  }
  return out;
}

/** indicatorsForYear for each year (e.g. 2020…2025 for a chart); targets per year from `targetsFor`. */
export function indicatorSeries(input: Omit<IndicatorInput, 'year' | 'targets'>, years: number[], targetsFor?: (year: number) => IndicatorTargets): YearIndicators[] {
  return years.map((year) => indicatorsForYear({ ...input, year, targets: targetsFor?.(year) }));
}

/** A count row of a plan file (geodata/plans/<place>.json `counts[]`): hydrants and intakes are counts, not points. */
export interface PlanCountRow {
  kind: string;
  year?: number;
  period?: [number, number];
  added?: number;
  total?: number;
  note?: string;
  citation?: { where: string; quote: string };
}

export interface PlanCountsInYear {
  kind: 'hydrant' | 'water-intake';
  /** New ones the plan schedules from `firstYear` up to the year (rows dated after firstYear − 1 and ≤ year). */
  addedToYear: number;
  /** New ones over the whole plan (rows dated ≥ firstYear). */
  addedInPlan: number;
  /** The stock the plan states before it (latest `total` dated < firstYear), null when not stated. */
  stockBefore: number | null;
  /** The rows counted (their citations are the source). */
  rows: PlanCountRow[];
}

/**
 * The plan's hydrant / intake counts in a year of the timeline (issue #13): a row counts in the year it is dated
 * (a period total with no yearly split is dated at its end, as the plan files write it). `firstYear` is the plan's
 * first year (2021 for the 十四五 plans); earlier rows are the stock before the plan. Null when the plan has no row
 * of that kind.
 */
export function planCountsInYear(rows: readonly PlanCountRow[], kind: 'hydrant' | 'water-intake', year: number, firstYear = 2021): PlanCountsInYear | null {
  const mine = rows.filter((r) => r.kind === kind && typeof r.year === 'number');
  if (!mine.length) return null;
  const sum = (list: PlanCountRow[]) => list.reduce((s, r) => s + (typeof r.added === 'number' ? r.added : 0), 0);
  const inPlan = mine.filter((r) => r.year! >= firstYear);
  const before = mine.filter((r) => r.year! < firstYear && typeof r.total === 'number').sort((a, b) => a.year! - b.year!);
  const toYear = inPlan.filter((r) => r.year! <= year);
  return { kind, addedToYear: sum(toYear), addedInPlan: sum(inPlan), stockBefore: before.length ? before[before.length - 1].total! : null, rows: toYear };
}
