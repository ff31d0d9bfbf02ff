import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { checkEndpointUrl, fetchOverpass, overpassFileName, OVERPASS_ENDPOINTS } from './overpass';
import { buildOverpassQuery } from '../core/osm/overpass';
import { readOsm } from '../core/osm/read';
import { extractRoads } from '../core/osm/extract';
import { pointToLineDistance } from '@turf/turf';
import { createPlannerApi } from '../worker/api';
import { placeGraphBytes, placeJson, readJson } from '../../tests/support/place';
import type { FeatureCollection, Point } from 'geojson';
import type { AreaGeometry, Station } from '../core/types';
import type { EvaluateRequest } from '../worker/protocol';
// @ts-expect-error plain JavaScript test server
import { startOverpassServer } from '../../tests/support/overpassServer.mjs';

const root = resolve(__dirname, '../..');
const nanshanBytes = readFileSync(resolve(root, 'geodata/raw/shenzhen_nanshan_xili_overpass_2021-03-17.osm'));
const bboxOf = (id: string) => JSON.parse(readFileSync(resolve(root, `public/data/${id}/place.json`), 'utf8')).bbox as [number, number, number, number];
const query = buildOverpassQuery(bboxOf('nanshan'));
const boundary = placeJson('nanshan', 'boundary.geojson') as FeatureCollection;
const plan = placeJson('nanshan', 'plan.geojson') as FeatureCollection;
const evalReq: EvaluateRequest = {
  placeId: 'nanshan', standard: readJson('geodata/standards/jianbiao152-2017.json'), planningArea: boundary.features[0].geometry as AreaGeometry,
  stations: plan.features.filter((f) => f.properties?.kind === 'station').map((f) => f.properties as Station),
  districts: { mode: 'auto' }, options: { coverage: false },
};

interface Server { url: string; requests: { mode: string; contentType?: string; data: string | null }[]; close(): Promise<void> }
let server: Server;
beforeAll(async () => { server = await startOverpassServer(); });
afterAll(async () => { await server.close(); });

const get = (mode: string, extra: { maxBytes?: number; signal?: AbortSignal; onBytes?: (n: number) => void } = {}) =>
  fetchOverpass({ url: `${server.url}/${mode}/api/interpreter`, query, fileName: 'nanshan-overpass-test.osm', ...extra });

describe('fetchOverpass against the loopback server', () => {
  it('fetches the recorded 南山 answer: the query sent as data=, every byte, the counts readOsm finds', async () => {
    const seen: number[] = [];
    const r = await get('ok', { onBytes: (n) => seen.push(n) });
    const sent = server.requests[server.requests.length - 1];
    expect(sent.contentType).toContain('application/x-www-form-urlencoded');
    expect(sent.data).toBe(query);
    expect(r.file.name).toBe('nanshan-overpass-test.osm');
    expect(r.file.size).toBe(nanshanBytes.length);
    expect(Buffer.from(await r.file.arrayBuffer()).equals(nanshanBytes)).toBe(true);
    expect(seen[seen.length - 1]).toBe(nanshanBytes.length);
    expect(seen.every((n, i) => i === 0 || n >= seen[i - 1])).toBe(true);
    const osm = readOsm(new Uint8Array(nanshanBytes), 'x.osm');
    expect(r.tally).toMatchObject({ nodes: osm.nodes.size, ways: osm.ways.length, relations: osm.relations.length, bytes: nanshanBytes.length });
  });

  it('the fetched File through the worker import gives the shipped 南山 graph and, cut to the place, its verdicts', async () => {
    const r = await get('ok');
    const bytes = await r.file.arrayBuffer();
    const api = createPlannerApi();
    const shipped = await api.loadGraph('nanshan', placeGraphBytes('nanshan'));
    const before = await api.evaluate(evalReq);
    const whole = await api.importOsm('nanshan', bytes.slice(0), r.file.name);
    expect(whole.info.nodeCount).toBe(shipped.nodeCount);
    expect(whole.info.edgeCount).toBe(shipped.edgeCount);
    expect(whole.info.roadKm).toBeCloseTo(shipped.roadKm, 3);
    // as the app imports it: cut to the place's bbox + 2 km (fewer roads), the same verdicts
    const cut = await api.importOsm('nanshan', bytes, r.file.name, undefined, bboxOf('nanshan'));
    expect(cut.info.nodeCount).toBeLessThan(shipped.nodeCount);
    const after = await api.evaluate(evalReq);
    const verdicts = (rep: typeof before) => rep.stations.map((s) => [s.id, s.verdict, s.districtAreaKm2?.toFixed(2)]);
    expect(after.mode).toBe('network');
    expect(verdicts(after)).toEqual(verdicts(before));
    expect(after.summary).toEqual(before.summary);
    expect(before.stations.length).toBeGreaterThan(0);
  });

  const failures: [string, string, RegExp][] = [
    ['busy', 'overpass-busy', /429/],
    ['timeout', 'overpass-timeout', /504/],
    ['remark', 'overpass-timeout', /HTTP 200/],
    ['memory', 'overpass-too-large', /too large/],
    ['truncated', 'overpass-broken', /incomplete/],
    ['html', 'overpass-broken', /not OSM/],
    ['reset', 'overpass-interrupted', /broke/],
    ['noroads', 'overpass-no-roads', /no road/],
  ];
  for (const [mode, code, en] of failures) {
    it(`${mode} → ${code}, with zh and en text`, async () => {
      const e = await get(mode).catch((x: unknown) => x);
      expect(e).toMatchObject({ code, en: expect.stringMatching(en), zh: expect.stringMatching(/[\u4e00-\u9fff]/) });
    });
  }

  it('an answer over the cap is aborted with an error that says the cap', async () => {
    const seen: number[] = [];
    const e = await get('oversize', { maxBytes: 3 * 1048576, onBytes: (n) => seen.push(n) }).catch((x: unknown) => x);
    expect(e).toMatchObject({ code: 'overpass-too-large', zh: expect.stringContaining('3 MB'), en: expect.stringContaining('3 MB cap') });
    expect(Math.max(...seen)).toBeLessThanOrEqual(3 * 1048576);
  });

  it('cancel: an aborted signal stops the download', async () => {
    const ctl = new AbortController();
    const e = await get('oversize', { maxBytes: 1e9, onBytes: (n) => { if (n > 500_000) ctl.abort(); }, signal: ctl.signal }).catch((x: unknown) => x);
    expect(e).toMatchObject({ code: 'overpass-cancelled' });
  });

  it('unreachable: a closed port on 127.0.0.1', async () => {
    const e = await fetchOverpass({ url: 'http://127.0.0.1:9/api/interpreter', query, fileName: 'x.osm' }).catch((x: unknown) => x);
    expect(e).toMatchObject({ code: 'overpass-unreachable', en: expect.stringContaining('127.0.0.1:9') });
  });

  it('a foreign-area answer downloads but the import refuses it and keeps the graph it had', async () => {
    const r = await get('foreign');
    const api = createPlannerApi();
    await api.loadGraph('nanshan', placeGraphBytes('nanshan'));
    const before = await api.snap('nanshan', [113.95, 22.54]);
    await expect(api.importOsm('nanshan', await r.file.arrayBuffer(), r.file.name, undefined, bboxOf('nanshan'))).rejects.toMatchObject({ code: 'no-overlap' });
    expect(await api.snap('nanshan', [113.95, 22.54])).toEqual(before);
  });
});

