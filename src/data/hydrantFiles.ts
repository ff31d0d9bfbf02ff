/**
 * Reading a hydrant / water-intake file (issue #13): CSV (UTF-8 with or without BOM, UTF-16, GBK/GB18030 — detected),
 * XLSX (first or chosen sheet), GeoJSON, KML / KMZ, zipped Shapefile. Two steps: `previewHydrantFile` reads the
 * header and the first rows (the column-mapping step), `readHydrantFile` reads every row with the chosen mapping into
 * raw records and rejected rows (src/core/hydrants/import), reporting progress and stopping when asked.
 *
 * A CSV is streamed: 1 MiB slices of the Blob are decoded with a streaming TextDecoder and cut at the last line end
 * outside quotes; each piece goes to papaparse and each row becomes a compact record at once, so a 100 MB file never
 * sits in memory as one string. The other formats are read whole (their libraries need the whole file).
 * KML is read with fast-xml-parser rather than @tmcw/togeojson: the worker has no DOMParser, and a hydrant KML only
 * needs Placemark names, ExtendedData and Point coordinates. Runs in the worker and on Node (no DOM).
 */
import Papa from 'papaparse';
import ExcelJS from 'exceljs';
import { unzipSync, strFromU8, strToU8, zipSync } from 'fflate';
import { XMLParser } from 'fast-xml-parser';
import { parseZip } from 'shpjs';
import type { FeatureCollection, Geometry } from 'geojson';
import { plannerError } from '../core/errors';
import { guessMapping, isRejected, readRow, type ColumnMapping, type RawHydrant, type RejectedRow } from '../core/hydrants/import';

export type HydrantFileFormat = 'csv' | 'xlsx' | 'geojson' | 'kml' | 'kmz' | 'shp';
export type TextEncodingName = 'utf-8' | 'utf-16le' | 'gb18030';

export interface HydrantFilePreview {
  fileName: string;
  format: HydrantFileFormat;
  header: string[];
  /** The first rows after the header (cells as text), for the mapping step. */
  rows: string[][];
  /** File row number of rows[0] (the header is row 1 in a CSV; the first feature is 1 in feature files). */
  firstRow: number;
  /** Positions come from the features' geometry (GeoJSON, KML, SHP), not from columns. */
  geometry: boolean;
  mapping: ColumnMapping;
  encoding?: TextEncodingName;
  sheets?: string[];
  sheet?: string;
  /** What the file says about its coordinate system (a Shapefile's .prj), to show the user. */
  crsNote?: { zh: string; en: string };
}

export interface HydrantFileRead {
  raws: RawHydrant[];
  rejected: RejectedRow[];
  /** Data rows read (blank lines not counted). */
  rows: number;
}

export interface ReadProgress {
  done: number;
  total: number;
  rows: number;
}

export interface ReadOptions {
  sheet?: string;
  /** Called after each slice; resolving true stops the read (error code 'cancelled'). */
  onProgress?: (p: ReadProgress) => boolean | void | Promise<boolean | void>;
}

/** Slice of a CSV decoded and parsed at a time. */
export const CSV_CHUNK = 1 << 20;
const PREVIEW_ROWS = 10;

const fail = (code: string, fileName: string, zh: string, en: string, detail?: string) =>
  plannerError(code, `文件「${fileName}」${zh}`, `the file "${fileName}" ${en}`, { file: fileName, ...(detail ? { detail } : {}) });

export function formatOf(fileName: string): HydrantFileFormat | null {
  const ext = fileName.toLowerCase().match(/\.([a-z0-9]+)$/)?.[1] ?? '';
  if (ext === 'csv' || ext === 'txt' || ext === 'tsv') return 'csv';
  if (ext === 'xlsx') return 'xlsx';
  if (ext === 'geojson' || ext === 'json') return 'geojson';
  if (ext === 'kml' || ext === 'kmz') return ext;
  if (ext === 'zip') return 'shp';
  return null;
}

