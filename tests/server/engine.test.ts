/**
 * The engine routes of the team server on a REAL cluster: the compliance check loads the roads it needs from
 * PostGIS once per network version (a counter of PostGIS reads), keeps them in a bounded cache, is invalidated by a
 * new network, and loads only the part around the planning area of a network much larger than the place (with the
 * same report as on the place's own network); the optimizer endpoint answers as `planner optimize --json` for the
 * same input. Skips only without the PostgreSQL binaries.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { havePostgres } from '../../src/server/pgcluster';
import { createUser } from '../../src/server/auth';
import { encodeGraph, type RoadGraph } from '../../src/core/graph';
import { createScenario } from '../../src/core/scenario/ops';
import { placeStations, scenarioToGeoJSON } from '../../src/core/scenario/io';
import { optimize } from '../../src/cli/cmd-optimize';
import { buildApp } from '../../src/server/app';
import { EngineCache } from '../../src/server/network';
import { placeGraph, placeJson, repoRoot } from '../support/place';
import { Client, startHarness, type Harness } from './harness';

const PW = 'user-password-for-tests';
const graphBytes = (place: string) => readFileSync(join(repoRoot, 'public/data', place, 'graph.bin'));

/**
 * Monaco's network and, 0.5° (about 40 km) to the east, a copy of Nanshan's moved there: one network whose box is
 * many times Monaco's, the extra part unconnected (so every answer about Monaco is the same as on its own network).
 */
function monacoWithFarCopy(): Buffer {
  const a = placeGraph('monaco'), b = placeGraph('nanshan');
  const dLon = a.bbox[2] * 1e7 + 0.5e7 - b.bbox[0] * 1e7, dLat = a.bbox[1] * 1e7 - b.bbox[1] * 1e7;
  const cat = <T extends Int32Array | Uint32Array | Float32Array | Uint8Array>(x: T, y: ArrayLike<number>): T => {
    const out = new (x.constructor as new (n: number) => T)(x.length + y.length);
    out.set(x);
    out.set(y as never, x.length);
    return out;
  };
  const map = (x: ArrayLike<number>, f: (v: number) => number) => Array.from(x, f);
  const merged = encodeGraph({
    lon: cat(a.lon, map(b.lon, (v) => Math.round(v + dLon))), lat: cat(a.lat, map(b.lat, (v) => Math.round(v + dLat))),
    firstEdge: cat(a.firstEdge, map(b.firstEdge.subarray(1), (v) => v + a.edgeCount)),
    target: cat(a.target, map(b.target, (v) => v + a.nodeCount)), lengthM: cat(a.lengthM, b.lengthM),
    nameId: cat(a.nameId, new Uint32Array(b.edgeCount)), roadClass: cat(a.roadClass, b.roadClass), flags: cat(a.flags, b.flags), maxspeed: cat(a.maxspeed, b.maxspeed),
    names: a.names, restrFirst: a.restrFirst, restrEdges: a.restrEdges,
    edgeFacts: cat(a.edgeFacts!, new Uint32Array(b.edgeCount)), nodeFacts: cat(a.nodeFacts!, new Uint32Array(b.nodeCount)), facts: a.facts,
  } as Omit<RoadGraph, 'buffer' | 'nodeCount' | 'edgeCount' | 'bbox' | 'formatVersion'>);
  return Buffer.from(merged);
}

interface StationRow { id: string; verdict: string; worstEdgeSeconds: number | null; shareWithinLimit: number | null; unreachableEdgePoints: number; overLimitEdgePoints: number; districtAreaKm2: number | null }
const summary = (report: unknown) => (report as { stations: StationRow[] }).stations.map((s) => [s.id, s.verdict, s.worstEdgeSeconds, s.shareWithinLimit, s.unreachableEdgePoints, s.overLimitEdgePoints, s.districtAreaKm2]);

