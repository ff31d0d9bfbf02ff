/**
 * Scenario edits another tab stored while this tab had unsaved changes of the same scenario: the planner is asked
 * (reload theirs / keep mine as a copy). The first of `conflicts` is the one shown; resolveConflict in scenario.ts.
 */
import { create } from 'zustand';
import type { StoredScenario } from '../core/scenario';

export interface ScenarioConflict {
  /** The scenario both tabs changed. */
  id: string;
  /** Its name in this tab. */
  name: string;
  /** The newest stored record (another tab's); `deleted` when that tab deleted it. */
  theirs: StoredScenario;
}

export const useScenarioSync = create<{ conflicts: ScenarioConflict[] }>(() => ({ conflicts: [] }));

/** Records a conflict (a later record of the same scenario replaces the earlier one). */
export function addConflict(c: ScenarioConflict): void {
  const list = useScenarioSync.getState().conflicts;
  const i = list.findIndex((x) => x.id === c.id);
  useScenarioSync.setState({ conflicts: i < 0 ? [...list, c] : list.map((x, j) => (j === i ? c : x)) });
}

export const conflictOf = (id: string): ScenarioConflict | undefined => useScenarioSync.getState().conflicts.find((x) => x.id === id);

export function dropConflict(id: string): void {
  useScenarioSync.setState({ conflicts: useScenarioSync.getState().conflicts.filter((x) => x.id !== id) });
}

export const clearConflicts = (): void => useScenarioSync.setState({ conflicts: [] });
