/**
 * The vehicle and its road rules in the store (issue #17): the vehicle choice (sent to the worker, the live check
 * re-run), the closures of the loaded network for it (data card, map), and the default vehicle's report kept for
 * the "what changes with this vehicle" list of the compliance panel.
 */
import { DIMENSIONS, parseRoadRules, vehicleFiguresIssues, type VehicleFigures } from '../core/roadRules';
import roadRulesJson from '../../geodata/profiles/road-rules.json';
import type { PlaceReport } from '../core/compliance/report';
import type { PlannerClient } from '../worker/client';
import type { VehicleInfo } from '../worker/protocol';
import { isStale, planner } from '../data/planner';
import { errorMsg } from '../i18n/msg';
import { useStore, type PlannerState } from './index';
import { evaluateRequestFor, patchCompliance, runCompliance } from './compliance';
import { selectNetworkReady, selectRoutingStations } from './selectors';
import { selectLiveKey, verdictKeyOf } from './verdictKey';
import { computeIsochrone, computeRoute } from './actions';

const get = () => useStore.getState();
let rulesSeq = 0;
let vehicleSeq = 0;

const RULES = parseRoadRules(roadRulesJson);
/** The vehicles of the road rules file (the selector's choices) and the default one (coverage is tested with it). */
export const VEHICLES: readonly VehicleInfo[] = RULES.vehicles.map((v) => ({
  id: v.id, name: v.name, nameEn: v.nameEn, heightM: v.heightM.value, widthM: v.widthM.value, weightT: v.weightT.value, lengthM: v.lengthM.value, axleLoadT: v.axleLoadT.value,
}));
export const DEFAULT_VEHICLE_ID: string = RULES.defaultVehicle.value;

/** The vehicle in use (state.vehicleId null = the default). */
export const selectVehicleId = (s: PlannerState): string => s.vehicleId ?? DEFAULT_VEHICLE_ID;

/** A vehicle as shown: the planner's figures when edited, its names then marked "（已修改）/ (edited)". */
export interface ShownVehicle extends VehicleInfo { edited: boolean }
const EDITED_ZH = '（已修改）';
const EDITED_EN = ' (edited)';

export const figuresOfInfo = (v: VehicleInfo): VehicleFigures => ({ heightM: v.heightM, widthM: v.widthM, lengthM: v.lengthM, weightT: v.weightT, axleLoadT: v.axleLoadT });
const sameFigures = (a: VehicleFigures, b: VehicleFigures) => DIMENSIONS.every((d) => a[d.key] === b[d.key]);

/** The planner's figures of a vehicle (null: the rules file's). */
export const figuresFor = (s: Pick<PlannerState, 'vehicleEdits'>, id: string): VehicleFigures | null => s.vehicleEdits?.[id] ?? null;
/** The planner's figures of the vehicle in use (null: the file's); part of the verdict key. */
export const selectVehicleFigures = (s: PlannerState): VehicleFigures | null => figuresFor(s, selectVehicleId(s));

/** A vehicle with the planner's figures (state: the store's now). */
export function vehicleOf(id: string, s: Pick<PlannerState, 'vehicleEdits'> = get()): ShownVehicle | undefined {
  const v = VEHICLES.find((x) => x.id === id);
  const f = v && figuresFor(s, id);
  if (!v) return undefined;
  return f ? { ...v, ...f, name: v.name + EDITED_ZH, nameEn: v.nameEn + EDITED_EN, edited: true } : { ...v, edited: false };
}
/** The selector's choices, each with the planner's figures. */
export const vehicleChoices = (s: Pick<PlannerState, 'vehicleEdits'>): ShownVehicle[] => VEHICLES.map((v) => vehicleOf(v.id, s)!);

/** A vehicle's name with its height, width and weight, e.g. "登高平台消防车（高 3.9 m · 宽 2.5 m · 25 t）". */
export function vehicleLabel(v: VehicleInfo, lang: 'zh' | 'en'): string {
  return lang === 'en' ? `${v.nameEn} (${v.heightM} m high · ${v.widthM} m wide · ${v.weightT} t)` : `${v.name}（高 ${v.heightM} m · 宽 ${v.widthM} m · ${v.weightT} t）`;
}

/** The vehicle's full dimensions (shown under the selector). */
export function vehicleDimensions(v: VehicleInfo, lang: 'zh' | 'en'): string {
  return lang === 'en'
    ? `height ${v.heightM} m · width ${v.widthM} m · length ${v.lengthM} m · laden mass ${v.weightT} t · axle load ${v.axleLoadT} t`
    : `车高 ${v.heightM} m · 车宽 ${v.widthM} m · 车长 ${v.lengthM} m · 满载总质量 ${v.weightT} t · 轴荷 ${v.axleLoadT} t`;
}

