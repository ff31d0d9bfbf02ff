/**
 * Versioned schema migrations: src/server/migrations/NNN-name.sql, applied in order, each in one transaction with
 * its row in schema_migrations (so a failed migration leaves nothing behind). A shipped file is never edited: its
 * SHA-256 is kept and a changed file is refused.
 */
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { Pool } from 'pg';
import { plannerError } from '../core/errors';

export const MIGRATIONS_DIR = fileURLToPath(new URL('./migrations/', import.meta.url));

export interface Migration { version: number; name: string; sql: string; sha256: string }

export function readMigrations(dir = MIGRATIONS_DIR): Migration[] {
  return readdirSync(dir).filter((f) => /^\d{3}-[a-z0-9-]+\.sql$/.test(f)).sort().map((f) => {
    const sql = readFileSync(dir + f, 'utf8');
    return { version: Number(f.slice(0, 3)), name: f.slice(4, -4), sql, sha256: createHash('sha256').update(sql).digest('hex') };
  });
}

/** Applies the missing migrations; returns the versions applied now. */
export async function migrate(pool: Pool, migrations = readMigrations()): Promise<number[]> {
  await pool.query(`CREATE TABLE IF NOT EXISTS schema_migrations (
    version integer PRIMARY KEY, name text NOT NULL, sha256 text NOT NULL, applied_at timestamptz NOT NULL DEFAULT now())`);
  const done = new Map((await pool.query<{ version: number; sha256: string }>('SELECT version, sha256 FROM schema_migrations')).rows.map((r) => [r.version, r.sha256]));
  const applied: number[] = [];
  for (const m of migrations) {
    const had = done.get(m.version);
    if (had !== undefined) {
      if (had !== m.sha256) throw plannerError('migration-edited', `迁移文件 ${m.version}-${m.name} 在发布后被修改`, `migration ${m.version}-${m.name} was edited after it was applied`);
      continue;
    }
    const c = await pool.connect();
    try {
      await c.query('BEGIN');
      await c.query(m.sql);
      await c.query('INSERT INTO schema_migrations (version, name, sha256) VALUES ($1, $2, $3)', [m.version, m.name, m.sha256]);
      await c.query('COMMIT');
      applied.push(m.version);
    } catch (e) {
      await c.query('ROLLBACK');
      throw plannerError('migration-failed', `迁移 ${m.version}-${m.name} 失败，数据库未改变`, `migration ${m.version}-${m.name} failed; the database is unchanged`, { detail: (e as Error).message });
    } finally {
      c.release();
    }
  }
  return applied;
}
