/**
 * OSM extracts imported by the user, kept per place in IndexedDB (idb-keyval) and restored after reload.
 *
 * A big import does not fit in one IndexedDB value (a 1 M-node graph is ~148 MB; Chrome refuses single values
 * over ~128 MiB), so a record is stored in chunks: the graph buffer in slices of GRAPH_CHUNK_BYTES, roads and
 * facilities, and the extract's water (with the sea) and surface railways, in runs of features (at most
 * FEATURE_CHUNK_POSITIONS coordinates each), plus a small manifest under the place id. A manifest saved before water
 * and rail were kept has neither part and still loads (without them). All of a save is written in one transaction (setMany), manifest included, so a reload sees the old
 * import or the new one, never half; the previous save's chunks are deleted afterwards.
 */
import { createStore, delMany, get, getMany, setMany } from 'idb-keyval';
import type { Feature, FeatureCollection, Position } from 'geojson';
import type { GraphInfo } from '../worker/protocol';

export interface StoredImport {
  placeId: string;
  fileName: string;
  importedAt: string;
  graph: ArrayBuffer;
  roads: FeatureCollection;
  facilities: FeatureCollection;
  info: GraphInfo;
  /** The extract's water (areas, lines, the sea) and surface railways; absent in imports saved before they were kept. */
  water?: FeatureCollection;
  rail?: FeatureCollection;
}

/** The layers of a stored import as the store holds them (ImportedLayers): water and rail only when stored. */
export function importedLayersOf(rec: StoredImport): { placeId: string; roads: FeatureCollection; facilities: FeatureCollection; water?: FeatureCollection; rail?: FeatureCollection } {
  return { placeId: rec.placeId, roads: rec.roads, facilities: rec.facilities, ...(rec.water ? { water: rec.water } : {}), ...(rec.rail ? { rail: rec.rail } : {}) };
}

/** The key-value operations the import store needs (IndexedDB in the app, a map in tests). */
export interface ImportKv {
  get(key: string): Promise<unknown>;
  getMany(keys: string[]): Promise<unknown[]>;
  /** Writes all entries in one transaction. */
  setMany(entries: [string, unknown][]): Promise<void>;
  delMany(keys: string[]): Promise<void>;
}

/** Largest graph slice stored as one value. */
export const GRAPH_CHUNK_BYTES = 8 * 1024 * 1024;
/** Most coordinate positions in one stored run of features (about 4 MB once cloned). */
export const FEATURE_CHUNK_POSITIONS = 100_000;

interface Manifest {
  format: 2;
  placeId: string;
  fileName: string;
  importedAt: string;
  info: GraphInfo;
  /** Names this save's chunk keys (a new save writes new keys, then drops the old ones). */
  saveId: string;
  graphBytes: number;
  graphChunks: number;
  roads: { shell: FeatureCollection; chunks: number };
  facilities: { shell: FeatureCollection; chunks: number };
  /** Absent in manifests saved before water and rail were kept (and when the import had none). */
  water?: { shell: FeatureCollection; chunks: number };
  rail?: { shell: FeatureCollection; chunks: number };
}

/** The feature parts of a manifest, in the order their chunks are keyed and read. */
const PARTS = ['roads', 'facilities', 'water', 'rail'] as const;

let idb: ImportKv | undefined;
function idbKv(): ImportKv {
  if (!idb) {
    const store = createStore('fire-planner', 'imports');
    idb = {
      get: (key) => get(key, store),
      getMany: (keys) => getMany(keys, store),
      setMany: (entries) => setMany(entries, store),
      delMany: (keys) => delMany(keys, store),
    };
  }
  return idb;
}

const chunkKey = (placeId: string, saveId: string, part: string, i: number) => `${placeId}#${saveId}#${part}#${i}`;

function positions(g: Feature['geometry'] | null): number {
  if (!g) return 0;
  if (g.type === 'GeometryCollection') return g.geometries.reduce((s, x) => s + positions(x), 0);
  const count = (c: unknown): number => (Array.isArray(c) && typeof c[0] === 'number' ? 1 : Array.isArray(c) ? c.reduce((s: number, x) => s + count(x), 0) : 0);
  return count((g as { coordinates: Position | Position[] }).coordinates);
}

/** Features in runs of at most `maxPositions` coordinates (a single larger feature is a run of its own). */
export function featureChunks(features: Feature[], maxPositions = FEATURE_CHUNK_POSITIONS): Feature[][] {
  const out: Feature[][] = [];
  let run: Feature[] = [], size = 0;
  for (const f of features) {
    const n = Math.max(1, positions(f.geometry));
    if (run.length > 0 && size + n > maxPositions) { out.push(run); run = []; size = 0; }
    run.push(f);
    size += n;
  }
  if (run.length > 0) out.push(run);
  return out;
}

