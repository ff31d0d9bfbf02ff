/** The planner's scenario per place (stations added, moved or switched off), kept in IndexedDB; file export. */
import { createStore, get, set } from 'idb-keyval';
import type { Scenario } from '../core/scenario';

let store: ReturnType<typeof createStore> | undefined;
const db = () => (store ??= createStore('fire-planner-scenarios', 'scenarios'));

export async function loadScenario(placeId: string): Promise<Scenario | undefined> {
  try {
    return (await get<Scenario>(placeId, db())) ?? undefined;
  } catch {
    return undefined;
  }
}

export async function saveScenario(s: Scenario): Promise<void> {
  await set(s.placeId, s, db());
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