function formatOrFail(fileName: string): HydrantFileFormat {
  const f = formatOf(fileName);
  if (!f) throw fail('unsupported-file', fileName, '的格式不受支持（可用：CSV、XLSX、GeoJSON、KML、KMZ、压缩的 Shapefile .zip）。现有数据未改变', 'is not a supported format (CSV, XLSX, GeoJSON, KML, KMZ, zipped Shapefile .zip). Existing data is unchanged');
  return f;
}

/**
 * The text encoding of a file's first bytes: a BOM decides; else valid UTF-8 is UTF-8 and anything else is read as
 * GB18030 (a superset of GBK, what Chinese Excel saves as "CSV").
 */
export function detectEncoding(head: Uint8Array): TextEncodingName {
  if (head[0] === 0xef && head[1] === 0xbb && head[2] === 0xbf) return 'utf-8';
  if (head[0] === 0xff && head[1] === 0xfe) return 'utf-16le';
  try {
    new TextDecoder('utf-8', { fatal: true }).decode(head, { stream: true });
    return 'utf-8';
  } catch {
    return 'gb18030';
  }
}

/** Index of the last "\n" outside double quotes in `text`, or -1. */
function lastRecordEnd(text: string): number {
  let inQuote = false, last = -1;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 34) inQuote = !inQuote;
    else if (c === 10 && !inQuote) last = i;
  }
  return last;
}

const isBlank = (cells: string[]) => cells.every((c) => c.trim() === '');

interface Row { row: number; cells: string[]; point?: [number, number] | null }

/**
 * CSV rows in file order with their numbers (record count from the header = 1; a quoted multi-line cell is one
 * record). Blank lines are counted but not yielded.
 */
async function* csvRows(blob: Blob, fileName: string, opts: ReadOptions, info: { encoding?: TextEncodingName }): AsyncGenerator<Row> {
  const head = new Uint8Array(await blob.slice(0, 65536).arrayBuffer());
  const encoding = detectEncoding(head);
  info.encoding = encoding;
  const decoder = new TextDecoder(encoding);
  let carry = '', row = 0, delimiter = '', rows = 0;
  for (let off = 0; off < blob.size || carry; off += CSV_CHUNK) {
    const last = off + CSV_CHUNK >= blob.size;
    const bytes = off < blob.size ? new Uint8Array(await blob.slice(off, off + CSV_CHUNK).arrayBuffer()) : new Uint8Array();
    const text = carry + decoder.decode(bytes, { stream: !last });
    const cut = last ? text.length : lastRecordEnd(text);
    if (cut < 0) { carry = text; continue; }
    let part = text.slice(0, cut);
    carry = last ? '' : text.slice(cut + 1);
    if (part.endsWith('\r')) part = part.slice(0, -1);
    if (!delimiter) delimiter = Papa.parse<string[]>(part.slice(0, 65536), { preview: 5 }).meta.delimiter || ',';
    const res = Papa.parse<string[]>(part, { delimiter, newline: part.includes('\r\n') ? '\r\n' : '\n' });
    for (const cells of res.data) {
      row++;
      if (isBlank(cells)) continue;
      rows++;
      yield { row, cells };
    }
    if (opts.onProgress && (await opts.onProgress({ done: Math.min(off + CSV_CHUNK, blob.size), total: blob.size, rows }))) throw cancelled(fileName);
    if (last) break;
  }
}

const cancelled = (fileName: string) => plannerError('cancelled', `已取消读取「${fileName}」，现有数据未改变`, `reading "${fileName}" was cancelled; existing data is unchanged`, { file: fileName });

/** An XLSX sheet's rows with their sheet row numbers (exceljs cell text: formulas give their result). */
async function xlsxRows(buf: ArrayBuffer, fileName: string, sheet: string | undefined, info: { sheets?: string[]; sheet?: string }): Promise<Row[]> {
  const wb = new ExcelJS.Workbook();
  try {
    await wb.xlsx.load(buf);
  } catch (e) {
    throw fail('bad-xlsx', fileName, '不是可读取的 XLSX 工作簿（旧版 .xls 请另存为 .xlsx 或 CSV）。现有数据未改变', 'is not a readable XLSX workbook (save an old .xls as .xlsx or CSV). Existing data is unchanged', String(e));
  }
  info.sheets = wb.worksheets.map((w) => w.name);
  const ws = sheet ? wb.getWorksheet(sheet) : wb.worksheets[0];
  if (!ws) throw fail('no-sheet', fileName, `中没有工作表「${sheet ?? ''}」`, `has no sheet "${sheet ?? ''}"`);
  info.sheet = ws.name;
  const out: Row[] = [];
  const width = ws.columnCount;
  ws.eachRow({ includeEmpty: false }, (r, n) => {
    const cells = Array.from({ length: width }, (_, i) => r.getCell(i + 1).text ?? '');
    if (!isBlank(cells)) out.push({ row: n, cells });
  });
  return out;
}

