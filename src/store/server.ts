/**
 * The team-server connection (issue #16 item 4): its own small zustand store beside the main one. Nothing here
 * sends a request until the user connects (connect()); the choice is remembered in localStorage, so a reload
 * reconnects only when the user had connected.
 *
 * When connected: the server's places (with the user's role) are listed; a server scenario opens as a local
 * scenario linked to it (`links`: local id → server id + the version it is based on); "save to server" sends a new
 * version on that base. A stale base gets the conflict prompt (keep mine as a new version / take theirs / cancel),
 * never an overwrite. A save that cannot reach the server waits in the IndexedDB queue and is sent, in order, when
 * the server answers again (a conflict met then gets the same prompt). A commander's place is read-only
 * (store/editLock.ts). While connected, the open linked scenario follows the server's newer versions when it has
 * no unsaved change here (polled every POLL_MS).
 */
import { create } from 'zustand';
import { push, scenarioFromDoc, scenarioToGeoJSON, seal, upsertScenario, type Scenario } from '../core/scenario';
import type { Feature, FeatureCollection } from 'geojson';
import type { PlaceMeta } from '../core/types';
import type { PlaceData } from '../data/places';
import { deleteImport, saveImport } from '../data/imports';
import { planner } from '../data/planner';
import { conflictOf, isOffline, readQueue, serverApi, writeQueue, type QueuedSave, type ServerPlaceBundle, type ServerApi, type ServerCheck, type ServerPlace, type ServerRole, type ServerScenario, type ServerScenarioSummary, type ServerUser, type ServerVersion, type ServerComment } from '../data/server';
import { errorMsg, type MsgLike } from '../i18n/msg';
import { plannerError } from '../core/errors';
import { PUBLISHED_ID, useStore } from './index';
import { addAndOpen, flushSave, switchScenario } from './scenario';
import { choosePlace, setPlaceSource } from './actions';
import { setEditLock } from './editLock';
import { evaluateRequestFor } from './compliance';
import { selectRoutingStations } from './selectors';
import { selectVehicleId } from './roadRules';
import type { PlannerState } from './index';

export const POLL_MS = 5000;
const PREFS_KEY = 'planner.server';
const LINKS_KEY = 'planner.server.links';

/** A local scenario opened from (or saved to) the server. */
export interface ServerLink {
  serverId: string;
  placeId: string;
  /** The server version this scenario is based on. */
  version: number;
  /** The scenario's updatedAt when it last matched that version (another value = unsaved changes). */
  synced: string;
}

/** A save the server refused as stale: the user chooses. `mine` is the body that was being saved. */
export interface ServerConflict {
  localId: string;
  name: string;
  mine: unknown;
  theirs: ServerScenario;
  /** It came from the offline queue (its entry waits at the head of the queue). */
  fromQueue: boolean;
  /** That queued entry (taken out of the queue when the user answers). */
  entry?: QueuedSave;
}

/** A place whose map data was downloaded from the server (it has none in this app). */
export interface ServerOpenedPlace {
  placeId: string;
  name: string;
  /** The server's network version loaded (null: the server has no network; the straight-line estimate applies). */
  networkVersion: number | null;
  boundarySource: ServerPlaceBundle['boundarySource'];
  /** When it was downloaded (ISO 8601). */
  at: string;
}

/** Which engine answered the live check with this verdict key; `fallback`: why the browser's result stands. */
export interface EngineAnswer {
  placeId: string;
  key: string;
  by: 'server' | 'browser';
  /** Asked, not answered yet (the browser's result is shown meanwhile). */
  busy: boolean;
  networkVersion?: number;
  fallback?: MsgLike;
}

export type ServerStatus = 'off' | 'connecting' | 'login' | 'online' | 'offline';

export interface ServerState {
  /** '' = the app's own origin (its /api is proxied to the server). */
  url: string;
  status: ServerStatus;
  user: ServerUser | null;
  places: ServerPlace[];
  /** The server scenarios of the open place. */
  scenarios: ServerScenarioSummary[];
  /** The links of the account (server address + user) connected now; another account's are kept, not used. */
  links: Record<string, ServerLink>;
  /** Queued saves of this account. */
  queue: number;
  /** Queued saves of another server or user: kept, sent only when that user is connected to that server again. */
  held: number;
  /** The account connected now: the server address + '#' + the user id ('' when nobody is). */
  account: string;
  conflict: ServerConflict | null;
  busy: boolean;
  message: MsgLike | null;
  /** Versions and comments of the open linked scenario (loaded when asked; newest version first). */
  detail: { serverId: string; versions: ServerVersion[]; comments: ServerComment[] } | null;
  /** Places opened from the server in this session (their map data came from it), by id. */
  opened: Record<string, ServerOpenedPlace>;
  /** "在服务器上计算 / Compute on the server": the live check is asked from the server while connected (default off). */
  compute: boolean;
  /** Who answered the live check shown (its verdict key), while computing on the server. */
  answer: EngineAnswer | null;
  /** The last check run by the server's engine, for the open place. */
  check: { placeId: string; result?: ServerCheck; busy: boolean; error?: MsgLike } | null;
}

