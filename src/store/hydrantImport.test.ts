import { afterEach, describe, expect, it } from 'vitest';
import { createPlannerApi } from '../worker/api';
import { setPlannerClient, type PlannerClient } from '../data/planner';
import { placeGraph, placeGraphBytes } from '../../tests/support/place';
import { fromWgs84 } from '../core/hydrants/import';
import type { PlaceMeta } from '../core/types';
import { initialState, useStore, type HydrantInventory } from './index';
import { acceptHydrantImport, chooseHydrantFile, finishHydrantImport, openHydrantWizard, readHydrantRows, useHydrantWizard } from './hydrantImport';

// The wizard on 深圳南山 with the worker API in-process: a GCJ-02 test CSV from real road nodes plus two bad rows.
const g = placeGraph('nanshan');
const place = { id: 'nanshan', bbox: g.bbox, hasNetwork: true } as unknown as PlaceMeta;
const lines = ['名称,经度,纬度,类型,状态'];
for (let i = 0; i < 50; i++) {
  const n = Math.floor(((i + 0.5) * g.nodeCount) / 50);
  const [x, y] = fromWgs84(g.lon[n] / 1e7, g.lat[n] / 1e7, 'gcj02');
  lines.push(`测试栓${i},${x.toFixed(7)},${y.toFixed(7)},${i % 10 === 0 ? '取水点' : '地上式'},${i % 7 === 0 ? '损坏' : '正常'}`);
}
lines.push('远处,116.4,39.9,地上式,正常', '空,,,,');
const csv = new Blob([lines.join('\n')]);
const old: HydrantInventory = { placeId: 'nanshan', fileName: 'old.csv', crs: 'wgs84', importedAt: '2026-01-01T00:00:00.000Z', hydrants: [] };

async function setup() {
  const api = createPlannerApi();
  await api.loadGraph('nanshan', placeGraphBytes('nanshan'));
  setPlannerClient(api as unknown as PlannerClient);
  useStore.setState({ ...initialState(), places: [place], placeId: 'nanshan', hydrantInventory: old });
  openHydrantWizard();
}

describe('hydrant import wizard (store)', () => {
  afterEach(() => {
    setPlannerClient(null);
    useStore.setState(initialState());
    useHydrantWizard.setState({ open: false });
  });

  it('file → mapping → GCJ-02 suggested → result "50 imported, 2 rejected" → accept replaces the inventory', async () => {
    await setup();
    await chooseHydrantFile(csv, 'test-gcj02.csv');
    expect(useHydrantWizard.getState()).toMatchObject({ step: 'mapping', mapping: { name: 0, lon: 1, lat: 2, type: 3, status: 4 } });
    await readHydrantRows();
    const w = useHydrantWizard.getState();
    expect(w.step).toBe('crs');
    expect(w.reading).toEqual({ crs: 'gcj02', swapped: false });
    expect(w.suggestion?.zh).toMatch(/^按 GCJ-02 解读时中位偏离道路/);
    finishHydrantImport();
    const r = useHydrantWizard.getState().result!;
    expect([r.hydrants.length, r.allRejected.length]).toEqual([50, 2]);
    expect(r.allRejected.map((x) => [x.row, x.code])).toEqual([[52, 'outside-place'], [53, 'missing-coordinate']]);
    expect(r.hydrants.filter((h) => h.kind === 'water-intake').length).toBe(5);
    expect(r.hydrants.filter((h) => h.inService === false).length).toBe(8);
    expect(useStore.getState().hydrantInventory).toBe(old); // nothing replaced before accept
    await acceptHydrantImport(new Date('2026-12-05T00:00:00Z'));
    const inv = useStore.getState().hydrantInventory!;
    expect(inv).toMatchObject({ placeId: 'nanshan', fileName: 'test-gcj02.csv', crs: 'gcj02', importedAt: '2026-12-05T00:00:00.000Z' });
    expect(inv.hydrants.length).toBe(50);
    expect(useHydrantWizard.getState().open).toBe(false);
  });

  it('with the place boundary known, rows inside the box but outside the boundary are rejected as outside-place', async () => {
    await setup();
    // A boundary (for the test) west of the rows' median longitude: the eastern rows lie outside the place.
    const lons = Array.from({ length: 50 }, (_, i) => g.lon[Math.floor(((i + 0.5) * g.nodeCount) / 50)] / 1e7);
    const sorted = [...lons].sort((a, b) => a - b);
    const [w0, s0, , n0] = g.bbox, mid = (sorted[24] + sorted[25]) / 2;
    const ring = [[w0, s0], [mid, s0], [mid, n0], [w0, n0], [w0, s0]];
    useStore.setState({ placeData: { boundary: { type: 'FeatureCollection', features: [{ type: 'Feature', properties: {}, geometry: { type: 'Polygon', coordinates: [ring] } }] } } as never });
    await chooseHydrantFile(csv, 'test-gcj02.csv');
    await readHydrantRows();
    finishHydrantImport();
    const r = useHydrantWizard.getState().result!;
    const west = lons.map((lon) => lon < mid);
    expect(west.filter(Boolean).length).toBeGreaterThan(5);
    expect(west.filter((x) => !x).length).toBeGreaterThan(5);
    expect(r.hydrants.length).toBe(west.filter(Boolean).length);
    for (const h of r.hydrants) expect(h.lon).toBeLessThan(mid);
    const outside = r.allRejected.filter((x) => x.code === 'outside-place');
    expect(outside.map((x) => x.row)).toEqual([...west.flatMap((inW, i) => (inW ? [] : [i + 2])), 52]);
    expect(outside[0].en).toBe('outside this place: beyond its boundary');
    expect(outside.at(-1)!.en).toBe('outside this place: more than 2 km beyond its box');
  });

  it('a broken file shows its error and leaves the existing inventory untouched', async () => {
    await setup();
    await chooseHydrantFile(new Blob(['<kml><Placemark>']), 'broken.kml');
    const w = useHydrantWizard.getState();
    expect(w.step).toBe('file');
    expect(w.error).toMatchObject({ code: 'bad-kml' });
    await chooseHydrantFile(new Blob(['经度,纬度\nx,y\n']), 'junk.csv');
    await readHydrantRows();
    expect(useHydrantWizard.getState().error).toMatchObject({ code: 'no-valid-rows' });
    expect(useStore.getState().hydrantInventory).toBe(old);
  });
});
