/**
 * The team server as one object: the private cluster in the data directory (started or reused), the `planner`
 * database with the migrations applied, a pg pool over the cluster's unix socket, and the fastify API on
 * 127.0.0.1. close() stops all three in order (HTTP, pool, cluster unless it was already running before).
 */
import pg from 'pg';
import type { FastifyInstance } from 'fastify';
import { buildApp, type AppOptions } from './app';
import { migrate } from './migrate';
import { EngineCache } from './network';
import { serverConfig } from './config';
import { ensurePostgresInstalled, openCluster, type Cluster } from './pgcluster';

export const DB_NAME = 'planner';

export interface ServerOptions extends AppOptions {
  dataDir: string;
  /** HTTP port on 127.0.0.1 (0 = any free port). */
  port: number;
  log?: (line: string) => void;
  /** Stop the cluster on close even when it was running before this start (default: only when this start started it). */
  stopCluster?: boolean;
}

export interface RunningServer {
  app: FastifyInstance;
  pool: pg.Pool;
  cluster: Cluster;
  /** The network cache of the API (its `loads` counts reads of a network from PostGIS). */
  engines: EngineCache;
  url: string;
  /** Migrations applied by this start. */
  applied: number[];
  close(): Promise<void>;
}

/** The cluster and the migrated database (no HTTP): what `serve --create-admin` and start() need. */
export async function openDatabase(dataDir: string, log: (line: string) => void = () => {}): Promise<{ cluster: Cluster; pool: pg.Pool; applied: number[] }> {
  ensurePostgresInstalled(log);
  const cluster = await openCluster(dataDir);
  log(cluster.started ? `PostgreSQL started (${dataDir})` : `PostgreSQL already running (${dataDir}), reused`);
  if (!cluster.sql(`SELECT 1 FROM pg_database WHERE datname = '${DB_NAME}';`).length) cluster.sql(`CREATE DATABASE ${DB_NAME};`);
  const pool = new pg.Pool({ host: cluster.socketDir, port: cluster.port, user: 'postgres', database: DB_NAME, max: 10 });
  // An idle client whose backend goes away (the cluster stopped or restarted under it) is reported here; without a
  // listener the pool's 'error' event would end the whole process. The pool drops that client and opens a new one.
  pool.on('error', (e) => log(`PostgreSQL connection lost (${e.message}); the pool reconnects`));
  try {
    const applied = await migrate(pool);
    if (applied.length) log(`migrations applied: ${applied.join(', ')}`);
    return { cluster, pool, applied };
  } catch (e) {
    await pool.end();
    throw e;
  }
}

export async function startServer(o: ServerOptions): Promise<RunningServer> {
  const log = o.log ?? (() => {});
  const { cluster, pool, applied } = await openDatabase(o.dataDir, log);
  let engines: EngineCache, app: FastifyInstance;
  try {
    engines = new EngineCache(pool, serverConfig(o.config).networkCache);
    app = buildApp(pool, { ...o, engines });
  } catch (e) {
    await pool.end();
    if (o.stopCluster ?? cluster.started) cluster.stop();
    throw e;
  }
  const stopCluster = o.stopCluster ?? cluster.started;
  try {
    await app.listen({ host: '127.0.0.1', port: o.port });
  } catch (e) {
    await pool.end();
    if (stopCluster) cluster.stop();
    throw e;
  }
  const a = app.server.address();
  const url = `http://127.0.0.1:${typeof a === 'object' && a ? a.port : o.port}`;
  let closed: Promise<void> | null = null;
  const close = () => (closed ??= (async () => {
    await app.close();
    await pool.end();
    if (stopCluster) cluster.stop();
  })());
  return { app, pool, cluster, engines, url, applied, close };
}