/** Text of a property value (objects as JSON). */
const text = (v: unknown): string => (v === null || v === undefined ? '' : typeof v === 'object' ? JSON.stringify(v) : String(v));

function pointOf(g: Geometry | null | undefined): [number, number] | null {
  if (!g) return null;
  if (g.type === 'Point' && g.coordinates.length >= 2) return [g.coordinates[0], g.coordinates[1]];
  if (g.type === 'MultiPoint' && g.coordinates.length === 1) return [g.coordinates[0][0], g.coordinates[0][1]];
  return null;
}

/** Feature rows: the header is the union of property names (first seen order); the row number is the feature's (1-based). */
function featureTable(fc: FeatureCollection): { header: string[]; rows: Row[] } {
  const header: string[] = [];
  const seen = new Set<string>();
  for (const f of fc.features) for (const k of Object.keys(f.properties ?? {})) if (!seen.has(k)) { seen.add(k); header.push(k); }
  const rows = fc.features.map((f, i) => ({ row: i + 1, cells: header.map((k) => text(f.properties?.[k])), point: pointOf(f.geometry) }));
  return { header, rows };
}

const WGS84_NAMES = /^(urn:ogc:def:crs:ogc:(1\.3:)?crs84|urn:ogc:def:crs:epsg::?4326|epsg:4326|crs84)$/i;

function geojsonTable(bytes: Uint8Array, fileName: string): FeatureCollection {
  let obj: { type?: string; crs?: { properties?: { name?: string } }; features?: unknown };
  try {
    obj = JSON.parse(new TextDecoder('utf-8').decode(bytes)) as typeof obj;
  } catch (e) {
    throw fail('bad-json', fileName, '不是有效的 JSON。现有数据未改变', 'is not valid JSON. Existing data is unchanged', String(e));
  }
  const crsName = obj?.crs?.properties?.name;
  if (crsName && !WGS84_NAMES.test(crsName))
    throw fail('projected-crs', fileName, `声明的坐标系为 ${crsName}，不是经纬度；请导出为 WGS84 / GCJ-02 / BD-09 经纬度`, `declares the coordinate system ${crsName}, not lon/lat degrees; export it as WGS84 / GCJ-02 / BD-09 lon/lat`);
  if (obj?.type === 'Feature') return { type: 'FeatureCollection', features: [obj as never] };
  if (obj?.type !== 'FeatureCollection' || !Array.isArray(obj.features))
    throw fail('not-geojson', fileName, '不是 GeoJSON 要素集合', 'is not a GeoJSON FeatureCollection');
  return obj as FeatureCollection;
}

type XmlNode = Record<string, unknown>;
const asArray = <T>(v: T | T[] | undefined): T[] => (v === undefined ? [] : Array.isArray(v) ? v : [v]);
const xmlText = (v: unknown): string => (v && typeof v === 'object' ? text((v as XmlNode)['#text']) : text(v)).trim();

/** Every Placemark under a KML node, in document order. */
function placemarks(node: unknown, out: XmlNode[] = []): XmlNode[] {
  if (Array.isArray(node)) { for (const n of node) placemarks(n, out); return out; }
  if (!node || typeof node !== 'object') return out;
  for (const [k, v] of Object.entries(node as XmlNode)) {
    if (k === 'Placemark') out.push(...asArray(v as XmlNode | XmlNode[]));
    else if (!k.startsWith('@_') && k !== '#text') placemarks(v, out);
  }
  return out;
}

