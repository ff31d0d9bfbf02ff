/**
 * A private PostgreSQL cluster for the independent pgRouting check: initdb in a temp dir, the server on 127.0.0.1
 * with its unix socket in that dir, psql for queries, stopped and deleted by stop(). Every step has a time limit.
 * The Debian packages postgresql-15-postgis-3 and postgresql-15-pgrouting provide it (PG_BIN overrides the
 * binaries' directory). PostgreSQL refuses to run as root, so as root the server runs as the `postgres` user.
 */
import { spawnSync, type SpawnSyncReturns } from 'node:child_process';
import { chmodSync, existsSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export const PG_BIN = process.env.PG_BIN ?? '/usr/lib/postgresql/15/bin';
export const PG_PACKAGES = 'postgresql-15 postgresql-15-postgis-3 postgresql-15-pgrouting';

/** Whether the PostgreSQL server binaries are installed (the only reason the check may skip). */
export const havePostgres = (): boolean => ['initdb', 'pg_ctl', 'psql'].every((b) => existsSync(join(PG_BIN, b)));

export interface Cluster {
  dir: string;
  port: number;
  /** Runs SQL (psql -f of a script); returns stdout rows, fields split on '|'. Throws with psql's message. */
  sql(script: string): string[][];
  stop(): void;
}

/** A free TCP port on 127.0.0.1. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const a = s.address();
      const port = typeof a === 'object' && a ? a.port : 0;
      s.close(() => resolve(port));
    });
  });
}

function check(p: SpawnSyncReturns<string>, what: string): string {
  if (p.error) throw new Error(`${what}: ${p.error.message}`);
  if (p.status !== 0) throw new Error(`${what} exited ${p.status}: ${p.stderr || p.stdout}`);
  return p.stdout;
}

export async function startCluster(): Promise<Cluster> {
  const dir = mkdtempSync(join(tmpdir(), 'planner-pg-'));
  chmodSync(dir, 0o777);
  const asRoot = process.getuid?.() === 0;
  // Server-side commands run as `postgres` when we are root (initdb and postgres refuse root).
  const server = (bin: string, args: string[], timeout: number) =>
    asRoot ? spawnSync('runuser', ['-u', 'postgres', '--', join(PG_BIN, bin), ...args], { encoding: 'utf8', timeout }) : spawnSync(join(PG_BIN, bin), args, { encoding: 'utf8', timeout });
  const data = join(dir, 'data');
  const port = await freePort();
  check(server('initdb', ['-D', data, '-U', 'postgres', '--auth=trust', '-E', 'UTF8', '--no-sync'], 60_000), 'initdb');
  check(server('pg_ctl', ['-D', data, '-l', join(dir, 'server.log'), '-w', '-t', '30', '-o', `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1 -c fsync=off`, 'start'], 40_000), 'pg_ctl start');
  const stop = () => {
    server('pg_ctl', ['-D', data, '-m', 'immediate', '-w', '-t', '20', 'stop'], 30_000);
    rmSync(dir, { recursive: true, force: true });
  };
  const sql = (script: string): string[][] => {
    const p = spawnSync(join(PG_BIN, 'psql'), ['-h', dir, '-p', String(port), '-U', 'postgres', '-X', '-q', '-A', '-t', '-v', 'ON_ERROR_STOP=1', '-f', '-'], { input: script, encoding: 'utf8', timeout: 120_000 });
    return check(p, 'psql').split('\n').filter((l) => l.length).map((l) => l.split('|'));
  };
  try {
    sql('CREATE EXTENSION pgrouting CASCADE;');
  } catch (e) {
    stop();
    throw e;
  }
  return { dir, port, sql, stop };
}
