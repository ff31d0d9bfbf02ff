/**
 * One table row (or one feature) of a hydrant file → a raw record (coordinates as read, not yet in any CRS) or a
 * rejected row with its row number (1-based as in the file, the header is row 1), a reason code and both languages.
 */
import type { Hydrant } from '../../types';
import type { ColumnMapping } from './mapping';
import { mapStatus, mapType, parseDiameterMm, parseNumber, parsePressureMPa, parseYear } from './values';

export type RejectCode =
  | 'missing-coordinate' | 'bad-coordinate' | 'out-of-range' | 'swapped-lat-lon' | 'outside-place' | 'no-point-geometry' | 'bad-row';

export interface RejectedRow {
  /** Row number as in the file (header = row 1), or the feature's number for GeoJSON / KML / SHP (first = 1). */
  row: number;
  code: RejectCode;
  zh: string;
  en: string;
  /** The row as read (cells joined with commas, cut to 200 characters). */
  raw: string;
}

/** A row that passed the cell checks; x / y are the two coordinates as read (lon / lat unless swapped). */
export interface RawHydrant {
  row: number;
  x: number;
  y: number;
  id?: string;
  name?: string;
  kind: Hydrant['kind'];
  subtype?: string;
  status: Hydrant['status'];
  inService?: boolean;
  /** The status cell's word when it is not one the planner knows (kept, and noted). */
  unknownStatus?: string;
  diameterMm?: number;
  pressureMPa?: number;
  year?: number;
}

const RAW_MAX = 200;
export const rawText = (cells: readonly string[]): string => {
  const s = cells.join(',');
  return s.length > RAW_MAX ? `${s.slice(0, RAW_MAX)}…` : s;
};

const MESSAGES: Record<RejectCode, [string, string]> = {
  'missing-coordinate': ['缺少坐标', 'coordinate missing'],
  'bad-coordinate': ['坐标不是数字', 'coordinate is not a number'],
  'out-of-range': ['坐标超出经纬度范围（经度 ±180°、纬度 ±90°）', 'coordinate out of the lon/lat range (±180° lon, ±90° lat)'],
  'swapped-lat-lon': ['经纬度疑似颠倒（对调后位于本地区内）', 'latitude and longitude look swapped (swapped, the point lies in this place)'],
  'outside-place': ['位于本地区范围外', 'outside this place'],
  'no-point-geometry': ['没有点坐标（不是点要素）', 'no point coordinate (not a point feature)'],
  'bad-row': ['该行无法读取', 'the row could not be read'],
};

export function rejected(row: number, code: RejectCode, raw: string, detail?: { zh: string; en: string }): RejectedRow {
  const [zh, en] = MESSAGES[code];
  return { row, code, zh: detail ? `${zh}：${detail.zh}` : zh, en: detail ? `${en}: ${detail.en}` : en, raw };
}

const cell = (cells: readonly string[], i: number | null): string | undefined => {
  if (i === null) return undefined;
  const v = cells[i]?.trim();
  return v ? v : undefined;
};

/**
 * A table row read with a mapping. `point` (from a feature's geometry) replaces the lon/lat columns. Returns the
 * raw record or the rejected row; the coordinate is only checked for being a number in degree range here (the CRS,
 * the place and swapped axes are judged on the whole set, see finish.ts).
 */
export function readRow(cells: readonly string[], row: number, m: ColumnMapping, point?: [number, number] | null): RawHydrant | RejectedRow {
  const raw = rawText(cells);
  let x: number | null, y: number | null;
  if (point !== undefined) {
    if (point === null) return rejected(row, 'no-point-geometry', raw);
    [x, y] = point;
  } else {
    const xs = cell(cells, m.lon), ys = cell(cells, m.lat);
    if (xs === undefined || ys === undefined) return rejected(row, 'missing-coordinate', raw);
    x = parseNumber(xs);
    y = parseNumber(ys);
    if (x === null || y === null) return rejected(row, 'bad-coordinate', raw, { zh: `「${x === null ? xs : ys}」`, en: `"${x === null ? xs : ys}"` });
  }
  if (!Number.isFinite(x) || !Number.isFinite(y)) return rejected(row, 'bad-coordinate', raw);
  // Either axis order must fit degrees; projected metres (e.g. 500000, 2500000) do not.
  if (!((Math.abs(x) <= 180 && Math.abs(y) <= 90) || (Math.abs(x) <= 90 && Math.abs(y) <= 180)))
    return rejected(row, 'out-of-range', raw, { zh: `${x}, ${y}`, en: `${x}, ${y}` });
  const type = mapType(cell(cells, m.type));
  const statusCell = cell(cells, m.status);
  const st = mapStatus(statusCell);
  const out: RawHydrant = { row, x, y, kind: type.kind, status: st.status };
  const id = cell(cells, m.id), name = cell(cells, m.name);
  if (id !== undefined) out.id = id;
  if (name !== undefined) out.name = name;
  if (type.subtype !== undefined) out.subtype = type.subtype;
  if (st.inService !== undefined) out.inService = st.inService;
  if (!st.known && statusCell) out.unknownStatus = statusCell;
  const d = parseDiameterMm(cell(cells, m.diameter)), p = parsePressureMPa(cell(cells, m.pressure)), yr = parseYear(cell(cells, m.year));
  if (d !== null) out.diameterMm = d;
  if (p !== null) out.pressureMPa = p;
  if (yr !== null) out.year = yr;
  return out;
}

export const isRejected = (r: RawHydrant | RejectedRow): r is RejectedRow => 'code' in r;
