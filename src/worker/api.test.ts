import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { createPlannerApi, defaultProfile } from './api';
import { placeGraphBytes, placeJson, readJson } from '../../tests/support/place';
import type { FeatureCollection, LineString } from 'geojson';
import type { AreaGeometry, Station } from '../core/types';
import type { EvaluateRequest, SpeedProfile } from './protocol';

const root = resolve(__dirname, '../..');
const andorra = () => {
  const b = readFileSync(resolve(root, 'geodata/raw/andorra_graphhopper-testdata_2013.osm.pbf'));
  return b.buffer.slice(b.byteOffset, b.byteOffset + b.byteLength) as ArrayBuffer;
};
const bboxOf = (id: string) => JSON.parse(readFileSync(resolve(root, `public/data/${id}/place.json`), 'utf8')).bbox as [number, number, number, number];

describe('worker importOsm with the place bbox', () => {
  it('refuses an extract with no road in the place and keeps the graph it had', async () => {
    const api = createPlannerApi();
    const g = readFileSync(resolve(root, 'public/data/monaco/graph.bin'));
    await api.loadGraph('yangdong', g.buffer.slice(g.byteOffset, g.byteOffset + g.byteLength) as ArrayBuffer);
    const before = await api.snap('yangdong', [7.42, 43.73]);
    await expect(api.importOsm('yangdong', andorra(), 'andorra.osm.pbf', undefined, bboxOf('yangdong'))).rejects.toMatchObject({
      code: 'no-overlap', zh: expect.stringContaining('andorra.osm.pbf'), en: expect.stringContaining('wrong file'),
    });
    expect(await api.snap('yangdong', [7.42, 43.73])).toEqual(before); // still the graph loaded before
    expect(before.distanceM).toBeLessThan(300);
  });

  it('cuts an extract to the place bbox plus 2 km', async () => {
    const api = createPlannerApi();
    const full = await api.importOsm('andorra', andorra(), 'andorra.osm.pbf');
    const [a, b, c, d] = bboxOf('andorra');
    const mid: [number, number, number, number] = [(a + c) / 2 - 0.02, (b + d) / 2 - 0.02, (a + c) / 2 + 0.02, (b + d) / 2 + 0.02];
    const cut = await api.importOsm('andorra', andorra(), 'andorra.osm.pbf', undefined, mid);
    expect(cut.info.nodeCount).toBeGreaterThan(0);
    expect(cut.info.nodeCount).toBeLessThan(full.info.nodeCount);
    const margin = 0.03; // 2 km ≈ 0.018° lat / 0.025° lon here, plus the clipped ways' first outside node
    expect(cut.info.bbox[0]).toBeGreaterThan(mid[0] - margin);
    expect(cut.info.bbox[3]).toBeLessThan(mid[3] + margin);
  });
});

describe('worker profile, network version and the evaluator key', () => {
  const boundary = placeJson('nanshan', 'boundary.geojson') as FeatureCollection;
  const plan = placeJson('nanshan', 'plan.geojson') as FeatureCollection;
  const req: EvaluateRequest = {
    placeId: 'nanshan', standard: readJson('geodata/standards/jianbiao152-2017.json'), planningArea: boundary.features[0].geometry as AreaGeometry,
    stations: plan.features.filter((f) => f.properties?.kind === 'station').map((f) => f.properties as Station),
    districts: { mode: 'auto' }, options: { coverage: false },
  };
  const halved = (): SpeedProfile => {
    const p = defaultProfile();
    return { ...p, speedsKmh: Object.fromEntries(Object.entries(p.speedsKmh).map(([k, v]) => [k, { ...v, value: v.value / 2 }])) as SpeedProfile['speedsKmh'] };
  };

  it('names every graph load with a new version', async () => {
    const api = createPlannerApi();
    const a = await api.loadGraph('nanshan', placeGraphBytes('nanshan'));
    const b = await api.loadGraph('nanshan', placeGraphBytes('nanshan'));
    expect(a.version).not.toBe(b.version);
    expect(a.nodeCount).toBe(b.nodeCount);
  });

  it('re-evaluates with the new profile: at half the speeds every worst edge time grows; back to the first report after', async () => {
    const api = createPlannerApi();
    await api.loadGraph('nanshan', placeGraphBytes('nanshan'));
    const before = await api.evaluate(req);
    await api.setProfile(halved(), false);
    const slow = await api.evaluate(req);
    const times = (r: typeof before) => r.stations.map((s) => s.worstEdgeSeconds);
    expect(times(before).every((t) => t !== null && t > 0)).toBe(true);
    times(slow).forEach((t, i) => expect(t).toBeGreaterThan(times(before)[i]!));
    expect(slow.summary.passing).toBeLessThanOrEqual(before.summary.passing);
    await api.setProfile(defaultProfile(), false);
    expect(await api.evaluate(req)).toEqual(before);
  });

  it('refuses an invalid profile with the path of each problem and keeps the one it had', async () => {
    const api = createPlannerApi();
    await api.loadGraph('nanshan', placeGraphBytes('nanshan'));
    const before = await api.evaluate(req);
    const bad = { ...defaultProfile(), speedsKmh: { ...defaultProfile().speedsKmh, primary: { value: -5 } } } as unknown as SpeedProfile;
    await expect(api.setProfile(bad, false)).rejects.toMatchObject({ code: 'bad-profile', en: expect.stringContaining('speedsKmh.primary'), zh: expect.stringContaining('speedsKmh.primary') });
    expect(await api.evaluate(req)).toEqual(before);
  });
});

