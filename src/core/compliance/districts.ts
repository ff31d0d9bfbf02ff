/**
 * Responsibility districts (one per station): from town polygons (one town, one team), from given polygons
 * with a station id, or partitioned automatically from labelled road points (every point to its fastest station).
 */
import { shortJson } from '../errors';
import Flatbush from 'flatbush';
import { featureCollection, intersect, union } from '@turf/turf';
import type { Feature, MultiPolygon, Polygon } from 'geojson';
import type { AreaCollection, AreaGeometry, Station } from '../types';
import { areaKm2, bboxOf, pointInArea, ringsOf } from './geom';
import { cellLonLat, cellX, cellY, makeGrid, traceLabel } from './raster';
import { metresPerDegree } from '../geo';

export type DistrictSource = 'towns' | 'auto' | 'given';

export interface District {
  stationId: string;
  geometry: AreaGeometry;
  source: DistrictSource;
  /** Town ids (towns mode). */
  towns?: string[];
}

export interface Issue {
  code: string;
  zh: string;
  en: string;
}

export interface DistrictResult {
  districts: District[];
  issues: Issue[];
}

const CLASS_RANK: Record<string, number> = { 特勤: 0, 一级: 1, 乡镇一级: 2, 二级: 3, 乡镇二级: 4, 小型: 5 };

const toFeature = (g: AreaGeometry): Feature<Polygon | MultiPolygon> => ({ type: 'Feature', geometry: g, properties: {} });

/** Union of area geometries (null for none). */
export function unionAll(geoms: AreaGeometry[]): AreaGeometry | null {
  if (geoms.length === 0) return null;
  if (geoms.length === 1) return geoms[0];
  const u = union(featureCollection(geoms.map(toFeature)));
  return u ? u.geometry : null;
}

/** Intersection of two areas (null when empty). */
export function intersectAreas(a: AreaGeometry, b: AreaGeometry): AreaGeometry | null {
  const r = intersect(featureCollection([toFeature(a), toFeature(b)]));
  return r ? r.geometry : null;
}

/** Distance in metres from a point to an area (0 inside). */
export function distanceToAreaM(g: AreaGeometry, lon: number, lat: number): number {
  if (pointInArea(g, lon, lat)) return 0;
  const { mx, my } = metresPerDegree(lat);
  let best = Infinity;
  for (const r of ringsOf(g))
    for (let i = 1; i < r.length; i++) {
      const ax = (r[i - 1][0] - lon) * mx, ay = (r[i - 1][1] - lat) * my, bx = (r[i][0] - lon) * mx, by = (r[i][1] - lat) * my;
      const ex = bx - ax, ey = by - ay, l2 = ex * ex + ey * ey;
      const t = l2 > 0 ? Math.max(0, Math.min(1, -(ax * ex + ay * ey) / l2)) : 0;
      best = Math.min(best, Math.sqrt((ax + t * ex) ** 2 + (ay + t * ey) ** 2));
    }
  return best;
}

/** Towns clipped to the planning area (neighbouring towns, outside it or touching it, drop out). */
export function clipTowns(towns: AreaCollection, planningArea?: AreaGeometry): { towns: AreaCollection['features']; issues: Issue[] } {
  const issues: Issue[] = [];
  const out: AreaCollection['features'] = [];
  for (const town0 of towns.features) {
    if (!town0.geometry) continue;
    let clipped: AreaGeometry | null;
    try {
      clipped = planningArea ? intersectAreas(town0.geometry, planningArea) : town0.geometry;
    } catch (e) {
      issues.push({ code: 'town-bad-geometry', zh: `${town0.properties.name}：边界几何无效，已跳过（${(e as Error).message}）`, en: `${town0.properties.nameEn ?? town0.properties.name}: invalid boundary geometry, skipped (${(e as Error).message})` });
      continue;
    }
    if (!clipped || areaKm2(clipped) < 0.01 * Math.min(areaKm2(town0.geometry), areaKm2(planningArea ?? town0.geometry))) continue;
    out.push({ ...town0, geometry: clipped });
  }
  return { towns: out, issues };
}

