/**
 * Connecting to the team server: log-in, log-out, resuming after a reload, and the poll that notices the server is
 * back (then the queue is sent) or that the open scenario has newer versions.
 */
import { errorMsg } from '../../i18n/msg';
import { isOffline } from '../../data/server';
import { POLL_MS, PREFS_KEY, accountKey, allLinks, api, fail, main, prefs, roleOn, sget, sset, updateLock, writeJson } from './state';
import { flushQueue, withQueue } from './queue';
import { followOpenScenario, loadDetail } from './scenarios';
import { serverCheckNow } from './compute';

/** After the user (or the server) changed: that account's links, and its queued saves counted apart from others'. */
async function useAccount(): Promise<void> {
  const acc = accountKey(sget().url, sget().user);
  sset({ account: acc, links: acc ? allLinks()[acc] ?? {} : {} });
  await withQueue(() => ({ out: undefined })).catch(() => undefined);
}

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

export function startPolling(): void {
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

export function onError(e: unknown): void {
  if (isOffline(e)) {
    sset({ status: 'offline', message: errorMsg(e) });
    startPolling();
  } else if ((e as { code?: string }).code === 'unauthenticated') sset({ status: 'login', user: null, message: errorMsg(e) });
  else sset({ message: errorMsg(e) });
}
