/**
 * Scenario ⇄ GeoJSON file. Export: a FeatureCollection of station Points (WGS84) with the scenario metadata in a
 * top-level `planner` member carrying the format name and version. Import validates everything and returns
 * bilingual messages — it never throws. Text fields are kept as plain strings (the UI renders them as text).
 */
import type { Feature, FeatureCollection, Point } from 'geojson';
import type { Hydrant, Station } from '../types';
import { readScenarioHydrants } from './hydrants';
import { FACILITY_STATUSES, POSITION_QUALITIES, isStationClass, validLonLat, type Message, type Scenario, type ScenarioSettings } from './types';

/** The station Points of a built place-data collection (written by the pipeline, so trusted) with their positions. */
export function placeStations(fc: FeatureCollection | null | undefined): Station[] {
  const out: Station[] = [];
  for (const f of fc?.features ?? []) {
    if (f.properties?.kind !== 'station' || f.geometry?.type !== 'Point') continue;
    const [lon, lat] = f.geometry.coordinates;
    out.push({ ...(f.properties as Station), lon, lat });
  }
  return out;
}

export const SCENARIO_FORMAT = 'fire-station-planner/scenario';
export const SCENARIO_FORMAT_VERSION = 1;
const MAX_TEXT_CHARS = 50_000_000;
const MAX_ERRORS = 20;

export interface PlannerMeta {
  format: typeof SCENARIO_FORMAT;
  version: number;
  crs: 'EPSG:4326';
  id: string;
  name: string;
  placeId: string;
  createdAt: string;
  updatedAt: string;
  removedIds: string[];
  settings: ScenarioSettings;
  /** The planner's added hydrants / intakes (absent when none; older files never have it). */
  hydrants?: Hydrant[];
}

export type StationFeatureProps = Station & { removed: boolean };
export type ScenarioGeoJSON = FeatureCollection<Point, StationFeatureProps> & { planner: PlannerMeta };

export function scenarioToGeoJSON(s: Scenario): ScenarioGeoJSON {
  const off = new Set(s.removedIds);
  return {
    type: 'FeatureCollection',
    planner: {
      format: SCENARIO_FORMAT,
      version: SCENARIO_FORMAT_VERSION,
      crs: 'EPSG:4326',
      id: s.id,
      name: s.name,
      placeId: s.placeId,
      createdAt: s.createdAt,
      updatedAt: s.updatedAt,
      removedIds: [...s.removedIds],
      settings: { ...s.settings },
      ...(s.hydrants?.length ? { hydrants: s.hydrants.map((h) => ({ ...h })) } : {}),
    },
    features: s.stations.map(
      (st): Feature<Point, StationFeatureProps> => ({
        type: 'Feature',
        id: st.id,
        geometry: { type: 'Point', coordinates: [st.lon, st.lat] },
        // `removed` is a convenience for GIS users; on import the planner.removedIds list is authoritative.
        properties: { ...st, removed: off.has(st.id) },
      }),
    ),
  };
}

/** Suggested download name, e.g. "清溪镇-方案A.planner.geojson" (characters unsafe in file names replaced). */
export function scenarioFileName(s: Scenario): string {
  const safe = [...`${s.placeId}-${s.name}`].map((ch) => (ch < ' ' || '\\/:*?"<>|'.includes(ch) ? '_' : ch)).join('').replace(/_+/g, '_').slice(0, 120);
  return `${safe}.planner.geojson`;
}

export type ScenarioImport = { ok: true; scenario: Scenario; warnings: Message[] } | { ok: false; errors: Message[] };

const isObj = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
/** A short quote of a value for a message (a value nested too deeply to write out is named by its type). */
const show = (v: unknown): string => {
  let t: string;
  try {
    t = typeof v === 'string' ? v : JSON.stringify(v) ?? String(v);
  } catch {
    t = Array.isArray(v) ? '[…]' : '{…}';
  }
  return t.length > 60 ? `${t.slice(0, 57)}…` : t;
};

