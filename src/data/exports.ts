/**
 * Files handed on from the report (issue 14): the verdict table as CSV (UTF-8 with a BOM, so Excel reads Chinese)
 * and XLSX (exceljs), the layers as GeoJSON and as one GeoPackage (sql.js: an OGC GeoPackage 1.3 file with its
 * metadata tables and GP geometry blobs), and the download itself. The builders are pure and run on Node too.
 */
import type { Geometry, Position } from 'geojson';
import type { SqlJsStatic } from 'sql.js';
import type { ExportLayers, ExportProps } from '../core/report/layers';

export interface Table {
  columns: string[];
  rows: string[][];
}

/** A plain number or a m:ss time: the only cells starting with - or + that are left as they are. */
const PLAIN_FIGURE = /^-?\d+(\.\d+)?$|^-?\d+:\d\d$/;
/**
 * A CSV cell a spreadsheet could run as a formula (starting with =, +, -, @, tab or CR, unless the whole cell is a
 * plain number or m:ss — "-1+1+cmd|…" is a formula) gets a leading apostrophe.
 */
export const safeCsvCell = (v: string): string => (/^[=+\-@\t\r]/.test(v) && !PLAIN_FIGURE.test(v) ? `'${v}` : v);
const csvCell = (v: string): string => {
  const s = safeCsvCell(v);
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
};

/** RFC 4180 CSV with CRLF line ends and a UTF-8 BOM. */
export function tableCsv(t: Table): string {
  return '\uFEFF' + [t.columns, ...t.rows].map((r) => r.map(csvCell).join(',')).join('\r\n') + '\r\n';
}

/** One-sheet workbook with the table (header row bold and frozen), as bytes. */
export async function tableXlsx(t: Table, sheetName: string): Promise<Uint8Array> {
  const { default: ExcelJS } = await import('exceljs');
  const wb = new ExcelJS.Workbook();
  wb.created = new Date(0);
  const ws = wb.addWorksheet(sheetName.replace(/[[\]*?:/\\]/g, ' ').slice(0, 31) || 'Sheet1', { views: [{ state: 'frozen', ySplit: 1 }] });
  ws.addRow(t.columns).font = { bold: true };
  // Cells are written as typed strings (never formulas), so no apostrophe: it would show literally.
  for (const r of t.rows) ws.addRow(r);
  ws.columns.forEach((c, i) => { c.width = Math.min(40, Math.max(8, ...[t.columns[i], ...t.rows.map((r) => r[i] ?? '')].map((s) => [...s].length * 1.6))); });
  return new Uint8Array(await wb.xlsx.writeBuffer());
}

/** A layer as GeoJSON text. */
export const layerGeoJson = (fc: ExportLayers[keyof ExportLayers]): string => JSON.stringify(fc);

// ---------------------------------------------------------------------------------------------------- GeoPackage

const WKB_TYPE: Record<Exclude<Geometry['type'], 'GeometryCollection'>, number> = {
  Point: 1, LineString: 2, Polygon: 3, MultiPoint: 4, MultiLineString: 5, MultiPolygon: 6,
};

/** ISO WKB (little endian, 2D) of a geometry. */
export function wkb(g: Geometry): Uint8Array {
  const parts: number[] = [];
  const buf = new ArrayBuffer(8);
  const view = new DataView(buf);
  const u8 = (x: number) => parts.push(x & 0xff);
  const u32 = (x: number) => { view.setUint32(0, x, true); for (let i = 0; i < 4; i++) parts.push(new Uint8Array(buf)[i]); };
  const f64 = (x: number) => { view.setFloat64(0, x, true); for (let i = 0; i < 8; i++) parts.push(new Uint8Array(buf)[i]); };
  const pt = (p: Position) => { f64(p[0]); f64(p[1]); };
  const ring = (r: Position[]) => { u32(r.length); r.forEach(pt); };
  const write = (geom: Geometry): void => {
    u8(1);
    if (geom.type === 'GeometryCollection') {
      u32(7); u32(geom.geometries.length); geom.geometries.forEach(write); return;
    }
    u32(WKB_TYPE[geom.type]);
    switch (geom.type) {
      case 'Point': pt(geom.coordinates); break;
      case 'LineString': ring(geom.coordinates); break;
      case 'Polygon': u32(geom.coordinates.length); geom.coordinates.forEach(ring); break;
      case 'MultiPoint': u32(geom.coordinates.length); geom.coordinates.forEach((p) => write({ type: 'Point', coordinates: p })); break;
      case 'MultiLineString': u32(geom.coordinates.length); geom.coordinates.forEach((l) => write({ type: 'LineString', coordinates: l })); break;
      case 'MultiPolygon': u32(geom.coordinates.length); geom.coordinates.forEach((p) => write({ type: 'Polygon', coordinates: p })); break;
    }
  };
  write(g);
  return Uint8Array.from(parts);
}

