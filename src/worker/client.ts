/**
 * Main-thread client of the planner worker (comlink), typed by the protocol's message map. Calls go through one
 * queue per purpose (see QueueName): the live check, scenario analyses (one queue per slot: baseline, compare A …),
 * isochrones, routes and snaps. A queue keeps at most one call in flight and only its latest waiting call: a
 * superseded call of the same queue resolves as { stale: true }, so dragging a station never queues work, while
 * the other queues are untouched. A scenario analysis waits (on a promise, no polling) until the live queue is
 * idle, so it never delays the live check. A crashed worker (error event) is replaced and its graphs and profile
 * reloaded; calls caught by the crash reject with a 'worker-crashed' error. Every rejection is a plain
 * PlannerErrorInfo.
 */
import { proxy, releaseProxy, transfer, wrap, type Endpoint, type Remote } from 'comlink';
import { toErrorInfo } from '../core/errors';
import { unpackRoads } from '../core/osm/roadPack';
import type {
  ClipBox, EvaluateRequest, GraphInfo, ImportResult, IsochroneRequest, IsochroneResult, PlaceReport, PlannerErrorInfo, PlannerWorkerApi,
  ProgressInfo, QueueName, RoadRulesInfo, RouteRequest, RouteResult, SnapInfo, SpeedProfile, VehicleFigures,
} from './protocol';
import type { HydrantAuditRequest, HydrantAuditResult, HydrantSuggestRequest, SuggestResult } from './protocol';
import type { OptimizeProgress, OptimizeRequest, OptimizeResult } from './optimizeProtocol';
import type { LonLat } from '../core/types';
import type { ColumnMapping, CrsSuggestion, HydrantArea, HydrantFilePreview, HydrantFileRead, ReadProgress } from './protocol';

export interface Stale {
  stale: true;
}
export const isStale = <T extends object>(v: T | Stale): v is Stale => (v as Partial<Stale>).stale === true;

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
  importOsm(placeId: string, bytes: ArrayBuffer, fileName: string, onProgress?: (p: ProgressInfo) => void, clipTo?: ClipBox): Promise<ImportResult>;
  setProfile(profile: SpeedProfile, peak: boolean): Promise<void>;
  /** The road rules' vehicle for every place (kept across a worker restart); unknown id → 'unknown-vehicle'. */
  setVehicle(vehicleId: string, figures?: VehicleFigures | null): Promise<void>;
  /** Closures of the road rules on a loaded place for the current vehicle (data card rows, map features). */
  roadRules(placeId: string): Promise<RoadRulesInfo>;
  snap(placeId: string, point: LonLat): Promise<SnapInfo | Stale>;
  /** Queue `isochrone:<key>` (default key 'main'). */
  isochrone(req: IsochroneRequest, key?: string): Promise<IsochroneResult | Stale>;
  route(req: RouteRequest): Promise<RouteResult | Stale>;
  /** The live check (queue 'live'): a newer live check makes a waiting one stale. */
  evaluate(req: EvaluateRequest): Promise<PlaceReport | Stale>;
  /**
   * A scenario analysis (queue `scenario:<slot>`, e.g. 'baseline', 'compare-a'): stale only when a newer analysis
   * of the same slot supersedes it; sent once the live queue is idle.
   */
  analyse(req: EvaluateRequest, slot: string): Promise<PlaceReport | Stale>;
  /** Hydrant import (issue #13), see PlannerRequests: preview, read with progress / cancel, CRS suggestion. */
  previewHydrants(file: Blob, fileName: string, sheet?: string): Promise<HydrantFilePreview>;
  readHydrants(file: Blob, fileName: string, mapping: ColumnMapping, onProgress?: (p: ReadProgress) => boolean | void, sheet?: string): Promise<HydrantFileRead>;
  suggestHydrantCrs(placeId: string, points: { x: number; y: number }[], area: HydrantArea): Promise<CrsSuggestion | null>;
  /** Hydrant audit (queue 'hydrants:audit', latest only; exports pass 'hydrants:export' so the two never supersede each other). */
  hydrantAudit(req: HydrantAuditRequest, queue?: 'hydrants:audit' | 'hydrants:export'): Promise<HydrantAuditResult | Stale>;
  /** "Suggest N hydrants" (queue 'hydrants:suggest', latest only). */
  hydrantSuggest(req: HydrantSuggestRequest): Promise<SuggestResult | Stale>;
  /**
   * A siting run (queue 'optimize'): a newer run cancels the one in flight (the worker stops at its next progress
   * step) and makes a waiting one stale; a cancelled run resolves as stale.
   */
  optimize(req: OptimizeRequest, onProgress?: (p: OptimizeProgress) => void): Promise<OptimizeResult | Stale>;
  /** Cancels the siting run in flight (it resolves as stale). */
  cancelOptimize(): void;
  readonly restarts: number;
  terminate(): void;
}

