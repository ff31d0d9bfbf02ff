/**
 * The siting optimizer's slice (issue #12, "选址优化 / Suggest sites"): the panel's settings, the run (progress,
 * cancel, result) and adding suggestions to the open scenario as ONE undoable edit (scenario.ts edit), after which
 * the live check runs as for any edit. The worker request is built from the settings and the open scenario here.
 */
import type { Feature, FeatureCollection, MultiPolygon, Point, Polygon } from 'geojson';
import { addStation } from '../core/scenario';
import type { Station } from '../core/types';
import { isStale, planner } from '../data/planner';
import { standardChoices } from '../data/standards';
import { sitingRules } from '../data/siting';
import type { PoiProps } from '../core/siting';
import { selectPlace } from './selectors';
import { errorMsg } from '../i18n/msg';
import { parseCandidateList, parseDemandList } from '../data/candidateList';
import type { OptimizeModel, OptimizeRequest, OptimizeResult, SuggestedSite } from '../worker/optimizeProtocol';
import { useStore, type PlannerState } from './index';
import type { OptimizerSettings, OptimizerState } from './optimizerState';
export * from './optimizerState';
import { planningArea, standardId } from './compliance';
import { edit, PUBLISHED_ID } from './scenario';
import { selectWater, useWaterNotice, waterIndexOf } from './water';
import { pointInWater, sitesInWaterError, WATER_AREA_KINDS } from '../core/water';
import { selectStations } from './selectors';

const get = () => useStore.getState();
const patch = (p: Partial<OptimizerState>) => get().set({ optimizer: { ...get().optimizer, ...p } });

export function setOptimizerSettings(p: Partial<OptimizerSettings>): void {
  patch({ settings: { ...get().optimizer.settings, ...p } });
}

const polygonsOf = (s: PlannerState): (Polygon | MultiPolygon)[] => {
  const a = planningArea(s.placeData.boundary);
  return a ? [a as Polygon | MultiPolygon] : [];
};

/** The straight-line estimate figures of the chosen standard. */
function straightLineOf(s: PlannerState): OptimizeRequest['straightLine'] {
  const std = standardChoices().find((c) => c.id === standardId(s))?.json as { straightLine?: { speedKmh?: { value?: number }; curvature?: { value?: number } } } | undefined;
  const speed = std?.straightLine?.speedKmh?.value, curve = std?.straightLine?.curvature?.value;
  return typeof speed === 'number' && typeof curve === 'number' ? { speedKmh: speed, curvature: curve } : { speedKmh: 30, curvature: 1.4 };
}

const site = (st: Station) => ({ id: st.id, lon: st.lon, lat: st.lat });

/** The place's district / town polygons the planner chose for the candidates ('areas'). */
export function chosenAreas(s: PlannerState): (Polygon | MultiPolygon)[] {
  const feats = s.placeData.districts?.features ?? [];
  return s.optimizer.settings.areaIds.flatMap((i) => {
    const g = feats[i]?.geometry;
    return g && (g.type === 'Polygon' || g.type === 'MultiPolygon') ? [g] : [];
  });
}

/** The siting checklist for the run (the place's POIs, the 建标152 rules), or none when off or the rules are broken. */
function sitingOf(s: PlannerState): OptimizeRequest['siting'] {
  const mode = s.optimizer.settings.siting;
  const rules = sitingRules();
  if (mode === 'off' || !rules.ok) return undefined;
  const pois = (s.placeData.pois as FeatureCollection<Point, PoiProps> | undefined) ?? null;
  const bbox = selectPlace(s)?.bbox;
  return { mode, rules: rules.rules, pois, ...(pois && bbox ? { coverage: bbox } : {}) };
}

/**
 * The worker request for the open scenario's stations under the panel's settings (null without a place): existing
 * stations always fixed; planned / proposed ones fixed too with "fixed: all", else freed and compared.
 */
