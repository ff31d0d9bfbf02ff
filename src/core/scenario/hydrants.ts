/**
 * Hydrants and water intakes a planner adds to a scenario (issue #13 part 3): proposed points, added, dragged and
 * deleted like proposed stations, and "suggested" ones from the greedy (labelled 建议 / suggested). The place
 * data's hydrants are not copied into the scenario: `Scenario.hydrants` holds only the user's, optional so
 * scenario files and autosaves written before it stay readable. Same immutability contract as ops.ts: an edit that
 * does not apply returns the same object.
 */
import type { Hydrant } from '../types';
import { newId, validLonLat, type Message, type Scenario } from './types';

const clock = () => new Date().toISOString();

export interface HydrantDraft {
  lon: number;
  lat: number;
  kind?: Hydrant['kind'];
  /** Placed by "suggest N hydrants" (source says so). */
  suggested?: boolean;
  id?: string;
}

export const scenarioHydrants = (s: Scenario): Hydrant[] => s.hydrants ?? [];

const make = (d: HydrantDraft, n: number): Hydrant => ({
  id: d.id ?? newId('hyd'),
  kind: d.kind ?? 'hydrant',
  status: 'proposed',
  position: 'user',
  source: d.suggested ? '建议（沿道路覆盖贪心算法）/ suggested (greedy road coverage)' : '用户添加 / added by the user',
  name: `${d.suggested ? '建议' : '新增'}${d.kind === 'water-intake' ? '取水点' : '消火栓'} ${n}`,
  lon: d.lon,
  lat: d.lat,
});

/** Adds proposed hydrants / intakes (one undo step for a batch, e.g. the suggestions); invalid drafts are skipped. */
export function addHydrants(s: Scenario, drafts: readonly HydrantDraft[], now = clock()): Scenario {
  const list = scenarioHydrants(s);
  const ids = new Set(list.map((h) => h.id));
  const added: Hydrant[] = [];
  for (const d of drafts) {
    if (!validLonLat(d.lon, d.lat) || (d.id !== undefined && ids.has(d.id))) continue;
    const h = make(d, list.length + added.length + 1);
    ids.add(h.id);
    added.push(h);
  }
  return added.length ? { ...s, hydrants: [...list, ...added], updatedAt: now } : s;
}

export const addHydrant = (s: Scenario, d: HydrantDraft, now = clock()): Scenario => addHydrants(s, [d], now);

export function moveHydrant(s: Scenario, id: string, lon: number, lat: number, now = clock()): Scenario {
  const list = scenarioHydrants(s), i = list.findIndex((h) => h.id === id);
  if (i < 0 || !validLonLat(lon, lat) || (list[i].lon === lon && list[i].lat === lat)) return s;
  const next = list.slice();
  next[i] = { ...list[i], lon, lat, position: 'user' };
  return { ...s, hydrants: next, updatedAt: now };
}

export function removeHydrant(s: Scenario, id: string, now = clock()): Scenario {
  const list = scenarioHydrants(s);
  return list.some((h) => h.id === id) ? { ...s, hydrants: list.filter((h) => h.id !== id), updatedAt: now } : s;
}

/** Reads the `hydrants` member of a scenario file (absent in older files: none). Bad entries are skipped with a message. */
export function readScenarioHydrants(v: unknown): { hydrants: Hydrant[]; skipped: Message[] } {
  if (v === undefined) return { hydrants: [], skipped: [] };
  if (!Array.isArray(v)) return { hydrants: [], skipped: [{ code: 'bad-hydrants', zh: '方案中的消火栓列表格式不正确，已忽略', en: 'the scenario\'s hydrant list is malformed and was ignored' }] };
  const hydrants: Hydrant[] = [], skipped: Message[] = [];
  const seen = new Set<string>();
  v.forEach((x: unknown, i) => {
    const h = x as Partial<Hydrant> | null;
    if (!h || typeof h !== 'object' || typeof h.id !== 'string' || seen.has(h.id) || (h.kind !== 'hydrant' && h.kind !== 'water-intake') || !validLonLat(h.lon, h.lat)) {
      skipped.push({ code: 'bad-hydrant', zh: `第 ${i + 1} 个消火栓无效（需 id、kind、lon、lat），已跳过`, en: `hydrant ${i + 1} is invalid (needs id, kind, lon, lat) and was skipped` });
      return;
    }
    seen.add(h.id);
    hydrants.push({
      id: h.id, kind: h.kind, status: 'proposed', position: 'user', lon: h.lon!, lat: h.lat!,
      source: typeof h.source === 'string' ? h.source : '用户添加 / added by the user',
      ...(typeof h.name === 'string' ? { name: h.name } : {}),
    });
  });
  return { hydrants, skipped };
}
