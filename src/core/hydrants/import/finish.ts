/**
 * The last step of an import: raw records read under the chosen reading become WGS84 hydrants; points outside the
 * place (beyond its box + 2 km, or outside its boundary when the area has one) are rejected as 'outside-place', or
 * as 'swapped-lat-lon' when the swapped reading lies inside.
 */
import type { Hydrant } from '../../types';
import { round7 } from '../../geo';
import { nearPlace, toWgs84, type CrsReading, type PlaceArea } from './crs';
import { rejected, type RawHydrant, type RejectedRow } from './records';

export interface FinishOptions {
  /** Source line of every hydrant, e.g. "导入：消火栓台账.csv". */
  source: string;
}

export interface FinishedImport {
  hydrants: Hydrant[];
  rejected: RejectedRow[];
  /** Rows whose status word the planner does not know (kept, inService left undefined). */
  unknownStatus: { row: number; value: string }[];
}

const rawOf = (r: RawHydrant) => [r.x, r.y, r.name ?? ''].join(',');

/** Whether a WGS84 point is in the place: within its box + 2 km and, when the boundary is known, inside it. */
const inPlace = (area: PlaceArea, lon: number, lat: number) => nearPlace(area, lon, lat) && (!area.inside || area.inside(lon, lat));
const BEYOND_BOX = { zh: '超出其范围 2 km 以上', en: 'more than 2 km beyond its box' };
const BEYOND_BOUNDARY = { zh: '在其边界之外', en: 'beyond its boundary' };

export function finishImport(raws: readonly RawHydrant[], reading: CrsReading, area: PlaceArea, opts: FinishOptions): FinishedImport {
  const hydrants: Hydrant[] = [], out: RejectedRow[] = [], unknownStatus: FinishedImport['unknownStatus'] = [];
  const ids = new Set<string>();
  const other = { ...reading, swapped: !reading.swapped };
  for (const r of raws) {
    const [lon, lat] = toWgs84(r.x, r.y, reading);
    if (!inPlace(area, lon, lat)) {
      const [slon, slat] = toWgs84(r.x, r.y, other);
      if (inPlace(area, slon, slat)) out.push(rejected(r.row, 'swapped-lat-lon', rawOf(r)));
      else out.push(rejected(r.row, 'outside-place', rawOf(r), nearPlace(area, lon, lat) ? BEYOND_BOUNDARY : BEYOND_BOX));
      continue;
    }
    const base = r.id ?? `row-${r.row}`;
    const id = ids.has(base) ? `${base}#row-${r.row}` : base;
    ids.add(id);
    const h: Hydrant = { id, kind: r.kind, status: r.status, position: 'from-data', source: opts.source, lon: round7(lon), lat: round7(lat) };
    if (r.name !== undefined) h.name = r.name;
    if (r.subtype !== undefined) h.subtype = r.subtype;
    if (r.diameterMm !== undefined) h.diameterMm = r.diameterMm;
    if (r.pressureMPa !== undefined) h.pressureMPa = r.pressureMPa;
    if (r.year !== undefined) h.year = r.year;
    if (r.inService !== undefined) h.inService = r.inService;
    if (r.unknownStatus !== undefined) unknownStatus.push({ row: r.row, value: r.unknownStatus });
    hydrants.push(h);
  }
  out.sort((a, b) => a.row - b.row);
  return { hydrants, rejected: out, unknownStatus };
}

/** The rejected rows as a CSV (UTF-8 with BOM so Excel reads the Chinese): row, code, reason zh, reason en, raw. */
export function rejectedCsv(rows: readonly RejectedRow[]): string {
  const q = (s: string | number) => {
    const t = String(s);
    // A leading = + - @ would be a formula in a spreadsheet: quote it as text.
    const safe = /^[=+\-@]/.test(t) ? `'${t}` : t;
    return /[",\n\r]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
  };
  const lines = ['行号 row,代码 code,原因,reason,原始内容 raw', ...rows.map((r) => [r.row, r.code, r.zh, r.en, r.raw].map(q).join(','))];
  return `\ufeff${lines.join('\r\n')}\r\n`;
}
