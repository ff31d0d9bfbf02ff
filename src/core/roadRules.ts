/**
 * A fire engine's road rules as data (geodata/profiles/road-rules.json, issue #17): which access values, one-way
 * variants, barriers, construction, surfaces, ferries and size/weight limits let a given vehicle through. The graph
 * stores the raw OSM facts; these rules are applied at load, so editing them never needs a graph rebuild.
 *
 * This module: the types and the validation of the rules file. The judgements live in roadRulesAccess.ts
 * (edgeAccess, nodePasses), the whole-graph pass in roadRulesGraph.ts (ruleClosures), value parsers in
 * roadRulesUnits.ts, the way-by-way count on raw OSM in roadRulesOsm.ts, map features in roadRulesFeatures.ts; all are
 * re-exported here. Why a refused route is refused: roadRulesRefusal.ts (used by the Router).
 *
 * Use at graph load (worker, CLI, bench): rules = parseRoadRules(json); vehicle = vehicleById(rules, id?);
 * closures = ruleClosures(graph, rules, vehicle, { isForward }) once per (graph, rules, vehicle); then
 * seconds = ruleEdgeSeconds(graph, profile, closures, { peak }) in place of edgeSeconds(graph, profile, { peak }).
 * closureRows(closures) is the data-card table; explainEdge(...) says why a refused edge is closed.
 */
import { plannerError } from './errors';
import type { Noted } from './profile';

export * from './roadRulesUnits';
export * from './roadRulesAccess';
export * from './roadRulesGraph';
export * from './roadRulesOsm';
export * from './roadRulesFeatures';

/** What an access value means for a fire engine: usable, never usable, private (see the switch), emergency-only. */
export type AccessCategory = 'open' | 'closed' | 'private' | 'emergency';
export type PrivateRule = 'open' | 'emergency-only' | 'closed';
/** How a one-way variant whose direction is not fixed is driven: as two-way, as against-the-flow both ways, or not. */
export type FlexibleOneway = 'both' | 'against-oneway' | 'closed';
export type BarrierRule = 'block' | 'pass';

export interface Vehicle {
  id: string;
  name: string;
  nameEn: string;
  note?: string;
  heightM: Noted<number>;
  widthM: Noted<number>;
  lengthM: Noted<number>;
  weightT: Noted<number>;
  axleLoadT: Noted<number>;
}

export interface RoadRules {
  id: string;
  name: string;
  nameEn: string;
  version?: number;
  note?: string;
  access: {
    /** Emergency modes, most specific first: a value here beats every general mode. */
    emergencyKeys: Noted<string[]>;
    /** General modes, most specific first (the first one tagged decides). */
    precedence: Noted<string[]>;
    values: Record<string, Noted<AccessCategory>>;
    /** Category of a value not listed in `values`. */
    unknownValue: Noted<AccessCategory>;
    private: Noted<PrivateRule>;
    /** `service=*` values that open a road to emergency vehicles only. */
    emergencyServiceValues: Noted<string[]>;
  };
  oneway: {
    precedence: Noted<string[]>;
    impliedByJunction: Noted<string[]>;
    reversible: Noted<FlexibleOneway>;
    alternating: Noted<FlexibleOneway>;
  };
  barriers: {
    kinds: Record<string, Noted<BarrierRule>>;
    unknown: Noted<BarrierRule>;
    /** Apply access tags and limits on nodes that are not barriers (false: only barrier nodes can block). */
    tagsOnOtherNodes: Noted<boolean>;
  };
  construction: {
    /** highway=construction closes the way. */
    highwayConstruction: Noted<boolean>;
    /** construction=* values that leave the road open. */
    openValues: Noted<string[]>;
  };
  smoothness: { closedValues: Noted<string[]> };
  ferry: {
    allow: Noted<boolean>;
    defaultSpeedKmh: Noted<number>;
    durationSource?: Noted<string>;
  };
  defaultVehicle: Noted<string>;
  vehicles: Vehicle[];
}

