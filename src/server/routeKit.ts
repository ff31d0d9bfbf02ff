/**
 * What the team server's route groups share (src/server/app.ts builds the app from them): the checks of who may do
 * what (a session, the caller's role on a place, the place of a scenario), the audit log, transactions, the
 * current version of a scenario, and the JSON-schema pieces of the routes.
 */
import type { FastifyRequest } from 'fastify';
import type { Pool, PoolClient } from 'pg';
import { plannerError } from '../core/errors';
import { CAN, roleOn, SESSION_COOKIE, sessionUser, type Action, type Role, type User } from './auth';
import type { EngineCache } from './network';
import type { ServerConfig } from './config';
import type { LoginLimiter } from './loginLimit';

/** Metres of roads loaded around a request's points at first, and the slack for snapping and the corridor. */
export const START_MARGIN_M = 2000;
export const SNAP_MARGIN_M = 1000;

export const PLACE_ID = { type: 'string', pattern: '^[a-z0-9_-]{1,64}$' } as const;
export const NUM_ID = { type: 'string', pattern: '^[0-9]{1,15}$' } as const;
export const LONLAT = { type: 'array', items: { type: 'number' }, minItems: 2, maxItems: 2 } as const;
export const placeParams = { type: 'object', properties: { id: PLACE_ID }, required: ['id'] } as const;
export const scenarioParams = { type: 'object', properties: { id: NUM_ID }, required: ['id'] } as const;

export const fail = (code: string, zh: string, en: string, detail?: string) => plannerError(code, zh, en, detail ? { detail } : {});
export const notFound = () => fail('not-found', '没有找到（或您没有查看权限）', 'not found (or you may not see it)');

export async function tx<T>(pool: Pool, f: (c: PoolClient) => Promise<T>): Promise<T> {
  const c = await pool.connect();
  try {
    await c.query('BEGIN');
    const out = await f(c);
    await c.query('COMMIT');
    return out;
  } catch (e) {
    await c.query('ROLLBACK');
    throw e;
  } finally {
    c.release();
  }
}

/** The current version of a scenario, as the scenario routes answer it (undefined: no such scenario). */
export async function currentScenario(c: Pool | PoolClient, id: string) {
  const r = await c.query(`SELECT s.id::text, s.place_id AS "placeId", s.name, s.version, v.body, u.name AS author, v.created_at AS "savedAt", v.note
    FROM scenarios s JOIN scenario_versions v ON v.scenario_id = s.id AND v.version = s.version JOIN users u ON u.id = v.author_id WHERE s.id = $1`, [id]);
  return r.rows[0];
}

/** One app's database, settings, network cache and log-in limiter, with the checks every route group uses. */
export interface RouteContext {
  pool: Pool;
  config: ServerConfig;
  engines: EngineCache;
  limiter: LoginLimiter;
  /** The logged-in user (401 without a session). */
  userOf(req: FastifyRequest): Promise<User>;
  /** The user and their role on the place, checked for the action. */
  need(req: FastifyRequest, placeId: string, action: Action): Promise<{ user: User; role: Role }>;
  /** The scenario's place (a session is needed first: nobody unknown learns which scenarios exist). */
  scenarioPlace(req: FastifyRequest, id: string): Promise<string>;
  audit(c: Pool | PoolClient, user: User, action: string, placeId: string | null, scenarioId: string | number | null, detail?: object): Promise<unknown>;
}

export function routeContext(pool: Pool, config: ServerConfig, engines: EngineCache, limiter: LoginLimiter): RouteContext {
  const userOf = async (req: FastifyRequest): Promise<User> => {
    const u = await sessionUser(pool, req.cookies[SESSION_COOKIE]);
    if (!u) throw fail('unauthenticated', '请先登录', 'please log in first');
    return u;
  };
  /** The user and their role on the place, checked for the action. */
  const need = async (req: FastifyRequest, placeId: string, action: Action): Promise<{ user: User; role: Role }> => {
    const user = await userOf(req);
    const role = await roleOn(pool, user, placeId);
    if (role === null) throw notFound();
    if (user.isAdmin) {
      const exists = await pool.query('SELECT 1 FROM places WHERE id = $1', [placeId]);
      if (!exists.rowCount) throw notFound();
    }
    if (!CAN[action](role)) throw fail('forbidden', `您在该地点的角色（${role}）无权执行此操作`, `your role on this place (${role}) may not do this`);
    return { user, role };
  };
  /** The scenario's place (a session is needed first: nobody unknown learns which scenarios exist). */
  const scenarioPlace = async (req: FastifyRequest, id: string): Promise<string> => {
    await userOf(req);
    const r = await pool.query<{ place_id: string }>('SELECT place_id FROM scenarios WHERE id = $1', [id]);
    if (!r.rows[0]) throw notFound();
    return r.rows[0].place_id;
  };
  const audit = (c: Pool | PoolClient, user: User, action: string, placeId: string | null, scenarioId: string | number | null, detail: object = {}) =>
    c.query('INSERT INTO audit_log (user_id, action, place_id, scenario_id, detail) VALUES ($1, $2, $3, $4, $5)', [user.id, action, placeId, scenarioId, JSON.stringify(detail)]);
  return { pool, config, engines, limiter, userOf, need, scenarioPlace, audit };
}