const CRASHED: PlannerErrorInfo = { code: 'worker-crashed', zh: '计算线程崩溃，已自动重启；请重试', en: 'the planner worker crashed and was restarted; please retry' };
const DEAD: PlannerErrorInfo = { code: 'worker-dead', zh: '计算线程多次崩溃，已停止；请刷新页面', en: 'the planner worker crashed repeatedly and was stopped; reload the page' };

const defaultWorker = (): WorkerLike => new Worker(new URL('./planner.worker.ts', import.meta.url), { type: 'module' });

/** A queued call: start() runs it and settles its promise; stale() settles it as superseded instead. */
interface Job {
  start: () => Promise<void>;
  stale: () => void;
}

/** A latest-only queue: one job in flight, the newest waiting job kept, older waiting ones resolved as stale. */
class Queue {
  private busy = false;
  private pending: Job | null = null;
  private idleWaiters: (() => void)[] = [];

  push<T>(run: () => Promise<T>): Promise<T | Stale> {
    return new Promise<T | Stale>((resolve, reject) => {
      const job: Job = {
        start: () => run().then(resolve, (e: unknown) => reject(toErrorInfo(e))),
        stale: () => resolve({ stale: true }),
      };
      if (!this.busy) this.execute(job);
      else {
        this.pending?.stale();
        this.pending = job;
      }
    });
  }

