/**
 * Water of the current place for the editing checks: a station site in water (a lake, a river, the sea, a harbour
 * basin) is refused with a message naming the water, and the scenario stays as it was. The water index is built once
 * per water FeatureCollection (the place's built water.geojson, or an imported extract's water when it has one).
 */
import type { FeatureCollection } from 'geojson';
import { create } from 'zustand';
import type { LonLat } from '../core/types';
import { buildWaterIndex, pointInWater, siteInWaterError, waterExcluder, type WaterIndex } from '../core/water';
import { GAP_TEXT } from '../core/placeCard';
import { errorMsg, type MsgLike } from '../i18n/msg';
import { useStore, type PlannerState } from './index';

/** The last refused site (shown by the data card's notice until dismissed or the next edit succeeds). */
export const useWaterNotice = create<{ refusal: MsgLike | null }>(() => ({ refusal: null }));

const indexes = new WeakMap<FeatureCollection, WaterIndex>();

/** The water features used for the checks: an imported extract's water for its place, else the place's own. */
export function selectWater(s: Pick<PlannerState, 'placeData' | 'imported' | 'placeId'>): FeatureCollection | null {
  if (s.imported && s.imported.placeId === s.placeId && s.imported.water) return s.imported.water;
  return s.placeData.water ?? null;
}

/** The surface railways of the current place: an imported extract's for its place, else the place's own. */
export function selectRail(s: Pick<PlannerState, 'placeData' | 'imported' | 'placeId'>): FeatureCollection | null {
  if (s.imported && s.imported.placeId === s.placeId && s.imported.rail) return s.imported.rail;
  return s.placeData.rail ?? null;
}

/** The water index of a FeatureCollection (built once per object). */
export function waterIndexOf(fc: FeatureCollection | null): WaterIndex {
  const key = fc ?? EMPTY;
  let idx = indexes.get(key);
  if (!idx) {
    idx = buildWaterIndex(fc);
    indexes.set(key, idx);
  }
  return idx;
}
const EMPTY: FeatureCollection = { type: 'FeatureCollection', features: [] };

/** The predicate the optimizer's candidates take (`isExcluded`): true for a point in the current place's water. */
export const currentWaterExcluder = (): ((p: LonLat) => boolean) => waterExcluder(waterIndexOf(selectWater(useStore.getState())));

/**
 * True when a station may stand at `at`; otherwise records the refusal (site-in-water, naming the water) and
 * returns false, so the caller leaves the scenario unchanged.
 */
export function siteAllowed(at: LonLat): boolean {
  const hit = pointInWater(waterIndexOf(selectWater(useStore.getState())), at);
  if (!hit) {
    if (useWaterNotice.getState().refusal) useWaterNotice.setState({ refusal: null });
    return true;
  }
  useWaterNotice.setState({ refusal: errorMsg(siteInWaterError(hit)) });
  return false;
}

export const dismissWaterNotice = (): void => useWaterNotice.setState({ refusal: null });

/**
 * The layers the barrier check lacks in the current place, as a stable key ('water rail', 'water', 'rail' or ''):
 * an empty or absent layer (an imported extract's own layer when it has one) is missing data, not "no barrier".
 */
export function selectDataGapKey(s: Pick<PlannerState, 'placeData' | 'imported' | 'placeId'>): string {
  const water = selectWater(s);
  const rail = selectRail(s);
  const gaps: string[] = [];
  if (!water?.features.some((f) => f.properties?.kind !== 'harbour')) gaps.push('water');
  if (!rail?.features.length) gaps.push('rail');
  return gaps.join(' ');
}

/** The gap lines of a selectDataGapKey key in one language. */
export const dataGapLines = (key: string, lang: 'zh' | 'en'): string[] =>
  key ? key.split(' ').map((l) => GAP_TEXT[l as 'water' | 'rail'][lang]) : [];