function readJson<T>(key: string, fallback: T): T {
  try {
    const v = localStorage.getItem(key);
    return v ? (JSON.parse(v) as T) : fallback;
  } catch {
    return fallback;
  }
}
function writeJson(key: string, v: unknown): void {
  try {
    localStorage.setItem(key, JSON.stringify(v));
  } catch {
    /* no storage */
  }
}

/** Kept in localStorage: the address, whether the user was connected, and (to work offline after a reload) who they were and their places. */
const prefs = () => readJson<{ url?: string; connected?: boolean; user?: ServerUser; places?: ServerPlace[]; compute?: boolean }>(PREFS_KEY, {});

export const useServer = create<ServerState>(() => ({
  url: typeof window === 'undefined' ? '' : prefs().url ?? '',
  status: 'off', user: null, places: [], scenarios: [],
  links: {},
  queue: 0, held: 0, account: '', conflict: null, busy: false, message: null, check: null, detail: null, opened: {},
  compute: typeof window === 'undefined' ? false : prefs().compute === true, answer: null,
}));

const sget = () => useServer.getState();
const sset = (p: Partial<ServerState>) => useServer.setState(p);
const main = () => useStore.getState();
const api = (): ServerApi => serverApi(sget().url);

/** Whether the app talks to a server now (online, or connected but unreachable). */
export const connected = (s: ServerState = sget()): boolean => s.status === 'online' || s.status === 'offline';

/** The user's role on a place of the server, or null (not on the server, or not connected). */
export function roleOn(placeId: string | undefined, s: ServerState = sget()): ServerRole | null {
  if (!placeId || !connected(s)) return null;
  return s.places.find((p) => p.id === placeId)?.role ?? null;
}

// Links and queued saves belong to an account: a server address and a user there (ids of server A mean nothing on B).
const ACCOUNT_LINKS_KEY = 'planner.server.accountLinks';
const accountKey = (url: string, user: ServerUser | null | undefined): string => (user ? `${url}#${user.id}` : '');
const accountOf = (): string => sget().account;

/** Every account's links (links kept before they were tied to an account go to the account last connected). */
function allLinks(): Record<string, Record<string, ServerLink>> {
  const all = readJson<Record<string, Record<string, ServerLink>>>(ACCOUNT_LINKS_KEY, {});
  const legacy = readJson<Record<string, ServerLink> | null>(LINKS_KEY, null);
  if (legacy) {
    const p = prefs();
    const acc = p.url ? accountKey(p.url, p.user) : '';
    if (acc) all[acc] = { ...legacy, ...all[acc] };
    writeJson(ACCOUNT_LINKS_KEY, all);
    try {
      localStorage.removeItem(LINKS_KEY);
    } catch {
      /* no storage */
    }
  }
  return all;
}

function setLinks(links: Record<string, ServerLink>): void {
  const acc = accountOf();
  if (acc) writeJson(ACCOUNT_LINKS_KEY, { ...allLinks(), [acc]: links });
  sset({ links });
}

/** After the user (or the server) changed: that account's links, and its queued saves counted apart from others'. */
async function useAccount(): Promise<void> {
  const acc = accountKey(sget().url, sget().user);
  sset({ account: acc, links: acc ? allLinks()[acc] ?? {} : {} });
  await withQueue(() => ({ out: undefined })).catch(() => undefined);
}

/** The local scenario has changes the server has not got. */
export function unsaved(sc: Scenario | undefined, link: ServerLink | undefined): boolean {
  return !!sc && (!link || link.synced !== sc.updatedAt);
}

function updateLock(): void {
  setEditLock(roleOn(main().placeId) === 'commander' ? { key: 'server.readOnly' } : null);
}

const fail = (e: unknown) => sset({ busy: false, message: errorMsg(e) });

// ── connecting ──
let timer: ReturnType<typeof setInterval> | undefined;