  /** Resolves when nothing of this queue is running or waiting. */
  idle(): Promise<void> {
    if (!this.busy) return Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  private execute(job: Job): void {
    this.busy = true;
    void job.start().finally(() => {
      const next = this.pending;
      this.pending = null;
      if (next) return this.execute(next);
      this.busy = false;
      const waiters = this.idleWaiters;
      this.idleWaiters = [];
      for (const w of waiters) w();
    });
  }
}

export function createPlannerClient(opts: PlannerClientOptions = {}): PlannerClient {
  const createWorker = opts.createWorker ?? defaultWorker;
  const maxRestarts = opts.maxRestarts ?? 3;
  const graphs = new Map<string, ArrayBuffer>();
  const inflight = new Set<(e: PlannerErrorInfo) => void>();
  const queues = new Map<QueueName, Queue>();
  const st = {
    profile: null as { profile: SpeedProfile; peak: boolean } | null,
    vehicle: null as { id: string; figures: VehicleFigures | null } | null,
    restarts: 0,
    dead: false,
    running: false,
    ready: Promise.resolve(),
  };
  let worker!: WorkerLike;
  let remote!: Remote<PlannerWorkerApi>;

  const onCrash = () => {
    for (const reject of inflight) reject(CRASHED);
    inflight.clear();
    stop();
    st.restarts++;
    if (st.restarts > maxRestarts) {
      st.dead = true;
      opts.onRestart?.({ restarts: st.restarts, error: DEAD });
      return;
    }
    start();
    st.ready = reload().then(
      () => opts.onRestart?.({ restarts: st.restarts }),
      (e: unknown) => { opts.onRestart?.({ restarts: st.restarts, error: toErrorInfo(e) }); },
    );
  };
  const start = () => {
    worker = createWorker();
    worker.addEventListener('error', onCrash);
    remote = wrap<PlannerWorkerApi>(worker);
    st.running = true;
  };
  const stop = () => {
    if (!st.running) return;
    st.running = false;
    worker.removeEventListener('error', onCrash);
    try {
      remote[releaseProxy]();
    } finally {
      worker.terminate();
    }
  };
  const reload = async () => {
    if (st.profile) await remote.setProfile(st.profile.profile, st.profile.peak);
    if (st.vehicle !== null) await remote.setVehicle(st.vehicle.id, st.vehicle.figures);
    for (const [placeId, buf] of graphs) {
      const copy = buf.slice(0);
      await remote.loadGraph(placeId, transfer(copy, [copy]));
    }
  };

  /** Runs a call on the current worker; rejects with PlannerErrorInfo (also when the worker crashes meanwhile). */
  const call = <T>(fn: (r: Remote<PlannerWorkerApi>) => Promise<T>): Promise<T> =>
    new Promise<T>((resolve, reject) => {
      if (st.dead) return reject(DEAD);
      let settled = false;
      const fail = (e: PlannerErrorInfo) => { if (!settled) { settled = true; inflight.delete(fail); reject(e); } };
      inflight.add(fail);
      st.ready
        .then(() => (settled ? (undefined as never) : fn(remote)))
        .then(
          (v) => { if (!settled) { settled = true; inflight.delete(fail); resolve(v); } },
          (e: unknown) => fail(toErrorInfo(e)),
        );
    });

  const queue = (name: QueueName): Queue => {
    let q = queues.get(name);
    if (!q) queues.set(name, (q = new Queue()));
    return q;
  };

  /** The siting run in flight or waiting: its cancel flag, read by the worker at every progress step. */
  const optimizeRun = { current: null as { cancelled: boolean } | null };
  const cancelOptimize = () => { if (optimizeRun.current) optimizeRun.current.cancelled = true; };

  start();
  return {
    get restarts() { return st.restarts; },
    optimize(req, onProgress) {
      cancelOptimize();
      const token = { cancelled: false };
      optimizeRun.current = token;
      const report = proxy((p: OptimizeProgress) => { if (!token.cancelled) onProgress?.(p); return token.cancelled; });
      return queue('optimize').push(async () => {
        if (token.cancelled) return { stale: true } as Stale;
        try {
          const res = await call((r) => r.optimize(req, report));
          // cancelled while the exact solver held the worker (it cannot stop mid-solve): the answer is stale
          return token.cancelled ? ({ stale: true } as Stale) : res;
        } catch (e) {
          if (token.cancelled && toErrorInfo(e).code === 'optimize-cancelled') return { stale: true } as Stale;
          throw e;
        }
      });
    },
    cancelOptimize,
    loadGraph(placeId, graph) {
      graphs.set(placeId, graph.slice(0));
      return call((r) => r.loadGraph(placeId, transfer(graph, [graph])));
    },
    async importOsm(placeId, bytes, fileName, onProgress, clipTo) {
      const res = await call((r) => r.importOsm(placeId, transfer(bytes, [bytes]), fileName, onProgress ? proxy(onProgress) : undefined, clipTo));
      graphs.set(placeId, res.graph.slice(0));
      return withRoads(res);
    },
    setProfile(profile, peak) {
      st.profile = { profile, peak };
      return call((r) => r.setProfile(profile, peak));
    },
    async setVehicle(vehicleId, figures) {
      await call((r) => r.setVehicle(vehicleId, figures ?? null));
      st.vehicle = { id: vehicleId, figures: figures ?? null };
    },
    roadRules: (placeId) => call((r) => r.roadRules(placeId)),
    snap: (placeId, point) => queue('snap').push(() => call((r) => r.snap(placeId, point))),
    isochrone: (req, key = 'main') => queue(`isochrone:${key}`).push(() => call((r) => r.isochrone(req))),
    route: (req) => queue('route').push(() => call((r) => r.route(req))),
    evaluate: (req) => queue('live').push(() => call((r) => r.evaluate(req))),
    analyse: (req, slot) => queue(`scenario:${slot}`).push(async () => {
      await queue('live').idle();
      return call((r) => r.evaluate(req));
    }),
    previewHydrants: (file, fileName, sheet) => call((r) => r.previewHydrants(file, fileName, sheet)),
    readHydrants: (file, fileName, mapping, onProgress, sheet) => call((r) => r.readHydrants(file, fileName, mapping, onProgress ? proxy(onProgress) : undefined, sheet)),
    suggestHydrantCrs: (placeId, points, area) => call((r) => r.suggestHydrantCrs(placeId, points, area)),
    hydrantAudit: (req, name = 'hydrants:audit') => queue(name).push(() => call((r) => r['hydrants:audit'](req))),
    hydrantSuggest: (req) => queue('hydrants:suggest').push(() => call((r) => r['hydrants:suggest'](req))),
    terminate() {
      st.dead = true;
      for (const reject of inflight) reject(DEAD);
      inflight.clear();
      stop();
    },
  };
}

/** An import result as the app takes it: roads the worker handed back packed (transferred) made into their GeoJSON. */
export function withRoads(res: ImportResult): ImportResult {
  if (!res.roadsPacked) return res;
  const { roadsPacked, ...rest } = res;
  return { ...rest, roads: unpackRoads(roadsPacked) };
}
