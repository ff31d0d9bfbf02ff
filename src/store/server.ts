/**
 * The team-server connection (issue #16 item 4): its own small zustand store beside the main one. Nothing here
 * sends a request until the user connects (connect()); the choice is remembered in localStorage, so a reload
 * reconnects only when the user had connected.
 *
 * When connected: the server's places (with the user's role) are listed; a server scenario opens as a local
 * scenario linked to it (`links`: local id → server id + the version it is based on); "save to server" sends a new
 * version on that base. A stale base gets the conflict prompt (keep mine as a new version / take theirs / cancel),
 * never an overwrite. A save that cannot reach the server waits in the IndexedDB queue and is sent, in order, when
 * the server answers again (a conflict met then gets the same prompt). A commander's place is read-only
 * (store/editLock.ts). While connected, the open linked scenario follows the server's newer versions when it has
 * no unsaved change here (polled every POLL_MS).
 *
 * The parts live in store/server/: state (the store, storage, accounts' links), connection (log-in, polling),
 * scenarios (sync + conflicts, history, comments), queue (offline saves), places (places only on the server),
 * compute (the server's engine). This module is what the app and tests import; it also ties the connection to the
 * open place once loaded in a browser.
 */
import { useStore } from './index';
import { sget, sset, updateLock } from './server/state';
import { poll, refreshScenarios } from './server/connection';
import { setComputeOnServer } from './server/compute';

export { POLL_MS, useServer, connected, roleOn, unsaved } from './server/state';
export type { ServerLink, ServerConflict, ServerOpenedPlace, EngineAnswer, ServerStatus, ServerState } from './server/state';
export { connect, login, logout, disconnect, resumeServer, poll, refreshScenarios } from './server/connection';
export { serverSourceName, placeDataOf, placeMetaOf, openServerPlace } from './server/places';
export { openServerScenario, saveOpenScenario, saveToServer, resolveServerConflict, loadDetail, restoreVersion, addComment } from './server/scenarios';
export { flushQueue } from './server/queue';
export { checkOnServer, COMPUTE_DEBOUNCE_MS, serverCannot, liveEngine, setComputeOnServer, serverCheckNow } from './server/compute';

if (typeof window !== 'undefined') {
  if (sget().compute) setComputeOnServer(true);
  // The role (read-only or not) and the server scenarios follow the open place.
  let lastPlace: string | undefined;
  useStore.subscribe((s) => {
    const d = sget().detail;
    if (d && sget().links[s.activeScenarioId]?.serverId !== d.serverId) sset({ detail: null });
    if (s.placeId === lastPlace) return;
    lastPlace = s.placeId;
    updateLock();
    if (sget().check && sget().check?.placeId !== s.placeId) sset({ check: null });
    void refreshScenarios();
  });
  window.addEventListener('online', () => void poll());
}

