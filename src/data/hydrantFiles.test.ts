import { describe, expect, it } from 'vitest';
import ExcelJS from 'exceljs';
import { unzipSync, zipSync, strToU8 } from 'fflate';
import proj4 from 'proj4';
import { detectEncoding, LAYER_COLUMN, previewHydrantFile, readHydrantFile, type HydrantFileRead } from './hydrantFiles';
import type { PlannerErrorInfo } from '../core/errors';

const blob = (b: Uint8Array | string) => new Blob([typeof b === 'string' ? b : (b as BlobPart)]);

/**
 * A GBK encoder for the tests, built from the platform's GB18030 decoder: every two-byte GBK code (lead 0x81–0xFE,
 * trail 0x40–0xFE) is decoded once and the table reversed. ASCII passes through.
 */
function gbkEncode(s: string): Uint8Array {
  const dec = new TextDecoder('gb18030');
  const table = new Map<string, [number, number]>();
  for (let a = 0x81; a <= 0xfe; a++) for (let b = 0x40; b <= 0xfe; b++) if (b !== 0x7f) { const c = dec.decode(new Uint8Array([a, b])); if (c.length === 1 && !table.has(c)) table.set(c, [a, b]); }
  const out: number[] = [];
  for (const ch of s) {
    if (ch.charCodeAt(0) < 0x80) out.push(ch.charCodeAt(0));
    else { const p = table.get(ch); if (!p) throw new Error(`no GBK code for ${ch}`); out.push(...p); }
  }
  return Uint8Array.from(out);
}

async function read(b: Blob, name: string, sheet?: string): Promise<HydrantFileRead & { header: string[] }> {
  const p = await previewHydrantFile(b, name, { sheet });
  return { ...(await readHydrantFile(b, name, p.mapping, { sheet })), header: p.header };
}

const CSV = [
  '编号,名称,类型,经度,纬度,状态,口径',
  'H1,南山大道口,地上式,113.93,22.53,正常,DN100',
  'H2,"名称, 带逗号",地下式,,22.53,,',
  '',
  'H3,"两行',
  '名称",取水口,113.95,22.51,损坏,',
  'H4,坏坐标,消火栓,abc,22.5,,',
].join('\r\n');

describe('CSV', () => {
  it('UTF-8 with BOM: header, rows and rejected rows with their file row numbers (blank lines and multi-line cells counted as in the file)', async () => {
    const r = await read(blob(new Uint8Array([0xef, 0xbb, 0xbf, ...new TextEncoder().encode(CSV)])), 'h.csv');
    expect(r.header[0]).toBe('编号');
    expect(r.rows).toBe(4);
    expect(r.raws.map((x) => [x.row, x.id, x.name])).toEqual([[2, 'H1', '南山大道口'], [5, 'H3', '两行\r\n名称']]);
    expect(r.raws[1]).toMatchObject({ kind: 'water-intake', inService: false, x: 113.95, y: 22.51 });
    expect(r.rejected.map((x) => [x.row, x.code])).toEqual([[3, 'missing-coordinate'], [6, 'bad-coordinate']]);
  });

  it('GBK (a Chinese Excel export) is detected and decoded', async () => {
    const bytes = gbkEncode(CSV);
    expect(detectEncoding(bytes)).toBe('gb18030');
    const p = await previewHydrantFile(blob(bytes), 'gbk.csv');
    expect(p.encoding).toBe('gb18030');
    expect(p.header).toEqual(['编号', '名称', '类型', '经度', '纬度', '状态', '口径']);
    expect(p.mapping).toMatchObject({ lon: 3, lat: 4, name: 1 });
    const r = await readHydrantFile(blob(bytes), 'gbk.csv', p.mapping);
    expect(r.raws[0].name).toBe('南山大道口');
  });

  it('semicolon CSV without BOM, rows split across 1 MiB slices keep their numbers', async () => {
    const lines = ['lon;lat;name'];
    for (let i = 0; i < 40000; i++) lines.push(`113.9${i % 10};22.5${i % 7};"hydrant ${i}; long name padding padding padding"`);
    const r = await read(blob(lines.join('\n')), 'big.csv');
    expect(r.raws.length).toBe(40000);
    expect(r.raws[39999]).toMatchObject({ row: 40001, name: 'hydrant 39999; long name padding padding padding' });
    expect(r.raws.every((x, i) => x.row === i + 2)).toBe(true);
  });

  it('cancel stops the read with code cancelled', async () => {
    const lines = ['lon,lat'];
    for (let i = 0; i < 100000; i++) lines.push('113.93,22.53,xxxxxxxxxxxxxxxxxxxxxxxxxx');
    const b = blob(lines.join('\n'));
    const p = await previewHydrantFile(b, 'c.csv');
    const seen: number[] = [];
    await expect(readHydrantFile(b, 'c.csv', p.mapping, { onProgress: (x) => { seen.push(x.done); return true; } })).rejects.toMatchObject({ code: 'cancelled' });
    expect(seen).toEqual([1 << 20]);
  });

  it('a file with no usable row fails with its first reasons (so nothing is replaced)', async () => {
    const b = blob('经度,纬度\nfoo,bar\n,\n1,\n');
    const p = await previewHydrantFile(b, 'bad.csv');
    const e = (await readHydrantFile(b, 'bad.csv', p.mapping).catch((x: unknown) => x)) as PlannerErrorInfo;
    expect(e.code).toBe('no-valid-rows');
    expect(e.zh).toContain('第 2 行');
    expect(e.en).toContain('row 4');
  });

  it('an unknown extension is refused', async () => {
    await expect(previewHydrantFile(blob('x'), 'a.docx')).rejects.toMatchObject({ code: 'unsupported-file' });
  });
});

