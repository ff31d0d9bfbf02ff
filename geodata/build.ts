/**
 * Geodata pipeline: raw inputs in geodata/raw → public/data/<place>/ (see docs in geodata/SOURCES.md).
 *
 *   npm run geodata                                   build every place from geodata/raw
 *   npm run geodata -- --copy-raw                     first import the raw files from ../shared/geodata/raw
 *   npm run geodata -- --place yangdong               rebuild one place
 *   npm run geodata -- --place yangdong --osm x.pbf   give a plan place a road network from an OSM extract
 *   options: --raw <dir>  --out <dir>  --plans <dir>  (defaults: geodata/raw, public/data, geodata/plans)
 *
 * Output is deterministic and written atomically: everything is staged in a sibling folder and renamed into place
 * only when the whole build succeeded; a bad input stops the build and leaves the previous output untouched.
 * The staging folders of an interrupted run are removed by the next run (lib/staging.ts).
 */
import * as turf from '@turf/turf';
import { copyFileSync, existsSync, mkdirSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Feature, MultiPolygon, Point, Polygon } from 'geojson';
import { buildGraph } from '../src/core/buildGraph';
import { FERRY_CLASS } from '../src/core/roadClass';
import { checkLonLatGeoJSON, convertGeometry } from '../src/core/crs';
import { errorText, plannerError, toErrorInfo } from '../src/core/errors';
import { extractAdminAreas, extractFacilities, extractPois, extractRailways, extractRoads, extractWater, extractWaterWithStats } from '../src/core/osm/extract';
import { clipOsm, growBbox, type Bbox } from '../src/core/osm/clip';
import { malformedMessage, malformedTotal } from '../src/core/osm/malformed';
import type { OsmRead } from '../src/core/osm/read';
import type { OsmData } from '../src/core/osm/types';
import type { AreaCollection, AreaFeature, PlaceMeta } from '../src/core/types';
import { featureCollectionText, jsonText, parseJson, readRaw, sha256, swapInto, verifyChecksums, writeText } from './lib/io';
import { readOsmLimited } from './lib/limits';
import { readPlan } from './lib/plans';
import { removeLeftovers } from './lib/staging';
import { clipAreas, kmeansSites, largestComponent, networkHull, roundGeometry, voronoiDistricts } from './lib/sites';
import { OSM_ATTRIBUTION, RAW_SOURCES, sourcesMarkdown } from './lib/sources';

export interface BuildOptions {
  /** Repository root (default: the folder above geodata/). */
  root?: string;
  rawDir?: string;
  outDir?: string;
  plansDir?: string;
  /** Build only this place (merging it into the existing places.json). */
  place?: string;
  /** OSM extract giving `place` a road network. */
  osm?: string;
  copyRaw?: boolean;
  log?: (line: string) => void;
  /** Most OSM nodes read from one file (default: pipelineMaxNodes() of this process's heap). */
  maxNodes?: number;
}

type Area = Polygon | MultiPolygon;
type Files = Record<string, string | Uint8Array>;
interface PlaceBuild {
  meta: PlaceMeta;
  files: Files;
  /** Turn restrictions of the road network not used, by reason (logged; place.json keeps the total). */
  restrictionsSkipped?: Record<string, number>;
  /** Malformed OSM elements skipped, in words (logged; place.json keeps the count and a note). */
  malformed?: string;
}

interface PlaceDef {
  id: string;
  name: string;
  nameEn: string;
  group: 'plan' | 'sample';
  /** Raw file names this place reads. */
  inputs: string[];
}