describe('worker road rules: setVehicle and roadRules', () => {
  /** A (0°,0°) — B (0.001°) — C (0.002°) along the equator; B — C under maxheight 3.6 m (the tender is 3.4 m, the ladder 3.9 m). */
  const lowBridge = () => new TextEncoder().encode(`<?xml version="1.0"?><osm version="0.6">
      <node id="1" lat="0" lon="0"/><node id="2" lat="0" lon="0.001"/><node id="3" lat="0" lon="0.002"/>
      <way id="10"><nd ref="1"/><nd ref="2"/><tag k="highway" v="residential"/></way>
      <way id="11"><nd ref="2"/><nd ref="3"/><tag k="highway" v="residential"/><tag k="maxheight" v="3.6"/><tag k="name" v="桥下路"/></way>
    </osm>`).buffer as ArrayBuffer;
  const route = { placeId: 'bridge', stations: [{ id: 's', name: 's', lon: 0, lat: 0 }], to: [0.0019, 0] as [number, number], lang: 'en' as const };

  it('the ladder truck is refused under the low bridge with the reason; the tender passes; unknown vehicles are refused', async () => {
    const api = createPlannerApi();
    await api.importOsm('bridge', lowBridge(), 'bridge.osm');
    const tender = await api.route(route);
    expect(tender.travelSeconds).toBeGreaterThan(30); // 0.0019° ≈ 211 m at 20 km/h ≈ 38 s
    const rulesTender = await api.roadRules('bridge');
    expect(rulesTender).toMatchObject({ placeId: 'bridge', vehicleId: 'water-tender', rows: [] });
    expect(rulesTender.vehicles.map((v) => [v.id, v.heightM])).toEqual([['water-tender', 3.4], ['aerial-platform', 3.9]]);
    // The tender passes the 3.6 m bridge: drawn as a limit it passes, with the figures, on the bridge's 111 m.
    expect(rulesTender.features.features.map((f) => [f.properties?.kind, f.properties?.rule, f.properties?.lengthM])).toEqual([['limit', 'maxheight', 111.2]]);
    expect(rulesTender.features.features[0].properties).toMatchObject({ zh: '限高 3.6 米（车高 3.4 米，可通行）', en: 'height limit 3.6 m (vehicle height 3.4 m: passes)' });

    await api.setVehicle('aerial-platform');
    await expect(api.route(route)).rejects.toMatchObject({ code: 'route-closed-by-rule', en: expect.stringContaining('height limit 3.6 m < vehicle height 3.9 m'), zh: expect.stringContaining('桥下路') });
    const ladder = await api.roadRules('bridge');
    expect(ladder.vehicleId).toBe('aerial-platform');
    expect(ladder.rows.map((r) => [r.rule, Math.round(r.km * 1000)])).toEqual([['maxheight', 111]]);
    expect(ladder.features.features.map((f) => [f.properties?.kind, f.properties?.rule, f.geometry.type])).toEqual([['closed', 'maxheight', 'LineString']]);

    await expect(api.setVehicle('bicycle')).rejects.toMatchObject({ code: 'unknown-vehicle' });
    expect((await api.roadRules('bridge')).vehicleId).toBe('aerial-platform'); // kept
    // A graph loaded later gets the current vehicle too.
    await api.loadGraph('bridge2', (await api.importOsm('bridge', lowBridge(), 'bridge.osm')).graph);
    expect((await api.roadRules('bridge2')).vehicleId).toBe('aerial-platform');
    await api.setVehicle('water-tender');
    expect((await api.route(route)).travelSeconds).toBe(tender.travelSeconds);
  });
});

describe('worker roadRules on Monaco', () => {
  it('the drawn closures add up to the data card: line lengths = closed road-km, one point per blocked node', async () => {
    const api = createPlannerApi();
    await api.loadGraph('monaco', placeGraphBytes('monaco'));
    const info = await api.roadRules('monaco');
    const lines = info.features.features.filter((f) => f.properties?.kind === 'closed');
    const points = info.features.features.filter((f) => f.properties?.kind === 'barrier');
    const drawnKm = lines.reduce((s, f) => s + (f.properties?.lengthM as number) / 1000, 0);
    const rowKm = info.rows.filter((r) => r.rule !== 'emergency-only').reduce((s, r) => s + r.km, 0);
    expect(rowKm).toBeGreaterThan(9);
    expect(Math.abs(drawnKm - rowKm)).toBeLessThan(0.02 * rowKm);
    expect(points).toHaveLength(info.rows.reduce((n, r) => n + r.nodes, 0));
    // Consecutive segments of a way are merged: fewer lines than closed segments.
    expect(lines.some((f) => (f.geometry as LineString).coordinates.length > 2)).toBe(true);
    expect(new Set(lines.map((f) => f.properties?.rule))).toEqual(new Set(['access', 'ferry', 'maxlength', 'maxweight']));
  });
});
