/**
 * Hydrant audit (issue #13) in the app: which hydrants are audited (the place data's, the imported inventory, the
 * open scenario's proposed ones), the worker's audit and suggestions, the planner's hydrant edits (through the
 * scenario's undo history and autosave: scenario.ts edit) and the exports.
 */
import type { AreaCollection, Hydrant } from '../core/types';
import type { AuditHydrant } from '../core/hydrants/audit';
import { auditAreas, facilityHydrants } from '../core/hydrants/data';
import { auditGeojson, hydrantsCsv, stretchesCsv } from '../core/hydrants/export';
import { addHydrant, addHydrants, moveHydrant, removeHydrant } from '../core/scenario/hydrants';
import type { HydrantAuditResult } from '../worker/protocol';
import { isStale, planner } from '../data/planner';
import { downloadText } from '../data/scenarios';
import { errorMsg, type MsgLike } from '../i18n/msg';
import { useStore, type PlannerState } from './index';
import { edit, endDrag } from './scenario';
import { selectNetworkReady, selectScenario, selectStations } from './selectors';

export interface HydrantAuditSlice {
  status: 'idle' | 'busy' | 'ready' | 'error';
  /** What the result belongs to (place, network version, hydrants). */
  key?: string;
  result?: HydrantAuditResult;
  error?: MsgLike;
  /** Placing a new hydrant / intake with the next map click. */
  placing?: Hydrant['kind'] | null;
  suggest?: { busy: boolean; error?: MsgLike; added?: number; exhausted?: boolean };
  exportBusy?: boolean;
  /** A hydrant is being dragged (the store's `dragging` is on too): the map does not treat it as a station drag. */
  dragging?: boolean;
}

const get = () => useStore.getState();
const slice = (s: PlannerState): HydrantAuditSlice => s.hydrantAudit ?? { status: 'idle' };
const patch = (p: Partial<HydrantAuditSlice>) => get().set({ hydrantAudit: { ...slice(get()), ...p } });

const NONE: Hydrant[] = [];
/** The scenario's proposed hydrants (none without an open scenario of this place); the same array while unchanged. */
export const selectProposedHydrants = (s: PlannerState): Hydrant[] => selectScenario(s)?.hydrants ?? NONE;

const plain = (h: Hydrant | AuditHydrant): AuditHydrant => ({ id: h.id, kind: h.kind, lon: h.lon, lat: h.lat, ...(h.name ? { name: h.name } : {}), ...(h.inService === false ? { inService: false } : {}), ...(h.example ? { example: true } : {}) });

/** Every hydrant the audit counts: place data, the imported inventory of this place, the scenario's proposed ones. */
export function auditedHydrants(s: PlannerState): AuditHydrant[] {
  const inv = s.hydrantInventory && s.hydrantInventory.placeId === s.placeId ? s.hydrantInventory.hydrants : [];
  return [...facilityHydrants(s.placeData.facilities), ...inv.map(plain), ...selectProposedHydrants(s).map(plain)];
}

/**
 * The key of an audit: everything its result depends on — place, network version, vehicle and its road-rule
 * figures, speed profile, districts, the existing stations (intake travel times) and each hydrant's id, kind,
 * position and in-service flag. Any change re-runs the audit.
 */
export function auditKey(s: PlannerState): string | null {
  if (!selectNetworkReady(s)) return null;
  const h = auditedHydrants(s).map((x) => `${x.id}:${x.kind}:${x.inService === false ? 'off' : 'on'}@${x.lon.toFixed(7)},${x.lat.toFixed(7)}`).join(';');
  const st = selectStations(s).filter((x) => x.status === 'existing').map((x) => `${x.id}@${x.lon.toFixed(7)},${x.lat.toFixed(7)}`).join(';');
  const vehicle = s.vehicleId ?? '';
  const rules = JSON.stringify(s.vehicleEdits[vehicle] ?? null);
  const profile = `${s.peak ? 'peak' : 'free'}:${s.profileName}:${JSON.stringify(s.profileJson ?? null)}`;
  const districts = `${s.placeData.districts?.features.length ?? 0}`;
  return [s.placeId, s.network?.info?.version ?? '', vehicle, rules, profile, districts, st, h].join('|');
}

function request(s: PlannerState, stretches = false) {
  return {
    placeId: s.placeId!,
    hydrants: auditedHydrants(s),
    areas: auditAreas(s.placeData.districts as AreaCollection | undefined),
    areasKey: `districts:${s.placeData.districts?.features.length ?? 0}`,
    stations: selectStations(s).filter((st) => st.status === 'existing').map((st) => ({ id: st.id, name: st.name, lon: st.lon, lat: st.lat })),
    stretches,
  };
}

