/**
 * What changes when another vehicle is chosen (issue #17): the live report against the default vehicle's report
 * of the same stations, compared by station id — verdict, worst response time, and how much of the district edge is
 * reached (a vehicle shut out of a pocket may keep its verdict and worst reachable time but lose edge points).
 * Used by the compliance panel and `planner check --vehicle`.
 */
import type { PlaceReport, Verdict } from './report';

export interface VehicleChange {
  id: string;
  name: string;
  nameEn?: string;
  /** Verdict and worst response seconds with the default vehicle (null: no such station / not reached). */
  before: StationState | null;
  after: StationState | null;
  verdictChanged: boolean;
  /** Worst response time differs by a second or more (or is reached by one vehicle only). */
  timeChanged: boolean;
  /** The share of the edge within the limit, or the number of edge points the station cannot reach, differs. */
  edgeChanged: boolean;
}

export interface StationState {
  verdict: Verdict;
  worstS: number | null;
  /** Share of the district edge within the travel limit (null: untested). */
  share: number | null;
  unreachable: number;
}

export interface VehicleDiff {
  changes: VehicleChange[];
  /** Stations whose verdict / worst time / edge reach changed (a station may count in several). */
  verdicts: number;
  times: number;
  edges: number;
}

const worstOf = (r: PlaceReport['stations'][number]): StationState =>
  ({ verdict: r.verdict, worstS: r.worstResponseSeconds, share: r.shareWithinLimit, unreachable: r.unreachableEdgePoints });

/** Stations of `now` (then any only in `base`) that change verdict or worst time against `base`, in report order. */
export function vehicleDiff(base: PlaceReport, now: PlaceReport): VehicleDiff {
  const before = new Map(base.stations.map((r) => [r.id, r]));
  const seen = new Set<string>();
  const changes: VehicleChange[] = [];
  const add = (id: string, b: VehicleChange['before'], a: VehicleChange['after'], name: string, nameEn?: string) => {
    const verdictChanged = (b?.verdict ?? null) !== (a?.verdict ?? null);
    const bs = b?.worstS ?? null, as = a?.worstS ?? null;
    const timeChanged = (bs === null) !== (as === null) || (bs !== null && as !== null && Math.abs(bs - as) >= 1);
    const edgeChanged = !!b && !!a && (b.unreachable !== a.unreachable || (b.share === null) !== (a.share === null)
      || (b.share !== null && a.share !== null && Math.abs(b.share - a.share) >= 0.001));
    if (verdictChanged || timeChanged || edgeChanged) changes.push({ id, name, ...(nameEn ? { nameEn } : {}), before: b, after: a, verdictChanged, timeChanged, edgeChanged });
  };
  for (const r of now.stations) {
    seen.add(r.id);
    const b = before.get(r.id);
    add(r.id, b ? worstOf(b) : null, worstOf(r), r.name, r.nameEn);
  }
  for (const r of base.stations) if (!seen.has(r.id)) add(r.id, worstOf(r), null, r.name, r.nameEn);
  const count = (k: 'verdictChanged' | 'timeChanged' | 'edgeChanged') => changes.filter((c) => c[k]).length;
  return { changes, verdicts: count('verdictChanged'), times: count('timeChanged'), edges: count('edgeChanged') };
}