export async function connect(url: string): Promise<void> {
  const clean = url.trim().replace(/\/+$/, '');
  sset({ url: clean, status: 'connecting', busy: true, message: null, account: '', links: {} });
  const before = prefs();
  writeJson(PREFS_KEY, { ...(before.url === clean ? before : {}), url: clean, connected: true, compute: sget().compute });
  try {
    await api().health();
  } catch (e) {
    // Unreachable: work offline as the user last seen on this server (their roles still apply), saves queued.
    const last = prefs();
    if (isOffline(e)) sset({ status: 'offline', busy: false, message: errorMsg(e), user: last.url === sget().url ? last.user ?? null : null, places: last.url === sget().url ? last.places ?? [] : [] });
    else sset({ status: 'off', busy: false, message: errorMsg(e) });
    await useAccount();
    if (isOffline(e)) startPolling();
    updateLock();
    return;
  }
  await afterLogin();
}

/** Reads who is logged in (the session cookie), the places and the open place's scenarios. */
async function afterLogin(): Promise<void> {
  try {
    const me = await api().me();
    const places = await api().places();
    sset({ status: 'online', user: me.user, places, busy: false, message: null });
    await useAccount();
    writeJson(PREFS_KEY, { url: sget().url, connected: true, user: me.user, places, compute: sget().compute });
    updateLock();
    startPolling();
    await refreshScenarios();
    await flushQueue();
    if (sget().compute) void serverCheckNow(); // "compute on the server" remembered: the check shown is asked now
  } catch (e) {
    const code = (e as { code?: string }).code;
    if (code === 'unauthenticated') {
      sset({ status: 'login', user: null, places: [], busy: false, message: null });
      await useAccount();
    }
    else if (isOffline(e)) {
      sset({ status: 'offline', busy: false, message: errorMsg(e) });
      startPolling();
    } else fail(e);
    updateLock();
  }
}

export async function login(name: string, password: string): Promise<void> {
  sset({ busy: true, message: null });
  try {
    await api().login(name, password);
  } catch (e) {
    fail(e);
    return;
  }
  await afterLogin();
}

/** Logs out and disconnects: the app works on its own again (local scenarios stay). */
export async function logout(): Promise<void> {
  sset({ busy: true });
  await api().logout().catch(() => undefined);
  disconnect();
}

export function disconnect(): void {
  clearInterval(timer);
  timer = undefined;
  writeJson(PREFS_KEY, { url: sget().url, connected: false, compute: sget().compute });
  sset({ status: 'off', user: null, places: [], scenarios: [], conflict: null, busy: false, message: null, check: null, detail: null, answer: null, links: {}, account: '' });
  updateLock();
}

/** On start: reconnects only when the user was connected when the page was left. */
export async function resumeServer(): Promise<void> {
  await useAccount();
  if (prefs().connected) await connect(sget().url);
}

function startPolling(): void {
  if (timer === undefined) timer = setInterval(() => void poll(), POLL_MS);
}

let polling = false;
/** Offline: is the server back (then the queue is sent)? Online: newer versions of the open scenario and the list. */
export async function poll(): Promise<void> {
  if (polling) return;
  polling = true;
  try {
    const s = sget();
    if (s.status === 'offline') {
      await api().health().then(() => afterLogin(), () => undefined);
    } else if (s.status === 'online') {
      await followOpenScenario();
      await refreshScenarios();
      if (sget().detail) await loadDetail();
    }
  } finally {
    polling = false;
  }
}

/** The server scenarios of the open place (none when the place is not on the server). */
export async function refreshScenarios(): Promise<void> {
  const placeId = main().placeId;
  if (!placeId || sget().status !== 'online' || !roleOn(placeId)) {
    if (sget().scenarios.length) sset({ scenarios: [] });
    return;
  }
  try {
    const list = await api().scenarios(placeId);
    if (main().placeId === placeId) sset({ scenarios: list });
  } catch (e) {
    onError(e);
  }
}

function onError(e: unknown): void {
  if (isOffline(e)) {
    sset({ status: 'offline', message: errorMsg(e) });
    startPolling();
  } else if ((e as { code?: string }).code === 'unauthenticated') sset({ status: 'login', user: null, message: errorMsg(e) });
  else sset({ message: errorMsg(e) });
}

// ── places that exist only on the server ──
/** The file name an opened server place's network is kept under in the import store (the place card's source). */
export const serverSourceName = (name: string, version: number) => `server: ${name} (v${version})`;

