/**
 * A private PostgreSQL cluster (PostgreSQL 15 + PostGIS 3 + pgRouting 3.4, Debian packages): initdb in a directory
 * of ours, the server listening on 127.0.0.1 (TCP log-ins refused: only the unix socket in our own directory, mode
 * 0700, is trusted), every step with a time limit. PostgreSQL refuses to run as root, so as root the server runs as
 * the `postgres` user. Used by the team server (a kept cluster in --data-dir that later starts reuse) and by the
 * pgRouting tests (a throw-away cluster in a temp dir).
 */
import { spawnSync, type SpawnSyncReturns } from 'node:child_process';
import { chmodSync, chownSync, existsSync, mkdirSync, readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { plannerError } from '../core/errors';

export const PG_BIN = process.env.PG_BIN ?? '/usr/lib/postgresql/15/bin';
export const PG_PACKAGES = 'postgresql-15 postgresql-15-postgis-3 postgresql-15-pgrouting';

/** Whether the PostgreSQL server binaries are installed. */
export const havePostgres = (): boolean => ['initdb', 'pg_ctl', 'psql'].every((b) => existsSync(join(PG_BIN, b)));

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
  if (p.error) throw plannerError('pg-failed', `${what} 运行失败`, `${what} failed`, { detail: p.error.message });
  if (p.status !== 0) throw plannerError('pg-failed', `${what} 运行失败（退出码 ${p.status}）`, `${what} exited ${p.status}`, { detail: (p.stderr || p.stdout).trim() });
  return p.stdout;
}

const asRoot = (): boolean => process.getuid?.() === 0;

/** Runs a PostgreSQL server binary (as `postgres` when we are root). */
function server(bin: string, args: string[], timeout: number): SpawnSyncReturns<string> {
  return asRoot()
    ? spawnSync('runuser', ['-u', 'postgres', '--', join(PG_BIN, bin), ...args], { encoding: 'utf8', timeout })
    : spawnSync(join(PG_BIN, bin), args, { encoding: 'utf8', timeout });
}

/** Installs the Debian packages when the binaries are missing (apt-get as CI does; sudo when not root). */
export function ensurePostgresInstalled(log: (line: string) => void = () => {}): void {
  if (havePostgres()) return;
  log(`installing ${PG_PACKAGES} (apt-get)…`);
  const sudo = asRoot() ? [] : ['sudo'];
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  const apt = (args: string[]) => {
    const cmd = [...sudo, 'apt-get', ...args];
    return spawnSync(cmd[0], cmd.slice(1), { encoding: 'utf8', env, timeout: 900_000 });
  };
  check(apt(['update', '-qq']), 'apt-get update');
  check(apt(['install', '-y', '-qq', ...PG_PACKAGES.split(' ')]), 'apt-get install');
  if (!havePostgres()) throw plannerError('pg-missing', `安装后仍找不到 PostgreSQL（${PG_BIN}）`, `PostgreSQL still missing after installing (${PG_BIN})`);
}

export interface Cluster {
  /** The cluster's directory: data/ (PGDATA), the unix socket, server.log. */
  dir: string;
  /** Where clients connect: the socket directory (pg's `host`) and the port. */
  socketDir: string;
  port: number;
  /** Runs SQL (psql -f of a script) in `database`; returns stdout rows, fields split on '|'. Throws with psql's message. */
  sql(script: string, database?: string): string[][];
  /** Stops the server (fast shutdown: running transactions roll back, the data is kept). */
  stop(): void;
  /** Whether this call started the server (false: it was already running and is reused). */
  started: boolean;
}

/**
 * Starts (or reuses, when it is running) the cluster in `dir`; creates it on the first start. The port is kept in
 * dir/port so that every start uses the same one (a free one is picked on the first start).
 */
export async function openCluster(dir: string, opts: { fsync?: boolean } = {}): Promise<Cluster> {
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  chmodSync(dir, 0o700);
  if (asRoot()) {
    const uid = Number(spawnSync('id', ['-u', 'postgres'], { encoding: 'utf8' }).stdout.trim());
    const gid = Number(spawnSync('id', ['-g', 'postgres'], { encoding: 'utf8' }).stdout.trim());
    if (!Number.isInteger(uid)) throw plannerError('pg-failed', '没有 postgres 用户', 'no postgres user');
    chownSync(dir, uid, gid);
  }
  const data = join(dir, 'data');
  const portFile = join(dir, 'data', 'planner-port');
  if (!existsSync(join(data, 'PG_VERSION'))) {
    check(server('initdb', ['-D', data, '-U', 'postgres', '--auth-local=trust', '--auth-host=reject', '-E', 'UTF8', '--no-sync'], 120_000), 'initdb');
  }
  const running = server('pg_ctl', ['-D', data, 'status'], 20_000).status === 0;
  let port: number;
  if (existsSync(portFile)) port = Number(readFileSync(portFile, 'utf8').trim());
  else {
    port = await freePort();
    // Written by psql's \! would need a shell; the postgres user owns data/, so write through runuser when root.
    const w = asRoot()
      ? spawnSync('runuser', ['-u', 'postgres', '--', 'sh', '-c', `printf %s ${port} > '${portFile}'`], { encoding: 'utf8' })
      : spawnSync('sh', ['-c', `printf %s ${port} > '${portFile}'`], { encoding: 'utf8' });
    check(w, 'write port');
  }
  if (!running) {
    const fsync = opts.fsync === false ? ' -c fsync=off' : '';
    check(server('pg_ctl', ['-D', data, '-l', join(dir, 'server.log'), '-w', '-t', '60', '-o', `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1${fsync}`, 'start'], 80_000), 'pg_ctl start');
  }
  const sql = (script: string, database = 'postgres'): string[][] => {
    const p = spawnSync(join(PG_BIN, 'psql'), ['-h', dir, '-p', String(port), '-U', 'postgres', '-d', database, '-X', '-q', '-A', '-t', '-v', 'ON_ERROR_STOP=1', '-f', '-'], { input: script, encoding: 'utf8', timeout: 300_000 });
    return check(p, 'psql').split('\n').filter((l) => l.length).map((l) => l.split('|'));
  };
  const stop = () => { server('pg_ctl', ['-D', data, '-m', 'fast', '-w', '-t', '30', 'stop'], 40_000); };
  return { dir, socketDir: dir, port, sql, stop, started: !running };
}
