/** Scenario model: one planner's variant of a place's stations (plain data, structured-clone and JSON safe). */
import type { FacilityStatus, Hydrant, PositionQuality, Station, StationClass } from '../types';

export interface ScenarioSettings {
  /** Response standard preset id (compliance helper's geodata/standards/*). */
  standardId: string;
  /** Peak-hour speeds (profile peakFactor) instead of off-peak. */
  peak: boolean;
  /** How responsibility districts are formed: the compliance panel's mode ('given', 'auto', 'towns', 'imported'). */
  districtsMode: string;
}

export interface Scenario {
  id: string;
  name: string;
  placeId: string;
  /** ISO 8601 timestamps. */
  createdAt: string;
  updatedAt: string;
  /** Existing and planned stations copied from the place data, plus user-added ones (status 'proposed', position 'user'). */
  stations: Station[];
  /** Ids of stations switched off in this scenario (kept so they can be switched back on). */
  removedIds: string[];
  settings: ScenarioSettings;
  /** Hydrants / water intakes the planner added (hydrants.ts); absent in scenarios made before them = none. */
  hydrants?: Hydrant[];
}

/** A message for the user in both languages (same shape as the worker's PlannerErrorInfo). */
export interface Message {
  code: string;
  zh: string;
  en: string;
}

const CLASS_EN: Record<StationClass, string> = {
  一级: 'Class 1',
  二级: 'Class 2',
  小型: 'Small',
  乡镇一级: 'Town class 1',
  乡镇二级: 'Town class 2',
  特勤: 'Special service',
};
/** Every station class, in display order, with its English label. */
export const STATION_CLASSES = Object.keys(CLASS_EN) as StationClass[];
export const stationClassEn = (c: StationClass): string => CLASS_EN[c];
export const isStationClass = (v: unknown): v is StationClass => typeof v === 'string' && Object.hasOwn(CLASS_EN, v);

export const FACILITY_STATUSES: FacilityStatus[] = ['existing', 'planned', 'proposed'];
export const POSITION_QUALITIES: PositionQuality[] = ['surveyed', 'from-data', 'approximate', 'user'];

export const validLonLat = (lon: unknown, lat: unknown): boolean =>
  typeof lon === 'number' && typeof lat === 'number' && Number.isFinite(lon) && Number.isFinite(lat) && Math.abs(lon) <= 180 && Math.abs(lat) <= 90;

/** A fresh random id with a prefix (crypto.randomUUID where available). */
export function newId(prefix: string): string {
  const c = (globalThis as { crypto?: { randomUUID?: () => string } }).crypto;
  const u = c?.randomUUID ? c.randomUUID() : `${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 10)}`;
  return `${prefix}-${u}`;
}

/** `base`, or `base (2)`, `base (3)` … — the first not in `taken`. */
export function uniqueName(base: string, taken: Iterable<string>): string {
  const set = new Set(taken);
  if (!set.has(base)) return base;
  for (let i = 2; ; i++) if (!set.has(`${base} (${i})`)) return `${base} (${i})`;
}