const PLACES: PlaceDef[] = [
  { id: 'yangdong', name: '阳江市阳东区', nameEn: 'Yangdong District, Yangjiang', group: 'plan', inputs: ['yangjiang_districts_datav_gcj02.json'] },
  { id: 'qingxi', name: '东莞市清溪镇', nameEn: 'Qingxi Town, Dongguan', group: 'plan', inputs: ['dongguan_towns_poi86_wgs84.geojson'] },
  { id: 'nanshan', name: '深圳南山（西丽）', nameEn: 'Nanshan (Xili), Shenzhen', group: 'sample', inputs: ['shenzhen_nanshan_xili_overpass_2021-03-17.osm'] },
  { id: 'shanghai', name: '上海中心城区', nameEn: 'Central Shanghai', group: 'sample', inputs: ['shanghai_center_overpass_2025-08-09.osm'] },
  { id: 'monaco', name: '摩纳哥', nameEn: 'Monaco', group: 'sample', inputs: ['fallback_monaco_osrm-testdata_2016.osm.pbf'] },
  { id: 'andorra', name: '安道尔', nameEn: 'Andorra', group: 'sample', inputs: ['andorra_graphhopper-testdata_2013.osm.pbf'] },
];

/** English names of the Dongguan towns (pinyin), for the Qingxi districts. */
const DONGGUAN_EN: Record<string, string> = {
  莞城: 'Guancheng', 南城: 'Nancheng', 东城: 'Dongcheng', 万江: 'Wanjiang', 石碣: 'Shijie', 石龙: 'Shilong', 茶山: 'Chashan',
  石排: 'Shipai', 企石: 'Qishi', 横沥: 'Hengli', 桥头: 'Qiaotou', 谢岗: 'Xiegang', 东坑: 'Dongkeng', 常平: 'Changping',
  寮步: 'Liaobu', 樟木头: 'Zhangmutou', 大朗: 'Dalang', 黄江: 'Huangjiang', 清溪: 'Qingxi', 塘厦: 'Tangxia', 凤岗: 'Fenggang',
  大岭山: 'Dalingshan', 长安: "Chang'an", 虎门: 'Humen', 厚街: 'Houjie', 沙田: 'Shatian', 道滘: 'Daojiao', 洪梅: 'Hongmei',
  麻涌: 'Machong', 望牛墩: 'Wangniudun', 中堂: 'Zhongtang', 高埗: 'Gaobu', 松山湖管委会: 'Songshan Lake Administrative Committee',
};
function dongguanEn(name: string): string {
  const m = /^(.+?)(镇|街道)?$/.exec(name) as RegExpExecArray;
  const base = DONGGUAN_EN[m[1]] ?? DONGGUAN_EN[name] ?? name;
  return m[2] === '镇' ? `${base} Town` : m[2] === '街道' ? `${base} Subdistrict` : base;
}

const DATAV_ATTRIBUTION = '行政区划边界：阿里云 DataV.GeoAtlas / 高德 — boundary: Aliyun DataV.GeoAtlas / AMap';
const POI86_ATTRIBUTION = '镇街边界：poi86.com（源自高德）via eddiehe99/dongguan-map — town boundaries: poi86.com (AMap-derived)';
const EXAMPLE_SOURCE = '示例站点：由路网节点 k-均值聚类自动生成，不是真实或规划的消防站 / Example site generated by k-means over road-network nodes; not a real or planned fire station';

// ---------------------------------------------------------------- small helpers

const area = (id: string, name: string, nameEn: string, geometry: Area, extra: Record<string, unknown> = {}): AreaFeature =>
  ({ type: 'Feature', properties: { id, name, nameEn, ...extra }, geometry });
const areas = (features: AreaFeature[]): AreaCollection => ({ type: 'FeatureCollection', features });

function metaFrame(boundary: Area): Pick<PlaceMeta, 'bbox' | 'center' | 'zoom'> {
  const [a, b, c, d] = turf.bbox(boundary).map((v) => Math.round(v * 1e6) / 1e6);
  const span = Math.max(c - a, (d - b) * 1.2);
  const zoom = Math.max(3, Math.min(16, Math.floor(Math.log2(360 / span) + 1.3)));
  return { bbox: [a, b, c, d], center: [Math.round(((a + c) / 2) * 1e6) / 1e6, Math.round(((b + d) / 2) * 1e6) / 1e6], zoom };
}

const km2 = (g: Area) => Math.round(turf.area(g) / 1e4) / 100;

/**
 * water.geojson with the sea: the coastline assembled into sea polygons clipped to the boundary's bbox + 2 km
 * (src/core/water/coastline.ts); adds a note when there is sea or when the coastline had to be closed by hand.
 */