describe('XLSX (written with exceljs in the test)', () => {
  it('reads the first sheet or a chosen one, with sheet row numbers', async () => {
    const wb = new ExcelJS.Workbook();
    const a = wb.addWorksheet('说明');
    a.addRow(['本表为测试数据']);
    const s = wb.addWorksheet('消火栓');
    s.addRow(['名称', 'X', 'Y', '管径', '安装时间']);
    s.addRow(['一号', 113.93, 22.53, 150, new Date(Date.UTC(2012, 4, 1))]);
    s.addRow([]);
    s.addRow(['二号', 'x', 22.53, 100, 2019]);
    s.addRow(['三号', { formula: '113.9+0.05', result: 113.95 }, 22.51, 'DN65', '2020年']);
    const buf = (await wb.xlsx.writeBuffer()) as ArrayBuffer;
    const file = blob(new Uint8Array(buf));
    const first = await previewHydrantFile(file, 't.xlsx');
    expect(first.sheets).toEqual(['说明', '消火栓']);
    expect(first.sheet).toBe('说明');
    const r = await read(file, 't.xlsx', '消火栓');
    expect(r.header).toEqual(['名称', 'X', 'Y', '管径', '安装时间']);
    expect(r.raws.map((x) => [x.row, x.name, x.x, x.diameterMm, x.year])).toEqual([[2, '一号', 113.93, 150, 2012], [5, '三号', 113.95, 65, 2020]]);
    expect(r.rejected.map((x) => [x.row, x.code])).toEqual([[4, 'bad-coordinate']]);
  });
  it('a broken workbook is refused', async () => {
    await expect(previewHydrantFile(blob('not a zip'), 'b.xlsx')).rejects.toMatchObject({ code: 'bad-xlsx' });
  });
});

describe('GeoJSON', () => {
  it('reads point features; a line is rejected by feature number', async () => {
    const fc = { type: 'FeatureCollection', features: [
      { type: 'Feature', properties: { name: 'A', 类型: '地下式', 状态: '停用' }, geometry: { type: 'Point', coordinates: [113.93, 22.53] } },
      { type: 'Feature', properties: { name: 'B' }, geometry: { type: 'LineString', coordinates: [[113.93, 22.53], [113.94, 22.54]] } },
    ] };
    const r = await read(blob(JSON.stringify(fc)), 'h.geojson');
    expect(r.raws).toMatchObject([{ row: 1, name: 'A', subtype: '地下式', inService: false, x: 113.93, y: 22.53 }]);
    expect(r.rejected.map((x) => [x.row, x.code])).toEqual([[2, 'no-point-geometry']]);
  });
  it('a projected crs member is refused with its name', async () => {
    const fc = { type: 'FeatureCollection', crs: { type: 'name', properties: { name: 'urn:ogc:def:crs:EPSG::3857' } }, features: [] };
    await expect(previewHydrantFile(blob(JSON.stringify(fc)), 'p.geojson')).rejects.toMatchObject({ code: 'projected-crs' });
  });
});

