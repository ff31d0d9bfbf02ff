/** Async actions: place loading, OSM import, isochrones and routes. Each guards against stale results. */
import type { LonLat, PlaceMeta } from '../core/types';
import { loadGraphBuffer, loadPlaceData, loadPlaces, type PlaceData } from '../data/places';
import { checkOsmFile, deleteImport, importedLayersOf, loadImport, MAX_IMPORT_BYTES, saveImport, type StoredImport } from '../data/imports';
import { isStale, planner, resetPlanner } from '../data/planner';
import { errorMsg } from '../i18n/msg';
import { BANDS_MIN, useStore, type Msg } from './index';
import { resetCompliance } from './compliance';
import { initScenario } from './scenario';
import { selectNetworkReady, selectPlace, selectRoutingStations } from './selectors';
import { currentProfile, initProfile, setPeakWithProfile } from './profile';
import { initVehicleEdits, resendVehicle } from './roadRules';

const get = () => useStore.getState();
const set = (patch: Parameters<ReturnType<typeof get>['set']>[0]) => get().set(patch);

const errMsg = (e: unknown): Msg => errorMsg(e);

let importGen = 0;
let isoSeq = 0;
let routeSeq = 0;

function placeFromUrl(places: PlaceMeta[]): string | undefined {
  try {
    const id = new URLSearchParams(window.location.search).get('place');
    if (id && places.some((p) => p.id === id)) return id;
  } catch {
    /* no URL */
  }
  return undefined;
}

export async function initPlaces(): Promise<void> {
  try {
    await initProfile();
    await initVehicleEdits();
    const places = await loadPlaces();
    set({ places, placesError: undefined });
    const first = placeFromUrl(places) ?? places.find((p) => p.group === 'plan')?.id ?? places[0]?.id;
    if (first) await choosePlace(first);
  } catch (e) {
    set({ placesError: { ...errorMsg(e), key: 'places.loadError' } });
  }
}

/** Loads the graph of the current place into the worker: the embedded graph.bin or a stored import. */
async function ensureGraph(place: PlaceMeta): Promise<void> {
  const stillHere = () => get().placeId === place.id;
  if (place.hasNetwork) {
    set({ network: { placeId: place.id, status: 'loading', source: 'embedded' } });
    try {
      const [buf, client] = await Promise.all([loadGraphBuffer(place), planner()]);
      const info = await client.loadGraph(place.id, buf);
      if (stillHere()) set({ network: { placeId: place.id, status: 'ready', source: 'embedded', info } });
    } catch (e) {
      if (stillHere()) set({ network: { placeId: place.id, status: 'error', source: 'embedded', error: errMsg(e) } });
    }
    return;
  }
  const rec = await loadImport(place.id);
  if (!rec || !stillHere()) return;
  set({
    imported: importedLayersOf(rec),
    network: { placeId: place.id, status: 'loading', source: 'imported', fileName: rec.fileName },
    importState: { status: 'done', fileName: rec.fileName, message: { key: 'importer.restored', params: { file: rec.fileName } } },
  });
  try {
    const client = await planner();
    const info = await client.loadGraph(place.id, rec.graph.slice(0));
    if (stillHere()) set({ network: { placeId: place.id, status: 'ready', source: 'imported', info, fileName: rec.fileName } });
  } catch (e) {
    if (stillHere()) set({ network: { placeId: place.id, status: 'error', source: 'imported', fileName: rec.fileName, error: errMsg(e) } });
  }
}

/**
 * Layers of places that are not served from /data (a place opened from the team server, store/server.ts): choosePlace
 * takes them from here instead of loadPlaceData; its graph comes from the import store as a dropped extract's.
 */
const placeSources = new Map<string, () => Promise<PlaceData>>();
export function setPlaceSource(id: string, load: (() => Promise<PlaceData>) | null): void {
  if (load) placeSources.set(id, load);
  else placeSources.delete(id);
}

