/** The server's engine: a check asked once, and "Compute on the server" (the live check asked from the server). */
import { isOffline } from '../../data/server';
import { errorMsg, type MsgLike } from '../../i18n/msg';
import { useStore, type PlannerState } from '../index';
import { evaluateRequestFor } from '../compliance';
import { selectRoutingStations } from '../selectors';
import { selectVehicleId } from '../roadRules';
import { PREFS_KEY, api, connected, latest, main, prefs, sget, sset, writeJson, type ServerState } from './state';
import { onError } from './connection';

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
