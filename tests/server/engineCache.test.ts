/**
 * EngineCache bounds without a database (a stand-in pool answering the two queries of a whole-network read): routers
 * leave with their graph (an evicted graph is not kept alive by its router), and a read in flight when the place's
 * network version changes answers its request but is not cached under the old version's key.
 */
import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Pool } from 'pg';
import { EngineCache } from '../../src/server/network';
import { repoRoot } from '../support/place';

const bytes = readFileSync(join(repoRoot, 'public/data/monaco/graph.bin'));

function fakePool() {
  const state = { version: 1, gate: null as Promise<void> | null };
  const pool = {
    async query(sql: string) {
      if (sql.includes('JOIN graph_meta')) return { rows: [{ version: state.version, edge_count: 1, bbox: [7.40, 43.72, 7.44, 43.76], vmax: 30 }] };
      if (sql.includes('SELECT graph, version FROM networks')) {
        const v = state.version;
        if (state.gate) await state.gate;
        return { rows: [{ graph: bytes, version: v }] };
      }
      throw new Error(`unexpected query: ${sql}`);
    },
  };
  return { state, pool: pool as unknown as Pool };
}

describe('EngineCache: routers tied to graphs, version changes during a read', () => {
  it('a graph evicted by the byte bound takes its routers with it', async () => {
    const { pool } = fakePool();
    // Room for one graph by bytes (entries would allow 16).
    const cache = new EngineCache(pool, { entries: 16, megabytes: (1.5 * bytes.byteLength) / 2 ** 20 });
    await cache.near('a', true, [], Infinity);
    await cache.near('a', false, [], Infinity);
    expect(cache.held).toMatchObject({ graphs: 1, routers: 2 });
    await cache.near('b', true, [], Infinity);
    expect(cache.held.graphs).toBe(1);
    expect(cache.held.routers).toBe(1);
    expect(cache.held.bytes).toBeLessThanOrEqual(1.5 * bytes.byteLength);
  });

  it('a read in flight when the version changes is answered but not cached under the old key', async () => {
    const { state, pool } = fakePool();
    const cache = new EngineCache(pool);
    let open!: () => void;
    state.gate = new Promise((r) => { open = r; });
    const first = cache.near('a', true, [], Infinity);
    await new Promise((r) => setTimeout(r, 10));
    state.version = 2;
    await cache.current('a'); // another request sees the new version
    open();
    const e = await first;
    expect(e.version).toBe(1);
    expect(e.router).toBeDefined();
    expect(cache.held).toMatchObject({ graphs: 0, routers: 0 });
    state.gate = null;
    const loads = cache.loads;
    const next = await cache.near('a', true, [], Infinity);
    expect(next.version).toBe(2);
    expect(cache.loads).toBe(loads + 1);
    expect(cache.held).toMatchObject({ graphs: 1, routers: 1 });
  });
});