const withKind = (fc: FeatureCollection, kind: string): Feature[] =>
  fc.features.map((f) => ({ ...f, properties: { ...f.properties, kind: typeof f.properties?.kind === 'string' ? f.properties.kind : kind } }));

/** The app's layers of a server place: boundary, districts, stations + hydrants as facilities, water and rail when sent. */
export function placeDataOf(b: ServerPlaceBundle): PlaceData {
  return {
    ...(b.boundary.features.length ? { boundary: b.boundary } : {}),
    ...(b.districts.features.length ? { districts: b.districts } : {}),
    facilities: { type: 'FeatureCollection', features: [...withKind(b.stations, 'station'), ...withKind(b.hydrants, 'hydrant')] },
    ...(b.water ? { water: b.water } : {}), ...(b.rail ? { rail: b.rail } : {}),
  };
}

/** The place as the app lists it (no files of its own: its layers come from the server, its graph from the import store). */
export function placeMetaOf(b: ServerPlaceBundle, at: string): PlaceMeta {
  const bbox = b.place.bbox!;
  const v = b.network?.version;
  return {
    id: b.place.id, name: b.place.name, nameEn: b.place.name, group: 'plan', bbox, center: b.place.center ?? [(bbox[0] + bbox[2]) / 2, (bbox[1] + bbox[3]) / 2],
    zoom: 13, hasNetwork: false, files: {}, attribution: [],
    notes: [
      v ? `地图数据与路网来自团队服务器（路网第 ${v} 版，${at} 下载）/ map data and road network from the team server (network version ${v}, downloaded ${at})`
        : `地图数据来自团队服务器（服务器上没有路网，按直线估算）/ map data from the team server (no network there: straight-line estimate)`,
      b.boundarySource === 'districts' ? '规划范围 = 各责任区的并集（服务器不存边界）/ planning area = the union of the districts (the server keeps no boundary)' : '',
    ].filter(Boolean),
  };
}

/**
 * Opens a place that exists only on the server, like an imported one: its layers are downloaded (bundle), its graph
 * is kept in the IndexedDB import store under the place id, and the place is chosen (the worker loads the graph from
 * that store as after a dropped extract). Also refreshes a place opened before (a newer network version).
 */
export async function openServerPlace(placeId: string): Promise<void> {
  sset({ busy: true, message: null });
  try {
    const b = await api().placeBundle(placeId);
    if (!b.place.bbox)
      throw plannerError('server-place-empty', `服务器上的地点「${b.place.name}」既没有路网也没有责任区，无法打开`, `the server's place "${b.place.name}" has neither a network nor districts: nothing to open`);
    const graph = b.network ? await api().placeGraph(placeId) : null;
    const at = new Date().toISOString();
    if (graph && b.network) {
      const info = await (await planner()).loadGraph(placeId, graph.slice(0));
      const empty: FeatureCollection = { type: 'FeatureCollection', features: [] };
      await saveImport({ placeId, fileName: serverSourceName(b.place.name, b.network.version), importedAt: at, graph, roads: b.roads, facilities: empty, info });
    } else await deleteImport(placeId).catch(() => undefined);
    const data = placeDataOf(b);
    const meta = placeMetaOf(b, at.slice(0, 10));
    main().set({ places: [...main().places.filter((p) => p.id !== placeId), meta] });
    setPlaceSource(placeId, async () => data);
    sset({ opened: { ...sget().opened, [placeId]: { placeId, name: b.place.name, networkVersion: b.network?.version ?? null, boundarySource: b.boundarySource, at } } });
    await choosePlace(placeId);
    sset({ busy: false });
  } catch (e) {
    sset({ busy: false });
    onError(e);
  }
}

// ── scenarios ──
const localIdOf = (serverId: string) => `srv-${serverId}`;

/** The server scenario's body as a local scenario with the linked id; null (and a message) when it cannot be read. */
function toLocal(sc: ServerScenario): Scenario | null {
  const r = scenarioFromDoc(sc.body, sc.name);
  if (!r.ok) {
    sset({ message: { key: 'server.badScenario', code: r.errors[0].code, zh: r.errors[0].zh, en: r.errors[0].en } });
    return null;
  }
  return { ...r.scenario, id: localIdOf(sc.id), name: sc.name };
}

