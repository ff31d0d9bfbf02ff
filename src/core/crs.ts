/**
 * Coordinate systems used by Chinese map data: WGS84 (GPS, OSM), GCJ-02 (AMap/高德, DataV, Tencent) and
 * BD-09 (Baidu). Conversion is delegated to gcoord; this module adds GeoJSON plumbing and input checks.
 */
import gcoord from 'gcoord';
import type { Geometry, Position } from 'geojson';
import { plannerError, type PlannerError } from './errors';

export type LonLatCrs = 'WGS84' | 'GCJ02' | 'BD09';

const GCOORD = { WGS84: gcoord.WGS84, GCJ02: gcoord.GCJ02, BD09: gcoord.BD09 } as const;

/** A GeoJSON input that is not usable as WGS84 lon/lat: a PlannerError naming the file, in both languages. */
export function crsError(code: string, fileName: string, zh: string, en: string): PlannerError {
  return plannerError(code, `坐标系问题「${fileName}」：${zh}`, `Coordinate problem in "${fileName}": ${en}`, { file: fileName });
}

/** Converts one lon/lat position. */
export function convertPosition(p: Position, from: LonLatCrs, to: LonLatCrs): [number, number] {
  if (from === to) return [p[0], p[1]];
  const [x, y] = gcoord.transform([p[0], p[1]], GCOORD[from], GCOORD[to]) as [number, number];
  return [x, y];
}

const mapPositions = (c: unknown, f: (p: Position) => Position): unknown =>
  typeof (c as unknown[])[0] === 'number' ? f(c as Position) : (c as unknown[]).map((x) => mapPositions(x, f));

/** A copy of a geometry with every position converted (and rounded to `decimals`, default 7). */
export function convertGeometry<G extends Geometry>(g: G, from: LonLatCrs, to: LonLatCrs, decimals = 7): G {
  const k = 10 ** decimals;
  const f = (p: Position): Position => convertPosition(p, from, to).map((v) => Math.round(v * k) / k);
  if (g.type === 'GeometryCollection') return { ...g, geometries: g.geometries.map((x) => convertGeometry(x, from, to, decimals)) };
  return { ...g, coordinates: mapPositions((g as Exclude<Geometry, { type: 'GeometryCollection' }>).coordinates, f) } as G;
}

const WGS84_CRS_NAMES = [/^urn:ogc:def:crs:ogc:(1\.3:)?crs84$/i, /^urn:ogc:def:crs:epsg::?4326$/i, /^epsg:4326$/i, /^crs84$/i, /^wgs ?84$/i];

export interface LonLatCheck {
  features: number;
  positions: number;
  bbox: [number, number, number, number];
}

/**
 * Accepts GeoJSON whose coordinates are lon/lat degrees. Rejects a declared `crs` that is not WGS84/CRS84,
 * projected (metre) coordinates, swapped or out-of-range values, and non-GeoJSON input.
 */
export function checkLonLatGeoJSON(obj: unknown, fileName: string): LonLatCheck {
  const o = obj as { type?: unknown; crs?: { properties?: { name?: unknown } }; features?: unknown[] };
  if (!o || typeof o !== 'object' || typeof o.type !== 'string') throw crsError('not-geojson', fileName, '不是 GeoJSON（缺少 type）', 'not GeoJSON (no "type")');
  if (o.crs !== undefined && o.crs !== null) {
    const name = String(o.crs?.properties?.name ?? JSON.stringify(o.crs));
    if (!WGS84_CRS_NAMES.some((re) => re.test(name))) {
      throw crsError('crs-not-wgs84', fileName, `声明了未知或非 WGS84 的坐标系 ${name}，请先转换为 WGS84 经纬度`,
        `declares an unknown or non-WGS84 CRS ${name}; convert it to WGS84 lon/lat first`);
    }
  }
  const bbox: [number, number, number, number] = [Infinity, Infinity, -Infinity, -Infinity];
  let positions = 0;
  const visit = (c: unknown): void => {
    if (!Array.isArray(c)) throw crsError('coords-malformed', fileName, '坐标格式错误', 'malformed coordinates');
    if (typeof c[0] === 'number') {
      const [x, y] = c as number[];
      if (!Number.isFinite(x) || !Number.isFinite(y)) throw crsError('coords-not-finite', fileName, '坐标不是有限数值', 'a coordinate is not a finite number');
      if (Math.abs(x) > 360 || Math.abs(y) > 360) {
        throw crsError('coords-projected', fileName, `坐标 (${x}, ${y}) 像是投影坐标（米），不是经纬度；请先转换为 WGS84 经纬度`,
          `coordinate (${x}, ${y}) looks projected (metres), not lon/lat; convert it to WGS84 lon/lat first`);
      }
      if (Math.abs(x) > 180 || Math.abs(y) > 90) {
        throw crsError('coords-out-of-range', fileName, `坐标 (${x}, ${y}) 超出经纬度范围（经纬度是否颠倒？）`, `coordinate (${x}, ${y}) is outside lon/lat range (lon and lat swapped?)`);
      }
      positions++;
      if (x < bbox[0]) bbox[0] = x;
      if (y < bbox[1]) bbox[1] = y;
      if (x > bbox[2]) bbox[2] = x;
      if (y > bbox[3]) bbox[3] = y;
      return;
    }
    for (const x of c) visit(x);
  };
  const geometry = (g: unknown) => {
    const gg = g as { type?: string; coordinates?: unknown; geometries?: unknown[] } | null;
    if (gg === null) return;
    if (!gg || typeof gg.type !== 'string') throw crsError('geometry-no-type', fileName, '几何对象缺少 type', 'a geometry has no "type"');
    if (gg.type === 'GeometryCollection') (gg.geometries ?? []).forEach(geometry);
    else visit(gg.coordinates);
  };
  let features = 0;
  if (o.type === 'FeatureCollection') {
    if (!Array.isArray(o.features)) throw crsError('features-missing', fileName, 'FeatureCollection 缺少 features 数组', 'FeatureCollection without a "features" array');
    for (const f of o.features) {
      geometry((f as { geometry?: unknown }).geometry ?? null);
      features++;
    }
  } else if (o.type === 'Feature') {
    geometry((o as { geometry?: unknown }).geometry ?? null);
    features = 1;
  } else geometry(o);
  if (positions === 0) throw crsError('no-coordinates', fileName, '没有任何坐标', 'contains no coordinates');
  return { features, positions, bbox };
}