function waterWithSea(osm: OsmData, boundary: Area, files: Files, notes: string[]): void {
  const box = growBbox(turf.bbox(boundary) as Bbox, 2000);
  const { fc, stats } = extractWaterWithStats(osm, { seaBox: box, keepBox: box });
  files['water.geojson'] = featureCollectionText(fc);
  if (fc.features.some((f) => f.properties.kind === 'sea'))
    notes.push('海域由 OSM 海岸线 (natural=coastline) 拼合，裁剪到边界外扩 2 km / the sea is assembled from the OSM coastline (natural=coastline), clipped to the boundary bbox + 2 km');
  if (stats.danglingCoastEnds > 0)
    notes.push(`海岸线有 ${stats.danglingCoastEnds} 处在数据范围内中断，已直线连到裁剪框边上（近似）/ the coastline breaks off ${stats.danglingCoastEnds} time(s) inside the area; carried straight on to the clip box (approximate)`);
}

function readGeoJsonRaw(rawDir: string, file: string) {
  const doc = parseJson(readRaw(rawDir, file), file);
  checkLonLatGeoJSON(doc, file);
  const d = doc as { features?: Feature[] };
  if (!Array.isArray(d.features)) throw plannerError('not-feature-collection', `文件「${file}」不是 FeatureCollection`, `file "${file}" is not a FeatureCollection`, { file });
  return d.features;
}

function readOsmRaw(rawDir: string, file: string, maxNodes?: number): OsmRead {
  return readOsmLimited(readRaw(rawDir, file), file, maxNodes);
}

/** Malformed elements of an OSM input: a count for the stats, a note for place.json and a line for the log. */
function malformedOf(osm: OsmRead, file: string): { count: number; note: string; log: string } | null {
  const m = malformedMessage(osm.malformed);
  if (!m) return null;
  return { count: malformedTotal(osm.malformed), note: `${file} 中的损坏要素未使用：${m.zh} / malformed elements of ${file} not used: ${m.en}`, log: `${file}: ${m.en}` };
}

/** Plan file of a plan place, if the plans work has written one. */
function planFile(plansDir: string, id: string) {
  const file = join(plansDir, `${id}.json`);
  if (!existsSync(file)) return null;
  const rel = `geodata/plans/${id}.json`;
  return readPlan(parseJson(new Uint8Array(readFileSync(file)), rel), rel);
}

function populationOf(root: string, id: string): PlaceMeta['population'] | undefined {
  const file = join(root, 'geodata/population.json');
  if (!existsSync(file)) return undefined;
  const doc = parseJson(new Uint8Array(readFileSync(file)), 'geodata/population.json') as Record<string, unknown>;
  const places = (doc.places ?? doc) as Record<string, unknown> | Record<string, unknown>[];
  const entry = (Array.isArray(places) ? places.find((p) => p.id === id || p.place === id) : places[id]) as Record<string, unknown> | undefined;
  if (!entry || typeof entry.value !== 'number' || typeof entry.year !== 'number') return undefined;
  const src = entry.source ?? entry.citation;
  return { value: entry.value, year: entry.year, source: typeof src === 'string' ? src : JSON.stringify(src ?? '') };
}

// ---------------------------------------------------------------- network part (samples and user extracts)

interface NetworkOut {
  files: Files;
  stats: Record<string, number>;
  /** Turn restrictions not used, by reason (for the build log; place.json keeps the total). */
  skipped: Record<string, number>;
  stations: number;
  /** Nodes of the largest connected piece of the road graph. */
  comp: number[];
}

