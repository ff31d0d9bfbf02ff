/**
 * `planner hydrants`: the hydrant audit of a place (GB 50974-2014 §7.2) along its roads, with the place's own
 * hydrants (facilities.geojson) and optionally a file of the user's (--import CSV or GeoJSON).
 *
 * The file reader here is a small adapter (CSV through papaparse: lon/lat columns by common names; GeoJSON points):
 * when the full importer of issue #13 part 1 is in src/core (column mapping, XLSX/KML/Shapefile), `readImport`
 * is the one function to replace. --crs auto picks the coordinate system whose points lie closest to the roads
 * (the median distance to the nearest road for WGS84, GCJ-02 and BD-09) and names it in the output.
 */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import Papa from 'papaparse';
import { convertPosition, type LonLatCrs } from '../core/crs';
import { plannerError, toErrorInfo, type Lang } from '../core/errors';
import { decodeGraph } from '../core/graph';
import { auditHydrants, auditView, type AuditHydrant, type HydrantAudit, type HydrantAuditView } from '../core/hydrants/audit';
import { auditAreas, facilityHydrants } from '../core/hydrants/data';
import { HoseNetwork } from '../core/hydrants/network';
import { parseHydrantStandard } from '../core/hydrants/standard';
import { timeToPoint } from '../core/dijkstra';
import { parseProfile } from '../core/profile';
import { parseRoadRules } from '../core/roadRules';
import { Router } from '../core/router';
import type { AreaCollection } from '../core/types';
import { exitCodeOf, fileFailure } from '../core/compliance/cli';
import { errorLine } from './main';
import { choiceOption, langOption } from './options';

export const usage = `  planner hydrants     --place <id> [--import file.csv|file.geojson --crs wgs84|gcj02|bd09|auto] [--json] [--lang zh|en]
                       消火栓沿道路审计（GB 50974-2014 §7.2）/ hydrant audit along the roads; --crs auto 按道路拟合选择坐标系 / picks the CRS that fits the roads`;

const repoRoot = resolve(fileURLToPath(new URL('.', import.meta.url)), '../..');
const CRS = { wgs84: 'WGS84', gcj02: 'GCJ02', bd09: 'BD09' } as const satisfies Record<string, LonLatCrs>;

export interface Rejected {
  row: number;
  code: 'bad-coordinate' | 'swapped-lat-lon' | 'outside-place';
  zh: string;
  en: string;
}

interface RawRow {
  row: number;
  x: number;
  y: number;
  id?: string;
  name?: string;
  kind: AuditHydrant['kind'];
}

const LON = /^(lon|lng|long|longitude|x|经度)$/i, LAT = /^(lat|latitude|y|纬度)$/i;
const KIND_INTAKE = /取水|intake|suction|water[_ -]?tank|pond|水池|水鹤/i;

function json(path: string, text: string): unknown {
  try {
    return JSON.parse(text);
  } catch (e) {
    throw plannerError('bad-json', '导入文件不是有效的 JSON', 'the import file is not valid JSON', { file: path, detail: (e as Error).message });
  }
}

