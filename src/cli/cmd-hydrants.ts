/**
 * `planner hydrants`: the hydrant audit of a place (GB 50974-2014 §7.2) along its roads, with the place's own
 * hydrants (facilities.geojson) and optionally a file of the user's (--import).
 *
 * --import goes through the importer the app uses: the file readers of src/data/hydrantFiles.ts (CSV in UTF-8 /
 * UTF-16 / GBK, XLSX, GeoJSON, KML / KMZ, zipped Shapefile; columns guessed as the wizard's first guess), the row
 * checks and status / type words of src/core/hydrants/import, its road-fit CRS suggestion (suggestCrs: WGS84,
 * GCJ-02, BD-09, each also with the columns swapped) and finishImport (the place's box + 2 km and its boundary).
 * So the CLI accepts and rejects the same rows and prints the same figures as the app. --crs auto takes the
 * suggested reading; an explicit --crs reads the columns as they are.
 */
import { readFileSync } from 'node:fs';
import { basename, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { plannerError, toErrorInfo, type Lang } from '../core/errors';
import { decodeGraph } from '../core/graph';
import { auditHydrants, auditView, type AuditHydrant, type HydrantAudit, type HydrantAuditView } from '../core/hydrants/audit';
import { auditAreas, facilityHydrants } from '../core/hydrants/data';
import { finishImport, pointInAreas, suggestCrs, HYDRANT_CRSES, type CrsReading, type HydrantCrs, type PlaceArea, type RejectedRow } from '../core/hydrants/import';
import { HoseNetwork } from '../core/hydrants/network';
import { parseHydrantStandard } from '../core/hydrants/standard';
import { timeToPoint } from '../core/dijkstra';
import { parseProfile } from '../core/profile';
import { parseRoadRules } from '../core/roadRules';
import { Router } from '../core/router';
import { snapPoint } from '../core/snap';
import type { AreaCollection } from '../core/types';
import { exitCodeOf, fileFailure } from '../core/compliance/cli';
import { previewHydrantFile, readHydrantFile } from '../data/hydrantFiles';
import { errorLine } from './main';
import { choiceOption, langOption } from './options';

export const usage = `  planner hydrants     --place <id> [--import file.csv|.xlsx|.geojson|.kml|.kmz|.zip --crs wgs84|gcj02|bd09|auto] [--json] [--lang zh|en]
                       消火栓沿道路审计（GB 50974-2014 §7.2）/ hydrant audit along the roads; --crs auto 按道路拟合选择坐标系 / picks the CRS that fits the roads`;

const repoRoot = resolve(fileURLToPath(new URL('.', import.meta.url)), '../..');

function json(path: string, text: string): unknown {
  try {
    return JSON.parse(text);
  } catch (e) {
    throw plannerError('bad-json', '导入文件不是有效的 JSON', 'the import file is not valid JSON', { file: path, detail: (e as Error).message });
  }
}

/** A reading's median distance to the nearest road (m, 0.1 m; null: not measured). */
export interface CrsFit {
  crs: HydrantCrs;
  swapped: boolean;
  medianM: number | null;
  insideShare: number;
}

/** The place as the importer sees it: its box and, when it has a boundary file, the point-in-boundary test. */
export function placeAreaOf(bbox: [number, number, number, number], boundary: AreaCollection | null): PlaceArea {
  const rings: number[][][][] = [];
  for (const f of boundary?.features ?? []) {
    const g = f.geometry;
    if (g?.type === 'Polygon') rings.push(g.coordinates);
    else if (g?.type === 'MultiPolygon') rings.push(...g.coordinates);
  }
  return { bbox, ...(rings.length ? { inside: (lon: number, lat: number) => pointInAreas(rings, lon, lat) } : {}) };
}

interface Imported {
  hydrants: AuditHydrant[];
  report: NonNullable<Report['import']>;
}

/** Reads an import file with the app's importer and places its rows (see the module comment). */
async function importFile(path: string, crsOpt: HydrantCrs | 'auto', router: Router, area: PlaceArea): Promise<Imported> {
  let bytes: Buffer;
  try {
    bytes = readFileSync(path);
  } catch (e) {
    throw fileFailure(e, path, { zh: '导入', en: 'import' });
  }
  const name = basename(path);
  const blob = new Blob([Uint8Array.from(bytes)]);
  const preview = await previewHydrantFile(blob, name);
  const read = await readHydrantFile(blob, name, preview.mapping, preview.sheet ? { sheet: preview.sheet } : {});
  const nearestRoadM = (lon: number, lat: number) => snapPoint(router.graph, router.spatial, router.seconds, null, lon, lat)?.distanceM ?? Infinity;
  const suggestion = suggestCrs(read.raws, area, nearestRoadM);
  const reading: CrsReading = crsOpt === 'auto' ? suggestion?.best ?? { crs: 'wgs84', swapped: false } : { crs: crsOpt, swapped: false };
  const done = finishImport(read.raws, reading, area, { source: `导入：${name}` });
  const round1 = (v: number | null) => (v === null ? null : Math.round(v * 10) / 10);
  // The readings with the chosen column order, in a fixed order (WGS84, GCJ-02, BD-09).
  const fits: CrsFit[] | undefined = crsOpt === 'auto' && suggestion
    ? HYDRANT_CRSES.map((crs) => suggestion.fits.find((f) => f.crs === crs && f.swapped === reading.swapped)!)
      .map((f) => ({ crs: f.crs, swapped: f.swapped, medianM: round1(f.medianRoadM), insideShare: f.insideShare }))
    : undefined;
  const hydrants: AuditHydrant[] = done.hydrants.map((h) => {
    const a: AuditHydrant = { id: h.id, kind: h.kind, lon: h.lon, lat: h.lat, status: h.status };
    if (h.name !== undefined) a.name = h.name;
    if (h.inService !== undefined) a.inService = h.inService;
    return a;
  });
  return {
    hydrants,
    report: {
      file: path, format: preview.format, ...(preview.encoding ? { encoding: preview.encoding } : {}), ...(preview.sheet ? { sheet: preview.sheet } : {}),
      ...(preview.crsNote ? { crsNote: preview.crsNote } : {}),
      mapping: Object.fromEntries(Object.entries(preview.mapping).filter(([, i]) => i !== null).map(([k, i]) => [k, preview.header[i as number]])),
      crs: reading.crs, swapped: reading.swapped, auto: crsOpt === 'auto',
      ...(fits ? { fits } : {}), ...(crsOpt === 'auto' && suggestion ? { suggestion: { zh: suggestion.zh, en: suggestion.en, weak: suggestion.weak } } : {}),
      rows: read.rows, accepted: done.hydrants.length, rejected: [...read.rejected, ...done.rejected].sort((a, b) => a.row - b.row),
      unknownStatus: done.unknownStatus,
    },
  };
}

interface Report {
  place: string;
  audit: HydrantAuditView;
  import?: {
    file: string;
    format: string;
    encoding?: string;
    sheet?: string;
    crsNote?: { zh: string; en: string };
    /** Field → the column it was read from (the importer's guess). */
    mapping: Record<string, string>;
    crs: HydrantCrs;
    swapped: boolean;
    auto: boolean;
    fits?: CrsFit[];
    suggestion?: { zh: string; en: string; weak: boolean };
    /** Data rows read, accepted and rejected (row numbers as in the file). */
    rows: number;
    accepted: number;
    rejected: RejectedRow[];
    unknownStatus: { row: number; value: string }[];
  };
}

const pct = (v: number | null) => (v === null ? '—' : `${Math.floor(v * 100)} %`);

function text(r: Report, lang: Lang): string {
  const a = r.audit, f = a.figures, zh = lang === 'zh', c = (k: keyof HydrantAudit['clauses']) => `  [${a.clauses[k][lang]}]`;
  const out: string[] = [];
  out.push(zh ? `消火栓审计 · ${r.place}（${a.standard.zh}）` : `Hydrant audit · ${r.place} (${a.standard.en})`);
  if (r.import) {
    const im = r.import;
    const label = `${im.crs.toUpperCase()}${im.swapped ? (zh ? '（经纬度对调）' : ' (lat/lon swapped)') : ''}`;
    const fit = im.fits ? im.fits.map((x) => `${x.crs.toUpperCase()} ${x.medianM === null ? '—' : `${x.medianM} m`}`).join(zh ? '，' : ', ') : '';
    const enc = im.encoding ? ` ${im.encoding.toUpperCase()}` : '';
    out.push(zh ? `导入「${im.file}」（${im.format.toUpperCase()}${enc}）：坐标系 ${label}${im.auto ? `（自动：按道路拟合，点到最近道路的中位距离 ${fit}）` : ''}；读取 ${im.rows} 行，接受 ${im.accepted} 行，拒绝 ${im.rejected.length} 行`
      : `Import "${im.file}" (${im.format.toUpperCase()}${enc}): CRS ${label}${im.auto ? ` (auto: best road fit, median distance to the nearest road ${fit})` : ''}; ${im.rows} rows read, ${im.accepted} accepted, ${im.rejected.length} rejected`);
    out.push(`  ${zh ? '列' : 'columns'}: ${Object.entries(im.mapping).map(([k, v]) => `${k} = ${v}`).join(', ')}`);
    if (im.crsNote) out.push(`  ${im.crsNote[lang]}`);
    if (im.suggestion?.weak) out.push(zh ? `  坐标系建议较弱，请核对：${im.suggestion.zh}` : `  the CRS suggestion is weak, please check: ${im.suggestion.en}`);
    for (const x of im.rejected) out.push(zh ? `  第 ${x.row} 行：${x.zh}` : `  row ${x.row}: ${x.en}`);
    for (const x of im.unknownStatus) out.push(zh ? `  第 ${x.row} 行：未知状态「${x.value}」（按在用以外的未知处理）` : `  row ${x.row}: unknown status "${x.value}" (in service not known)`);
  }
  out.push(zh ? `数据中有 ${f.hydrantsInData} 个消火栓、${f.intakesInData} 个取水点——不是完整清单` : `The data holds ${f.hydrantsInData} hydrant(s) and ${f.intakesInData} water intake(s) — not a full inventory`);
  out.push((zh ? `道路 ${f.roadKm} km，沿道路 ${a.settings.radiusM} m 保护半径内 ${f.protectedKm} km = ${pct(f.protectedShare)}；缺口 ${f.gapKm} km`
    : `Roads ${f.roadKm} km; within ${a.settings.radiusM} m along the roads ${f.protectedKm} km = ${pct(f.protectedShare)}; gaps ${f.gapKm} km`) + c('protection'));
  out.push((zh ? `间距超过 ${a.settings.spacingM} m 的消火栓：${f.spacingViolations}` : `Hydrants more than ${a.settings.spacingM} m from the next: ${f.spacingViolations}`) + c('spacing'));
  out.push((zh ? `距道路超过 ${a.settings.farM} m：${f.farFromRoad}` : `More than ${a.settings.farM} m off the road: ${f.farFromRoad}`) + c('far'));
  out.push((zh ? `消防车无法到达：${f.unreachable}；停用：${f.outOfService}；取水点可到达 ${f.intakesAccessible} / ${f.intakesInData}` : `Not reachable by a fire engine: ${f.unreachable}; out of service: ${f.outOfService}; water intakes reachable ${f.intakesAccessible} / ${f.intakesInData}`) + c('access'));
  out.push(a.buildingsNote[lang]);
  for (const h of a.hydrants.filter((x) => x.far || x.problem || x.spacingOk === false))
    out.push(`  ${h.id}${h.name ? ` ${h.name}` : ''} (${h.lon}, ${h.lat}): ${zh ? '离路' : 'off road'} ${h.offRoadM} m${h.problem ? `, ${h.problem}` : ''}${h.spacingOk === false ? (zh ? '，间距超限' : ', spacing exceeded') : ''}`);
  if (a.areas.length) {
    out.push(zh ? '街区 | 道路 km | 受保护 km | 比例 | 消火栓 | 取水点' : 'area | road km | protected km | share | hydrants | intakes');
    for (const x of a.areas) out.push(`${zh ? x.name : x.nameEn ?? x.name} | ${x.roadKm} | ${x.protectedKm} | ${pct(x.protectedShare)} | ${x.hydrants} | ${x.intakes}`);
  }
  return out.join('\n') + '\n';
}

function readText(path: string, what: { zh: string; en: string }): string {
  try {
    return readFileSync(path, 'utf8');
  } catch (e) {
    throw fileFailure(e, path, what);
  }
}

async function report(argv: string[]): Promise<{ out: string; lang: Lang }> {
  const { values: o } = parseArgs({
    args: argv, strict: true, allowPositionals: false,
    options: { place: { type: 'string' }, import: { type: 'string' }, crs: { type: 'string' }, json: { type: 'boolean' }, lang: { type: 'string' }, 'data-dir': { type: 'string' } },
  });
  const lang = langOption(o.lang);
  if (!o.place) throw plannerError('missing-option', '缺少 --place（例如 monaco）', 'missing --place (e.g. monaco)');
  if (!/^[a-z0-9_-]+$/i.test(o.place)) throw plannerError('bad-option', `地点编号无效：${o.place}`, `invalid place id: ${o.place}`);
  const crsOpt = choiceOption('crs', o.crs?.toLowerCase(), ['wgs84', 'gcj02', 'bd09', 'auto'] as const, o.import ? 'auto' : 'wgs84');
  const dir = resolve(o['data-dir'] ?? resolve(repoRoot, 'public/data'), o.place);
  const place = json(resolve(dir, 'place.json'), readText(resolve(dir, 'place.json'), { zh: '地点', en: 'place' })) as { name: string; nameEn: string; bbox: [number, number, number, number]; files: Record<string, string> };
  if (!place.files?.graph)
    throw plannerError('graph-not-found', '该地点没有路网：沿道路的消火栓审计需要路网（在应用中载入 OSM 数据）', 'the place has no road network: the audit along the roads needs one (load OSM data in the app)', { file: dir });
  const bytes = readFileSync(resolve(dir, place.files.graph));
  const graph = decodeGraph(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer);
  const profile = parseProfile(JSON.parse(readText(resolve(repoRoot, 'geodata/profiles/fire-engine.json'), { zh: '速度配置', en: 'speed profile' })));
  const rules = parseRoadRules(JSON.parse(readText(resolve(repoRoot, 'geodata/profiles/road-rules.json'), { zh: '道路通行规则', en: 'road rules' })));
  const router = new Router(graph, profile, false, { roadRules: rules });
  const stdPath = resolve(repoRoot, 'geodata/standards/hydrants/gb50974-2014.json');
  const std = parseHydrantStandard(json(stdPath, readText(stdPath, { zh: '消火栓标准', en: 'hydrant standard' })), stdPath);
  const optional = (file?: string) => (file ? json(resolve(dir, file), readText(resolve(dir, file), { zh: '地点数据', en: 'place data' })) : null);
  const facilities = optional(place.files.facilities) as { features: { properties: Record<string, unknown>; geometry: { coordinates: number[] } }[] } | null;
  const net = new HoseNetwork(router, auditAreas(optional(place.files.districts) as AreaCollection | null));
  const hydrants = facilityHydrants(facilities as never);
  let imported: Report['import'];
  if (o.import) {
    const im = await importFile(o.import, crsOpt, router, placeAreaOf(place.bbox, optional(place.files.boundary) as AreaCollection | null));
    hydrants.push(...im.hydrants);
    imported = im.report;
  }
  // Water intakes: travel seconds from the nearest existing station of the place (turnout not included).
  const stations = (facilities?.features ?? []).filter((f) => f.properties.kind === 'station' && f.properties.status === 'existing')
    .map((f) => router.snapStation(f.geometry.coordinates[0], f.geometry.coordinates[1]));
  if (stations.length) router.paths.run(stations);
  const a = auditHydrants(net, hydrants, std, stations.length ? {
    stationSeconds: (p) => {
      const s = timeToPoint(router.paths, stations, router.snap(p.lon, p.lat)).seconds;
      return s < Infinity ? Math.round(s) : null;
    },
  } : {});
  const r: Report = { place: lang === 'zh' ? place.name : place.nameEn, audit: auditView(a), ...(imported ? { import: imported } : {}) };
  return { out: o.json ? JSON.stringify(r, (_k, v) => (v === Infinity ? null : v), 1) + '\n' : text(r, lang), lang };
}

export async function run(argv: string[]): Promise<number> {
  try {
    const { out } = await report(argv);
    process.stdout.write(out);
    return 0;
  } catch (e) {
    const lang: Lang = argv.join(' ').match(/--lang[ =]en\b/) ? 'en' : 'zh';
    // parseArgs errors (unknown option …) are usage errors.
    const code = (e as { code?: unknown }).code;
    const info = typeof code === 'string' && code.startsWith('ERR_PARSE_ARGS')
      ? plannerError('bad-arguments', `参数错误：${(e as Error).message}`, `bad arguments: ${(e as Error).message}`).info()
      : toErrorInfo(e);
    process.stderr.write(errorLine(info, lang) + '\n');
    return exitCodeOf(info.code);
  }
}
