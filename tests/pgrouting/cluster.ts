/**
 * A private PostgreSQL cluster for the independent pgRouting check: a throw-away cluster (src/server/pgcluster.ts) in
 * a temp dir, with pgRouting, psql for queries, stopped and deleted by stop(). The Debian packages
 * postgresql-15-postgis-3 and postgresql-15-pgrouting provide it (PG_BIN overrides the binaries' directory).
 */
import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openCluster } from '../../src/server/pgcluster';

export { freePort, havePostgres, PG_BIN, PG_PACKAGES } from '../../src/server/pgcluster';

export interface Cluster {
  dir: string;
  port: number;
  /** Runs SQL (psql -f of a script); returns stdout rows, fields split on '|'. Throws with psql's message. */
  sql(script: string): string[][];
  stop(): void;
}

export async function startCluster(): Promise<Cluster> {
  const tmp = mkdtempSync(join(tmpdir(), 'planner-pg-'));
  // The server (the postgres user when we are root) must reach its directory inside; it reads the CSV files here too.
  chmodSync(tmp, 0o755);
  const remove = () => rmSync(tmp, { recursive: true, force: true });
  let c;
  try {
    c = await openCluster(join(tmp, 'pg'), { fsync: false });
  } catch (e) {
    remove();
    throw e;
  }
  const cluster = c;
  const stop = () => {
    cluster.stop();
    remove();
  };
  try {
    cluster.sql('CREATE EXTENSION pgrouting CASCADE;');
  } catch (e) {
    stop();
    throw e;
  }
  // CSV files for \copy are written to tmp (psql reads them as the client; no server access needed).
  return { dir: tmp, port: cluster.port, sql: (s) => cluster.sql(s), stop };
}
