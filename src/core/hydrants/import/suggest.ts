/**
 * The CRS suggestion (issue #13): for each reading (WGS84, GCJ-02, BD-09, each also with the columns swapped) the
 * median distance from the points to the nearest road, and the share of points inside the place. The reading that
 * fits the roads best is proposed with its numbers. Without roads (the straight-line estimate mode) only the share
 * inside the place can be used: it tells swapped columns apart but not the CRS (they differ by a few hundred
 * metres), so that suggestion is marked weak.
 */
import { CRS_LABEL, HYDRANT_CRSES, nearPlace, toWgs84, type CrsReading, type PlaceArea } from './crs';

export interface ReadingFit extends CrsReading {
  /** Median metres to the nearest road of the sampled points (null without roads). */
  medianRoadM: number | null;
  /** Share of the sampled points inside the place (its boundary when known, else its box + 2 km). */
  insideShare: number;
}

export interface CrsSuggestion {
  best: CrsReading;
  /** Every reading's figures, best first. */
  fits: ReadingFit[];
  basis: 'roads' | 'boundary';
  /** The data does not single out one reading clearly (or no roads): the user should check. */
  weak: boolean;
  sampled: number;
  zh: string;
  en: string;
}

/** Most points measured per reading (evenly spread over the list). */
export const SUGGEST_SAMPLE = 2000;
/** A road fit is clear when the best median is at most this many metres… */
const CLEAR_FIT_M = 30;
/** …and every other reading's median at least this many times the best. */
const CLEAR_RATIO = 3;

function median(v: number[]): number {
  const s = [...v].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

const label = (r: CrsReading, lang: 'zh' | 'en') => `${CRS_LABEL[r.crs]}${r.swapped ? (lang === 'zh' ? '（经纬度对调）' : ' (lat/lon swapped)') : ''}`;
const pct = (x: number) => `${Math.round(x * 100)}%`;

/** An even sample of at most `n` items (deterministic). */
export function evenSample<T>(items: readonly T[], n = SUGGEST_SAMPLE): T[] {
  if (items.length <= n) return [...items];
  return Array.from({ length: n }, (_, i) => items[Math.floor((i * items.length) / n)]);
}

/**
 * Suggests the reading of points given as (x, y) as read. `nearestRoadM(lon, lat)` (WGS84) gives the distance to
 * the nearest road; null when the place has no road network. Null when there is no point.
 */
export function suggestCrs(points: readonly { x: number; y: number }[], area: PlaceArea, nearestRoadM: ((lon: number, lat: number) => number) | null): CrsSuggestion | null {
  const sample = evenSample(points);
  if (!sample.length) return null;
  const inside = (lon: number, lat: number) => (area.inside ? area.inside(lon, lat) : nearPlace(area, lon, lat));
  const fits: ReadingFit[] = [];
  for (const swapped of [false, true]) {
    for (const crs of HYDRANT_CRSES) {
      const r = { crs, swapped };
      const ll = sample.map((p) => toWgs84(p.x, p.y, r));
      const insideShare = ll.filter(([lon, lat]) => inside(lon, lat)).length / ll.length;
      // A reading that puts no point near the place is not measured against the roads (the search would span the map).
      const near = ll.filter(([lon, lat]) => nearPlace(area, lon, lat));
      const medianRoadM = nearestRoadM && near.length * 2 >= ll.length ? median(ll.map(([lon, lat]) => nearestRoadM(lon, lat))) : null;
      fits.push({ crs, swapped, medianRoadM, insideShare });
    }
  }
  const byRoad = nearestRoadM !== null && fits.some((f) => f.medianRoadM !== null);
  // Roads: lowest median (unmeasured last); boundary: highest inside share, WGS84 first among equals (stable sort).
  fits.sort(byRoad ? (a, b) => (a.medianRoadM ?? Infinity) - (b.medianRoadM ?? Infinity) : (a, b) => b.insideShare - a.insideShare);
  const best = fits[0];
  const others = fits.filter((f) => f.swapped === best.swapped && f !== best);
  const weak = !byRoad || best.medianRoadM! > CLEAR_FIT_M || others.some((f) => f.medianRoadM !== null && f.medianRoadM < CLEAR_RATIO * Math.max(best.medianRoadM!, 1));
  const shown = fits.filter((f) => f.swapped === best.swapped);
  let zh: string, en: string;
  if (byRoad) {
    const m = (f: ReadingFit) => (f.medianRoadM === null ? null : `${Math.round(f.medianRoadM)} m`);
    const rest = shown.slice(1).map((f) => [label(f, 'zh'), label(f, 'en'), m(f) ?? '—'] as const);
    zh = `按 ${label(best, 'zh')} 解读时中位偏离道路 ${m(best)}${rest.map(([z, , v]) => `，按 ${z} 为 ${v}`).join('')}`;
    en = `read as ${label(best, 'en')} the median distance to the nearest road is ${m(best)}${rest.map(([, e, v]) => `; as ${e}: ${v}`).join('')}`;
  } else {
    zh = `无路网，仅按落在本地区内的比例判断：${shown.map((f) => `${label(f, 'zh')} ${pct(f.insideShare)}`).join('，')}；各坐标系仅相差数百米，无法区分，建议较弱`;
    en = `no road network, judged only by the share inside the place: ${shown.map((f) => `${label(f, 'en')} ${pct(f.insideShare)}`).join(', ')}; the systems differ by only a few hundred metres, so this suggestion is weak`;
  }
  if (best.swapped) {
    zh += '。经纬度两列疑似颠倒';
    en += '. The latitude and longitude columns look swapped';
  }
  return { best: { crs: best.crs, swapped: best.swapped }, fits, basis: byRoad ? 'roads' : 'boundary', weak, sampled: sample.length, zh, en };
}
