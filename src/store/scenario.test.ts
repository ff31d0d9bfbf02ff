import { beforeEach, describe, expect, it } from 'vitest';
import type { Feature, FeatureCollection } from 'geojson';
import { scenarioToGeoJSON } from '../core/scenario';
import { metresPerDegree } from '../core/geo';
import { initialState, PUBLISHED_ID, useStore } from './index';
import {
  deleteScenario, dragStation, duplicateActive, nudgeStation, endDrag, newScenario, placeProposed, publishedScenario, redoScenario,
  removeStation, renameActive, startPlacing, switchScenario, undoScenario, initScenario,
} from './scenario';
import { importScenarioFile, resolveImport } from './scenarioFiles';
import { selectRoutingStations, selectStations } from './selectors';
import { checkedStations } from './scenarioAnalysis';

const st = (id: string, status: 'existing' | 'planned', lon: number, phase?: number): Feature => ({
  type: 'Feature', geometry: { type: 'Point', coordinates: [lon, 22] },
  properties: { kind: 'station', id, name: id, stationClass: '一级', status, position: 'approximate', source: 'test', ...(phase ? { phase } : {}) },
});
const fc = (features: Feature[]): FeatureCollection => ({ type: 'FeatureCollection', features });
const data = { facilities: fc([st('e1', 'existing', 112)]), plan: fc([st('p1', 'planned', 112.1, 2022), st('p2', 'planned', 112.2, 2025)]) };
const S = () => useStore.getState();
const present = () => S().scenario!.present;
const proposedIds = () => present().stations.filter((x) => x.status === 'proposed').map((x) => x.id);

beforeEach(async () => {
  useStore.setState({ ...initialState(), placeId: 'p', placeData: data, places: [] }, false);
  await initScenario('p', data); // no IndexedDB in the test: nothing stored, the published plan opens
});

