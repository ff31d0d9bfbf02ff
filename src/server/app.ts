/**
 * The team server's HTTP API (fastify). Every route but health and log-in needs a session; every place route checks
 * the caller's role on that place (no role: the place does not exist for them, 404; a role without the right: 403).
 * SQL is parameterised only. Errors answer { error: { code, zh, en, detail? } } with a fitting status.
 */
import Fastify, { type FastifyInstance } from 'fastify';
import cookie from '@fastify/cookie';
import type { Pool } from 'pg';
import { isErrorInfo, toErrorInfo } from '../core/errors';
import { deleteExpiredSessions } from './auth';
import { EngineCache } from './network';
import { serverConfig, type ServerConfigOverrides } from './config';
import { LoginLimiter } from './loginLimit';
import { routeContext } from './routeKit';
import { registerSessionRoutes } from './sessionRoutes';
import { registerAdminRoutes } from './adminRoutes';
import { registerPlaceDataRoutes } from './placeDataRoutes';
import { registerScenarioRoutes } from './scenarioRoutes';
import { registerEngineRoutes } from './engineRoutes';
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

  // The route groups, each in its own file (who may call them: routeKit.ts).
  const ctx = routeContext(pool, config, engines, limiter);
  registerSessionRoutes(app, ctx);
  registerAdminRoutes(app, ctx);
  registerPlaceDataRoutes(app, ctx);
  registerScenarioRoutes(app, ctx);
  registerEngineRoutes(app, ctx);
  registerPlaceBundle(app, pool);
  return app;
}
