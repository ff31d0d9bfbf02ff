/** Differences between two scenarios (A = before, B = after), optionally with their compliance results. */
import { haversineM } from '../geo';
import type { Station, StationClass } from '../types';
import { activeStations } from './ops';
import { newId, stationClassEn, uniqueName, type Scenario } from './types';

/** The per-station part of a compliance report that the comparison reads. */
export interface ComplianceSummary {
  stations: { id: string; verdict: string; worstResponseSeconds?: number | null; districtAreaKm2?: number | null }[];
}

export type CompareChange = 'settings' | 'added' | 'removed' | 'moved' | 'class' | 'renamed' | 'verdict';

export interface CompareRow {
  change: CompareChange;
  /** '' for 'settings' rows. */
  stationId: string;
  /** 'settings' rows: which setting and its two values. */
  setting?: keyof Scenario['settings'];
  valueA?: string;
  valueB?: string;
  /** Name in B (or in A for removed stations). */
  name: string;
  /** Moved: straight-line distance between the two positions, metres. */
  distanceM?: number;
  from?: { lon: number; lat: number };
  to?: { lon: number; lat: number };
  classA?: StationClass;
  classB?: StationClass;
  nameA?: string;
  verdictA?: string;
  verdictB?: string;
  worstResponseSecondsA?: number | null;
  worstResponseSecondsB?: number | null;
  districtAreaKm2A?: number | null;
  districtAreaKm2B?: number | null;
  zh: string;
  en: string;
}

const ORDER: CompareChange[] = ['settings', 'added', 'removed', 'moved', 'class', 'renamed', 'verdict'];

/**
 * Rows of differences between the active (not switched-off) stations of A and B: added, removed (incl. switched
 * off), moved (> moveToleranceM), class changed, renamed, and verdict changed when both reports are given.
 * Settings rows (standard, peak hours, district mode) come first: they explain verdict changes without moves.
 * Sorted by change type, then name, then id.
 */
export function compareScenarios(a: Scenario, b: Scenario, reportA?: ComplianceSummary, reportB?: ComplianceSummary, moveToleranceM = 1, standardNames: StandardNames = {}): CompareRow[] {
  const sa = new Map(activeStations(a).map((s) => [s.id, s]));
  const sb = new Map(activeStations(b).map((s) => [s.id, s]));
  const ra = new Map(reportA?.stations.map((r) => [r.id, r]) ?? []);
  const rb = new Map(reportB?.stations.map((r) => [r.id, r]) ?? []);
  const rows: CompareRow[] = [];
  const SETTING_LABEL: Record<keyof Scenario['settings'], [string, string]> = { standardId: ['标准', 'Standard'], peak: ['高峰时段', 'Peak hours'], districtsMode: ['辖区划分方式', 'District mode'] };
  for (const key of Object.keys(SETTING_LABEL) as (keyof Scenario['settings'])[]) {
    const va = String(a.settings[key]);
    const vb = String(b.settings[key]);
    if (va === vb) continue;
    const [za, ea] = settingValueLabel(key, va, standardNames);
    const [zb, eb] = settingValueLabel(key, vb, standardNames);
    rows.push({ change: 'settings', stationId: '', setting: key, name: SETTING_LABEL[key][0], valueA: va, valueB: vb, zh: `${SETTING_LABEL[key][0]}：${za} → ${zb}`, en: `${SETTING_LABEL[key][1]}: ${ea} → ${eb}` });
  }
  const withReports = (row: CompareRow, id: string): CompareRow => {
    const x = ra.get(id);
    const y = rb.get(id);
    if (x) Object.assign(row, { verdictA: x.verdict, worstResponseSecondsA: x.worstResponseSeconds ?? null, districtAreaKm2A: x.districtAreaKm2 ?? null });
    if (y) Object.assign(row, { verdictB: y.verdict, worstResponseSecondsB: y.worstResponseSeconds ?? null, districtAreaKm2B: y.districtAreaKm2 ?? null });
    return row;
  };
  for (const [id, s] of sb) {
    const old = sa.get(id);
    if (!old) {
      rows.push(withReports({ change: 'added', stationId: id, name: s.name, classB: s.stationClass, to: { lon: s.lon, lat: s.lat }, zh: `新增 ${s.name}（${s.stationClass}）`, en: `Added ${label(s)} (${stationClassEn(s.stationClass)})` }, id));
      continue;
    }
    const d = haversineM(old.lon, old.lat, s.lon, s.lat);
    if (d > moveToleranceM)
      rows.push({ change: 'moved', stationId: id, name: s.name, distanceM: d, from: { lon: old.lon, lat: old.lat }, to: { lon: s.lon, lat: s.lat }, zh: `${s.name} 移动 ${Math.round(d)} m`, en: `${label(s)} moved ${Math.round(d)} m` });
    if (old.stationClass !== s.stationClass)
      rows.push({ change: 'class', stationId: id, name: s.name, classA: old.stationClass, classB: s.stationClass, zh: `${s.name} 等级：${old.stationClass} → ${s.stationClass}`, en: `${label(s)} class: ${stationClassEn(old.stationClass)} → ${stationClassEn(s.stationClass)}` });
    if (old.name !== s.name)
      rows.push({ change: 'renamed', stationId: id, name: s.name, nameA: old.name, zh: `更名：${old.name} → ${s.name}`, en: `Renamed: ${old.name} → ${s.name}` });
    const x = ra.get(id);
    const y = rb.get(id);
    if (x && y && x.verdict !== y.verdict)
      rows.push(withReports({ change: 'verdict', stationId: id, name: s.name, zh: `${s.name} 结论：${x.verdict} → ${y.verdict}`, en: `${label(s)} verdict: ${x.verdict} → ${y.verdict}` }, id));
  }
  for (const [id, s] of sa)
    if (!sb.has(id)) {
      const off = b.stations.some((x) => x.id === id);
      rows.push(withReports({ change: 'removed', stationId: id, name: s.name, classA: s.stationClass, from: { lon: s.lon, lat: s.lat }, zh: off ? `关闭 ${s.name}` : `删除 ${s.name}`, en: off ? `Switched off ${label(s)}` : `Deleted ${label(s)}` }, id));
    }
  return rows.sort((p, q) => ORDER.indexOf(p.change) - ORDER.indexOf(q.change) || p.name.localeCompare(q.name, 'zh') || (p.stationId < q.stationId ? -1 : p.stationId > q.stationId ? 1 : 0));
}