describe('scenario store', () => {
  it('opens the plan as published; the first edit starts a new scenario and leaves the published plan alone', () => {
    expect(S().activeScenarioId).toBe(PUBLISHED_ID);
    expect(present().stations.map((x) => x.id)).toEqual(['e1', 'p1', 'p2']);
    startPlacing('二级');
    placeProposed([112.3, 22.1]);
    expect(S().activeScenarioId).not.toBe(PUBLISHED_ID);
    expect(S().scenarios.map((x) => x.name)).toEqual(['方案 1']);
    const added = present().stations.find((x) => x.status === 'proposed')!;
    expect(added).toMatchObject({ stationClass: '二级', lon: 112.3, lat: 22.1 });
    expect(S().placing).toBeNull();
    expect(S().selection).toMatchObject({ kind: 'station', props: { id: added.id } });
    expect(publishedScenario('p', data).stations).toHaveLength(3);
    switchScenario(PUBLISHED_ID);
    expect(proposedIds()).toEqual([]);
    switchScenario(S().scenarios[0].id);
    expect(proposedIds()).toEqual([added.id]);
  });

  it('a scenario records the settings it was made under (peak, standard, district mode)', () => {
    useStore.setState({ peak: true, compliance: { ...S().compliance, standardId: 'nfpa1710' } });
    newScenario();
    expect(present().settings).toEqual({ standardId: 'nfpa1710', peak: true, districtsMode: 'auto' });
    useStore.setState({ peak: false });
    startPlacing('一级');
    duplicateActive();
    expect(present().settings.peak).toBe(false);
  });

  it('a drag is one undo step; undo / redo walk add and drag back and forth', () => {
    startPlacing('一级');
    placeProposed([112.3, 22.1]);
    const id = proposedIds()[0];
    for (let i = 1; i <= 20; i++) dragStation(id, [112.3 + i * 0.001, 22.1], 'drag-1');
    endDrag();
    expect(S().scenario!.past).toHaveLength(2);
    expect(present().stations.find((x) => x.id === id)!.lon).toBeCloseTo(112.32, 10);
    undoScenario();
    expect(present().stations.find((x) => x.id === id)!.lon).toBe(112.3);
    undoScenario();
    expect(proposedIds()).toEqual([]);
    redoScenario();
    redoScenario();
    expect(present().stations.find((x) => x.id === id)!.lon).toBeCloseTo(112.32, 10);
    // a planned station dragged then deleted is switched off, not lost
    removeStation('p1');
    expect(present().removedIds).toEqual(['p1']);
    expect(selectStations(S()).map((x) => x.id)).toEqual(['e1', 'p2', id]);
  });

  it('keyboard nudges move by metres and count as one undo step per series', () => {
    startPlacing('一级');
    placeProposed([112.3, 22.1]);
    const id = proposedIds()[0];
    for (let i = 0; i < 5; i++) nudgeStation(id, 0, 20);
    nudgeStation(id, 100, 0);
    const moved = present().stations.find((x) => x.id === id)!;
    const { my } = metresPerDegree(22.1);
    expect((moved.lat - 22.1) * my).toBeCloseTo(100, 6);
    expect((moved.lon - 112.3) * metresPerDegree(22.1 + 100 / my).mx).toBeCloseTo(100, 6);
    expect(S().scenario!.past).toHaveLength(2); // add + one nudge series
    nudgeStation('e1', 0, 20); // existing stations do not move
    expect(present().stations.find((x) => x.id === 'e1')!.lat).toBe(22);
  });

  it('keeps at least 100 undo steps', () => {
    startPlacing('一级');
    placeProposed([112.3, 22.1]);
    const id = proposedIds()[0];
    for (let i = 1; i <= 130; i++) {
      dragStation(id, [112.3 + i * 0.0001, 22.1], `d${i}`);
      endDrag();
    }
    let n = 0;
    while (S().scenario!.past.length) {
      undoScenario();
      n++;
    }
    expect(n).toBeGreaterThanOrEqual(100);
  });

  it('the timeline year hides planned stations not yet built (existing and proposed stay)', () => {
    startPlacing('小型');
    placeProposed([112.3, 22.1]);
    const id = proposedIds()[0];
    S().set({ year: 2021 });
    expect(selectStations(S()).map((x) => x.id)).toEqual(['e1', id]);
    S().set({ year: 2022 });
    expect(selectStations(S()).map((x) => x.id)).toEqual(['e1', 'p1', id]);
    S().set({ year: null });
    expect(selectStations(S()).map((x) => x.id)).toEqual(['e1', 'p1', 'p2', id]);
  });

  it('side reports (baseline, compare) check the same stations as the live check: year and layer toggles', () => {
    startPlacing('小型');
    placeProposed([112.3, 22.1]);
    removeStation('p1');
    for (const year of [null, 2021, 2025])
      for (const [stations, plan] of [[true, true], [false, true], [true, false]]) {
        S().set({ year, layers: { ...S().layers, stations, plan } });
        expect(checkedStations(S(), present()).map((x) => x.id)).toEqual(selectRoutingStations(S()).map((x) => x.id));
      }
    S().set({ year: 2025, layers: { ...S().layers, stations: true, plan: true } });
    expect(checkedStations(S(), publishedScenario('p', data)).map((x) => x.id)).toEqual(['e1', 'p1', 'p2']);
  });

  it('new, duplicate, rename (unique names), delete', () => {
    newScenario();
    duplicateActive();
    expect(S().scenarios.map((x) => x.name)).toEqual(['方案 1', '方案 1 (副本)']);
    expect(renameActive('方案 1')).toBe('taken');
    expect(renameActive('  ')).toBe('invalid');
    expect(renameActive('北片加密')).toBe('ok');
    expect(present().name).toBe('北片加密');
    const id = S().activeScenarioId;
    deleteScenario(id);
    expect(S().scenarios.map((x) => x.name)).toEqual(['方案 1']);
    expect(S().activeScenarioId).toBe(PUBLISHED_ID);
  });

  it('importing a scenario with a stored id asks; keep both adds a copy, replace is undoable, cancel changes nothing', async () => {
    startPlacing('一级');
    placeProposed([112.3, 22.1]);
    const mine = present();
    const file = () => new File([JSON.stringify(scenarioToGeoJSON(mine))], 'mine.planner.geojson');
    await importScenarioFile(file());
    expect(S().scenarioIo.status).toBe('ask');
    expect(S().scenarioIo.pending!.conflictWith.id).toBe(mine.id);
    expect(S().scenarios).toHaveLength(1);
    resolveImport('cancel');
    expect(S().scenarios).toHaveLength(1);
    await importScenarioFile(file());
    resolveImport('keep');
    expect(S().scenarios.map((x) => x.name)).toEqual(['方案 1', '方案 1 (2)']);
    expect(S().scenarios[1].id).not.toBe(mine.id);
    const pick = (x: { id: string; lon: number; lat: number; stationClass: string; status: string }) => [x.id, x.lon, x.lat, x.stationClass, x.status];
    expect(S().scenarios[1].stations.map(pick)).toEqual(mine.stations.map(pick));
    // replace: the file's version (without the proposed station) replaces the stored one; undo brings it back
    const older = { ...mine, stations: mine.stations.filter((x) => x.status !== 'proposed') };
    await importScenarioFile(new File([JSON.stringify(scenarioToGeoJSON(older))], 'older.geojson'));
    resolveImport('replace');
    expect(S().activeScenarioId).toBe(mine.id);
    expect(proposedIds()).toEqual([]);
    undoScenario();
    expect(proposedIds()).toHaveLength(1);
  });

  it('rejects a scenario of another place and a broken file, in both languages', async () => {
    const other = { ...publishedScenario('p', data), id: 'x', placeId: 'elsewhere' };
    await importScenarioFile(new File([JSON.stringify(scenarioToGeoJSON(other))], 'other.geojson'));
    expect(S().scenarioIo.status).toBe('error');
    expect(S().scenarioIo.messages![0].zh).toContain('不是当前地区');
    expect(S().scenarioIo.messages![0].en).toContain('not of this place');
    await importScenarioFile(new File(['{"type":'], 'broken.geojson'));
    expect(S().scenarioIo.status).toBe('error');
    expect(S().scenarioIo.messages![0].en).toMatch(/broken\.geojson/);
    expect(S().scenarios).toHaveLength(0);
  });
});
