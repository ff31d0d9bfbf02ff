/**
 * Why the open place may not be edited now (null: it may). Set by the server connection (store/server.ts) when the
 * user's role on the place is commander (view and comment only); scenario edits (store/scenario.ts) and the
 * scenario panel's buttons check it, so a drag or an add does nothing and the buttons say why.
 */
import { create } from 'zustand';
import type { MsgLike } from '../i18n/msg';

export const useEditLock = create<{ reason: MsgLike | null }>(() => ({ reason: null }));

export const editLocked = (): boolean => useEditLock.getState().reason !== null;

export function setEditLock(reason: MsgLike | null): void {
  if (useEditLock.getState().reason?.key !== reason?.key) useEditLock.setState({ reason });
}
