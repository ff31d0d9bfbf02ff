/**
 * Scenarios of the current place: "规划原案 / plan as published" (read-only, built from the place data) and the
 * planner's named scenarios (create, duplicate, rename, delete, switch; files: scenarioFiles.ts). Each scenario is edited
 * with undo/redo (drags coalesced into one step); everything — scenarios, the open one and their undo history — is
 * autosaved to IndexedDB shortly after every edit and restored after a reload or crash.
 * Editing the plan as published starts a new scenario (the published plan stays the baseline).
 */
import type { Feature } from 'geojson';
import { metresPerDegree } from '../core/geo';
import {
  addStation, canRedo, canUndo, conflictCopyName, createHistory, createScenario, deleteStation, duplicateScenario, moveStation, newId, push, remoteAction,
  redo, removeScenario, renameScenario, renameStation, seal,
  placeStations, setStationActive, setStationClass, undo, upsertScenario, type History, type Scenario, type ScenarioSettings,
  type StoredHistory, type StoredScenario,
} from '../core/scenario';
import { districtMode, standardId } from './compliance';
import type { LonLat, Station, StationClass } from '../core/types';
import {
  loadPlaceScenarios, onScenarioChange, readScenario, saveActiveId, writeScenario, type ScenarioChange,
} from '../data/scenarios';
import { addConflict, clearConflicts, conflictOf, dropConflict, useScenarioSync, type ScenarioConflict } from './scenarioSync';
import type { PlaceData } from '../data/places';
import { PUBLISHED_ID, useStore, type PlannerState } from './index';
import { siteAllowed } from './water';
import { editLocked } from './editLock';

const get = () => useStore.getState();
const set = (patch: Partial<PlannerState>) => get().set(patch);

export { PUBLISHED_ID };
export const PUBLISHED_NAME = '规划原案';
/** Undo steps kept on disk per scenario (the in-memory history keeps 200). */
const SAVED_STEPS = 120;


let lastPublished: { placeId: string; data: PlaceData; s: Scenario } | undefined;
/** The plan as published: the place's existing and planned stations, unchanged (same object for the same data). */
export function publishedScenario(placeId: string, data: PlaceData): Scenario {
  if (lastPublished && lastPublished.placeId === placeId && lastPublished.data.facilities === data.facilities && lastPublished.data.plan === data.plan)
    return lastPublished.s;
  const s = createScenario({ id: PUBLISHED_ID, name: PUBLISHED_NAME, placeId, stations: [...placeStations(data.facilities), ...placeStations(data.plan)], now: '2021-01-01T00:00:00.000Z' });
  lastPublished = { placeId, data, s };
  return s;
}

/** Histories of the scenarios not open right now (the open one lives in the store). */
const histories = new Map<string, History<Scenario>>();
let loadedPlace: string | undefined;

function withNewDataStations(s: Scenario, fromData: Station[]): Scenario {
  const known = new Set(s.stations.map((x) => x.id));
  const added = fromData.filter((x) => !known.has(x.id));
  return added.length ? { ...s, stations: [...s.stations, ...added] } : s;
}

/** This tab, as named in the records it writes (its own change notices are ignored). */
const TAB = newId('tab');
/**
 * Per scenario id of the loaded place: the stored revision this tab is based on and the scenario object it last
 * wrote or read. Edits replace scenario objects, so a scenario "has unsaved changes" when it is another object.
 */
const stored = new Map<string, { rev: number; scenario: Scenario }>();

const isStoredHistory = (h: StoredHistory | undefined): h is StoredHistory =>
  !!h && Array.isArray(h.past) && Array.isArray(h.future) && [...h.past, ...h.future].every((x) => !!x && typeof x === 'object' && Array.isArray(x.stations) && Array.isArray(x.removedIds));

