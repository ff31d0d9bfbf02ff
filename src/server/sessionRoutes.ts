/** Health and the session: log-in (rate limited), log-out, who is logged in with their roles. */
import type { FastifyInstance } from 'fastify';
import { deleteExpiredSessions, login, logout, SESSION_COOKIE } from './auth';
import { fail, type RouteContext } from './routeKit';

export function registerSessionRoutes(app: FastifyInstance, ctx: RouteContext): void {
  const { pool, config, limiter, userOf } = ctx;
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
}
