/**
 * The speed profile the planner works with: the default file (geodata/profiles/fire-engine.json) or the planner's
 * edit of it (km/h per road class, peak factor, turnout, one-way mode), validated, kept in localStorage and sent
 * to the worker. Every result names the profile it used (the worker's profileName), so edited profiles get
 * "（自定义）/ (custom)" in their name.
 */
import { parseProfile, validateProfile, type ProfileIssue, type SpeedProfile } from '../core/profile';
import { toErrorInfo } from '../core/errors';
import { errorMsg } from '../i18n/msg';
import { SPEED_CLASSES as ROAD_CLASSES, type SpeedClass as RoadClass } from '../core/roadClass'; // classes with a speed (no ferry)
import { defaultProfile, loadSavedProfile, saveProfile } from '../data/profile';
import { planner } from '../data/planner';
import { useStore } from './index';
import { computeIsochrone, computeRoute } from './actions';

const get = () => useStore.getState();

/** The values a planner can edit. */
export interface ProfileEdits {
  speeds: Record<RoadClass, number>;
  peakFactor: number;
  turnoutSeconds: number;
  oneway: 'obey' | 'contraflow';
  /** Turn rules (older saved profiles without them: obey, no penalties). */
  turnRestrictions: 'obey' | 'ignore';
  uTurnSeconds: number;
  leftTurnSeconds: number;
  rightTurnSeconds: number;
}

type Json = Record<string, unknown> & {
  name?: string;
  nameEn?: string;
  speedsKmh?: Record<string, { value?: unknown }>;
  peakFactor?: { value?: unknown };
  turnoutSeconds?: { value?: unknown };
  oneway?: { value?: unknown };
  turnRestrictions?: { value?: unknown };
  uTurnSeconds?: { value?: unknown };
  leftTurnSeconds?: { value?: unknown };
  rightTurnSeconds?: { value?: unknown };
};

const val = (x: { value?: unknown } | undefined): number => (typeof x?.value === 'number' ? x.value : NaN);

export function editsOf(json: unknown): ProfileEdits {
  const p = (json ?? {}) as Json;
  const speeds = Object.fromEntries(ROAD_CLASSES.map((c) => [c, val(p.speedsKmh?.[c])])) as Record<RoadClass, number>;
  const turn = (x: { value?: unknown } | undefined) => (x === undefined ? 0 : val(x));
  return {
    speeds, peakFactor: val(p.peakFactor), turnoutSeconds: val(p.turnoutSeconds), oneway: p.oneway?.value === 'contraflow' ? 'contraflow' : 'obey',
    turnRestrictions: p.turnRestrictions?.value === 'ignore' ? 'ignore' : 'obey',
    uTurnSeconds: turn(p.uTurnSeconds), leftTurnSeconds: turn(p.leftTurnSeconds), rightTurnSeconds: turn(p.rightTurnSeconds),
  };
}

export const defaultJson = (): unknown => defaultProfile()?.json ?? null;

export function sameEdits(a: ProfileEdits, b: ProfileEdits): boolean {
  return a.peakFactor === b.peakFactor && a.turnoutSeconds === b.turnoutSeconds && a.oneway === b.oneway && ROAD_CLASSES.every((c) => a.speeds[c] === b.speeds[c])
    && a.turnRestrictions === b.turnRestrictions && a.uTurnSeconds === b.uTurnSeconds && a.leftTurnSeconds === b.leftTurnSeconds && a.rightTurnSeconds === b.rightTurnSeconds;
}

const CUSTOM_ZH = '（自定义）';
const CUSTOM_EN = ' (custom)';

