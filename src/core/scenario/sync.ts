/**
 * Several browser tabs editing the same place's scenarios: one stored record per scenario with a revision number.
 * A tab writes a record only when the stored revision is still the one it last read or wrote (compare-and-set,
 * run inside one storage transaction); otherwise the write is refused and the tab asks the planner: reload theirs,
 * or keep mine as a copy. Pure decisions only; the IndexedDB adapter is src/data/scenarios.ts.
 */
import type { Scenario } from './types';
import { uniqueName } from './types';

export interface StoredHistory {
  past: Scenario[];
  future: Scenario[];
}

/** One scenario as stored: its revision (1, 2, 3 … per write), the writing tab, its undo steps; `deleted` = tombstone. */
export interface StoredScenario {
  rev: number;
  tab: string;
  scenario: Scenario;
  history?: StoredHistory;
  deleted?: boolean;
}

/** What a tab wants stored for one scenario. */
export interface ScenarioWrite {
  scenario: Scenario;
  history?: StoredHistory;
  deleted?: boolean;
}

export type WriteDecision = { ok: true; record: StoredScenario } | { ok: false; theirs: StoredScenario };

/** Same planner content (name, stations, switched-off stations, settings); timestamps and undo steps do not count. */
export function sameContent(a: Scenario, b: Scenario): boolean {
  const key = (s: Scenario) => JSON.stringify([s.name, s.placeId, s.stations, s.removedIds, s.settings]);
  return a === b || key(a) === key(b);
}

/**
 * The compare-and-set of one write. `baseRev` is the revision this tab last read or wrote (0 = never stored).
 * Refused when the stored revision moved on since and holds other content (another tab's work); a stored record
 * that is already what this tab writes is not a conflict (the write just bumps the revision).
 */
export function decideWrite(current: StoredScenario | undefined, baseRev: number, mine: ScenarioWrite, tab: string): WriteDecision {
  const rev = Math.max(current?.rev ?? 0, baseRev) + 1;
  const record: StoredScenario = { rev, tab, scenario: mine.scenario, ...(mine.history ? { history: mine.history } : {}), ...(mine.deleted ? { deleted: true } : {}) };
  if (!current || current.rev === baseRev) return { ok: true, record };
  const same = !!current.deleted === !!mine.deleted && sameContent(current.scenario, mine.scenario);
  return same ? { ok: true, record } : { ok: false, theirs: current };
}

/** What this tab holds of one scenario: the revision it is based on and whether it has unsaved changes. */
export interface LocalCopy {
  baseRev: number;
  dirty: boolean;
  scenario?: Scenario;
}

export type RemoteAction = 'ignore' | 'adopt' | 'conflict';

/**
 * Another tab stored `remote`. Older or same revisions are ignored; a newer one is taken over when this tab has no
 * unsaved change of that scenario (or holds the same content), else the planner is asked.
 */
export function remoteAction(local: LocalCopy, remote: StoredScenario): RemoteAction {
  if (remote.rev <= local.baseRev) return 'ignore';
  if (!local.dirty || !local.scenario) return 'adopt';
  if (!remote.deleted && sameContent(local.scenario, remote.scenario)) return 'adopt';
  return 'conflict';
}

/** The name of "keep mine as a copy": the scenario's name with a suffix, unique among `taken`. */
export function conflictCopyName(name: string, taken: Iterable<string>): string {
  return uniqueName(`${name}（本页副本）`, taken);
}

/** The newest non-deleted record per scenario id, in the order of first appearance. */
export function liveRecords(records: readonly StoredScenario[]): StoredScenario[] {
  const best = new Map<string, StoredScenario>();
  for (const r of records) {
    const prev = best.get(r.scenario.id);
    if (!prev || r.rev > prev.rev) best.set(r.scenario.id, r);
  }
  return [...best.values()].filter((r) => !r.deleted);
}

/** A stored value that has the shape of a record (storage is shared with older builds and other tabs). */
export function isStoredScenario(x: unknown): x is StoredScenario {
  const r = x as StoredScenario;
  const s = r?.scenario;
  return (
    !!r && typeof r === 'object' && Number.isInteger(r.rev) && r.rev > 0 && typeof r.tab === 'string' && !!s && typeof s === 'object' &&
    typeof s.id === 'string' && typeof s.name === 'string' && typeof s.placeId === 'string' && Array.isArray(s.stations) && Array.isArray(s.removedIds) && !!s.settings
  );
}
