// Issue 16 item 4: the app with the team server, two users in two browser contexts. The server (`planner serve`) runs
// on a free loopback port with a temporary data directory; the admin is made with `serve --create-admin`, the other
// users and roles through the API. The app reaches the API through its own origin: a vite preview of the built app
// whose /api is proxied to that server (as vite.config.ts does for `npm run dev` / `npm run preview`), so the session
// cookie is first-party and no CORS is involved. The planner adds a station, saves to the server, drags it and saves
// again; the commander opens the server scenario, sees the move arrive, and cannot move the station or save. Then
// the commander opens a place that exists only on the server (Monaco's data pushed under another id): its map data
// and network come from the server, and with "compute on the server" the verdicts come from the server's engine
// (the same as this browser's) and the compliance panel says so.
import { spawn, spawnSync } from 'node:child_process';
import { chmodSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { preview } from 'vite';
import { assert, open, showTab } from './helpers.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const ADMIN_PW = 'e2e-admin-password';
const PW = 'e2e-user-password';
const CLI = ['--import', 'tsx', join(root, 'src/cli/main.ts')];

const freePort = () => new Promise((done, fail) => {
  const s = createServer();
  s.on('error', fail);
  s.listen(0, '127.0.0.1', () => {
    const { port } = s.address();
    s.close(() => done(port));
  });
});

/** `planner serve` on a free port with its own data directory; resolves when /api/health answers. */
async function startTeamServer() {
  const dir = mkdtempSync(join(tmpdir(), 'planner-e2e-server-'));
  chmodSync(dir, 0o755); // the postgres user (tests as root) reaches the cluster directory inside
  const dataDir = join(dir, 'srv');
  const admin = spawnSync(process.execPath, [...CLI, 'serve', '--data-dir', dataDir, '--create-admin', 'admin'], {
    cwd: root, env: { ...process.env, PLANNER_ADMIN_PASSWORD: ADMIN_PW }, encoding: 'utf8', timeout: 120_000,
  });
  assert(admin.status === 0, `serve --create-admin failed: ${admin.stderr}`);
  const port = await freePort();
  const child = spawn(process.execPath, [...CLI, 'serve', '--data-dir', dataDir, '--port', String(port)], { cwd: root, stdio: ['ignore', 'ignore', 'pipe'] });
  let log = '';
  child.stderr.on('data', (b) => { log += b; });
  const url = `http://127.0.0.1:${port}`;
  for (let i = 0; ; i++) {
    const ok = await fetch(`${url}/api/health`).then((r) => r.ok, () => false);
    if (ok) break;
    assert(i < 240 && child.exitCode === null, `the team server did not start: ${log}`);
    await new Promise((r) => setTimeout(r, 250));
  }
  const stop = async () => {
    if (child.exitCode === null) {
      const exited = new Promise((r) => child.once('exit', r));
      child.kill('SIGINT'); // stops the API and the cluster it started
      await Promise.race([exited, new Promise((r) => setTimeout(r, 30_000))]);
    }
    rmSync(dir, { recursive: true, force: true });
  };
  return { url, stop };
}

/** A plain API client with its own session cookie (the admin setting up users and roles). */
function apiClient(url) {
  let cookie = '';
  return async (method, path, body) => {
    const raw = Buffer.isBuffer(body);
    const r = await fetch(url + path, { method, headers: { 'content-type': raw ? 'application/octet-stream' : 'application/json', ...(cookie ? { cookie } : {}) }, body: body === undefined ? undefined : raw ? body : JSON.stringify(body) });
    const set = r.headers.get('set-cookie');
    if (set) cookie = set.split(';')[0];
    const text = await r.text();
    assert(r.ok, `${method} ${path}: HTTP ${r.status} ${text}`);
    return JSON.parse(text);
  };
}

const state = (page, fn, arg) => page.evaluate(fn, arg);
const proposed = (page) => state(page, () => {
  const h = window.__planner.store.getState().scenario;
  return h ? h.present.stations.filter((x) => x.status === 'proposed').map((x) => ({ id: x.id, lon: x.lon, lat: x.lat })) : [];
});

async function pixelOf(page, lonLat) {
  const box = await page.locator('.maplibregl-canvas').boundingBox();
  const p = await page.evaluate((ll) => window.__planner.map.project(ll), lonLat);
  return { x: box.x + p.x, y: box.y + p.y };
}

/** The road vertex nearest the middle of the open place (a site on land and on the network). */
const roadPointNearCentre = (page) => page.evaluate(() => {
  const s = window.__planner.store.getState();
  const [w, so, e, n] = s.places.find((p) => p.id === s.placeId).bbox;
  const c = [(w + e) / 2, (so + n) / 2];
  let best = null, bd = Infinity;
  for (const f of s.placeData.roads.features) {
    for (const p of f.geometry.type === 'LineString' ? f.geometry.coordinates : f.geometry.coordinates.flat()) {
      const d = (p[0] - c[0]) ** 2 + (p[1] - c[1]) ** 2;
      if (d < bd) { bd = d; best = p; }
    }
  }
  return best;
});

/** Presses on the map at lonLat and drags by (dx, dy) pixels in steps. */
async function drag(page, lonLat, dx, dy) {
  const from = await pixelOf(page, lonLat);
  await page.mouse.move(from.x, from.y);
  await page.mouse.down();
  for (let i = 1; i <= 10; i++) await page.mouse.move(from.x + (dx * i) / 10, from.y + (dy * i) / 10);
  await page.waitForTimeout(200);
  await page.mouse.up();
}

async function logIn(page, name) {
  await page.fill('[data-testid="server-url"]', ''); // the app's own origin (proxied /api)
  await page.click('[data-testid="server-connect"]');
  await page.waitForSelector('[data-testid="server-status"][data-status="login"]', { timeout: 30_000 });
  await page.fill('[data-testid="server-name"]', name);
  await page.fill('[data-testid="server-password"]', PW);
  await page.click('[data-testid="server-login"]');
  await page.waitForSelector('[data-testid="server-status"][data-status="online"]', { timeout: 30_000 });
}

export const tests = [
  {
    name: 'server: planner and commander on one team server; the planner\'s move reaches the commander, who cannot move a station',
    async run({ page, shot, errors }) {
      const srv = await startTeamServer();
      let app;
      let other;
      try {
        const admin = apiClient(srv.url);
        await admin('POST', '/api/login', { name: 'admin', password: ADMIN_PW });
        await admin('POST', '/api/places', { id: 'monaco', name: 'Monaco' });
        await admin('POST', '/api/places', { id: 'yangjiang-city', name: '阳江市（仅服务器）' });
        for (const [user, role] of [['planner1', 'planner'], ['commander1', 'commander']]) {
          await admin('POST', '/api/users', { name: user, password: PW });
          await admin('PUT', `/api/places/monaco/roles/${user}`, { role });
          await admin('PUT', `/api/places/yangjiang-city/roles/${user}`, { role });
        }
        // The built app with /api proxied to this server (same origin for the page).
        app = await preview({ preview: { host: '127.0.0.1', port: 4290, strictPort: false, proxy: { '/api': { target: srv.url } } }, logLevel: 'warn' });
        const base = app.resolvedUrls.local[0];
        const origin = new URL(base).origin;
        const apiCalls = [];
        const watch = (p) => p.on('request', (r) => { if (new URL(r.url()).pathname.startsWith('/api/')) apiCalls.push(r.url()); });

        // Before connecting, the app sends nothing to a server.
        watch(page);
        await open(page, base, '?place=monaco');
        await page.waitForFunction(() => window.__planner.store.getState().network?.status === 'ready', null, { timeout: 60_000 });
        assert(apiCalls.length === 0, `requests to /api before connecting: ${apiCalls.join(', ')}`);

        // The planner: log in, a new scenario with a proposed station, save to the server (version 1).
        await logIn(page, 'planner1');
        const who = await page.textContent('[data-testid="server-user"]');
        assert(/planner1/.test(who) && (await page.getAttribute('[data-testid="server-user"]', 'data-role')) === 'planner', `planner shown as ${who}`);
        // The place list includes the server's places: Monaco with the role, the server-only place listed apart (no map data here).
        const monacoOption = await page.textContent('[data-testid="place-select"] option[value="monaco"]');
        assert(/服务器：规划员/.test(monacoOption), `Monaco in the place list: ${monacoOption}`);
        assert(await page.locator('[data-testid="place-select"] option[value="server:yangjiang-city"]').count() === 1, 'the server-only place is missing from the list');
        await page.click('[data-testid="scenario-new"]');
        const site = await roadPointNearCentre(page);
        await page.click('[data-testid="add-station"]');
        await page.waitForSelector('[data-testid="placing"]');
        await page.waitForTimeout(300);
        const px = await pixelOf(page, site);
        await page.mouse.click(px.x, px.y);
        await page.waitForFunction(() => window.__planner.store.getState().scenario.present.stations.some((x) => x.status === 'proposed'), null, { timeout: 10_000 });
        const [st] = await proposed(page);
        await page.click('[data-testid="server-save"]');
        await page.waitForSelector('[data-testid="server-link"][data-version="1"][data-dirty="0"]', { timeout: 20_000 });

        // The commander, in a browser context of their own: log in, open the server scenario; read-only.
        const ctx = await page.context().browser().newContext({ viewport: { width: 1400, height: 900 } });
        other = await ctx.newPage();
        other.on('pageerror', (e) => errors.push(`commander page: ${e}`));
        watch(other);
        await open(other, base, '?place=monaco');
        await other.waitForFunction(() => window.__planner.store.getState().network?.status === 'ready', null, { timeout: 60_000 });
        await logIn(other, 'commander1');
        assert((await other.getAttribute('[data-testid="server-user"]', 'data-role')) === 'commander', 'commander role not shown');
        await other.waitForSelector('[data-testid="server-readonly"]');
        await other.waitForSelector('[data-testid="server-scenarios"] li[data-version="1"]', { timeout: 20_000 });
        const sid = await other.getAttribute('[data-testid="server-scenarios"] li', 'data-scenario');
        await other.click(`[data-testid="server-open-${sid}"]`);
        await other.waitForFunction((id) => window.__planner.store.getState().scenario.present.stations.some((x) => x.id === id), st.id, { timeout: 20_000 });
        const saveBtn = other.locator('[data-testid="server-save"]');
        assert(await saveBtn.isDisabled(), 'the commander\'s save button is enabled');
        const why = await other.textContent('[data-testid="server-save-why"]');
        assert(/指挥员/.test(why), `no reason beside the disabled save: ${why}`);
        assert(await other.locator('[data-testid="add-station"]').isDisabled(), 'the commander can add a station');
        await shot('server-01-planner-saved-v1');

        // The planner drags the station and saves (version 2).
        await page.keyboard.press('Escape'); // closes the new station's popup
        await drag(page, [st.lon, st.lat], -60, -40);
        await page.waitForFunction(() => !window.__planner.store.getState().dragging);
        const [moved] = await proposed(page);
        assert(moved.lon !== st.lon || moved.lat !== st.lat, 'the planner\'s drag did not move the station');
        await page.waitForSelector('[data-testid="server-link"][data-dirty="1"]');
        await page.click('[data-testid="server-save"]');
        await page.waitForSelector('[data-testid="server-link"][data-version="2"][data-dirty="0"]', { timeout: 20_000 });
        await shot('server-02-planner-saved');

        // The commander's page follows (poll every 5 s): the station is where the planner put it.
        await other.waitForFunction(([id, lon, lat]) => {
          const x = window.__planner.store.getState().scenario.present.stations.find((s) => s.id === id);
          return x && Math.abs(x.lon - lon) < 1e-9 && Math.abs(x.lat - lat) < 1e-9;
        }, [st.id, moved.lon, moved.lat], { timeout: 30_000 });
        await other.waitForSelector('[data-testid="server-link"][data-version="2"]');

        // The commander drags the station: nothing moves, nothing is marked for saving.
        await drag(other, [moved.lon, moved.lat], 80, 50);
        await other.waitForTimeout(500);
        const after = (await proposed(other)).find((x) => x.id === st.id);
        assert(after.lon === moved.lon && after.lat === moved.lat, `the commander moved the station to ${after.lon}, ${after.lat}`);
        assert(!(await state(other, () => window.__planner.store.getState().dragging)), 'the commander\'s page is left dragging');
        assert((await other.getAttribute('[data-testid="server-link"]', 'data-dirty')) === '0', 'the commander\'s scenario has unsaved changes');
        assert(await saveBtn.isDisabled(), 'the commander\'s save button became enabled');
        await other.screenshot({ path: join(root, 'tests/e2e/screenshots/server-03-commander-followed.png') });

        // Every API request went to the app's own origin (the proxy), none to the server's port directly.
        assert(apiCalls.length > 0 && apiCalls.every((u) => new URL(u).origin === origin), `API requests off the app origin: ${apiCalls.filter((u) => new URL(u).origin !== origin).join(', ')}`);
        await ctx.close();
      } finally {
        await app?.close();
        await srv.stop();
      }
    },
  },
  {
    name: 'server: a place only on the server opens from it (map data and network downloaded); "compute on the server" answers its check with the browser\'s verdicts',
    async run({ page }) {
      const srv = await startTeamServer();
      let app;
      try {
        const admin = apiClient(srv.url);
        await admin('POST', '/api/login', { name: 'admin', password: ADMIN_PW });
        await admin('POST', '/api/users', { name: 'commander2', password: PW });
        // A place only on the server: Monaco's network, districts, stations and hydrants under another id.
        await admin('POST', '/api/places', { id: 'monaco-team', name: '摩纳哥（服务器）' });
        await admin('PUT', '/api/places/monaco-team/roles/commander2', { role: 'commander' });
        const built = (f) => JSON.parse(readFileSync(join(root, 'public/data/monaco', f), 'utf8'));
        const fac = built('facilities.geojson').features;
        await admin('PUT', '/api/places/monaco-team/network', readFileSync(join(root, 'public/data/monaco/graph.bin')));
        await admin('PUT', '/api/places/monaco-team/features/districts', built('districts.geojson'));
        await admin('PUT', '/api/places/monaco-team/features/stations', { type: 'FeatureCollection', features: fac.filter((f) => f.properties.kind === 'station') });
        await admin('PUT', '/api/places/monaco-team/features/hydrants', { type: 'FeatureCollection', features: fac.filter((f) => f.properties.kind !== 'station') });
        app = await preview({ preview: { host: '127.0.0.1', port: 4291, strictPort: false, proxy: { '/api': { target: srv.url } } }, logLevel: 'warn' });
        await open(page, app.resolvedUrls.local[0], '?place=monaco');
        await page.waitForFunction(() => window.__planner.store.getState().network?.status === 'ready', null, { timeout: 60_000 });
        await logIn(page, 'commander2');
        // The commander opens the place that exists only on the server: map data and network downloaded from it,
        // loaded like an imported extract (the data card's source names the server).
        await page.selectOption('[data-testid="place-select"]', 'server:monaco-team');
        await page.waitForFunction(() => {
          const s = window.__planner.store.getState();
          return s.placeId === 'monaco-team' && s.network?.status === 'ready' && s.compliance.report && !s.compliance.busy;
        }, null, { timeout: 90_000 });
        const net = await state(page, () => { const n = window.__planner.store.getState().network; return { source: n.source, fileName: n.fileName }; });
        assert(net.source === 'imported' && /^server: 摩纳哥（服务器） \(v1\)$/.test(net.fileName), `server place network: ${JSON.stringify(net)}`);
        await page.waitForSelector('[data-testid="server-opened"][data-version="1"]');
        const verdicts = () => state(page, () => window.__planner.store.getState().compliance.report.stations.map((x) => `${x.id}:${x.verdict}:${x.worstResponseSeconds?.toFixed(1)}`));
        const fromBrowser = await verdicts();
        assert(fromBrowser.length === 3, `server place verdicts: ${fromBrowser}`);
        await page.waitForSelector('[data-testid="compliance-engine"][data-engine="browser"]', { state: 'attached' });
        // "Compute on the server": the whole-place check is answered by the server, with the browser's verdicts.
        await page.check('[data-testid="server-compute"]');
        await page.waitForSelector('[data-testid="compliance-engine"][data-engine="server"]', { state: 'attached', timeout: 30_000 });
        const fromServer = await verdicts();
        assert(JSON.stringify(fromServer) === JSON.stringify(fromBrowser), `server engine ${fromServer} vs browser ${fromBrowser}`);
        await showTab(page, 'check');
        const engineText = await page.textContent('[data-testid="compliance-engine"]');
        assert(/服务器引擎（路网第 1 版）/.test(engineText), `engine line: ${engineText}`);
        await page.screenshot({ path: join(root, 'tests/e2e/screenshots/server-04-server-place-server-engine.png') });
      } finally {
        await app?.close();
        await srv.stop();
      }
    },
  },
];
