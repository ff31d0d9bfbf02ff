/**
 * The one check of a district file (GeoJSON polygons, one per station), shared by the app's import and
 * `planner check --districts`. Pure: it takes the parsed JSON and returns the features to use with notes, or throws a
 * PlannerError naming the file. What it decides:
 * - empty input (no features, no coordinates, no polygon) is refused;
 * - a declared CRS must be WGS84/CRS84; CGCS2000 (EPSG:4490) is taken as it is (it differs from WGS84 by
 *   centimetres) with a note; EPSG:3857 (Web Mercator metres) is converted to lon/lat with a note; any other is
 *   refused, as are metre coordinates without a declared CRS (their projection cannot be known);
 * - latitudes beyond ±90° that would be valid as longitudes, or a file that misses the place but would hit it with
 *   its axes exchanged, are refused as swapped lat/lon;
 * - a file that does not come near the place at all is refused (it could only give an all-"no district" report);
 * - self-intersecting polygons (a bowtie) are repaired — split at the crossings, see ringRepair.ts — with a note
 *   naming the crossing and the area before and after; more than MAX_REPAIR_CROSSINGS crossings are not repaired;
 *   open rings are closed with a note; polygons with a ring of fewer than 4 positions, without area (< 1 m²) or
 *   that cannot be repaired are left out with a note (the feature is kept, its geometry set to null).
 */
import { area } from '@turf/turf';
import type { Feature, FeatureCollection, Geometry, MultiPolygon, Polygon, Position } from 'geojson';
import { crsError } from '../crs';
import { plannerError, shortJson } from '../errors';
import { repairPolygon, ringCrossings } from './ringRepair';

export interface DistrictFileNote {
  code: string;
  zh: string;
  en: string;
}

export type BBox = [number, number, number, number];

export interface DistrictFileCheck {
  /** Every feature of the file in order; polygon geometries converted to lon/lat and repaired where noted (null: unusable). */
  fc: FeatureCollection<Geometry | null>;
  /** Per feature: a polygon that can be used as a district. */
  usable: boolean[];
  notes: DistrictFileNote[];
  /** Lon/lat bounds of the usable polygons. */
  bbox: BBox;
}

export interface DistrictFileOptions {
  /** The place's bounds (lon/lat); enables the swapped-axes and wrong-place checks. */
  placeBbox?: BBox;
}

const WGS84 = [/^urn:ogc:def:crs:ogc:(1\.3:)?crs84$/i, /^urn:ogc:def:crs:epsg:[\d.]*:4326$/i, /^epsg:4326$/i, /^crs84$/i, /^wgs ?84$/i];
const CGCS2000 = [/^urn:ogc:def:crs:epsg:[\d.]*:4490$/i, /^epsg:4490$/i, /^cgcs ?2000$/i];
const WEB_MERCATOR = [/^urn:ogc:def:crs:epsg:[\d.]*:(3857|900913|3785|102100)$/i, /^epsg:(3857|900913|3785|102100)$/i];
/** Web Mercator's sphere radius and its x/y bound (metres). */
const R = 6378137;
const MERC_MAX = Math.PI * R;

/** More crossings than this in one polygon: not repaired (the split grows with their square; a scribble, not a district). */
export const MAX_REPAIR_CROSSINGS = 2000;

/** Polygons smaller than this (1 m²) have no area to speak of (collinear points, a spike). */
const MIN_KM2 = 1e-6;

type Mode = 'lonlat' | 'mercator';

const isArea = (g: unknown): g is Polygon | MultiPolygon => {
  const t = (g as { type?: unknown } | null)?.type;
  return t === 'Polygon' || t === 'MultiPolygon';
};

/** Features of a FeatureCollection, a Feature or a bare geometry. */
function featuresOf(o: { type: string; features?: unknown }, fileName: string): Feature[] {
  if (o.type === 'FeatureCollection') {
    if (!Array.isArray(o.features)) throw crsError('features-missing', fileName, 'FeatureCollection 缺少 features 数组', 'FeatureCollection without a "features" array');
    return o.features as Feature[];
  }
  if (o.type === 'Feature') return [o as unknown as Feature];
  return [{ type: 'Feature', properties: {}, geometry: o as unknown as Polygon }];
}

