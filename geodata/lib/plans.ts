/**
 * Reads the plan items of a plan place (geodata/plans/<id>.json, written by the plans-data work) and turns the
 * items that have coordinates into Point features. Accepts a GeoJSON FeatureCollection of Points, or an object
 * with item arrays (items / stations / hydrants / waterIntakes / sites) whose entries carry lon/lat.
 */
import type { Feature, FeatureCollection, Point } from 'geojson';
import { checkLonLatGeoJSON } from '../../src/core/crs';
import { round6 } from '../../src/core/osm/extract';
import { plannerError } from '../../src/core/errors';

export interface PlanRead {
  features: Feature<Point, Record<string, unknown>>[];
  /** Items listed in the plan that have no coordinates (kept in the plan file, not drawn). */
  withoutPosition: number;
  /** The plan's title, when the file gives one. */
  title?: string;
}

type Item = Record<string, unknown>;

/** Arrays of a plan file that hold mappable items (other arrays are indicators, counts, staffing …). */
const PLAN_ARRAYS = ['items', 'stations', 'hydrants', 'waterIntakes', 'sites'];

const isNum = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v);

function itemPosition(it: Item): [number, number] | null {
  if (isNum(it.lon) && isNum(it.lat)) return [it.lon, it.lat];
  if (isNum(it.lng) && isNum(it.lat)) return [it.lng, it.lat];
  const c = (it.coordinates ?? it.position ?? it.lonLat) as unknown;
  if (Array.isArray(c) && isNum(c[0]) && isNum(c[1])) return [c[0], c[1]];
  return null;
}

function kindOf(it: Item, arrayName: string): string {
  if (typeof it.kind === 'string') return it.kind;
  if (arrayName === 'hydrants') return 'hydrant';
  if (arrayName === 'waterIntakes' || arrayName === 'water-intakes') return 'water-intake';
  return 'station';
}

export function readPlan(doc: unknown, fileName: string): PlanRead {
  if (!doc || typeof doc !== 'object') throw plannerError('plan-not-object', `规划文件「${fileName}」内容不是对象`, `plan file "${fileName}" is not a JSON object`, { file: fileName });
  const d = doc as Record<string, unknown>;
  const out: PlanRead = { features: [], withoutPosition: 0 };
  if (typeof d.planTitle === 'string') out.title = d.planTitle;
  if (d.type === 'FeatureCollection') {
    checkLonLatGeoJSON(d, fileName);
    for (const f of (d as unknown as FeatureCollection).features) {
      if (f.geometry?.type !== 'Point') continue;
      const [x, y] = f.geometry.coordinates;
      out.features.push({ type: 'Feature', properties: { ...(f.properties ?? {}), lon: round6(x), lat: round6(y) }, geometry: { type: 'Point', coordinates: [round6(x), round6(y)] } });
    }
    return out;
  }
  const items: Feature<Point, Record<string, unknown>>[] = [];
  for (const name of PLAN_ARRAYS) {
    const arr = d[name];
    if (!Array.isArray(arr)) continue;
    for (const raw of arr) {
      if (!raw || typeof raw !== 'object') continue;
      const it = raw as Item;
      if (!('id' in it) && !('name' in it)) continue;
      const pos = itemPosition(it);
      if (!pos) { out.withoutPosition++; continue; }
      const [x, y] = [round6(pos[0]), round6(pos[1])];
      if (Math.abs(x) > 180 || Math.abs(y) > 90) {
        throw plannerError('plan-out-of-range', `规划文件「${fileName}」中的坐标 (${x}, ${y}) 超出经纬度范围`, `plan file "${fileName}" has coordinate (${x}, ${y}) outside lon/lat range`, { file: fileName });
      }
      const props: Record<string, unknown> = { kind: kindOf(it, name) };
      for (const [k, v] of Object.entries(it)) if (!['lon', 'lat', 'lng', 'coordinates', 'position', 'lonLat'].includes(k) || k === 'position' && typeof v === 'string') props[k] = v;
      props.lon = x;
      props.lat = y;
      items.push({ type: 'Feature', properties: props, geometry: { type: 'Point', coordinates: [x, y] } });
    }
  }
  out.features = items;
  return out;
}
