/**
 * Road-rule judgements for one way direction or one node, from its raw OSM facts (the tags the graph keeps):
 * access with mode precedence and :forward/:backward, one-way variants, construction, surface, ferries, size and
 * weight limits against a vehicle, barrier nodes. Pure functions of (facts, rules, vehicle).
 */
import type { AccessCategory, FlexibleOneway, RoadRules, Vehicle } from './roadRules';
import { parseLength, parseWeight } from './roadRulesUnits';

export type Facts = Readonly<Record<string, string>>;

/** Every rule that can close a road or block a node; closure codes in ruleClosures index this list. */
export const RULE_CODES = [
  'access', 'private', 'construction', 'impassable', 'ferry', 'reversible', 'barrier',
  'maxheight', 'maxwidth', 'maxlength', 'maxweight', 'maxaxleload',
] as const;
export type RuleCode = (typeof RULE_CODES)[number];

/** Short names of the rules (data card, legends). */
export const RULE_LABELS: Readonly<Record<RuleCode, { zh: string; en: string }>> = {
  access: { zh: '禁止通行', en: 'no access' },
  private: { zh: '私有道路', en: 'private road' },
  construction: { zh: '施工中', en: 'under construction' },
  impassable: { zh: '路面无法通行', en: 'impassable surface' },
  ferry: { zh: '轮渡', en: 'ferry' },
  reversible: { zh: '潮汐/交替通行车道', en: 'reversible road' },
  barrier: { zh: '路障', en: 'barrier' },
  maxheight: { zh: '限高', en: 'height limit' },
  maxwidth: { zh: '限宽', en: 'width limit' },
  maxlength: { zh: '限长', en: 'length limit' },
  maxweight: { zh: '限重', en: 'weight limit' },
  maxaxleload: { zh: '限轴重', en: 'axle-load limit' },
};

export interface RuleReason {
  code: RuleCode;
  zh: string;
  en: string;
}

/** The verdict for one direction of a way, or for a node. */
export interface Access {
  /** Usable by the vehicle (when emergencyOnly: only if the speed profile allows emergency-only roads). */
  ok: boolean;
  /** Closed to general traffic but open to a fire engine (emergency tags, emergency_access, private by the switch). */
  emergencyOnly?: boolean;
  /** Why it is closed, or why it is emergency-only. */
  reason?: RuleReason;
  /**
   * One-way verdict from an explicit tag: true = this direction runs against the flow (usable only in contraflow
   * mode), false = explicitly allowed; absent = no one-way tag (keep the graph's own AgainstOneway flag).
   */
  againstOneway?: boolean;
  /** The way is a ferry (allowed by the rules): its time comes from `duration`, not from a road speed. */
  ferry?: boolean;
}

type Dir = 'forward' | 'backward' | null;
interface Tagged { key: string; value: string }

/**
 * The first of `keys` tagged (direction-specific key before the plain one); the first of a ';' list. `known`: only
 * values it lists count (`emergency=fire_hydrant`, `emergency=phone` … are features, not access values).
 */
function tagged(facts: Facts, keys: readonly string[], dir: Dir, known?: Readonly<Record<string, unknown>>): Tagged | undefined {
  for (const k of keys) {
    const dk = dir ? `${k}:${dir}` : '';
    const key = dir && facts[dk] ? dk : facts[k] ? k : '';
    if (!key) continue;
    const value = facts[key].split(';')[0].trim();
    if (known && !Object.hasOwn(known, value)) continue;
    return { key, value };
  }
  return undefined;
}

const category = (rules: RoadRules, value: string): AccessCategory =>
  Object.hasOwn(rules.access.values, value) ? rules.access.values[value].value : rules.access.unknownValue.value;

const closed = (reason: RuleReason): Access => ({ ok: false, reason });
const emergencyOnly = (reason: RuleReason): Access => ({ ok: true, emergencyOnly: true, reason });

const accessClosed = (t: Tagged): RuleReason =>
  ({ code: 'access', zh: `禁止通行：${t.key}=${t.value}`, en: `no access: ${t.key}=${t.value}` });
const accessEmergency = (t: Tagged): RuleReason =>
  ({ code: 'access', zh: `仅限应急车辆：${t.key}=${t.value}`, en: `emergency vehicles only: ${t.key}=${t.value}` });
const privateReason = (t: Tagged, usable: boolean): RuleReason => usable
  ? { code: 'private', zh: `私有道路（${t.key}=${t.value}），仅应急通行`, en: `private road (${t.key}=${t.value}): emergency use only` }
  : { code: 'private', zh: `私有道路（${t.key}=${t.value}）`, en: `private road (${t.key}=${t.value})` };

/**
 * Access for a fire engine. `blockedBy` (a blocking barrier) makes "no tag" mean closed; an explicit tag that opens
 * the node to this vehicle (e.g. a rising bollard with emergency=yes) still lets it through.
 */
