/** Derived values: memoised on the identity of their inputs so components re-render only on change. */
import type { Feature, FeatureCollection, Point } from 'geojson';
import type { PlaceMeta, Station } from '../core/types';
import type { PlannerState } from './index';
import type { Scenario } from '../core/scenario';
import { scenarioFeatures } from './scenario';
import { stationsInYear } from '../core/timeline';

function memo<A extends unknown[], R>(fn: (...a: A) => R): (...a: A) => R {
  let last: A | undefined;
  let value: R;
  return (...a: A) => {
    if (!last || last.length !== a.length || a.some((x, i) => x !== last![i])) {
      value = fn(...a);
      last = a;
    }
    return value;
  };
}

export const selectPlace = (s: PlannerState): PlaceMeta | undefined => s.places.find((p) => p.id === s.placeId);

export const selectNetworkReady = (s: PlannerState): boolean =>
  !!s.network && s.network.placeId === s.placeId && s.network.status === 'ready';

type PointFC = FeatureCollection<Point, Record<string, unknown>>;

function pointsOf(fc: FeatureCollection | undefined): Feature<Point, Record<string, unknown>>[] {
  if (!fc) return [];
  return fc.features.filter((f): f is Feature<Point, Record<string, unknown>> => f.geometry?.type === 'Point' && !!f.properties);
}

/**
 * All facility points of the current place, with `kind`: stations from the planner's scenario when there is one
 * (else from the place data), hydrants / intakes from the place data, and whatever an imported extract holds.
 */
const facilityFeatures = memo((scenario: Scenario | undefined, facilities?: FeatureCollection, plan?: FeatureCollection, imported?: FeatureCollection): PointFC => {
  const out: Feature<Point, Record<string, unknown>>[] = [];
  const seen = new Set<string>();
  const add = (f: Feature<Point, Record<string, unknown>>, fallbackId: string) => {
    const p = { ...f.properties };
    let id = typeof p.id === 'string' || typeof p.id === 'number' ? String(p.id) : fallbackId;
    while (seen.has(id)) id += '+';
    seen.add(id);
    p.id = id;
    if (!p.kind) p.kind = 'stationClass' in p ? 'station' : 'hydrant';
    const [lon, lat] = f.geometry.coordinates;
    p.lon = lon;
    p.lat = lat;
    out.push({ type: 'Feature', id: out.length, geometry: f.geometry, properties: p });
  };
  const fromData = (fc: FeatureCollection | undefined) => pointsOf(fc).filter((f) => !scenario || f.properties.kind !== 'station');
  if (scenario) (scenarioFeatures(scenario) as Feature<Point, Record<string, unknown>>[]).forEach((f, i) => add(f, `s${i}`));
  fromData(facilities).forEach((f, i) => add(f, `f${i}`));
  fromData(plan).forEach((f, i) => add(f, `p${i}`));
  pointsOf(imported).forEach((f, i) => add(f, `osm${i}`));
  return { type: 'FeatureCollection', features: out };
});

export const selectScenario = (s: PlannerState): Scenario | undefined =>
  s.scenario && s.scenario.present.placeId === s.placeId ? s.scenario.present : undefined;

/**
 * The scenario as it stands in the timeline year: planned stations not yet in service (phase > year, or no phase)
 * count as switched off; existing and user-proposed stations stay. Without a year: the scenario itself.
 */
const inYear = memo((scn: Scenario | undefined, year: number | null): Scenario | undefined => {
  if (!scn || year === null) return scn;
  const keep = new Set(stationsInYear(scn.stations, year, { includeProposed: true }).map((st) => st.id));
  return { ...scn, removedIds: [...scn.removedIds, ...scn.stations.filter((st) => !keep.has(st.id)).map((st) => st.id)] };
});
export const selectShownScenario = (s: PlannerState): Scenario | undefined => inYear(selectScenario(s), s.year);

export const selectFacilities = (s: PlannerState): PointFC =>
  facilityFeatures(selectShownScenario(s), s.placeData.facilities, s.placeData.plan, s.imported && s.imported.placeId === s.placeId ? s.imported.facilities : undefined);

const stationsOf = memo((fc: PointFC): Station[] =>
  fc.features.filter((f) => f.properties.kind === 'station').map((f) => f.properties as unknown as Station),
);

export const selectStations = (s: PlannerState): Station[] => stationsOf(selectFacilities(s));

/**
 * Stations used as routing origins: the ones drawn on the map — existing ones while the existing-stations
 * layer is on, planned/proposed ones while the planned layer is on (so a planner can compare today and plan).
 */
const routingOf = memo((stations: Station[], existing: boolean, planned: boolean): Station[] =>
  stations.filter((st) => (st.status === 'existing' ? existing : planned)),
);
export const selectRoutingStations = (s: PlannerState): Station[] => routingOf(selectStations(s), s.layers.stations, s.layers.plan);

export const selectRoads = (s: PlannerState): FeatureCollection | undefined =>
  s.imported && s.imported.placeId === s.placeId ? s.imported.roads : s.placeData.roads;
