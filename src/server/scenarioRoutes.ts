/** Scenarios stored as versions (a save on a stale version: 409 with the current one, never an overwrite), restore, comments. */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { scenarioFromDoc } from '../core/scenario/io';
import { currentScenario as current, fail, notFound, NUM_ID, placeParams, scenarioParams, tx, type RouteContext } from './routeKit';

export function registerScenarioRoutes(app: FastifyInstance, ctx: RouteContext): void {
  const { pool, need, scenarioPlace, audit } = ctx;
  /** A scenario body is a scenario GeoJSON as the app exports it, of this place. */
  const checkScenario = (body: unknown, placeId: string) => {
    const s = scenarioFromDoc(body, 'scenario');
    if (!s.ok) throw fail('bad-scenario', s.errors.map((m) => m.zh).join('；'), s.errors.map((m) => m.en).join('; '));
    if (s.scenario.placeId !== placeId) throw fail('scenario-place-mismatch', `该方案属于「${s.scenario.placeId}」，不是「${placeId}」`, `the scenario is of "${s.scenario.placeId}", not "${placeId}"`);
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
}