/** Loads the stored scenarios of the place (adding stations new in the data); opens the one open last time. */
export async function initScenario(placeId: string, data: PlaceData): Promise<void> {
  const fromData = publishedScenario(placeId, data).stations;
  const rec = await loadPlaceScenarios(placeId, TAB);
  if (get().placeId !== placeId) return;
  clearTimeout(saveTimer);
  histories.clear();
  stored.clear();
  clearConflicts();
  loadedPlace = placeId;
  const list: Scenario[] = [];
  for (const r of rec?.records ?? []) {
    const s = withNewDataStations(r.scenario, fromData);
    list.push(s);
    stored.set(s.id, { rev: r.rev, scenario: s });
    const h = r.history;
    if (isStoredHistory(h)) histories.set(s.id, { ...createHistory(s), past: h.past.map((x) => withNewDataStations(x, fromData)), future: h.future.map((x) => withNewDataStations(x, fromData)) });
  }
  const pub = publishedScenario(placeId, data);
  const active = list.find((s) => s.id === rec?.activeId);
  set({
    scenarios: list,
    activeScenarioId: active ? active.id : PUBLISHED_ID,
    scenario: active ? histories.get(active.id) ?? createHistory(active) : createHistory(pub),
    placing: null,
    dragging: false,
    scenarioSave: rec ? { status: 'saved', at: Date.now() } : { status: 'idle' },
    scenarioIo: { status: 'idle' },
    year: null,
    baseline: null,
    coverageNow: null,
    compareScn: { aId: PUBLISHED_ID, bId: active?.id ?? list[0]?.id ?? '', showOnMap: false, mapSide: 'both', split: 50 },
    sitingRoad: null,
  });
  if (active) histories.delete(active.id);
}

// ---- autosave ----
let saveTimer: ReturnType<typeof setTimeout> | undefined;
/** Bumped by every change that needs saving; a save only reports 'saved' when nothing changed meanwhile. */
let dirty = 0;

function scheduleSave(delay = 250): void {
  dirty++;
  if (get().scenarioSave.status !== 'pending') set({ scenarioSave: { ...get().scenarioSave, status: 'pending' } });
  clearTimeout(saveTimer);
  saveTimer = setTimeout(() => void flushSave(), delay);
}

const trimmed = (h: History<Scenario>): StoredHistory => ({ past: h.past.slice(-SAVED_STEPS), future: h.future.slice(0, SAVED_STEPS) });

/** The save running now, and the one queued behind it (it covers every caller that asks meanwhile). */
let saving: Promise<void> = Promise.resolve();
let queued: Promise<void> | null = null;

/**
 * Writes the changed scenarios of the place (each with its undo steps) to IndexedDB now, each only over the
 * revision this tab is based on: a scenario another tab stored meanwhile is not overwritten but asked about.
 * Saves run one after another: two at once would both write over the same revision, and the second would take
 * this tab's own first write for another tab's (a false conflict).
 */
export function flushSave(): Promise<void> {
  if (queued) return queued;
  const next = saving.then(() => { queued = null; return writeChanged(); });
  queued = next;
  saving = next.catch(() => undefined);
  return next;
}

async function writeChanged(): Promise<void> {
  const s = get();
  if (!s.placeId || s.placeId !== loadedPlace || !s.scenario) return;
  if (s.dragging) {
    // one write at the end of a drag, not one per frame
    clearTimeout(saveTimer);
    saveTimer = setTimeout(() => void flushSave(), 400);
    return;
  }
  clearTimeout(saveTimer);
  const gen = dirty;
  const placeId = s.placeId;
  const historyOf = (id: string) => (id === s.activeScenarioId ? s.scenario : histories.get(id));
  try {
    for (const sc of s.scenarios) {
      const prev = stored.get(sc.id);
      if (prev?.scenario === sc || conflictOf(sc.id)) continue;
      const h = historyOf(sc.id);
      const d = await writeScenario(placeId, prev?.rev ?? 0, { scenario: sc, history: h ? trimmed(h) : undefined }, TAB);
      if (loadedPlace !== placeId) return;
      if (d.ok) stored.set(sc.id, { rev: d.record.rev, scenario: sc });
      else addConflict({ id: sc.id, name: sc.name, theirs: d.theirs });
    }
    for (const [id, prev] of [...stored]) {
      if (s.scenarios.some((x) => x.id === id) || get().scenarios.some((x) => x.id === id)) continue;
      const d = await writeScenario(placeId, prev.rev, { scenario: prev.scenario, deleted: true }, TAB);
      if (loadedPlace !== placeId) return;
      if (d.ok) stored.delete(id);
      else adopt(d.theirs); // another tab changed it after this tab last saw it: their work comes back, not lost
    }
    await saveActiveId(placeId, s.activeScenarioId);
    if (get().placeId === placeId && gen === dirty && !useScenarioSync.getState().conflicts.length) set({ scenarioSave: { status: 'saved', at: Date.now() } });
  } catch (e) {
    set({ scenarioSave: { status: 'error', error: e instanceof Error ? e.message : String(e) } });
  }
}

