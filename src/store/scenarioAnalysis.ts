/**
 * Compliance of scenarios other than the live one — the plan as published (before / after panel) and the two sides
 * of a comparison — through the worker's `evaluate` with the same settings as the live check. The worker client
 * keeps one latest-only lane for `evaluate`, so these requests are only sent while the live check is idle (and
 * retried when superseded): they never make the live check's request stale.
 * Also the nearest road of the selected proposed site (siting: street frontage) via the worker's `snap`.
 */
import type { Station } from '../core/types';
import type { PlaceReport } from '../core/compliance/report';
import { activeStations, type Scenario } from '../core/scenario';
import { stationsInYear } from '../core/timeline';
import { isStale, planner, toPlannerError } from '../data/planner';
import { useStore, type PlannerState, type SideReport } from './index';
import { districtMode, evaluateRequestFor, standardId } from './compliance';
import { selectNetworkReady } from './selectors';
import { scenarioById } from './scenario';

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

/** What a report depends on besides the stations (standard, districts, network, peak, year, layer toggles). */
export function settingsKey(s: PlannerState): string {
  return [s.placeId, selectNetworkReady(s) ? 'net' : 'est', standardId(s), districtMode(s), s.peak, s.year, s.layers.stations, s.layers.plan,
    s.compliance.imported?.assign.join(',') ?? ''].join('|');
}

/** Resolves once the live check is idle and nothing is being dragged. */
function whenIdle(): Promise<void> {
  const idle = (s: PlannerState) => !s.compliance.busy && !s.dragging;
  if (idle(get())) return Promise.resolve();
  return new Promise((resolve) => {
    const un = useStore.subscribe((s) => {
      if (idle(s)) {
        un();
        resolve();
      }
    });
  });
}

class Superseded extends Error {}

let queue: Promise<unknown> = Promise.resolve();
/** One of these evaluations at a time (so they never supersede each other in the worker client's lane). */
function serial<T>(fn: () => Promise<T>): Promise<T> {
  const run = queue.then(fn, fn);
  queue = run.catch(() => undefined);
  return run;
}

/** Evaluates the stations under the current settings; throws Superseded when `live()` turns false meanwhile. */
async function evaluateStationsNow(stations: Station[], live: () => boolean, coverage: boolean): Promise<PlaceReport> {
  const client = await planner();
  for (let attempt = 0; attempt < 40; attempt++) {
    await whenIdle();
    if (!live()) throw new Superseded();
    // (the before / after panel also shows reached road / area — coverage; the comparison needs only verdicts)
    const req = evaluateRequestFor(get(), stations, coverage);
    if (!req) throw new Superseded();
    // checked synchronously right before the call: the live check is not waiting in the lane
    if (get().compliance.busy) continue;
    const res = await client.evaluate(req);
    if (!live()) throw new Superseded();
    if (!isStale(res)) return res as PlaceReport;
  }
  throw new Superseded();
}

const evaluateStations = (stations: Station[], live: () => boolean, coverage: boolean) => serial(() => evaluateStationsNow(stations, live, coverage));

async function runSide(key: string, stations: Station[], read: () => SideReport | null | undefined, write: (r: SideReport) => void, coverage = false): Promise<void> {
  const cur = read();
  if (cur && cur.key === key && (cur.busy || cur.report)) return;
  write({ key, busy: true, report: cur?.report });
  try {
    const report = await evaluateStations(stations, () => read()?.key === key, coverage);
    write({ key, busy: false, report });
  } catch (e) {
    if (e instanceof Superseded) {
      if (read()?.key === key) write({ key: '', busy: false }); // gave up: the next change retries
      return;
    }
    const p = toPlannerError(e);
    if (read()?.key === key) write({ key, busy: false, error: { key: 'errors.generic', zh: p.zh, en: p.en } });
  }
}

/** Compliance of the plan as published (same settings as the live check), for the before / after panel. */
export async function ensureBaseline(): Promise<void> {
  const s = get();
  const pub = s.placeId ? scenarioById(s, 'published') : undefined;
  if (!pub || !s.placeData.boundary) return;
  const stations = checkedStations(s, pub);
  const key = `${settingsKey(s)}#${pub.updatedAt}:${stations.length}`;
  await runSide(key, stations, () => get().baseline, (r) => get().set({ baseline: r }), true);
}

/** The open scenario with coverage (after a drag / edit, never during one). */
export async function ensureCoverageNow(): Promise<void> {
  const s = get();
  const cur = s.scenario?.present;
  if (!cur || !s.placeData.boundary || s.dragging) return;
  const stations = checkedStations(s, cur);
  const key = `${settingsKey(s)}#${cur.id}@${cur.updatedAt}:${stations.length}`;
  await runSide(key, stations, () => get().coverageNow, (r) => get().set({ coverageNow: r }), true);
}

/** Compliance of both compared scenarios (A then B). */
export async function ensureCompare(): Promise<void> {
  const s = get();
  const a = scenarioById(s, s.compareScn.aId);
  const b = scenarioById(s, s.compareScn.bId);
  if (!a || !b || !s.placeData.boundary) return;
  const base = settingsKey(s);
  const side = (x: Scenario) => `${base}#${x.id}@${x.updatedAt}`;
  await runSide(side(a), checkedStations(s, a), () => get().compareScn.a, (r) => get().set({ compareScn: { ...get().compareScn, a: r } }));
  const s2 = get();
  const b2 = scenarioById(s2, s2.compareScn.bId);
  if (!b2) return;
  await runSide(side(b2), checkedStations(s2, b2), () => get().compareScn.b, (r) => get().set({ compareScn: { ...get().compareScn, b: r } }));
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
    const p = toPlannerError(e);
    get().set({ sitingRoad: { stationId, lon, lat, busy: false, snap: null, error: { key: 'errors.generic', zh: p.zh, en: p.en } } });
  }
}