/** The declared CRS's handling (throws for one that is neither lon/lat nor Web Mercator). */
function declaredMode(crs: unknown, fileName: string, notes: DistrictFileNote[]): { mode: Mode; declared: string | null } {
  if (crs === undefined || crs === null) return { mode: 'lonlat', declared: null };
  const name = String((crs as { properties?: { name?: unknown } }).properties?.name ?? shortJson(crs));
  if (WGS84.some((re) => re.test(name))) return { mode: 'lonlat', declared: name };
  if (CGCS2000.some((re) => re.test(name))) {
    notes.push({ code: 'crs-cgcs2000', zh: `文件声明坐标系 ${name}（CGCS2000），按 WGS84 经纬度使用（两者相差仅厘米级）`, en: `the file declares ${name} (CGCS2000); used as WGS84 lon/lat (they differ by centimetres)` });
    return { mode: 'lonlat', declared: name };
  }
  if (WEB_MERCATOR.some((re) => re.test(name))) return { mode: 'mercator', declared: name };
  throw crsError('crs-not-wgs84', fileName, `声明了未知或非 WGS84 的坐标系 ${name}，请先转换为 WGS84 经纬度`, `declares an unknown or non-WGS84 CRS ${name}; convert it to WGS84 lon/lat first`);
}

/** Web Mercator metres → lon/lat degrees (rounded to 1e-7°). */
export function mercatorToLonLat(x: number, y: number): [number, number] {
  const lon = (x / R) * (180 / Math.PI);
  const lat = (2 * Math.atan(Math.exp(y / R)) - Math.PI / 2) * (180 / Math.PI);
  return [Math.round(lon * 1e7) / 1e7, Math.round(lat * 1e7) / 1e7];
}

/** One position checked (and converted from Web Mercator); throws for what cannot be lon/lat. */
function position(p: unknown, mode: Mode, declared: string | null, fileName: string): Position {
  if (!Array.isArray(p) || p.length < 2 || typeof p[0] !== 'number' || typeof p[1] !== 'number')
    throw crsError('coords-malformed', fileName, `坐标格式错误：${shortJson(p)}`, `malformed coordinate: ${shortJson(p)}`);
  const [x, y] = p as number[];
  if (!Number.isFinite(x) || !Number.isFinite(y)) throw crsError('coords-not-finite', fileName, '坐标不是有限数值', 'a coordinate is not a finite number');
  if (mode === 'mercator') {
    if (Math.abs(x) > MERC_MAX * 1.0001 || Math.abs(y) > MERC_MAX * 1.0001)
      throw crsError('coords-out-of-range', fileName, `坐标 (${x}, ${y}) 超出 ${declared} 的范围`, `coordinate (${x}, ${y}) is outside the range of ${declared}`);
    return mercatorToLonLat(x, y);
  }
  if (Math.abs(x) > 360 || Math.abs(y) > 360)
    throw crsError('coords-projected', fileName,
      `坐标 (${x}, ${y}) 像是投影坐标（米），不是经纬度；请先转换为 WGS84 经纬度（若为 Web 墨卡托，可在文件中声明 "crs": EPSG:3857，将自动转换）`,
      `coordinate (${x}, ${y}) looks projected (metres), not lon/lat; convert it to WGS84 lon/lat first (if it is Web Mercator, declare "crs" EPSG:3857 in the file and it is converted)`);
  if (Math.abs(y) > 90 && Math.abs(y) <= 180 && Math.abs(x) <= 90)
    throw crsError('coords-swapped', fileName, `坐标 (${x}, ${y}) 的纬度超出 ±90°：经纬度顺序颠倒了？GeoJSON 要求 [经度, 纬度]`,
      `coordinate (${x}, ${y}) has a latitude beyond ±90°: are lat and lon swapped? GeoJSON needs [lon, lat]`);
  if (Math.abs(x) > 180 || Math.abs(y) > 90)
    throw crsError('coords-out-of-range', fileName, `坐标 (${x}, ${y}) 超出经纬度范围`, `coordinate (${x}, ${y}) is outside the lon/lat range`);
  return [x, y];
}

const overlaps = (a: BBox, b: BBox) => a[0] <= b[2] && b[0] <= a[2] && a[1] <= b[3] && b[1] <= a[3];
/** A bbox grown by `m` of its place's size (at least 0.05°) on each side. */
const grown = (b: BBox, m: number): BBox => {
  const d = Math.max(0.05, m * Math.max(b[2] - b[0], b[3] - b[1]));
  return [b[0] - d, b[1] - d, b[2] + d, b[3] + d];
};
const fmt = (v: number) => String(Math.round(v * 1e5) / 1e5);
const km2 = (g: Polygon | MultiPolygon) => area({ type: 'Feature', properties: {}, geometry: g }) / 1e6;

const zeroArea = (n: number): DistrictFileNote => ({
  code: 'district-zero-area',
  zh: `第 ${n} 个要素：面的面积为零（各点共线），不能作为辖区（已忽略该几何）`,
  en: `feature ${n}: the polygon has no area (its points are collinear); not usable as a district (geometry ignored)`,
});