describe('endpoints and names', () => {
  it('lists https endpoints with names in both languages, one default', () => {
    expect(OVERPASS_ENDPOINTS.length).toBeGreaterThanOrEqual(2);
    for (const e of OVERPASS_ENDPOINTS) {
      expect(checkEndpointUrl(e.url).protocol).toBe('https:');
      expect(e.name && e.nameEn).toBeTruthy();
    }
    expect(OVERPASS_ENDPOINTS.filter((e) => e.default)).toHaveLength(1);
  });
  it('refuses a custom URL that is not http(s)', () => {
    expect(() => checkEndpointUrl('ftp://x/api')).toThrow(expect.objectContaining({ code: 'overpass-bad-url' }));
    expect(() => checkEndpointUrl('overpass')).toThrow(expect.objectContaining({ code: 'overpass-bad-url' }));
  });
  it('names the file <place>-overpass-<date>.osm', () => {
    expect(overpassFileName('qingxi', new Date('2026-12-05T10:00:00Z'))).toBe('qingxi-overpass-2026-12-05.osm');
  });
});

describe('清溪镇 on roads: the hand-made test fixture fetched and imported (not real data)', () => {
  it('turns the estimate into network mode (towns and auto districts) and puts every plan site on a road, saying how far', async () => {
    const r = await get('qingxi');
    const api = createPlannerApi();
    const qBoundary = placeJson('qingxi', 'boundary.geojson') as FeatureCollection;
    const towns = placeJson('qingxi', 'districts.geojson') as FeatureCollection;
    const qPlan = placeJson('qingxi', 'plan.geojson') as FeatureCollection;
    const stations = qPlan.features.filter((f) => f.properties?.kind === 'station')
      .map((f) => ({ ...f.properties, lon: (f.geometry as Point).coordinates[0], lat: (f.geometry as Point).coordinates[1] }) as Station);
    const req = (districts: EvaluateRequest['districts']): EvaluateRequest => ({
      placeId: 'qingxi', standard: readJson('geodata/standards/jianbiao152-2017.json'), planningArea: qBoundary.features[0].geometry as AreaGeometry,
      stations, districts, options: { coverage: false },
    });
    const fixture = new Uint8Array(readFileSync(resolve(root, 'tests/fixtures/osm/qingxi-test-fixture.osm')));
    const roads = extractRoads(readOsm(fixture, 'fixture.osm'));
    expect(roads.features).toHaveLength(12);
    const siteOf = (id: string) => { const st = stations.find((x) => x.id === id)!; return [st.lon, st.lat]; };
    const estimate = await api.evaluate(req({ mode: 'auto' }));
    expect(estimate.mode).toBe('straight-line-estimate');
    const imported = await api.importOsm('qingxi', await r.file.arrayBuffer(), r.file.name, undefined, bboxOf('qingxi'));
    expect(imported.info.nodeCount).toBe(19);
    for (const districts of [{ mode: 'auto' as const }, { mode: 'towns' as const, towns: towns as never }]) {
      const rep = await api.evaluate(req(districts));
      expect(rep.mode).toBe('network');
      expect(rep.stations).toHaveLength(6);
      for (const s of rep.stations) {
        expect(s.mode).toBe('network');
        // the site was put on its nearest road: the same distance turf measures to the fixture's lines (±1 m)
        const nearest = Math.min(...roads.features.map((l) => pointToLineDistance(siteOf(s.id), l, { units: 'meters' })));
        expect(s.snap?.distanceM).toBeCloseTo(nearest, -0.3);
        expect(s.snap?.distanceM).toBeGreaterThan(10);
      }
    }
  });
});
