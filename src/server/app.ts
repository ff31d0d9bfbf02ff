/**
 * The team server's HTTP API (fastify). Every route but health and log-in needs a session; every place route checks
 * the caller's role on that place (no role: the place does not exist for them, 404; a role without the right: 403).
 * SQL is parameterised only. Errors answer { error: { code, zh, en, detail? } } with a fitting status.
 */
import Fastify, { type FastifyInstance, type FastifyRequest } from 'fastify';
import cookie from '@fastify/cookie';
import type { Pool, PoolClient } from 'pg';
import { isErrorInfo, plannerError, toErrorInfo } from '../core/errors';
import { scenarioFromDoc } from '../core/scenario/io';
import { checkPlaceWithRules, type CheckIO } from '../core/compliance/cli';
import { checkReachNeeded } from './checkReach';
import { DEFAULT_STANDARD_ID, STANDARD_IDS } from '../core/compliance/standards';
import { readFile } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { CAN, createUser, deleteExpiredSessions, login, logout, roleOn, ROLES, SESSION_COOKIE, sessionUser, type Action, type Role, type User } from './auth';
import { EngineCache, graphFromOsm, repoRoot, storeNetwork } from './network';
import { checkArea, placeOwnStations } from './placeData';
import { optimizeOnNetwork, type OptimizeRequest } from './optimize';
import { defaultProfiles } from './network';
import { nodeSolveLp } from '../cli/highsNode';
import { MODEL_KINDS } from '../core/optimize/index';
import { activeStations } from '../core/scenario/ops';
import { serverConfig, type ServerConfigOverrides } from './config';
import { LoginLimiter } from './loginLimit';
import { registerPlaceBundle } from './placeBundle';

export interface AppOptions {
  /** Largest JSON body (bytes); default 1 MiB. */
  bodyLimit?: number;
  /** Largest graph.bin upload (bytes); default 64 MiB. */
  networkLimit?: number;
  /** Overrides of config.json (log-in limits, session lifetime and clean-up, cache bounds, optimizer limits). */
  config?: ServerConfigOverrides;
  /** The network cache (default: a new one); given, its counters can be read by the caller. */
  engines?: EngineCache;
}

/** HTTP status of each error code (anything else a PlannerError: 400; anything unknown: 500). */
const STATUS: Record<string, number> = {
  'unauthenticated': 401, 'bad-login': 401, 'forbidden': 403, 'not-found': 404, 'version-conflict': 409,
  'user-exists': 409, 'place-exists': 409, 'payload-too-large': 413, 'unsupported-media-type': 415, 'internal': 500, 'no-network': 409,
  'too-many-log-ins': 429, 'optimize-cooldown': 429, 'optimizer-busy': 503, 'optimize-timeout': 503,
};

/** Metres of roads loaded around a request's points at first, and the slack for snapping and the corridor. */
const START_MARGIN_M = 2000;
const SNAP_MARGIN_M = 1000;

const PLACE_ID = { type: 'string', pattern: '^[a-z0-9_-]{1,64}$' } as const;
const NUM_ID = { type: 'string', pattern: '^[0-9]{1,15}$' } as const;
const LONLAT = { type: 'array', items: { type: 'number' }, minItems: 2, maxItems: 2 } as const;
const placeParams = { type: 'object', properties: { id: PLACE_ID }, required: ['id'] } as const;
const scenarioParams = { type: 'object', properties: { id: NUM_ID }, required: ['id'] } as const;

const fail = (code: string, zh: string, en: string, detail?: string) => plannerError(code, zh, en, detail ? { detail } : {});
const notFound = () => fail('not-found', '没有找到（或您没有查看权限）', 'not found (or you may not see it)');