/** Checks one polygon's rings: converted, closed, repaired. Null (with a note) when it cannot be used. */
function checkPolygon(rings: Position[][], n: number, notes: DistrictFileNote[]): Polygon | MultiPolygon | null {
  const closed = rings.map((r) => {
    const a = r[0], b = r[r.length - 1];
    return r.length > 0 && (a[0] !== b[0] || a[1] !== b[1]) ? [...r, a] : r;
  });
  if (closed.some((r, i) => r !== rings[i]))
    notes.push({ code: 'district-ring-closed', zh: `第 ${n} 个要素：面的边界未闭合，已自动闭合`, en: `feature ${n}: a polygon ring was not closed; closed it` });
  if (closed.some((r) => r.length < 4)) {
    notes.push({ code: 'district-ring-degenerate', zh: `第 ${n} 个要素：面的边界少于 3 个不同的点，不能作为辖区（已忽略该几何）`, en: `feature ${n}: a polygon ring has fewer than 3 distinct points; not usable as a district (geometry ignored)` });
    return null;
  }
  const polygon: Polygon = { type: 'Polygon', coordinates: closed };
  const hits = ringCrossings(closed, MAX_REPAIR_CROSSINGS + 1);
  if (!hits.length) {
    if (km2(polygon) > MIN_KM2) return polygon;
    notes.push(zeroArea(n));
    return null;
  }
  const at = `(${fmt(hits[0].lon)}, ${fmt(hits[0].lat)})`;
  let fixed: Polygon | MultiPolygon | null = null;
  try {
    fixed = hits.length > MAX_REPAIR_CROSSINGS ? null : repairPolygon(closed);
  } catch {
    fixed = null;
  }
  if (!fixed || km2(fixed) <= MIN_KM2) {
    const many = hits.length > MAX_REPAIR_CROSSINGS;
    if (fixed) {
      notes.push(zeroArea(n));
      return null;
    }
    notes.push({
      code: 'district-self-intersection-unrepaired',
      zh: `第 ${n} 个要素：面的边界自相交（于 ${at}${many ? `，超过 ${MAX_REPAIR_CROSSINGS} 处` : ''}），无法修复，不能作为辖区（已忽略该几何）`,
      en: `feature ${n}: the polygon crosses itself (at ${at}${many ? `, more than ${MAX_REPAIR_CROSSINGS} times` : ''}) and could not be repaired; not usable as a district (geometry ignored)`,
    });
    return null;
  }
  const before = km2(polygon).toFixed(2), after = km2(fixed).toFixed(2);
  notes.push({
    code: 'district-self-intersection-repaired',
    zh: `第 ${n} 个要素：面的边界自相交（于 ${at}），已在交点处拆分修复；面积按原样计为 ${before} km²，修复后 ${after} km²，请核对`,
    en: `feature ${n}: the polygon crosses itself (at ${at}); repaired by splitting it at the crossings — ${before} km² as drawn, ${after} km² repaired; please check it`,
  });
  return fixed;
}

