/**
 * The two 十四五 plans' indicator tables (geodata/plans/<place>.json) and the population / staffing inputs
 * (geodata/population.json), bundled at build time. Values keep their sources so the UI can show them.
 */
import type { PlanCountRow, PlanIndicatorRow } from '../core/timeline';

const plans = import.meta.glob<unknown>('../../geodata/plans/*.json', { eager: true, import: 'default' });
const popFiles = import.meta.glob<unknown>('../../geodata/population.json', { eager: true, import: 'default' });

interface PlanFile {
  place?: string;
  planTitle?: string;
  planTitleEn?: string;
  indicators?: PlanIndicatorRow[];
  counts?: PlanCountRow[];
}
interface PopFile {
  places?: Record<string, { value: number | null; year: number | null; source: string | null; note?: string; yearNote?: string }>;
  staffPerStationClass?: { note?: string; classes?: Record<string, { min?: number | null; max?: number | null; source?: string }> };
}

const planList = Object.values(plans) as PlanFile[];
const pop = (Object.values(popFiles)[0] ?? {}) as PopFile;

export function planFor(placeId: string): { title: string; titleEn: string; indicators: PlanIndicatorRow[] } | undefined {
  const p = planList.find((x) => x.place === placeId);
  return p ? { title: p.planTitle ?? '', titleEn: p.planTitleEn ?? '', indicators: Array.isArray(p.indicators) ? p.indicators : [] } : undefined;
}

export function populationFor(placeId: string): { value: number | null; year: number | null; source: string | null; note?: string } {
  const p = pop.places?.[placeId];
  return p ? { value: typeof p.value === 'number' ? p.value : null, year: p.year ?? null, source: p.source ?? null, note: p.yearNote ?? p.note } : { value: null, year: null, source: null };
}

/** Staff classes table ({ 一级: { min, max, source } …}) for staffPerClassFrom, and the note on it. */
export function staffTable(): { classes: Record<string, { min?: number | null; max?: number | null; source?: string }>; note: string } {
  return { classes: pop.staffPerStationClass?.classes ?? {}, note: pop.staffPerStationClass?.note ?? '' };
}

/** The plan's hydrant / water-intake count rows (counts[]), [] when none. */
export function planCountsFor(placeId: string): PlanCountRow[] {
  const p = planList.find((x) => x.place === placeId);
  return Array.isArray(p?.counts) ? p.counts : [];
}