export async function choosePlace(id: string): Promise<void> {
  const place = get().places.find((p) => p.id === id);
  if (!place) return;
  if (get().importState.status === 'running') cancelImport();
  set({
    placeId: id, placeData: {}, placeLoading: true, placeError: undefined, selection: null, network: null, imported: null,
    importState: { status: 'idle' }, iso: { stationIds: [], all: false, busy: false }, route: { busy: false },
    scenario: null, placing: null, dragging: false,
  });
  resetCompliance();
  try {
    const url = new URL(window.location.href);
    url.searchParams.set('place', id);
    window.history.replaceState(null, '', url);
  } catch {
    /* ignore */
  }
  const source = placeSources.get(id);
  const { data, missing } = source ? { data: await source(), missing: [] as string[] } : await loadPlaceData(place);
  if (get().placeId !== id) return;
  await initScenario(id, data);
  if (get().placeId !== id) return;
  set({ placeData: data, placeLoading: false, placeError: missing.length ? { key: 'places.placeError', detail: missing.join(', ') } : undefined });
  await ensureGraph(place);
}

export async function importFile(file: File): Promise<void> {
  const place = selectPlace(get());
  if (!place) return;
  const bad = checkOsmFile(file);
  if (bad) {
    set({ importState: { status: 'error', fileName: file.name, message: { key: `importer.${bad}`, params: { name: file.name, mb: Math.round(file.size / 1048576), max: MAX_IMPORT_BYTES / 1048576 } } } });
    return;
  }
  const gen = ++importGen;
  const live = () => gen === importGen && get().placeId === place.id;
  set({ importState: { status: 'running', fileName: file.name, progress: { phase: 'read', done: 0, total: file.size } } });
  try {
    const bytes = await file.arrayBuffer();
    const client = await planner();
    if (!live()) return;
    const res = await client.importOsm(place.id, bytes, file.name, (progress) => {
      if (live()) set({ importState: { ...get().importState, progress } });
    }, place.bbox);
    if (!live()) return;
    set({ importState: { ...get().importState, progress: { phase: 'store', done: 0, total: 1 } } });
    const stored: StoredImport = {
      placeId: place.id, fileName: file.name, importedAt: new Date().toISOString(), graph: res.graph, roads: res.roads, facilities: res.facilities, info: res.info,
      ...(res.water ? { water: res.water } : {}), ...(res.rail ? { rail: res.rail } : {}),
    };
    let storeError: Msg | undefined;
    try {
      await saveImport(stored);
    } catch (e) {
      storeError = { key: 'importer.storeFailed', params: { msg: e instanceof Error ? e.message : String(e) } };
    }
    // importOsm has already installed the graph in the worker; res.graph is our copy to keep.
    const info = res.info;
    if (!live()) return;
    const count = (kind: string) => res.facilities.features.filter((f) => f.properties?.kind === kind).length;
    set({
      imported: importedLayersOf(stored),
      network: { placeId: place.id, status: 'ready', source: 'imported', info, fileName: file.name },
      importState: {
        status: 'done', fileName: file.name,
        message: storeError ?? { key: 'importer.done', params: { file: file.name, km: info.roadKm.toFixed(1), stations: count('station'), hydrants: count('hydrant') } },
        warnings: [
          ...res.warnings.map((w) => ({ key: 'importer.warnings', ...w })),
        ],
      },
      iso: { stationIds: [], all: false, busy: false }, route: { busy: false },
    });
  } catch (e) {
    if (!live()) return;
    const p = errorMsg(e);
    set({ importState: { status: 'error', fileName: file.name, message: { ...p, key: 'importer.failed', zh: `导入失败：${p.zh}`, en: `Import failed: ${p.en}` } } });
  }
}