/** KML → features: name, description, ExtendedData (Data / SimpleData) as properties, a Point (or the first Point of a MultiGeometry). */
export function kmlToFeatures(xml: string, fileName: string): FeatureCollection {
  let doc: unknown;
  try {
    doc = new XMLParser({ ignoreAttributes: false, removeNSPrefix: true, parseTagValue: false }).parse(xml, true);
  } catch (e) {
    throw fail('bad-kml', fileName, '不是有效的 KML（XML 有误）。现有数据未改变', 'is not valid KML (broken XML). Existing data is unchanged', String(e));
  }
  const features = placemarks(doc).map((pm) => {
    const props: Record<string, string> = {};
    if (pm.name !== undefined) props.name = xmlText(pm.name);
    if (pm.description !== undefined) props.description = xmlText(pm.description);
    const ext = pm.ExtendedData as XmlNode | undefined;
    for (const d of asArray(ext?.Data as XmlNode | XmlNode[])) props[text(d['@_name'])] = xmlText(d.value);
    for (const sd of asArray(ext?.SchemaData as XmlNode | XmlNode[])) for (const s of asArray(sd.SimpleData as XmlNode | XmlNode[])) props[text(s['@_name'])] = xmlText(s);
    const pt = (pm.Point ?? asArray((pm.MultiGeometry as XmlNode | undefined)?.Point as XmlNode | XmlNode[])[0]) as XmlNode | undefined;
    const c = pt ? xmlText(pt.coordinates).split(/[\s,]+/).map(Number) : [];
    const geometry = c.length >= 2 && c.every(Number.isFinite) ? { type: 'Point' as const, coordinates: [c[0], c[1]] } : null;
    return { type: 'Feature' as const, properties: props, geometry: geometry as Geometry };
  });
  if (!features.length) throw fail('no-placemarks', fileName, '中没有地标（Placemark）', 'has no placemarks');
  return { type: 'FeatureCollection', features };
}

function kmzToKml(bytes: Uint8Array, fileName: string): string {
  let files: Record<string, Uint8Array>;
  try {
    files = unzipSync(bytes);
  } catch (e) {
    throw fail('bad-zip', fileName, '不是有效的压缩文件。现有数据未改变', 'is not a valid zip archive. Existing data is unchanged', String(e));
  }
  const names = Object.keys(files).filter((n) => n.toLowerCase().endsWith('.kml')).sort((a, b) => (a === 'doc.kml' ? -1 : b === 'doc.kml' ? 1 : a.localeCompare(b)));
  if (!names.length) throw fail('no-kml', fileName, '中没有 .kml 文件', 'contains no .kml file');
  return strFromU8(files[names[0]]);
}

/** What a zipped Shapefile's .prj says: geographic (lon/lat) or projected (converted by shpjs with proj4), or absent. */
export function prjNote(files: Record<string, Uint8Array>): { zh: string; en: string } {
  const prj = Object.keys(files).find((n) => n.toLowerCase().endsWith('.prj') && !n.includes('__MACOSX'));
  if (!prj) return { zh: '没有 .prj 文件：坐标按经纬度读取', en: 'no .prj file: coordinates are read as lon/lat degrees' };
  const wkt = strFromU8(files[prj]);
  const name = wkt.match(/^\s*(PROJCS|GEOGCS|PROJCRS|GEOGCRS)\s*\[\s*"([^"]*)"/i);
  if (name && /^PROJ/i.test(name[1]))
    return { zh: `.prj 表明这是投影坐标（${name[2]}，单位米），已按 .prj 换算为经纬度`, en: `the .prj says these are projected coordinates (${name[2]}, metres); converted to lon/lat with the .prj` };
  return { zh: `.prj 表明这是经纬度坐标（${name?.[2] ?? '未知'}）`, en: `the .prj says these are lon/lat coordinates (${name?.[2] ?? 'unknown'})` };
}

/**
 * The archive's files plus a `.cpg` of "GB18030" for each `.dbf` that has none and whose records are not valid UTF-8
 * (or whose language driver byte says GB2312, 0x4D); null when nothing needs adding.
 */
