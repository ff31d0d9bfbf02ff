/**
 * The coordinate system of an imported hydrant list: WGS84, GCJ-02 or BD-09 (gcoord converts to WGS84), optionally
 * with the two columns swapped; the place test (inside the place's box + 2 km) and the road-fit suggestion: for each
 * reading, the median distance from the points to the nearest road. The road distance is a function passed in
 * (the worker has the graph), so this module stays pure.
 */
import gcoord from 'gcoord';
import { metresPerDegree } from '../../geo';

export type HydrantCrs = 'wgs84' | 'gcj02' | 'bd09';
export const HYDRANT_CRSES: HydrantCrs[] = ['wgs84', 'gcj02', 'bd09'];
export const CRS_LABEL: Record<HydrantCrs, string> = { wgs84: 'WGS84', gcj02: 'GCJ-02', bd09: 'BD-09' };

/** How the two coordinate columns are read: the CRS, and whether the first (x) column holds the latitude. */
export interface CrsReading {
  crs: HydrantCrs;
  swapped: boolean;
}

const GC = { wgs84: gcoord.WGS84, gcj02: gcoord.GCJ02, bd09: gcoord.BD09 } as const;

/** WGS84 lon/lat of a point read as (x, y) under a reading. */
export function toWgs84(x: number, y: number, r: CrsReading): [number, number] {
  const lon = r.swapped ? y : x, lat = r.swapped ? x : y;
  if (r.crs === 'wgs84') return [lon, lat];
  const [a, b] = gcoord.transform([lon, lat], GC[r.crs], gcoord.WGS84) as [number, number];
  return [a, b];
}

/** WGS84 lon/lat → the CRS (for tests and exports). */
export function fromWgs84(lon: number, lat: number, crs: HydrantCrs): [number, number] {
  if (crs === 'wgs84') return [lon, lat];
  const [a, b] = gcoord.transform([lon, lat], gcoord.WGS84, GC[crs]) as [number, number];
  return [a, b];
}

/** The place a list is imported into: its bbox [w, s, e, n] (WGS84) and optionally its boundary test. */
export interface PlaceArea {
  bbox: [number, number, number, number];
  inside?: (lon: number, lat: number) => boolean;
}

/** How far beyond the place's box a point still counts as in the place (metres): the same margin as imported extracts. */
export const PLACE_MARGIN_M = 2000;

/** Whether (lon, lat) lies within the place's bbox grown by `marginM`. */
export function nearPlace(area: PlaceArea, lon: number, lat: number, marginM = PLACE_MARGIN_M): boolean {
  const [w, s, e, n] = area.bbox;
  const { mx, my } = metresPerDegree((s + n) / 2);
  const dx = marginM / mx, dy = marginM / my;
  return lon >= w - dx && lon <= e + dx && lat >= s - dy && lat <= n + dy;
}

/** Ray-casting point-in-polygon over (Multi)Polygon rings (holes by parity). */
export function pointInAreas(rings: number[][][][], lon: number, lat: number): boolean {
  let inside = false;
  for (const poly of rings) {
    for (const ring of poly) {
      for (let i = 0, j = ring.length - 1; i < ring.length; j = i++) {
        const [xi, yi] = ring[i], [xj, yj] = ring[j];
        if (yi > lat !== yj > lat && lon < ((xj - xi) * (lat - yi)) / (yj - yi) + xi) inside = !inside;
      }
    }
  }
  return inside;
}
