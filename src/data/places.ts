/** Static place data served from /data (built by the pipeline). The only fetch() calls of the app. */
import type { FeatureCollection } from 'geojson';
import type { PlaceMeta } from '../core/types';
import { plannerError, type PlannerError } from '../core/errors';

export type PlaceLayerKey = 'boundary' | 'districts' | 'roads' | 'water' | 'rail' | 'facilities' | 'plan' | 'pois';
export type PlaceData = Partial<Record<PlaceLayerKey, FeatureCollection>>;

const LAYER_KEYS: PlaceLayerKey[] = ['boundary', 'districts', 'roads', 'water', 'rail', 'facilities', 'plan', 'pois'];

/** Base URL of the data folder (respects vite's base). */
export function dataUrl(path: string): string {
  const base = import.meta.env.BASE_URL.replace(/\/$/, '');
  return `${base}/data/${path.replace(/^\//, '')}`;
}

/** A data file of the app that cannot be read (network, HTTP status, not JSON); the URL is the error's file. */
export function dataError(code: string, url: string, detail: string): PlannerError {
  return plannerError(code, `无法读取数据文件「${url}」`, `cannot read the data file "${url}"`, { file: url, detail });
}

/** A successful HTTP answer for a data file, else a data error naming it. */
async function fetchOk(url: string): Promise<Response> {
  let res: Response;
  try {
    res = await fetch(url);
  } catch (e) {
    throw dataError('data-unreachable', url, (e as Error).message);
  }
  if (!res.ok) throw dataError('data-http', url, `HTTP ${res.status}`);
  return res;
}

async function getJson<T>(url: string): Promise<T> {
  const res = await fetchOk(url);
  try {
    return (await res.json()) as T;
  } catch {
    throw dataError('bad-json', url, 'not valid JSON');
  }
}

function isPlaceMeta(p: unknown): p is PlaceMeta {
  const o = p as PlaceMeta;
  return !!o && typeof o.id === 'string' && typeof o.name === 'string' && Array.isArray(o.bbox) && Array.isArray(o.center);
}

export async function loadPlaces(): Promise<PlaceMeta[]> {
  const list = await getJson<unknown>(dataUrl('places.json'));
  if (!Array.isArray(list)) throw dataError('bad-place-list', dataUrl('places.json'), 'not a list');
  return list.filter(isPlaceMeta).map((p) => ({ ...p, files: p.files ?? {}, attribution: p.attribution ?? [], notes: p.notes ?? [] }));
}

function isCollection(x: unknown): x is FeatureCollection {
  const o = x as FeatureCollection;
  return !!o && o.type === 'FeatureCollection' && Array.isArray(o.features);
}

/** Loads every GeoJSON layer the place lists; a missing optional file is skipped, not fatal. */
export async function loadPlaceData(place: PlaceMeta): Promise<{ data: PlaceData; missing: string[] }> {
  const data: PlaceData = {};
  const missing: string[] = [];
  await Promise.all(
    LAYER_KEYS.map(async (key) => {
      const file = place.files[key];
      if (!file) return;
      const url = dataUrl(`${place.id}/${file}`);
      try {
        const fc = await getJson<unknown>(url);
        if (isCollection(fc)) data[key] = fc;
        else missing.push(url);
      } catch {
        missing.push(url);
      }
    }),
  );
  return { data, missing };
}

/** The embedded road graph (graph.bin) of a place with hasNetwork. */
export async function loadGraphBuffer(place: PlaceMeta): Promise<ArrayBuffer> {
  return (await fetchOk(dataUrl(`${place.id}/${place.files.graph ?? 'graph.bin'}`))).arrayBuffer();
}