/** Puts a server version into the app (the open scenario's previous state stays one undo step away) and links it. */
function adopt(sc: ServerScenario, localId: string): void {
  const local = toLocal(sc);
  if (!local) return;
  const next = { ...local, id: localId };
  const s = main();
  if (s.activeScenarioId === localId && s.scenario) s.set({ scenarios: upsertScenario(s.scenarios, next), scenario: push(seal(s.scenario), next) });
  else s.set({ scenarios: upsertScenario(s.scenarios, next) });
  setLinks({ ...sget().links, [localId]: { serverId: sc.id, placeId: sc.placeId, version: sc.version, synced: next.updatedAt } });
  void flushSave();
}

/** The latest request of each kind: an older request's answer arriving after a newer one's is dropped. */
const latest = { open: 0, check: 0 };

/** Opens a server scenario of the open place (switching to its place first when needed). */
export async function openServerScenario(serverId: string): Promise<void> {
  const token = ++latest.open;
  sset({ busy: true, message: null });
  try {
    const sc = await api().scenario(serverId);
    if (token !== latest.open) return; // another scenario was asked for since
    if (main().placeId !== sc.placeId) {
      if (main().places.some((p) => p.id === sc.placeId)) await choosePlace(sc.placeId);
      else await openServerPlace(sc.placeId); // only on the server: its map data comes from there
      if (token !== latest.open) return;
      sset({ busy: true });
    }
    if (main().placeId !== sc.placeId)
      throw plannerError('server-place-unknown', `本应用没有地点「${sc.placeId}」的地图数据，无法打开该方案`, `this app has no map data of place "${sc.placeId}": the scenario cannot be opened`);
    const localId = localIdOf(sc.id);
    const local = toLocal(sc);
    if (!local) return sset({ busy: false });
    if (main().scenarios.some((x) => x.id === localId)) {
      adopt(sc, localId);
      switchScenario(localId);
    } else {
      setLinks({ ...sget().links, [localId]: { serverId: sc.id, placeId: sc.placeId, version: sc.version, synced: local.updatedAt } });
      addAndOpen(local);
    }
    sset({ busy: false });
  } catch (e) {
    if (token !== latest.open) return;
    sset({ busy: false });
    onError(e);
  }
}

/** The open linked scenario follows newer server versions when it has no unsaved change here. */
async function followOpenScenario(): Promise<void> {
  const s = main();
  const link = sget().links[s.activeScenarioId];
  const sc = s.scenario?.present;
  if (!link || !sc || unsaved(sc, link) || s.dragging || sget().conflict) return;
  try {
    const cur = await api().scenario(link.serverId);
    const now = main();
    if (cur.version > link.version && now.activeScenarioId === sc.id && now.scenario?.present === sc) adopt(cur, sc.id);
  } catch (e) {
    onError(e);
  }
}

/** The save the UI's button offers: the open scenario, unless it is the plan as published or read-only. */
export async function saveOpenScenario(note?: string): Promise<void> {
  const s = main();
  const sc = s.scenario?.present;
  if (!sc || s.activeScenarioId === PUBLISHED_ID) return;
  await saveToServer(sc, note);
}

/**
 * Saves a local scenario to the server: a new version on its linked base, or a new server scenario. Unreachable:
 * queued (also when saves are already queued, so they keep their order).
 */
export async function saveToServer(sc: Scenario, note?: string): Promise<void> {
  const link = sget().links[sc.id];
  const at = new Date().toISOString();
  const entry: QueuedSave = {
    localId: sc.id, placeId: sc.placeId, name: sc.name, body: scenarioToGeoJSON(sc), at,
    id: `${at}-${Math.random().toString(36).slice(2, 10)}`, serverId: link?.serverId ?? null, baseVersion: link?.version ?? null,
    ...(accountOf() ? { account: accountOf() } : {}),
  };
  const synced = sc.updatedAt;
  sset({ busy: true, message: null });
  if (sget().status !== 'online' || sget().queue > 0) {
    await enqueue(entry);
    sset({ busy: false });
    if (sget().status === 'online') await flushQueue();
    return;
  }
  try {
    await send(entry, synced, note);
    sset({ busy: false, message: { key: 'server.saved' } });
    await refreshScenarios();
  } catch (e) {
    sset({ busy: false });
    const theirs = conflictOf(e);
    if (theirs) sset({ conflict: { localId: sc.id, name: sc.name, mine: entry.body, theirs, fromQueue: false } });
    else if (isOffline(e)) {
      onError(e);
      await enqueue(entry);
    } else onError(e);
  }
}