/** Validates a parsed district file (see the module comment). Throws a PlannerError naming the file. */
export function checkDistrictFile(obj: unknown, fileName: string, opts: DistrictFileOptions = {}): DistrictFileCheck {
  const o = obj as { type?: unknown; crs?: unknown; features?: unknown };
  if (!o || typeof o !== 'object' || Array.isArray(o) || typeof o.type !== 'string') throw crsError('not-geojson', fileName, '不是 GeoJSON（缺少 type）', 'not GeoJSON (no "type")');
  const features = featuresOf(o as { type: string }, fileName);
  if (!features.length) throw plannerError('districts-empty', `「${fileName}」是空的：没有任何要素，无法作为辖区`, `"${fileName}" is empty: it has no features to use as districts`, { file: fileName });
  const notes: DistrictFileNote[] = [];
  const { mode, declared } = declaredMode(o.crs, fileName, notes);
  let metres = false; // some raw value beyond the degree range (what a declared Web Mercator file must have)
  const pos = (p: unknown) => {
    const q = position(p, mode, declared, fileName);
    if (Math.abs((p as number[])[0]) > 180 || Math.abs((p as number[])[1]) > 90) metres = true;
    return q;
  };
  const ringsOf = (c: unknown): Position[][] => {
    if (!Array.isArray(c)) throw crsError('coords-malformed', fileName, '坐标格式错误', 'malformed coordinates');
    return c.map((r) => {
      if (!Array.isArray(r)) throw crsError('coords-malformed', fileName, '坐标格式错误', 'malformed coordinates');
      return r.map(pos);
    });
  };
  const usable: boolean[] = [];
  const out: Feature<Geometry | null>[] = features.map((f, i) => {
    const g = (f as Feature | null)?.geometry;
    if (!isArea(g)) {
      const type = (g as { type?: unknown } | null | undefined)?.type;
      const t = typeof type === 'string' ? type : null;
      notes.push({
        code: 'district-not-polygon',
        zh: `第 ${i + 1} 个要素不是面（${t ?? '无几何'}），不作为辖区（文件内容保留）`,
        en: `feature ${i + 1} is not a polygon (${t ?? 'no geometry'}); not used as a district (kept in the file)`,
      });
      usable.push(false);
      return f;
    }
    const polys = g.type === 'Polygon' ? [ringsOf(g.coordinates)] : (Array.isArray(g.coordinates) ? g.coordinates : [null]).map(ringsOf);
    const parts = polys.filter((p) => p.length > 0).map((p) => checkPolygon(p, i + 1, notes));
    if (!parts.length)
      notes.push({ code: 'district-empty-polygon', zh: `第 ${i + 1} 个要素：面没有坐标，不能作为辖区`, en: `feature ${i + 1}: the polygon has no coordinates; not usable as a district` });
    else if (parts.length < polys.length)
      notes.push({ code: 'district-empty-polygon', zh: `第 ${i + 1} 个要素：${polys.length - parts.length} 个没有坐标的多面部分未使用`, en: `feature ${i + 1}: ${polys.length - parts.length} part(s) of the multipolygon have no coordinates and are not used` });
    const ok = parts.filter((p): p is Polygon | MultiPolygon => p !== null);
    usable.push(ok.length > 0);
    if (!ok.length) return { ...f, geometry: null };
    const coords = ok.flatMap((p) => (p.type === 'Polygon' ? [p.coordinates] : p.coordinates));
    const geometry: Polygon | MultiPolygon = g.type === 'Polygon' && coords.length === 1 ? { type: 'Polygon', coordinates: coords[0] } : { type: 'MultiPolygon', coordinates: coords };
    return { ...f, geometry };
  });
  if (mode === 'mercator' && !metres)
    throw crsError('crs-mismatch', fileName, `声明坐标系为 ${declared}（Web 墨卡托，米），但坐标都在经纬度范围内——声明与坐标不符，请核对`,
      `declares ${declared} (Web Mercator metres) but every coordinate is within the lon/lat range — the declaration does not match the coordinates`);
  const bbox: BBox = [Infinity, Infinity, -Infinity, -Infinity];
  out.forEach((f, i) => {
    if (!usable[i]) return;
    const g = f.geometry as Polygon | MultiPolygon;
    for (const ring of g.type === 'Polygon' ? g.coordinates : g.coordinates.flat())
      for (const [x, y] of ring) {
        bbox[0] = Math.min(bbox[0], x); bbox[1] = Math.min(bbox[1], y); bbox[2] = Math.max(bbox[2], x); bbox[3] = Math.max(bbox[3], y);
      }
  });
  if (!usable.some(Boolean))
    throw plannerError('no-polygons', `「${fileName}」中没有可用的面要素（Polygon/MultiPolygon），无法作为辖区`, `"${fileName}" holds no usable polygons (Polygon/MultiPolygon) to use as districts`, { file: fileName });
  if (mode === 'mercator')
    notes.push({ code: 'crs-converted', zh: `文件坐标系为 ${declared}（Web 墨卡托，米），已换算为 WGS84 经纬度`, en: `the file's coordinates are ${declared} (Web Mercator metres); converted to WGS84 lon/lat` });
  const place = opts.placeBbox;
  if (place && !overlaps(bbox, grown(place, 0.5))) {
    const swapped: BBox = [bbox[1], bbox[0], bbox[3], bbox[2]];
    const box = `[${bbox.map(fmt).join(', ')}]`, pbox = `[${place.map(fmt).join(', ')}]`;
    if (overlaps(swapped, place))
      throw crsError('coords-swapped', fileName, `辖区面范围 ${box} 不在本地区 ${pbox}，但经纬度对调后正好落在本地区：经纬度顺序颠倒了？GeoJSON 要求 [经度, 纬度]`,
        `the polygons' bounds ${box} miss this place ${pbox} but fall on it with lon and lat exchanged: are lat and lon swapped? GeoJSON needs [lon, lat]`);
    throw plannerError('districts-outside-place', `「${fileName}」的辖区面范围 ${box} 与本地区 ${pbox} 不重叠——是否选错了文件或坐标系？`,
      `the polygons of "${fileName}" (bounds ${box}) do not overlap this place ${pbox} — wrong file or coordinate system?`, { file: fileName });
  }
  return { fc: { type: 'FeatureCollection', features: out }, usable, notes, bbox };
}
