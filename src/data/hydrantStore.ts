/**
 * The imported hydrant inventory per place, kept in IndexedDB (idb-keyval, its own database) and restored when the
 * place opens. One record per place (`inv:<placeId>`); a new accepted import replaces it, nothing else does.
 */
import { createStore, del, get, set } from 'idb-keyval';
import type { HydrantInventory } from '../store';

const store = () => createStore('planner-hydrants', 'inventory');
const key = (placeId: string) => `inv:${placeId}`;

export async function saveHydrantInventory(inv: HydrantInventory): Promise<void> {
  await set(key(inv.placeId), inv, store());
}

/** The stored inventory of a place, or null (also when IndexedDB is unavailable). */
export async function loadHydrantInventory(placeId: string): Promise<HydrantInventory | null> {
  try {
    const v = await get<HydrantInventory>(key(placeId), store());
    return v && v.placeId === placeId && Array.isArray(v.hydrants) ? v : null;
  } catch {
    return null;
  }
}

export async function deleteHydrantInventory(placeId: string): Promise<void> {
  await del(key(placeId), store());
}