/** The server scenario and version a save is based on (null: a new server scenario). */
function baseOf(entry: QueuedSave): { serverId: string; version: number } | null {
  if (entry.serverId === undefined && entry.baseVersion === undefined) {
    const link = sget().links[entry.localId]; // queued before the base was kept in the entry
    return link ? { serverId: link.serverId, version: link.version } : null;
  }
  return entry.serverId && entry.baseVersion != null ? { serverId: entry.serverId, version: entry.baseVersion } : null;
}

/** One save: PUT on the entry's base version, or POST a new scenario; the link follows the answer. */
async function send(entry: QueuedSave, synced: string | null, note?: string): Promise<ServerScenario> {
  const base = baseOf(entry);
  const out = base
    ? await api().saveScenario(base.serverId, base.version, entry.body, note)
    : await api().createScenario(entry.placeId, entry.name, entry.body, note);
  const cur = main().scenarios.find((x) => x.id === entry.localId);
  // synced: the local state this save carried (a queued save: the local state only if nothing changed since).
  const same = synced ?? (cur && JSON.stringify(scenarioToGeoJSON(cur)) === JSON.stringify(entry.body) ? cur.updatedAt : '');
  setLinks({ ...sget().links, [entry.localId]: { serverId: out.id, placeId: out.placeId, version: out.version, synced: same } });
  return out;
}

// The queue's storage has separate read and write (two IndexedDB transactions): every read-modify-write runs after
// the one before, so a save queued while the queue is being sent is neither lost nor sent twice.
let queueChain: Promise<unknown> = Promise.resolve();
function withQueue<T>(f: (q: QueuedSave[]) => { out: T; next?: QueuedSave[] }): Promise<T> {
  const run = queueChain.then(async () => {
    const q = await readQueue();
    const { out, next } = f(q);
    if (next) await writeQueue(next);
    const own = (next ?? q).filter(ours).length;
    sset({ queue: own, held: (next ?? q).length - own });
    return out;
  });
  queueChain = run.catch(() => undefined);
  return run;
}
/** A save of the account connected now (saves queued before accounts were kept: whoever connects). */
const ours = (e: QueuedSave) => e.account === undefined || e.account === accountOf();
const entryKey = (e: QueuedSave) => e.id ?? `${e.localId}@${e.at}`;
/** Saved on the same base as `e` (so, after it, they belong on the version `e`'s send made). */
const sameBase = (a: QueuedSave, e: QueuedSave) => a.localId === e.localId && a.serverId === e.serverId && a.baseVersion === e.baseVersion;

async function enqueue(entry: QueuedSave): Promise<void> {
  const n = await withQueue((q) => ({ out: q.length + 1, next: [...q, entry] }));
  sset({ message: { key: 'server.queued', params: { n } } });
}

/**
 * Takes an entry out of the queue. `made`: the version its send made; later saves of the same base now build on it.
 * Without (refused, or the user took theirs / cancelled a conflict) they keep their base: sent on a version changed
 * since, they get the conflict prompt in turn, never a silent overwrite.
 */
function settle(entry: QueuedSave, made: ServerScenario | null): Promise<void> {
  const k = entryKey(entry);
  return withQueue((q) => ({
    out: undefined,
    next: q.filter((e) => entryKey(e) !== k).map((e) => (made && sameBase(e, entry) ? { ...e, serverId: made.id, baseVersion: made.version } : e)),
  }));
}

let flushing = false;
let flushAgain = false;
/** Sends the queued saves in order; stops at a conflict (the prompt) or when the server is unreachable again. */
export async function flushQueue(): Promise<void> {
  if (flushing) {
    flushAgain = true; // a save queued meanwhile: looked at before this flush ends
    return;
  }
  flushing = true;
  try {
    do {
      flushAgain = false;
      await sendQueue();
    } while (flushAgain);
  } finally {
    flushing = false;
  }
  await refreshScenarios();
}

async function sendQueue(): Promise<void> {
  for (;;) {
    if (sget().status !== 'online' || sget().conflict) return;
    const head = await withQueue((q) => ({ out: q.find(ours) }));
    if (!head) return;
    let made: ServerScenario;
    try {
      made = await send(head, null);
    } catch (e) {
      const theirs = conflictOf(e);
      if (theirs) sset({ conflict: { localId: head.localId, name: head.name, mine: head.body, theirs, fromQueue: true, entry: head } });
      else if (isOffline(e)) onError(e);
      else {
        // refused for good (e.g. the role was taken away): dropped from the queue with the reason shown
        await settle(head, null);
        onError(e);
        continue;
      }
      return;
    }
    await settle(head, made);
    sset({ message: { key: 'server.synced' } });
  }
}