/** Takes over a record another tab stored: replaces (or adds, or removes) the scenario; this tab's version stays one undo step away. */
function adopt(rec: StoredScenario): void {
  const s = get();
  const id = rec.scenario.id;
  if (rec.deleted) {
    stored.delete(id);
    histories.delete(id);
    if (s.activeScenarioId === id && s.placeId) set({ activeScenarioId: PUBLISHED_ID, scenario: createHistory(publishedScenario(s.placeId, s.placeData)), selection: null, placing: null });
    const cs = get().compareScn;
    set({ scenarios: removeScenario(get().scenarios, id), compareScn: { ...cs, aId: cs.aId === id ? PUBLISHED_ID : cs.aId, bId: cs.bId === id ? '' : cs.bId } });
    return;
  }
  const sc = rec.scenario;
  stored.set(id, { rev: rec.rev, scenario: sc });
  const scenarios = upsertScenario(s.scenarios, sc);
  if (s.activeScenarioId === id && s.scenario) {
    set({ scenarios, scenario: push(seal(s.scenario), sc) });
    refreshSelection();
  } else {
    const h = histories.get(id);
    if (h) histories.set(id, push(seal(h), sc));
    set({ scenarios });
  }
}

/** Another tab stored a scenario of this place: take it over, or ask when this tab has unsaved changes of it. */
async function onRemoteChange(c: ScenarioChange): Promise<void> {
  if (c.tab === TAB || c.placeId !== loadedPlace) return;
  const rec = await readScenario(c.placeId, c.id);
  if (!rec || loadedPlace !== c.placeId) return;
  const mine = get().scenarios.find((x) => x.id === c.id);
  const prev = stored.get(c.id);
  const action = remoteAction({ baseRev: prev?.rev ?? 0, dirty: !!mine && prev?.scenario !== mine, scenario: mine }, rec);
  if (action === 'adopt') {
    adopt(rec);
    if (conflictOf(c.id)) dropConflict(c.id);
  } else if (action === 'conflict' && mine) addConflict({ id: c.id, name: mine.name, theirs: rec });
}

/**
 * The planner's answer to a conflict: 'reload' takes the other tab's version (this tab's stays one undo step
 * away); 'copy' also takes theirs, and keeps this tab's version as a new scenario, opened when it was open.
 */
/** The name "keep mine as a copy" gives this tab's version: unique beside the scenarios once theirs is taken over. */
export function conflictCopyNameOf(c: ScenarioConflict, list: Scenario[]): string {
  const others = list.filter((x) => x.id !== c.id).map((x) => x.name);
  return conflictCopyName(c.name, [PUBLISHED_NAME, ...others, ...(c.theirs.deleted ? [] : [c.theirs.scenario.name])]);
}

export function resolveConflict(choice: 'reload' | 'copy'): void {
  const c = useScenarioSync.getState().conflicts[0];
  if (!c) return;
  dropConflict(c.id);
  const s = get();
  const mine = s.scenarios.find((x) => x.id === c.id);
  const wasActive = s.activeScenarioId === c.id;
  const name = conflictCopyNameOf(c, s.scenarios);
  adopt(c.theirs);
  if (choice === 'copy' && mine) {
    const copy = { ...duplicateScenario(mine), name };
    if (wasActive) addAndOpen(copy);
    else set({ scenarios: [...get().scenarios, copy] });
  }
  scheduleSave(0);
}

if (typeof window !== 'undefined') {
  window.addEventListener('pagehide', () => void flushSave());
  document.addEventListener('visibilitychange', () => document.visibilityState === 'hidden' && void flushSave());
  onScenarioChange((c) => void onRemoteChange(c));
}

// ---- editing ----
const isPublished = () => get().activeScenarioId === PUBLISHED_ID;

/** A default scenario name not yet taken ("方案 1", "方案 2" …). */
function nextName(list: Scenario[]): string {
  const taken = new Set(list.map((s) => s.name));
  let n = list.length + 1;
  while (taken.has(`方案 ${n}`)) n++;
  return `方案 ${n}`;
}