/** Reads a CSV (header row; row numbers are file lines) or GeoJSON (row = feature number) of points. */
export function readImport(path: string, text: string): { rows: RawRow[]; rejected: Rejected[] } {
  const rows: RawRow[] = [], rejected: Rejected[] = [];
  const badCoord = (row: number, v: string): Rejected => ({ row, code: 'bad-coordinate', zh: `坐标无效：${v}`, en: `invalid coordinate: ${v}` });
  const kindOf = (v: unknown): RawRow['kind'] => (typeof v === 'string' && KIND_INTAKE.test(v) ? 'water-intake' : 'hydrant');
  if (/\.(geo)?json$/i.test(path)) {
    const fc = json(path, text) as { type?: string; features?: { geometry?: { type?: string; coordinates?: unknown[] }; properties?: Record<string, unknown> }[] };
    if (fc?.type !== 'FeatureCollection' || !Array.isArray(fc.features))
      throw plannerError('bad-import', '导入文件不是 GeoJSON 要素集合', 'the import file is not a GeoJSON FeatureCollection', { file: path });
    fc.features.forEach((f, i) => {
      const c = f.geometry?.type === 'Point' ? f.geometry.coordinates : null;
      const p = f.properties ?? {};
      if (!c || typeof c[0] !== 'number' || typeof c[1] !== 'number') { rejected.push(badCoord(i + 1, JSON.stringify(f.geometry ?? null).slice(0, 80))); return; }
      rows.push({ row: i + 1, x: c[0], y: c[1], kind: kindOf(p.kind ?? p.type ?? p.emergency), ...(p.id !== undefined ? { id: String(p.id) } : {}), ...(typeof p.name === 'string' ? { name: p.name } : {}) });
    });
    return { rows, rejected };
  }
  // Empty lines are kept (and skipped below) so that data row i is file line i + 2 (quoted line breaks aside).
  const parsed = Papa.parse<Record<string, string>>(text.replace(/^\uFEFF/, ''), { header: true, skipEmptyLines: false });
  const fields = parsed.meta.fields ?? [];
  const lon = fields.find((f) => LON.test(f.trim())), lat = fields.find((f) => LAT.test(f.trim()));
  if (!lon || !lat)
    throw plannerError('bad-import', `找不到经度、纬度列（表头：${fields.join(', ')}；可用 lon/lng/x/经度 与 lat/y/纬度）`,
      `no longitude / latitude columns (header: ${fields.join(', ')}; use lon/lng/x/经度 and lat/y/纬度)`, { file: path });
  const col = (re: RegExp) => fields.find((f) => re.test(f.trim()));
  const nameCol = col(/^(name|名称|编号名称)$/i), idCol = col(/^(id|编号)$/i), kindCol = col(/^(type|kind|类型|种类)$/i);
  parsed.data.forEach((r, i) => {
    const row = i + 2;
    if (Object.values(r).every((v) => v === undefined || String(v).trim() === '')) return;
    const sx = (r[lon] ?? '').trim(), sy = (r[lat] ?? '').trim();
    const x = /^-?\d+(\.\d+)?$/.test(sx) ? Number(sx) : NaN, y = /^-?\d+(\.\d+)?$/.test(sy) ? Number(sy) : NaN;
    if (!Number.isFinite(x) || !Number.isFinite(y)) { rejected.push(badCoord(row, `${sx}, ${sy}`)); return; }
    rows.push({ row, x, y, kind: kindOf(kindCol ? r[kindCol] : undefined), ...(idCol && r[idCol] ? { id: r[idCol] } : {}), ...(nameCol && r[nameCol] ? { name: r[nameCol] } : {}) });
  });
  return { rows, rejected };
}

const median = (v: number[]) => {
  if (!v.length) return Infinity;
  const s = [...v].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};

export interface CrsFit {
  crs: keyof typeof CRS;
  medianM: number | null;
}

/** Places the rows in a CRS: accepted hydrants in WGS84 and the rows refused (outside the place, swapped axes). */
function placeRows(rows: RawRow[], crs: LonLatCrs, bbox: [number, number, number, number]): { hydrants: AuditHydrant[]; rejected: Rejected[] } {
  const pad = 0.01, [x0, y0, x1, y1] = bbox;
  const inside = (lon: number, lat: number) => lon >= x0 - pad && lon <= x1 + pad && lat >= y0 - pad && lat <= y1 + pad;
  const hydrants: AuditHydrant[] = [], rejected: Rejected[] = [];
  for (const r of rows) {
    if (Math.abs(r.x) > 180 || Math.abs(r.y) > 90) {
      rejected.push(Math.abs(r.y) <= 180 && Math.abs(r.x) <= 90
        ? { row: r.row, code: 'swapped-lat-lon', zh: `经纬度似乎写反了：${r.x}, ${r.y}`, en: `latitude and longitude look swapped: ${r.x}, ${r.y}` }
        : { row: r.row, code: 'bad-coordinate', zh: `坐标超出范围：${r.x}, ${r.y}`, en: `coordinate out of range: ${r.x}, ${r.y}` });
      continue;
    }
    const [lon, lat] = convertPosition([r.x, r.y], crs, 'WGS84');
    if (!inside(lon, lat)) {
      const [slon, slat] = Math.abs(r.x) <= 90 ? convertPosition([r.y, r.x], crs, 'WGS84') : [NaN, NaN];
      rejected.push(inside(slon, slat)
        ? { row: r.row, code: 'swapped-lat-lon', zh: `经纬度似乎写反了：${r.x}, ${r.y}（对调后在本地点内）`, en: `latitude and longitude look swapped: ${r.x}, ${r.y} (read the other way round it lies in the place)` }
        : { row: r.row, code: 'outside-place', zh: `不在本地点范围内：${r.x}, ${r.y}`, en: `outside the place: ${r.x}, ${r.y}` });
      continue;
    }
    hydrants.push({ id: r.id ?? `import-${r.row}`, kind: r.kind, lon: Math.round(lon * 1e7) / 1e7, lat: Math.round(lat * 1e7) / 1e7, ...(r.name ? { name: r.name } : {}) });
  }
  return { hydrants, rejected };
}

