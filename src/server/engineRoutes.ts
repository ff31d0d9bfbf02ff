/** The engine on the server: travel times, isochrones, the compliance check and the siting optimizer on a stored network. */
import type { FastifyInstance } from 'fastify';
import { readFile } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { scenarioFromDoc } from '../core/scenario/io';
import { checkPlaceWithRules, type CheckIO } from '../core/compliance/cli';
import { DEFAULT_STANDARD_ID, STANDARD_IDS } from '../core/compliance/standards';
import { MODEL_KINDS } from '../core/optimize/index';
import { activeStations } from '../core/scenario/ops';
import { nodeSolveLp } from '../cli/highsNode';
import { checkReachNeeded } from './checkReach';
import { defaultProfiles, repoRoot } from './network';
import { checkArea, placeOwnStations } from './placeData';
import { optimizeOnNetwork, type OptimizeRequest } from './optimize';
import { currentScenario as current, fail, LONLAT, notFound, NUM_ID, placeParams, SNAP_MARGIN_M, START_MARGIN_M, type RouteContext } from './routeKit';

export function registerEngineRoutes(app: FastifyInstance, ctx: RouteContext): void {
  const { pool, config, engines, need, scenarioPlace } = ctx;
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
}