/**
 * One town, one team: each (clipped) town goes to the station inside it (the highest class, then the smallest id,
 * when several are inside) or, with none inside, to the nearest station. A station's district is the union of its
 * towns (`union` may be a memoised unionAll).
 */
export function assignTowns(stations: Station[], towns: AreaCollection['features'], union: (geoms: AreaGeometry[], ids: string[]) => AreaGeometry | null = (g) => unionAll(g)): DistrictResult {
  const issues: Issue[] = [];
  const byStation = new Map<string, { geoms: AreaGeometry[]; ids: string[] }>();
  for (const town of towns) {
    const inside = stations.filter((s) => pointInArea(town.geometry, s.lon, s.lat));
    let chosen: Station | undefined;
    if (inside.length > 0) {
      chosen = [...inside].sort((a, b) => (CLASS_RANK[a.stationClass] ?? 9) - (CLASS_RANK[b.stationClass] ?? 9) || (a.id < b.id ? -1 : 1))[0];
      if (inside.length > 1)
        issues.push({
          code: 'town-shared',
          zh: `${town.properties.name}：镇内有 ${inside.length} 个站，辖区归 ${chosen.name}（一镇一队）`,
          en: `${town.properties.nameEn ?? town.properties.name}: ${inside.length} stations inside; district given to ${chosen.nameEn ?? chosen.name} (one town, one team)`,
        });
    } else {
      let best = Infinity;
      for (const s of stations) {
        const d = distanceToAreaM(town.geometry, s.lon, s.lat);
        if (d < best || (d === best && chosen && s.id < chosen.id)) { best = d; chosen = s; }
      }
      if (chosen)
        issues.push({
          code: 'town-no-station',
          zh: `${town.properties.name}：镇内无站，归最近的 ${chosen.name}（${Math.round(best)} m）`,
          en: `${town.properties.nameEn ?? town.properties.name}: no station inside; assigned to the nearest, ${chosen.nameEn ?? chosen.name} (${Math.round(best)} m)`,
        });
    }
    if (!chosen) continue;
    const entry = byStation.get(chosen.id) ?? { geoms: [], ids: [] };
    entry.geoms.push(town.geometry);
    entry.ids.push(String(town.properties.id));
    byStation.set(chosen.id, entry);
  }
  const districts: District[] = [];
  for (const s of stations) {
    const e = byStation.get(s.id);
    const g = e && union(e.geoms, e.ids);
    if (g) districts.push({ stationId: s.id, geometry: g, source: 'towns', towns: e.ids });
  }
  return { districts, issues };
}

/** Towns clipped to the planning area, then assigned one town, one team (see assignTowns). */
export function districtsFromTowns(stations: Station[], towns: AreaCollection, planningArea?: AreaGeometry): DistrictResult {
  const c = clipTowns(towns, planningArea);
  const r = assignTowns(stations, c.towns);
  return { districts: r.districts, issues: [...c.issues, ...r.issues] };
}

