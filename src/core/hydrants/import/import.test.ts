import { describe, expect, it } from 'vitest';
import { guessMapping, readRow, isRejected, mapType, mapStatus, parseDiameterMm, parsePressureMPa, parseYear, finishImport, rejectedCsv, type RawHydrant, type RejectedRow } from './index';

describe('column mapping guess', () => {
  it('reads Chinese headers (with units in brackets)', () => {
    const m = guessMapping(['序号', '名称', '类型', '经度', '纬度', '口径(mm)', '压力（MPa）', '状态', '建设年份']);
    expect(m).toEqual({ id: 0, name: 1, type: 2, lon: 3, lat: 4, diameter: 5, pressure: 6, status: 7, year: 8 });
  });
  it('reads English and X/Y headers; a column serves one field', () => {
    expect(guessMapping(['FID', 'X', 'Y', 'Address', 'Kind', 'DN', 'Condition'])).toMatchObject({ id: 0, lon: 1, lat: 2, name: 3, type: 4, diameter: 5, status: 6, pressure: null, year: null });
    expect(guessMapping(['Longitude', 'Latitude', 'Name'])).toMatchObject({ lon: 0, lat: 1, name: 2 });
    expect(guessMapping(['管径', 'X坐标', 'Y坐标'])).toMatchObject({ diameter: 0, lon: 1, lat: 2 });
  });
  it('leaves lon/lat to the geometry for feature files', () => {
    expect(guessMapping(['x', 'y', 'name'], true)).toMatchObject({ lon: null, lat: null, name: 2 });
  });
});

describe('cell values', () => {
  it('maps type words to kinds, keeping unknown words as the subtype', () => {
    expect(mapType('地上式消火栓')).toEqual({ kind: 'hydrant', subtype: '地上式消火栓' });
    expect(mapType('取水点')).toEqual({ kind: 'water-intake', subtype: '取水点' });
    expect(mapType('消防水池').kind).toBe('water-intake');
    expect(mapType('水鹤').kind).toBe('water-intake');
    expect(mapType('某种设备')).toEqual({ kind: 'hydrant', subtype: '某种设备' });
    expect(mapType('')).toEqual({ kind: 'hydrant' });
  });
  it('maps status words', () => {
    expect(mapStatus('损坏')).toEqual({ status: 'existing', inService: false, known: true });
    expect(mapStatus('停用')).toMatchObject({ inService: false });
    expect(mapStatus('正常')).toMatchObject({ inService: true });
    expect(mapStatus('规划')).toMatchObject({ status: 'planned' });
    expect(mapStatus('待查')).toEqual({ status: 'existing', known: false });
  });
  it('reads a negated OK word as out of service (不正常, not working …)', () => {
    for (const w of ['不正常', '非正常', '状态不正常', '无效', 'not working', 'Not in service', 'not OK', 'not in good order', 'un-working', '无法使用', '不能使用', '被盗']) {
      expect(mapStatus(w), w).toEqual({ status: 'existing', inService: false, known: true });
    }
    for (const w of ['正常', '完好', 'in service', 'working', 'Good', '正常使用中']) expect(mapStatus(w), w).toMatchObject({ inService: true });
  });
  it('reads numbers with units', () => {
    expect(parseDiameterMm('DN150')).toBe(150);
    expect(parseDiameterMm('4"')).toBe(102);
    expect(parsePressureMPa('0.35MPa')).toBe(0.35);
    expect(parsePressureMPa('300 kPa')).toBe(0.3);
    expect(parseYear('2015-06-01')).toBe(2015);
    expect(parseYear('2008年')).toBe(2008);
    expect(parseYear('abc')).toBeNull();
  });
});

const HEADER = ['编号', '名称', '类型', '经度', '纬度', '状态', '口径'];
const m = guessMapping(HEADER);

