/** Users, places and roles (admins; a place's roles and audit log: whoever may manage it). */
import type { FastifyInstance } from 'fastify';
import { createUser, ROLES, type Role } from './auth';
import { fail, notFound, PLACE_ID, placeParams, type RouteContext } from './routeKit';

export function registerAdminRoutes(app: FastifyInstance, ctx: RouteContext): void {
  const { pool, userOf, need, audit } = ctx;
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
}
