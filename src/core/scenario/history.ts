/**
 * Undo/redo history as an immutable value: { past, present, future }. Works for any T (a Scenario, or a list
 * of them). Consecutive pushes with the same `coalesceKey` (e.g. the moves of one drag of one station) merge
 * into one undo step; `seal` ends such a group (call it on drag end).
 */
export interface History<T> {
  past: T[];
  present: T;
  future: T[];
  /** Most undo steps kept (oldest dropped first). */
  limit: number;
  /** Key of the last push while its group is open (undefined = sealed). */
  openKey?: string;
}

export const DEFAULT_HISTORY_LIMIT = 200;

export function createHistory<T>(present: T, limit = DEFAULT_HISTORY_LIMIT): History<T> {
  return { past: [], present, future: [], limit: Math.max(1, Math.floor(limit)) };
}

/** Records `next` as the new present. Pushing the same object as the present is a no-op (no empty undo steps). */
export function push<T>(h: History<T>, next: T, coalesceKey?: string): History<T> {
  if (next === h.present) return h;
  if (coalesceKey !== undefined && coalesceKey === h.openKey && h.past.length > 0)
    return { ...h, present: next, future: [], openKey: coalesceKey };
  const past = h.past.length >= h.limit ? [...h.past.slice(h.past.length - h.limit + 1), h.present] : [...h.past, h.present];
  return { past, present: next, future: [], limit: h.limit, openKey: coalesceKey };
}

/** Closes the open coalescing group, so the next push starts a new undo step even with the same key. */
export function seal<T>(h: History<T>): History<T> {
  return h.openKey === undefined ? h : { ...h, openKey: undefined };
}

export const canUndo = <T>(h: History<T>): boolean => h.past.length > 0;
export const canRedo = <T>(h: History<T>): boolean => h.future.length > 0;

export function undo<T>(h: History<T>): History<T> {
  if (!canUndo(h)) return h;
  return { past: h.past.slice(0, -1), present: h.past[h.past.length - 1], future: [h.present, ...h.future], limit: h.limit };
}

export function redo<T>(h: History<T>): History<T> {
  if (!canRedo(h)) return h;
  return { past: [...h.past, h.present], present: h.future[0], future: h.future.slice(1), limit: h.limit };
}