/** The latest audit run and suggestion run: an older one's answer is dropped (as store/compliance.ts does). */
let auditSeq = 0;
let suggestSeq = 0;

/** Runs the audit when its inputs changed (or `force`). */
export async function runHydrantAudit(force = false): Promise<void> {
  const s = get(), key = auditKey(s);
  if (!key) return;
  const cur = slice(s);
  if (!force && cur.key === key && (cur.status === 'ready' || cur.status === 'busy')) return;
  const my = ++auditSeq;
  patch({ status: 'busy', key, error: undefined });
  try {
    const r = await (await planner()).hydrantAudit(request(s));
    if (my !== auditSeq || slice(get()).key !== key) return;
    // Superseded in the worker queue with no newer run of ours waiting: not left 'busy' on the old result.
    if (isStale(r)) patch({ status: slice(get()).result ? 'ready' : 'idle' });
    else patch({ status: 'ready', result: r });
  } catch (e) {
    if (my === auditSeq && slice(get()).key === key) patch({ status: 'error', error: errorMsg(e) });
  }
}

/** "Suggest N hydrants": added to the open scenario as proposed (labelled 建议 / suggested), one undo step. */
export async function suggestHydrants(count: number): Promise<void> {
  const s = get();
  if (!selectNetworkReady(s) || !s.placeId) return;
  const placeId = s.placeId, scenarioId = s.activeScenarioId, my = ++suggestSeq;
  patch({ suggest: { busy: true } });
  /** The answer is for another place or scenario (switched while it ran), or a newer request replaced it. */
  const gone = () => my !== suggestSeq || get().placeId !== placeId || get().activeScenarioId !== scenarioId;
  try {
    const { areas, areasKey } = request(s);
    const r = await (await planner()).hydrantSuggest({ placeId, hydrants: auditedHydrants(s), count, areas, areasKey });
    if (isStale(r) || gone()) {
      if (my === suggestSeq) patch({ suggest: { busy: false } });
      return;
    }
    edit((sc) => addHydrants(sc, r.suggestions.map((p) => ({ lon: Math.round(p.lon * 1e7) / 1e7, lat: Math.round(p.lat * 1e7) / 1e7, suggested: true }))));
    patch({ suggest: { busy: false, added: r.suggestions.length, exhausted: r.exhausted } });
    void runHydrantAudit();
  } catch (e) {
    if (my === suggestSeq) patch({ suggest: { busy: false, ...(gone() ? {} : { error: errorMsg(e) }) } });
  }
}

export const startPlacingHydrant = (kind: Hydrant['kind'] | null) => patch({ placing: kind });

/** Adds a proposed hydrant / intake where the map was clicked (placing mode). */
export function placeHydrant(at: [number, number]): void {
  const kind = slice(get()).placing;
  if (!kind) return;
  edit((sc) => addHydrant(sc, { lon: at[0], lat: at[1], kind }));
  patch({ placing: null });
  void runHydrantAudit();
}

export function dragHydrant(id: string, at: [number, number], dragKey: string): void {
  if (!get().dragging || !slice(get()).dragging) {
    patch({ dragging: true }); // first: the map never sees this drag as a station's
    get().set({ dragging: true });
  }
  edit((sc) => moveHydrant(sc, id, at[0], at[1]), dragKey);
}

export function endHydrantDrag(): void {
  endDrag();
  patch({ dragging: false });
  void runHydrantAudit();
}

export function deleteHydrant(id: string): void {
  edit((sc) => removeHydrant(sc, id));
  void runHydrantAudit();
}

/** Downloads the audit: per hydrant (CSV), per road stretch (CSV), or both as one GeoJSON. */
export async function exportAudit(what: 'hydrants-csv' | 'stretches-csv' | 'geojson'): Promise<void> {
  const s = get(), cur = slice(s);
  if (!cur.result || !s.placeId) return;
  const base = `hydrant-audit-${s.placeId}`;
  if (what === 'hydrants-csv') {
    downloadText(`${base}-hydrants.csv`, '\uFEFF' + hydrantsCsv(cur.result.audit), 'text/csv');
    return;
  }
  const placeId = s.placeId;
  patch({ exportBusy: true });
  try {
    // Its own queue: an export never makes the live audit stale, nor is it dropped by one.
    const r = await (await planner()).hydrantAudit(request(s, true), 'hydrants:export');
    if (isStale(r) || !r.stretches || get().placeId !== placeId) return;
    if (what === 'stretches-csv') downloadText(`${base}-road-stretches.csv`, '\uFEFF' + stretchesCsv(r.stretches), 'text/csv');
    else downloadText(`${base}.geojson`, JSON.stringify(auditGeojson(r.audit, r.stretches)));
  } catch (e) {
    patch({ error: errorMsg(e) });
  } finally {
    patch({ exportBusy: false });
  }
}