describe.skipIf(!havePostgres())('the server engine: check cache, bbox loading, optimizer (real cluster)', () => {
  let h: Harness;
  const base = () => h.server.url;
  const admin = new Client(base), bob = new Client(base), carol = new Client(base), anon = new Client(base);
  let scenarioId = '';
  let wholeReport: unknown;

  beforeAll(async () => {
    h = await startHarness({ config: { networkCache: { entries: 3 }, optimize: { cooldownSeconds: 0.001 } } });
    await createUser(h.server.pool, 'admin', PW, true);
    await createUser(h.server.pool, 'bob', PW);
    await createUser(h.server.pool, 'carol', PW);
    expect((await admin.login('admin', PW)).status).toBe(200);
    expect((await admin.post('/api/places', { id: 'monaco', name: 'Monaco' })).status).toBe(200);
    expect((await admin.put('/api/places/monaco/roles/bob', { role: 'commander' })).status).toBe(200);
    expect((await admin.put('/api/places/monaco/roles/carol', { role: 'planner' })).status).toBe(200);
    expect((await bob.login('bob', PW)).status).toBe(200);
    expect((await carol.login('carol', PW)).status).toBe(200);
    expect((await admin.call('PUT', '/api/places/monaco/network', graphBytes('monaco'), 'application/octet-stream')).status).toBe(200);
    const stations = placeStations(placeJson('monaco', 'facilities.geojson') as never);
    const s = await admin.post('/api/places/monaco/scenarios', { name: 'Plan', body: scenarioToGeoJSON(createScenario({ name: 'plan', placeId: 'monaco', stations, id: 'scn-plan', now: '2026-01-01T00:00:00.000Z' })) });
    expect(s.status).toBe(200);
    scenarioId = s.body.id;
  }, 180_000);
  afterAll(async () => { await h?.dispose(); }, 60_000);

  it('a second check does not read the network again; a new network version does, and drops the old entries', async () => {
    const loads0 = h.server.engines.loads;
    const first = await bob.post('/api/places/monaco/check', { scenarioId, districts: 'auto' });
    expect(first.status, JSON.stringify(first.body).slice(0, 300)).toBe(200);
    expect(first.body).toMatchObject({ engine: 'server', networkVersion: 1, networkLoaded: true });
    expect(h.server.engines.loads).toBe(loads0 + 1);
    const second = await bob.post('/api/places/monaco/check', { scenarioId, districts: 'auto' });
    expect(second.body).toMatchObject({ networkVersion: 1, networkLoaded: false });
    expect(h.server.engines.loads).toBe(loads0 + 1);
    expect(second.body.report).toEqual(first.body.report);
    expect(first.body.report.stations.length).toBeGreaterThan(0);
    expect(first.body.report.stations.filter((s: { worstEdgeSeconds: number | null }) => s.worstEdgeSeconds !== null && s.worstEdgeSeconds > 0).length).toBeGreaterThanOrEqual(2);
    wholeReport = first.body.report;
    // The same network pushed again is a new version: read again, the old version's entries dropped.
    expect((await admin.call('PUT', '/api/places/monaco/network', graphBytes('monaco'), 'application/octet-stream')).body.version).toBe(2);
    const third = await bob.post('/api/places/monaco/check', { scenarioId, districts: 'auto' });
    expect(third.body).toMatchObject({ networkVersion: 2, networkLoaded: true });
    expect(h.server.engines.loads).toBe(loads0 + 2);
    expect(h.server.engines.held.graphs).toBe(1);
    expect(third.body.report).toEqual(first.body.report);
  }, 180_000);

  it('on a network much larger than the place, the check loads only the part around it and reports the same', async () => {
    const big = monacoWithFarCopy();
    const put = await admin.call('PUT', '/api/places/monaco/network', big, 'application/octet-stream');
    expect(put.status, JSON.stringify(put.body)).toBe(200);
    const r = await bob.post('/api/places/monaco/check', { scenarioId, districts: 'auto' });
    expect(r.status, JSON.stringify(r.body).slice(0, 300)).toBe(200);
    expect(r.body.networkEdges).toBe(placeGraph('monaco').edgeCount + placeGraph('nanshan').edgeCount);
    expect(r.body.loadedEdges).toBeLessThan(placeGraph('monaco').edgeCount + 1);
    // Station by station first (a readable difference), then the whole report.
    expect(summary(r.body.report)).toEqual(summary(wholeReport));
    expect(JSON.stringify(r.body.report) === JSON.stringify(wholeReport)).toBe(true);
    // Cached: the same check again reads nothing.
    const loads = h.server.engines.loads;
    expect((await bob.post('/api/places/monaco/check', { scenarioId, districts: 'auto' })).body.networkLoaded).toBe(false);
    expect(h.server.engines.loads).toBe(loads);
    // Starting from a margin of 5 s of driving (which cuts Monaco's own roads), the part grows until the answer
    // cannot change, and the report is still the same.
    const engines = new EngineCache(h.server.pool);
    const app = buildApp(h.server.pool, { engines, config: { check: { startSeconds: 5 } } });
    try {
      const g = await app.inject({ method: 'POST', url: '/api/places/monaco/check', headers: { cookie: bob.cookie, 'content-type': 'application/json' }, payload: { scenarioId, districts: 'auto' } });
      expect(g.statusCode).toBe(200);
      expect(engines.loads).toBeGreaterThan(1); // grown at least once
      expect(summary(g.json().report)).toEqual(summary(wholeReport));
      expect(JSON.stringify(g.json().report) === JSON.stringify(wholeReport)).toBe(true);
    } finally {
      await app.close();
    }
  }, 180_000);

  it('the cache stays within its bound (3 entries here)', async () => {
    const points: [number, number][] = [[7.4246, 43.7384], [7.4128, 43.7315], [7.4200, 43.7350], [7.4300, 43.7420]];
    for (const p of points) expect((await bob.post('/api/places/monaco/times', { from: p, to: [[p[0] + 0.001, p[1]]] })).status).toBe(200);
    expect(h.server.engines.held.graphs).toBeLessThanOrEqual(3);
    expect(h.server.engines.held.routers).toBeLessThanOrEqual(3);
  }, 120_000);

  it('the optimizer endpoint answers as `planner optimize --json` (greedy, and exact with HiGHS)', async () => {
    expect((await admin.call('PUT', '/api/places/monaco/network', graphBytes('monaco'), 'application/octet-stream')).status).toBe(200);
    for (const [body, args] of [
      [{ model: 'mclp', k: 2, exact: true, timeLimit: 30 }, { model: 'mclp', k: '2', exact: true, 'time-limit': '30' }],
      [{ model: 'pmedian', k: 1, minutes: 3, fixed: 'existing', spacing: 400 }, { model: 'pmedian', k: '1', minutes: '3', fixed: 'existing', spacing: '400' }],
    ] as const) {
      const r = await carol.post('/api/places/monaco/optimize', body);
      expect(r.status, JSON.stringify(r.body).slice(0, 300)).toBe(200);
      expect(r.body).toMatchObject({ engine: 'server', networkVersion: 4 });
      const cli = JSON.parse(await optimize({ place: 'monaco', json: true, ...args }, 'en'));
      const { exact: e1, ...rest1 } = r.body.result, { exact: e2, ...rest2 } = cli;
      expect(rest1).toEqual(rest2);
      expect(rest1.sites.length).toBe(body.k);
      if (body.exact) {
        expect(e1.status).toBe('Optimal');
        expect({ ...e1, seconds: 0 }).toEqual({ ...e2, seconds: 0 });
        expect(r.body.result.method).toBe('exact');
      } else expect(e1).toBeUndefined();
    }
  }, 240_000);

  it('the optimizer refuses bad input and callers without a session or role', async () => {
    expect((await anon.post('/api/places/monaco/optimize', { model: 'mclp' })).status).toBe(401);
    const bad = await carol.post('/api/places/monaco/optimize', { model: 'nearest' });
    expect(bad.status).toBe(400);
    expect(bad.body.error.code).toBe('bad-request');
    expect((await carol.post('/api/places/monaco/optimize', { model: 'mclp', timeLimit: 100000 })).status).toBe(400);
    expect((await carol.post('/api/places/monaco/optimize', { model: 'backup', minutes: 4, backupMinutes: 2 })).body.error.code).toBe('bad-option');
    expect((await carol.post('/api/places/nanshan/optimize', { model: 'mclp' })).status).toBe(404);
    // A commander views and comments but does not run the optimizer (it holds the server's event loop).
    const cmd = await bob.post('/api/places/monaco/optimize', { model: 'mclp', k: 1 });
    expect(cmd.status).toBe(403);
    expect(cmd.body.error.code).toBe('forbidden');
  });

  it('after a run the same user waits optimize.cooldownSeconds (429 with Retry-After); others do not', async () => {
    const app = buildApp(h.server.pool, { config: { optimize: { cooldownSeconds: 60 } } });
    const post = (who: Client) => app.inject({ method: 'POST', url: '/api/places/monaco/optimize', headers: { cookie: who.cookie, 'content-type': 'application/json' }, payload: { model: 'mclp', k: 1 } });
    try {
      expect((await post(carol)).statusCode).toBe(200);
      const again = await post(carol);
      expect(again.statusCode).toBe(429);
      expect(again.json().error.code).toBe('optimize-cooldown');
      expect(Number(again.headers['retry-after'])).toBeGreaterThan(50);
      expect(Number(again.headers['retry-after'])).toBeLessThanOrEqual(60);
      expect((await post(admin)).statusCode).toBe(200);
    } finally {
      await app.close();
    }
  }, 120_000);

  it('an optimization past the server run limit is stopped with a clear message (503), not answered half done', async () => {
    const app = buildApp(h.server.pool, { config: { optimize: { maxRunSeconds: 0.05 } } });
    try {
      const r = await app.inject({ method: 'POST', url: '/api/places/monaco/optimize', headers: { cookie: carol.cookie, 'content-type': 'application/json' }, payload: { model: 'pmedian', k: 2 } });
      expect(r.statusCode).toBe(503);
      const err = r.json().error;
      expect(err.code).toBe('optimize-timeout');
      expect(err.zh).toContain('0.05 秒');
      expect(err.en).toContain('run limit (0.05 s)');
    } finally {
      await app.close();
    }
  }, 120_000);
});
