import { describe, expect, it } from 'vitest';
import type { Feature, FeatureCollection } from 'geojson';
import { initialState, PUBLISHED_ID, type PlannerState } from '../../store';
import { publishedScenario } from '../../store/scenario';
import { addStation, createScenario, deleteStation } from '../../core/scenario';
import { swipeSources } from './swipeSources';

const st = (id: string, status: 'existing' | 'planned', lon: number): Feature => ({
  type: 'Feature', geometry: { type: 'Point', coordinates: [lon, 22] },
  properties: { kind: 'station', id, name: id, stationClass: '一级', status, position: 'approximate', source: 'test' },
});
const fc = (features: Feature[]): FeatureCollection => ({ type: 'FeatureCollection', features });
const data = { facilities: fc([st('e1', 'existing', 112)]), plan: fc([st('p1', 'planned', 112.1), st('p2', 'planned', 112.2)]) };
const ids = (x: FeatureCollection) => x.features.map((f) => f.properties?.id).sort();

describe('swipe view halves (issue 14: both halves showed B)', () => {
  const pub = publishedScenario('p', data);
  let b = createScenario({ id: 'scn-b', name: '方案 B', placeId: 'p', stations: pub.stations, now: '2026-01-01T00:00:00.000Z' });
  b = addStation(b, { id: 'u1', name: '新站', lon: 112.3, lat: 22 }, '2026-01-02T00:00:00.000Z');
  b = deleteStation(b, 'p2', '2026-01-02T00:00:00.000Z'); // switched off: not drawn
  const aReport = { districts: fc([{ type: 'Feature', geometry: { type: 'Polygon', coordinates: [[[112, 22], [112.1, 22], [112.1, 22.1], [112, 22]]] }, properties: { verdict: 'fail' } }]) };
  const state = {
    ...initialState(), placeId: 'p', placeData: data, scenarios: [b], activeScenarioId: PUBLISHED_ID,
    compareScn: { aId: PUBLISHED_ID, bId: 'scn-b', showOnMap: true, mapSide: 'swipe', split: 50, a: { report: aReport }, b: { report: undefined } },
  } as unknown as PlannerState;

  it('the left half draws A\'s stations and districts, the right half B\'s', () => {
    const left = swipeSources(state, 'A');
    const right = swipeSources(state, 'B');
    expect(ids(left.facilities)).toEqual(['e1', 'p1', 'p2']);
    expect(ids(right.facilities)).toEqual(['e1', 'p1', 'u1']);
    expect(left['cmp-districts'].features).toHaveLength(1);
    expect(right['cmp-districts'].features).toHaveLength(0);
    // the place's layers are the same on both sides
    expect(left.boundary).toBe(right.boundary);
  });

  it('a half follows a change of its scenario choice', () => {
    const swapped = { ...state, compareScn: { ...state.compareScn, aId: 'scn-b', bId: PUBLISHED_ID } } as PlannerState;
    expect(ids(swipeSources(swapped, 'A').facilities)).toEqual(['e1', 'p1', 'u1']);
    expect(ids(swipeSources(swapped, 'B').facilities)).toEqual(['e1', 'p1', 'p2']);
  });
});
