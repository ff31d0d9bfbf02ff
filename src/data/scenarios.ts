/**
 * The planner's scenarios per place, kept in IndexedDB (idb-keyval): one record per scenario (`scn:<place>:<id>`,
 * with a revision number, see core/scenario/sync.ts) and which one is open (`active:<place>`). A write is a
 * compare-and-set inside one readwrite transaction, so two tabs never overwrite each other's work unseen; every
 * write is announced to the other tabs (BroadcastChannel, with a localStorage storage event as fallback).
 * Older builds stored one record per place (`place:<id>`, and before that one Scenario under the bare place id):
 * they are read once and carried over. Also: scenario files (download, read an uploaded file as text).
 */
import { createStore, del, get, getMany, keys, set, update } from 'idb-keyval';
import { decideWrite, isStoredScenario, liveRecords, type Scenario, type ScenarioWrite, type StoredHistory, type StoredScenario, type WriteDecision } from '../core/scenario';

let store: ReturnType<typeof createStore> | undefined;
const db = () => (store ??= createStore('fire-planner-scenarios', 'scenarios'));
const recordKey = (placeId: string, id: string) => `scn:${placeId}:${id}`;
const activeKey = (placeId: string) => `active:${placeId}`;

/** The record of an older build: every scenario of a place in one value. */
interface LegacyPlaceScenarios {
  activeId?: string;
  scenarios?: Scenario[];
  histories?: Record<string, StoredHistory>;
}

export interface PlaceScenarios {
  /** Id of the scenario open when the page was left ('' or unknown = the plan as published). */
  activeId: string;
  /** The stored (not deleted) scenarios of the place. */
  records: StoredScenario[];
}

const isScenario = (x: unknown): x is Scenario => {
  const s = x as Scenario;
  return !!s && typeof s === 'object' && typeof s.id === 'string' && typeof s.name === 'string' && typeof s.placeId === 'string' && Array.isArray(s.stations) && Array.isArray(s.removedIds) && !!s.settings;
};

/** Carries an older build's record over into one record per scenario (revision 1; never over a newer record). */
async function migrate(placeId: string, tab: string): Promise<void> {
  const rec = await get<LegacyPlaceScenarios>(`place:${placeId}`, db());
  let list: Scenario[] = [];
  let activeId = '';
  if (rec && Array.isArray(rec.scenarios)) {
    list = rec.scenarios.filter((s) => isScenario(s) && s.placeId === placeId);
    activeId = typeof rec.activeId === 'string' ? rec.activeId : '';
  } else {
    const old = await get<unknown>(placeId, db());
    if (isScenario(old) && old.placeId === placeId) [list, activeId] = [[old], old.id];
  }
  if (!list.length) return;
  const h = rec?.histories && typeof rec.histories === 'object' ? rec.histories : {};
  for (const s of list) await writeScenario(placeId, 0, { scenario: s, history: h[s.id] }, tab, false);
  if (activeId) await set(activeKey(placeId), activeId, db());
  await del(`place:${placeId}`, db());
  await del(placeId, db()).catch(() => undefined);
}

/** The stored scenarios of a place (undefined: nothing stored, or storage unavailable). */
export async function loadPlaceScenarios(placeId: string, tab: string): Promise<PlaceScenarios | undefined> {
  try {
    const prefix = recordKey(placeId, '');
    let ks = (await keys<IDBValidKey>(db())).filter((k): k is string => typeof k === 'string' && k.startsWith(prefix));
    if (!ks.length) {
      await migrate(placeId, tab);
      ks = (await keys<IDBValidKey>(db())).filter((k): k is string => typeof k === 'string' && k.startsWith(prefix));
    }
    if (!ks.length) return undefined;
    const records = liveRecords((await getMany<unknown>(ks, db())).filter(isStoredScenario).filter((r) => r.scenario.placeId === placeId));
    const active = await get<unknown>(activeKey(placeId), db());
    return { activeId: typeof active === 'string' ? active : '', records };
  } catch {
    /* no IndexedDB (private mode …): start fresh */
  }
  return undefined;
}