/**
 * The live check's key as it would be with the default vehicle: the default vehicle's report (vehicleBase) is
 * usable for the comparison while this equals its key.
 */
export const selectDefaultVehicleKey = (s: PlannerState): string =>
  verdictKeyOf({ ...s, vehicleId: null }, selectRoutingStations(s), { coverage: selectNetworkReady(s) });

/** The default vehicle's report when it matches the stations and settings shown now, else undefined. */
export function currentBase(s: PlannerState): PlaceReport | undefined {
  const b = s.vehicleBase;
  return b && b.key === selectDefaultVehicleKey(s) ? b.report : undefined;
}

/** Keeps a live report of the default vehicle as the comparison base (called by runCompliance). */
export function noteLiveReport(s: PlannerState, report: PlaceReport): void {
  if (selectVehicleId(s) !== DEFAULT_VEHICLE_ID) return;
  get().set({ vehicleBase: { key: selectDefaultVehicleKey(s), report } });
}

/** Closures of the current place's network for the current vehicle (data card rows, map symbols). */
export async function loadRoadRules(): Promise<void> {
  const s = get();
  const version = s.network?.info?.version;
  if (!selectNetworkReady(s) || !s.placeId || !version) return;
  const vehicleId = selectVehicleId(s);
  const f = selectVehicleFigures(s);
  const figures = f ? JSON.stringify(f) : undefined;
  const cur = s.roadRules;
  if (cur && cur.version === version && cur.vehicleId === vehicleId && cur.figures === figures && (cur.busy || cur.info)) return;
  const my = ++rulesSeq;
  const placeId = s.placeId;
  const at = { placeId, version, vehicleId, ...(figures ? { figures } : {}) };
  s.set({ roadRules: { ...at, busy: true, info: cur?.placeId === placeId ? cur.info : undefined } });
  try {
    const info = await (await planner()).roadRules(placeId);
    if (my === rulesSeq) get().set({ roadRules: { ...at, busy: false, info } });
  } catch (e) {
    if (my === rulesSeq) get().set({ roadRules: { ...at, busy: false, error: errorMsg(e) } });
  }
}

/**
 * The default vehicle's report of the stations shown now, computed in the worker with the default vehicle; the
 * worker is left with `current` (the vehicle the store names), so live checks keep their vehicle.
 */
async function refreshBase(current: string): Promise<void> {
  const s = get();
  const stations = selectRoutingStations(s);
  const req = evaluateRequestFor(s, stations, selectNetworkReady(s));
  if (!req) return;
  const key = selectDefaultVehicleKey(s);
  const client = await planner();
  const swap = current !== DEFAULT_VEHICLE_ID;
  if (swap) await sendVehicle(client, DEFAULT_VEHICLE_ID);
  try {
    const res = await client.analyse(req, 'vehicle-base');
    if (!isStale(res)) get().set({ vehicleBase: { key, report: res } });
  } finally {
    if (swap) await sendVehicle(client, current);
  }
}

/**
 * Chooses the vehicle: the worker uses it for every later call, the live check and the closures are recomputed.
 * Choosing another vehicle than the default first makes sure the default vehicle's report of the same stations is
 * kept (the comparison base), while the store and the worker still name the vehicle before.
 */
export async function chooseVehicle(id: string): Promise<void> {
  const my = ++vehicleSeq;
  get().set({ vehicleError: undefined, vehicleBusy: true });
  try {
    await applyVehicle(id, my);
  } finally {
    if (my === vehicleSeq) get().set({ vehicleBusy: false });
  }
}

async function applyVehicle(id: string, my: number): Promise<void> {
  try {
    const client = await planner();
    if (id !== DEFAULT_VEHICLE_ID && vehicleOf(id) && !currentBase(get())) await refreshBase(selectVehicleId(get()));
    if (my !== vehicleSeq) return;
    await sendVehicle(client, id); // the worker validates the id ('unknown-vehicle') and the figures
    if (my !== vehicleSeq) return;
    get().set({ vehicleId: id === DEFAULT_VEHICLE_ID ? null : id });
  } catch (e) {
    if (my === vehicleSeq) get().set({ vehicleError: errorMsg(e) });
    return;
  }
  await redoAfterVehicle();
}

/** The vehicle and its planner's figures to the worker. */
const sendVehicle = (client: PlannerClient, id: string): Promise<void> => client.setVehicle(id, figuresFor(get(), id));

