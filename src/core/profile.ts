/**
 * Fire-engine speed profile: data (geodata/profiles/*.json) with a note on every value, and the conversion of
 * a road graph's edge lengths into travel seconds. Changing the profile never needs a graph rebuild.
 */
import { PlannerError } from './errors';
import { EdgeFlag, type RoadGraph } from './graph';
import { ROAD_CLASSES, SPEED_CLASSES, type SpeedClass } from './roadClass';
import type { TurnRules } from './turns';

/** A value with the reason it was chosen: `source` for cited facts, `assumption` for editable planning values. */
export interface Noted<T> {
  value: T;
  assumption?: string;
  source?: string;
}

export interface SpeedProfile {
  id: string;
  name: string;
  nameEn: string;
  version?: number;
  note?: string;
  /**
   * km/h per road class (every class of roadClass.ts SPEED_CLASSES). 'ferry' may be left out: a ferry's time is its
   * crossing duration from the road rules (a speed given for it is ignored).
   */
  speedsKmh: Record<SpeedClass, Noted<number>> & { ferry?: Noted<number> };
  /** Do not exceed a numeric OSM maxspeed. */
  capAtMaxspeed: Noted<boolean>;
  /** Peak-hour speed = speed × peakFactor (0 < f ≤ 1.5). */
  peakFactor: Noted<number>;
  /** Dispatch-to-rolling time, seconds (not part of travel time). */
  turnoutSeconds: Noted<number>;
  /** 'obey' one-way roads, or drive against them ('contraflow') with a time factor. */
  oneway: Noted<'obey' | 'contraflow'>;
  contraflowPenalty: Noted<number>;
  /** Use roads closed to traffic but open to emergency vehicles. */
  allowEmergencyOnly: Noted<boolean>;
  noAccess: Noted<'forbidden'>;
  neverInGraph?: Noted<string[]>;
  /** 'obey' OSM turn restrictions, or 'ignore' them (emergency: a fire engine on a call may turn where others may not). */
  turnRestrictions: Noted<'obey' | 'ignore'>;
  /** Seconds added for a U-turn at a junction or dead end, a left and a right turn at a junction (0 = off). */
  uTurnSeconds: Noted<number>;
  leftTurnSeconds: Noted<number>;
  rightTurnSeconds: Noted<number>;
}

/**
 * Values of the turn fields for a profile saved before they existed (a profile without them parses with these):
 * restrictions obeyed, no turn penalties — the times such a profile gave before, plus the restrictions.
 */
export const TURN_DEFAULTS = {
  turnRestrictions: { value: 'obey', assumption: 'Default for profiles saved without this field: turn restrictions are obeyed.' },
  uTurnSeconds: { value: 0, assumption: 'Default for profiles saved without this field: no U-turn penalty.' },
  leftTurnSeconds: { value: 0, assumption: 'Default for profiles saved without this field: no left-turn penalty.' },
  rightTurnSeconds: { value: 0, assumption: 'Default for profiles saved without this field: no right-turn penalty.' },
} as const;

/** The turn rules searches obey under a profile. */
export function turnRules(p: SpeedProfile): TurnRules {
  return {
    restrictions: p.turnRestrictions.value !== 'ignore',
    uTurnSeconds: p.uTurnSeconds.value,
    leftTurnSeconds: p.leftTurnSeconds.value,
    rightTurnSeconds: p.rightTurnSeconds.value,
  };
}

export interface ProfileIssue {
  path: string;
  zh: string;
  en: string;
}

/** An invalid profile: a PlannerError (code 'bad-profile') listing every issue; `detail` names the fields. */
export class ProfileError extends PlannerError {
  constructor(public issues: ProfileIssue[]) {
    super({
      code: 'bad-profile',
      zh: `速度配置无效：${issues.map((i) => `${i.path} ${i.zh}`).join('；')}`,
      en: `invalid speed profile: ${issues.map((i) => `${i.path} ${i.en}`).join('; ')}`,
      detail: issues.map((i) => i.path).join(', '),
    });
    this.name = 'ProfileError';
  }
}