/** One stored scenario record as it is now (undefined: none, or storage unavailable). */
export async function readScenario(placeId: string, id: string): Promise<StoredScenario | undefined> {
  const r = await get<unknown>(recordKey(placeId, id), db()).catch(() => undefined);
  return isStoredScenario(r) ? r : undefined;
}

/**
 * Writes one scenario if the stored revision is still `baseRev` (see decideWrite): the check and the write run in
 * one IndexedDB transaction, so of two tabs writing at once one wins and the other learns of it. Announced to the
 * other tabs when written.
 */
export async function writeScenario(placeId: string, baseRev: number, mine: ScenarioWrite, tab: string, announce = true): Promise<WriteDecision> {
  let decision: WriteDecision | undefined;
  await update<unknown>(
    recordKey(placeId, mine.scenario.id),
    (old) => {
      decision = decideWrite(isStoredScenario(old) ? old : undefined, baseRev, mine, tab);
      return decision.ok ? decision.record : old;
    },
    db(),
  );
  if (!decision) throw new Error('IndexedDB update did not run');
  if (decision.ok && announce) announceChange({ placeId, id: mine.scenario.id, rev: decision.record.rev, tab });
  return decision;
}

export async function saveActiveId(placeId: string, id: string): Promise<void> {
  await set(activeKey(placeId), id, db());
}

// ---- the other tabs ----
/** A scenario record written by some tab. */
export interface ScenarioChange {
  placeId: string;
  id: string;
  rev: number;
  tab: string;
}
const CHANNEL = 'fire-planner-scenarios';
const PING_KEY = 'fire-planner-scenario-change';
let channel: BroadcastChannel | undefined;
const isChange = (x: unknown): x is ScenarioChange => {
  const c = x as ScenarioChange;
  return !!c && typeof c.placeId === 'string' && typeof c.id === 'string' && typeof c.rev === 'number' && typeof c.tab === 'string';
};

function announceChange(c: ScenarioChange): void {
  if (typeof window === 'undefined') return;
  try {
    if (typeof BroadcastChannel === 'function') (channel ??= new BroadcastChannel(CHANNEL)).postMessage(c);
    else window.localStorage.setItem(PING_KEY, JSON.stringify({ ...c, at: Date.now() }));
  } catch {
    /* no channel and no localStorage: the other tabs find out on their next save */
  }
}

/** Calls `fn` for every scenario write of another tab (same origin). Returns the unsubscribe. */
export function onScenarioChange(fn: (c: ScenarioChange) => void): () => void {
  if (typeof window === 'undefined') return () => undefined;
  const off: (() => void)[] = [];
  if (typeof BroadcastChannel === 'function') {
    const ch = new BroadcastChannel(CHANNEL);
    ch.onmessage = (e: MessageEvent) => isChange(e.data) && fn(e.data);
    off.push(() => ch.close());
  }
  const onStorage = (e: StorageEvent) => {
    if (e.key !== PING_KEY || !e.newValue) return;
    try {
      const c: unknown = JSON.parse(e.newValue);
      if (isChange(c)) fn(c);
    } catch {
      /* not ours */
    }
  };
  window.addEventListener('storage', onStorage);
  off.push(() => window.removeEventListener('storage', onStorage));
  return () => off.forEach((f) => f());
}

/** Offers a text file for download (e.g. a scenario as GeoJSON). */
export function downloadText(fileName: string, text: string, type = 'application/geo+json'): void {
  const url = URL.createObjectURL(new Blob([text], { type }));
  const a = document.createElement('a');
  a.href = url;
  a.download = fileName;
  document.body.appendChild(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}

/** Largest scenario file read (a scenario is a few hundred stations: a few hundred kB at most). */
export const MAX_SCENARIO_FILE_BYTES = 20 * 1024 * 1024;