function manifestKeys(m: Manifest): string[] {
  const keys: string[] = [];
  for (let i = 0; i < m.graphChunks; i++) keys.push(chunkKey(m.placeId, m.saveId, 'graph', i));
  for (const part of PARTS) for (let i = 0; i < (m[part]?.chunks ?? 0); i++) keys.push(chunkKey(m.placeId, m.saveId, part, i));
  return keys;
}

const isManifest = (v: unknown): v is Manifest => typeof v === 'object' && v !== null && (v as Manifest).format === 2;

export async function saveImport(rec: StoredImport, kv: ImportKv = idbKv()): Promise<void> {
  const previous = await kv.get(rec.placeId);
  const saveId = `${Date.now().toString(36)}${Math.random().toString(36).slice(2, 8)}`;
  const entries: [string, unknown][] = [];
  const graphChunks = Math.ceil(rec.graph.byteLength / GRAPH_CHUNK_BYTES);
  for (let i = 0; i < graphChunks; i++) {
    entries.push([chunkKey(rec.placeId, saveId, 'graph', i), rec.graph.slice(i * GRAPH_CHUNK_BYTES, (i + 1) * GRAPH_CHUNK_BYTES)]);
  }
  const collection = (part: (typeof PARTS)[number], fc: FeatureCollection) => {
    const runs = featureChunks(fc.features);
    runs.forEach((run, i) => entries.push([chunkKey(rec.placeId, saveId, part, i), run]));
    return { shell: { ...fc, features: [] }, chunks: runs.length };
  };
  const manifest: Manifest = {
    format: 2, placeId: rec.placeId, fileName: rec.fileName, importedAt: rec.importedAt, info: rec.info, saveId,
    graphBytes: rec.graph.byteLength, graphChunks, roads: collection('roads', rec.roads), facilities: collection('facilities', rec.facilities),
    ...(rec.water ? { water: collection('water', rec.water) } : {}), ...(rec.rail ? { rail: collection('rail', rec.rail) } : {}),
  };
  entries.push([rec.placeId, manifest]);
  await kv.setMany(entries); // one transaction: the manifest and its chunks, or nothing
  if (isManifest(previous)) await kv.delMany(manifestKeys(previous)).catch(() => undefined); // leftovers are harmless
}

async function readManifest(m: Manifest, kv: ImportKv): Promise<StoredImport | undefined> {
  const values = await kv.getMany(manifestKeys(m));
  const graph = new Uint8Array(m.graphBytes);
  let at = 0;
  for (let i = 0; i < m.graphChunks; i++) {
    const part = values[i];
    if (!(part instanceof ArrayBuffer) || at + part.byteLength > m.graphBytes) return undefined;
    graph.set(new Uint8Array(part), at);
    at += part.byteLength;
  }
  if (at !== m.graphBytes) return undefined;
  const features = (from: number, n: number): Feature[] | undefined => {
    const out: Feature[] = [];
    for (let i = from; i < from + n; i++) {
      const run = values[i];
      if (!Array.isArray(run)) return undefined;
      for (const f of run as Feature[]) out.push(f);
    }
    return out;
  };
  const read: Partial<Record<(typeof PARTS)[number], FeatureCollection>> = {};
  let from = m.graphChunks;
  for (const part of PARTS) {
    const stored = m[part];
    if (!stored) continue;
    const fs = features(from, stored.chunks);
    if (!fs) return undefined;
    read[part] = { ...stored.shell, features: fs };
    from += stored.chunks;
  }
  if (!read.roads || !read.facilities) return undefined;
  return {
    placeId: m.placeId, fileName: m.fileName, importedAt: m.importedAt, info: m.info, graph: graph.buffer,
    roads: read.roads, facilities: read.facilities, ...(read.water ? { water: read.water } : {}), ...(read.rail ? { rail: read.rail } : {}),
  };
}

/** The stored import of a place; undefined when there is none, it is incomplete, or IndexedDB is unavailable. */
export async function loadImport(placeId: string, kv?: ImportKv): Promise<StoredImport | undefined> {
  try {
    const store = kv ?? idbKv();
    const v = await store.get(placeId);
    if (isManifest(v)) return await readManifest(v, store);
    if (v && typeof v === 'object' && (v as StoredImport).graph instanceof ArrayBuffer) return v as StoredImport; // saved whole by an older version
    return undefined;
  } catch {
    return undefined; // IndexedDB unavailable (private mode): behave as if nothing was stored
  }
}

export async function deleteImport(placeId: string, kv: ImportKv = idbKv()): Promise<void> {
  const v = await kv.get(placeId);
  await kv.delMany([placeId, ...(isManifest(v) ? manifestKeys(v) : [])]);
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
