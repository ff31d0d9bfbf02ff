import { describe, expect, it } from 'vitest';
import { MessageChannel, type MessagePort } from 'node:worker_threads';
import { expose, type Endpoint } from 'comlink';
import { createPlannerApi, defaultProfile } from './api';
import { placeGraphBytes, placeJson, readJson } from '../../tests/support/place';
import { decodeGraph } from '../core/graph';
import { Router } from '../core/router';
import { evaluateRequest, type EvaluateRequest } from '../core/compliance/evaluate';
import type { AreaGeometry, Station } from '../core/types';
import type { FeatureCollection } from 'geojson';
import { createPlannerClient, isStale, type WorkerLike } from './client';
import type { IsochroneRequest, IsochroneResult, PlannerErrorInfo, ProgressInfo, SpeedProfile } from './protocol';
import { errorText, isErrorInfo } from '../core/errors';

/** An in-process "worker": a fresh API instance behind a MessageChannel (a restart gets a fresh one too). */
function fakeWorkerFactory() {
  const made: WorkerLike[] = [];
  const create = (): WorkerLike => {
    const { port1, port2 } = new MessageChannel();
    expose(createPlannerApi(), port1 as unknown as Endpoint);
    const w = Object.assign(port2 as unknown as WorkerLike, { terminate: () => { (port1 as MessagePort).close(); (port2 as MessagePort).close(); } });
    made.push(w);
    return w;
  };
  return { create, made };
}

const graphBytes = () => placeGraphBytes('nanshan');
const station = { id: 'a', name: '示例', lon: 113.9386, lat: 22.5439 };

/** The nanshan sites under 建标152 with automatic districts (coverage off), with `extra` fields replaced. */
function nanshanRequest(extra: Partial<EvaluateRequest> = {}): EvaluateRequest {
  const boundary = placeJson('nanshan', 'boundary.geojson') as FeatureCollection;
  const plan = placeJson('nanshan', 'plan.geojson') as FeatureCollection;
  return {
    placeId: 'nanshan', standard: readJson('geodata/standards/jianbiao152-2017.json'), planningArea: boundary.features[0].geometry as AreaGeometry,
    stations: plan.features.filter((f) => f.properties?.kind === 'station').map((f) => f.properties as Station),
    districts: { mode: 'auto' }, options: { coverage: false }, ...extra,
  };
}

/** A three-node OSM XML extract near 114.0, 22.5 with one fire station. */
const tinyOsm = () => new TextEncoder().encode(`<?xml version="1.0"?><osm version="0.6">
      <node id="1" lat="22.5" lon="114.0"/><node id="2" lat="22.5" lon="114.002"/><node id="3" lat="22.502" lon="114.002"/>
      <node id="4" lat="22.501" lon="114.001"><tag k="amenity" v="fire_station"/><tag k="name" v="测试消防站"/></node>
      <way id="10"><nd ref="1"/><nd ref="2"/><nd ref="3"/><tag k="highway" v="primary"/><tag k="name" v="一号路"/></way>
    </osm>`).buffer as ArrayBuffer;

