/** OSM extracts imported by the user, kept per place in IndexedDB (idb-keyval) and restored after reload. */
import { createStore, del, get, set } from 'idb-keyval';
import type { FeatureCollection } from 'geojson';
import type { GraphInfo } from '../worker/protocol';

export interface StoredImport {
  placeId: string;
  fileName: string;
  importedAt: string;
  graph: ArrayBuffer;
  roads: FeatureCollection;
  facilities: FeatureCollection;
  info: GraphInfo;
}

let store: ReturnType<typeof createStore> | undefined;
function db() {
  store ??= createStore('fire-planner', 'imports');
  return store;
}

export async function saveImport(rec: StoredImport): Promise<void> {
  await set(rec.placeId, rec, db());
}

export async function loadImport(placeId: string): Promise<StoredImport | undefined> {
  try {
    return (await get<StoredImport>(placeId, db())) ?? undefined;
  } catch {
    return undefined; // IndexedDB unavailable (private mode): behave as if nothing was stored
  }
}

export async function deleteImport(placeId: string): Promise<void> {
  await del(placeId, db());
}

const OSM_NAME = /\.(osm\.pbf|pbf|osm|json|geojson|xml)$/i;

/** Largest extract read in the browser (the whole file is held in memory while it is parsed). */
export const MAX_IMPORT_BYTES = 400 * 1024 * 1024;

/** Checks a dropped file before it is read; returns an error key or null. */
export function checkOsmFile(file: { name: string; size: number }): 'badType' | 'empty' | 'tooBig' | null {
  if (!OSM_NAME.test(file.name)) return 'badType';
  if (file.size === 0) return 'empty';
  if (file.size > MAX_IMPORT_BYTES) return 'tooBig';
  return null;
}