/** Districts drawn or imported as polygons with a `stationId` property (several pieces per station are merged). */
export function districtsFromPolygons(stations: Station[], fc: AreaCollection, planningArea?: AreaGeometry): DistrictResult {
  const issues: Issue[] = [];
  const known = new Set(stations.map((s) => s.id));
  const pieces = new Map<string, AreaGeometry[]>();
  fc.features.forEach((f, i) => {
    const sid = (f as AreaCollection['features'][number] | null)?.properties?.stationId;
    if (typeof sid !== 'string' || !known.has(sid)) {
      issues.push({
        code: 'district-unknown-station',
        zh: `第 ${i + 1} 个辖区面的 stationId ${shortJson(sid, 40)} 不对应任何消防站，已跳过（原数据保留）`,
        en: `district polygon ${i + 1}: stationId ${shortJson(sid, 40)} matches no station; skipped (input kept unchanged)`,
      });
      return;
    }
    const geomType = (f.geometry as { type?: string } | null)?.type;
    if (geomType !== 'Polygon' && geomType !== 'MultiPolygon') {
      issues.push({
        code: 'district-not-polygon',
        zh: `第 ${i + 1} 个辖区要素不是面（${geomType ?? '无几何'}），已跳过`,
        en: `district feature ${i + 1} is not a polygon (${geomType ?? 'no geometry'}); skipped`,
      });
      return;
    }
    pieces.set(sid, [...(pieces.get(sid) ?? []), f.geometry]);
  });
  const districts: District[] = [];
  for (const s of stations) {
    const list = pieces.get(s.id) ?? [];
    if (!list.length) continue;
    try {
      let g = unionAll(list);
      if (g && planningArea) g = intersectAreas(g, planningArea);
      if (g) districts.push({ stationId: s.id, geometry: g, source: 'given' });
      else issues.push({ code: 'district-outside-area', zh: `${s.name} 的辖区面在规划范围之外`, en: `the district of ${s.nameEn ?? s.name} lies outside the planning area` });
    } catch (e) {
      issues.push({
        code: 'district-bad-geometry',
        zh: `${s.name} 的辖区面几何无效（自相交等），已跳过：${(e as Error).message}`,
        en: `the district polygon of ${s.nameEn ?? s.name} is invalid (self-intersecting?) and was skipped: ${(e as Error).message}`,
      });
    }
  }
  return { districts, issues };
}

/** Road points labelled with the index of their fastest station. */
export interface LabelledPoints {
  lon: Float64Array;
  lat: Float64Array;
  label: Int32Array;
}

export interface AutoOptions {
  /** Grid cell size in metres (grown automatically to stay under maxCells). Default 50. */
  cellM?: number;
  maxCells?: number;
}

/**
 * Automatic partition: every grid cell of the planning area goes to the station of the nearest labelled road
 * point; label regions are traced into polygons and clipped with the planning area, so the districts tile the
 * area without gaps or overlaps (up to the clipping arithmetic).
 */
export function autoDistricts(stations: Station[], area: AreaGeometry, pts: LabelledPoints, opts: AutoOptions = {}): DistrictResult {
  const issues: Issue[] = [];
  const n = pts.label.length;
  if (n === 0) {
    issues.push({ code: 'auto-no-points', zh: '没有可达道路点，无法自动划分辖区', en: 'no reachable road points: cannot partition districts automatically' });
    return { districts: [], issues };
  }
  const grid = makeGrid(bboxOf(area), opts.cellM ?? 50, opts.maxCells);
  const { frame } = grid;
  const index = new Flatbush(n);
  for (let i = 0; i < n; i++) {
    const x = (pts.lon[i] - frame.lon0) * frame.mx, y = (pts.lat[i] - frame.lat0) * frame.my;
    index.add(x, y, x, y);
  }
  index.finish();
  for (let r = 0; r < grid.ny; r++)
    for (let c = 0; c < grid.nx; c++) {
      const x = cellX(grid, c), y = cellY(grid, r);
      const near = index.neighbors(x, y, 1)[0];
      grid.labels[c + r * grid.nx] = pts.label[near];
    }
  const districts: District[] = [];
  stations.forEach((s, k) => {
    const region = traceLabel(grid, k);
    const g = region && intersectAreas(region, area);
    if (g) districts.push({ stationId: s.id, geometry: g, source: 'auto' });
  });
  return { districts, issues };
}

/** Number of grid cell centres of `area` that fall inside more than one district or in none (for tests and QA). */
export function tilingDefects(area: AreaGeometry, districts: District[], cellM = 100): { gaps: number; overlaps: number; cells: number } {
  const grid = makeGrid(bboxOf(area), cellM, 40_000);
  let gaps = 0, overlaps = 0, cells = 0;
  for (let r = 0; r < grid.ny; r++)
    for (let c = 0; c < grid.nx; c++) {
      const [lon, lat] = cellLonLat(grid, c, r);
      if (!pointInArea(area, lon, lat)) continue;
      cells++;
      const k = districts.filter((d) => pointInArea(d.geometry, lon, lat)).length;
      if (k === 0) gaps++;
      if (k > 1) overlaps++;
    }
  return { gaps, overlaps, cells };
}