const KML = `<?xml version="1.0" encoding="UTF-8"?>
<kml xmlns="http://www.opengis.net/kml/2.2"><Document><Folder><name>消火栓</name>
<Placemark><name>一号栓</name><ExtendedData><Data name="类型"><value>地上式</value></Data><Data name="口径"><value>DN150</value></Data></ExtendedData>
<Point><coordinates>113.93,22.53,0</coordinates></Point></Placemark>
<Placemark><name>取水点 &amp; 码头</name><ExtendedData><SchemaData schemaUrl="#s"><SimpleData name="类型">取水点</SimpleData></SchemaData></ExtendedData>
<MultiGeometry><Point><coordinates>113.95,22.51</coordinates></Point></MultiGeometry></Placemark>
<Placemark><name>一条线</name><LineString><coordinates>113.9,22.5 113.91,22.51</coordinates></LineString></Placemark>
</Folder></Document></kml>`;

describe('KML / KMZ', () => {
  it('reads placemarks with ExtendedData and points', async () => {
    const r = await read(blob(KML), 'h.kml');
    expect(r.header).toEqual(['name', '类型', '口径']);
    expect(r.raws.map((x) => [x.row, x.name, x.kind, x.diameterMm ?? null, x.x, x.y])).toEqual([[1, '一号栓', 'hydrant', 150, 113.93, 22.53], [2, '取水点 & 码头', 'water-intake', null, 113.95, 22.51]]);
    expect(r.rejected.map((x) => [x.row, x.code])).toEqual([[3, 'no-point-geometry']]);
  });
  it('reads the doc.kml of a KMZ', async () => {
    const kmz = zipSync({ 'files/readme.txt': strToU8('x'), 'doc.kml': strToU8(KML) });
    const r = await read(blob(kmz), 'h.kmz');
    expect(r.raws.length).toBe(2);
  });
  it('broken XML is refused', async () => {
    await expect(previewHydrantFile(blob('<kml><Placemark>'), 'x.kml')).rejects.toMatchObject({ code: 'bad-kml' });
  });
});

/**
 * A point Shapefile written by hand (ESRI Shapefile Technical Description, 1998): .shp/.shx with the 100-byte header
 * (file code 9994 and lengths big-endian in 16-bit words, version 1000 and shape type 1 little-endian), one
 * 20-byte Point record per row; .dbf (dBASE III: 32-byte header, 32-byte field descriptors, 0x0D, space-padded
 * records) with character fields; .cpg naming UTF-8.
 */
function pointShapefile(points: [number, number][], fields: string[], rows: string[][], prj?: string, gbk = false): Uint8Array {
  const n = points.length;
  const header = (lengthBytes: number) => {
    const b = new DataView(new ArrayBuffer(100));
    b.setInt32(0, 9994);
    b.setInt32(24, lengthBytes / 2);
    b.setInt32(28, 1000, true);
    b.setInt32(32, 1, true);
    const xs = points.map((p) => p[0]), ys = points.map((p) => p[1]);
    [Math.min(...xs), Math.min(...ys), Math.max(...xs), Math.max(...ys)].forEach((v, i) => b.setFloat64(36 + 8 * i, v, true));
    return new Uint8Array(b.buffer);
  };
  const shp = new Uint8Array(100 + 28 * n), shx = new Uint8Array(100 + 8 * n);
  shp.set(header(shp.length));
  shx.set(header(shx.length));
  const sv = new DataView(shp.buffer), xv = new DataView(shx.buffer);
  points.forEach(([x, y], i) => {
    const o = 100 + 28 * i;
    sv.setInt32(o, i + 1);
    sv.setInt32(o + 4, 10);
    sv.setInt32(o + 8, 1, true);
    sv.setFloat64(o + 12, x, true);
    sv.setFloat64(o + 20, y, true);
    xv.setInt32(100 + 8 * i, o / 2);
    xv.setInt32(100 + 8 * i + 4, 10);
  });
  const enc = new TextEncoder();
  const width = 40, recLen = 1 + width * fields.length, headLen = 32 + 32 * fields.length + 1;
  const dbf = new Uint8Array(headLen + recLen * n + 1).fill(0x20);
  const dv = new DataView(dbf.buffer);
  dbf.fill(0, 0, headLen);
  dbf[0] = 3; dbf[1] = 126; dbf[2] = 1; dbf[3] = 1;
  dv.setUint32(4, n, true);
  dv.setUint16(8, headLen, true);
  dv.setUint16(10, recLen, true);
  fields.forEach((f, i) => {
    dbf.set(enc.encode(f), 32 + 32 * i);
    dbf[32 + 32 * i + 11] = 'C'.charCodeAt(0);
    dbf[32 + 32 * i + 16] = width;
  });
  dbf[headLen - 1] = 0x0d;
  rows.forEach((r, i) => r.forEach((v, j) => dbf.set(gbk ? gbkEncode(v) : enc.encode(v), headLen + recLen * i + 1 + width * j)));
  dbf[dbf.length - 1] = 0x1a;
  const files: Record<string, Uint8Array> = { 'hyd.shp': shp, 'hyd.shx': shx, 'hyd.dbf': dbf, ...(gbk ? {} : { 'hyd.cpg': strToU8('UTF-8') }) };
  if (prj) files['hyd.prj'] = strToU8(prj);
  return zipSync(files);
}

