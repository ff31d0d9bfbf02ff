/**
 * Reads the siting optimizer's point files: candidate sites, or demand points with a weight (population cells,
 * buildings, incidents). GeoJSON points (FeatureCollection of Point features; demand weight in a property) or CSV
 * with a longitude and a latitude column (lon / lng / longitude / x / 经度, lat / latitude / y / 纬度; optional name; for
 * demand a weight column: weight / w / population / pop / count / 权重 / 人口). WGS84 degrees. Bad rows are refused
 * with their row numbers; nothing is guessed.
 */
import Papa from 'papaparse';
import { plannerError } from '../core/errors';
import type { CandidatePoint, WeightedPoint } from '../worker/optimizeProtocol';

const LON = ['lon', 'lng', 'longitude', 'x', '经度'];
const LAT = ['lat', 'latitude', 'y', '纬度'];
const WEIGHT = ['weight', 'w', 'population', 'pop', 'count', '权重', '人口'];
const okLonLat = (lon: number, lat: number) => Number.isFinite(lon) && Number.isFinite(lat) && Math.abs(lon) <= 180 && Math.abs(lat) <= 90;

interface Row { lon: number; lat: number; name?: string; weight?: number }

function readRows(text: string, fileName: string, wantWeight: boolean): Row[] {
  const trimmed = text.trim();
  const bad = (rows: number[], what: { zh: string; en: string }) => plannerError('bad-points', `文件「${fileName}」中第 ${rows.slice(0, 5).join('、')} 行${what.zh}无效`, `"${fileName}": invalid ${what.en} in row ${rows.slice(0, 5).join(', ')}`, { file: fileName });
  const noWeight = () => plannerError('demand-no-weight', `需求文件「${fileName}」没有权重列（weight / population / 人口 …）`, `the demand file "${fileName}" has no weight column (weight / population …)`, { file: fileName });
  const out: Row[] = [];
  const badXY: number[] = [], badW: number[] = [];
  const weightOf = (v: unknown, row: number): number | undefined => {
    const w = typeof v === 'number' ? v : typeof v === 'string' && v.trim() !== '' ? Number(v) : NaN;
    if (!(w >= 0)) { badW.push(row); return undefined; }
    return w;
  };
  if (trimmed.startsWith('{')) {
    let doc: { features?: { geometry?: { type?: string; coordinates?: unknown }; properties?: Record<string, unknown> | null }[] };
    try { doc = JSON.parse(trimmed); } catch {
      throw plannerError('bad-points', `文件「${fileName}」不是有效的 GeoJSON`, `"${fileName}" is not valid GeoJSON`, { file: fileName });
    }
    const feats = doc.features ?? [];
    const wKey = wantWeight ? WEIGHT.find((k) => feats.some((f) => f.properties && k in f.properties)) : undefined;
    if (wantWeight && !wKey && feats.length) throw noWeight();
    feats.forEach((f, i) => {
      const c = f.geometry?.type === 'Point' && Array.isArray(f.geometry.coordinates) ? f.geometry.coordinates as number[] : null;
      if (!c || !okLonLat(c[0], c[1])) { badXY.push(i + 1); return; }
      const name = f.properties?.name;
      out.push({ lon: c[0], lat: c[1], ...(typeof name === 'string' ? { name } : {}), ...(wKey ? { weight: weightOf(f.properties?.[wKey], i + 1) } : {}) });
    });
  } else {
    const parsed = Papa.parse<Record<string, string>>(trimmed, { header: true, skipEmptyLines: true });
    const raw = parsed.meta.fields ?? [];
    const find = (names: string[]) => raw[raw.findIndex((f) => names.includes(f.trim().toLowerCase()))];
    const lonKey = find(LON), latKey = find(LAT), wKey = wantWeight ? find(WEIGHT) : undefined;
    if (!lonKey || !latKey)
      throw plannerError('bad-points', `文件「${fileName}」缺少经度或纬度列（lon / lat）`, `"${fileName}" has no longitude or latitude column (lon / lat)`, { file: fileName });
    if (wantWeight && !wKey) throw noWeight();
    parsed.data.forEach((r, i) => {
      const lon = Number(r[lonKey]), lat = Number(r[latKey]);
      if (!okLonLat(lon, lat)) { badXY.push(i + 2); return; }
      out.push({ lon, lat, ...(r.name ? { name: String(r.name) } : {}), ...(wKey ? { weight: weightOf(r[wKey], i + 2) } : {}) });
    });
  }
  if (badXY.length) throw bad(badXY, { zh: '坐标', en: 'coordinates' });
  if (badW.length) throw bad(badW, { zh: '权重', en: 'weight' });
  if (!out.length) throw plannerError('no-points', `文件「${fileName}」中没有点`, `"${fileName}" holds no points`, { file: fileName });
  return out;
}

/** Candidate sites from a file. */
export function parseCandidateList(text: string, fileName: string): CandidatePoint[] {
  return readRows(text, fileName, false).map((r, i) => ({ id: `list-${i + 1}`, lon: r.lon, lat: r.lat, ...(r.name ? { name: r.name } : {}) }));
}

/** Demand points with their weights from a file ('demand-no-weight' when it has no weight column). */
export function parseDemandList(text: string, fileName: string): WeightedPoint[] {
  return readRows(text, fileName, true).map((r) => ({ lon: r.lon, lat: r.lat, weight: r.weight ?? 0 }));
}