/** Applies an edit to the open scenario; on the plan as published, the edit goes to a new scenario. */
/** The settings the planner works with now: recorded in a scenario when it is made, forked or exported. */
export const liveSettings = (s: PlannerState): ScenarioSettings => ({ standardId: standardId(s), peak: s.peak, districtsMode: districtMode(s) });

export function edit(fn: (s: Scenario) => Scenario, key?: string): void {
  const s = get();
  let h = s.scenario;
  if (!h || !s.placeId || editLocked()) return; // read-only (a commander on a server place): nothing changes
  const next = fn(h.present);
  if (next === h.present) return;
  if (isPublished()) {
    const fork = { ...duplicateScenario(h.present), name: nextName(s.scenarios), settings: liveSettings(s) };
    h = createHistory(fork);
    const nh = push(h, fn(fork), key);
    set({ activeScenarioId: fork.id, scenario: nh, scenarios: [...s.scenarios, nh.present], compareScn: { ...s.compareScn, bId: fork.id } });
  } else {
    const nh = push(h, next, key);
    set({ scenario: nh, scenarios: upsertScenario(s.scenarios, nh.present) });
  }
  scheduleSave();
}

export function startPlacing(cls: StationClass | null): void {
  set({ placing: cls });
}

export function placeProposed(at: LonLat): void {
  const s = get();
  if (!s.scenario || !s.placing) return;
  const cls = s.placing;
  if (!siteAllowed(at)) return; // in water: refused with a message, nothing added (still placing)
  const before = new Set(s.scenario.present.stations.map((x) => x.id));
  edit((sc) => addStation(sc, { lon: at[0], lat: at[1], stationClass: cls }));
  const added = get().scenario?.present.stations.find((x) => !before.has(x.id));
  set({ placing: null, ...(added ? { selection: { kind: 'station', props: { ...added, kind: 'station' }, lngLat: at } } : {}) });
}

export function dragStation(id: string, at: LonLat, dragKey: string): void {
  if (editLocked()) return;
  if (!get().dragging) set({ dragging: true });
  if (!siteAllowed(at)) return; // in water: the station stays where it was (message shown)
  edit((sc) => moveStation(sc, id, at[0], at[1]), dragKey);
  refreshSelection(); // the popup / editor of the dragged station follow it
}

/** Keeps the selected station's popup / editor in step with the scenario (after a drag, rename or class change). */
function refreshSelection(): void {
  const s = get();
  const sel = s.selection;
  if (sel?.kind !== 'station' || typeof sel.props.id !== 'string') return;
  const st = s.scenario?.present.stations.find((x) => x.id === sel.props.id);
  if (st && (st.lon !== sel.lngLat[0] || st.lat !== sel.lngLat[1] || st.name !== sel.props.name || st.stationClass !== sel.props.stationClass))
    set({ selection: { kind: 'station', props: { ...sel.props, ...st, kind: 'station' }, lngLat: [st.lon, st.lat] } });
}

export function endDrag(): void {
  const h = get().scenario;
  set({ dragging: false, ...(h ? { scenario: seal(h) } : {}) });
  refreshSelection();
  scheduleSave(50);
}

/** Moves a planned / proposed station by metres east / north (keyboard); a series of nudges is one undo step. */
export function nudgeStation(id: string, eastM: number, northM: number): void {
  const st = get().scenario?.present.stations.find((x) => x.id === id);
  if (!st) return;
  const { mx, my } = metresPerDegree(st.lat);
  if (!siteAllowed([st.lon + eastM / mx, st.lat + northM / my])) return;
  edit((sc) => moveStation(sc, id, st.lon + eastM / mx, st.lat + northM / my), `nudge:${id}`);
  refreshSelection();
}

export function removeStation(id: string): void {
  edit((sc) => deleteStation(sc, id));
  const sel = get().selection;
  if (sel && sel.kind === 'station' && sel.props.id === id) set({ selection: null });
}

export function restoreStation(id: string): void {
  edit((sc) => setStationActive(sc, id, true));
}

export function renameProposed(id: string, name: string): void {
  edit((sc) => renameStation(sc, id, name));
  refreshSelection();
}

