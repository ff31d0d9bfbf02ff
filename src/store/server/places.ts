/** Places that exist only on the server: their map data and network are downloaded and opened like an import. */
import type { Feature, FeatureCollection } from 'geojson';
import type { PlaceMeta } from '../../core/types';
import type { PlaceData } from '../../data/places';
import { deleteImport, saveImport } from '../../data/imports';
import { planner } from '../../data/planner';
import type { ServerPlaceBundle } from '../../data/server';
import { plannerError } from '../../core/errors';
import { choosePlace, setPlaceSource } from '../actions';
import { api, main, sget, sset } from './state';
import { onError } from './connection';

/** The file name an opened server place's network is kept under in the import store (the place card's source). */
export const serverSourceName = (name: string, version: number) => `server: ${name} (v${version})`;

const withKind = (fc: FeatureCollection, kind: string): Feature[] =>
  fc.features.map((f) => ({ ...f, properties: { ...f.properties, kind: typeof f.properties?.kind === 'string' ? f.properties.kind : kind } }));

/** The app's layers of a server place: boundary, districts, stations + hydrants as facilities, water and rail when sent. */
export function placeDataOf(b: ServerPlaceBundle): PlaceData {
  return {
    ...(b.boundary.features.length ? { boundary: b.boundary } : {}),
    ...(b.districts.features.length ? { districts: b.districts } : {}),
    facilities: { type: 'FeatureCollection', features: [...withKind(b.stations, 'station'), ...withKind(b.hydrants, 'hydrant')] },
    ...(b.water ? { water: b.water } : {}), ...(b.rail ? { rail: b.rail } : {}),
  };
}

/** The place as the app lists it (no files of its own: its layers come from the server, its graph from the import store). */
export function placeMetaOf(b: ServerPlaceBundle, at: string): PlaceMeta {
  const bbox = b.place.bbox!;
  const v = b.network?.version;
  return {
    id: b.place.id, name: b.place.name, nameEn: b.place.name, group: 'plan', bbox, center: b.place.center ?? [(bbox[0] + bbox[2]) / 2, (bbox[1] + bbox[3]) / 2],
    zoom: 13, hasNetwork: false, files: {}, attribution: [],
    notes: [
      v ? `地图数据与路网来自团队服务器（路网第 ${v} 版，${at} 下载）/ map data and road network from the team server (network version ${v}, downloaded ${at})`
        : `地图数据来自团队服务器（服务器上没有路网，按直线估算）/ map data from the team server (no network there: straight-line estimate)`,
      b.boundarySource === 'districts' ? '规划范围 = 各责任区的并集（服务器不存边界）/ planning area = the union of the districts (the server keeps no boundary)' : '',
    ].filter(Boolean),
  };
}

/**
 * Opens a place that exists only on the server, like an imported one: its layers are downloaded (bundle), its graph
 * is kept in the IndexedDB import store under the place id, and the place is chosen (the worker loads the graph from
 * that store as after a dropped extract). Also refreshes a place opened before (a newer network version).
 */
export async function openServerPlace(placeId: string): Promise<void> {
  sset({ busy: true, message: null });
  try {
    const b = await api().placeBundle(placeId);
    if (!b.place.bbox)
      throw plannerError('server-place-empty', `服务器上的地点「${b.place.name}」既没有路网也没有责任区，无法打开`, `the server's place "${b.place.name}" has neither a network nor districts: nothing to open`);
    const graph = b.network ? await api().placeGraph(placeId) : null;
    const at = new Date().toISOString();
    if (graph && b.network) {
      const info = await (await planner()).loadGraph(placeId, graph.slice(0));
      const empty: FeatureCollection = { type: 'FeatureCollection', features: [] };
      await saveImport({ placeId, fileName: serverSourceName(b.place.name, b.network.version), importedAt: at, graph, roads: b.roads, facilities: empty, info });
    } else await deleteImport(placeId).catch(() => undefined);
    const data = placeDataOf(b);
    const meta = placeMetaOf(b, at.slice(0, 10));
    main().set({ places: [...main().places.filter((p) => p.id !== placeId), meta] });
    setPlaceSource(placeId, async () => data);
    sset({ opened: { ...sget().opened, [placeId]: { placeId, name: b.place.name, networkVersion: b.network?.version ?? null, boundarySource: b.boundarySource, at } } });
    await choosePlace(placeId);
    sset({ busy: false });
  } catch (e) {
    sset({ busy: false });
    onError(e);
  }
}