export function withDbfCodePages(files: Record<string, Uint8Array>): Record<string, Uint8Array> | null {
  const names = Object.keys(files);
  const out = { ...files };
  let changed = false;
  for (const n of names.filter((x) => x.toLowerCase().endsWith('.dbf') && !x.includes('__MACOSX'))) {
    const stem = n.slice(0, -4);
    if (names.some((x) => x.toLowerCase() === `${stem.toLowerCase()}.cpg`)) continue;
    const dbf = files[n];
    if (dbf.length < 32) continue;
    const headLen = dbf[8] | (dbf[9] << 8);
    const gbk = dbf[29] === 0x4d || detectEncoding(dbf.subarray(Math.min(headLen, dbf.length))) === 'gb18030';
    if (!gbk) continue;
    out[`${stem}.cpg`] = strToU8('GB18030');
    changed = true;
  }
  return changed ? out : null;
}

async function shpTable(bytes: Uint8Array, fileName: string): Promise<{ fc: FeatureCollection; note: { zh: string; en: string } }> {
  let files: Record<string, Uint8Array>;
  try {
    files = unzipSync(bytes);
  } catch (e) {
    throw fail('bad-zip', fileName, '不是有效的压缩文件。现有数据未改变', 'is not a valid zip archive. Existing data is unchanged', String(e));
  }
  if (!Object.keys(files).some((n) => n.toLowerCase().endsWith('.shp')))
    throw fail('no-shapefile', fileName, '中没有 .shp 文件（Shapefile 需打包 .shp、.shx、.dbf，可含 .prj）', 'contains no .shp file (zip the .shp, .shx, .dbf and the .prj)');
  // A .dbf without a .cpg is read as UTF-8 by shpjs; Chinese GIS software often writes GBK: add a .cpg naming GB18030.
  const added = withDbfCodePages(files);
  const zip = added ? zipSync(added) : bytes;
  let parsed: FeatureCollection | FeatureCollection[];
  try {
    parsed = (await parseZip(zip.buffer.slice(zip.byteOffset, zip.byteOffset + zip.byteLength) as ArrayBuffer)) as FeatureCollection | FeatureCollection[];
  } catch (e) {
    throw fail('bad-shapefile', fileName, '中的 Shapefile 无法读取。现有数据未改变', 'holds a Shapefile that cannot be read. Existing data is unchanged', String(e));
  }
  return { fc: Array.isArray(parsed) ? mergeLayers(parsed) : parsed, note: prjNote(files) };
}

/** The column naming a feature's layer and its number in it, when a zip holds several Shapefile layers. */
export const LAYER_COLUMN = '图层 layer';

/**
 * Several layers (.shp files) in one zip: every layer is read, in the archive's order; each feature gets a first
 * column "layer-name #n" (n = its number in that layer) and rows are numbered on across the layers.
 */
function mergeLayers(layers: readonly FeatureCollection[]): FeatureCollection {
  if (layers.length === 1) return layers[0];
  const features = layers.flatMap((fc, i) => {
    const name = (fc as FeatureCollection & { fileName?: string }).fileName ?? `layer ${i + 1}`;
    return fc.features.map((f, k) => ({ ...f, properties: { [LAYER_COLUMN]: `${name} #${k + 1}`, ...(f.properties ?? {}) } }));
  });
  return { type: 'FeatureCollection', features };
}

interface Opened {
  format: HydrantFileFormat;
  header: string[];
  rows: AsyncIterable<Row> | Row[];
  geometry: boolean;
  info: { encoding?: TextEncodingName; sheets?: string[]; sheet?: string; crsNote?: { zh: string; en: string } };
}

