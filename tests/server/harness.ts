/**
 * Test support for the team server: a server (src/server/server.ts) on a private cluster in a temp dir, a small
 * HTTP client that keeps one session cookie per user, and the set-up the app's tests share (an admin with places and
 * users, a page's cookie jar and localStorage, a fresh app store).
 */
import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { vi } from 'vitest';
import { startServer, type RunningServer, type ServerOptions } from '../../src/server/server';
import { createUser } from '../../src/server/auth';
import type { PlaceData } from '../../src/data/places';

export interface Harness {
  dir: string;
  dataDir: string;
  server: RunningServer;
  /** Restarts the server on the same data directory (the cluster stopped and started again). */
  restart(): Promise<RunningServer>;
  dispose(): Promise<void>;
}

export async function startHarness(opts: Partial<ServerOptions> = {}): Promise<Harness> {
  const dir = mkdtempSync(join(tmpdir(), 'planner-server-'));
  chmodSync(dir, 0o755); // the postgres user (tests as root) reaches the cluster directory inside
  const dataDir = join(dir, 'srv');
  const o = { dataDir, port: 0, stopCluster: true, ...opts };
  const h: Harness = {
    dir, dataDir,
    server: await startServer(o),
    async restart() {
      await h.server.close();
      h.server = await startServer(o);
      return h.server;
    },
    async dispose() {
      await h.server.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
  return h;
}

export interface Reply { status: number; body: any }

/** One user's HTTP client (the session cookie is kept after a log-in). */
export class Client {
  cookie = '';
  constructor(private readonly base: () => string) {}
  async call(method: string, path: string, body?: unknown, type = 'application/json'): Promise<Reply> {
    const headers: Record<string, string> = {};
    if (this.cookie) headers.cookie = this.cookie;
    let payload: BodyInit | undefined;
    if (body !== undefined) {
      headers['content-type'] = type;
      payload = type === 'application/json' ? JSON.stringify(body) : (body as BodyInit);
    }
    const r = await fetch(this.base() + path, { method, headers, body: payload });
    const set = r.headers.get('set-cookie');
    if (set) this.cookie = set.split(';')[0];
    const text = await r.text();
    let parsed: unknown = text;
    try { parsed = JSON.parse(text); } catch { /* not JSON */ }
    return { status: r.status, body: parsed };
  }
  get = (p: string) => this.call('GET', p);
  post = (p: string, b: unknown = {}) => this.call('POST', p, b);
  put = (p: string, b: unknown) => this.call('PUT', p, b);
  async login(name: string, password: string): Promise<Reply> {
    return this.post('/api/login', { name, password });
  }
}

export const ADMIN_PW = 'admin-password-for-tests';
export const USER_PW = 'user-password-for-tests';

/**
 * An admin (made in the database, logged in), the places [id, name] and the users with their roles
 * [user, place, role]: each user is created once (password USER_PW) at their first role. Returns the admin's client.
 */
export async function seedServer(h: Harness, places: [string, string][], roles: [string, string, string][]): Promise<Client> {
  await createUser(h.server.pool, 'admin', ADMIN_PW, true);
  const admin = new Client(() => h.server.url);
  await admin.login('admin', ADMIN_PW);
  for (const [id, name] of places) await admin.post('/api/places', { id, name });
  const made = new Set<string>();
  for (const [user, place, role] of roles) {
    if (!made.has(user)) await admin.post('/api/users', { name: user, password: USER_PW });
    made.add(user);
    await admin.put(`/api/places/${place}/roles/${user}`, { role });
  }
  return admin;
}

/** Ways a test steers the page's requests: no connection, an answer that arrives late, a look at each answer. */
export interface PageHooks {
  down?: () => boolean;
  delayMs?: (method: string, url: string) => number;
  answered?: (method: string, url: string) => void;
}

/**
 * This process as the app's page: its requests (credentials: 'include', as a page sends them) share one cookie jar
 * (the other users' plain Clients keep their own), and localStorage lives in memory. Returns the undo.
 */
export function fakePage(hooks: PageHooks = {}): () => void {
  const real = globalThis.fetch;
  let cookie = '';
  globalThis.fetch = (async (url: string, init: RequestInit = {}) => {
    if (init.credentials !== 'include') return real(url, init);
    if (hooks.down?.()) throw new TypeError('fetch failed'); // as a browser without a connection
    const headers = new Headers(init.headers);
    if (cookie) headers.set('cookie', cookie);
    const method = init.method ?? 'GET';
    const ms = hooks.delayMs?.(method, url) ?? 0;
    const r = await real(url, { ...init, headers });
    if (ms) await new Promise((done) => setTimeout(done, ms)); // this answer arrives late
    const set = r.headers.get('set-cookie');
    if (set) cookie = set.split(';')[0];
    hooks.answered?.(method, url);
    return r;
  }) as typeof fetch;
  const mem = new Map<string, string>();
  vi.stubGlobal('localStorage', { getItem: (k: string) => mem.get(k) ?? null, setItem: (k: string, v: string) => void mem.set(k, String(v)), removeItem: (k: string) => void mem.delete(k) });
  return () => {
    globalThis.fetch = real;
    vi.unstubAllGlobals();
  };
}

/** The app's store as a fresh page has it with `data` as the open place's layers, its scenarios initialised. */
export async function freshApp(placeId: string, data: PlaceData): Promise<void> {
  // Loaded here, not at the top: the server-only tests that use this harness need none of the app.
  const { initialState, useStore } = await import('../../src/store');
  const { initScenario } = await import('../../src/store/scenario');
  useStore.setState({ ...initialState(), placeId, placeData: data, places: [] }, false);
  await initScenario(placeId, data);
}
