/**
 * Scenario files: export the open scenario as GeoJSON, import one (a clash of name or id asks: keep both / replace /
 * cancel). The editing and the scenario list are in scenario.ts.
 */
import { importAsNew, scenarioFileName, scenarioFromGeoJSON, scenarioToGeoJSON, uniqueName } from '../core/scenario';
import { downloadText, MAX_SCENARIO_FILE_BYTES } from '../data/scenarios';
import { addAndOpen, edit, liveSettings, PUBLISHED_NAME, switchScenario } from './scenario';
import { PUBLISHED_ID, useStore, type PlannerState } from './index';

const get = () => useStore.getState();
const set = (patch: Partial<PlannerState>) => get().set(patch);

export function exportScenario(): void {
  const s = get().scenario?.present;
  if (s) downloadText(scenarioFileName(s), JSON.stringify(scenarioToGeoJSON({ ...s, settings: liveSettings(get()) }), null, 1));
}

const ioError = (zh: string, en: string) => set({ scenarioIo: { status: 'error', messages: [{ zh, en }] } });

/** Reads a scenario file. On a name / id clash the store asks (scenarioIo.status 'ask'): keep both / replace / cancel. */
export async function importScenarioFile(file: File): Promise<void> {
  const s = get();
  if (!s.placeId) return;
  if (file.size > MAX_SCENARIO_FILE_BYTES)
    return ioError(`文件「${file.name}」过大（${(file.size / 1048576).toFixed(0)} MB），不像是方案文件`, `File "${file.name}" is too large (${(file.size / 1048576).toFixed(0)} MB) for a scenario file`);
  let text: string;
  try {
    text = await file.text();
  } catch (e) {
    return ioError(`无法读取文件「${file.name}」：${String(e)}`, `Cannot read file "${file.name}": ${String(e)}`);
  }
  const r = scenarioFromGeoJSON(text, file.name);
  if (!r.ok) return set({ scenarioIo: { status: 'error', messages: r.errors } });
  const placeId = get().placeId;
  if (r.scenario.placeId !== placeId) {
    const place = get().places.find((p) => p.id === r.scenario.placeId);
    return ioError(
      `文件「${file.name}」是「${place?.name ?? r.scenario.placeId}」的方案，不是当前地区的方案。请先切换到该地区再导入。`,
      `File "${file.name}" is a scenario of "${place?.nameEn ?? r.scenario.placeId}", not of this place. Switch to that place first.`,
    );
  }
  const list = get().scenarios;
  const incoming = r.scenario;
  const names = [PUBLISHED_NAME, ...list.map((x) => x.name)];
  const sameId = list.find((x) => x.id === incoming.id);
  const sameName = list.find((x) => x.name === incoming.name);
  const clash = sameId ?? sameName;
  const warnings = r.warnings;
  if (incoming.id === PUBLISHED_ID || (!clash && incoming.name === PUBLISHED_NAME)) {
    // an exported plan-as-published: always a new scenario
    addAndOpen(importAsNew(incoming, uniqueName(incoming.name, names)));
  } else if (clash) {
    set({ scenarioIo: { status: 'ask', messages: warnings, pending: { scenario: incoming, conflictWith: { id: clash.id, name: clash.name }, suggestedName: uniqueName(incoming.name, names), fileName: file.name } } });
    return;
  } else addAndOpen(incoming);
  set({ scenarioIo: { status: 'done', messages: [{ zh: `已导入方案「${incoming.name}」（${incoming.stations.length} 个站点）`, en: `Imported scenario "${incoming.name}" (${incoming.stations.length} stations)` }, ...warnings] } });
}

/** The user's answer to an import clash. 'replace' keeps the replaced version one undo step away. */
export function resolveImport(choice: 'keep' | 'replace' | 'cancel'): void {
  const p = get().scenarioIo.pending;
  if (!p) return;
  if (choice === 'cancel') return set({ scenarioIo: { status: 'idle' } });
  if (choice === 'keep') addAndOpen(importAsNew(p.scenario, p.suggestedName));
  else {
    switchScenario(p.conflictWith.id);
    edit(() => ({ ...p.scenario, id: p.conflictWith.id, updatedAt: new Date().toISOString() }));
  }
  const name = choice === 'keep' ? p.suggestedName : p.scenario.name;
  set({ scenarioIo: { status: 'done', messages: [{ zh: choice === 'keep' ? `已作为新方案「${name}」导入` : `已用导入的方案替换「${p.conflictWith.name}」（可撤销）`, en: choice === 'keep' ? `Imported as a new scenario "${name}"` : `Replaced "${p.conflictWith.name}" with the imported scenario (undo restores it)` }] } });
}

export function dismissIo(): void {
  set({ scenarioIo: { status: 'idle' } });
}