function networkFiles(osm: OsmData): NetworkOut & { graph: ReturnType<typeof buildGraph>['graph'] } {
  const { graph, stats } = buildGraph(osm);
  const roads = extractRoads(osm);
  const facilities = extractFacilities(osm);
  const files: Files = {
    'graph.bin': new Uint8Array(graph.buffer),
    'roads.geojson': featureCollectionText(roads),
    'water.geojson': featureCollectionText(extractWater(osm)),
    'facilities.geojson': featureCollectionText(facilities),
    'pois.geojson': featureCollectionText(extractPois(osm)),
  };
  const rail = extractRailways(osm);
  if (rail.features.length) files['rail.geojson'] = featureCollectionText(rail);
  let lengthM = 0;
  for (let e = 0; e < graph.edgeCount; e++) if (graph.roadClass[e] !== FERRY_CLASS) lengthM += graph.lengthM[e]; // ferries are no road
  const comp = largestComponent(graph);
  const count = (k: string) => facilities.features.filter((f) => f.properties.kind === k).length;
  return {
    graph, files, stations: count('station'), comp,
    stats: {
      graphNodes: graph.nodeCount, graphEdges: graph.edgeCount, roadKm: Math.round(lengthM / 2 / 100) / 10,
      largestComponentNodes: comp.length, waysUsed: stats.waysUsed, missingNodeRefs: stats.missingNodeRefs,
      stations: count('station'), hydrants: count('hydrant') + count('water-intake'),
      turnRestrictionsRead: stats.restrictionsRead, turnRestrictionsUsed: stats.restrictionsUsed,
      turnRestrictionsSkipped: Object.values(stats.restrictionsSkipped).reduce((a, b) => a + b, 0),
      turnRestrictionSequences: stats.restrictionSequences, roadRuleFactSets: stats.factSets, roadRuleFactNodes: stats.factNodes,
    },
    skipped: stats.restrictionsSkipped,
  };
}

function exampleSites(placeId: string, graph: NetworkOut & { graph: ReturnType<typeof buildGraph>['graph'] }, k: number, boundary: Area) {
  const g = graph.graph;
  const area = turf.feature(boundary);
  const inside = graph.comp.filter((i) => turf.booleanPointInPolygon([g.lon[i] / 1e7, g.lat[i] / 1e7], area));
  const sites = kmeansSites(g, inside, k);
  return sites.map((node, i): Feature<Point, Record<string, unknown>> => {
    const lon = g.lon[node] / 1e7, lat = g.lat[node] / 1e7;
    return {
      type: 'Feature',
      properties: {
        kind: 'station', id: `example-${placeId}-${i + 1}`, name: `示例站 ${i + 1}`, nameEn: `Example site ${i + 1}`,
        stationClass: '一级', status: 'proposed', position: 'approximate', example: true, source: EXAMPLE_SOURCE, lon, lat,
      },
      geometry: { type: 'Point', coordinates: [lon, lat] },
    };
  });
}

function exampleDistricts(placeId: string, sites: Feature<Point, Record<string, unknown>>[], boundary: Area): AreaFeature[] {
  const cells = voronoiDistricts(sites, boundary);
  const out: AreaFeature[] = [];
  cells.forEach((g, i) => {
    if (g) out.push(area(`example-district-${placeId}-${i + 1}`, `示例责任区 ${i + 1}`, `Example district ${i + 1}`, g, { example: true, stationId: sites[i].properties.id }));
  });
  return out;
}

// ---------------------------------------------------------------- places

function finishMeta(def: PlaceDef, boundary: Area, files: Files, extra: Partial<PlaceMeta>): PlaceMeta {
  const fileKeys = ['boundary', 'districts', 'graph', 'roads', 'water', 'rail', 'facilities', 'plan', 'pois'] as const;
  const fileMap: PlaceMeta['files'] = {};
  for (const k of fileKeys) {
    const name = k === 'graph' ? 'graph.bin' : `${k}.geojson`;
    if (files[name] !== undefined) fileMap[k] = name;
  }
  return {
    id: def.id, name: def.name, nameEn: def.nameEn, group: def.group, ...metaFrame(boundary),
    hasNetwork: files['graph.bin'] !== undefined, files: fileMap, attribution: [], notes: [], ...extra,
  };
}

