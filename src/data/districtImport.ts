/**
 * Responsibility-district polygons imported by the planner (GeoJSON): read and checked (the core's district-file
 * check: WGS84 lon/lat or converted Web Mercator, polygons only, self-intersections repaired), each polygon assigned
 * to a station, kept per place in IndexedDB. Every feature of the file is kept (a polygon that cannot be used keeps
 * its properties, its geometry set to null); what cannot be used or was changed is listed in `notes`.
 */
import { createStore, del, get, set } from 'idb-keyval';
import type { FeatureCollection, Feature, Polygon, MultiPolygon } from 'geojson';
import { booleanPointInPolygon, centroid } from '@turf/turf';
import { checkDistrictFile } from '../core/compliance/districtFile';
import { plannerError } from '../core/errors';
import { haversineM } from '../core/geo';

export interface Bilingual {
  zh: string;
  en: string;
}

export interface DistrictImport {
  placeId: string;
  fileName: string;
  fc: FeatureCollection;
  /** Station id per feature index (null: not assigned, or not a polygon). */
  assign: (string | null)[];
  /** Notes from reading the file (skipped features, …), bilingual. */
  notes: Bilingual[];
}

export const MAX_DISTRICT_BYTES = 50 * 1024 * 1024;

interface StationPt {
  id: string;
  name: string;
  lon: number;
  lat: number;
}

/** Station for a polygon: its `stationId` property when it names a station, else the station inside it (nearest to its centre). */
export function guessStation(f: Feature<Polygon | MultiPolygon>, stations: StationPt[]): string | null {
  const sid = f.properties?.stationId;
  if (typeof sid === 'string' && stations.some((s) => s.id === sid)) return sid;
  const inside = stations.filter((s) => booleanPointInPolygon([s.lon, s.lat], f));
  if (!inside.length) return null;
  const [cx, cy] = centroid(f).geometry.coordinates;
  inside.sort((a, b) => haversineM(a.lon, a.lat, cx, cy) - haversineM(b.lon, b.lat, cx, cy));
  return inside[0].id;
}

/**
 * Reads a district file: checked by the core's one district-file check (CRS, swapped axes, empty input,
 * self-intersections, wrong place — see core/compliance/districtFile.ts), then each usable polygon assigned to a
 * station. Throws a PlannerError (naming the file) when nothing in it is usable.
 */
export function parseDistrictFile(text: string, fileName: string, placeId: string, stations: StationPt[], placeBbox?: [number, number, number, number]): DistrictImport {
  let obj: unknown;
  try {
    obj = JSON.parse(text);
  } catch (e) {
    throw plannerError('bad-json', `「${fileName}」不是有效的 JSON`, `"${fileName}" is not valid JSON`, { file: fileName, detail: (e as Error).message });
  }
  const check = checkDistrictFile(obj, fileName, placeBbox ? { placeBbox } : {});
  // A feature whose polygon cannot be used has a null geometry (read as 'no geometry' everywhere below).
  const fc = check.fc as FeatureCollection;
  const notes: Bilingual[] = check.notes.map(({ zh, en }) => ({ zh, en }));
  const assign = fc.features.map((f, i) => (check.usable[i] ? guessStation(f as Feature<Polygon | MultiPolygon>, stations) : null));
  return { placeId, fileName, fc, assign, notes };
}

let store: ReturnType<typeof createStore> | undefined;
const db = () => (store ??= createStore('fire-planner-districts', 'districts'));

export async function saveDistrictImport(rec: DistrictImport): Promise<void> {
  await set(rec.placeId, rec, db());
}

/**
 * A saved import checked again (records saved before the district-file check may hold a bowtie or an open ring):
 * geometries repaired, polygons that cannot be used unassigned, the new notes added. A record the check refuses
 * outright is returned unchanged (it was accepted when imported; the evaluation still lists its problems).
 */
export function recheckDistrictImport(rec: DistrictImport): DistrictImport {
  let c;
  try {
    c = checkDistrictFile(rec.fc, rec.fileName);
  } catch {
    return rec;
  }
  // Non-polygons were noted at import (and polygons left out then have a null geometry now): only the new findings.
  const fresh = c.notes.filter((n) => n.code !== 'district-not-polygon' && !rec.notes.some((o) => o.en === n.en)).map(({ zh, en }) => ({ zh, en }));
  return { ...rec, fc: c.fc as FeatureCollection, assign: rec.assign.map((a, i) => (c.usable[i] ? a : null)), notes: [...rec.notes, ...fresh] };
}

export async function loadDistrictImport(placeId: string): Promise<DistrictImport | undefined> {
  try {
    const rec = await get<DistrictImport>(placeId, db());
    return rec ? recheckDistrictImport(rec) : undefined;
  } catch {
    return undefined;
  }
}

export async function deleteDistrictImport(placeId: string): Promise<void> {
  try {
    await del(placeId, db());
  } catch {
    /* nothing stored */
  }
}
