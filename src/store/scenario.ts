/**
 * Scenario editing: add a proposed site, drag planned / proposed sites, switch stations off and on, undo/redo.
 * The scenario starts as a copy of the place's stations; it is saved per place in IndexedDB.
 */
import type { Feature, FeatureCollection } from 'geojson';
import {
  addStation, canRedo, canUndo, createHistory, createScenario, deleteStation, moveStation, push, redo, scenarioFileName,
  scenarioToGeoJSON, seal, setStationActive, undo, type Scenario,
} from '../core/scenario';
import type { LonLat, Station, StationClass } from '../core/types';
import { downloadText, loadScenario, saveScenario } from '../data/scenarios';
import type { PlaceData } from '../data/places';
import { useStore } from './index';

const get = () => useStore.getState();

function stationsOf(data: PlaceData): Station[] {
  const out: Station[] = [];
  for (const fc of [data.facilities, data.plan] as (FeatureCollection | undefined)[])
    for (const f of fc?.features ?? []) {
      const p = f.properties ?? {};
      if (p.kind !== 'station' || f.geometry?.type !== 'Point') continue;
      const [lon, lat] = f.geometry.coordinates;
      out.push({ ...(p as unknown as Station), lon, lat });
    }
  return out;
}

/** Loads the stored scenario of the place (adding stations new in the data) or starts one from the data. */
export async function initScenario(placeId: string, data: PlaceData): Promise<void> {
  const fromData = stationsOf(data);
  let s = await loadScenario(placeId);
  if (get().placeId !== placeId) return;
  if (s && s.placeId === placeId && Array.isArray(s.stations)) {
    const known = new Set(s.stations.map((x) => x.id));
    const added = fromData.filter((x) => !known.has(x.id));
    if (added.length) s = { ...s, stations: [...s.stations, ...added] };
  } else {
    s = createScenario({ name: '方案 1', placeId, stations: fromData });
  }
  get().set({ scenario: createHistory(s), placing: null, dragging: false });
}

let saveTimer: ReturnType<typeof setTimeout> | undefined;
function commit(next: Scenario, key?: string): void {
  const h = get().scenario;
  if (!h || next === h.present) return;
  get().set({ scenario: push(h, next, key) });
  clearTimeout(saveTimer);
  saveTimer = setTimeout(() => {
    const cur = get().scenario?.present;
    if (cur) void saveScenario(cur).catch(() => undefined);
  }, 400);
}

export function startPlacing(cls: StationClass | null): void {
  get().set({ placing: cls });
}

export function placeProposed(at: LonLat): void {
  const s = get();
  const h = s.scenario;
  if (!h || !s.placing) return;
  commit(addStation(h.present, { lon: at[0], lat: at[1], stationClass: s.placing }));
  get().set({ placing: null });
}

export function dragStation(id: string, at: LonLat, dragKey: string): void {
  const h = get().scenario;
  if (!h) return;
  if (!get().dragging) get().set({ dragging: true });
  commit(moveStation(h.present, id, at[0], at[1]), dragKey);
}

export function endDrag(): void {
  const h = get().scenario;
  get().set({ dragging: false, ...(h ? { scenario: seal(h) } : {}) });
}

export function removeStation(id: string): void {
  const h = get().scenario;
  if (h) commit(deleteStation(h.present, id));
}

export function restoreStation(id: string): void {
  const h = get().scenario;
  if (h) commit(setStationActive(h.present, id, true));
}

function replace(next: ReturnType<typeof undo<Scenario>>): void {
  get().set({ scenario: next });
  void saveScenario(next.present).catch(() => undefined);
}
export const undoScenario = () => {
  const h = get().scenario;
  if (h && canUndo(h)) replace(undo(h));
};
export const redoScenario = () => {
  const h = get().scenario;
  if (h && canRedo(h)) replace(redo(h));
};

/** Back to the place data (the old state stays one undo step away). */
export function resetScenario(): void {
  const s = get();
  if (!s.scenario || !s.placeId) return;
  commit(createScenario({ name: s.scenario.present.name, placeId: s.placeId, stations: stationsOf(s.placeData) }));
}

export function exportScenario(): void {
  const s = get().scenario?.present;
  if (s) downloadText(scenarioFileName(s), JSON.stringify(scenarioToGeoJSON(s), null, 1));
}

/** Active scenario stations as map features (kind 'station'). */
export function scenarioFeatures(s: Scenario): Feature[] {
  const off = new Set(s.removedIds);
  return s.stations
    .filter((st) => !off.has(st.id))
    .map((st) => ({ type: 'Feature', geometry: { type: 'Point', coordinates: [st.lon, st.lat] }, properties: { ...st, kind: 'station' } }));
}