const label = (s: Station) => s.nameEn ?? s.name;

/** Standard names by id, for the settings rows (the standards are data the caller reads). */
export type StandardNames = Record<string, { zh: string; en: string }>;

const VALUE_LABEL: Record<string, Record<string, [string, string]>> = {
  peak: { true: ['高峰', 'peak'], false: ['平峰', 'off-peak'] },
  districtsMode: { given: ['给定辖区', 'given districts'], auto: ['自动划分（最快到达）', 'automatic (fastest station)'], towns: ['按镇街', 'by town'], imported: ['导入的辖区面', 'imported polygons'] },
};

/** A setting's value as people read it, [zh, en]: "平峰"/"off-peak", "给定辖区"/"given districts", a standard's name. */
export function settingValueLabel(key: keyof Scenario['settings'], value: string, standardNames: StandardNames = {}): [string, string] {
  if (key === 'standardId') {
    const n = standardNames[value];
    return n ? [n.zh, n.en] : [value, value];
  }
  return VALUE_LABEL[key]?.[value] ?? [value, value];
}

export type PublishedChange = 'added' | 'moved' | 'off' | 'deleted';

/**
 * What a scenario changes against the plan as published: stations it adds (not in the published plan — the plan's
 * own proposed or example sites are not changes), moves or re-classes, switches off, and published sites it deleted
 * (proposed ones are deleted, not switched off). In the scenario's order, deleted ones last.
 */
export function changesFromPublished(published: Scenario, s: Scenario): { st: Station; what: PublishedChange }[] {
  const orig = new Map(published.stations.map((st) => [st.id, st]));
  const off = new Set(s.removedIds);
  const out: { st: Station; what: PublishedChange }[] = [];
  for (const st of s.stations) {
    const o = orig.get(st.id);
    if (off.has(st.id)) out.push({ st, what: 'off' });
    else if (!o) out.push({ st, what: 'added' });
    else if (o.lon !== st.lon || o.lat !== st.lat || o.stationClass !== st.stationClass) out.push({ st, what: 'moved' });
  }
  const kept = new Set(s.stations.map((st) => st.id));
  for (const st of published.stations) if (!kept.has(st.id)) out.push({ st, what: 'deleted' });
  return out;
}

export interface MergeCheck {
  /** A stored scenario has the same id: importing would overwrite it — ask the user first. */
  conflict: boolean;
  conflictWith?: { id: string; name: string; updatedAt: string };
  /** The incoming name, made unique among the stored names (for "keep both"). */
  suggestedName: string;
}

/** Checks an imported scenario against the stored ones. Never decides: the UI asks (overwrite / keep both / cancel). */
export function mergeImport(existing: Scenario[], incoming: Scenario): MergeCheck {
  const same = existing.find((s) => s.id === incoming.id);
  // "keep both" needs a name distinct from every stored one, including the scenario with the same id
  const suggestedName = uniqueName(incoming.name, existing.map((s) => s.name));
  return same ? { conflict: true, conflictWith: { id: same.id, name: same.name, updatedAt: same.updatedAt }, suggestedName } : { conflict: false, suggestedName };
}

/** "Keep both": the incoming scenario under a new id and the given name. */
export function importAsNew(incoming: Scenario, name: string, opts: { id?: string; now?: string } = {}): Scenario {
  return { ...incoming, id: opts.id ?? newId('scn'), name, updatedAt: opts.now ?? new Date().toISOString() };
}
