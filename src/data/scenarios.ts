/**
 * The planner's scenarios per place, kept in IndexedDB (idb-keyval): every user scenario of the place and which one
 * is open. Older builds stored one Scenario per place under the bare place id; it is read once and carried over.
 * Also: scenario files (download, read an uploaded file as text).
 */
import { createStore, del, get, set } from 'idb-keyval';
import type { Scenario } from '../core/scenario';

let store: ReturnType<typeof createStore> | undefined;
const db = () => (store ??= createStore('fire-planner-scenarios', 'scenarios'));

export interface PlaceScenarios {
  version: 1;
  /** Id of the scenario open when the page was left ('' or unknown = the plan as published). */
  activeId: string;
  scenarios: Scenario[];
  /** Undo / redo steps per scenario id (restored after a reload). */
  histories?: Record<string, { past: Scenario[]; future: Scenario[] }>;
}

const isScenario = (x: unknown): x is Scenario => {
  const s = x as Scenario;
  return !!s && typeof s === 'object' && typeof s.id === 'string' && typeof s.name === 'string' && typeof s.placeId === 'string' && Array.isArray(s.stations) && Array.isArray(s.removedIds) && !!s.settings;
};

/** The stored scenarios of a place (undefined: nothing stored, or storage unavailable). */
export async function loadPlaceScenarios(placeId: string): Promise<PlaceScenarios | undefined> {
  try {
    const rec = await get<PlaceScenarios>(`place:${placeId}`, db());
    if (rec && Array.isArray(rec.scenarios))
      return {
        version: 1,
        activeId: typeof rec.activeId === 'string' ? rec.activeId : '',
        scenarios: rec.scenarios.filter((s) => isScenario(s) && s.placeId === placeId),
        histories: rec.histories && typeof rec.histories === 'object' ? rec.histories : undefined,
      };
    const old = await get<unknown>(placeId, db());
    if (isScenario(old) && old.placeId === placeId) return { version: 1, activeId: old.id, scenarios: [old] };
  } catch {
    /* no IndexedDB (private mode …): start fresh */
  }
  return undefined;
}

export async function savePlaceScenarios(placeId: string, rec: PlaceScenarios): Promise<void> {
  await set(`place:${placeId}`, rec, db());
  await del(placeId, db()).catch(() => undefined); // the old single-scenario record is now carried over
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