describe('rows of a CSV with bad rows', () => {
  // File rows: 1 = header, 2.. = data.
  const rows = [
    ['H1', '南山大道口', '地上式', '113.93', '22.53', '正常', 'DN100'],
    ['H2', '缺坐标', '地下式', '', '22.53', '', ''],
    ['H3', '坏坐标', '地下式', '113.9x', '22.53', '', ''],
    ['H4', '投影坐标', '地下式', '500123.5', '2493000.1', '', ''],
    ['H5', '取水口', '取水口', '113.95', '22.51', '损坏', ''],
    ['H6', '对调', '消火栓', '22.52', '113.94', '正常', ''],
    ['H7', '远处', '消火栓', '116.40', '39.90', '正常', ''],
    ['H8', '状态未知', '消火栓', '113.94', '22.52', '待查', ''],
  ];
  const area = { bbox: [113.88, 22.48, 113.99, 22.6] as [number, number, number, number] };
  const read = rows.map((r, i) => readRow(r, i + 2, m));
  const raws = read.filter((r): r is RawHydrant => !isRejected(r));
  const cellRejects = read.filter(isRejected);
  const done = finishImport(raws, { crs: 'wgs84', swapped: false }, area, { source: 'test' });
  const all: RejectedRow[] = [...cellRejects, ...done.rejected].sort((a, b) => a.row - b.row);

  it('rejects each bad row with its file row number and reason', () => {
    expect(all.map((r) => [r.row, r.code])).toEqual([[3, 'missing-coordinate'], [4, 'bad-coordinate'], [5, 'out-of-range'], [7, 'swapped-lat-lon'], [8, 'outside-place']]);
    expect(all[1].zh).toContain('113.9x');
    expect(all[1].raw).toBe('H3,坏坐标,地下式,113.9x,22.53,,');
  });
  it('keeps the good rows with their fields, and notes an unknown status', () => {
    expect(done.hydrants.map((h) => h.id)).toEqual(['H1', 'H5', 'H8']);
    expect(done.hydrants[0]).toMatchObject({ kind: 'hydrant', subtype: '地上式', inService: true, diameterMm: 100, lon: 113.93, lat: 22.53, name: '南山大道口' });
    expect(done.hydrants[1]).toMatchObject({ kind: 'water-intake', inService: false });
    expect(done.hydrants[2].inService).toBeUndefined();
    expect(done.unknownStatus).toEqual([{ row: 9, value: '待查' }]);
  });
  it('reading swapped columns keeps the swapped row and rejects the others as swapped', () => {
    const sw = finishImport(raws, { crs: 'wgs84', swapped: true }, area, { source: 'test' });
    expect(sw.hydrants.map((h) => h.id)).toEqual(['H6']);
    expect(sw.rejected.filter((r) => r.code === 'swapped-lat-lon').map((r) => r.row)).toEqual([2, 6, 9]);
  });
  it('with a boundary, a row inside the box but outside the boundary is outside-place; swapped rows judged by it too', () => {
    const west = { ...area, inside: (lon: number) => lon < 113.94 };
    const b = finishImport(raws, { crs: 'wgs84', swapped: false }, west, { source: 'test' });
    expect(b.hydrants.map((h) => h.id)).toEqual(['H1']);
    expect(b.rejected.map((r) => [r.row, r.code, r.en])).toEqual([
      [6, 'outside-place', 'outside this place: beyond its boundary'],
      [7, 'outside-place', 'outside this place: more than 2 km beyond its box'],
      [8, 'outside-place', 'outside this place: more than 2 km beyond its box'],
      [9, 'outside-place', 'outside this place: beyond its boundary'],
    ]);
  });
  it('writes the error list as CSV with a BOM, formulas neutralised', () => {
    const csv = rejectedCsv([{ row: 3, code: 'bad-coordinate', zh: '坐标不是数字', en: 'not a number', raw: '=HYPERLINK("x"),1' }]);
    expect(csv.startsWith('\ufeff行号 row')).toBe(true);
    expect(csv).toContain(`3,bad-coordinate,坐标不是数字,not a number,"'=HYPERLINK(""x""),1"`);
  });
});
