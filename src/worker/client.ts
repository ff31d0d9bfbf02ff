/**
 * Main-thread client of the planner worker (comlink). Per request key (snap / isochrone / route / evaluate)
 * at most one call is in flight and only the latest waiting call is kept: a superseded call resolves as
 * { stale: true }, so dragging a station never queues work. A crashed worker (error event) is replaced and
 * its graphs and profile reloaded; calls caught by the crash reject with a 'worker-crashed' error.
 * Every rejection is a bilingual PlannerErrorInfo.
 */
import { proxy, releaseProxy, transfer, wrap, type Endpoint, type Remote } from 'comlink';
import type { GraphInfo, ImportResult, IsochroneRequest, IsochroneResult, PlannerErrorInfo, PlannerWorkerApi, ProfileInput, ProgressInfo, RouteRequest, RouteResult, SnapInfo } from './protocol';
import type { LonLat } from '../core/types';

export interface Stale {
  stale: true;
}
export const isStale = (v: unknown): v is Stale => typeof v === 'object' && v !== null && (v as Stale).stale === true;

export interface WorkerLike extends Endpoint {
  terminate(): void;
}

export interface PlannerClientOptions {
  /** Defaults to the module worker src/worker/planner.worker.ts. */
  createWorker?: () => WorkerLike;
  /** Called after a crashed worker was replaced and reloaded (or failed to reload). */
  onRestart?: (info: { restarts: number; error?: PlannerErrorInfo }) => void;
  /** Give up after this many crashes (default 3); later calls reject with 'worker-dead'. */
  maxRestarts?: number;
}

export interface PlannerClient {
  loadGraph(placeId: string, graph: ArrayBuffer): Promise<GraphInfo>;
  importOsm(placeId: string, bytes: ArrayBuffer, fileName: string, onProgress?: (p: ProgressInfo) => void, clipTo?: [number, number, number, number]): Promise<ImportResult>;
  setProfile(profile: ProfileInput, peak: boolean): Promise<void>;
  snap(placeId: string, point: LonLat): Promise<SnapInfo | Stale>;
  isochrone(req: IsochroneRequest, key?: string): Promise<IsochroneResult | Stale>;
  route(req: RouteRequest): Promise<RouteResult | Stale>;
  evaluate(req: unknown): Promise<unknown>;
  readonly restarts: number;
  terminate(): void;
}

const CRASHED: PlannerErrorInfo = { code: 'worker-crashed', zh: '计算线程崩溃，已自动重启；请重试', en: 'the planner worker crashed and was restarted; please retry' };
const DEAD: PlannerErrorInfo = { code: 'worker-dead', zh: '计算线程多次崩溃，已停止；请刷新页面', en: 'the planner worker crashed repeatedly and was stopped; reload the page' };

function asErrorInfo(e: unknown): PlannerErrorInfo {
  const o = e as Partial<PlannerErrorInfo> | null;
  if (o && typeof o === 'object' && typeof o.code === 'string' && typeof o.zh === 'string' && typeof o.en === 'string') return o as PlannerErrorInfo;
  const msg = e instanceof Error ? e.message : String(e);
  return { code: 'internal', zh: `内部错误：${msg}`, en: `internal error: ${msg}` };
}

const defaultWorker = (): WorkerLike => new Worker(new URL('./planner.worker.ts', import.meta.url), { type: 'module' });

