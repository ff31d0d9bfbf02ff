/**
 * Immutable scenario edits. Every function returns a new Scenario, or the SAME object when the edit does not
 * apply (unknown id, invalid value, no change) — so a store can skip pushing an undo step when `next === prev`.
 * `now` (ISO time) is a parameter so results are deterministic in tests; it defaults to the clock.
 */
import type { Station, StationClass } from '../types';
import { isStationClass, newId, uniqueName, validLonLat, type Scenario, type ScenarioSettings } from './types';

const clock = () => new Date().toISOString();
export const DEFAULT_SETTINGS: ScenarioSettings = { standardId: 'jianbiao152-2017', peak: false, districtsMode: 'auto' };
const MAX_NAME = 200;

const cleanName = (name: unknown): string | null => {
  if (typeof name !== 'string') return null;
  const t = name.trim();
  return t && t.length <= MAX_NAME ? t : null;
};

export interface CreateScenarioInput {
  name: string;
  placeId: string;
  /** The place's existing and planned stations (copied). */
  stations?: Station[];
  settings?: Partial<ScenarioSettings>;
  id?: string;
  now?: string;
}

export function createScenario(input: CreateScenarioInput): Scenario {
  const now = input.now ?? clock();
  return {
    id: input.id ?? newId('scn'),
    name: cleanName(input.name) ?? '未命名方案',
    placeId: input.placeId,
    createdAt: now,
    updatedAt: now,
    stations: (input.stations ?? []).map((s) => ({ ...s })),
    removedIds: [],
    settings: { ...DEFAULT_SETTINGS, ...input.settings },
  };
}

/** A copy with a new id, named "<name> (副本)" (made unique against `takenNames`). */
export function duplicateScenario(s: Scenario, opts: { id?: string; now?: string; takenNames?: string[] } = {}): Scenario {
  const now = opts.now ?? clock();
  return {
    ...s,
    id: opts.id ?? newId('scn'),
    name: uniqueName(`${s.name} (副本)`, opts.takenNames ?? []),
    createdAt: now,
    updatedAt: now,
    stations: s.stations.map((st) => ({ ...st })),
    removedIds: [...s.removedIds],
    settings: { ...s.settings },
  };
}

export function renameScenario(s: Scenario, name: string, now = clock()): Scenario {
  const n = cleanName(name);
  return n === null || n === s.name ? s : { ...s, name: n, updatedAt: now };
}

export function updateSettings(s: Scenario, patch: Partial<ScenarioSettings>, now = clock()): Scenario {
  const next = { ...s.settings, ...patch };
  const same = next.standardId === s.settings.standardId && next.peak === s.settings.peak && next.districtsMode === s.settings.districtsMode;
  return same ? s : { ...s, settings: next, updatedAt: now };
}

/** Stations taking part in the analysis (not switched off). */
export function activeStations(s: Scenario): Station[] {
  const off = new Set(s.removedIds);
  return s.stations.filter((st) => !off.has(st.id));
}

/** Whether a station can be dragged: existing stations stay where the data puts them (switch off + add instead). */
export const canMoveStation = (st: Station): boolean => st.status !== 'existing';

const mapStation = (s: Scenario, id: string, f: (st: Station) => Station | null, now: string): Scenario => {
  const i = s.stations.findIndex((st) => st.id === id);
  if (i < 0) return s;
  const next = f(s.stations[i]);
  if (!next) return s;
  const stations = s.stations.slice();
  stations[i] = next;
  return { ...s, stations, updatedAt: now };
};

export interface StationDraft {
  lon: number;
  lat: number;
  name?: string;
  nameEn?: string;
  stationClass?: StationClass;
  id?: string;
}

/** Adds a user-proposed station (status 'proposed', position 'user'), appended last. */
export function addStation(s: Scenario, d: StationDraft, now = clock()): Scenario {
  if (!validLonLat(d.lon, d.lat)) return s;
  if (d.stationClass !== undefined && !isStationClass(d.stationClass)) return s;
  const id = d.id ?? newId('user');
  if (s.stations.some((st) => st.id === id)) return s;
  const names = new Set(s.stations.map((st) => st.name));
  let n = s.stations.filter((st) => st.status === 'proposed').length + 1;
  while (names.has(`建议站点 ${n}`)) n++;
  const st: Station = {
    id,
    name: cleanName(d.name) ?? `建议站点 ${n}`,
    nameEn: cleanName(d.nameEn) ?? (d.name === undefined ? `Proposed site ${n}` : undefined),
    stationClass: d.stationClass ?? '一级',
    status: 'proposed',
    position: 'user',
    source: '用户添加 / added by the user',
    lon: d.lon,
    lat: d.lat,
  };
  if (st.nameEn === undefined) delete st.nameEn;
  return { ...s, stations: [...s.stations, st], updatedAt: now };
}

/** Moves a planned or proposed station; its position becomes 'user' (set by the planner). */
export function moveStation(s: Scenario, id: string, lon: number, lat: number, now = clock()): Scenario {
  if (!validLonLat(lon, lat)) return s;
  return mapStation(s, id, (st) => (!canMoveStation(st) || (st.lon === lon && st.lat === lat) ? null : { ...st, lon, lat, position: 'user' }), now);
}

export function renameStation(s: Scenario, id: string, name: string, now = clock()): Scenario {
  const n = cleanName(name);
  if (n === null) return s;
  return mapStation(s, id, (st) => (st.name === n ? null : { ...st, name: n }), now);
}

export function setStationClass(s: Scenario, id: string, stationClass: StationClass, now = clock()): Scenario {
  if (!isStationClass(stationClass)) return s;
  return mapStation(s, id, (st) => (st.stationClass === stationClass ? null : { ...st, stationClass }), now);
}

/** Switches a station on or off for this scenario (plan items are never deleted, only switched off). */
export function setStationActive(s: Scenario, id: string, active: boolean, now = clock()): Scenario {
  if (!s.stations.some((st) => st.id === id)) return s;
  const off = s.removedIds.includes(id);
  if (off === !active) return s;
  return { ...s, removedIds: active ? s.removedIds.filter((x) => x !== id) : [...s.removedIds, id], updatedAt: now };
}

/**
 * Deletes a user-proposed station. Existing and planned stations come from the place data: "deleting" them
 * switches them off (removedIds), so nothing from the data is lost and they can be switched back on.
 */
export function deleteStation(s: Scenario, id: string, now = clock()): Scenario {
  const st = s.stations.find((x) => x.id === id);
  if (!st) return s;
  if (st.status !== 'proposed') return setStationActive(s, id, false, now);
  return { ...s, stations: s.stations.filter((x) => x.id !== id), removedIds: s.removedIds.filter((x) => x !== id), updatedAt: now };
}

/** Replaces the scenario with the same id in a list, or appends it (for the store's scenario list). */
export function upsertScenario(list: Scenario[], s: Scenario): Scenario[] {
  const i = list.findIndex((x) => x.id === s.id);
  if (i < 0) return [...list, s];
  if (list[i] === s) return list;
  const next = list.slice();
  next[i] = s;
  return next;
}

export function removeScenario(list: Scenario[], id: string): Scenario[] {
  return list.some((x) => x.id === id) ? list.filter((x) => x.id !== id) : list;
}