export function optimizeRequestFor(s: PlannerState, runId: string): OptimizeRequest | null {
  if (!s.placeId) return null;
  const o = s.optimizer.settings;
  const stations = selectStations(s);
  const existing = stations.filter((st) => st.status === 'existing');
  const others = stations.filter((st) => st.status !== 'existing');
  const list = s.optimizer.list?.points ?? [];
  return {
    runId, placeId: s.placeId, model: o.model, k: o.k, minutes: o.minutes, ...(o.model === 'backup' ? { backupMinutes: o.backupMinutes } : {}),
    candidates: o.candidates === 'list' ? { kind: 'list', points: list }
      : o.candidates === 'areas' ? { kind: 'areas', spacingM: o.spacingM, areas: chosenAreas(s) } : { kind: 'thinned', spacingM: o.spacingM },
    fixed: (o.fixed === 'all' ? stations : existing).map(site),
    planned: o.fixed === 'all' ? [] : others.map(site),
    weight: o.weight, exactLimitS: o.exactLimitS,
    ...(o.demand === 'file' && s.optimizer.demandList ? { demandPoints: s.optimizer.demandList.points } : {}),
    boundary: polygonsOf(s), straightLine: straightLineOf(s), curveMaxK: 10,
    ...(o.candidates !== 'list' && sitingOf(s) ? { siting: sitingOf(s) } : {}),
    ...(waterOf(s) ? { water: waterOf(s) } : {}),
  };
}

/**
 * A run id unique across page loads (suggested stations are named after it, and a scenario keeps them between
 * sessions: a counter restarting at 0 would give a new suggestion the id of an old one, which addStation refuses).
 */
export function newRunId(): string {
  const rnd = typeof crypto !== 'undefined' && typeof crypto.randomUUID === 'function' ? crypto.randomUUID().slice(0, 8) : Math.random().toString(36).slice(2, 10);
  return `opt-${Date.now().toString(36)}-${rnd}`;
}

/** The water areas sent with a run, made once per water FeatureCollection (its key names it for the worker's cache). */
const waterSent = new WeakMap<FeatureCollection, NonNullable<OptimizeRequest['water']>>();
let waterSeq = 0;

/** The place's water areas for the run: the polygon features pointInWater tests (no lines, no harbour names). */
function waterOf(s: PlannerState): OptimizeRequest['water'] {
  const fc = selectWater(s);
  if (!fc) return undefined;
  let w = waterSent.get(fc);
  if (!w) {
    const features = fc.features.filter((f): f is Feature<Polygon | MultiPolygon> =>
      (f.geometry?.type === 'Polygon' || f.geometry?.type === 'MultiPolygon') && WATER_AREA_KINDS.has(String(f.properties?.kind ?? 'water')));
    w = { key: `water-${++waterSeq}`, areas: { type: 'FeatureCollection', features } };
    waterSent.set(fc, w);
  }
  return w.areas.features.length ? w : undefined;
}


/** Runs the optimizer (a newer run cancels the one in flight); the result lands in the slice. */
export async function runOptimizer(opts: { writeLp?: boolean } = {}): Promise<OptimizeResult | null> {
  const runId = newRunId();
  const req = optimizeRequestFor(get(), runId);
  if (!req) return null;
  if (opts.writeLp) req.writeLp = true;
  const placeId = get().placeId;
  patch({ status: 'running', runId, progress: undefined, error: undefined });
  try {
    const client = await planner();
    const res = await client.optimize(req, (p) => { if (get().optimizer.runId === runId) patch({ progress: p }); });
    if (isStale(res) || get().optimizer.runId !== runId) return null;
    // A scenario switch while running reset the slice (runId gone, see the subscription below).
    if (get().placeId !== placeId) return null;
    patch({ status: 'done', result: res, progress: undefined });
    return res;
  } catch (e) {
    if (get().optimizer.runId === runId) patch({ status: 'error', error: errorMsg(e), progress: undefined });
    return null;
  }
}

/** Cancels the run in flight (the worker stops at its next progress step). */
export async function cancelOptimizer(): Promise<void> {
  if (get().optimizer.status !== 'running') return;
  patch({ status: 'cancelled', runId: undefined, progress: undefined });
  (await planner()).cancelOptimize();
}

/** A place switch forgets the result (it belongs to the old place) and stops the run in flight in the worker. */
export function resetOptimizer(): void {
  const running = get().optimizer.status === 'running';
  patch({ status: 'idle', result: undefined, error: undefined, progress: undefined, runId: undefined });
  if (running) void planner().then((c) => c.cancelOptimize(), () => undefined);
}

/**
 * An edit of the plan as published opens its copy (scenario.ts edit) in the same store update: the same stations
 * plus that edit, so the result still belongs to it. Any other change of the active scenario is a switch.
 */
const forkedByEdit = (s: PlannerState, prev: PlannerState): boolean =>
  prev.activeScenarioId === PUBLISHED_ID && !prev.scenarios.some((x) => x.id === s.activeScenarioId) && s.scenario?.past.length === 1;

// A result (or a run) belongs to the scenario open when it started: switching scenarios forgets it, so its sites are
// never added to, or shown against, another scenario.
useStore.subscribe((s, prev) => {
  if (s.activeScenarioId === prev.activeScenarioId || forkedByEdit(s, prev)) return;
  if (s.optimizer.result || s.optimizer.status === 'running') resetOptimizer();
});