describe('planner client over comlink', () => {
  it('loads a graph and answers snap / isochrone / route', async () => {
    const f = fakeWorkerFactory();
    const client = createPlannerClient({ createWorker: f.create });
    const info = await client.loadGraph('nanshan', graphBytes());
    expect(info.nodeCount).toBeGreaterThan(1000);
    expect(info.largestComponentShare).toBeGreaterThan(0.9);
    const snap = await client.snap('nanshan', [station.lon, station.lat]);
    expect(isStale(snap)).toBe(false);
    const iso = (await client.isochrone({ placeId: 'nanshan', stations: [station], bandsMin: [2, 4] })) as IsochroneResult;
    expect(iso.polygons.features).toHaveLength(2);
    // The station sits beside a road: the isochrone starts from the same road point the snap call gives.
    const own = new Router(decodeGraph(graphBytes()), defaultProfile()).snap(station.lon, station.lat);
    expect(iso.snaps.a.distanceM).toBe(Math.round(own.distanceM * 10) / 10);
    // Within the 500 m off-network limit (so timed); flagged only when over 50 m from its road.
    expect(iso.snaps.a.offNetwork).toBeUndefined();
    expect(own.far).toBe(own.distanceM > 50);
    client.terminate();
  });

  it('keeps only the latest pending request per key; superseded ones resolve as stale', async () => {
    const f = fakeWorkerFactory();
    const client = createPlannerClient({ createWorker: f.create });
    await client.loadGraph('nanshan', graphBytes());
    const calls = [1, 2, 3, 4, 5].map((m) => client.isochrone({ placeId: 'nanshan', stations: [station], bandsMin: [m] }));
    const res = await Promise.all(calls);
    expect(res.map(isStale)).toEqual([false, true, true, true, false]);
    expect((res[4] as IsochroneResult).polygons.features[0].properties!.minutes).toBe(5);
    // Another key runs independently.
    const [a, b] = await Promise.all([client.snap('nanshan', [station.lon, station.lat]), client.isochrone({ placeId: 'nanshan', stations: [station], bandsMin: [1] })]);
    expect(isStale(a) || isStale(b)).toBe(false);
    client.terminate();
  });

  it('a stale live check does not cancel a scenario analysis: each queue drops only its own stale requests', async () => {
    const client = createPlannerClient({ createWorker: fakeWorkerFactory().create });
    await client.loadGraph('nanshan', graphBytes());
    const req = nanshanRequest();
    const two = nanshanRequest({ stations: req.stations.slice(0, 2) });
    const three = nanshanRequest({ stations: req.stations.slice(0, 3) });
    const order: string[] = [];
    const track = <T,>(name: string, p: Promise<T>) => p.then((v) => { order.push(name); return v; });
    const live1 = track('live1', client.evaluate(req));
    const base = track('baseline', client.analyse(req, 'baseline'));
    const live2 = track('live2', client.evaluate(three)); // waiting, then superseded by live3
    const live3 = track('live3', client.evaluate(two));
    const a1 = track('a1', client.analyse(two, 'compare-a'));
    const a2 = track('a2', client.analyse(three, 'compare-a')); // waiting, then superseded by a3
    const a3 = track('a3', client.analyse(req, 'compare-a'));
    const b1 = track('b1', client.analyse(two, 'compare-b')); // another slot: not superseded by compare-a
    const [l1, l2, l3, b, x1, x2, x3, y1] = await Promise.all([live1, live2, live3, base, a1, a2, a3, b1]);
    expect([l1, l2, l3, b, x1, x2, x3, y1].map(isStale)).toEqual([false, true, false, false, false, true, false, false]);
    const total = (r: typeof l1) => (isStale(r) ? -1 : r.summary.total);
    expect([total(l1), total(l3), total(b), total(x1), total(x3), total(y1)]).toEqual([4, 2, 4, 2, 4, 2]);
    // the analyses were sent only once the live queue was idle (after the latest live check)
    for (const name of ['baseline', 'a1', 'a3', 'b1']) expect(order.indexOf(name)).toBeGreaterThan(order.indexOf('live3'));
    client.terminate();
  });

  it('restarts a crashed worker, reloads its graphs and rejects the caught call bilingually', async () => {
    const f = fakeWorkerFactory();
    const restarts: number[] = [];
    const client = createPlannerClient({ createWorker: f.create, onRestart: (i) => restarts.push(i.restarts) });
    await client.loadGraph('nanshan', graphBytes());
    const caught = client.route({ placeId: 'nanshan', stations: [station], to: [113.95, 22.55], lang: 'zh-Hans' });
    (f.made[0] as unknown as EventTarget).dispatchEvent(new Event('error'));
    await expect(caught).rejects.toMatchObject({ code: 'worker-crashed' });
    const after = await client.snap('nanshan', [station.lon, station.lat]);
    expect(isStale(after)).toBe(false);
    await client.setVehicle('aerial-platform', { heightM: 4.2, widthM: 2.5, lengthM: 11.5, weightT: 25, axleLoadT: 9 });
    (f.made[1] as unknown as EventTarget).dispatchEvent(new Event('error'));
    // the vehicle and the planner's figures are set again after a restart
    expect(await client.roadRules('nanshan')).toMatchObject({ vehicleId: 'aerial-platform', edited: true, vehicle: { heightM: 4.2 } });
    expect(f.made).toHaveLength(3);
    expect(client.restarts).toBe(2);
    expect(restarts).toEqual([1, 2]);
    client.terminate();
    client.terminate();
    await expect(client.snap('nanshan', [station.lon, station.lat])).rejects.toMatchObject({ code: 'worker-dead' });
  });

  it('reports errors in Chinese and English, as plain data', async () => {
    const client = createPlannerClient({ createWorker: fakeWorkerFactory().create });
    const e1 = (await client.snap('nowhere', [0, 0]).catch((e) => e)) as PlannerErrorInfo;
    expect(e1).toEqual({ code: 'no-graph', zh: '地点「nowhere」尚未加载路网', en: 'no road graph loaded for place "nowhere"' });
    expect(Object.getPrototypeOf(e1)).toBe(Object.prototype); // data, not an Error whose message would be split
    const e2 = (await client.evaluate(nanshanRequest({ standard: { id: 'nonsense' } })).catch((e) => e)) as PlannerErrorInfo;
    expect(e2.code).toBe('bad-standard');
    expect(e2.zh).toMatch(/[\u4e00-\u9fff]/);
    // a profile from outside (e.g. an old saved edit) is validated by the worker, and the error says what is wrong
    const e3 = (await client.setProfile({ id: 'x' } as unknown as SpeedProfile, false).catch((e) => e)) as PlannerErrorInfo;
    expect(e3.code).toBe('bad-profile');
    expect(e3.en).toMatch(/speedsKmh/);
    expect(e3.zh).toMatch(/speedsKmh/);
    expect(e3.en).not.toMatch(/[\u4e00-\u9fff]/);
    const e4 = (await client.loadGraph('bad', new ArrayBuffer(10)).catch((e) => e)) as PlannerErrorInfo;
    expect(isErrorInfo(e4)).toBe(true);
    expect(errorText(e4, 'en')).toMatch(/graph|magic|header|short|bytes/i);
    client.terminate();
  });

  it('carries file and detail across the boundary; a bug inside the worker is code "internal" with its message', async () => {
    const client = createPlannerClient({ createWorker: fakeWorkerFactory().create });
    const far = await client.importOsm('yangdong', tinyOsm(), 'far.osm', undefined, [111, 21, 112, 22]).catch((e) => e) as PlannerErrorInfo;
    expect(far).toEqual({
      code: 'no-overlap', file: 'far.osm',
      zh: '文件「far.osm」在本地区范围内没有道路——是否选错了文件？未作任何修改', en: 'the file "far.osm" has no roads within this place — wrong file? Nothing was changed',
    });
    await client.loadGraph('nanshan', graphBytes());
    const bug = await client.isochrone({ placeId: 'nanshan', stations: null as unknown as IsochroneRequest['stations'], bandsMin: [4] }).catch((e) => e) as PlannerErrorInfo;
    expect(bug.code).toBe('internal');
    expect(bug.zh).toBe('内部错误');
    expect(bug.en).toBe('internal error');
    expect(bug.detail).toMatch(/\w/);
    expect(Object.keys(bug).sort()).toEqual(['code', 'detail', 'en', 'zh']);
    client.terminate();
  });

  it('evaluates compliance on the loaded network', async () => {
    const client = createPlannerClient({ createWorker: fakeWorkerFactory().create });
    await client.loadGraph('nanshan', graphBytes());
    const req = nanshanRequest();
    const res = await client.evaluate(req);
    if (isStale(res)) throw new Error('stale');
    expect(res.summary.total).toBe(4);
    // Through the worker: the same report as the check run in this process on the same network.
    const here = evaluateRequest(req, new Router(decodeGraph(graphBytes()), defaultProfile()));
    expect(res.summary).toEqual(here.summary);
    expect(res.stations.map((r) => [r.id, r.verdict, r.worstEdgeSeconds])).toEqual(here.stations.map((r) => [r.id, r.verdict, r.worstEdgeSeconds]));
    client.terminate();
  });

  it('imports an OSM extract with progress, and rejects a bad file', async () => {
    const client = createPlannerClient({ createWorker: fakeWorkerFactory().create });
    const progress: ProgressInfo[] = [];
    const bytes = tinyOsm();
    const res = await client.importOsm('mine', bytes, 'test.osm', (p) => progress.push(p));
    expect(res.info.nodeCount).toBe(3);
    expect(res.info.roadKm).toBeCloseTo(0.206 + 0.222, 1);
    expect(res.roads.features).toHaveLength(1);
    expect(res.facilities.features).toHaveLength(1);
    expect(res.graph.byteLength).toBeGreaterThan(64);
    await new Promise((r) => setTimeout(r, 20));
    expect(progress.some((p) => p.phase === 'build' && p.done === p.total)).toBe(true);
    const snap = await client.snap('mine', [114.001, 22.5001]);
    expect(isStale(snap) ? null : snap.roadName).toBe('一号路');
    const bad = (await client.importOsm('x', new TextEncoder().encode('hello').buffer as ArrayBuffer, 'x.osm').catch((e) => e)) as PlannerErrorInfo;
    expect(isErrorInfo(bad)).toBe(true);
    expect(errorText(bad, 'zh')).toMatch(/x\.osm/);
    client.terminate();
  });
});