function readText(o: Record<string, unknown>, key: string, where: [string, string], errors: Message[], optional = false): string | undefined {
  const v = o[key];
  if (v === undefined && optional) return undefined;
  if (typeof v !== 'string') {
    errors.push({ code: 'bad-field', zh: `${where[0]}字段 ${key} 必须是文本（当前：${show(v)}）`, en: `${where[1]}field ${key} must be text (got ${show(v)})` });
    return undefined;
  }
  return v;
}

/** Validates one station Point feature (`i` = its index, `seen` = ids so far, updated). */
function readStationFeature(feat: unknown, i: number, seen: Set<string>): { station: Station | null; errors: Message[] } {
  const errors: Message[] = [];
  const err = (code: string, zh: string, en: string) => {
    errors.push({ code, zh, en });
  };
  const fail = (code: string, zh: string, en: string) => {
    err(code, zh, en);
    return { station: null, errors };
  };
  const w: [string, string] = [`第 ${i + 1} 个站点：`, `station #${i + 1}: `];
  if (!isObj(feat) || feat.type !== 'Feature' || !isObj(feat.geometry) || feat.geometry.type !== 'Point' || !isObj(feat.properties))
    return fail('bad-feature', `${w[0]}不是带属性的点要素（Point Feature）`, `${w[1]}not a Point Feature with properties`);
  const c = feat.geometry.coordinates;
  const pr = feat.properties;
  if (!Array.isArray(c) || c.length < 2 || typeof c[0] !== 'number' || typeof c[1] !== 'number' || !Number.isFinite(c[0]) || !Number.isFinite(c[1]))
    return fail('bad-coordinates', `${w[0]}坐标无效：${show(c)}`, `${w[1]}invalid coordinates: ${show(c)}`);
  if (!validLonLat(c[0], c[1])) {
    const projected = Math.abs(c[0]) > 1000 || Math.abs(c[1]) > 1000;
    return projected
      ? fail('not-wgs84', `${w[0]}坐标 ${show(c)} 像是投影坐标（米），不是 WGS84 经纬度。请先转换为 WGS84`, `${w[1]}coordinates ${show(c)} look projected (metres), not WGS84 longitude/latitude. Convert to WGS84 first.`)
      : fail('out-of-range', `${w[0]}坐标超出范围（经度 −180…180，纬度 −90…90）：${show(c)}`, `${w[1]}coordinates out of range (lon −180…180, lat −90…90): ${show(c)}`);
  }
  const sid = readText(pr, 'id', w, errors);
  if (sid !== undefined) {
    if (!sid) err('bad-field', `${w[0]}编号 id 为空`, `${w[1]}id is empty`);
    else if (seen.has(sid)) err('duplicate-id', `${w[0]}编号重复：${show(sid)}`, `${w[1]}duplicate id: ${show(sid)}`);
    seen.add(sid);
  }
  const sname = readText(pr, 'name', w, errors);
  const nameEn = readText(pr, 'nameEn', w, errors, true);
  const source = readText(pr, 'source', w, errors, true) ?? '';
  if (!isStationClass(pr.stationClass))
    err('unknown-class', `${w[0]}未知的站点等级：${show(pr.stationClass)}（可用：一级、二级、小型、乡镇一级、乡镇二级、特勤）`, `${w[1]}unknown station class: ${show(pr.stationClass)} (allowed: 一级, 二级, 小型, 乡镇一级, 乡镇二级, 特勤)`);
  if (!FACILITY_STATUSES.includes(pr.status as Station['status']))
    err('bad-field', `${w[0]}未知的状态：${show(pr.status)}（existing / planned / proposed）`, `${w[1]}unknown status: ${show(pr.status)} (existing / planned / proposed)`);
  if (!POSITION_QUALITIES.includes(pr.position as Station['position']))
    err('bad-field', `${w[0]}未知的位置精度：${show(pr.position)}`, `${w[1]}unknown position quality: ${show(pr.position)}`);
  if (pr.phase !== undefined && (typeof pr.phase !== 'number' || !Number.isInteger(pr.phase) || pr.phase < 1900 || pr.phase > 2200))
    err('bad-field', `${w[0]}建设年份 phase 无效：${show(pr.phase)}`, `${w[1]}invalid phase year: ${show(pr.phase)}`);
  if (pr.example !== undefined && typeof pr.example !== 'boolean')
    err('bad-field', `${w[0]}字段 example 必须是 true/false`, `${w[1]}field example must be true/false`);
  if (errors.length || sid === undefined || sname === undefined) return { station: null, errors };
  const station: Station = {
    id: sid, name: sname, stationClass: pr.stationClass as Station['stationClass'], status: pr.status as Station['status'],
    position: pr.position as Station['position'], source, lon: c[0], lat: c[1],
  };
  if (nameEn !== undefined) station.nameEn = nameEn;
  if (pr.phase !== undefined) station.phase = pr.phase as number;
  if (pr.example !== undefined) station.example = pr.example as boolean;
  return { station, errors };
}