const isObj = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Checks an untrusted profile object. Returns every problem found (empty = valid), messages in zh and en. */
export function validateProfile(input: unknown): ProfileIssue[] {
  const issues: ProfileIssue[] = [];
  const bad = (path: string, zh: string, en: string) => issues.push({ path, zh, en });
  if (!isObj(input)) {
    bad('', '速度配置必须是 JSON 对象', 'speed profile must be a JSON object');
    return issues;
  }
  const noted = (key: string): unknown => {
    const v = input[key];
    if (!isObj(v) || !('value' in v)) {
      bad(key, `缺少字段 ${key}（需为 {"value": …}）`, `missing field ${key} (expected {"value": …})`);
      return undefined;
    }
    return v.value;
  };
  const num = (key: string, v: unknown, min: number, max: number) => {
    if (typeof v !== 'number' || !Number.isFinite(v) || v < min || v > max)
      bad(key, `${key} 必须是 ${min}–${max} 之间的数字（当前：${JSON.stringify(v)}）`, `${key} must be a number in ${min}–${max} (got ${JSON.stringify(v)})`);
  };
  if (typeof input.id !== 'string' || !input.id) bad('id', '缺少配置编号 id', 'missing profile id');
  if (typeof input.name !== 'string') bad('name', '缺少配置名称 name', 'missing profile name');
  const speeds = input.speedsKmh;
  if (!isObj(speeds)) bad('speedsKmh', '缺少各道路等级速度 speedsKmh', 'missing per-class speeds speedsKmh');
  else {
    for (const cls of SPEED_CLASSES) {
      const s = speeds[cls];
      if (!isObj(s)) bad(`speedsKmh.${cls}`, `缺少道路等级 ${cls} 的速度`, `missing speed for road class ${cls}`);
      else num(`speedsKmh.${cls}`, s.value, 1, 150);
    }
    for (const k of Object.keys(speeds))
      if (!(ROAD_CLASSES as readonly string[]).includes(k)) bad(`speedsKmh.${k}`, `未知道路等级 ${k}`, `unknown road class ${k}`);
    // 'ferry' is optional and unused (ferry times come from the road rules); a number given for it is still checked.
    const ferry = speeds.ferry;
    if (isObj(ferry) && typeof ferry.value === 'number' && !Number.isNaN(ferry.value)) num('speedsKmh.ferry', ferry.value, 1, 150);
  }
  const cap = noted('capAtMaxspeed');
  if (cap !== undefined && typeof cap !== 'boolean') bad('capAtMaxspeed', 'capAtMaxspeed 必须是 true/false', 'capAtMaxspeed must be true/false');
  const peak = noted('peakFactor');
  if (peak !== undefined) num('peakFactor', peak, 0.05, 1.5);
  const turnout = noted('turnoutSeconds');
  if (turnout !== undefined) num('turnoutSeconds', turnout, 0, 600);
  const oneway = noted('oneway');
  if (oneway !== undefined && oneway !== 'obey' && oneway !== 'contraflow')
    bad('oneway', 'oneway 必须是 "obey"（遵守单行）或 "contraflow"（可逆行）', 'oneway must be "obey" or "contraflow"');
  const pen = noted('contraflowPenalty');
  if (pen !== undefined) num('contraflowPenalty', pen, 1, 10);
  const em = noted('allowEmergencyOnly');
  if (em !== undefined && typeof em !== 'boolean') bad('allowEmergencyOnly', 'allowEmergencyOnly 必须是 true/false', 'allowEmergencyOnly must be true/false');
  const na = noted('noAccess');
  if (na !== undefined && na !== 'forbidden') bad('noAccess', 'noAccess 只能是 "forbidden"（禁止通行道路不可用）', 'noAccess must be "forbidden"');
  // Turn fields: optional (older saved profiles lack them), checked when present.
  const optional = (key: string): unknown => (key in input ? noted(key) : undefined);
  const tr = optional('turnRestrictions');
  if (tr !== undefined && tr !== 'obey' && tr !== 'ignore')
    bad('turnRestrictions', 'turnRestrictions 必须是 "obey"（遵守转向限制）或 "ignore"（紧急情况下忽略）', 'turnRestrictions must be "obey" or "ignore"');
  for (const key of ['uTurnSeconds', 'leftTurnSeconds', 'rightTurnSeconds']) {
    const v = optional(key);
    if (v !== undefined) num(key, v, 0, 300);
  }
  return issues;
}

