/**
 * The app's side of the team server (store/server.ts + data/server.ts) against a REAL server on a private cluster:
 * the app's store logs in, opens and saves scenarios by version, meets conflicts (keep mine / take theirs / cancel),
 * queues saves while the server is unreachable and sends them in order when it is back, follows another user's
 * newer version, and is read-only for a commander. The other users are plain HTTP clients (tests/server/harness).
 * Node has no IndexedDB: the queue's two storage functions are kept in memory here; everything else is the app's code.
 */
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { freePort, havePostgres } from '../../src/server/pgcluster';
import { addStation, moveStation, scenarioToGeoJSON, type Scenario } from '../../src/core/scenario';
import type { QueuedSave } from '../../src/data/server';
import { useStore } from '../../src/store';
import { dragStation, edit, endDrag, newScenario } from '../../src/store/scenario';
import {
  addComment, checkOnServer, connect, loadDetail, login, logout, openServerScenario, poll, resolveServerConflict, restoreVersion, saveOpenScenario, unsaved, useServer,
} from '../../src/store/server';
import { editLocked } from '../../src/store/editLock';
import { placeJson } from '../support/place';
import { Client, fakePage, freshApp, seedServer, startHarness, USER_PW, type Harness } from './harness';

const queue = vi.hoisted(() => ({ items: [] as unknown[] }));
vi.mock('../../src/data/server', async (orig) => ({
  ...(await orig<typeof import('../../src/data/server')>()),
  readQueue: async () => [...queue.items],
  writeQueue: async (q: unknown[]) => { queue.items = [...q]; },
}));

const present = havePostgres();
const PW = USER_PW;
const S = () => useStore.getState();
const V = () => useServer.getState();
const open = () => S().scenario!.present;
const proposed = (sc: Scenario) => sc.stations.filter((x) => x.status === 'proposed');

/** This "browser" without a connection (harness fakePage). */
const network = { down: false };