/** Opens a file: a CSV yields its rows as they are read (the header first), the other formats all at once. */
async function open(blob: Blob, fileName: string, opts: ReadOptions, csvHeaderOnly = false): Promise<Opened> {
  const format = formatOrFail(fileName);
  const info: Opened['info'] = {};
  if (format === 'csv') {
    const src = blob.size > 0 && csvHeaderOnly ? blob.slice(0, 262144) : blob;
    const it = csvRows(src, fileName, opts, info)[Symbol.asyncIterator]();
    const first = await it.next();
    if (first.done) throw fail('empty-file', fileName, '是空的', 'is empty');
    if (first.value.row !== 1) throw fail('empty-file', fileName, '的第一行是空的（应为表头）', 'has an empty first line (it should be the header)');
    const header = first.value.cells.map((c) => c.trim());
    return { format, header, rows: { [Symbol.asyncIterator]: () => it }, geometry: false, info };
  }
  const bytes = new Uint8Array(await blob.arrayBuffer());
  if (format === 'xlsx') {
    const rows = await xlsxRows(bytes.buffer as ArrayBuffer, fileName, opts.sheet, info);
    if (!rows.length) throw fail('empty-file', fileName, '的工作表是空的', 'has an empty sheet');
    return { format, header: rows[0].cells.map((c) => c.trim()), rows: rows.slice(1), geometry: false, info };
  }
  let fc: FeatureCollection;
  if (format === 'geojson') fc = geojsonTable(bytes, fileName);
  else if (format === 'kml') fc = kmlToFeatures(new TextDecoder(detectEncoding(bytes)).decode(bytes), fileName);
  else if (format === 'kmz') fc = kmlToFeatures(kmzToKml(bytes, fileName), fileName);
  else {
    const s = await shpTable(bytes, fileName);
    fc = s.fc;
    info.crsNote = s.note;
  }
  const t = featureTable(fc);
  return { format, header: t.header, rows: t.rows, geometry: true, info };
}

/** The header, the first rows and the guessed mapping (a CSV reads only its first 256 KiB here). */
export async function previewHydrantFile(blob: Blob, fileName: string, opts: Pick<ReadOptions, 'sheet'> = {}): Promise<HydrantFilePreview> {
  const o = await open(blob, fileName, opts, true);
  const rows: Row[] = [];
  for await (const r of o.rows) {
    rows.push(r);
    if (rows.length >= PREVIEW_ROWS) break;
  }
  const p: HydrantFilePreview = {
    fileName, format: o.format, header: o.header, rows: rows.map((r) => r.cells), firstRow: rows[0]?.row ?? 2, geometry: o.geometry,
    mapping: guessMapping(o.header, o.geometry), ...o.info,
  };
  return p;
}

/**
 * Every row of the file read with `mapping` into raw records (coordinates as read) and rejected rows. Throws
 * 'no-coordinate-columns' when a table's mapping has no lon/lat column, and 'no-valid-rows' (listing the first reasons)
 * when not a single row is usable, so a wrong file never replaces an inventory.
 */
export async function readHydrantFile(blob: Blob, fileName: string, mapping: ColumnMapping, opts: ReadOptions = {}): Promise<HydrantFileRead> {
  const o = await open(blob, fileName, opts);
  if (!o.geometry && (mapping.lon === null || mapping.lat === null))
    throw fail('no-coordinate-columns', fileName, '：请指定经度（X）和纬度（Y）所在的列', ': choose the columns holding the longitude (x) and latitude (y)');
  const raws: RawHydrant[] = [], rejected: RejectedRow[] = [];
  let rows = 0;
  for await (const r of o.rows) {
    rows++;
    const rec = readRow(r.cells, r.row, mapping, o.geometry ? r.point ?? null : undefined);
    if (isRejected(rec)) rejected.push(rec);
    else raws.push(rec);
  }
  if (!o.geometry && opts.onProgress) await opts.onProgress({ done: blob.size, total: blob.size, rows });
  if (!raws.length) {
    const first = rejected.slice(0, 3).map((r) => ({ zh: `第 ${r.row} 行 ${r.zh}`, en: `row ${r.row}: ${r.en}` }));
    throw fail('no-valid-rows', fileName, `中没有一行可用的坐标${first.length ? `（${first.map((f) => f.zh).join('；')}）` : ''}。现有数据未改变`,
      `has no row with a usable coordinate${first.length ? ` (${first.map((f) => f.en).join('; ')})` : ''}. Existing data is unchanged`);
  }
  return { raws, rejected, rows };
}
