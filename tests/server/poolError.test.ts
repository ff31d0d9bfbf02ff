/**
 * A PostgreSQL backend that goes away under an idle pooled connection (an administrator's pg_terminate_backend, a
 * cluster restart) must not end the server process: the pool reports it and the next request gets a new connection.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Client, startHarness, type Harness } from './harness';
import { DB_NAME } from '../../src/server/server';
import { havePostgres } from '../../src/server/pgcluster';

describe.skipIf(!havePostgres())('server pool: a lost idle connection', () => {
  let h: Harness;
  const log: string[] = [];
  beforeAll(async () => { h = await startHarness({ log: (l) => log.push(l) }); }, 120_000);
  afterAll(async () => { await h?.dispose(); }, 60_000);

  it('an idle connection terminated by the database neither crashes the process nor fails the next request', async () => {
    const anon = new Client(() => h.server.url);
    // Fill the pool with idle connections.
    await Promise.all(Array.from({ length: 5 }, () => h.server.pool.query('SELECT pg_sleep(0.05)')));
    expect(h.server.pool.idleCount).toBeGreaterThan(0);
    const killed = h.server.cluster.sql(`SELECT count(*) FROM (SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = '${DB_NAME}' AND pid <> pg_backend_pid()) t;`);
    expect(Number(killed[0][0])).toBeGreaterThan(0);
    await new Promise((r) => setTimeout(r, 300));
    // No listener of the test's own: without the server's, the pool's 'error' event would be unhandled (vitest fails).
    expect(log.some((l) => /connection lost \(terminating connection/.test(l))).toBe(true);
    const health = await anon.get('/api/health');
    expect(health.status).toBe(200);
  }, 60_000);
});