/** Parses and validates a scenario file. `fileName` is only used in the messages. */
export function scenarioFromGeoJSON(text: string, fileName: string): ScenarioImport {
  const f = `「${fileName}」`;
  const fe = `"${fileName}"`;
  const fail = (code: string, zh: string, en: string): ScenarioImport => ({ ok: false, errors: [{ code, zh, en }] });
  if (typeof text !== 'string') return fail('not-text', `文件${f}不是文本文件`, `File ${fe} is not a text file`);
  if (text.length > MAX_TEXT_CHARS) return fail('too-large', `文件${f}过大（超过 5000 万字符），不是方案文件`, `File ${fe} is too large (over 50 million characters) for a scenario file`);
  let doc: unknown;
  try {
    doc = JSON.parse(text.charCodeAt(0) === 0xfeff ? text.slice(1) : text);
  } catch (e) {
    const detail = e instanceof Error ? e.message : '';
    return fail('not-json', `文件${f}不是有效的 JSON（${detail}）`, `File ${fe} is not valid JSON (${detail})`);
  }
  return scenarioFromDoc(doc, fileName);
}

/**
 * The same validation for an already parsed GeoJSON object. `fileName` names the origin in messages.
 */
export function scenarioFromDoc(doc: unknown, fileName: string): ScenarioImport {
  const f = `「${fileName}」`;
  const fe = `"${fileName}"`;
  const fail = (code: string, zh: string, en: string): ScenarioImport => ({ ok: false, errors: [{ code, zh, en }] });
  if (!isObj(doc) || doc.type !== 'FeatureCollection' || !Array.isArray(doc.features))
    return fail('not-geojson', `文件${f}不是 GeoJSON 要素集合（FeatureCollection）`, `File ${fe} is not a GeoJSON FeatureCollection`);
  const p = doc.planner;
  if (!isObj(p) || p.format !== SCENARIO_FORMAT)
    return fail('not-scenario', `文件${f}不是本工具导出的方案文件（缺少 planner 元数据）`, `File ${fe} is not a scenario exported by this planner (no "planner" metadata)`);
  if (typeof p.version !== 'number' || !Number.isInteger(p.version) || p.version < 1)
    return fail('bad-version', `文件${f}的格式版本无效：${show(p.version)}`, `File ${fe} has an invalid format version: ${show(p.version)}`);
  if (p.version > SCENARIO_FORMAT_VERSION)
    return fail('newer-version', `文件${f}的格式版本为 ${p.version}，本工具只支持到 ${SCENARIO_FORMAT_VERSION}，请升级本工具`, `File ${fe} has format version ${p.version}; this planner reads up to ${SCENARIO_FORMAT_VERSION}. Please update the planner.`);
  const crsName = isObj(doc.crs) && isObj(doc.crs.properties) ? doc.crs.properties.name : undefined;
  const crsOk = (c: unknown) => c === undefined || (typeof c === 'string' && /(CRS84|EPSG:{1,2}4326)$/i.test(c));
  if (!crsOk(crsName) || !crsOk(p.crs))
    return fail('not-wgs84', `文件${f}的坐标系是 ${show(p.crs ?? crsName)}，不是 WGS84（EPSG:4326）。请先转换为 WGS84（GCJ-02/BD-09 等需转换）`, `File ${fe} uses coordinate system ${show(p.crs ?? crsName)}, not WGS84 (EPSG:4326). Convert it to WGS84 first (GCJ-02 / BD-09 need conversion).`);

  const errors: Message[] = [];
  const err = (code: string, zh: string, en: string) => errors.push({ code, zh, en });
  const meta: [string, string] = ['方案元数据 ', 'scenario metadata '];
  const id = readText(p, 'id', meta, errors);
  if (id === '') err('bad-field', '方案编号 id 为空', 'scenario id is empty');
  const name = readText(p, 'name', meta, errors);
  const placeId = readText(p, 'placeId', meta, errors);
  const createdAt = readText(p, 'createdAt', meta, errors);
  const updatedAt = readText(p, 'updatedAt', meta, errors);
  const removedIds = Array.isArray(p.removedIds) && p.removedIds.every((x) => typeof x === 'string') ? (p.removedIds as string[]) : null;
  if (!removedIds) err('bad-field', '方案元数据字段 removedIds 必须是文本列表', 'scenario metadata field removedIds must be a list of text');
  const st = p.settings;
  let settings: ScenarioSettings | null = null;
  if (!isObj(st) || typeof st.standardId !== 'string' || typeof st.peak !== 'boolean' || typeof st.districtsMode !== 'string')
    err('bad-field', '方案设置 settings 无效（需 standardId、peak、districtsMode）', 'scenario settings are invalid (need standardId, peak, districtsMode)');
  else settings = { standardId: st.standardId, peak: st.peak, districtsMode: st.districtsMode };

  const stations: Station[] = [];
  const seen = new Set<string>();
  doc.features.forEach((feat: unknown, i: number) => {
    if (errors.length > MAX_ERRORS) return;
    const r = readStationFeature(feat, i, seen);
    errors.push(...r.errors);
    if (r.station) stations.push(r.station);
  });
  if (errors.length > MAX_ERRORS) {
    const more = errors.length - MAX_ERRORS;
    errors.length = MAX_ERRORS;
    errors.push({ code: 'more-errors', zh: `……另有至少 ${more} 个问题未列出`, en: `…and at least ${more} more problems not listed` });
  }
  if (errors.length || !settings || !removedIds || id === undefined || name === undefined || placeId === undefined || createdAt === undefined || updatedAt === undefined)
    return { ok: false, errors };
  const warnings: Message[] = [];
  const unknown = removedIds.filter((x) => !seen.has(x));
  if (unknown.length)
    warnings.push({ code: 'unknown-removed', zh: `关闭列表中有 ${unknown.length} 个编号在文件中没有对应站点（已保留）`, en: `${unknown.length} switched-off id(s) have no station in the file (kept)` });
  if (stations.length === 0) warnings.push({ code: 'no-stations', zh: '方案中没有站点', en: 'The scenario has no stations' });
  const hyd = readScenarioHydrants(p.hydrants);
  warnings.push(...hyd.skipped);
  return { ok: true, scenario: { id, name, placeId, createdAt, updatedAt, stations, removedIds: [...removedIds], settings, ...(hyd.hydrants.length ? { hydrants: hyd.hydrants } : {}) }, warnings };
}

/**
 * Stations from a place's facilities.geojson / plan.geojson (Point features with Station properties; features
 * with another `kind` such as 'hydrant' are passed over). Lenient: invalid features are skipped and listed.
 */
export function stationsFromFeatures(fc: unknown): { stations: Station[]; skipped: Message[] } {
  if (!isObj(fc) || !Array.isArray(fc.features))
    return { stations: [], skipped: [{ code: 'not-geojson', zh: '不是 GeoJSON 要素集合', en: 'not a GeoJSON FeatureCollection' }] };
  const stations: Station[] = [];
  const skipped: Message[] = [];
  const seen = new Set<string>();
  fc.features.forEach((feat: unknown, i: number) => {
    const kind = isObj(feat) && isObj(feat.properties) ? feat.properties.kind : undefined;
    if (kind !== undefined && kind !== 'station') return;
    const r = readStationFeature(feat, i, seen);
    if (r.station) stations.push(r.station);
    else skipped.push(...r.errors);
  });
  return { stations, skipped };
}