/**
 * The user's answer to a conflict: 'mine' saves this version on top of theirs (a new version; theirs stays in the
 * history), 'theirs' takes the server's version here (mine stays one undo step away), 'cancel' does neither (the
 * local scenario keeps its unsaved changes). A queued save answered so leaves the queue; the later queued saves of that
 * scenario keep their base, so each gets the prompt in turn instead of overwriting the version chosen here).
 */
export async function resolveServerConflict(choice: 'mine' | 'theirs' | 'cancel'): Promise<void> {
  const c = sget().conflict;
  if (!c) return;
  sset({ conflict: null, busy: choice === 'mine' });
  try {
    if (choice === 'mine') {
      const cur = main().scenarios.find((x) => x.id === c.localId);
      const synced = cur && JSON.stringify(scenarioToGeoJSON(cur)) === JSON.stringify(c.mine) ? cur.updatedAt : '';
      const made = await send({ localId: c.localId, placeId: c.theirs.placeId, name: c.name, body: c.mine, at: new Date().toISOString(), serverId: c.theirs.id, baseVersion: c.theirs.version }, synced);
      sset({ message: { key: 'server.saved' } });
      if (c.entry) await settle(c.entry, made);
    } else {
      if (choice === 'theirs') adopt(c.theirs, c.localId);
      if (c.entry) await settle(c.entry, null);
    }
  } catch (e) {
    const theirs = conflictOf(e);
    if (theirs) sset({ conflict: { ...c, theirs } });
    else onError(e);
  }
  sset({ busy: false });
  if (!sget().conflict) await flushQueue();
}

// ── history and comments of the open linked scenario ──
const openLink = (): ServerLink | undefined => sget().links[main().activeScenarioId];

/** Loads the versions and comments of the open linked scenario. */
export async function loadDetail(): Promise<void> {
  const link = openLink();
  if (!link) return sset({ detail: null });
  try {
    const [versions, comments] = await Promise.all([api().history(link.serverId), api().comments(link.serverId)]);
    if (openLink()?.serverId === link.serverId) sset({ detail: { serverId: link.serverId, versions, comments } });
  } catch (e) {
    onError(e);
  }
}

/**
 * Restores an old version of the open linked scenario: the server stores it as a new version (history is never
 * rewritten), and it is taken here (the state before stays one undo step away). A newer version on the server
 * meanwhile: refused with its author and version shown, nothing changed.
 */
export async function restoreVersion(version: number): Promise<void> {
  const link = openLink();
  const localId = main().activeScenarioId;
  if (!link) return;
  sset({ busy: true, message: null });
  try {
    const cur = await api().restore(link.serverId, version, link.version);
    adopt(cur, localId);
    sset({ message: { key: 'server.restored', params: { v: version, now: cur.version } } });
  } catch (e) {
    onError(e);
  }
  sset({ busy: false });
  await loadDetail();
  await refreshScenarios();
}

/** Adds a comment to the open linked scenario (planners, commanders and admins may comment). */
export async function addComment(text: string): Promise<boolean> {
  const link = openLink();
  const clean = text.trim();
  if (!link || !clean) return false;
  try {
    await api().comment(link.serverId, clean);
  } catch (e) {
    onError(e);
    return false;
  }
  await loadDetail();
  return true;
}

// ── the server's engine ──
/** The compliance check of the open place by the server's engine (with the open linked scenario when there is one). */
export async function checkOnServer(): Promise<void> {
  const s = main();
  if (!s.placeId) return;
  const placeId = s.placeId;
  const link = sget().links[s.activeScenarioId];
  const token = ++latest.check;
  const current = () => token === latest.check && main().placeId === placeId;
  sset({ check: { placeId, busy: true } });
  try {
    const result = await api().check(placeId, link ? { scenarioId: link.serverId } : {});
    if (current()) sset({ check: { placeId, busy: false, result } });
  } catch (e) {
    if (current()) sset({ check: { placeId, busy: false, error: errorMsg(e) } });
    if (isOffline(e)) onError(e);
  }
}

// ── "Compute on the server": the live check asked from the server ──
export const COMPUTE_DEBOUNCE_MS = 600;

/** Why the server cannot answer the open place's live check now (null: it can). */
export function serverCannot(s: PlannerState, srv: ServerState = sget()): MsgLike | null {
  if (srv.status !== 'online') return { key: 'server.why.offline' };
  const place = srv.places.find((p) => p.id === s.placeId);
  if (!place) return { key: 'server.why.notOnServer' };
  if (place.networkVersion === null) return { key: 'server.why.noNetwork' };
  if (s.profileJson !== null) return { key: 'server.why.profile' };
  if (s.vehicleEdits[selectVehicleId(s)]) return { key: 'server.why.vehicle' };
  return null;
}

