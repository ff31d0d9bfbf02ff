/**
 * Fire-engine speed profile: data (geodata/profiles/*.json) with a note on every value, and the conversion of
 * a road graph's edge lengths into travel seconds. Changing the profile never needs a graph rebuild.
 */
import { EdgeFlag, type RoadGraph } from './graph';
import { ROAD_CLASSES, type RoadClass } from './roadClass';

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
  /** km/h per road class (every class of roadClass.ts). */
  speedsKmh: Record<RoadClass, Noted<number>>;
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
}

export interface ProfileIssue {
  path: string;
  zh: string;
  en: string;
}

export class ProfileError extends Error {
  constructor(public issues: ProfileIssue[]) {
    super(issues.map((i) => `${i.path}: ${i.en} / ${i.zh}`).join('; '));
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
    for (const cls of ROAD_CLASSES) {
      const s = speeds[cls];
      if (!isObj(s)) bad(`speedsKmh.${cls}`, `缺少道路等级 ${cls} 的速度`, `missing speed for road class ${cls}`);
      else num(`speedsKmh.${cls}`, s.value, 1, 150);
    }
    for (const k of Object.keys(speeds))
      if (!(ROAD_CLASSES as readonly string[]).includes(k)) bad(`speedsKmh.${k}`, `未知道路等级 ${k}`, `unknown road class ${k}`);
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
  return issues;
}

/** Validates and returns the profile typed; throws ProfileError listing every problem. */
export function parseProfile(input: unknown): SpeedProfile {
  const issues = validateProfile(input);
  if (issues.length) throw new ProfileError(issues);
  const p = input as SpeedProfile;
  if (typeof p.nameEn !== 'string') p.nameEn = p.name;
  return p;
}

export interface EdgeSecondsOptions {
  peak?: boolean;
}

/**
 * Travel seconds of every directed edge under a profile. Infinity marks an edge a fire engine may not use
 * (no access, against a one-way in 'obey' mode, emergency-only roads when not allowed).
 */
export function edgeSeconds(graph: RoadGraph, profile: SpeedProfile, opts: EdgeSecondsOptions = {}): Float32Array {
  const factor = opts.peak ? profile.peakFactor.value : 1;
  const mps = new Float64Array(ROAD_CLASSES.length);
  ROAD_CLASSES.forEach((c, i) => { mps[i] = (profile.speedsKmh[c].value * factor) / 3.6; });
  const cap = profile.capAtMaxspeed.value;
  const contraflow = profile.oneway.value === 'contraflow';
  const penalty = profile.contraflowPenalty.value;
  const allowEmergency = profile.allowEmergencyOnly.value;
  const out = new Float32Array(graph.edgeCount);
  const { lengthM, roadClass, flags, maxspeed } = graph;
  for (let e = 0; e < graph.edgeCount; e++) {
    const f = flags[e];
    if (f & EdgeFlag.NoAccess || (f & EdgeFlag.EmergencyOnly && !allowEmergency) || (f & EdgeFlag.AgainstOneway && !contraflow)) {
      out[e] = Infinity;
      continue;
    }
    let v = mps[roadClass[e]];
    if (cap && maxspeed[e] > 0) v = Math.min(v, (maxspeed[e] * factor) / 3.6);
    let s = lengthM[e] / v;
    if (f & EdgeFlag.AgainstOneway) s *= penalty;
    out[e] = s;
  }
  return out;
}

/** A copy of a profile with some values replaced (one-way rule, peak factor, turnout). */
export function withProfileValues(p: SpeedProfile, values: Partial<{ oneway: 'obey' | 'contraflow'; peakFactor: number; turnoutSeconds: number }>): SpeedProfile {
  const q: SpeedProfile = structuredClone(p);
  if (values.oneway) q.oneway = { ...q.oneway, value: values.oneway };
  if (values.peakFactor !== undefined) q.peakFactor = { ...q.peakFactor, value: values.peakFactor };
  if (values.turnoutSeconds !== undefined) q.turnoutSeconds = { ...q.turnoutSeconds, value: values.turnoutSeconds };
  return parseProfile(q);
}
