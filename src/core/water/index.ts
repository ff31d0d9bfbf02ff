/**
 * One index over a place's water areas (lakes, river areas, reservoirs, the sea): which water, if any, a point is in.
 * A flatbush index over the polygons' bounding boxes, then an exact point-in-polygon test (even-odd over all
 * rings, so holes such as islands are land). A point in the sea inside a named harbour area (kind 'harbour')
 * takes the harbour's name; a point in several water areas gets the smallest (the most specific) one.
 */
import Flatbush from 'flatbush';
import type { FeatureCollection, Position } from 'geojson';
import { plannerError, type PlannerError } from '../errors';
import type { LonLat } from '../types';

/** Area kinds that are water (a station cannot stand there). */
export const WATER_AREA_KINDS: ReadonlySet<string> = new Set(['water', 'riverbank', 'reservoir', 'sea']);

export interface WaterHit {
  kind: string;
  /** Local name ('' when unnamed). */
  name: string;
  nameEn: string;
}

interface Area { kind: string; name: string; nameEn: string; polys: Position[][][]; sizeDeg2: number }

export interface WaterIndex {
  readonly areas: readonly Area[];
  readonly harbours: readonly Area[];
  readonly index: Flatbush | null;
  readonly harbourIndex: Flatbush | null;
}

function polygonsOf(g: unknown): Position[][][] {
  const geom = g as { type?: string; coordinates?: unknown } | null;
  if (geom?.type === 'Polygon') return [geom.coordinates as Position[][]];
  if (geom?.type === 'MultiPolygon') return geom.coordinates as Position[][][];
  return [];
}

function ringArea(r: Position[]): number {
  let a = 0;
  for (let i = 0, j = r.length - 1; i < r.length; j = i++) a += (r[j][0] - r[i][0]) * (r[j][1] + r[i][1]);
  return Math.abs(a / 2);
}

function areasOf(fc: FeatureCollection | null | undefined, keep: (kind: string) => boolean): Area[] {
  const out: Area[] = [];
  for (const f of fc?.features ?? []) {
    const p = (f.properties ?? {}) as Record<string, unknown>;
    const kind = String(p.kind ?? 'water');
    if (!keep(kind)) continue;
    const polys = polygonsOf(f.geometry).filter((poly) => poly.length > 0 && poly[0].length >= 4);
    if (!polys.length) continue;
    const name = typeof p.name === 'string' ? p.name : '';
    const nameEn = typeof p.nameEn === 'string' ? p.nameEn : name;
    out.push({ kind, name, nameEn, polys, sizeDeg2: polys.reduce((s, poly) => s + ringArea(poly[0]), 0) });
  }
  return out;
}

function indexOf(areas: Area[]): Flatbush | null {
  if (!areas.length) return null;
  const idx = new Flatbush(areas.length);
  for (const a of areas) {
    let w = Infinity, s = Infinity, e = -Infinity, n = -Infinity;
    for (const poly of a.polys) for (const [x, y] of poly[0]) {
      if (x < w) w = x;
      if (x > e) e = x;
      if (y < s) s = y;
      if (y > n) n = y;
    }
    idx.add(w, s, e, n);
  }
  idx.finish();
  return idx;
}

/** Builds the index from a place's water FeatureCollection (lines are ignored: a point is never "in" a line). */
export function buildWaterIndex(fc: FeatureCollection | null | undefined): WaterIndex {
  const areas = areasOf(fc, (k) => WATER_AREA_KINDS.has(k));
  const harbours = areasOf(fc, (k) => k === 'harbour');
  return { areas, harbours, index: indexOf(areas), harbourIndex: indexOf(harbours) };
}

function inPolygon(p: LonLat, poly: Position[][]): boolean {
  let inside = false;
  for (const r of poly) {
    for (let i = 0, j = r.length - 1; i < r.length; j = i++) {
      const [xi, yi] = r[i], [xj, yj] = r[j];
      if (yi > p[1] !== yj > p[1] && p[0] < ((xj - xi) * (p[1] - yi)) / (yj - yi) + xi) inside = !inside;
    }
  }
  return inside;
}

function smallestHit(areas: readonly Area[], idx: Flatbush | null, p: LonLat): Area | null {
  if (!idx) return null;
  let best: Area | null = null;
  for (const i of idx.search(p[0], p[1], p[0], p[1])) {
    const a = areas[i];
    if ((!best || a.sizeDeg2 < best.sizeDeg2) && a.polys.some((poly) => inPolygon(p, poly))) best = a;
  }
  return best;
}

/** The water area a point is in (the harbour's name for the sea inside a harbour), or null on land. */
export function pointInWater(idx: WaterIndex, p: LonLat): WaterHit | null {
  const hit = smallestHit(idx.areas, idx.index, p);
  if (!hit) return null;
  if (hit.kind === 'sea') {
    const h = smallestHit(idx.harbours, idx.harbourIndex, p);
    if (h && h.name) return { kind: 'sea', name: h.name, nameEn: h.nameEn };
  }
  return { kind: hit.kind, name: hit.name, nameEn: hit.nameEn };
}

/** True when the index holds any water area (false: no water data, or none in the place). */
export const hasWaterAreas = (idx: WaterIndex): boolean => idx.areas.length > 0;

/** A predicate for the optimizer's candidate sites: true when a point is in water. */
export const waterExcluder = (idx: WaterIndex) => (p: LonLat): boolean => pointInWater(idx, p) !== null;

const KIND_ZH: Record<string, string> = { sea: '海域', water: '水体', riverbank: '河道', reservoir: '水库' };
const KIND_EN: Record<string, string> = { sea: 'the sea', water: 'a lake or pond', riverbank: 'a river', reservoir: 'a reservoir' };

/**
 * The refusal of a station site in water: 'site-in-water', naming the water
 * ("站点位于水域（Port Hercule de Monaco）内" / "The site is in water (Port Hercule de Monaco)").
 */
export function siteInWaterError(hit: WaterHit): PlannerError {
  const zh = hit.name || KIND_ZH[hit.kind] || '水域';
  const en = hit.nameEn || hit.name || KIND_EN[hit.kind] || 'water';
  return plannerError('site-in-water', `站点位于水域（${zh}）内，不能设站；未作任何修改`, `The site is in water (${en}); a station cannot stand there. Nothing was changed`);
}

/**
 * The refusal of several sites in water at once (suggestions added together): the same 'site-in-water' message,
 * listing each refused site with the water it is in ("建议 2（南海）"); says whether the others were added.
 */
export function sitesInWaterError(sites: { zh: string; en: string; hit: WaterHit }[], othersAdded: number): PlannerError {
  const zh = sites.map((s) => `${s.zh}（${s.hit.name || KIND_ZH[s.hit.kind] || '水域'}）`).join('、');
  const en = sites.map((s) => `${s.en} (${s.hit.nameEn || s.hit.name || KIND_EN[s.hit.kind] || 'water'})`).join(', ');
  return plannerError(
    'site-in-water',
    `站点位于水域内，不能设站，未加入：${zh}；${othersAdded ? `其余 ${othersAdded} 个已加入` : '未作任何修改'}`,
    `The site is in water; a station cannot stand there. Not added: ${en}. ${othersAdded === 1 ? 'The other one was added' : othersAdded ? `The other ${othersAdded} were added` : 'Nothing was changed'}`,
  );
}