/**
 * Which engine answered the live check shown (null when not connected: nothing changes then), as a message, and
 * why the browser's result stands when the server was asked but could not answer.
 */
export function liveEngine(s: PlannerState, srv: ServerState = sget()): { by: 'server' | 'browser'; msg: MsgLike; why?: MsgLike } | null {
  if (!connected(srv) || !s.compliance.report) return null;
  const a = srv.answer;
  const mine = srv.compute && a && a.placeId === s.placeId && a.key === s.compliance.reportKey ? a : null;
  if (mine?.by === 'server') return { by: 'server', msg: { key: 'server.by.server', params: { v: mine.networkVersion ?? '' } } };
  if (mine?.busy) return { by: 'browser', msg: { key: 'server.by.waiting' } };
  if (mine?.fallback) return { by: 'browser', msg: { key: 'server.by.fallback' }, why: mine.fallback };
  return { by: 'browser', msg: { key: 'server.by.browser' } };
}

let unwatch: (() => void) | undefined;
let debounce: ReturnType<typeof setTimeout> | undefined;

/** Turns "Compute on the server" on or off (remembered); on: the live check shown is asked from the server. */
export function setComputeOnServer(on: boolean): void {
  writeJson(PREFS_KEY, { ...prefs(), compute: on });
  sset({ compute: on, answer: null });
  clearTimeout(debounce);
  if (!on) {
    unwatch?.();
    unwatch = undefined;
    return;
  }
  // A new browser result (after an edit or a setting) is asked from the server once edits pause.
  unwatch ??= useStore.subscribe((s, prev) => {
    if (s.compliance === prev.compliance) return;
    const c = s.compliance;
    if (c.busy || !c.report || !c.reportKey) return;
    const a = sget().answer;
    if (a && a.key === c.reportKey && a.placeId === s.placeId) return;
    clearTimeout(debounce);
    debounce = setTimeout(() => void serverCheckNow(), COMPUTE_DEBOUNCE_MS);
  });
  void serverCheckNow();
}

/**
 * Asks the server for the live check the browser has just shown (same request as the worker's, on the server's
 * network). The browser's result stays until the answer; an answer for a state no longer shown is dropped; a
 * failure keeps the browser's result and says why.
 */
export async function serverCheckNow(): Promise<void> {
  const s = main();
  const c = s.compliance;
  if (!sget().compute || !connected() || !s.placeId || !c.report || c.busy || !c.reportKey) return;
  const key = c.reportKey, placeId = s.placeId;
  const why = serverCannot(s);
  const req = why ? null : evaluateRequestFor(s, selectRoutingStations(s), true);
  if (!req) {
    sset({ answer: { placeId, key, by: 'browser', busy: false, fallback: why ?? { key: 'server.why.noArea' } } });
    return;
  }
  sset({ answer: { placeId, key, by: 'browser', busy: true } });
  try {
    const out = await api().evaluate(placeId, { ...req, placeId, peak: s.peak, ...(s.vehicleId ? { vehicleId: s.vehicleId } : {}) });
    const now = main();
    if (now.placeId !== placeId || now.compliance.reportKey !== key || now.compliance.busy || !sget().compute) {
      if (sget().answer?.key === key) sset({ answer: null }); // the browser shows a newer state: it is asked again
      return;
    }
    sset({ answer: { placeId, key, by: 'server', busy: false, networkVersion: out.networkVersion } });
    now.set({ compliance: { ...now.compliance, report: out.report } });
  } catch (e) {
    sset({ answer: { placeId, key, by: 'browser', busy: false, fallback: errorMsg(e) } });
    if (isOffline(e)) onError(e);
  }
}

if (typeof window !== 'undefined') {
  if (sget().compute) setComputeOnServer(true);
  // The role (read-only or not) and the server scenarios follow the open place.
  let lastPlace: string | undefined;
  useStore.subscribe((s) => {
    const d = sget().detail;
    if (d && sget().links[s.activeScenarioId]?.serverId !== d.serverId) sset({ detail: null });
    if (s.placeId === lastPlace) return;
    lastPlace = s.placeId;
    updateLock();
    if (sget().check && sget().check?.placeId !== s.placeId) sset({ check: null });
    void refreshScenarios();
  });
  window.addEventListener('online', () => void poll());
}

