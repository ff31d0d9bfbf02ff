/**
 * The team server's API (src/server/app.ts) as a typed client, and the offline save queue in IndexedDB. The only
 * I/O of the "connect to server" feature: nothing here runs unless the user connects.
 *
 * `base` is '' for the app's own origin (the dev / preview server proxies /api to the team server, see
 * vite.config.ts) or an origin such as http://127.0.0.1:8787. The session is the server's HttpOnly cookie, sent
 * with every request (credentials: 'include'). Every failure is a PlannerError with zh/en text:
 *   server-offline (no answer, or the proxy's 502/503/504), unauthenticated / bad-login (401), forbidden (403),
 *   version-conflict (409; the server's current version in conflictOf(e)), server-error (5xx), and the server's
 *   own codes as it sent them.
 */
import { createStore, get, set } from 'idb-keyval';
import type { EvaluateRequest } from '../core/compliance/evaluate';
import type { PlaceReport } from '../core/compliance/report';
import { isErrorInfo, plannerError, type PlannerError } from '../core/errors';
import type { PlaceBundle } from '../server/placeBundleShape';

export type ServerRole = 'planner' | 'commander' | 'admin';
export interface ServerUser { id: number; name: string; isAdmin: boolean }
export interface ServerMe { user: ServerUser; roles: { placeId: string; role: ServerRole }[] }
export interface ServerPlace { id: string; name: string; role: ServerRole; networkVersion: number | null }
export interface ServerScenarioSummary { id: string; name: string; version: number; savedAt: string; author: string }
export interface ServerScenario extends ServerScenarioSummary { placeId: string; body: unknown; note: string }
export interface ServerVersion { version: number; author: string; savedAt: string; note: string }
export interface ServerComment { id: string; author: string; text: string; createdAt: string }
/** The compliance check run by the server's engine (`report` as `planner check --json` prints it). */
export interface ServerCheck { engine: 'server'; networkVersion: number; report: unknown }

/** What the app needs to open a place that exists only on the server (its shape is the server's own). */
export type ServerPlaceBundle = PlaceBundle;

/** The app's live check answered by the server (src/server/placeBundle.ts, same code as the worker's evaluate). */
export interface ServerEvaluation { engine: 'server'; networkVersion: number; report: PlaceReport }

/** The scenario the server holds now, carried by a version-conflict error. */
const CURRENT = Symbol('current');
type ConflictError = PlannerError & { [CURRENT]?: ServerScenario };

/** The server's current version when `e` is a version conflict (409), else null. */
export function conflictOf(e: unknown): ServerScenario | null {
  return (e as ConflictError | null)?.[CURRENT] ?? null;
}

export const isOffline = (e: unknown): boolean => isErrorInfo(e) && e.code === 'server-offline';

function where(base: string): string {
  return base || '/api';
}

/** An API error from the HTTP status and the server's { error: { code, zh, en, detail? } } body (when it sent one). */
export function httpError(base: string, status: number, body: unknown): PlannerError {
  const e = (body as { error?: unknown } | null)?.error;
  if (isErrorInfo(e)) {
    const err: ConflictError = plannerError(e.code, e.zh, e.en, e.detail ? { detail: e.detail } : {});
    const cur = (body as { current?: ServerScenario }).current;
    if (status === 409 && cur) err[CURRENT] = cur;
    return err;
  }
  // No answer of ours: a proxy in front of a stopped server (502/503/504) means the server is unreachable.
  if (status === 502 || status === 503 || status === 504) return offlineError(base, `HTTP ${status}`);
  if (status === 401) return plannerError('unauthenticated', '请先登录服务器', 'please log in to the server first', { detail: `HTTP ${status}` });
  if (status === 403) return plannerError('forbidden', '您的角色无权执行此操作', 'your role may not do this', { detail: `HTTP ${status}` });
  if (status === 409) return plannerError('version-conflict', '服务器上的版本已更新', 'the version on the server has changed', { detail: `HTTP ${status}` });
  if (status >= 500) return plannerError('server-error', `服务器出错（HTTP ${status}）`, `the server failed (HTTP ${status})`, { detail: `HTTP ${status}` });
  return plannerError('server-bad-answer', `服务器拒绝了请求（HTTP ${status}）`, `the server refused the request (HTTP ${status})`, { detail: `HTTP ${status}` });
}

const offlineError = (base: string, detail: string) =>
  plannerError('server-offline', `无法连接服务器「${where(base)}」`, `cannot reach the server "${where(base)}"`, { detail });

export type Fetch = (url: string, init: RequestInit) => Promise<Response>;

/** An answer's body as JSON (null when it is empty, unreadable or not JSON). */
async function jsonOf(res: Response): Promise<unknown> {
  const text = await res.text().catch(() => '');
  try {
    return text ? JSON.parse(text) : null;
  } catch {
    return null;
  }
}

