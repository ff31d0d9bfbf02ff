/**
 * The hydrant-import wizard (issue #13): file → column mapping → CRS (the road-fit suggestion preselected) → result
 * (imported / rejected rows) → accept. Its own small zustand store; only `accept` touches the main store
 * (`hydrantInventory`, persisted per place), so a file that fails, a cancel or closing the wizard leaves the existing
 * inventory as it was. The inventory of the opened place is restored from IndexedDB by `restoreHydrantInventory`.
 */
import { create } from 'zustand';
import type { Position } from 'geojson';
import { evenSample, finishImport, pointInAreas, type ColumnMapping, type CrsReading, type CrsSuggestion, type FinishedImport, type MappedField, type RejectedRow } from '../core/hydrants/import';
import type { HydrantFilePreview, HydrantFileRead, ReadProgress } from '../data/hydrantFiles';
import { planner } from '../data/planner';
import { loadHydrantInventory, saveHydrantInventory } from '../data/hydrantStore';
import { errorMsg, type MsgLike } from '../i18n/msg';
import { useStore, type HydrantInventory, type PlannerState } from './index';
import { selectPlace } from './selectors';

export type WizardStep = 'file' | 'mapping' | 'reading' | 'crs' | 'result';

export interface HydrantWizard {
  open: boolean;
  step: WizardStep;
  busy: boolean;
  file: Blob | null;
  fileName: string;
  preview: HydrantFilePreview | null;
  mapping: ColumnMapping | null;
  progress: ReadProgress | null;
  read: HydrantFileRead | null;
  suggestion: CrsSuggestion | null;
  reading: CrsReading;
  result: (FinishedImport & { allRejected: RejectedRow[] }) | null;
  error: MsgLike | null;
  /** Set by cancelRead; the worker's next progress report stops the read. */
  cancel: boolean;
}

const initial = (): HydrantWizard => ({
  open: false, step: 'file', busy: false, file: null, fileName: '', preview: null, mapping: null, progress: null, read: null, suggestion: null,
  reading: { crs: 'wgs84', swapped: false }, result: null, error: null, cancel: false,
});

export const useHydrantWizard = create<HydrantWizard>(() => initial());
const w = () => useHydrantWizard.getState();
const put = (patch: Partial<HydrantWizard>) => useHydrantWizard.setState(patch);

export const openHydrantWizard = () => useHydrantWizard.setState({ ...initial(), open: true });
export function closeHydrantWizard(): void {
  if (w().step === 'reading') put({ cancel: true });
  useHydrantWizard.setState(initial());
}

/** The place's area for the import checks: its bbox and boundary rings (Polygon / MultiPolygon features). */
export function placeArea(s: PlannerState): { bbox: [number, number, number, number]; boundary?: number[][][][] } | null {
  const place = selectPlace(s);
  if (!place) return null;
  const rings: number[][][][] = [];
  for (const f of s.placeData.boundary?.features ?? []) {
    const g = f.geometry;
    if (g?.type === 'Polygon') rings.push(g.coordinates as Position[][] as number[][][]);
    else if (g?.type === 'MultiPolygon') rings.push(...(g.coordinates as number[][][][]));
  }
  return { bbox: place.bbox, ...(rings.length ? { boundary: rings } : {}) };
}

/** Step 1: read the header and first rows of a chosen or dropped file. */
export async function chooseHydrantFile(file: Blob, fileName: string, sheet?: string): Promise<void> {
  put({ busy: true, error: null, file, fileName });
  try {
    const client = await planner();
    const preview = await client.previewHydrants(file, fileName, sheet);
    if (w().file !== file) return;
    put({ busy: false, preview, mapping: preview.mapping, step: 'mapping' });
  } catch (e) {
    if (w().file === file) put({ busy: false, error: errorMsg(e), step: 'file' });
  }
}

export function setMapping(field: MappedField, column: number | null): void {
  const m = w().mapping;
  if (m) put({ mapping: { ...m, [field]: column } });
}

/** Step 2 → 3: read every row in the worker (progress, cancel), then ask for the CRS suggestion. */
export async function readHydrantRows(): Promise<void> {
  const { file, fileName, mapping, preview } = w();
  if (!file || !mapping) return;
  const s = useStore.getState();
  const area = placeArea(s);
  if (!area || !s.placeId) return;
  const placeId = s.placeId;
  put({ step: 'reading', busy: true, error: null, cancel: false, progress: { done: 0, total: file.size, rows: 0 } });
  try {
    const client = await planner();
    const read = await client.readHydrants(file, fileName, mapping, (p) => {
      if (w().file !== file) return true;
      put({ progress: p });
      return w().cancel;
    }, preview?.sheet);
    if (w().file !== file) return;
    const suggestion = await client.suggestHydrantCrs(placeId, evenSample(read.raws).map((r) => ({ x: r.x, y: r.y })), area);
    if (w().file !== file) return;
    put({ read, suggestion, reading: suggestion?.best ?? { crs: 'wgs84', swapped: false }, step: 'crs', busy: false });
  } catch (e) {
    if (w().file === file) put({ busy: false, error: errorMsg(e), step: 'mapping', cancel: false });
  }
}

export const cancelHydrantRead = () => put({ cancel: true });
export const setReading = (reading: CrsReading) => put({ reading });
export const backToMapping = () => put({ step: 'mapping', result: null, error: null });
export const backToCrs = () => put({ step: 'crs', result: null });

/** Step 3 → 4: the rows under the chosen reading; cell rejections and place rejections in one list by row. */
export function finishHydrantImport(): void {
  const { read, reading, fileName } = w();
  const area = placeArea(useStore.getState());
  if (!read || !area) return;
  const rings = area.boundary;
  // Rows inside the box + 2 km but outside the boundary are rejected as 'outside-place' (and listed).
  const done = finishImport(read.raws, reading, { bbox: area.bbox, ...(rings ? { inside: (lon: number, lat: number) => pointInAreas(rings, lon, lat) } : {}) }, { source: fileName });
  const allRejected = [...read.rejected, ...done.rejected].sort((a, b) => a.row - b.row);
  put({ result: { ...done, allRejected }, step: 'result' });
}

/** Step 4: the inventory replaces the place's previous one (and is kept in IndexedDB); the wizard closes. */
export async function acceptHydrantImport(now = new Date()): Promise<void> {
  const { result, reading, fileName } = w();
  const placeId = useStore.getState().placeId;
  if (!result || !placeId || !result.hydrants.length) return;
  const inv: HydrantInventory = { placeId, fileName, crs: reading.crs, importedAt: now.toISOString(), hydrants: result.hydrants };
  useStore.getState().set({ hydrantInventory: inv });
  useHydrantWizard.setState(initial());
  try {
    await saveHydrantInventory(inv);
  } catch (e) {
    put({ error: { ...errorMsg(e), key: 'hydrantImport.saveFailed' } });
  }
}

/** The stored inventory of the place now open (null when none); a late answer for another place is ignored. */
export async function restoreHydrantInventory(placeId: string): Promise<void> {
  const cur = useStore.getState().hydrantInventory;
  if (cur && cur.placeId !== placeId) useStore.getState().set({ hydrantInventory: null });
  const inv = await loadHydrantInventory(placeId);
  if (useStore.getState().placeId === placeId && inv) useStore.getState().set({ hydrantInventory: inv });
}
