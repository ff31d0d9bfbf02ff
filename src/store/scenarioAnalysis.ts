/**
 * Compliance of scenarios other than the live one — the plan as published (before / after panel) and the two sides
 * of a comparison — through the worker client's scenario queues (one per slot), with the same settings as the live
 * check. Each report is keyed by its verdict key (store/verdictKey.ts): a side is recomputed exactly when its key
 * changes (stations, profile, peak, network, standard, districts …). The client sends an analysis once the live
 * check is idle and a newer analysis of the same slot supersedes an older one; the live check never makes an
 * analysis stale, so an analysis simply awaits its result.
 * Also the nearest road of the selected proposed site (siting: street frontage) via the worker's `snap`.
 */
import type { Station } from '../core/types';
import { activeStations, type Scenario } from '../core/scenario';
import { stationsInYear } from '../core/timeline';
import { isStale, planner } from '../data/planner';
import { errorMsg } from '../i18n/msg';
import { useStore, type PlannerState, type SideReport } from './index';
import { evaluateRequestFor } from './compliance';
import { selectNetworkReady } from './selectors';
import { scenarioById } from './scenario';
import { verdictKeyOf } from './verdictKey';

const get = () => useStore.getState();

/**
 * The stations of a scenario as the live check takes them: year filter and existing / planned layer toggles
 * (stations found in an imported OSM extract are not part of a scenario).
 */
export function checkedStations(s: PlannerState, scn: Scenario): Station[] {
  const act = activeStations(scn);
  const inYear = s.year === null ? act : stationsInYear(act, s.year, { includeProposed: true });
  return inYear.filter((st) => (st.status === 'existing' ? s.layers.stations : s.layers.plan));
}

type Slot = 'baseline' | 'coverage-now' | 'compare-a' | 'compare-b';

/** Verdict key of a scenario's report (its checked stations under the current settings); '' without the scenario. */
function scenarioKey(s: PlannerState, scn: Scenario | undefined, coverage: boolean): string {
  return scn ? verdictKeyOf(s, checkedStations(s, scn), { coverage }) : '';
}

/** Selector: the verdict key of the plan as published (the before / after panel re-runs when it changes). */
export const selectBaselineKey = (s: PlannerState): string => (s.placeId ? scenarioKey(s, scenarioById(s, 'published'), true) : '');

/** Selector: the verdict keys of both compared scenarios. */
export const selectCompareKey = (s: PlannerState): string =>
  `${scenarioKey(s, scenarioById(s, s.compareScn.aId), false)}|${scenarioKey(s, scenarioById(s, s.compareScn.bId), false)}`;

/**
 * Computes one side's report unless the side already holds (or is computing) the report of this key. A result is
 * written only while the side still wants this key (a newer request for the side wins).
 */
async function runSide(slot: Slot, stations: Station[], coverage: boolean, read: () => SideReport | null | undefined, write: (r: SideReport) => void): Promise<void> {
  const s = get();
  const key = verdictKeyOf(s, stations, { coverage });
  const cur = read();
  if (cur && cur.key === key && (cur.busy || cur.report)) return;
  const req = evaluateRequestFor(s, stations, coverage);
  if (!req) return;
  write({ key, busy: true, report: cur?.report });
  try {
    const res = await (await planner()).analyse(req, slot);
    if (isStale(res) || read()?.key !== key) return; // superseded: the newer request of this side writes
    write({ key, busy: false, report: res });
  } catch (e) {
    if (read()?.key === key) write({ key, busy: false, error: errorMsg(e) });
  }
}

/** Compliance of the plan as published (same settings as the live check), for the before / after panel. */
export async function ensureBaseline(): Promise<void> {
  const s = get();
  const pub = s.placeId ? scenarioById(s, 'published') : undefined;
  if (!pub || !s.placeData.boundary) return;
  await runSide('baseline', checkedStations(s, pub), true, () => get().baseline, (r) => get().set({ baseline: r }));
}

/** The open scenario with coverage (after a drag / edit, never during one). */
export async function ensureCoverageNow(): Promise<void> {
  const s = get();
  const cur = s.scenario?.present;
  if (!cur || !s.placeData.boundary || s.dragging) return;
  await runSide('coverage-now', checkedStations(s, cur), true, () => get().coverageNow, (r) => get().set({ coverageNow: r }));
}

/** Compliance of both compared scenarios (A and B, each in its own queue). */
export async function ensureCompare(): Promise<void> {
  const s = get();
  const a = scenarioById(s, s.compareScn.aId);
  const b = scenarioById(s, s.compareScn.bId);
  if (!a || !b || !s.placeData.boundary) return;
  await Promise.all([
    runSide('compare-a', checkedStations(s, a), false, () => get().compareScn.a, (r) => get().set({ compareScn: { ...get().compareScn, a: r } })),
    runSide('compare-b', checkedStations(s, b), false, () => get().compareScn.b, (r) => get().set({ compareScn: { ...get().compareScn, b: r } })),
  ]);
}

export function setCompare(patch: Partial<Pick<PlannerState['compareScn'], 'aId' | 'bId' | 'showOnMap' | 'mapSide' | 'split'>>): void {
  get().set({ compareScn: { ...get().compareScn, ...patch } });
}

let snapSeq = 0;
/** Nearest road to a site (street frontage check); null snap = no road network loaded. */
export async function checkSiteRoad(stationId: string, lon: number, lat: number): Promise<void> {
  const s = get();
  const cur = s.sitingRoad;
  if (cur && cur.stationId === stationId && cur.lon === lon && cur.lat === lat) return;
  if (!selectNetworkReady(s) || !s.placeId) {
    get().set({ sitingRoad: { stationId, lon, lat, busy: false, snap: null } });
    return;
  }
  const my = ++snapSeq;
  get().set({ sitingRoad: { stationId, lon, lat, busy: true } });
  try {
    const res = await (await planner()).snap(s.placeId, [lon, lat]);
    if (my !== snapSeq || isStale(res)) return;
    get().set({ sitingRoad: { stationId, lon, lat, busy: false, snap: res } });
  } catch (e) {
    if (my !== snapSeq) return;
    get().set({ sitingRoad: { stationId, lon, lat, busy: false, snap: null, error: errorMsg(e) } });
  }
}