export interface RulesIssue {
  path: string;
  zh: string;
  en: string;
}

const isObj = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const ACCESS_CATEGORIES: readonly string[] = ['open', 'closed', 'private', 'emergency'];
const PRIVATE_RULES: readonly string[] = ['open', 'emergency-only', 'closed'];
const FLEXIBLE: readonly string[] = ['both', 'against-oneway', 'closed'];
const BARRIER_RULES: readonly string[] = ['block', 'pass'];
/** A vehicle's size and weight alone (metres, tonnes): what a planner can edit. */
export interface VehicleFigures {
  heightM: number;
  widthM: number;
  lengthM: number;
  weightT: number;
  axleLoadT: number;
}
/** Vehicle figures, their plausible ranges, units and names (the rules file and a planner's edit are held to them). */
export const DIMENSIONS: readonly { key: keyof VehicleFigures; min: number; max: number; unit: 'm' | 't'; zh: string; en: string }[] = [
  { key: 'heightM', min: 1, max: 6, unit: 'm', zh: '车高', en: 'height' },
  { key: 'widthM', min: 1, max: 4, unit: 'm', zh: '车宽', en: 'width' },
  { key: 'lengthM', min: 2, max: 30, unit: 'm', zh: '车长', en: 'length' },
  { key: 'weightT', min: 0.5, max: 100, unit: 't', zh: '满载总质量', en: 'laden mass' },
  { key: 'axleLoadT', min: 0.5, max: 40, unit: 't', zh: '轴荷', en: 'axle load' },
];