/** A client of one server. `fetchFn` is the browser's fetch (tests pass Node's, or a stand-in). */
export function serverApi(base: string, fetchFn: Fetch = (u, i) => fetch(u, i)) {
  const root = base.replace(/\/+$/, '');
  async function send(method: string, path: string, body?: unknown): Promise<Response> {
    try {
      return await fetchFn(root + path, {
        method, credentials: 'include',
        headers: body === undefined ? {} : { 'content-type': 'application/json' },
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      });
    } catch (e) {
      throw offlineError(base, e instanceof Error ? e.message : String(e));
    }
  }
  /** A binary answer (the graph); an error answer is read as JSON like any other. */
  async function bytes(path: string): Promise<ArrayBuffer> {
    const res = await send('GET', path);
    if (!res.ok) throw httpError(base, res.status, await jsonOf(res));
    try {
      return await res.arrayBuffer();
    } catch (e) {
      throw offlineError(base, e instanceof Error ? e.message : String(e));
    }
  }
  async function call<T>(method: string, path: string, body?: unknown): Promise<T> {
    const res = await send(method, path, body);
    const parsed = await jsonOf(res);
    if (!res.ok) throw httpError(base, res.status, parsed);
    if (parsed === null) throw plannerError('server-bad-answer', '服务器的回答不是 JSON', 'the server did not answer JSON', { detail: `${method} ${path}` });
    return parsed as T;
  }
  const enc = encodeURIComponent;
  return {
    health: () => call<{ ok: boolean; schemaVersion: number | null }>('GET', '/api/health'),
    login: (name: string, password: string) => call<{ user: ServerUser }>('POST', '/api/login', { name, password }),
    logout: () => call<{ ok: boolean }>('POST', '/api/logout', {}),
    me: () => call<ServerMe>('GET', '/api/me'),
    places: async () => (await call<{ places: ServerPlace[] }>('GET', '/api/places')).places,
    scenarios: async (placeId: string) => (await call<{ scenarios: ServerScenarioSummary[] }>('GET', `/api/places/${enc(placeId)}/scenarios`)).scenarios,
    scenario: (id: string) => call<ServerScenario>('GET', `/api/scenarios/${enc(id)}`),
    createScenario: (placeId: string, name: string, body: unknown, note?: string) =>
      call<ServerScenario>('POST', `/api/places/${enc(placeId)}/scenarios`, { name, body, ...(note ? { note } : {}) }),
    /** A new version on top of baseVersion; a stale base throws version-conflict (conflictOf(e) = theirs). */
    saveScenario: (id: string, baseVersion: number, body: unknown, note?: string) =>
      call<ServerScenario>('PUT', `/api/scenarios/${enc(id)}`, { baseVersion, body, ...(note ? { note } : {}) }),
    history: async (id: string) => (await call<{ versions: ServerVersion[] }>('GET', `/api/scenarios/${enc(id)}/versions`)).versions,
    restore: (id: string, version: number, baseVersion: number) => call<ServerScenario>('POST', `/api/scenarios/${enc(id)}/restore`, { version, baseVersion }),
    comments: async (id: string) => (await call<{ comments: ServerComment[] }>('GET', `/api/scenarios/${enc(id)}/comments`)).comments,
    comment: (id: string, text: string) => call<{ id: string; createdAt: string }>('POST', `/api/scenarios/${enc(id)}/comments`, { text }),
    check: (placeId: string, o: { scenarioId?: string; standard?: string; districts?: 'auto' | 'towns' } = {}) =>
      call<ServerCheck>('POST', `/api/places/${enc(placeId)}/check`, o),
    /** Everything but the graph of a place to open it in the app. */
    placeBundle: (placeId: string) => call<ServerPlaceBundle>('GET', `/api/places/${enc(placeId)}/bundle`),
    /** The place's network as graph.bin (what a dropped extract's import stores). */
    placeGraph: (placeId: string) => bytes(`/api/places/${enc(placeId)}/graph`),
    /** The worker's evaluate request answered on the server's network (peak and vehicle as in the app). */
    evaluate: (placeId: string, req: EvaluateRequest & { peak?: boolean; vehicleId?: string }) =>
      call<ServerEvaluation>('POST', `/api/places/${enc(placeId)}/evaluate`, req),
    times: (placeId: string, from: [number, number], to: [number, number][]) =>
      call<{ engine: 'server'; results: { seconds: number | null }[] }>('POST', `/api/places/${enc(placeId)}/times`, { from, to }),
  };
}
export type ServerApi = ReturnType<typeof serverApi>;

// ── the offline queue ──
/** A save made while the server could not be reached: sent in order when it answers again. */
export interface QueuedSave {
  /** The local scenario saved (its server scenario, if any, is the link kept by the store). */
  localId: string;
  placeId: string;
  name: string;
  /** The scenario GeoJSON as it was when saved. */
  body: unknown;
  /** When it was saved (ISO 8601). */
  at: string;
  /** Names this entry in the queue (entries saved before this field existed: localId + at). */
  id?: string;
  /**
   * The server scenario and version this save is based on, fixed when it was queued (null: a new server scenario);
   * after a queued save of the same base is sent, it becomes the version that send made. Entries saved before these
   * fields existed (undefined) use the link at send time.
   */
  serverId?: string | null;
  baseVersion?: number | null;
  /** The account (server address + '#' + user id) that saved it: only sent while that account is connected. */
  account?: string;
}

const QUEUE_KEY = 'queue';
let queueDb: ReturnType<typeof createStore> | undefined;
const qdb = () => (queueDb ??= createStore('fire-planner-server', 'outbox'));

export async function readQueue(): Promise<QueuedSave[]> {
  const q = await get<QueuedSave[]>(QUEUE_KEY, qdb());
  return Array.isArray(q) ? q : [];
}

export async function writeQueue(q: QueuedSave[]): Promise<void> {
  await set(QUEUE_KEY, q, qdb());
}
