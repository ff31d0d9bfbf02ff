/**
 * Exports of the 南山 report read back by independent tools: the GeoPackage by GDAL's ogrinfo / ogr2ogr (Debian
 * gdal-bin: layers, feature counts, geometries equal), the CSV by papaparse, the XLSX by exceljs.
 */
import { describe, expect, it } from 'vitest';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import initSqlJs from 'sql.js';
import Papa from 'papaparse';
import ExcelJS from 'exceljs';
import type { FeatureCollection } from 'geojson';
import { nodeCheckIO } from '../../tests/support/nodeCheckIO';
import { reportInputFromPlace } from '../core/report/fromPlace';
import { buildReport } from '../core/report/build';
import { exportLayers } from '../core/report/layers';
import { geoPackage, gpkgGeometry, layerGeoJson, tableCsv, tableXlsx, wkb } from './exports';

const hasOgr = (() => { try { execFileSync('ogrinfo', ['--version']); return true; } catch { return false; } })();

describe('exports of the 南山 report', async () => {
  const input = await reportInputFromPlace({ place: 'nanshan', lang: 'zh', date: '2026-12-05' }, nodeCheckIO);
  const doc = buildReport(input);
  const layers = exportLayers(input.report, input.stations);
  const SQL = await initSqlJs();
  const dir = mkdtempSync(join(tmpdir(), 'w8-exports-'));

  it('WKB and the GP header by hand', () => {
    const p = wkb({ type: 'Point', coordinates: [1, 2] });
    expect([...p.slice(0, 5)]).toEqual([1, 1, 0, 0, 0]);
    expect(new DataView(p.buffer).getFloat64(5, true)).toBe(1);
    expect(new DataView(p.buffer).getFloat64(13, true)).toBe(2);
    const g = gpkgGeometry({ type: 'LineString', coordinates: [[1, 2], [3, -4]] });
    expect(String.fromCharCode(g[0], g[1])).toBe('GP');
    const v = new DataView(g.buffer);
    expect(v.getInt32(4, true)).toBe(4326);
    expect([8, 16, 24, 32].map((o) => v.getFloat64(o, true))).toEqual([1, 3, -4, 2]); // minx maxx miny maxy
  });

  it('the layers carry every station, district and failing stretch', () => {
    expect(layers.stations.features.length).toBe(4);
    expect(layers.districts.features.length).toBe(4);
    expect(layers.failing.features.length).toBe(input.report.stations.reduce((n, s) => n + s.failingEdges.features.length, 0));
    expect(JSON.parse(layerGeoJson(layers.stations))).toEqual(layers.stations);
  });

  it.skipIf(!hasOgr)('the GeoPackage reads back in GDAL: layers, counts, geometries', () => {
    const file = join(dir, 'nanshan.gpkg');
    writeFileSync(file, geoPackage(SQL, layers, '2026-12-05T00:00:00.000Z'));
    const info = execFileSync('ogrinfo', ['-ro', '-so', file], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
    expect(info).toContain('using driver `GPKG\'');
    expect(info).toMatch(/1: districts \(Multi Polygon\)|1: districts \(Polygon\)/);
    expect(info).toContain('2: stations (Point)');
    expect(info).toContain('3: failing (Line String)');
    for (const name of ['districts', 'stations', 'failing'] as const) {
      const out = execFileSync('ogr2ogr', ['-f', 'GeoJSON', '-lco', 'COORDINATE_PRECISION=15', '/vsistdout/', file, name], { encoding: 'utf8', maxBuffer: 64 << 20 });
      const back = JSON.parse(out) as FeatureCollection;
      const mine = layers[name];
      expect(back.features.length).toBe(mine.features.length);
      back.features.forEach((f, i) => {
        const g = mine.features[i].geometry;
        const want = f.geometry.type === 'MultiPolygon' && g.type === 'Polygon' ? { type: 'MultiPolygon', coordinates: [g.coordinates] } : g;
        expect(f.geometry).toEqual(want);
        for (const [k, v] of Object.entries(mine.features[i].properties)) expect(f.properties?.[k] ?? null, k).toEqual(v);
      });
    }
    const s1 = JSON.parse(execFileSync('ogr2ogr', ['-f', 'GeoJSON', '/vsistdout/', file, 'stations', '-where', "station_id = 'example-nanshan-1'"], { encoding: 'utf8' })) as FeatureCollection;
    expect(s1.features[0].properties?.name).toBe('示例站 1');
    // GDAL's own validity warnings (application id, bad blob header) would appear on stderr
    const warn = execFileSync('bash', ['-c', `ogrinfo -ro -al -q ${JSON.stringify(file)} 2>&1 >/dev/null`], { encoding: 'utf8' });
    expect(warn).toBe('');
  });

  it('the same file read through sql.js: pragmas and metadata', () => {
    const db = new SQL.Database(geoPackage(SQL, layers, '2026-12-05T00:00:00.000Z'));
    expect(db.exec('PRAGMA application_id')[0].values[0][0]).toBe(0x47504b47);
    expect(db.exec('PRAGMA user_version')[0].values[0][0]).toBe(10300);
    const types = Object.fromEntries(db.exec('SELECT table_name, geometry_type_name FROM gpkg_geometry_columns')[0].values);
    const polyTypes = new Set(layers.districts.features.map((f) => f.geometry.type));
    expect(types).toEqual({ districts: polyTypes.size === 1 ? [...polyTypes][0].toUpperCase() : 'MULTIPOLYGON', stations: 'POINT', failing: 'LINESTRING' });
    expect(db.exec('SELECT srs_id FROM gpkg_spatial_ref_sys ORDER BY srs_id')[0].values.flat()).toEqual([-1, 0, 4326]);
    expect(db.exec('SELECT count(*) FROM stations')[0].values[0][0]).toBe(4);
    db.close();
  });

  it('CSV: BOM, and read back equal to the verdict table', () => {
    const csv = tableCsv(doc.verdicts);
    expect(csv.charCodeAt(0)).toBe(0xfeff);
    const back = Papa.parse<string[]>(csv.slice(1), { skipEmptyLines: true }).data;
    expect(back).toEqual([doc.verdicts.columns, ...doc.verdicts.rows]);
    expect(tableCsv({ columns: ['a'], rows: [['=1+1'], ['x,"y"'], ['-0:05'], ['-x']] })).toBe('\uFEFFa\r\n\'=1+1\r\n"x,""y"""\r\n-0:05\r\n\'-x\r\n');
  });

  it('CSV formula guard: anything starting with = + - @ tab CR is escaped unless it is a plain number or m:ss', () => {
    const cells = (rows: string[]) => Papa.parse<string[]>(tableCsv({ columns: ['a'], rows: rows.map((r) => [r]) }).slice(1), { skipEmptyLines: true }).data.slice(1).map((r) => r[0]);
    const attack = ["-1+1+cmd|' /C calc'!A0", '-2-3', '+1', '+SUM(A1)', '@SUM(A1)', '\t=1', '\r=1', '=HYPERLINK("x")', '-1:2', '-0:05x'];
    expect(cells(attack)).toEqual(attack.map((v) => `'${v}`));
    const plain = ['-3', '-3.25', '12', '0.5', '-0:05', '-12:30', '4:01', '1e3', '南山区', 'x-1'];
    expect(cells(plain)).toEqual(plain);
  });

  it('XLSX: formula-like text stays a typed string, with no apostrophe shown', async () => {
    const odd = ["-1+1+cmd|' /C calc'!A0", '=1+1', '@x', '-0:05'];
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load((await tableXlsx({ columns: ['a'], rows: odd.map((v) => [v]) }, 't')).slice().buffer as ArrayBuffer);
    const got: unknown[] = [];
    wb.getWorksheet('t')!.eachRow((r, n) => { if (n > 1) got.push(r.getCell(1).type === ExcelJS.ValueType.String ? r.getCell(1).value : { notString: r.getCell(1).value }); });
    expect(got).toEqual(odd);
  });

  it('XLSX: read back by exceljs equal to the verdict table', async () => {
    const bytes = await tableXlsx(doc.verdicts, '检验结果');
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(bytes.slice().buffer as ArrayBuffer);
    const ws = wb.getWorksheet('检验结果')!;
    const rows: string[][] = [];
    ws.eachRow((r) => rows.push((r.values as unknown[]).slice(1).map((v) => String(v))));
    expect(rows).toEqual([doc.verdicts.columns, ...doc.verdicts.rows]);
    rmSync(dir, { recursive: true, force: true });
  });
});