/** Checks an untrusted rules object. Returns every problem found (empty = valid), in zh and en. */
export function validateRoadRules(input: unknown): RulesIssue[] {
  const issues: RulesIssue[] = [];
  const bad = (path: string, zh: string, en: string) => { issues.push({ path, zh, en }); };
  if (!isObj(input)) {
    bad('', '道路通行规则必须是 JSON 对象', 'road rules must be a JSON object');
    return issues;
  }
  /** A {"value": …, "source"|"assumption": …} entry; returns its value, or undefined after reporting. */
  const noted = (obj: unknown, path: string): unknown => {
    if (!isObj(obj) || !('value' in obj)) {
      bad(path, `缺少字段 ${path}（需为 {"value": …}）`, `missing field ${path} (expected {"value": …})`);
      return undefined;
    }
    if (typeof obj.source !== 'string' && typeof obj.assumption !== 'string')
      bad(path, `${path} 缺少依据（source）或假设说明（assumption）`, `${path} has neither a source nor an assumption`);
    return obj.value;
  };
  const oneOf = (obj: unknown, path: string, allowed: readonly string[]) => {
    const v = noted(obj, path);
    if (v !== undefined && !(typeof v === 'string' && allowed.includes(v)))
      bad(path, `${path} 必须是 ${allowed.join(' / ')} 之一（当前：${JSON.stringify(v)}）`, `${path} must be one of ${allowed.join(' / ')} (got ${JSON.stringify(v)})`);
  };
  const strings = (obj: unknown, path: string) => {
    const v = noted(obj, path);
    if (v !== undefined && !(Array.isArray(v) && v.every((x) => typeof x === 'string' && x)))
      bad(path, `${path} 必须是字符串数组`, `${path} must be an array of strings`);
  };
  const bool = (obj: unknown, path: string) => {
    const v = noted(obj, path);
    if (v !== undefined && typeof v !== 'boolean') bad(path, `${path} 必须是 true/false`, `${path} must be true/false`);
  };
  const number = (obj: unknown, path: string, min: number, max: number) => {
    const v = noted(obj, path);
    if (v !== undefined && (typeof v !== 'number' || !Number.isFinite(v) || v < min || v > max))
      bad(path, `${path} 必须是 ${min}–${max} 之间的数字（当前：${JSON.stringify(v)}）`, `${path} must be a number in ${min}–${max} (got ${JSON.stringify(v)})`);
  };
  const section = (key: string): Record<string, unknown> => {
    const s = input[key];
    if (isObj(s)) return s;
    bad(key, `缺少部分 ${key}`, `missing section ${key}`);
    return {};
  };
  const map = (obj: unknown, path: string, allowed: readonly string[]) => {
    if (!isObj(obj)) { bad(path, `缺少 ${path}`, `missing ${path}`); return; }
    for (const [k, v] of Object.entries(obj)) oneOf(v, `${path}.${k}`, allowed);
  };

  if (typeof input.id !== 'string' || !input.id) bad('id', '缺少规则编号 id', 'missing rules id');
  if (typeof input.name !== 'string') bad('name', '缺少规则名称 name', 'missing rules name');

  const access = section('access');
  strings(access.emergencyKeys, 'access.emergencyKeys');
  strings(access.precedence, 'access.precedence');
  map(access.values, 'access.values', ACCESS_CATEGORIES);
  oneOf(access.unknownValue, 'access.unknownValue', ACCESS_CATEGORIES);
  oneOf(access.private, 'access.private', PRIVATE_RULES);
  strings(access.emergencyServiceValues, 'access.emergencyServiceValues');

  const oneway = section('oneway');
  strings(oneway.precedence, 'oneway.precedence');
  strings(oneway.impliedByJunction, 'oneway.impliedByJunction');
  oneOf(oneway.reversible, 'oneway.reversible', FLEXIBLE);
  oneOf(oneway.alternating, 'oneway.alternating', FLEXIBLE);

  const barriers = section('barriers');
  map(barriers.kinds, 'barriers.kinds', BARRIER_RULES);
  oneOf(barriers.unknown, 'barriers.unknown', BARRIER_RULES);
  bool(barriers.tagsOnOtherNodes, 'barriers.tagsOnOtherNodes');

  const construction = section('construction');
  bool(construction.highwayConstruction, 'construction.highwayConstruction');
  strings(construction.openValues, 'construction.openValues');
  strings(section('smoothness').closedValues, 'smoothness.closedValues');

  const ferry = section('ferry');
  bool(ferry.allow, 'ferry.allow');
  number(ferry.defaultSpeedKmh, 'ferry.defaultSpeedKmh', 1, 100);

  const ids: string[] = [];
  if (!Array.isArray(input.vehicles) || input.vehicles.length === 0) bad('vehicles', '至少需要一种车辆 vehicles', 'vehicles must list at least one vehicle');
  else input.vehicles.forEach((v: unknown, i: number) => {
    const path = `vehicles[${i}]`;
    if (!isObj(v)) { bad(path, `${path} 必须是对象`, `${path} must be an object`); return; }
    if (typeof v.id !== 'string' || !v.id) bad(`${path}.id`, `${path} 缺少编号 id`, `${path} has no id`);
    else if (ids.includes(v.id)) bad(`${path}.id`, `车辆编号 ${v.id} 重复`, `duplicate vehicle id ${v.id}`);
    else ids.push(v.id);
    if (typeof v.name !== 'string') bad(`${path}.name`, `${path} 缺少名称 name`, `${path} has no name`);
    for (const d of DIMENSIONS) number(v[d.key], `${path}.${d.key}`, d.min, d.max);
  });
  const def = noted(input.defaultVehicle, 'defaultVehicle');
  if (def !== undefined && !(typeof def === 'string' && ids.includes(def)) && Array.isArray(input.vehicles))
    bad('defaultVehicle', `默认车辆 ${JSON.stringify(def)} 不在 vehicles 中`, `default vehicle ${JSON.stringify(def)} is not among the vehicles`);
  return issues;
}