describe.skipIf(!present)('the app connected to a real team server', () => {
  let h: Harness;
  let closePage: () => void;
  const dave = new Client(() => h.server.url);
  let serverId = '';
  const serverBody = async () => (await dave.get(`/api/scenarios/${serverId}`)).body;

  beforeAll(async () => {
    h = await startHarness();
    await seedServer(h, [['monaco', 'Monaco'], ['elsewhere', 'Only on the server']],
      [['alice', 'monaco', 'planner'], ['bob', 'monaco', 'commander'], ['dave', 'monaco', 'planner'], ['alice', 'elsewhere', 'commander']]);
    await dave.login('dave', PW);
    // the page (the connection and the links are kept in its localStorage)
    closePage = fakePage({ down: () => network.down });
    await freshApp('monaco', { facilities: placeJson('monaco', 'facilities.geojson') as never });
  }, 180_000);
  afterAll(async () => {
    closePage?.();
    await h?.dispose();
  }, 60_000);

  it('connects, asks for a log-in, logs in: user, places with roles, not read-only for a planner', async () => {
    await connect(h.server.url);
    expect(V().status).toBe('login');
    await login('alice', 'wrong password!');
    expect(V().message).toMatchObject({ code: 'bad-login', zh: '用户名或密码错误' });
    expect(V().status).toBe('login');
    await login('alice', PW);
    expect(V()).toMatchObject({ status: 'online', user: { name: 'alice', isAdmin: false } });
    expect(V().places.map((p) => [p.id, p.role])).toEqual([['elsewhere', 'commander'], ['monaco', 'planner']]);
    expect(editLocked()).toBe(false);
  });

  it('a new scenario saved to the server becomes version 1, an edit version 2 on that base', async () => {
    newScenario();
    edit((sc) => addStation(sc, { lon: 7.42, lat: 43.735, stationClass: '二级' }));
    await saveOpenScenario();
    const link = V().links[open().id];
    expect(link).toMatchObject({ placeId: 'monaco', version: 1 });
    serverId = link.serverId;
    expect(unsaved(open(), link)).toBe(false);
    expect(V().scenarios.map((s) => s.version)).toEqual([1]);
    const st = proposed(open())[0];
    edit((sc) => moveStation(sc, st.id, 7.421, 43.736));
    expect(unsaved(open(), V().links[open().id])).toBe(true);
    await saveOpenScenario();
    expect(V().links[open().id].version).toBe(2);
    const body = await serverBody();
    expect(body).toMatchObject({ version: 2, author: 'alice' });
    expect(body.body.features.find((f: { properties: { id: string } }) => f.properties.id === st.id).geometry.coordinates).toEqual([7.421, 43.736]);
  });

  it('a stale save gets the conflict prompt; "keep mine" saves it as a new version on top of theirs', async () => {
    const st = proposed(open())[0];
    const theirs = moveStation(open(), st.id, 7.43, 43.74);
    expect((await dave.put(`/api/scenarios/${serverId}`, { baseVersion: 2, body: scenarioToGeoJSON(theirs) })).status).toBe(200);
    edit((sc) => moveStation(sc, st.id, 7.425, 43.737));
    await saveOpenScenario();
    expect(V().conflict).toMatchObject({ name: open().name, theirs: { version: 3, author: 'dave' }, fromQueue: false });
    expect((await serverBody()).version).toBe(3); // nothing overwritten
    await resolveServerConflict('mine');
    expect(V().conflict).toBeNull();
    const body = await serverBody();
    expect(body).toMatchObject({ version: 4, author: 'alice' });
    expect(body.body.features.find((f: { properties: { id: string } }) => f.properties.id === st.id).geometry.coordinates).toEqual([7.425, 43.737]);
    const versions = (await dave.get(`/api/scenarios/${serverId}/versions`)).body.versions.map((v: { version: number; author: string }) => `${v.version}:${v.author}`);
    expect(versions).toEqual(['4:alice', '3:dave', '2:alice', '1:alice']);
    expect(V().links[open().id].version).toBe(4);
  });

  it('"take theirs" puts their version here (mine one undo step away); "cancel" changes nothing', async () => {
    const st = proposed(open())[0];
    await dave.put(`/api/scenarios/${serverId}`, { baseVersion: 4, body: scenarioToGeoJSON(moveStation(open(), st.id, 7.44, 43.741)) });
    edit((sc) => moveStation(sc, st.id, 7.426, 43.738));
    await saveOpenScenario();
    expect(V().conflict?.theirs.version).toBe(5);
    await resolveServerConflict('cancel');
    expect(V().conflict).toBeNull();
    expect(proposed(open())[0]).toMatchObject({ lon: 7.426, lat: 43.738 });
    expect((await serverBody()).version).toBe(5);
    await saveOpenScenario();
    await resolveServerConflict('theirs');
    expect(proposed(open())[0]).toMatchObject({ lon: 7.44, lat: 43.741 });
    expect(S().scenario!.past.at(-1)!.stations.find((x) => x.id === st.id)).toMatchObject({ lon: 7.426, lat: 43.738 });
    expect(V().links[open().id].version).toBe(5);
    expect(unsaved(open(), V().links[open().id])).toBe(false);
  });

  it('saves while the server is unreachable wait in the queue and are sent in order when it is back', async () => {
    const url = V().url;
    useServer.setState({ url: `http://127.0.0.1:${await freePort()}` }); // nothing listens there
    const st = proposed(open())[0];
    edit((sc) => moveStation(sc, st.id, 7.427, 43.739));
    await saveOpenScenario();
    expect(V().status).toBe('offline');
    expect(V().message).toMatchObject({ key: 'server.queued' });
    edit((sc) => moveStation(sc, st.id, 7.428, 43.7395));
    await saveOpenScenario();
    expect(V().queue).toBe(2);
    expect((queue.items as QueuedSave[]).map((q) => q.localId)).toEqual([open().id, open().id]);
    await poll(); // still unreachable
    expect(V()).toMatchObject({ status: 'offline', queue: 2 });
    useServer.setState({ url });
    await poll();
    expect(V()).toMatchObject({ status: 'online', queue: 0 });
    const v6 = (await dave.get(`/api/scenarios/${serverId}/versions/6`)).body;
    const v7 = (await dave.get(`/api/scenarios/${serverId}/versions/7`)).body;
    const at = (b: { body: { features: { properties: { id: string }; geometry: { coordinates: number[] } }[] } }) => b.body.features.find((f) => f.properties.id === st.id)!.geometry.coordinates;
    expect([v6.author, at(v6)]).toEqual(['alice', [7.427, 43.739]]);
    expect([v7.author, at(v7)]).toEqual(['alice', [7.428, 43.7395]]);
    expect(V().links[open().id].version).toBe(7);
    expect(unsaved(open(), V().links[open().id])).toBe(false);
  });

  it('a queued save that meets a newer version on sync gets the prompt, never an overwrite', async () => {
    const url = V().url;
    useServer.setState({ url: `http://127.0.0.1:${await freePort()}` });
    const st = proposed(open())[0];
    edit((sc) => moveStation(sc, st.id, 7.429, 43.7399));
    await saveOpenScenario();
    expect(V().queue).toBe(1);
    await dave.put(`/api/scenarios/${serverId}`, { baseVersion: 7, body: scenarioToGeoJSON(moveStation(open(), st.id, 7.45, 43.75)) });
    useServer.setState({ url });
    await poll();
    expect(V().conflict).toMatchObject({ fromQueue: true, theirs: { version: 8, author: 'dave' } });
    expect(V().queue).toBe(1);
    expect((await serverBody()).version).toBe(8);
    await resolveServerConflict('mine');
    expect(V().queue).toBe(0);
    expect(await serverBody()).toMatchObject({ version: 9, author: 'alice' });
  });

  it('a commander sees the server version, follows newer ones, and cannot move a station or save', async () => {
    await logout();
    expect(V().status).toBe('off');
    await connect(V().url);
    await login('bob', PW);
    expect(V().places.map((p) => [p.id, p.role])).toEqual([['monaco', 'commander']]);
    expect(editLocked()).toBe(true);
    await openServerScenario(serverId);
    const st = proposed(open())[0];
    expect(st).toMatchObject({ lon: 7.429, lat: 43.7399 });
    // drag and edit do nothing
    dragStation(st.id, [7.5, 43.8], 'drag:test');
    endDrag();
    edit((sc) => moveStation(sc, st.id, 7.5, 43.8));
    expect(proposed(open())[0]).toMatchObject({ lon: 7.429, lat: 43.7399 });
    expect(unsaved(open(), V().links[open().id])).toBe(false);
    // the planner's next version reaches the commander by the poll
    await dave.put(`/api/scenarios/${serverId}`, { baseVersion: 9, body: scenarioToGeoJSON(moveStation(open(), st.id, 7.4235, 43.7355)) });
    await poll();
    expect(proposed(open())[0]).toMatchObject({ lon: 7.4235, lat: 43.7355 });
    expect(V().links[open().id].version).toBe(10);
    // the server refuses a commander's save in any case (403)
    const bobClient = new Client(() => h.server.url);
    await bobClient.login('bob', PW);
    expect((await bobClient.put(`/api/scenarios/${serverId}`, { baseVersion: 10, body: scenarioToGeoJSON(open()) })).status).toBe(403);
  });

  it('"check on the server" is answered by the server engine with the open scenario', async () => {
    const admin = new Client(() => h.server.url);
    await admin.login('admin', 'admin-password-for-tests');
    const { readFileSync } = await import('node:fs');
    const { join } = await import('node:path');
    const { repoRoot } = await import('../support/place');
    expect((await admin.call('PUT', '/api/places/monaco/network', readFileSync(join(repoRoot, 'public/data/monaco/graph.bin')), 'application/octet-stream')).status).toBe(200);
    await checkOnServer();
    const c = V().check!;
    expect(c.error).toBeUndefined();
    expect(c.result).toMatchObject({ engine: 'server', networkVersion: 1 });
    const report = c.result!.report as { stations: { id: string }[]; summary: { total: number } };
    // the server checked the open scenario: its proposed station is among the checked ones
    expect(report.stations.map((s) => s.id)).toContain(proposed(open())[0].id);
    expect(report.summary.total).toBe(report.stations.length);
  }, 120_000);

  it('a commander comments (shown as text) but may not restore; a planner restores an old version as a new one', async () => {
    expect(await addComment('  <b>请核实</b> 这个站点的位置  ')).toBe(true);
    await loadDetail();
    expect(V().detail!.comments.map((c) => [c.author, c.text])).toEqual([['bob', '<b>请核实</b> 这个站点的位置']]);
    expect(V().detail!.versions.map((v) => v.version)).toEqual([10, 9, 8, 7, 6, 5, 4, 3, 2, 1]);
    await restoreVersion(1);
    expect(V().message).toMatchObject({ code: 'forbidden' });
    expect((await serverBody()).version).toBe(10);

    await logout();
    await connect(V().url);
    await login('alice', PW);
    expect(editLocked()).toBe(false);
    await openServerScenario(serverId);
    await restoreVersion(1);
    expect(V().message).toMatchObject({ key: 'server.restored', params: { v: 1, now: 11 } });
    const body = await serverBody();
    expect(body).toMatchObject({ version: 11, author: 'alice', note: 'restored version 1' });
    expect(proposed(open())[0]).toMatchObject({ lon: 7.42, lat: 43.735 });
    expect(V().links[open().id].version).toBe(11);
    expect(V().detail!.versions[0]).toMatchObject({ version: 11, note: 'restored version 1' });
  });

  it('reconnecting while the server is unreachable keeps the last user and roles: a commander stays read-only offline', async () => {
    await logout();
    await connect(V().url);
    await login('bob', PW);
    expect(editLocked()).toBe(true);
    network.down = true; // as after a reload without a connection
    await connect(V().url);
    expect(V()).toMatchObject({ status: 'offline', user: { name: 'bob' } });
    expect(V().places.map((p) => [p.id, p.role])).toEqual([['monaco', 'commander']]);
    expect(editLocked()).toBe(true);
    network.down = false;
    await poll();
    expect(V()).toMatchObject({ status: 'online', user: { name: 'bob' } });
    await logout();
    expect(editLocked()).toBe(false);
  });
});
