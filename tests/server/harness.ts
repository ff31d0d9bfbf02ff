/**
 * Test support for the team server: a server (src/server/server.ts) on a private cluster in a temp dir, and a small
 * HTTP client that keeps one session cookie per user.
 */
import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startServer, type RunningServer, type ServerOptions } from '../../src/server/server';

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
