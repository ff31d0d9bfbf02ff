/**
 * The offline queue: saves that could not reach the server wait in IndexedDB and are sent in order when it answers
 * again (a conflict met then gets the same prompt as a direct save).
 */
import { readQueue, writeQueue, isOffline, conflictOf, type QueuedSave, type ServerScenario } from '../../data/server';
import { accountOf, sget, sset } from './state';
import { onError, refreshScenarios } from './connection';
import { send } from './scenarios';

// The queue's storage has separate read and write (two IndexedDB transactions): every read-modify-write runs after
// the one before, so a save queued while the queue is being sent is neither lost nor sent twice.
let queueChain: Promise<unknown> = Promise.resolve();
export function withQueue<T>(f: (q: QueuedSave[]) => { out: T; next?: QueuedSave[] }): Promise<T> {
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

export async function enqueue(entry: QueuedSave): Promise<void> {
  const n = await withQueue((q) => ({ out: q.length + 1, next: [...q, entry] }));
  sset({ message: { key: 'server.queued', params: { n } } });
}

/**
 * Takes an entry out of the queue. `made`: the version its send made; later saves of the same base now build on it.
 * Without (refused, or the user took theirs / cancelled a conflict) they keep their base: sent on a version changed
 * since, they get the conflict prompt in turn, never a silent overwrite.
 */
export function settle(entry: QueuedSave, made: ServerScenario | null): Promise<void> {
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