type Bbox = [number, number, number, number];

function bboxOf(g: Geometry, b: Bbox = [Infinity, Infinity, -Infinity, -Infinity]): Bbox {
  const add = (p: Position) => { b[0] = Math.min(b[0], p[0]); b[1] = Math.min(b[1], p[1]); b[2] = Math.max(b[2], p[0]); b[3] = Math.max(b[3], p[1]); };
  const walk = (c: unknown): void => { if (typeof (c as number[])[0] === 'number') add(c as Position); else (c as unknown[]).forEach(walk); };
  if (g.type === 'GeometryCollection') g.geometries.forEach((x) => bboxOf(x, b));
  else walk(g.coordinates);
  return b;
}

/** A GeoPackage geometry blob: "GP", version 0, flags (little endian, xy envelope), srs id, envelope, WKB. */
export function gpkgGeometry(g: Geometry, srsId = 4326): Uint8Array {
  const body = wkb(g);
  const out = new Uint8Array(8 + 32 + body.length);
  const v = new DataView(out.buffer);
  out[0] = 0x47; out[1] = 0x50; out[2] = 0; out[3] = 0b0000_0011; // envelope [minx, maxx, miny, maxy], little endian
  v.setInt32(4, srsId, true);
  const [x0, y0, x1, y1] = bboxOf(g);
  [x0, x1, y0, y1].forEach((x, i) => v.setFloat64(8 + i * 8, x, true));
  out.set(body, 40);
  return out;
}

/** The layer's geometry type: its one type, a single type promoted to its multi type when both occur, else GEOMETRY. */
function layerType(types: Set<string>): { name: string; promote: boolean } {
  if (types.size === 1) return { name: [...types][0].toUpperCase(), promote: false };
  for (const [one, many] of [['Point', 'MultiPoint'], ['LineString', 'MultiLineString'], ['Polygon', 'MultiPolygon']])
    if (types.size === 2 && types.has(one) && types.has(many)) return { name: many.toUpperCase(), promote: true };
  return { name: 'GEOMETRY', promote: false };
}

const promoted = (g: Geometry): Geometry =>
  g.type === 'Point' ? { type: 'MultiPoint', coordinates: [g.coordinates] }
    : g.type === 'LineString' ? { type: 'MultiLineString', coordinates: [g.coordinates] }
      : g.type === 'Polygon' ? { type: 'MultiPolygon', coordinates: [g.coordinates] } : g;

const ident = (s: string) => `"${s.replace(/"/g, '""')}"`;

/**
 * One GeoPackage with a feature table per layer (WGS84, EPSG:4326), e.g. districts, stations, failing.
 * `lastChange` is the ISO time written to gpkg_contents. Empty layers are written with no rows.
 */
