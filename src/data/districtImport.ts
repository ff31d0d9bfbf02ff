/**
 * Responsibility-district polygons imported by the planner (GeoJSON): read and checked (WGS84 lon/lat, polygons
 * only), each polygon assigned to a station, kept per place in IndexedDB. The file's features are kept as read —
 * nothing is dropped; what cannot be used is listed in `notes`.
 */
import { createStore, del, get, set } from 'idb-keyval';
import type { FeatureCollection, Feature, Polygon, MultiPolygon } from 'geojson';
import { booleanPointInPolygon, centroid } from '@turf/turf';
import { checkLonLatGeoJSON } from '../core/crs';
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

const isArea = (f: Feature): f is Feature<Polygon | MultiPolygon> => f.geometry?.type === 'Polygon' || f.geometry?.type === 'MultiPolygon';

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

/** Reads a district file. Throws a PlannerError (naming the file) when nothing in it is usable. */
export function parseDistrictFile(text: string, fileName: string, placeId: string, stations: StationPt[], placeBbox?: [number, number, number, number]): DistrictImport {
  let obj: unknown;
  try {
    obj = JSON.parse(text);
  } catch (e) {
    throw plannerError('bad-json', `「${fileName}」不是有效的 JSON`, `"${fileName}" is not valid JSON`, { file: fileName, detail: (e as Error).message });
  }
  const check = checkLonLatGeoJSON(obj, fileName);
  const o = obj as { type: string };
  const fc: FeatureCollection =
    o.type === 'FeatureCollection' ? (obj as FeatureCollection)
      : o.type === 'Feature' ? { type: 'FeatureCollection', features: [obj as Feature] }
        : { type: 'FeatureCollection', features: [{ type: 'Feature', properties: {}, geometry: obj as Polygon }] };
  const notes: Bilingual[] = [];
  const assign = fc.features.map((f, i) => {
    if (!f || !isArea(f)) {
      notes.push({
        zh: `第 ${i + 1} 个要素不是面（${f?.geometry?.type ?? '无几何'}），不作为辖区（文件内容保留）`,
        en: `feature ${i + 1} is not a polygon (${f?.geometry?.type ?? 'no geometry'}); not used as a district (kept in the file)`,
      });
      return null;
    }
    return guessStation(f, stations);
  });
  const areas = fc.features.filter((f) => f && isArea(f)).length;
  if (!areas) throw plannerError('no-polygons', `「${fileName}」中没有面要素（Polygon/MultiPolygon），无法作为辖区`, `"${fileName}" holds no polygons (Polygon/MultiPolygon) to use as districts`, { file: fileName });
  if (placeBbox) {
    const [w, s, e, n] = check.bbox;
    if (w > placeBbox[2] || e < placeBbox[0] || s > placeBbox[3] || n < placeBbox[1])
      notes.push({ zh: '注意：辖区面与本地区范围不重叠——是否选错了文件？', en: 'note: the district polygons do not overlap this place — wrong file?' });
  }
  return { placeId, fileName, fc, assign, notes };
}

let store: ReturnType<typeof createStore> | undefined;
const db = () => (store ??= createStore('fire-planner-districts', 'districts'));

export async function saveDistrictImport(rec: DistrictImport): Promise<void> {
  await set(rec.placeId, rec, db());
}

export async function loadDistrictImport(placeId: string): Promise<DistrictImport | undefined> {
  try {
    return (await get<DistrictImport>(placeId, db())) ?? undefined;
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