export function createPlannerClient(opts: PlannerClientOptions = {}): PlannerClient {
  const createWorker = opts.createWorker ?? defaultWorker;
  const maxRestarts = opts.maxRestarts ?? 3;
  const graphs = new Map<string, ArrayBuffer>();
  let profileState: { profile: ProfileInput; peak: boolean } | null = null;
  const inflight = new Set<(e: PlannerErrorInfo) => void>();
  let restarts = 0;
  let dead = false;
  let worker!: WorkerLike;
  let remote!: Remote<PlannerWorkerApi>;
  let ready: Promise<void> = Promise.resolve();

  const onCrash = () => {
    for (const reject of inflight) reject(CRASHED);
    inflight.clear();
    stop();
    restarts++;
    if (restarts > maxRestarts) {
      dead = true;
      opts.onRestart?.({ restarts, error: DEAD });
      return;
    }
    start();
    ready = reload().then(
      () => opts.onRestart?.({ restarts }),
      (e) => { opts.onRestart?.({ restarts, error: asErrorInfo(e) }); },
    );
  };
  const start = () => {
    worker = createWorker();
    worker.addEventListener('error', onCrash);
    remote = wrap<PlannerWorkerApi>(worker);
    running = true;
  };
  let running = false;
  const stop = () => {
    if (!running) return;
    running = false;
    worker.removeEventListener('error', onCrash);
    try {
      remote[releaseProxy]();
    } finally {
      worker.terminate();
    }
  };
  const reload = async () => {
    if (profileState) await remote.setProfile(profileState.profile, profileState.peak);
    for (const [placeId, buf] of graphs) {
      const copy = buf.slice(0);
      await remote.loadGraph(placeId, transfer(copy, [copy]));
    }
  };

  /** Runs a call on the current worker; rejects with PlannerErrorInfo (also when the worker crashes meanwhile). */
  const call = <T>(fn: (r: Remote<PlannerWorkerApi>) => Promise<T>): Promise<T> =>
    new Promise<T>((resolve, reject) => {
      if (dead) return reject(DEAD);
      let settled = false;
      const fail = (e: PlannerErrorInfo) => { if (!settled) { settled = true; inflight.delete(fail); reject(e); } };
      inflight.add(fail);
      ready
        .then(() => (settled ? (undefined as never) : fn(remote)))
        .then(
          (v) => { if (!settled) { settled = true; inflight.delete(fail); resolve(v); } },
          (e) => fail(asErrorInfo(e)),
        );
    });

  interface Job { run: () => Promise<unknown>; resolve: (v: unknown) => void; reject: (e: unknown) => void }
  const lanes = new Map<string, { busy: boolean; pending: Job | null }>();
  const execute = (lane: { busy: boolean; pending: Job | null }, job: Job) => {
    lane.busy = true;
    job.run().then(job.resolve, job.reject).finally(() => {
      lane.busy = false;
      const next = lane.pending;
      lane.pending = null;
      if (next) execute(lane, next);
    });
  };
  /** Latest-only lane per key. */
  const latest = <T>(key: string, run: () => Promise<T>): Promise<T | Stale> =>
    new Promise<T | Stale>((resolve, reject) => {
      let lane = lanes.get(key);
      if (!lane) lanes.set(key, (lane = { busy: false, pending: null }));
      const job: Job = { run, resolve: resolve as (v: unknown) => void, reject };
      if (!lane.busy) execute(lane, job);
      else {
        lane.pending?.resolve({ stale: true });
        lane.pending = job;
      }
    });

  start();
  return {
    get restarts() { return restarts; },
    loadGraph(placeId, graph) {
      graphs.set(placeId, graph.slice(0));
      return call((r) => r.loadGraph(placeId, transfer(graph, [graph])));
    },
    async importOsm(placeId, bytes, fileName, onProgress, clipTo) {
      const res = await call((r) => r.importOsm(placeId, transfer(bytes, [bytes]), fileName, onProgress ? proxy(onProgress) : undefined, clipTo));
      graphs.set(placeId, res.graph.slice(0));
      return res;
    },
    setProfile(profile, peak) {
      profileState = { profile, peak };
      return call((r) => r.setProfile(profile, peak));
    },
    snap: (placeId, point) => latest('snap', () => call((r) => r.snap(placeId, point))),
    isochrone: (req, key = 'isochrone') => latest(key, () => call((r) => r.isochrone(req))),
    route: (req) => latest('route', () => call((r) => r.route(req))),
    evaluate: (req) => latest('evaluate', () => call((r) => r.evaluate(req))),
    terminate() {
      dead = true;
      for (const reject of inflight) reject(DEAD);
      inflight.clear();
      stop();
    },
  };
}