/** The median distance from the rows to the nearest road under each CRS (rows inside the place only). */
export function crsFits(net: HoseNetwork, rows: RawRow[], bbox: [number, number, number, number]): CrsFit[] {
  return (Object.keys(CRS) as (keyof typeof CRS)[]).map((crs) => {
    const { hydrants } = placeRows(rows, CRS[crs], bbox);
    const m = median(hydrants.map((h) => net.place(h.lon, h.lat)?.offM ?? Infinity));
    return { crs, medianM: Number.isFinite(m) ? Math.round(m * 10) / 10 : null };
  });
}

interface Report {
  place: string;
  audit: HydrantAuditView;
  import?: { file: string; crs: keyof typeof CRS; auto: boolean; fits?: CrsFit[]; accepted: number; rejected: Rejected[] };
}

const pct = (v: number | null) => (v === null ? '—' : `${Math.floor(v * 100)} %`);

function text(r: Report, lang: Lang): string {
  const a = r.audit, f = a.figures, zh = lang === 'zh', c = (k: keyof HydrantAudit['clauses']) => `  [${a.clauses[k][lang]}]`;
  const out: string[] = [];
  out.push(zh ? `消火栓审计 · ${r.place}（${a.standard.zh}）` : `Hydrant audit · ${r.place} (${a.standard.en})`);
  if (r.import) {
    const im = r.import;
    const fit = im.fits ? im.fits.map((x) => `${x.crs.toUpperCase()} ${x.medianM === null ? '—' : `${x.medianM} m`}`).join(zh ? '，' : ', ') : '';
    out.push(zh ? `导入「${im.file}」：坐标系 ${im.crs.toUpperCase()}${im.auto ? `（自动：按道路拟合，点到最近道路的中位距离 ${fit}）` : ''}；接受 ${im.accepted} 行，拒绝 ${im.rejected.length} 行`
      : `Import "${im.file}": CRS ${im.crs.toUpperCase()}${im.auto ? ` (auto: best road fit, median distance to the nearest road ${fit})` : ''}; ${im.accepted} rows accepted, ${im.rejected.length} rejected`);
    for (const x of im.rejected) out.push(zh ? `  第 ${x.row} 行：${x.zh}` : `  row ${x.row}: ${x.en}`);
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
    const { rows, rejected } = readImport(o.import, readText(o.import, { zh: '导入', en: 'import' }));
    const fits = crsOpt === 'auto' ? crsFits(net, rows, place.bbox) : undefined;
    const best = fits ? fits.reduce((b, x) => ((x.medianM ?? Infinity) < (b.medianM ?? Infinity) ? x : b)).crs : (crsOpt as keyof typeof CRS);
    const placed = placeRows(rows, CRS[best], place.bbox);
    hydrants.push(...placed.hydrants);
    imported = { file: o.import, crs: best, auto: crsOpt === 'auto', ...(fits ? { fits } : {}), accepted: placed.hydrants.length, rejected: [...rejected, ...placed.rejected].sort((a, b) => a.row - b.row) };
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