export function cancelImport(): void {
  if (get().importState.status !== 'running') return;
  importGen++;
  set({ importState: { status: 'cancelled', message: { key: 'importer.cancelled' } } });
  void resetPlanner().then(async () => {
    if (get().peak || get().profileJson) await (await planner()).setProfile(currentProfile(), get().peak).catch(() => undefined);
    await resendVehicle().catch(() => undefined);
    const place = selectPlace(get());
    if (place) void ensureGraph(place);
  });
}

export async function clearImport(): Promise<void> {
  const id = get().placeId;
  if (!id) return;
  try {
    await deleteImport(id);
  } catch {
    /* nothing stored */
  }
  set({ imported: null, network: null, importState: { status: 'idle' }, iso: { stationIds: [], all: false, busy: false }, route: { busy: false } });
}

/**
 * Isochrones of some stations (or all). `lines: false` leaves out the reached road pieces (a drag step asks for the
 * travel-limit band only, without lines: the map then gets tens of kB per step instead of a megabyte).
 */
export async function computeIsochrone(stationIds: string[] | 'all', bandsMin: number[] = BANDS_MIN, opts: { lines?: boolean } = {}): Promise<void> {
  const s = get();
  if (!selectNetworkReady(s) || !s.placeId) return;
  const all = stationIds === 'all';
  const stations = selectRoutingStations(s).filter((st) => all || stationIds.includes(st.id));
  if (!stations.length) {
    isoSeq++;
    set({ iso: { stationIds: [], all, busy: false, error: { key: 'routing.noStations' } } });
    return;
  }
  const seq = ++isoSeq;
  set({ iso: { stationIds: stations.map((st) => st.id), all, busy: true, bandsMin, result: s.iso.result } });
  try {
    const client = await planner();
    const result = await client.isochrone({
      placeId: s.placeId,
      // Each station's turnout (its own, else the checked standard's): the route goes from the fastest response.
      stations: stations.map(({ id, name, lon, lat, turnoutS }) => ({ id, name, lon, lat, turnoutS: turnoutS ?? s.compliance.report?.settings.turnoutS })),
      bandsMin,
      lines: opts.lines ?? true,
    });
    if (seq !== isoSeq || isStale(result)) return;
    set({ iso: { ...get().iso, busy: false, result, error: undefined }, profileName: result.profileName });
  } catch (e) {
    if (seq === isoSeq) set({ iso: { ...get().iso, busy: false, result: undefined, error: errMsg(e) } });
  }
}

export function clearIsochrone(): void {
  isoSeq++;
  set({ iso: { stationIds: [], all: false, busy: false } });
}

export async function computeRoute(to: LonLat, onlyIds?: string[]): Promise<void> {
  const s = get();
  if (!selectNetworkReady(s) || !s.placeId) return;
  const stations = selectRoutingStations(s).filter((st) => !onlyIds || onlyIds.includes(st.id));
  if (!stations.length) {
    set({ route: { to, onlyIds, busy: false, error: { key: 'routing.noStations' } } });
    return;
  }
  const seq = ++routeSeq;
  set({ route: { to, onlyIds, busy: true } });
  try {
    const client = await planner();
    const result = await client.route({
      placeId: s.placeId,
      // Each station's turnout (its own, else the checked standard's): the route goes from the fastest response.
      stations: stations.map(({ id, name, lon, lat, turnoutS }) => ({ id, name, lon, lat, turnoutS: turnoutS ?? s.compliance.report?.settings.turnoutS })),
      to,
      lang: s.lang === 'en' ? 'en' : 'zh-Hans',
    });
    if (seq !== routeSeq || isStale(result)) return;
    set({ route: { to, onlyIds, busy: false, result }, profileName: result.profileName });
  } catch (e) {
    if (seq === routeSeq) set({ route: { to, onlyIds, busy: false, error: errMsg(e) } });
  }
}

export function clearRoute(): void {
  routeSeq++;
  set({ route: { busy: false } });
}

/** Peak / off-peak: sends the profile in use to the worker and recomputes what is shown (see profile.ts). */
export async function setPeak(peak: boolean): Promise<void> {
  await setPeakWithProfile(peak);
}
