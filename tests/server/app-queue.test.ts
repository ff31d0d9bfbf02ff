/**
 * The app's offline save queue (store/server.ts) against a REAL server on a private cluster: each queued save keeps
 * the base it was made on, so a "take theirs" on a queued conflict never lets a later queued save of the same
 * scenario overwrite the version the user chose; and a save queued while the queue is being sent is neither lost
 * nor sent twice. The queue's storage is kept in memory (Node has no IndexedDB); `slow` gives each read and write
 * the latency of a separate IndexedDB transaction.
 */
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { freePort, havePostgres } from '../../src/server/pgcluster';
import { addStation, moveStation, scenarioToGeoJSON, type Scenario } from '../../src/core/scenario';
import type { QueuedSave } from '../../src/data/server';
import { useStore } from '../../src/store';
import { edit, newScenario } from '../../src/store/scenario';
import { checkOnServer, connect, login, logout, openServerScenario, poll, resolveServerConflict, saveOpenScenario, unsaved, useServer } from '../../src/store/server';
import { switchScenario } from '../../src/store/scenario';
import { placeJson } from '../support/place';
import { Client, fakePage, freshApp, seedServer, startHarness, USER_PW, type Harness, type PageHooks } from './harness';

const queue = vi.hoisted(() => ({ items: [] as unknown[], slow: false }));
vi.mock('../../src/data/server', async (orig) => {
  const wait = () => new Promise((r) => setTimeout(r, queue.slow ? 15 : 0));
  return {
    ...(await orig<typeof import('../../src/data/server')>()),
    readQueue: async () => { const q = [...queue.items]; await wait(); return q; },
    writeQueue: async (q: unknown[]) => { await wait(); queue.items = [...q]; },
  };
});

const present = havePostgres();
const PW = USER_PW;
const S = () => useStore.getState();
const V = () => useServer.getState();
const open = () => S().scenario!.present;
const proposed = (sc: Scenario) => sc.stations.filter((x) => x.status === 'proposed');

/** This "browser" (harness fakePage): `onSaved` runs once when the next PUT of a version is answered; `delay` makes answers late. */
const hooks: { onSaved: (() => void) | null; delay: ((method: string, url: string) => number) | null } = { onSaved: null, delay: null };
const pageHooks: PageHooks = {
  delayMs: (method, url) => hooks.delay?.(method, url) ?? 0,
  answered: (method, url) => {
    if (method === 'PUT' && /\/api\/scenarios\/[^/]+$/.test(url) && hooks.onSaved) {
      const f = hooks.onSaved;
      hooks.onSaved = null;
      f();
    }
  },
};

type Body = { body: { features: { properties: { id: string }; geometry: { coordinates: number[] } }[] } };
const coordsOf = (b: Body, id: string) => b.body.features.find((f) => f.properties.id === id)!.geometry.coordinates;