export function setProposedClass(id: string, cls: StationClass): void {
  edit((sc) => setStationClass(sc, id, cls));
  refreshSelection();
}

function replaceHistory(next: History<Scenario>): void {
  if (editLocked()) return;
  const s = get();
  set({ scenario: next, scenarios: isPublished() ? s.scenarios : upsertScenario(s.scenarios, next.present) });
  refreshSelection();
  scheduleSave();
}
export const undoScenario = () => {
  const h = get().scenario;
  if (h && canUndo(h)) replaceHistory(undo(h));
};
export const redoScenario = () => {
  const h = get().scenario;
  if (h && canRedo(h)) replaceHistory(redo(h));
};

/** Back to the place data (the old state stays one undo step away). */
export function resetScenario(): void {
  const s = get();
  if (!s.scenario || !s.placeId || isPublished()) return;
  const pub = publishedScenario(s.placeId, s.placeData);
  edit((sc) => ({ ...sc, stations: pub.stations.map((x) => ({ ...x })), removedIds: [], updatedAt: new Date().toISOString() }));
}

// ---- the scenario list ----
export function scenarioById(s: PlannerState, id: string): Scenario | undefined {
  if (!s.placeId) return undefined;
  if (id === s.activeScenarioId && s.scenario) return s.scenario.present;
  if (id === PUBLISHED_ID) return publishedScenario(s.placeId, s.placeData);
  return s.scenarios.find((x) => x.id === id);
}

export function switchScenario(id: string): void {
  const s = get();
  if (!s.scenario || !s.placeId || id === s.activeScenarioId) return;
  const target = scenarioById(s, id);
  if (!target) return;
  if (s.activeScenarioId !== PUBLISHED_ID) histories.set(s.activeScenarioId, seal(s.scenario));
  const h = histories.get(id) ?? createHistory(target);
  histories.delete(id);
  set({ activeScenarioId: id, scenario: h, selection: null, placing: null, sitingRoad: null });
  scheduleSave();
}

export function addAndOpen(scn: Scenario): void {
  const s = get();
  set({ scenarios: [...s.scenarios, scn] });
  switchScenario(scn.id);
}

/** A new scenario from the place data. */
export function newScenario(): void {
  const s = get();
  if (!s.placeId) return;
  addAndOpen(createScenario({ name: nextName(s.scenarios), placeId: s.placeId, stations: publishedScenario(s.placeId, s.placeData).stations, settings: liveSettings(s) }));
}

export function duplicateActive(): void {
  const s = get();
  if (!s.scenario) return;
  addAndOpen({ ...duplicateScenario(s.scenario.present, { takenNames: [PUBLISHED_NAME, ...s.scenarios.map((x) => x.name)] }), settings: liveSettings(s) });
}

/** Renames the open scenario (names are unique per place; the plan as published keeps its name). */
export function renameActive(name: string): 'ok' | 'taken' | 'invalid' {
  const s = get();
  if (!s.scenario || isPublished()) return 'invalid';
  const clean = name.trim();
  if (!clean) return 'invalid';
  if (clean === PUBLISHED_NAME || s.scenarios.some((x) => x.id !== s.activeScenarioId && x.name === clean)) return 'taken';
  edit((sc) => renameScenario(sc, clean));
  return 'ok';
}

/** Deletes a user scenario (the UI asks first) and opens the plan as published. */
export function deleteScenario(id: string): void {
  const s = get();
  if (id === PUBLISHED_ID || !s.scenarios.some((x) => x.id === id)) return;
  if (id === s.activeScenarioId) switchScenario(PUBLISHED_ID);
  histories.delete(id);
  const cs = get().compareScn;
  set({ scenarios: removeScenario(get().scenarios, id), compareScn: { ...cs, aId: cs.aId === id ? PUBLISHED_ID : cs.aId, bId: cs.bId === id ? '' : cs.bId } });
  scheduleSave(0);
}

/** Active scenario stations as map features (kind 'station'). */
export function scenarioFeatures(s: Scenario): Feature[] {
  const off = new Set(s.removedIds);
  return s.stations
    .filter((st) => !off.has(st.id))
    .map((st) => ({ type: 'Feature', geometry: { type: 'Point', coordinates: [st.lon, st.lat] }, properties: { ...st, kind: 'station' } }));
}
