/**
 * Scenarios on the server: opening one as a linked local scenario, saving a new version on its base, the conflict
 * prompt's answers, following newer versions, and the history and comments of the open linked scenario.
 */
import { push, scenarioFromDoc, scenarioToGeoJSON, seal, upsertScenario, type Scenario } from '../../core/scenario';
import { conflictOf, isOffline, type QueuedSave, type ServerScenario } from '../../data/server';
import { plannerError } from '../../core/errors';
import { PUBLISHED_ID } from '../index';
import { choosePlace } from '../actions';
import { addAndOpen, flushSave, switchScenario } from '../scenario';
import { accountOf, api, latest, main, setLinks, sget, sset, unsaved, type ServerLink } from './state';
import { onError, refreshScenarios } from './connection';
import { openServerPlace } from './places';
import { enqueue, flushQueue, settle } from './queue';

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
export function adopt(sc: ServerScenario, localId: string): void {
  const local = toLocal(sc);
  if (!local) return;
  const next = { ...local, id: localId };
  const s = main();
  if (s.activeScenarioId === localId && s.scenario) s.set({ scenarios: upsertScenario(s.scenarios, next), scenario: push(seal(s.scenario), next) });
  else s.set({ scenarios: upsertScenario(s.scenarios, next) });
  setLinks({ ...sget().links, [localId]: { serverId: sc.id, placeId: sc.placeId, version: sc.version, synced: next.updatedAt } });
  void flushSave();
}


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
export async function followOpenScenario(): Promise<void> {
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
export async function send(entry: QueuedSave, synced: string | null, note?: string): Promise<ServerScenario> {
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