function planPlace(def: PlaceDef, opts: Required<Pick<BuildOptions, 'rawDir' | 'plansDir' | 'root'>> & BuildOptions): PlaceBuild {
  const files: Files = {};
  const notes: string[] = [];
  const attribution: string[] = [];
  let boundary: AreaFeature;
  let districts: AreaFeature[];
  if (def.id === 'yangdong') {
    const file = 'yangjiang_districts_datav_gcj02.json';
    const f = readGeoJsonRaw(opts.rawDir, file).find((x) => Number(x.properties?.adcode) === 441704);
    if (!f) throw plannerError('place-not-in-file', `文件「${file}」中找不到阳东区 (adcode 441704)`, `file "${file}" has no 阳东区 (adcode 441704)`, { file });
    const g = roundGeometry(convertGeometry(f.geometry as Area, 'GCJ02', 'WGS84', 6));
    boundary = area('441704', '阳东区', 'Yangdong District', g, { adcode: 441704 });
    districts = [boundary];
    attribution.push(DATAV_ATTRIBUTION);
    notes.push(`边界来自 ${file}（GCJ-02），已用 gcoord 转换为 WGS84 / boundary from ${file} (GCJ-02), converted to WGS84 with gcoord`);
    notes.push('数据源没有镇街级划分，责任区暂为全区 / the source has no town-level split, so the district is the whole 区');
  } else {
    const file = 'dongguan_towns_poi86_wgs84.geojson';
    const towns = readGeoJsonRaw(opts.rawDir, file);
    const q = towns.find((x) => x.properties?.name === '清溪镇');
    if (!q) throw plannerError('place-not-in-file', `文件「${file}」中找不到清溪镇`, `file "${file}" has no 清溪镇`, { file });
    const qg = roundGeometry(q.geometry as Area);
    boundary = area(`poi86-${q.properties?.id}`, '清溪镇', 'Qingxi Town', qg);
    const near = turf.buffer(turf.feature(qg), 1, { units: 'kilometers' }) as Feature<Area>;
    districts = towns
      .filter((t) => t === q || turf.booleanIntersects(t, near))
      .map((t) => area(`poi86-${t.properties?.id}`, String(t.properties?.name), dongguanEn(String(t.properties?.name)), roundGeometry(t.geometry as Area)))
      .sort((a, b) => (a.properties.name === '清溪镇' ? -1 : b.properties.name === '清溪镇' ? 1 : a.properties.id < b.properties.id ? -1 : 1));
    attribution.push(POI86_ATTRIBUTION);
    notes.push(`边界来自 ${file}（WGS84）；责任区 = 清溪镇及相邻镇街 / boundary from ${file} (WGS84); districts = 清溪镇 and its neighbouring towns`);
  }
  files['boundary.geojson'] = featureCollectionText(areas([boundary]));
  files['districts.geojson'] = featureCollectionText(areas(districts));
  const stats: Record<string, number> = { areaKm2: km2(boundary.geometry), districts: districts.length };
  let skipped: Record<string, number> | undefined;
  let broken: ReturnType<typeof malformedOf> = null;

  if (opts.osm) {
    const bytes = new Uint8Array(readFileSync(opts.osm));
    const name = basename(opts.osm);
    const read = readOsmLimited(bytes, name, opts.maxNodes);
    broken = malformedOf(read, name);
    const osm = clipOsm(read, growBbox(turf.bbox(boundary.geometry) as Bbox, 2000));
    const net = networkFiles(osm);
    if (net.stats.graphEdges === 0) {
      throw plannerError('no-overlap', `OSM 文件「${name}」在${def.name}范围内没有可通行道路`, `OSM file "${name}" has no drivable roads within ${def.nameEn}`, { file: name });
    }
    Object.assign(files, net.files);
    waterWithSea(read, boundary.geometry, files, notes); // the extract before clipping: areas crossing the edge stay whole
    Object.assign(stats, net.stats);
    skipped = net.skipped;
    attribution.push(OSM_ATTRIBUTION);
    notes.push(`路网来自用户提供的 OSM 文件 ${name}（sha256 ${sha256(bytes).slice(0, 12)}），按边界外扩约 2 km 裁剪 / road network from the user's OSM extract ${name}, clipped to the boundary bbox plus ~2 km`);
  } else {
    files['facilities.geojson'] = featureCollectionText({ type: 'FeatureCollection', features: [] });
    notes.push('没有路网：加载 OSM 路网文件前按直线距离估算 / no road network: straight-line estimates until an OSM extract is loaded');
  }
  const plan = planFile(opts.plansDir, def.id);
  if (plan) {
    files['plan.geojson'] = featureCollectionText({ type: 'FeatureCollection', features: plan.features });
    stats.planItems = plan.features.length;
    const approx = plan.features.filter((f) => f.properties.position === 'approximate').length;
    if (plan.title) notes.push(`规划点位来自《${plan.title}》 / plan items from the plan 《${plan.title}》`);
    if (approx) notes.push(`${approx} 个规划点位为近似位置（规划未给坐标），请拖到实际位置 / ${approx} plan positions are approximate (the plan gives no coordinates); drag them to the real sites`);
    if (plan.withoutPosition) notes.push(`规划中有 ${plan.withoutPosition} 项没有坐标，未在地图上显示 / ${plan.withoutPosition} plan items have no coordinates and are not drawn`);
  }
  if (broken) {
    stats.osmElementsSkipped = broken.count;
    notes.push(broken.note);
  }
  const population = populationOf(opts.root, def.id);
  const meta = finishMeta(def, boundary.geometry, files, { attribution, notes, stats, ...(population ? { population } : {}) });
  return { meta, files, ...(skipped ? { restrictionsSkipped: skipped } : {}), ...(broken ? { malformed: broken.log } : {}) };
}