/** The default profile with the edits applied (notes kept); named as custom unless the edits equal the defaults. */
export function buildProfile(edits: ProfileEdits): unknown {
  const base = structuredClone(defaultJson()) as Json;
  const custom = !sameEdits(edits, editsOf(base));
  const speedsKmh = { ...(base.speedsKmh ?? {}) };
  for (const c of ROAD_CLASSES) speedsKmh[c] = { ...(speedsKmh[c] ?? {}), value: edits.speeds[c] };
  return {
    ...base,
    name: `${base.name ?? ''}${custom ? CUSTOM_ZH : ''}`,
    nameEn: `${base.nameEn ?? base.name ?? ''}${custom ? CUSTOM_EN : ''}`,
    speedsKmh,
    peakFactor: { ...(base.peakFactor ?? {}), value: edits.peakFactor },
    turnoutSeconds: { ...(base.turnoutSeconds ?? {}), value: edits.turnoutSeconds },
    oneway: { ...(base.oneway ?? {}), value: edits.oneway },
    turnRestrictions: { ...(base.turnRestrictions ?? {}), value: edits.turnRestrictions },
    uTurnSeconds: { ...(base.uTurnSeconds ?? {}), value: edits.uTurnSeconds },
    leftTurnSeconds: { ...(base.leftTurnSeconds ?? {}), value: edits.leftTurnSeconds },
    rightTurnSeconds: { ...(base.rightTurnSeconds ?? {}), value: edits.rightTurnSeconds },
  };
}

/** Problems of an edit (empty: valid); messages in Chinese and English. */
export function profileIssues(edits: ProfileEdits): ProfileIssue[] {
  return validateProfile(buildProfile(edits));
}

/** The profile JSON in use (edited or default). */
export const currentProfileJson = (): unknown => get().profileJson ?? defaultJson();

/** A profile JSON as the typed profile the worker takes (validated here; throws a PlannerError when invalid). */
export const speedProfile = (json: unknown): SpeedProfile => parseProfile(structuredClone(json));

/** The profile in use, typed. */
export const currentProfile = (): SpeedProfile => speedProfile(currentProfileJson());

/** Recomputes the isochrone and route shown after a profile or peak change (the compliance panel re-checks on its own). */
function recompute(): void {
  const s = get();
  if (s.iso.stationIds.length) void computeIsochrone(s.iso.all ? 'all' : s.iso.stationIds, s.iso.bandsMin);
  if (s.route.to) void computeRoute(s.route.to, s.route.onlyIds);
}

/**
 * Validates and applies an edit (null = back to the default file): stored, sent to the worker, results
 * recomputed. Returns the problems found (nothing applied then) or an empty list.
 */
export async function applyProfile(edits: ProfileEdits | null): Promise<{ zh: string; en: string }[]> {
  const json = edits ? buildProfile(edits) : defaultJson();
  const issues = validateProfile(json);
  if (issues.length) return issues.map((i) => ({ zh: `${i.path}：${i.zh}`, en: `${i.path}: ${i.en}` }));
  const custom = edits !== null && !sameEdits(edits, editsOf(defaultJson()));
  try {
    await (await planner()).setProfile(speedProfile(json), get().peak);
  } catch (e) {
    const p = toErrorInfo(e);
    return [{ zh: p.zh, en: p.en }];
  }
  saveProfile(custom ? json : null);
  get().set({ profileJson: custom ? json : null });
  recompute();
  return [];
}

/** At start-up: a saved valid edit is sent to the worker before the first graph is loaded. */
export async function initProfile(): Promise<void> {
  const saved = loadSavedProfile();
  if (!saved || validateProfile(saved).length) {
    if (saved) saveProfile(null);
    return;
  }
  get().set({ profileJson: saved });
  try {
    await (await planner()).setProfile(speedProfile(saved), get().peak);
  } catch {
    saveProfile(null);
    get().set({ profileJson: null });
  }
}

/** Peak / off-peak with the profile in use; recomputes isochrone, route and compliance. */
export async function setPeakWithProfile(peak: boolean): Promise<void> {
  get().set({ peak });
  try {
    await (await planner()).setProfile(currentProfile(), peak);
  } catch (e) {
    get().set({ iso: { ...get().iso, error: errorMsg(e) } });
    return;
  }
  recompute();
}