/** Sends the vehicle in use with its figures again (a restarted worker). */
export async function resendVehicle(): Promise<void> {
  const s = get();
  if (s.vehicleId || selectVehicleFigures(s)) await sendVehicle(await planner(), selectVehicleId(s));
}

/** Re-runs what depends on the vehicle: the live check, the closures, the isochrone and route shown. */
async function redoAfterVehicle(): Promise<void> {
  // A verdict key that names the vehicle re-runs the check by itself; one that does not must forget its key.
  const s = get();
  const keyNamesVehicle = selectLiveKey({ ...s, vehicleId: null }) !== selectLiveKey({ ...s, vehicleId: `${DEFAULT_VEHICLE_ID}?` });
  if (!keyNamesVehicle) patchCompliance({ reportKey: undefined });
  const { iso, route } = s;
  const redo: Promise<void>[] = [runCompliance(), loadRoadRules()];
  if (iso.stationIds.length) redo.push(computeIsochrone(iso.all ? 'all' : iso.stationIds, iso.bandsMin));
  if (route.to && (route.result || route.error)) redo.push(computeRoute(route.to, route.onlyIds));
  await Promise.all(redo);
}

/** Problems of a planner's figures, one per bad field, in zh and en (empty: valid). */
export const figureIssues = (f: VehicleFigures): { key: string; zh: string; en: string }[] =>
  vehicleFiguresIssues(f).map((i) => ({ key: i.path, zh: i.zh, en: i.en }));

const SAVED_KEY = 'planner.vehicles.v1';

/** The planner's figures kept in the browser (beside the edited speed profile); invalid entries are dropped. */
export function loadSavedVehicleEdits(): Record<string, VehicleFigures> {
  try {
    const raw = JSON.parse(localStorage.getItem(SAVED_KEY) ?? '{}') as Record<string, unknown>;
    return Object.fromEntries(Object.entries(raw).filter(([id, f]) => vehicleOf(id, { vehicleEdits: {} }) && !vehicleFiguresIssues(f).length)) as Record<string, VehicleFigures>;
  } catch {
    return {};
  }
}

function saveVehicleEdits(edits: Record<string, VehicleFigures>): void {
  try {
    if (Object.keys(edits).length) localStorage.setItem(SAVED_KEY, JSON.stringify(edits));
    else localStorage.removeItem(SAVED_KEY);
  } catch {
    /* no storage: the edit still applies for this session */
  }
}

/**
 * Sets a vehicle's figures (null, or the file's figures: back to the file's). Invalid figures are refused with one
 * problem per field (nothing applied); valid ones are kept in the browser, and when the vehicle is the one in use
 * the worker gets them and the check, closures, isochrone and route are recomputed.
 */
export async function editVehicle(id: string, figures: VehicleFigures | null): Promise<{ key: string; zh: string; en: string }[]> {
  const v = VEHICLES.find((x) => x.id === id);
  if (!v) return [{ key: 'id', zh: `未知车辆 ${id}`, en: `unknown vehicle ${id}` }];
  const issues = figures ? figureIssues(figures) : [];
  if (issues.length) return issues;
  const edits = { ...get().vehicleEdits };
  if (figures && !sameFigures(figures, figuresOfInfo(v))) edits[id] = { ...figures };
  else delete edits[id];
  get().set({ vehicleEdits: edits, vehicleError: undefined });
  saveVehicleEdits(edits);
  if (id !== selectVehicleId(get())) return [];
  const my = ++vehicleSeq; // a later choice or edit supersedes this one
  get().set({ vehicleBusy: true });
  try {
    await sendVehicle(await planner(), id);
  } catch (e) {
    if (my === vehicleSeq) get().set({ vehicleError: errorMsg(e), vehicleBusy: false });
    return [];
  }
  try {
    await redoAfterVehicle();
  } finally {
    if (my === vehicleSeq) get().set({ vehicleBusy: false });
  }
  return [];
}

/** At start-up: the saved figures into the store, and the default vehicle's to the worker when edited. */
export async function initVehicleEdits(): Promise<void> {
  const edits = loadSavedVehicleEdits();
  if (!Object.keys(edits).length) return;
  get().set({ vehicleEdits: edits });
  await resendVehicle().catch(() => undefined);
}

/** Re-computes the default vehicle's report for the stations shown now (after a station moved). */
export async function refreshVehicleBase(): Promise<void> {
  get().set({ vehicleBusy: true });
  try {
    await refreshBase(selectVehicleId(get()));
  } catch (e) {
    get().set({ vehicleError: errorMsg(e) });
  } finally {
    get().set({ vehicleBusy: false });
  }
}
