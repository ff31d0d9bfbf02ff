import { describe, expect, it } from 'vitest';
import type { Feature, FeatureCollection } from 'geojson';
import { addStation, createHistory, createScenario, deleteStation, moveStation } from '../core/scenario';
import type { Station } from '../core/types';
import { initialState, type PlannerState } from './index';
import { selectFacilities, selectRoutingStations, selectStations } from './selectors';
import { districtModes, planningArea } from './compliance';

const st = (id: string, status: Station['status'], lon: number): Feature => ({
  type: 'Feature', geometry: { type: 'Point', coordinates: [lon, 22] },
  properties: { kind: 'station', id, name: id, stationClass: '一级', status, position: 'approximate', source: 'plan' },
});
const fc = (features: Feature[]): FeatureCollection => ({ type: 'FeatureCollection', features });
const hydrant: Feature = { type: 'Feature', geometry: { type: 'Point', coordinates: [113, 22] }, properties: { kind: 'hydrant', id: 'h1', status: 'existing', position: 'from-data', source: 'osm' } };

function state(extra: Partial<PlannerState> = {}): PlannerState {
  return { ...initialState(), placeId: 'p', placeData: { facilities: fc([st('e1', 'existing', 112), hydrant]), plan: fc([st('p1', 'planned', 112.1)]) }, ...extra };
}

describe('facility selectors with a scenario', () => {
  it('without a scenario, stations come from the place data', () => {
    expect(selectStations(state()).map((s) => s.id)).toEqual(['e1', 'p1']);
  });

  it('with a scenario, moved / added / switched-off stations replace the data; hydrants stay', () => {
    const base = createScenario({ name: 'A', placeId: 'p', stations: selectStations(state()) });
    let s = moveStation(base, 'p1', 112.2, 22.05);
    s = addStation(s, { lon: 112.3, lat: 22.1, id: 'u1' });
    s = deleteStation(s, 'e1'); // existing: switched off, not deleted
    const st2 = state({ scenario: createHistory(s) });
    const stations = selectStations(st2);
    expect(stations.map((x) => x.id)).toEqual(['p1', 'u1']);
    expect(stations[0]).toMatchObject({ lon: 112.2, lat: 22.05, position: 'user' });
    expect(stations[1]).toMatchObject({ status: 'proposed', position: 'user' });
    expect(selectFacilities(st2).features.filter((f) => f.properties.kind === 'hydrant')).toHaveLength(1);
  });

  it('routing origins follow the existing / planned layer toggles', () => {
    const s = state();
    expect(selectRoutingStations({ ...s, layers: { ...s.layers, plan: false } }).map((x) => x.id)).toEqual(['e1']);
    expect(selectRoutingStations({ ...s, layers: { ...s.layers, stations: false } }).map((x) => x.id)).toEqual(['p1']);
  });

  it('a scenario of another place is ignored', () => {
    const other = createScenario({ name: 'B', placeId: 'q', stations: [] });
    expect(selectStations(state({ scenario: createHistory(other) })).map((x) => x.id)).toEqual(['e1', 'p1']);
  });
});

describe('compliance inputs', () => {
  it('joins every boundary polygon into one planning area', () => {
    const sq = (x: number) => [[[x, 0], [x + 1, 0], [x + 1, 1], [x, 1], [x, 0]]];
    const area = planningArea(fc([
      { type: 'Feature', geometry: { type: 'Polygon', coordinates: sq(0) }, properties: {} },
      { type: 'Feature', geometry: { type: 'MultiPolygon', coordinates: [sq(2), sq(4)] }, properties: {} },
    ]));
    expect(area?.type).toBe('MultiPolygon');
    expect(area?.coordinates).toHaveLength(3);
    expect(planningArea(fc([]))).toBeNull();
  });

  it('offers given districts only when every polygon names its station', () => {
    const poly = (props: Record<string, unknown>): Feature => ({ type: 'Feature', geometry: { type: 'Polygon', coordinates: [[[0, 0], [1, 0], [1, 1], [0, 0]]] }, properties: props });
    const s = state();
    expect(districtModes({ ...s, placeData: { ...s.placeData, districts: fc([poly({ stationId: 'e1' }), poly({ stationId: 'p1' })]) } })).toEqual(['given', 'auto']);
    expect(districtModes({ ...s, placeData: { ...s.placeData, districts: fc([poly({ name: 'A' }), poly({ name: 'B' })]) } })).toEqual(['auto', 'towns']);
    expect(districtModes({ ...s, placeData: { ...s.placeData, districts: fc([poly({ name: 'A' })]) } })).toEqual(['auto']);
  });
});