function judgeAccess(facts: Facts, dir: Dir, rules: RoadRules, blockedBy: RuleReason | null): Access {
  const em = tagged(facts, rules.access.emergencyKeys.value, dir, rules.access.values);
  const gen = tagged(facts, rules.access.precedence.value, dir);
  const genCat = gen ? category(rules, gen.value) : undefined;
  const generallyOpen = !blockedBy && (genCat === undefined || genCat === 'open');
  if (em) {
    if (category(rules, em.value) === 'closed') return closed(accessClosed(em));
    return generallyOpen ? { ok: true } : emergencyOnly(accessEmergency(em));
  }
  const service = facts.service;
  if (service && rules.access.emergencyServiceValues.value.includes(service) && !(gen && genCat === 'open'))
    return emergencyOnly(accessEmergency({ key: 'service', value: service }));
  if (!gen) return blockedBy ? closed(blockedBy) : { ok: true };
  switch (genCat) {
    case 'open': return { ok: true };
    case 'emergency': return emergencyOnly(accessEmergency(gen));
    case 'private': {
      const rule = rules.access.private.value;
      if (rule === 'open') return { ok: true };
      return rule === 'emergency-only' ? emergencyOnly(privateReason(gen, true)) : closed(privateReason(gen, false));
    }
    default: return closed(blockedBy ?? accessClosed(gen));
  }
}

interface Limit {
  code: 'maxheight' | 'maxwidth' | 'maxlength' | 'maxweight' | 'maxaxleload';
  of: 'heightM' | 'widthM' | 'lengthM' | 'weightT' | 'axleLoadT';
  parse: (v: string | undefined) => number;
  unit: { zh: string; en: string };
  what: { zh: string; en: string };
}
const METRE = { zh: '米', en: 'm' };
const TONNE = { zh: '吨', en: 't' };
const LIMITS: readonly Limit[] = [
  { code: 'maxheight', of: 'heightM', parse: parseLength, unit: METRE, what: { zh: '车高', en: 'vehicle height' } },
  { code: 'maxwidth', of: 'widthM', parse: parseLength, unit: METRE, what: { zh: '车宽', en: 'vehicle width' } },
  { code: 'maxlength', of: 'lengthM', parse: parseLength, unit: METRE, what: { zh: '车长', en: 'vehicle length' } },
  { code: 'maxweight', of: 'weightT', parse: parseWeight, unit: TONNE, what: { zh: '车重', en: 'vehicle weight' } },
  { code: 'maxaxleload', of: 'axleLoadT', parse: parseWeight, unit: TONNE, what: { zh: '轴重', en: 'axle load' } },
];
const fmt = (x: number) => String(Math.round(x * 100) / 100);

/** The tightest readable limit of this kind for the direction (key:dir, key, key:physical); Infinity when none. */
function limitOf(facts: Facts, code: string, dir: Dir, parse: (v: string | undefined) => number): number {
  let min = Infinity;
  for (const key of [dir ? `${code}:${dir}` : '', code, `${code}:physical`]) {
    const v = key ? parse(facts[key]) : NaN;
    if (v < min) min = v;
  }
  return min;
}

/**
 * The size/weight limits of a road in one direction that the vehicle passes, as one text ("限高 4.5 米（车高 3.4 米，
 * 可通行）"), code = the first limit's; undefined when it has none (or one it does not pass: see limitReason).
 */
export function passedLimits(facts: Facts, forward: boolean, vehicle: Vehicle): RuleReason | undefined {
  const zh: string[] = [], en: string[] = [];
  let code = '';
  for (const l of LIMITS) {
    const limit = limitOf(facts, l.code, forward ? 'forward' : 'backward', l.parse), own = vehicle[l.of].value;
    if (!Number.isFinite(limit) || own > limit) continue;
    code ||= l.code;
    const label = RULE_LABELS[l.code];
    zh.push(`${label.zh} ${fmt(limit)} ${l.unit.zh}（${l.what.zh} ${fmt(own)} ${l.unit.zh}，可通行）`);
    en.push(`${label.en} ${fmt(limit)} ${l.unit.en} (${l.what.en} ${fmt(own)} ${l.unit.en}: passes)`);
  }
  return code ? ({ code, zh: zh.join('；'), en: en.join('; ') } as RuleReason) : undefined;
}

/** The first size/weight limit the vehicle exceeds (a limit equal to the vehicle's figure passes). */
function limitReason(facts: Facts, dir: Dir, vehicle: Vehicle): RuleReason | undefined {
  for (const l of LIMITS) {
    const limit = limitOf(facts, l.code, dir, l.parse);
    const own = vehicle[l.of].value;
    if (own > limit) {
      const label = RULE_LABELS[l.code];
      return {
        code: l.code,
        zh: `${label.zh} ${fmt(limit)} ${l.unit.zh} < ${l.what.zh} ${fmt(own)} ${l.unit.zh}`,
        en: `${label.en} ${fmt(limit)} ${l.unit.en} < ${l.what.en} ${fmt(own)} ${l.unit.en}`,
      };
    }
  }
  return undefined;
}

