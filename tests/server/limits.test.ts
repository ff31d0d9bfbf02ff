/**
 * Log-in rate limiting and session expiry on a REAL cluster (a server of its own with short numbers: 3 failures per
 * name, 6 per address, a 4 s window (long enough for a slow machine's argon2 checks); sessions of 2 s). Skips only without the PostgreSQL binaries.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { havePostgres } from '../../src/server/pgcluster';
import { createUser } from '../../src/server/auth';
import { buildApp } from '../../src/server/app';
import { Client, startHarness, type Harness } from './harness';

const PW = 'user-password-for-tests';
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe.skipIf(!havePostgres())('log-in limits and session expiry (real cluster)', () => {
  let h: Harness;
  const base = () => h.server.url;
  /** A log-in as if from `address` (the server trusts X-Forwarded-For from loopback, its reverse proxy). */
  const loginFrom = async (name: string, password: string, address?: string) => {
    const r = await fetch(base() + '/api/login', {
      method: 'POST', headers: { 'content-type': 'application/json', ...(address ? { 'x-forwarded-for': address } : {}) }, body: JSON.stringify({ name, password }),
    });
    return { status: r.status, retryAfter: r.headers.get('retry-after'), body: await r.json() as { error?: { code: string; zh: string; en: string } } };
  };
  const sessionsOf = async (name: string) =>
    (await h.server.pool.query(`SELECT count(*)::int AS n FROM sessions s JOIN users u ON u.id = s.user_id WHERE u.name = $1`, [name])).rows[0].n as number;

  beforeAll(async () => {
    h = await startHarness({ config: { login: { maxFailuresPerName: 3, maxFailuresPerAddress: 6, windowSeconds: 4 }, sessions: { lifetimeSeconds: 2, cleanupSeconds: 3600 } } });
    for (const u of ['alice', 'bob', 'carol', 'dave']) await createUser(h.server.pool, u, PW);
  }, 180_000);
  afterAll(async () => { await h?.dispose(); }, 60_000);

  it('a user name gets 429 with Retry-After after 3 failures, even with the right password; the window ends it', async () => {
    for (let i = 0; i < 3; i++) expect((await loginFrom('alice', 'wrong password')).status).toBe(401);
    const locked = await loginFrom('alice', PW);
    expect(locked.status).toBe(429);
    expect(locked.body.error).toMatchObject({ code: 'too-many-log-ins' });
    expect(locked.body.error!.zh).toMatch(/登录失败次数过多，请 [1-4] 秒后再试/);
    expect(locked.body.error!.en).toMatch(/too many failed log-ins; try again in [1-4] s/);
    expect(Number(locked.retryAfter)).toBeGreaterThanOrEqual(1);
    expect(Number(locked.retryAfter)).toBeLessThanOrEqual(4);
    expect(await sessionsOf('alice')).toBe(0);
    // Another name from the same address is not locked by alice's failures (3 < 6 per address).
    expect((await loginFrom('bob', PW)).status).toBe(200);
    await sleep(Number(locked.retryAfter) * 1000 + 100);
    expect((await loginFrom('alice', PW)).status).toBe(200);
  });

  it('a successful log-in resets the count', async () => {
    for (let i = 0; i < 2; i++) expect((await loginFrom('carol', 'wrong password')).status).toBe(401);
    expect((await loginFrom('carol', PW)).status).toBe(200);
    // Without the reset the next failure would be the third and the one after it refused.
    for (let i = 0; i < 2; i++) expect((await loginFrom('carol', 'wrong password')).status).toBe(401);
    expect((await loginFrom('carol', PW)).status).toBe(200);
    for (let i = 0; i < 3; i++) expect((await loginFrom('carol', 'wrong password')).status).toBe(401);
    expect((await loginFrom('carol', PW)).status).toBe(429);
    await sleep(4100);
  });

  it('guesses sent in parallel are counted at once: at most 3 of 12 get their password checked', async () => {
    const replies = await Promise.all(Array.from({ length: 12 }, () => loginFrom('dave', 'wrong password', '198.51.100.9')));
    const codes = replies.map((r) => r.status).sort();
    expect(codes.filter((c) => c === 401).length).toBeLessThanOrEqual(3);
    expect(codes.filter((c) => c === 429).length).toBeGreaterThanOrEqual(9);
    expect(codes.every((c) => c === 401 || c === 429)).toBe(true);
    await sleep(4100);
  });

  it('colleagues behind one address log in at the same moment: 10 of them (over the 6 per address) all get in', async () => {
    const names = Array.from({ length: 10 }, (_, i) => `office${i}`);
    for (const n of names) await createUser(h.server.pool, n, PW);
    const replies = await Promise.all(names.map((n) => loginFrom(n, PW, '198.51.100.20')));
    expect(replies.map((r) => r.status)).toEqual(names.map(() => 200));
  });

  it('an address gets 429 after 6 failures over many names; other addresses are not affected', async () => {
    const from = '198.51.100.7';
    for (let i = 0; i < 6; i++) expect((await loginFrom(`nobody${i}`, 'wrong password', from)).status).toBe(401);
    const locked = await loginFrom('dave', PW, from);
    expect(locked.status).toBe(429);
    expect(locked.retryAfter).toMatch(/^[1-4]$/);
    expect((await loginFrom('dave', PW, '198.51.100.8')).status).toBe(200);
    await sleep(4100);
    expect((await loginFrom('dave', PW, from)).status).toBe(200);
  });

  it('an expired session is refused (401) and deleted on the next log-in', async () => {
    const c = new Client(base);
    expect((await c.login('bob', PW)).status).toBe(200);
    expect((await c.get('/api/me')).status).toBe(200);
    await sleep(2300);
    const me = await c.get('/api/me');
    expect(me.status).toBe(401);
    expect(me.body.error.code).toBe('unauthenticated');
    expect(await sessionsOf('bob')).toBeGreaterThan(0); // refused by its expiry, not because it was gone
    expect((await loginFrom('carol', PW)).status).toBe(200); // any log-in cleans up
    expect(await sessionsOf('bob')).toBe(0);
  });

  it('expired sessions are deleted when the server starts and on the interval', async () => {
    const expire = () => h.server.pool.query(`INSERT INTO sessions (token_hash, user_id, expires_at) SELECT md5(random()::text), id, now() - interval '1 minute' FROM users WHERE name = 'dave'`);
    await h.server.pool.query('DELETE FROM sessions');
    await expire();
    expect(await sessionsOf('dave')).toBe(1);
    await h.restart();
    expect(await sessionsOf('dave')).toBe(0);
    // On the interval (an API over the same database with a 1 s clean-up; no log-in in between).
    const app = buildApp(h.server.pool, { config: { sessions: { cleanupSeconds: 1 } } });
    await app.ready();
    try {
      await expire();
      expect(await sessionsOf('dave')).toBe(1);
      await sleep(1600);
      expect(await sessionsOf('dave')).toBe(0);
    } finally {
      await app.close();
    }
  }, 120_000);
});