async function tx<T>(pool: Pool, f: (c: PoolClient) => Promise<T>): Promise<T> {
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

export function buildApp(pool: Pool, opts: AppOptions = {}): FastifyInstance {
  // Behind a local https reverse proxy (the only way to serve a team: we listen on 127.0.0.1), X-Forwarded-Proto
  // from loopback says the request came over https, so cookies get Secure.
  const app = Fastify({ bodyLimit: opts.bodyLimit ?? 1 << 20, logger: false, trustProxy: ['127.0.0.1', '::1'] });
  const config = serverConfig(opts.config);
  const engines = opts.engines ?? new EngineCache(pool, config.networkCache);
  const limiter = new LoginLimiter(config.login);
  app.register(cookie);

  // Expired sessions are deleted on start, every cleanupSeconds, and on each log-in; the log-in limiter is pruned too.
  let cleanup: ReturnType<typeof setInterval> | null = null;
  const cleanUp = () => { limiter.prune(); return deleteExpiredSessions(pool); };
  app.addHook('onReady', async () => {
    await cleanUp();
    cleanup = setInterval(() => { cleanUp().catch(() => { /* the next round tries again */ }); }, config.sessions.cleanupSeconds * 1000);
    cleanup.unref();
  });
  app.addHook('onClose', async () => { if (cleanup) clearInterval(cleanup); });
  app.addContentTypeParser('application/octet-stream', { parseAs: 'buffer', bodyLimit: opts.networkLimit ?? 64 << 20 }, (_req, body, done) => done(null, body));

  app.setErrorHandler((err, _req, reply) => {
    const e = err as Error & { statusCode?: number; code?: string; validation?: unknown };
    let info;
    if (isErrorInfo(e)) info = toErrorInfo(e);
    else if (e.validation) info = { code: 'bad-request', zh: '请求内容不符合要求', en: 'the request is not valid', detail: e.message };
    else if (e.statusCode === 413) info = { code: 'payload-too-large', zh: '上传内容过大', en: 'the upload is too large', detail: e.message };
    else if (e.statusCode === 415) info = { code: 'unsupported-media-type', zh: '不支持的内容类型', en: 'unsupported content type', detail: e.message };
    else if (e.statusCode && e.statusCode >= 400 && e.statusCode < 500) info = { code: 'bad-request', zh: '请求无效', en: 'bad request', detail: e.message };
    else info = { code: 'internal', zh: '服务器内部错误', en: 'internal server error', detail: e.message };
    const status = STATUS[info.code] ?? (isErrorInfo(e) ? 400 : e.statusCode ?? 500);
    const body = status === 409 && (e as { current?: unknown }).current ? { error: info, current: (e as { current?: unknown }).current } : { error: info };
    const retry = (e as { retryAfter?: number }).retryAfter;
    if (retry !== undefined) reply.header('retry-after', String(retry));
    reply.status(status).send(body);
  });

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

  // ── health, session ──
  app.get('/api/health', async () => {
    const r = await pool.query<{ v: number | null }>('SELECT max(version) AS v FROM schema_migrations');
    return { ok: true, schemaVersion: r.rows[0].v };
  });

  app.post('/api/login', { schema: { body: { type: 'object', properties: { name: { type: 'string', maxLength: 64 }, password: { type: 'string', maxLength: 200 } }, required: ['name', 'password'] } } }, async (req, reply) => {
    const { name, password } = req.body as { name: string; password: string };
    // Too many failures for this name or from this address: refused before the password is checked.
    const wait = limiter.retryAfter(name, req.ip);
    if (wait > 0) {
      throw Object.assign(fail('too-many-log-ins', `登录失败次数过多，请 ${wait} 秒后再试`, `too many failed log-ins; try again in ${wait} s`), { retryAfter: wait });
    }
    // The name is counted as failed before the (slow) password check, so parallel guesses at it count at once (a
    // success clears it); the address only after a wrong password, so colleagues behind one address can log in together.
    limiter.failed(name, req.ip, { address: false });
    await deleteExpiredSessions(pool);
    const s = await login(pool, name, password, config.sessions.lifetimeSeconds);
    if (!s) limiter.failed(name, req.ip, { name: false });
    if (!s) throw fail('bad-login', '用户名或密码错误', 'wrong user name or password');
    limiter.succeeded(name, req.ip);
    // Secure whenever the request came over https; plain http is for loopback use only (see README).
    reply.setCookie(SESSION_COOKIE, s.token, { httpOnly: true, sameSite: 'strict', secure: req.protocol === 'https', path: '/', maxAge: config.sessions.lifetimeSeconds });
    return { user: s.user };
  });

  app.post('/api/logout', async (req, reply) => {
    const t = req.cookies[SESSION_COOKIE];
    if (t) await logout(pool, t);
    reply.clearCookie(SESSION_COOKIE, { path: '/' });
    return { ok: true };
  });

  app.get('/api/me', async (req) => {
    const user = await userOf(req);
    const roles = await pool.query('SELECT place_id AS "placeId", role FROM place_roles WHERE user_id = $1 ORDER BY place_id', [user.id]);
    return { user, roles: roles.rows };
  });

  // ── users, places, roles (admins) ──
  app.post('/api/users', { schema: { body: { type: 'object', properties: { name: { type: 'string', minLength: 1, maxLength: 64 }, password: { type: 'string' }, isAdmin: { type: 'boolean' } }, required: ['name', 'password'], additionalProperties: false } } }, async (req) => {
    const user = await userOf(req);
    if (!user.isAdmin) throw fail('forbidden', '只有管理员可以创建用户', 'only an admin may create users');
    const b = req.body as { name: string; password: string; isAdmin?: boolean };
    const created = await createUser(pool, b.name, b.password, !!b.isAdmin);
    await audit(pool, user, 'user.create', null, null, { name: b.name, isAdmin: !!b.isAdmin });
    return { user: created };
  });

  app.get('/api/places', async (req) => {
    const user = await userOf(req);
    const r = user.isAdmin
      ? await pool.query(`SELECT p.id, p.name, 'admin' AS role, n.version AS "networkVersion" FROM places p LEFT JOIN networks n ON n.place_id = p.id ORDER BY p.id`)
      : await pool.query(`SELECT p.id, p.name, r.role, n.version AS "networkVersion" FROM places p JOIN place_roles r ON r.place_id = p.id AND r.user_id = $1 LEFT JOIN networks n ON n.place_id = p.id ORDER BY p.id`, [user.id]);
    return { places: r.rows };
  });

  app.post('/api/places', { schema: { body: { type: 'object', properties: { id: PLACE_ID, name: { type: 'string', minLength: 1, maxLength: 200 } }, required: ['id', 'name'], additionalProperties: false } } }, async (req) => {
    const user = await userOf(req);
    if (!user.isAdmin) throw fail('forbidden', '只有管理员可以创建地点', 'only an admin may create places');
    const b = req.body as { id: string; name: string };
    const r = await pool.query('INSERT INTO places (id, name) VALUES ($1, $2) ON CONFLICT DO NOTHING', [b.id, b.name]);
    if (!r.rowCount) throw fail('place-exists', `地点「${b.id}」已存在`, `place "${b.id}" already exists`);
    await audit(pool, user, 'place.create', b.id, null, { name: b.name });
    return { place: b };
  });

  app.put('/api/places/:id/roles/:user', {
    schema: { params: { type: 'object', properties: { id: PLACE_ID, user: { type: 'string', minLength: 1, maxLength: 64 } }, required: ['id', 'user'] }, body: { type: 'object', properties: { role: { type: ['string', 'null'], enum: [...ROLES, null] } }, required: ['role'], additionalProperties: false } },
  }, async (req) => {
    const { id, user: name } = req.params as { id: string; user: string };
    const { user } = await need(req, id, 'manage');
    const role = (req.body as { role: Role | null }).role;
    const u = await pool.query<{ id: number }>('SELECT id FROM users WHERE name = $1', [name]);
    if (!u.rows[0]) throw notFound();
    if (role === null) await pool.query('DELETE FROM place_roles WHERE place_id = $1 AND user_id = $2', [id, u.rows[0].id]);
    else await pool.query('INSERT INTO place_roles (place_id, user_id, role) VALUES ($1, $2, $3) ON CONFLICT (place_id, user_id) DO UPDATE SET role = $3', [id, u.rows[0].id, role]);
    await audit(pool, user, 'role.set', id, null, { user: name, role });
    return { ok: true };
  });

  app.get('/api/places/:id/audit', { schema: { params: placeParams } }, async (req) => {
    const { id } = req.params as { id: string };
    await need(req, id, 'manage');
    const r = await pool.query(`SELECT a.at, u.name AS "user", a.action, a.scenario_id AS "scenarioId", a.detail FROM audit_log a LEFT JOIN users u ON u.id = a.user_id WHERE a.place_id = $1 ORDER BY a.id DESC LIMIT 500`, [id]);
    return { entries: r.rows };
  });

  // ── network ──
  /**
   * The place's network: our graph.bin as the browser has it, or (?osm=<file name>) an OSM extract (.osm.pbf, .osm
   * XML, Overpass JSON) built here with the importer of `npm run geodata` (readOsm + buildGraph).
   */
  app.put('/api/places/:id/network', { schema: { params: placeParams, querystring: { type: 'object', properties: { osm: { type: 'string', pattern: '^[A-Za-z0-9._-]{1,100}$' } }, additionalProperties: false } } }, async (req) => {
    const { id } = req.params as { id: string };
    const { user } = await need(req, id, 'edit');
    if (!Buffer.isBuffer(req.body)) throw fail('unsupported-media-type', '路网须以 application/octet-stream 上传', 'upload the network as application/octet-stream');
    const osmName = (req.query as { osm?: string }).osm;
    const body = osmName ? Buffer.from(graphFromOsm(req.body, osmName)) : req.body;
    const out = await tx(pool, async (c) => {
      const r = await storeNetwork(c, id, body, osmName ? `osm:${osmName}` : 'upload', user.id);
      await audit(c, user, 'network.put', id, null, { version: r.version, bytes: body.length, edges: r.edges });
      return r;
    });
    return out;
  });

  app.get('/api/places/:id/network', { schema: { params: placeParams } }, async (req) => {
    const { id } = req.params as { id: string };
    await need(req, id, 'view');
    const r = await pool.query(`SELECT version, source, node_count AS "nodeCount", edge_count AS "edgeCount", ST_AsGeoJSON(bbox)::json AS bbox, updated_at AS "updatedAt" FROM networks WHERE place_id = $1`, [id]);
    if (!r.rows[0]) throw fail('no-network', '该地点在服务器上还没有路网', 'this place has no road network on the server yet');
    return r.rows[0];
  });

  // ── districts, stations, hydrants (GeoJSON FeatureCollections) ──
  const kindParams = { type: 'object', properties: { id: PLACE_ID, kind: { type: 'string', enum: ['districts', 'stations', 'hydrants'] } }, required: ['id', 'kind'] } as const;
  app.put('/api/places/:id/features/:kind', {
    schema: { params: kindParams, body: { type: 'object', properties: { type: { const: 'FeatureCollection' }, features: { type: 'array', maxItems: 20000, items: { type: 'object', properties: { geometry: { type: 'object' }, properties: { type: ['object', 'null'] } }, required: ['geometry'] } } }, required: ['type', 'features'] } },
  }, async (req) => {
    const { id, kind } = req.params as { id: string; kind: string };
    const { user } = await need(req, id, 'edit');
    const fc = req.body as { features: { geometry: object; properties?: object | null }[] };
    const n = await tx(pool, async (c) => {
      await c.query('DELETE FROM features WHERE place_id = $1 AND kind = $2', [id, kind]);
      if (fc.features.length) {
        await c.query(`INSERT INTO features (place_id, kind, props, geom) SELECT $1, $2, p, ST_SetSRID(ST_GeomFromGeoJSON(g), 4326) FROM unnest($3::jsonb[], $4::text[]) AS u(p, g)`,
          [id, kind, fc.features.map((f) => JSON.stringify(f.properties ?? {})), fc.features.map((f) => JSON.stringify(f.geometry))]);
      }
      await audit(c, user, `${kind}.put`, id, null, { count: fc.features.length });
      return fc.features.length;
    }).catch((e: { code?: string; message?: string }) => {
      if (typeof e.code === 'string' && /^(XX|22)/.test(e.code)) throw fail('bad-geometry', '要素的几何无效', 'a feature has an invalid geometry', e.message);
      throw e;
    });
    return { count: n };
  });

  app.get('/api/places/:id/features/:kind', { schema: { params: kindParams } }, async (req) => {
    const { id, kind } = req.params as { id: string; kind: string };
    await need(req, id, 'view');
    const r = await pool.query(`SELECT props, ST_AsGeoJSON(geom)::json AS geometry FROM features WHERE place_id = $1 AND kind = $2 ORDER BY id`, [id, kind]);
    return { type: 'FeatureCollection', features: r.rows.map((x) => ({ type: 'Feature', properties: x.props, geometry: x.geometry })) };
  });

  // ── scenarios with versions ──
  /** A scenario body is a scenario GeoJSON as the app exports it, of this place. */
  const checkScenario = (body: unknown, placeId: string) => {
    const s = scenarioFromDoc(body, 'scenario');
    if (!s.ok) throw fail('bad-scenario', s.errors.map((m) => m.zh).join('；'), s.errors.map((m) => m.en).join('; '));
    if (s.scenario.placeId !== placeId) throw fail('scenario-place-mismatch', `该方案属于「${s.scenario.placeId}」，不是「${placeId}」`, `the scenario is of "${s.scenario.placeId}", not "${placeId}"`);
  };
  const current = async (c: Pool | PoolClient, id: string) => {
    const r = await c.query(`SELECT s.id::text, s.place_id AS "placeId", s.name, s.version, v.body, u.name AS author, v.created_at AS "savedAt", v.note
      FROM scenarios s JOIN scenario_versions v ON v.scenario_id = s.id AND v.version = s.version JOIN users u ON u.id = v.author_id WHERE s.id = $1`, [id]);
    return r.rows[0];
  };

  app.post('/api/places/:id/scenarios', { schema: { params: placeParams, body: { type: 'object', properties: { name: { type: 'string', minLength: 1, maxLength: 200 }, body: { type: 'object' }, note: { type: 'string', maxLength: 2000 } }, required: ['name', 'body'], additionalProperties: false } } }, async (req) => {
    const { id } = req.params as { id: string };
    const { user } = await need(req, id, 'edit');
    const b = req.body as { name: string; body: object; note?: string };
    checkScenario(b.body, id);
    const sid = await tx(pool, async (c) => {
      const r = await c.query<{ id: string }>('INSERT INTO scenarios (place_id, name, version) VALUES ($1, $2, 1) RETURNING id::text', [id, b.name]);
      await c.query('INSERT INTO scenario_versions (scenario_id, version, body, author_id, note) VALUES ($1, 1, $2, $3, $4)', [r.rows[0].id, JSON.stringify(b.body), user.id, b.note ?? '']);
      await audit(c, user, 'scenario.create', id, r.rows[0].id, { name: b.name });
      return r.rows[0].id;
    });
    return current(pool, sid);
  });

  app.get('/api/places/:id/scenarios', { schema: { params: placeParams } }, async (req) => {
    const { id } = req.params as { id: string };
    await need(req, id, 'view');
    const r = await pool.query(`SELECT s.id::text, s.name, s.version, v.created_at AS "savedAt", u.name AS author FROM scenarios s
      JOIN scenario_versions v ON v.scenario_id = s.id AND v.version = s.version JOIN users u ON u.id = v.author_id WHERE s.place_id = $1 ORDER BY s.id`, [id]);
    return { scenarios: r.rows };
  });

  app.get('/api/scenarios/:id', { schema: { params: scenarioParams } }, async (req) => {
    const { id } = req.params as { id: string };
    await need(req, await scenarioPlace(req, id), 'view');
    return current(pool, id);
  });

  /** Saves a new version on top of baseVersion; a stale base → 409 with the current version (never overwritten). */
  const saveVersion = async (req: FastifyRequest, id: string, baseVersion: number, body: object, note: string, action: string) => {
    const placeId = await scenarioPlace(req, id);
    const { user } = await need(req, placeId, 'edit');
    checkScenario(body, placeId);
    await tx(pool, async (c) => {
      const r = await c.query<{ version: number }>('UPDATE scenarios SET version = version + 1 WHERE id = $1 AND version = $2 RETURNING version', [id, baseVersion]);
      if (!r.rows[0]) {
        const cur = await current(c, id);
        throw Object.assign(fail('version-conflict', `方案已被 ${cur.author} 改为第 ${cur.version} 版（您的修改基于第 ${baseVersion} 版），请先查看对方的修改`, `the scenario was changed by ${cur.author} to version ${cur.version} (your edit is based on version ${baseVersion}); review their change first`), { current: cur });
      }
      await c.query('INSERT INTO scenario_versions (scenario_id, version, body, author_id, note) VALUES ($1, $2, $3, $4, $5)', [id, r.rows[0].version, JSON.stringify(body), user.id, note]);
      await audit(c, user, action, placeId, id, { version: r.rows[0].version, baseVersion });
    });
    return current(pool, id);
  };

  app.put('/api/scenarios/:id', { schema: { params: scenarioParams, body: { type: 'object', properties: { baseVersion: { type: 'integer', minimum: 1 }, body: { type: 'object' }, note: { type: 'string', maxLength: 2000 } }, required: ['baseVersion', 'body'], additionalProperties: false } } }, async (req) => {
    const { id } = req.params as { id: string };
    const b = req.body as { baseVersion: number; body: object; note?: string };
    return saveVersion(req, id, b.baseVersion, b.body, b.note ?? '', 'scenario.save');
  });

  app.get('/api/scenarios/:id/versions', { schema: { params: scenarioParams } }, async (req) => {
    const { id } = req.params as { id: string };
    await need(req, await scenarioPlace(req, id), 'view');
    const r = await pool.query(`SELECT v.version, u.name AS author, v.created_at AS "savedAt", v.note FROM scenario_versions v JOIN users u ON u.id = v.author_id WHERE v.scenario_id = $1 ORDER BY v.version DESC`, [id]);
    return { versions: r.rows };
  });

  app.get('/api/scenarios/:id/versions/:version', { schema: { params: { type: 'object', properties: { id: NUM_ID, version: NUM_ID }, required: ['id', 'version'] } } }, async (req) => {
    const { id, version } = req.params as { id: string; version: string };
    await need(req, await scenarioPlace(req, id), 'view');
    const r = await pool.query(`SELECT v.version, v.body, u.name AS author, v.created_at AS "savedAt", v.note FROM scenario_versions v JOIN users u ON u.id = v.author_id WHERE v.scenario_id = $1 AND v.version = $2`, [id, version]);
    if (!r.rows[0]) throw notFound();
    return r.rows[0];
  });

  /** Restore = a new version with an old version's body (history is never rewritten). */
  app.post('/api/scenarios/:id/restore', { schema: { params: scenarioParams, body: { type: 'object', properties: { version: { type: 'integer', minimum: 1 }, baseVersion: { type: 'integer', minimum: 1 } }, required: ['version', 'baseVersion'], additionalProperties: false } } }, async (req) => {
    const { id } = req.params as { id: string };
    const b = req.body as { version: number; baseVersion: number };
    await need(req, await scenarioPlace(req, id), 'edit');
    const old = await pool.query<{ body: object }>('SELECT body FROM scenario_versions WHERE scenario_id = $1 AND version = $2', [id, b.version]);
    if (!old.rows[0]) throw notFound();
    return saveVersion(req, id, b.baseVersion, old.rows[0].body, `restored version ${b.version}`, 'scenario.restore');
  });

  app.post('/api/scenarios/:id/comments', { schema: { params: scenarioParams, body: { type: 'object', properties: { text: { type: 'string', minLength: 1, maxLength: 4000 } }, required: ['text'], additionalProperties: false } } }, async (req) => {
    const { id } = req.params as { id: string };
    const placeId = await scenarioPlace(req, id);
    const { user } = await need(req, placeId, 'comment');
    const r = await pool.query('INSERT INTO comments (scenario_id, author_id, text) VALUES ($1, $2, $3) RETURNING id::text, created_at AS "createdAt"', [id, user.id, (req.body as { text: string }).text]);
    await audit(pool, user, 'comment.add', placeId, id, { comment: r.rows[0].id });
    return r.rows[0];
  });

  app.get('/api/scenarios/:id/comments', { schema: { params: scenarioParams } }, async (req) => {
    const { id } = req.params as { id: string };
    await need(req, await scenarioPlace(req, id), 'view');
    const r = await pool.query('SELECT c.id::text, u.name AS author, c.text, c.created_at AS "createdAt" FROM comments c JOIN users u ON u.id = c.author_id WHERE c.scenario_id = $1 ORDER BY c.id', [id]);
    return { comments: r.rows };
  });

  // ── the engine on the server (same Router as the CLI and the worker) ──
  const engineBody = (props: object, required: string[]) => ({ params: placeParams, body: { type: 'object', properties: { ...props, turns: { type: 'boolean' } }, required, additionalProperties: false } });
  app.post('/api/places/:id/times', { schema: engineBody({ from: LONLAT, to: { type: 'array', items: LONLAT, minItems: 1, maxItems: 1000 } }, ['from', 'to']) }, async (req) => {
    const { id } = req.params as { id: string };
    await need(req, id, 'view');
    const b = req.body as { from: [number, number]; to: [number, number][]; turns?: boolean };
    // Load the roads around the points; a time T can only use roads within T × (fastest speed) of the start, so
    // when the answer needs more (or a point is unreachable in the part), load that much (at last: everything).
    let reach = START_MARGIN_M;
    for (;;) {
      const e = await engines.near(id, b.turns ?? true, [b.from, ...b.to], reach);
      const out = e.router.times(b.from, b.to);
      const worst = out.results.reduce((w, r) => Math.max(w, r.seconds ?? Infinity), 0);
      const needed = worst * e.vmax + SNAP_MARGIN_M;
      if (e.loadedEdges === e.networkEdges || needed <= reach) return { engine: 'server', networkVersion: e.version, loadedEdges: e.loadedEdges, networkEdges: e.networkEdges, ...out };
      reach = Math.max(needed, reach * 2);
    }
  });

  app.post('/api/places/:id/isochrone', {
    schema: engineBody({
      stations: { type: 'array', minItems: 1, maxItems: 500, items: { type: 'object', properties: { id: { type: 'string', maxLength: 100 }, lon: { type: 'number' }, lat: { type: 'number' } }, required: ['id', 'lon', 'lat'] } },
      bands: { type: 'array', minItems: 1, maxItems: 16, items: { type: 'number', minimum: 0.1, maximum: 120 } },
    }, ['stations', 'bands']),
  }, async (req) => {
    const { id } = req.params as { id: string };
    await need(req, id, 'view');
    const b = req.body as { stations: { id: string; lon: number; lat: number }[]; bands: number[]; turns?: boolean };
    const bands = [...b.bands].sort((x, y) => x - y);
    const { vmax } = await engines.current(id);
    // Everything reached within the last band lies within band × (fastest speed) of a station (+ the corridor).
    const e = await engines.near(id, b.turns ?? true, b.stations.map((s) => [s.lon, s.lat]), bands[bands.length - 1] * 60 * vmax + SNAP_MARGIN_M);
    const out = e.router.isochrone(b.stations.map((s) => ({ id: s.id, lon: s.lon, lat: s.lat })), bands, { lines: false });
    return { engine: 'server', networkVersion: e.version, loadedEdges: e.loadedEdges, networkEdges: e.networkEdges, polygons: out.polygons, snaps: out.snaps, profileName: out.profileName };
  });

  /**
   * The compliance check of `planner check` with the network and (optionally) a scenario from the server; the
   * place's planning area, towns and barriers come from its built data (public/data/<id>), as the CLI's.
   */
  app.post('/api/places/:id/check', {
    schema: engineBody({ scenarioId: NUM_ID, standard: { type: 'string', enum: [...STANDARD_IDS] }, districts: { type: 'string', enum: ['auto', 'towns'] } }, []),
  }, async (req) => {
    const { id } = req.params as { id: string };
    await need(req, id, 'view');
    const b = req.body as { scenarioId?: string; standard?: string; districts?: 'auto' | 'towns'; turns?: boolean };
    let scenario: object | null = null;
    if (b.scenarioId) {
      if ((await scenarioPlace(req, b.scenarioId)) !== id) throw notFound();
      scenario = (await current(pool, b.scenarioId)).body;
    }
    const scenarioText = scenario === null ? null : JSON.stringify(scenario);
    const SCENARIO = '\u0000server-scenario';
    const graphPath = `public/data/${id}/graph.bin`;
    // The roads the check needs: around the planning area and the stations, grown until no answer could use a
    // road outside the part (max(worst edge time, travel limit) × fastest speed inside the margin, nothing unreachable).
    const area = await checkArea(id, scenario);
    let reach = area ? config.check.startSeconds * (await engines.current(id)).vmax + SNAP_MARGIN_M : Infinity;
    let loaded = false;
    for (;;) {
      const g = await engines.graphNear(id, area ?? [], reach);
      loaded ||= g.loaded;
      const io: CheckIO = {
        readText: (p) => (p === SCENARIO && scenarioText !== null ? Promise.resolve(scenarioText) : readFile(resolve(repoRoot, p), 'utf8')),
        readBytes: async (p) => (p === graphPath ? g.graph.buffer : Promise.reject(new Error(`not served: ${p}`))),
        exists: async (p) => existsSync(resolve(repoRoot, p)),
      };
      const { report } = await checkPlaceWithRules({
        place: id, standard: b.standard ?? DEFAULT_STANDARD_ID, districts: b.districts ?? 'towns', ...(scenarioText !== null ? { scenario: SCENARIO } : {}),
        stations: 'all', peak: false, turns: b.turns ?? true, json: true, lang: 'zh',
      }, io);
      // Edge times, and the coverage share / over-limit points that read times up to each travel limit.
      const needed = checkReachNeeded(report.stations, g.vmax, SNAP_MARGIN_M);
      if (g.loadedEdges === g.networkEdges || needed <= reach) {
        return { engine: 'server', networkVersion: g.version, loadedEdges: g.loadedEdges, networkEdges: g.networkEdges, networkLoaded: loaded, report };
      }
      // An edge point unreachable in the part may be reached around it: the whole network decides (one more run).
      reach = Number.isFinite(needed) ? Math.max(needed, reach * 2) : Infinity;
    }
  });

  /**
   * The siting optimizer of `planner optimize` on the stored (whole) network: the place's stations (or a scenario's
   * active ones) fixed, road demand and road-node candidates, greedy + swap, and with `exact` the MIP by HiGHS within
   * `timeLimit` seconds. One run at a time (the work holds the event loop): a second one meanwhile gets 503. Only
   * those who may edit the place (planner, admin) run it, each at most once per optimize.cooldownSeconds (429 then).
   */
  let optimizing = false;
  /** User id → when that user may run the optimizer again (ms); expired entries are dropped on every run. */
  const optimizeAgainAt = new Map<number, number>();
  app.post('/api/places/:id/optimize', {
    schema: {
      params: placeParams,
      body: {
        type: 'object', additionalProperties: false, required: ['model'],
        properties: {
          model: { type: 'string', enum: [...MODEL_KINDS] }, k: { type: 'integer', minimum: 0, maximum: 500 }, minutes: { type: 'number', minimum: 0.5, maximum: 60 },
          backupMinutes: { type: 'number', minimum: 0.5, maximum: 120 }, fixed: { type: 'string', enum: ['existing', 'all'] }, spacing: { type: 'number', minimum: 20, maximum: 10000 },
          reverse: { type: 'boolean' }, exact: { type: 'boolean' }, timeLimit: { type: 'number', minimum: 1, maximum: config.optimize.maxTimeLimitSeconds }, scenarioId: NUM_ID,
        },
      },
    },
  }, async (req) => {
    const { id } = req.params as { id: string };
    const { user } = await need(req, id, 'edit');
    const wait = Math.ceil(((optimizeAgainAt.get(user.id) ?? 0) - Date.now()) / 1000);
    if (wait > 0) throw Object.assign(fail('optimize-cooldown', `优化刚运行过，请 ${wait} 秒后再试`, `you ran the optimizer just now; try again in ${wait} s`), { retryAfter: wait });
    const b = req.body as Omit<OptimizeRequest, 'timeLimit'> & { timeLimit?: number; scenarioId?: string };
    if (b.model === 'backup' && b.backupMinutes !== undefined && b.backupMinutes < (b.minutes ?? 4))
      throw fail('bad-option', 'backupMinutes 不能小于 minutes', 'backupMinutes must not be less than minutes');
    let stations;
    if (b.scenarioId) {
      if ((await scenarioPlace(req, b.scenarioId)) !== id) throw notFound();
      const parsed = scenarioFromDoc((await current(pool, b.scenarioId)).body, 'scenario');
      if (!parsed.ok) throw fail('bad-scenario', parsed.errors.map((m) => m.zh).join('；'), parsed.errors.map((m) => m.en).join('; '));
      stations = activeStations(parsed.scenario);
    } else stations = await placeOwnStations(id);
    if (optimizing) throw Object.assign(fail('optimizer-busy', '优化器正在运行另一项任务，请稍后再试', 'the optimizer is running another job; try again shortly'), { retryAfter: 5 });
    optimizing = true;
    try {
      const g = await engines.graphNear(id, [], Infinity);
      const { scenarioId: _s, timeLimit, ...rest } = b;
      const result = await optimizeOnNetwork(id, g.graph, defaultProfiles(), stations, { ...rest, timeLimit: timeLimit ?? config.optimize.defaultTimeLimitSeconds }, nodeSolveLp, config.optimize.maxRunSeconds);
      return { engine: 'server', networkVersion: g.version, result };
    } finally {
      optimizing = false;
      const now = Date.now();
      for (const [u, t] of optimizeAgainAt) if (t <= now) optimizeAgainAt.delete(u);
      optimizeAgainAt.set(user.id, now + config.optimize.cooldownSeconds * 1000);
    }
  });

  registerPlaceBundle(app, pool);
  return app;
}