const flexible = (rule: FlexibleOneway): boolean | 'closed' => (rule === 'closed' ? 'closed' : rule === 'against-oneway');

/**
 * One-way verdict for travel in the way's direction (forward) or against it: true = against the flow, false =
 * allowed, 'closed' = a reversible/alternating road the rules close, undefined = no one-way tag.
 */
export function onewayAgainst(facts: Facts, forward: boolean, rules: RoadRules): boolean | 'closed' | undefined {
  let v = tagged(facts, rules.oneway.precedence.value, null)?.value;
  if (v === undefined && facts.junction && rules.oneway.impliedByJunction.value.includes(facts.junction)) v = 'yes';
  switch (v) {
    case 'yes': case 'true': case '1': return !forward;
    case '-1': case 'reverse': return forward;
    case 'no': case 'false': case '0': return false;
    case 'reversible': return flexible(rules.oneway.reversible.value);
    case 'alternating': return flexible(rules.oneway.alternating.value);
    default: return undefined;
  }
}

/** Whether the vehicle may drive this way in its direction (forward = in the order of the way's nodes). */
export function edgeAccess(facts: Facts, forward: boolean, rules: RoadRules, vehicle: Vehicle): Access {
  if (facts.highway === 'construction' && rules.construction.highwayConstruction.value)
    return closed({ code: 'construction', zh: '施工中道路（highway=construction）', en: 'road under construction (highway=construction)' });
  if (facts.construction !== undefined && !rules.construction.openValues.value.includes(facts.construction))
    return closed({ code: 'construction', zh: `施工中（construction=${facts.construction}）`, en: `under construction (construction=${facts.construction})` });
  if (facts.smoothness !== undefined && rules.smoothness.closedValues.value.includes(facts.smoothness))
    return closed({ code: 'impassable', zh: `路面无法通行（smoothness=${facts.smoothness}）`, en: `impassable surface (smoothness=${facts.smoothness})` });
  const ferry = facts.route === 'ferry';
  if (ferry && !rules.ferry.allow.value)
    return closed({ code: 'ferry', zh: '轮渡（规则未启用轮渡）', en: 'ferry (ferries are off in the rules)' });
  const dir: Dir = forward ? 'forward' : 'backward';
  const access = judgeAccess(facts, dir, rules, null);
  if (!access.ok) return access;
  const limit = limitReason(facts, dir, vehicle);
  if (limit) return closed(limit);
  const against = onewayAgainst(facts, forward, rules);
  if (against === 'closed')
    return closed({ code: 'reversible', zh: `可变向车道（oneway=${facts.oneway ?? ''}）`, en: `reversible road (oneway=${facts.oneway ?? ''})` });
  const out: Access = { ...access };
  if (against !== undefined) out.againstOneway = against;
  if (ferry) out.ferry = true;
  return out;
}

/** Barrier names for messages (the rest show their OSM value). */
const BARRIER_ZH: Readonly<Record<string, string>> = {
  bollard: '隔离桩', block: '路墩', wall: '墙', fence: '围栏', kerb: '路缘石', chain: '拦车链', jersey_barrier: '水泥隔离墩',
  gate: '大门', swing_gate: '平开门', sliding_gate: '推拉门', lift_gate: '道闸', planter: '花箱', debris: '堆积物',
  cycle_barrier: '自行车栏', motorcycle_barrier: '摩托车栏', turnstile: '旋转闸门', stile: '台阶栅栏',
};

/**
 * Whether the vehicle may pass through a node: the barrier kind, then access tags and limits on the barrier node
 * (a height restrictor's maxheight). Tags on other nodes count only when the rules say so (barriers.tagsOnOtherNodes).
 */
export function nodePasses(facts: Facts, rules: RoadRules, vehicle: Vehicle): Access {
  const kind = facts.barrier;
  if (kind === undefined && !rules.barriers.tagsOnOtherNodes.value) return { ok: true };
  let blockedBy: RuleReason | null = null;
  if (kind !== undefined) {
    const rule = Object.hasOwn(rules.barriers.kinds, kind) ? rules.barriers.kinds[kind].value : rules.barriers.unknown.value;
    if (rule === 'block') {
      const zh = Object.hasOwn(BARRIER_ZH, kind) ? BARRIER_ZH[kind] : kind;
      blockedBy = { code: 'barrier', zh: `路障：${zh}（barrier=${kind}）`, en: `barrier: ${kind.replace(/_/g, ' ')} (barrier=${kind})` };
    }
  }
  const access = judgeAccess(facts, null, rules, blockedBy);
  if (!access.ok) return access;
  const limit = limitReason(facts, null, vehicle);
  return limit ? closed(limit) : access;
}