const UTM49N = 'PROJCS["WGS_1984_UTM_Zone_49N",GEOGCS["GCS_WGS_1984",DATUM["D_WGS_1984",SPHEROID["WGS_1984",6378137.0,298.257223563]],PRIMEM["Greenwich",0.0],UNIT["Degree",0.0174532925199433]],PROJECTION["Transverse_Mercator"],PARAMETER["False_Easting",500000.0],PARAMETER["False_Northing",0.0],PARAMETER["Central_Meridian",111.0],PARAMETER["Scale_Factor",0.9996],PARAMETER["Latitude_Of_Origin",0.0],UNIT["Meter",1.0]]';

describe('zipped Shapefile (written by hand in the test)', () => {
  it('reads lon/lat points with their attributes', async () => {
    const zip = pointShapefile([[113.93, 22.53], [113.95, 22.51]], ['NAME', 'TYPE'], [['一号', '地下式'], ['二号', '消防水池']]);
    const p = await previewHydrantFile(blob(zip), 'hyd.zip');
    expect(p.crsNote?.en).toContain('no .prj');
    const r = await readHydrantFile(blob(zip), 'hyd.zip', p.mapping);
    expect(r.raws.map((x) => [x.row, x.name, x.kind, x.x, x.y])).toEqual([[1, '一号', 'hydrant', 113.93, 22.53], [2, '二号', 'water-intake', 113.95, 22.51]]);
  });
  it('a projected .prj (UTM 49N) is named and the points come back as lon/lat', async () => {
    const utm = [[113.93, 22.53], [113.95, 22.51]].map((p) => proj4('EPSG:4326', UTM49N, p) as [number, number]);
    expect(utm[0][0]).toBeGreaterThan(700000);
    const zip = pointShapefile(utm, ['NAME'], [['一号'], ['二号']], UTM49N);
    const p = await previewHydrantFile(blob(zip), 'utm.zip');
    expect(p.crsNote?.zh).toContain('投影坐标（WGS_1984_UTM_Zone_49N');
    const r = await readHydrantFile(blob(zip), 'utm.zip', p.mapping);
    expect(r.raws[0].x).toBeCloseTo(113.93, 6);
    expect(r.raws[1].y).toBeCloseTo(22.51, 6);
  });
  it('a GBK .dbf without a .cpg (as Chinese GIS software writes it) is decoded as GB18030', async () => {
    const zip = pointShapefile([[113.93, 22.53]], ['NAME', 'TYPE'], [['南山一号', '地下式消火栓']], undefined, true);
    const p = await previewHydrantFile(blob(zip), 'gbk.zip');
    expect(p.rows[0]).toEqual(['南山一号', '地下式消火栓']);
  });
  it('a zip with two layers reads both, each row naming its layer and feature number', async () => {
    const layer = (stem: string, zip: Uint8Array) => Object.fromEntries(Object.entries(unzipSync(zip)).map(([n, b]) => [n.replace(/^hyd/, stem), b]));
    const a = pointShapefile([[113.93, 22.53], [113.94, 22.52]], ['NAME'], [['一号'], ['二号']]);
    const b = pointShapefile([[113.95, 22.51]], ['NAME'], [['水池']]);
    const zip = zipSync({ ...layer('hydrants', a), ...layer('intakes', b) });
    const p = await previewHydrantFile(blob(zip), 'two.zip');
    expect(p.header).toEqual([LAYER_COLUMN, 'NAME']);
    const r = await readHydrantFile(blob(zip), 'two.zip', p.mapping);
    expect(r.rows).toBe(3);
    expect(r.raws.map((x) => [x.row, x.name, x.x, x.y])).toEqual([[1, '一号', 113.93, 22.53], [2, '二号', 113.94, 22.52], [3, '水池', 113.95, 22.51]]);
    expect(p.rows.map((c) => c[0]).sort()).toEqual(['hydrants #1', 'hydrants #2', 'intakes #1']);
  });
  it('a zip without a .shp is refused', async () => {
    await expect(previewHydrantFile(blob(zipSync({ 'a.txt': strToU8('x') })), 'a.zip')).rejects.toMatchObject({ code: 'no-shapefile' });
  });
});
