/**
 * What changes when another vehicle is chosen (issue #17): the live report against the default vehicle's report
 * of the same stations, compared by station id — verdict and worst response time.
 */
import type { PlaceReport, Verdict } from '../core/compliance/report';

export interface VehicleChange {
  id: string;
  name: string;
  nameEn?: string;
  /** Verdict and worst response seconds with the default vehicle (null: no such station / not reached). */
  before: { verdict: Verdict; worstS: number | null } | null;
  after: { verdict: Verdict; worstS: number | null } | null;
  verdictChanged: boolean;
  /** Worst response time differs by a second or more (or is reached by one vehicle only). */
  timeChanged: boolean;
}

export interface VehicleDiff {
  changes: VehicleChange[];
  /** Stations whose verdict changed / whose worst time changed (a station may count in both). */
  verdicts: number;
  times: number;
}

const worstOf = (r: PlaceReport['stations'][number]) => ({ verdict: r.verdict, worstS: r.worstResponseSeconds });

/** Stations of `now` (then any only in `base`) that change verdict or worst time against `base`, in report order. */
export function vehicleDiff(base: PlaceReport, now: PlaceReport): VehicleDiff {
  const before = new Map(base.stations.map((r) => [r.id, r]));
  const seen = new Set<string>();
  const changes: VehicleChange[] = [];
  const add = (id: string, b: VehicleChange['before'], a: VehicleChange['after'], name: string, nameEn?: string) => {
    const verdictChanged = (b?.verdict ?? null) !== (a?.verdict ?? null);
    const bs = b?.worstS ?? null, as = a?.worstS ?? null;
    const timeChanged = (bs === null) !== (as === null) || (bs !== null && as !== null && Math.abs(bs - as) >= 1);
    if (verdictChanged || timeChanged) changes.push({ id, name, ...(nameEn ? { nameEn } : {}), before: b, after: a, verdictChanged, timeChanged });
  };
  for (const r of now.stations) {
    seen.add(r.id);
    const b = before.get(r.id);
    add(r.id, b ? worstOf(b) : null, worstOf(r), r.name, r.nameEn);
  }
  for (const r of base.stations) if (!seen.has(r.id)) add(r.id, worstOf(r), null, r.name, r.nameEn);
  return { changes, verdicts: changes.filter((c) => c.verdictChanged).length, times: changes.filter((c) => c.timeChanged).length };
}
