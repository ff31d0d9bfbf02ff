/**
 * What each half of the swipe view draws: scenario A on the left, B on the right — its active stations and its
 * compliance districts, over the place's boundary, districts, water and roads (the same for both halves).
 */
import type { Feature, FeatureCollection } from 'geojson';
import type { PlannerState } from '../../store';
import { scenarioById, scenarioFeatures } from '../../store/scenario';
import { selectRoads } from '../../store/selectors';
import type { Scenario } from '../../core/scenario';
import { facilityLabels } from '../../map/sources';

export type SwipeSide = 'A' | 'B';

const EMPTY: FeatureCollection = { type: 'FeatureCollection', features: [] };

/** Stations as labelled map features, memoised per side (the same collection while the scenario is unchanged). */
const last: Record<SwipeSide, [Scenario | undefined, FeatureCollection]> = { A: [undefined, EMPTY], B: [undefined, EMPTY] };
function stations(side: SwipeSide, sc: Scenario | undefined): FeatureCollection {
  if (sc === last[side][0]) return last[side][1];
  const features: Feature[] = sc ? scenarioFeatures(sc).map((f) => ({ ...f, properties: { ...f.properties, ...facilityLabels(f.properties ?? {}) } })) : [];
  last[side] = [sc, { type: 'FeatureCollection', features }];
  return last[side][1];
}

/** The scenario a half shows. */
export function swipeScenario(s: PlannerState, side: SwipeSide): Scenario | undefined {
  return scenarioById(s, side === 'A' ? s.compareScn.aId : s.compareScn.bId);
}

/** The sources one half draws (a subset of the main map's), by source id. */
export function swipeSources(s: PlannerState, side: SwipeSide): Record<string, FeatureCollection> {
  const slot = side === 'A' ? s.compareScn.a : s.compareScn.b;
  return {
    boundary: s.placeData.boundary ?? EMPTY,
    districts: s.placeData.districts ?? EMPTY,
    water: s.placeData.water ?? EMPTY,
    roads: selectRoads(s) ?? EMPTY,
    facilities: stations(side, swipeScenario(s, side)),
    'cmp-districts': (slot?.report?.districts as FeatureCollection | undefined) ?? EMPTY,
  };
}