function samplePlace(def: PlaceDef, opts: Required<Pick<BuildOptions, 'rawDir'>> & BuildOptions): PlaceBuild {
  const file = def.inputs[0];
  const osm = readOsmRaw(opts.rawDir, file, opts.maxNodes);
  const net = networkFiles(osm);
  const files: Files = { ...net.files };
  const notes: string[] = [`路网来自 ${file} / road network from ${file}`];
  let boundary: AreaFeature;
  let districts: AreaFeature[] = [];
  const comp = net.comp;
  const admin = (level: number, name: string) => extractAdminAreas(osm, level).features.find((f) => f.properties.name === name);
  if (def.id === 'monaco') {
    const commune = admin(8, 'Monaco');
    if (!commune) throw plannerError('place-not-in-file', `文件「${file}」中没有完整的摩纳哥边界 (admin_level 8)`, `file "${file}" has no complete Monaco boundary (admin_level 8)`, { file });
    boundary = area(commune.properties.id, '摩纳哥', 'Monaco', roundGeometry(commune.geometry));
    districts = clipAreas(extractAdminAreas(osm, 10).features, boundary.geometry)
      .map((f) => area(f.properties.id, f.properties.name, f.properties.nameEn ?? f.properties.name, f.geometry, { adminLevel: 10 }));
    notes.push('规划范围 = 摩纳哥市镇边界 (admin_level 8)，责任区 = 街区 (admin_level 10) / planning area = Monaco commune (admin_level 8); districts = quarters (admin_level 10)');
    notes.push('消防站等级在 OSM 中没有记录，暂按一级站 / station classes are not in OSM; 一级 is assumed');
  } else {
    const country = def.id === 'andorra' ? admin(2, 'Andorra') : undefined;
    if (country) boundary = area(country.properties.id, def.name, def.nameEn, roundGeometry(country.geometry));
    else {
      const mode = def.id === 'andorra' ? 'convex' : 'concave';
      boundary = area(`hull-${def.id}`, def.name, def.nameEn, networkHull(net.graph, comp, mode));
      notes.push(mode === 'convex'
        ? '数据中国界关系不完整，规划范围取最大连通路网的凸包 / the country relation is incomplete in the extract; planning area = convex hull of the largest road component'
        : '规划范围取最大连通路网的外包轮廓（凹包，边长 ≤ 2 km，去掉宽度不足 800 m 的狭长部分）/ planning area = concave hull (edges ≤ 2 km) of the largest road component, without slivers narrower than 800 m');
    }
  }
  if (net.stations === 0) {
    const k = { shanghai: 20, nanshan: 4, andorra: 5 }[def.id] ?? 5;
    const sites = exampleSites(def.id, net, k, boundary.geometry);
    files['plan.geojson'] = featureCollectionText({ type: 'FeatureCollection', features: sites });
    districts = exampleDistricts(def.id, sites, boundary.geometry);
    notes.push(`数据中没有消防站：${k} 个示例站点及其示例责任区（泰森多边形）仅供演示，不是真实站点 / no stations in the data: ${k} example sites and their example districts (Voronoi cells) are for demonstration only, not real stations`);
  }
  files['boundary.geojson'] = featureCollectionText(areas([boundary]));
  files['districts.geojson'] = featureCollectionText(areas(districts));
  waterWithSea(osm, boundary.geometry, files, notes);
  const stats: Record<string, number> = { areaKm2: km2(boundary.geometry), districts: districts.length, ...net.stats };
  const broken = malformedOf(osm, file);
  if (broken) {
    stats.osmElementsSkipped = broken.count;
    notes.push(broken.note);
  }
  return { meta: finishMeta(def, boundary.geometry, files, { attribution: [OSM_ATTRIBUTION], notes, stats }), files, restrictionsSkipped: net.skipped, ...(broken ? { malformed: broken.log } : {}) };
}