describe.skipIf(!present)('the offline queue against a real team server', () => {
  let h: Harness;
  let closePage: () => void;
  const dave = new Client(() => h.server.url);
  let serverId = '';
  const serverBody = async () => (await dave.get(`/api/scenarios/${serverId}`)).body;
  const versions = async () => (await dave.get(`/api/scenarios/${serverId}/versions`)).body.versions.map((v: { version: number; author: string }) => `${v.version}:${v.author}`);
  const goOffline = async () => { const url = V().url; useServer.setState({ url: `http://127.0.0.1:${await freePort()}` }); return () => useServer.setState({ url }); };

  beforeAll(async () => {
    h = await startHarness();
    await seedServer(h, [['monaco', 'Monaco']], [['alice', 'monaco', 'planner'], ['dave', 'monaco', 'planner']]);
    await dave.login('dave', PW);
    closePage = fakePage(pageHooks);
    await freshApp('monaco', { facilities: placeJson('monaco', 'facilities.geojson') as never });
    await connect(h.server.url);
    await login('alice', PW);
    newScenario();
    edit((sc) => addStation(sc, { lon: 7.42, lat: 43.735, stationClass: '二级' }));
    await saveOpenScenario();
    serverId = V().links[open().id].serverId;
    const st = proposed(open())[0];
    for (const [lon, lat] of [[7.421, 43.736], [7.422, 43.737]]) {
      edit((sc) => moveStation(sc, st.id, lon, lat));
      await saveOpenScenario();
    }
    expect(V().links[open().id].version).toBe(3);
  }, 180_000);
  afterAll(async () => {
    closePage?.();
    await h?.dispose();
  }, 60_000);

  it('linked v3, two offline saves, a colleague saves v4: "take theirs" on the first never lets the second overwrite v4', async () => {
    const back = await goOffline();
    const st = proposed(open())[0];
    edit((sc) => moveStation(sc, st.id, 7.423, 43.738));
    await saveOpenScenario();
    edit((sc) => moveStation(sc, st.id, 7.424, 43.739));
    await saveOpenScenario();
    expect(V()).toMatchObject({ status: 'offline', queue: 2 });
    expect((queue.items as QueuedSave[]).map((q) => [q.serverId, q.baseVersion])).toEqual([[serverId, 3], [serverId, 3]]);
    expect((await dave.put(`/api/scenarios/${serverId}`, { baseVersion: 3, body: scenarioToGeoJSON(moveStation(open(), st.id, 7.45, 43.75)) })).status).toBe(200);
    back();
    await poll();
    expect(V().conflict).toMatchObject({ fromQueue: true, theirs: { version: 4, author: 'dave' } });
    await resolveServerConflict('theirs');
    expect(proposed(open())[0]).toMatchObject({ lon: 7.45, lat: 43.75 });
    // the second queued save was made on v3 too: it is asked about, not put on v4
    expect(V().conflict).toMatchObject({ fromQueue: true, theirs: { version: 4, author: 'dave' } });
    expect(V().queue).toBe(1);
    expect(await versions()).toEqual(['4:dave', '3:alice', '2:alice', '1:alice']);
    expect(coordsOf(await serverBody(), st.id)).toEqual([7.45, 43.75]);
    await resolveServerConflict('cancel');
    expect(V()).toMatchObject({ conflict: null, queue: 0 });
    expect(await versions()).toEqual(['4:dave', '3:alice', '2:alice', '1:alice']);
    expect(V().links[open().id].version).toBe(4);
  });

  it('"keep mine" on the first queued save: the second is sent on the version that made, in order', async () => {
    const back = await goOffline();
    const st = proposed(open())[0];
    edit((sc) => moveStation(sc, st.id, 7.425, 43.74));
    await saveOpenScenario();
    edit((sc) => moveStation(sc, st.id, 7.426, 43.741));
    await saveOpenScenario();
    expect(V().queue).toBe(2);
    await dave.put(`/api/scenarios/${serverId}`, { baseVersion: 4, body: scenarioToGeoJSON(moveStation(open(), st.id, 7.46, 43.76)) });
    back();
    await poll();
    expect(V().conflict).toMatchObject({ fromQueue: true, theirs: { version: 5 } });
    await resolveServerConflict('mine');
    expect(V()).toMatchObject({ conflict: null, queue: 0 });
    expect(await versions()).toEqual(['7:alice', '6:alice', '5:dave', '4:dave', '3:alice', '2:alice', '1:alice']);
    expect(coordsOf((await dave.get(`/api/scenarios/${serverId}/versions/6`)).body, st.id)).toEqual([7.425, 43.74]);
    expect(coordsOf(await serverBody(), st.id)).toEqual([7.426, 43.741]);
    expect(V().links[open().id].version).toBe(7);
    expect(unsaved(open(), V().links[open().id])).toBe(false);
  });

  it('a save made while the queue is being sent is neither lost nor sent twice', async () => {
    const back = await goOffline();
    const st = proposed(open())[0];
    edit((sc) => moveStation(sc, st.id, 7.427, 43.742));
    await saveOpenScenario();
    expect(V().queue).toBe(1);
    back();
    queue.slow = true;
    let during: Promise<void> | undefined;
    hooks.onSaved = () => {
      // the queued save was just answered; the queue's entry is not out yet
      edit((sc) => moveStation(sc, st.id, 7.428, 43.743));
      during = saveOpenScenario();
    };
    try {
      await poll();
      expect(during).toBeDefined();
      await during;
      for (let i = 0; i < 20 && V().queue > 0; i++) await poll();
    } finally {
      queue.slow = false;
      hooks.onSaved = null;
    }
    expect(V()).toMatchObject({ conflict: null, queue: 0 });
    expect(queue.items).toEqual([]);
    expect(await versions()).toEqual(['9:alice', '8:alice', '7:alice', '6:alice', '5:dave', '4:dave', '3:alice', '2:alice', '1:alice']);
    expect(coordsOf((await dave.get(`/api/scenarios/${serverId}/versions/8`)).body, st.id)).toEqual([7.427, 43.742]);
    expect(coordsOf(await serverBody(), st.id)).toEqual([7.428, 43.743]);
    expect(V().links[open().id].version).toBe(9);
  });

  it('opening two server scenarios quickly: the one asked last is open, whatever answer arrives last', async () => {
    const mine = open();
    const st = proposed(mine)[0];
    const other = await dave.post('/api/places/monaco/scenarios', { name: 'B', body: scenarioToGeoJSON({ ...moveStation(mine, st.id, 7.418, 43.733), name: 'B' }) });
    expect(other.status).toBe(200);
    hooks.delay = (method, url) => (method === 'GET' && url.endsWith(`/api/scenarios/${serverId}`) ? 400 : 0);
    try {
      const slow = openServerScenario(serverId);
      await openServerScenario(other.body.id);
      await slow;
    } finally {
      hooks.delay = null;
    }
    expect(S().activeScenarioId).toBe(`srv-${other.body.id}`);
    expect(proposed(open())[0]).toMatchObject({ lon: 7.418, lat: 43.733 });
    expect(V().busy).toBe(false);
    switchScenario(mine.id);
  });

  it('"check on the server" asked twice: the older answer arriving last does not replace the newer', async () => {
    const admin = new Client(() => h.server.url);
    await admin.login('admin', 'admin-password-for-tests');
    const { readFileSync } = await import('node:fs');
    const { join } = await import('node:path');
    const { repoRoot } = await import('../support/place');
    expect((await admin.call('PUT', '/api/places/monaco/network', readFileSync(join(repoRoot, 'public/data/monaco/graph.bin')), 'application/octet-stream')).status).toBe(200);
    const stationId = proposed(open())[0].id;
    let first = true;
    hooks.delay = (method, url) => (method === 'POST' && url.endsWith('/check') && first ? ((first = false), 1500) : 0);
    try {
      const slow = checkOnServer(); // the linked scenario: its proposed station is checked
      newScenario(); // not on the server: the place's plan alone
      await checkOnServer();
      const newer = V().check!.result!.report as { stations: { id: string }[] };
      expect(newer.stations.map((s) => s.id)).not.toContain(stationId);
      await slow;
      expect(V().check!.result!.report).toBe(newer);
    } finally {
      hooks.delay = null;
    }
  }, 120_000);

  it("another user's log-in neither sends this user's queued save nor uses their links; the panel counts it as held", async () => {
    switchScenario(Object.keys(V().links).find((k) => V().links[k].serverId === serverId)!);
    expect(V().links[open().id]).toMatchObject({ serverId });
    const before = await versions();
    const back = await goOffline();
    const st = proposed(open())[0];
    edit((sc) => moveStation(sc, st.id, 7.4285, 43.7435));
    await saveOpenScenario();
    expect(V()).toMatchObject({ queue: 1, held: 0 });
    back();
    await logout();
    await connect(V().url);
    await login('dave', PW);
    expect(V()).toMatchObject({ status: 'online', user: { name: 'dave' }, queue: 0, held: 1 });
    expect(await versions()).toEqual(before); // alice's save was not sent as dave
    expect(V().links[open().id]).toBeUndefined(); // alice's link is not dave's
    await logout();
    await connect(V().url);
    await login('alice', PW);
    expect(V()).toMatchObject({ queue: 0, held: 0 });
    expect(V().links[open().id]).toMatchObject({ serverId });
    expect(await serverBody()).toMatchObject({ author: 'alice', version: Number(before[0].split(':')[0]) + 1 });
    expect(coordsOf(await serverBody(), st.id)).toEqual([7.4285, 43.7435]);
  });
});