/** Validates and returns the profile typed; throws ProfileError listing every problem. */
export function parseProfile(input: unknown): SpeedProfile {
  const issues = validateProfile(input);
  if (issues.length) throw new ProfileError(issues);
  const p = input as SpeedProfile;
  if (typeof p.nameEn !== 'string') p.nameEn = p.name;
  for (const key of Object.keys(TURN_DEFAULTS) as (keyof typeof TURN_DEFAULTS)[])
    if (!(key in p)) (p as unknown as Record<string, unknown>)[key] = { ...TURN_DEFAULTS[key] };
  return p;
}

export interface EdgeSecondsOptions {
  peak?: boolean;
  /**
   * Per directed edge, a fixed travel time in seconds used instead of length ÷ speed when > 0 (ferry crossings from
   * the road rules); access and one-way rules still apply. Edges of a class without a speed (ferry) and no fixed
   * time are unusable.
   */
  fixedSeconds?: Float32Array;
}

/**
 * Travel seconds of every directed edge under a profile. Infinity marks an edge a fire engine may not use
 * (no access, against a one-way in 'obey' mode, emergency-only roads when not allowed).
 */
export function edgeSeconds(graph: RoadGraph, profile: SpeedProfile, opts: EdgeSecondsOptions = {}): Float32Array {
  const factor = opts.peak ? profile.peakFactor.value : 1;
  // m/s by road-class byte (classes without a speed, e.g. ferry, and unknown bytes: 0 → Infinity seconds), and the
  // cap of every maxspeed byte (Infinity: no maxspeed, or no capping): looked up per edge, the same numbers as computed
  const mps = new Float64Array(256), capMps = new Float64Array(256).fill(Infinity);
  SPEED_CLASSES.forEach((c, i) => { mps[i] = (profile.speedsKmh[c].value * factor) / 3.6; });
  if (profile.capAtMaxspeed.value) for (let k = 1; k < 256; k++) capMps[k] = (k * factor) / 3.6;
  const fixed = opts.fixedSeconds;
  const contraflow = profile.oneway.value === 'contraflow';
  const penalty = profile.contraflowPenalty.value;
  // an edge with any of these bits is unusable: no access; emergency-only unless allowed; against a one-way unless contraflow
  const blocked = EdgeFlag.NoAccess | (profile.allowEmergencyOnly.value ? 0 : EdgeFlag.EmergencyOnly) | (contraflow ? 0 : EdgeFlag.AgainstOneway);
  const m = graph.edgeCount, out = new Float32Array(m);
  const { lengthM, roadClass, flags, maxspeed } = graph;
  for (let e = 0; e < m; e++) {
    const f = flags[e];
    if (f & blocked) {
      out[e] = Infinity;
      continue;
    }
    let s: number;
    if (fixed && fixed[e] > 0) s = fixed[e];
    else {
      const v = Math.min(mps[roadClass[e]], capMps[maxspeed[e]]);
      s = v > 0 ? lengthM[e] / v : Infinity;
    }
    if (f & EdgeFlag.AgainstOneway) s *= penalty;
    out[e] = s;
  }
  return out;
}

/** A copy of a profile with some values replaced (one-way rule, peak factor, turnout, turn rules). */
export function withProfileValues(p: SpeedProfile, values: Partial<{ oneway: 'obey' | 'contraflow'; peakFactor: number; turnoutSeconds: number; turnRestrictions: 'obey' | 'ignore'; uTurnSeconds: number; leftTurnSeconds: number; rightTurnSeconds: number }>): SpeedProfile {
  const q: SpeedProfile = structuredClone(p);
  if (values.oneway) q.oneway = { ...q.oneway, value: values.oneway };
  if (values.turnRestrictions) q.turnRestrictions = { ...q.turnRestrictions, value: values.turnRestrictions };
  for (const key of ['uTurnSeconds', 'leftTurnSeconds', 'rightTurnSeconds'] as const)
    if (values[key] !== undefined) q[key] = { ...q[key], value: values[key] };
  if (values.peakFactor !== undefined) q.peakFactor = { ...q.peakFactor, value: values.peakFactor };
  if (values.turnoutSeconds !== undefined) q.turnoutSeconds = { ...q.turnoutSeconds, value: values.turnoutSeconds };
  return parseProfile(q);
}