// ---------------------------------------------------------------- driver

function copyRaw(root: string, rawDir: string, log: (s: string) => void): void {
  const from = join(root, '..', 'shared', 'geodata', 'raw');
  mkdirSync(rawDir, { recursive: true });
  const sums = new Map<string, string>();
  for (const s of RAW_SOURCES) {
    const src = join(from, s.file);
    if (!existsSync(src)) throw plannerError('raw-missing', `共享数据中缺少「${s.file}」`, `"${s.file}" is missing from ../shared/geodata/raw`, { file: s.file });
    copyFileSync(src, join(rawDir, s.file));
    sums.set(s.file, sha256(readFileSync(join(rawDir, s.file))));
    log(`copied ${s.file}`);
  }
  writeFileSync(join(rawDir, 'CHECKSUMS.sha256'), [...sums].map(([f, h]) => `${h}  ${f}\n`).join(''));
  writeFileSync(join(root, 'geodata', 'SOURCES.md'), sourcesMarkdown(sums));
}

function writePlace(dir: string, p: PlaceBuild): void {
  mkdirSync(dir, { recursive: true });
  for (const [name, content] of Object.entries(p.files)) writeText(join(dir, name), content);
  writeText(join(dir, 'place.json'), jsonText(p.meta));
}

export function runBuild(options: BuildOptions = {}): PlaceMeta[] {
  const root = options.root ?? resolve(dirname(fileURLToPath(import.meta.url)), '..');
  const rawDir = options.rawDir ?? join(root, 'geodata', 'raw');
  const outDir = options.outDir ?? join(root, 'public', 'data');
  const plansDir = options.plansDir ?? join(root, 'geodata', 'plans');
  const log = options.log ?? (() => {});
  const opts = { ...options, root, rawDir, outDir, plansDir };
  for (const path of removeLeftovers(outDir)) log(`removed ${path} (left by an interrupted run)`);
  if (options.copyRaw) copyRaw(root, rawDir, log);
  if (options.osm && !options.place) throw plannerError('bad-args', '--osm 需要同时指定 --place', '--osm needs --place');
  if (options.osm && !existsSync(options.osm)) throw plannerError('file-not-found', `找不到 OSM 文件「${options.osm}」`, `OSM file "${options.osm}" not found`, { file: options.osm });
  const defs = options.place ? PLACES.filter((p) => p.id === options.place) : PLACES;
  if (defs.length === 0) throw plannerError('unknown-place', `未知地点「${options.place}」（已知：${PLACES.map((p) => p.id).join(', ')}）`, `unknown place "${options.place}" (known: ${PLACES.map((p) => p.id).join(', ')})`);
  if (options.osm && defs[0].group !== 'plan') throw plannerError('bad-args', '--osm 只用于规划地点 (yangdong, qingxi)', '--osm is for plan places (yangdong, qingxi)');
  verifyChecksums(rawDir, defs.flatMap((d) => d.inputs));

  // Build everything in memory first: any bad input stops here, before a byte is written.
  const built = defs.map((def) => {
    log(`building ${def.id} …`);
    return def.group === 'plan' ? planPlace(def, opts) : samplePlace(def, opts);
  });

  const parent = dirname(outDir);
  mkdirSync(parent, { recursive: true });
  const staged = join(parent, `.${basename(outDir)}.staging-${process.pid}`);
  rmSync(staged, { recursive: true, force: true });
  try {
    let metas: PlaceMeta[];
    if (options.place) {
      // Keep the other places: stage only this place and a merged places.json.
      const current = existsSync(join(outDir, 'places.json')) ? (JSON.parse(readFileSync(join(outDir, 'places.json'), 'utf8')) as PlaceMeta[]) : [];
      const order = PLACES.map((p) => p.id);
      metas = [...current.filter((m) => m.id !== options.place), built[0].meta].sort((a, b) => order.indexOf(a.id) - order.indexOf(b.id));
      writePlace(join(staged, options.place), built[0]);
      writeText(join(staged, 'places.json'), jsonText(metas));
      mkdirSync(outDir, { recursive: true });
      swapInto(join(staged, options.place), join(outDir, options.place));
      swapInto(join(staged, 'places.json'), join(outDir, 'places.json'));
      rmSync(staged, { recursive: true, force: true });
    } else {
      metas = built.map((b) => b.meta);
      for (const b of built) writePlace(join(staged, b.meta.id), b);
      writeText(join(staged, 'places.json'), jsonText(metas));
      swapInto(staged, outDir);
    }
    for (const b of built) {
      log(`${b.meta.id}: ${Object.keys(b.files).length + 1} files, ${JSON.stringify(b.meta.stats)}`);
      const why = Object.entries(b.restrictionsSkipped ?? {}).filter(([, n]) => n > 0);
      if (why.length) log(`${b.meta.id}: turn restrictions skipped by reason: ${why.map(([k, n]) => `${k} ${n}`).join(', ')}`);
      if (b.malformed) log(`${b.meta.id}: ${b.malformed}`);
    }
    return metas;
  } catch (err) {
    rmSync(staged, { recursive: true, force: true });
    throw err;
  }
}

