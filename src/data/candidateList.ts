/**
 * Reads an imported list of candidate sites for the siting optimizer: GeoJSON points (FeatureCollection of Point
 * features) or CSV with a longitude and a latitude column (lon / lng / longitude / 经度, lat / latitude / 纬度; optional
 * id and name). WGS84 degrees. Bad rows are refused with their row numbers; nothing is guessed.
 */
import Papa from 'papaparse';
import { plannerError } from '../core/errors';
import type { CandidatePoint } from '../worker/optimizeProtocol';

const LON = ['lon', 'lng', 'longitude', 'x', '经度'];
const LAT = ['lat', 'latitude', 'y', '纬度'];
const okLonLat = (lon: number, lat: number) => Number.isFinite(lon) && Number.isFinite(lat) && Math.abs(lon) <= 180 && Math.abs(lat) <= 90;

export function parseCandidateList(text: string, fileName: string): CandidatePoint[] {
  const trimmed = text.trim();
  const bad = (rows: number[]) => plannerError('bad-candidates', `文件「${fileName}」中第 ${rows.slice(0, 5).join('、')} 行坐标无效`, `"${fileName}": invalid coordinates in row ${rows.slice(0, 5).join(', ')}`, { file: fileName });
  let out: CandidatePoint[];
  if (trimmed.startsWith('{')) {
    let doc: { features?: { geometry?: { type?: string; coordinates?: unknown }; properties?: Record<string, unknown> | null }[] };
    try { doc = JSON.parse(trimmed); } catch {
      throw plannerError('bad-candidates', `文件「${fileName}」不是有效的 GeoJSON`, `"${fileName}" is not valid GeoJSON`, { file: fileName });
    }
    const rows: number[] = [];
    out = [];
    (doc.features ?? []).forEach((f, i) => {
      const c = f.geometry?.type === 'Point' && Array.isArray(f.geometry.coordinates) ? f.geometry.coordinates as number[] : null;
      if (!c || !okLonLat(c[0], c[1])) { rows.push(i + 1); return; }
      const name = f.properties?.name;
      out.push({ id: `list-${i + 1}`, lon: c[0], lat: c[1], ...(typeof name === 'string' ? { name } : {}) });
    });
    if (rows.length) throw bad(rows);
  } else {
    const parsed = Papa.parse<Record<string, string>>(trimmed, { header: true, skipEmptyLines: true });
    const fields = (parsed.meta.fields ?? []).map((f) => f.trim());
    const lonKey = parsed.meta.fields?.[fields.findIndex((f) => LON.includes(f.toLowerCase()))];
    const latKey = parsed.meta.fields?.[fields.findIndex((f) => LAT.includes(f.toLowerCase()))];
    if (!lonKey || !latKey)
      throw plannerError('bad-candidates', `文件「${fileName}」缺少经度或纬度列（lon / lat）`, `"${fileName}" has no longitude or latitude column (lon / lat)`, { file: fileName });
    const rows: number[] = [];
    out = [];
    parsed.data.forEach((r, i) => {
      const lon = Number(r[lonKey]), lat = Number(r[latKey]);
      if (!okLonLat(lon, lat)) { rows.push(i + 2); return; }
      out.push({ id: `list-${i + 1}`, lon, lat, ...(r.name ? { name: String(r.name) } : {}) });
    });
    if (rows.length) throw bad(rows);
  }
  if (!out.length) throw plannerError('no-candidates', `文件「${fileName}」中没有候选站点`, `"${fileName}" holds no candidate sites`, { file: fileName });
  return out;
}