export function geoPackage(SQL: SqlJsStatic, layers: Partial<ExportLayers>, lastChange: string): Uint8Array {
  const db = new SQL.Database();
  try {
    db.run('PRAGMA application_id = 1196444487'); // 'GPKG'
    db.run('PRAGMA user_version = 10300'); // GeoPackage 1.3.0
    db.run(`CREATE TABLE gpkg_spatial_ref_sys (srs_name TEXT NOT NULL, srs_id INTEGER NOT NULL PRIMARY KEY, organization TEXT NOT NULL,
      organization_coordsys_id INTEGER NOT NULL, definition TEXT NOT NULL, description TEXT)`);
    db.run(`CREATE TABLE gpkg_contents (table_name TEXT NOT NULL PRIMARY KEY, data_type TEXT NOT NULL, identifier TEXT UNIQUE, description TEXT DEFAULT '',
      last_change DATETIME NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')), min_x DOUBLE, min_y DOUBLE, max_x DOUBLE, max_y DOUBLE, srs_id INTEGER,
      CONSTRAINT fk_gc_r_srs_id FOREIGN KEY (srs_id) REFERENCES gpkg_spatial_ref_sys(srs_id))`);
    db.run(`CREATE TABLE gpkg_geometry_columns (table_name TEXT NOT NULL, column_name TEXT NOT NULL, geometry_type_name TEXT NOT NULL, srs_id INTEGER NOT NULL,
      z TINYINT NOT NULL, m TINYINT NOT NULL, CONSTRAINT pk_geom_cols PRIMARY KEY (table_name, column_name), CONSTRAINT uk_gc_table_name UNIQUE (table_name),
      CONSTRAINT fk_gc_tn FOREIGN KEY (table_name) REFERENCES gpkg_contents(table_name), CONSTRAINT fk_gc_srs FOREIGN KEY (srs_id) REFERENCES gpkg_spatial_ref_sys (srs_id))`);
    const srs = db.prepare('INSERT INTO gpkg_spatial_ref_sys VALUES (?, ?, ?, ?, ?, ?)');
    srs.run(['WGS 84 geodetic', 4326, 'EPSG', 4326,
      'GEOGCS["WGS 84",DATUM["WGS_1984",SPHEROID["WGS 84",6378137,298.257223563,AUTHORITY["EPSG","7030"]],AUTHORITY["EPSG","6326"]],PRIMEM["Greenwich",0,AUTHORITY["EPSG","8901"]],UNIT["degree",0.0174532925199433,AUTHORITY["EPSG","9122"]],AXIS["Latitude",NORTH],AXIS["Longitude",EAST],AUTHORITY["EPSG","4326"]]',
      'longitude/latitude coordinates in decimal degrees on the WGS 84 spheroid']);
    srs.run(['Undefined cartesian SRS', -1, 'NONE', -1, 'undefined', 'undefined cartesian coordinate reference system']);
    srs.run(['Undefined geographic SRS', 0, 'NONE', 0, 'undefined', 'undefined geographic coordinate reference system']);
    srs.free();

    for (const [name, fc] of Object.entries(layers)) {
      if (!fc) continue;
      const features = fc.features.filter((f) => f.geometry);
      const cols = new Map<string, 'TEXT' | 'REAL' | 'INTEGER'>();
      for (const f of features) {
        for (const [k, v] of Object.entries(f.properties ?? {})) {
          if (v === null || k.toLowerCase() === 'fid' || k.toLowerCase() === 'geom') continue;
          const t = typeof v === 'number' ? 'REAL' : typeof v === 'boolean' ? 'INTEGER' : 'TEXT';
          const was = cols.get(k);
          cols.set(k, was && was !== t ? 'TEXT' : t);
        }
      }
      const { name: gtype, promote } = layerType(new Set(features.map((f) => f.geometry.type)));
      const colSql = [...cols].map(([k, t]) => `, ${ident(k)} ${t === 'INTEGER' ? 'BOOLEAN' : t}`).join('');
      db.run(`CREATE TABLE ${ident(name)} (fid INTEGER PRIMARY KEY AUTOINCREMENT NOT NULL, geom ${gtype}${colSql})`);
      const bb: Bbox = [Infinity, Infinity, -Infinity, -Infinity];
      const keys = [...cols.keys()];
      const ins = db.prepare(`INSERT INTO ${ident(name)} (geom${keys.map((k) => `, ${ident(k)}`).join('')}) VALUES (?${keys.map(() => ', ?').join('')})`);
      for (const f of features) {
        const g = promote ? promoted(f.geometry) : f.geometry;
        bboxOf(g, bb);
        const props: ExportProps = f.properties ?? {};
        ins.run([gpkgGeometry(g), ...keys.map((k) => {
          const v = props[k];
          return v === undefined || v === null ? null : typeof v === 'boolean' ? (v ? 1 : 0) : cols.get(k) === 'TEXT' ? String(v) : v;
        })]);
      }
      ins.free();
      const box = features.length ? bb : [null, null, null, null];
      db.run('INSERT INTO gpkg_contents (table_name, data_type, identifier, description, last_change, min_x, min_y, max_x, max_y, srs_id) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, 4326)',
        [name, 'features', name, '', lastChange, ...box]);
      db.run('INSERT INTO gpkg_geometry_columns VALUES (?, ?, ?, 4326, 0, 0)', [name, 'geom', gtype]);
    }
    return db.export();
  } finally {
    db.close();
  }
}

// ---------------------------------------------------------------------------------------------------- download

/** Saves bytes or text as a file through the browser's download (an object URL, revoked afterwards). */
export function download(fileName: string, data: Uint8Array | string, mime: string): void {
  const blob = new Blob([typeof data === 'string' ? data : (data.slice().buffer as ArrayBuffer)], { type: mime });
  const url = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = url;
  a.download = fileName;
  a.rel = 'noopener';
  document.body.appendChild(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

/** A data: URL (e.g. the map canvas as PNG) as bytes. */
export function dataUrlBytes(url: string): Uint8Array {
  const b64 = url.slice(url.indexOf(',') + 1);
  const bin = atob(b64);
  const out = new Uint8Array(bin.length);
  for (let i = 0; i < bin.length; i++) out[i] = bin.charCodeAt(i);
  return out;
}

export const MIME = {
  csv: 'text/csv;charset=utf-8',
  xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
  geojson: 'application/geo+json',
  gpkg: 'application/geopackage+sqlite3',
  png: 'image/png',
} as const;