/** Byte sizes per place folder (for the log and the report). */
export function outputSizes(outDir: string): Record<string, number> {
  const sizes: Record<string, number> = {};
  for (const d of readdirSync(outDir, { withFileTypes: true })) {
    if (!d.isDirectory()) continue;
    sizes[d.name] = readdirSync(join(outDir, d.name)).reduce((s, f) => s + readFileSync(join(outDir, d.name, f)).length, 0);
  }
  return sizes;
}

function parseArgs(argv: string[]): BuildOptions {
  const o: BuildOptions = { log: (s) => console.log(s) };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const next = () => {
      const v = argv[++i];
      if (v === undefined) throw plannerError('bad-args', `参数 ${a} 缺少取值`, `option ${a} needs a value`);
      return v;
    };
    if (a === '--copy-raw') o.copyRaw = true;
    else if (a === '--place') o.place = next();
    else if (a === '--osm') o.osm = resolve(next());
    else if (a === '--raw') o.rawDir = resolve(next());
    else if (a === '--out') o.outDir = resolve(next());
    else if (a === '--plans') o.plansDir = resolve(next());
    else throw plannerError('bad-args', `未知参数 ${a}`, `unknown option ${a}`);
  }
  return o;
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  try {
    const o = parseArgs(process.argv.slice(2));
    runBuild(o);
    const out = o.outDir ?? join(dirname(fileURLToPath(import.meta.url)), '..', 'public', 'data');
    for (const [id, bytes] of Object.entries(outputSizes(out))) console.log(`${id.padEnd(10)} ${(bytes / 1024).toFixed(0).padStart(6)} KiB`);
  } catch (err) {
    const info = toErrorInfo(err);
    console.error(`✗ ${errorText(info, /^zh/i.test(process.env.LANG ?? '') ? 'zh' : 'en')} [${info.code}]`);
    process.exit(1);
  }
}