/** The station id a suggestion gets in the scenario (its run and rank), so the panel can tell it was added. */
export const suggestionId = (runId: string, rank: number) => `suggested-${runId}-${rank}`;

/**
 * Adds suggestions of the shown result to the open scenario as proposed stations named 建议 n / Suggested n (n = rank),
 * all in one edit: one undo step removes them together. Already-added ones and the plan's own sites are skipped, and
 * so is a suggestion in water (as for any added or moved station): the refusal names each such suggestion and its
 * water (store/water.ts notice); the others are added.
 */
export function addSuggestions(sites: SuggestedSite[]): void {
  const res = get().optimizer.result;
  if (!res || !sites.length) return;
  // A freed plan site chosen again is already in the scenario: nothing to add for it.
  const fresh = sites.filter((x) => !x.planned);
  if (!fresh.length) return;
  const water = waterIndexOf(selectWater(get()));
  const wet = fresh.flatMap((x) => {
    const hit = pointInWater(water, [x.lon, x.lat]);
    return hit ? [{ x, hit }] : [];
  });
  const dry = fresh.filter((x) => !wet.some((w) => w.x === x));
  const notice = wet.length ? errorMsg(sitesInWaterError(wet.map(({ x, hit }) => ({ zh: `建议 ${x.rank}`, en: `Suggested ${x.rank}`, hit })), dry.length)) : null;
  if (notice || useWaterNotice.getState().refusal) useWaterNotice.setState({ refusal: notice });
  if (!dry.length) return;
  edit((sc) => dry.reduce((acc, x) => addStation(acc, { lon: x.lon, lat: x.lat, id: suggestionId(res.runId, x.rank), name: `建议 ${x.rank}`, nameEn: `Suggested ${x.rank}` }), sc));
}

/** Ranks of the shown result already in the open scenario. */
export function addedRanks(s: PlannerState): Set<number> {
  const res = s.optimizer.result;
  const out = new Set<number>();
  if (!res || !s.scenario) return out;
  const ids = new Set(s.scenario.present.stations.filter((st) => !s.scenario!.present.removedIds.includes(st.id)).map((st) => st.id));
  for (const x of res.sites) if (ids.has(suggestionId(res.runId, x.rank))) out.add(x.rank);
  return out;
}

/** Reads an imported candidate list (GeoJSON points or CSV lon / lat) and switches the candidate set to it. */
export async function importCandidateList(file: File): Promise<void> {
  try {
    const points = parseCandidateList(await file.text(), file.name);
    patch({ list: { fileName: file.name, points }, error: undefined, settings: { ...get().optimizer.settings, candidates: 'list' } });
  } catch (e) {
    patch({ error: errorMsg(e) });
  }
}

const sitesMemo = { result: null as OptimizeResult | null, added: '', fc: { type: 'FeatureCollection', features: [] } as FeatureCollection<Point> };
const NO_SITES: FeatureCollection<Point> = { type: 'FeatureCollection', features: [] };

/** The shown result's suggested sites for the map ({ rank, gain, added }), same object while nothing changed. */
export function selectSuggestedSites(s: PlannerState): FeatureCollection<Point> {
  const res = s.optimizer.result;
  if (!res || res.placeId !== s.placeId || s.optimizer.hidden) return NO_SITES;
  const added = addedRanks(s);
  const key = [...added].join(',');
  if (sitesMemo.result !== res || sitesMemo.added !== key) {
    sitesMemo.result = res;
    sitesMemo.added = key;
    sitesMemo.fc = {
      type: 'FeatureCollection',
      features: res.sites.map((x) => ({ type: 'Feature', geometry: { type: 'Point', coordinates: [x.lon, x.lat] }, properties: { kind: 'suggested', rank: x.rank, gain: x.gain, added: added.has(x.rank) } })),
    };
  }
  return sitesMemo.fc;
}

/** Models the panel offers (all of src/core/optimize). */
export const AVAILABLE_MODELS: readonly OptimizeModel[] = ['lscp', 'mclp', 'pmedian', 'pcenter', 'backup'];

/** Reads an imported demand file (points with a weight column) and switches the demand to it. */
export async function importDemandList(file: File): Promise<void> {
  try {
    const points = parseDemandList(await file.text(), file.name);
    patch({ demandList: { fileName: file.name, points }, error: undefined, settings: { ...get().optimizer.settings, demand: 'file' } });
  } catch (e) {
    patch({ error: errorMsg(e) });
  }
}
