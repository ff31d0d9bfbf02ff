import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import type { Feature, FeatureCollection } from 'geojson';
import { beforeEach, describe, expect, it } from 'vitest';
import { initialState, useStore } from './index';
import { dragStation, endDrag, initScenario, nudgeStation, placeProposed, startPlacing } from './scenario';
import { currentWaterExcluder, useWaterNotice } from './water';

const root = resolve(__dirname, '../..');
const json = (p: string) => JSON.parse(readFileSync(resolve(root, p), 'utf8')) as FeatureCollection;
const fc = (features: Feature[]): FeatureCollection => ({ type: 'FeatureCollection', features });
// Monaco's built data: its real stations and water (the sea with Port Hercule)
const data = { facilities: json('public/data/monaco/facilities.geojson'), plan: fc([]), water: json('public/data/monaco/water.geojson') };
const S = () => useStore.getState();
const stations = () => S().scenario!.present.stations;
const HARBOUR: [number, number] = [7.425, 43.735];
const MONTE_CARLO: [number, number] = [7.428, 43.74];

beforeEach(async () => {
  useStore.setState({ ...initialState(), placeId: 'monaco', placeData: data, places: [] }, false);
  useWaterNotice.setState({ refusal: null });
  await initScenario('monaco', data);
});

describe('station sites in water are refused (Monaco, Port Hercule)', () => {
  it('adding a proposed station in the harbour adds nothing and says why, in both languages', () => {
    const before = S().scenario;
    startPlacing('一级');
    placeProposed(HARBOUR);
    expect(S().scenario).toBe(before); // the scenario (and its history) untouched
    expect(stations().filter((s) => s.status === 'proposed')).toHaveLength(0);
    const r = useWaterNotice.getState().refusal!;
    expect(r.code).toBe('site-in-water');
    expect(r.zh).toContain('站点位于水域（Port Hercule de Monaco）内');
    expect(r.en).toContain('The site is in water (Port Hercule de Monaco)');
    // on land it is added, and the notice goes away
    placeProposed(MONTE_CARLO);
    expect(stations().filter((s) => s.status === 'proposed')).toHaveLength(1);
    expect(useWaterNotice.getState().refusal).toBeNull();
  });

  it('dragging or nudging a station into the water leaves it where it was', () => {
    startPlacing('一级');
    placeProposed(MONTE_CARLO);
    const id = stations().find((s) => s.status === 'proposed')!.id;
    dragStation(id, [7.4281, 43.7401], 'd1');
    dragStation(id, HARBOUR, 'd1');
    endDrag();
    expect(stations().find((s) => s.id === id)).toMatchObject({ lon: 7.4281, lat: 43.7401 });
    expect(useWaterNotice.getState().refusal?.code).toBe('site-in-water');
    // 2 km east is the open sea
    nudgeStation(id, 2000, 0);
    expect(stations().find((s) => s.id === id)).toMatchObject({ lon: 7.4281, lat: 43.7401 });
  });

  it('the optimizer predicate excludes water points of the current place', () => {
    const excluded = currentWaterExcluder();
    expect(excluded(HARBOUR)).toBe(true);
    expect(excluded(MONTE_CARLO)).toBe(false);
  });
});
