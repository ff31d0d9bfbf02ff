/**
 * The team-server connection's state (store/server.ts tells the whole story): the zustand store, what is kept in
 * localStorage (the address, the last user, each account's links) and the small accessors every part uses.
 */
import { create } from 'zustand';
import type { Scenario } from '../../core/scenario';
import { errorMsg, type MsgLike } from '../../i18n/msg';
import { serverApi, type QueuedSave, type ServerPlaceBundle, type ServerApi, type ServerCheck, type ServerPlace, type ServerRole, type ServerScenario, type ServerScenarioSummary, type ServerUser, type ServerVersion, type ServerComment } from '../../data/server';
import { useStore } from '../index';
import { setEditLock } from '../editLock';

export const POLL_MS = 5000;
export const PREFS_KEY = 'planner.server';
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
export function writeJson(key: string, v: unknown): void {
  try {
    localStorage.setItem(key, JSON.stringify(v));
  } catch {
    /* no storage */
  }
}

/** Kept in localStorage: the address, whether the user was connected, and (to work offline after a reload) who they were and their places. */
export const prefs = () => readJson<{ url?: string; connected?: boolean; user?: ServerUser; places?: ServerPlace[]; compute?: boolean }>(PREFS_KEY, {});

export const useServer = create<ServerState>(() => ({
  url: typeof window === 'undefined' ? '' : prefs().url ?? '',
  status: 'off', user: null, places: [], scenarios: [],
  links: {},
  queue: 0, held: 0, account: '', conflict: null, busy: false, message: null, check: null, detail: null, opened: {},
  compute: typeof window === 'undefined' ? false : prefs().compute === true, answer: null,
}));

export const sget = () => useServer.getState();
export const sset = (p: Partial<ServerState>) => useServer.setState(p);
export const main = () => useStore.getState();
export const api = (): ServerApi => serverApi(sget().url);

/** Whether the app talks to a server now (online, or connected but unreachable). */
export const connected = (s: ServerState = sget()): boolean => s.status === 'online' || s.status === 'offline';

/** The user's role on a place of the server, or null (not on the server, or not connected). */
export function roleOn(placeId: string | undefined, s: ServerState = sget()): ServerRole | null {
  if (!placeId || !connected(s)) return null;
  return s.places.find((p) => p.id === placeId)?.role ?? null;
}

// Links and queued saves belong to an account: a server address and a user there (ids of server A mean nothing on B).
const ACCOUNT_LINKS_KEY = 'planner.server.accountLinks';
export const accountKey = (url: string, user: ServerUser | null | undefined): string => (user ? `${url}#${user.id}` : '');
export const accountOf = (): string => sget().account;

/** Every account's links (links kept before they were tied to an account go to the account last connected). */
export function allLinks(): Record<string, Record<string, ServerLink>> {
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

export function setLinks(links: Record<string, ServerLink>): void {
  const acc = accountOf();
  if (acc) writeJson(ACCOUNT_LINKS_KEY, { ...allLinks(), [acc]: links });
  sset({ links });
}

/** The local scenario has changes the server has not got. */
export function unsaved(sc: Scenario | undefined, link: ServerLink | undefined): boolean {
  return !!sc && (!link || link.synced !== sc.updatedAt);
}

export function updateLock(): void {
  setEditLock(roleOn(main().placeId) === 'commander' ? { key: 'server.readOnly' } : null);
}

export const fail = (e: unknown) => sset({ busy: false, message: errorMsg(e) });

/** The latest request of each kind: an older request's answer arriving after a newer one's is dropped. */
export const latest = { open: 0, check: 0 };