/** Validates and returns the rules typed; throws PlannerError 'bad-road-rules' listing every problem. */
export function parseRoadRules(input: unknown, file?: string): RoadRules {
  const issues = validateRoadRules(input);
  if (issues.length) {
    const zh = `道路通行规则有 ${issues.length} 处错误：${issues.map((i) => i.zh).join('；')}`;
    const en = `road rules have ${issues.length} problem(s): ${issues.map((i) => i.en).join('; ')}`;
    throw plannerError('bad-road-rules', zh, en, { ...(file ? { file } : {}), detail: issues.map((i) => i.path || '(root)').join(', ') });
  }
  const r = input as RoadRules;
  const vehicles = r.vehicles.map((v) => ({ ...v, nameEn: typeof v.nameEn === 'string' ? v.nameEn : v.name }));
  return { ...r, nameEn: typeof r.nameEn === 'string' ? r.nameEn : r.name, vehicles };
}

/** The vehicle with this id (the rules' default when omitted); PlannerError 'unknown-vehicle' otherwise. */
export function vehicleById(rules: RoadRules, id?: string): Vehicle {
  const want = id ?? rules.defaultVehicle.value;
  const v = rules.vehicles.find((x) => x.id === want);
  if (!v) {
    const known = rules.vehicles.map((x) => x.id).join(', ');
    throw plannerError('unknown-vehicle', `未知车辆 ${want}（可选：${known}）`, `unknown vehicle ${want} (known: ${known})`);
  }
  return v;
}

/** A vehicle's figures as plain numbers. */
export const figuresOf = (v: Vehicle): VehicleFigures => ({
  heightM: v.heightM.value, widthM: v.widthM.value, lengthM: v.lengthM.value, weightT: v.weightT.value, axleLoadT: v.axleLoadT.value,
});

/** Problems of a planner's edit of a vehicle's figures, one per bad field (empty = valid), in zh and en. */
export function vehicleFiguresIssues(input: unknown): RulesIssue[] {
  if (!isObj(input)) return [{ path: '', zh: '车辆参数必须是对象', en: 'the vehicle figures must be an object' }];
  const issues: RulesIssue[] = [];
  for (const d of DIMENSIONS) {
    const v = input[d.key];
    if (typeof v !== 'number' || !Number.isFinite(v) || v < d.min || v > d.max) {
      const got = typeof v === 'number' && Number.isFinite(v) ? `${v} ${d.unit}` : JSON.stringify(v ?? null);
      issues.push({
        path: d.key,
        zh: `${d.zh}须在 ${d.min}–${d.max} ${d.unit} 之间（当前：${got}）`,
        en: `${d.en} must be between ${d.min} and ${d.max} ${d.unit} (got ${got})`,
      });
    }
  }
  return issues;
}

/**
 * The vehicle with a planner's figures in place of the file's (null/undefined: the vehicle unchanged). Each figure
 * edited is noted as the planner's. PlannerError 'bad-vehicle-figures' listing every bad field.
 */
export function withFigures(v: Vehicle, figures?: VehicleFigures | null): Vehicle {
  if (figures === undefined || figures === null) return v;
  const issues = vehicleFiguresIssues(figures);
  if (issues.length) {
    throw plannerError('bad-vehicle-figures', `车辆参数有 ${issues.length} 处错误：${issues.map((i) => i.zh).join('；')}`,
      `the vehicle figures have ${issues.length} problem(s): ${issues.map((i) => i.en).join('; ')}`, { detail: issues.map((i) => i.path).join(', ') });
  }
  const out: Vehicle = { ...v };
  for (const d of DIMENSIONS) {
    if (figures[d.key] !== v[d.key].value) out[d.key] = { value: figures[d.key], assumption: 'edited by the planner' };
  }
  return out;
}

/** Whether two vehicles are the same vehicle with the same figures. */
export const sameVehicle = (a: Vehicle, b: Vehicle): boolean => a.id === b.id && DIMENSIONS.every((d) => a[d.key].value === b[d.key].value);
