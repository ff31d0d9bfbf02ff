/**
 * Response standards as data (geodata/standards/*.json): type, validator and helpers.
 * The core never reads files: callers (src/data, CLI, tests) load the JSON and pass it to parseStandard.
 */
import { plannerError, type PlannerError } from '../errors';
import type { StationClass } from '../types';

export const STANDARD_IDS = ['jianbiao152-2017', 'gb51080-2015', 'nfpa1710', 'agbf', 'custom'] as const;
export const DEFAULT_STANDARD_ID = 'jianbiao152-2017';
export const STATION_CLASSES: readonly StationClass[] = ['一级', '二级', '小型', '乡镇一级', '乡镇二级', '特勤'];

export interface Bilingual {
  zh: string;
  en: string;
}

/** One rule value with the citation key it comes from; `assumption` values are editable settings, not rules. */
export interface Rule<T = number> {
  value: T;
  cite: string;
  assumption?: boolean;
  min?: number;
  max?: number;
  note?: Bilingual;
}

export interface Standard {
  id: string;
  default?: boolean;
  editable?: boolean;
  name: Bilingual;
  short: Bilingual;
  turnoutS: Rule;
  travelLimitS: Rule;
  /** Share of the district-edge length that must be within the travel limit (1 = all of it). */
  complianceShare: Rule;
  areaLimitsKm2: Partial<Record<StationClass, Rule>>;
  nearSuburbKm2: Rule | null;
  barrierRule: Rule<boolean>;
  straightLine: { speedKmh: Rule; curvature: Rule };
  citations: Record<string, Bilingual>;
}

/** A citation as shown next to a verdict. */
export interface Citation extends Bilingual {
  key: string;
  assumption: boolean;
}

/** Bad standards data. Carries { code, zh, en } so the worker passes it on as a PlannerErrorInfo unchanged. */
/** Bad standard data: a PlannerError with code 'bad-standard', naming the bad field in both languages. */
export const standardError = (zh: string, en: string): PlannerError => plannerError('bad-standard', zh, en);

const isObj = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

function bilingual(v: unknown, where: string): Bilingual {
  if (!isObj(v) || typeof v.zh !== 'string' || typeof v.en !== 'string' || !v.zh || !v.en)
    throw standardError(`${where}：需要中英文文本 {zh, en}`, `${where}: expected bilingual text {zh, en}`);
  return { zh: v.zh, en: v.en };
}

function rule(v: unknown, where: string, citations: Record<string, Bilingual>, check: (x: number) => boolean, range: string): Rule {
  if (!isObj(v)) throw standardError(`${where}：缺少规则`, `${where}: rule missing`);
  const value = v.value;
  if (typeof value !== 'number' || !Number.isFinite(value) || !check(value))
    throw standardError(`${where}：数值 ${String(value)} 无效（应为 ${range}）`, `${where}: value ${String(value)} invalid (expected ${range})`);
  const cite = ruleCite(v, where, citations);
  const out: Rule = { value, cite };
  if (v.assumption === true) out.assumption = true;
  for (const k of ['min', 'max'] as const) if (typeof v[k] === 'number') out[k] = v[k] as number;
  if (out.min !== undefined && out.max !== undefined && (value < out.min || value > out.max))
    throw standardError(`${where}：数值 ${value} 超出范围 ${out.min}–${out.max}`, `${where}: value ${value} outside ${out.min}–${out.max}`);
  if (v.note !== undefined) out.note = bilingual(v.note, `${where}.note`);
  return out;
}

function ruleCite(v: Record<string, unknown>, where: string, citations: Record<string, Bilingual>): string {
  if (typeof v.cite !== 'string' || !citations[v.cite])
    throw standardError(`${where}：引用条文 "${String(v.cite)}" 不存在`, `${where}: citation "${String(v.cite)}" not found`);
  return v.cite;
}

const positive = (x: number) => x > 0;

/** Validates a parsed standards JSON. Throws a PlannerError (code bad-standard) (Chinese + English) naming the bad field. */
export function parseStandard(json: unknown): Standard {
  if (!isObj(json)) throw standardError('标准文件不是 JSON 对象', 'standard file is not a JSON object');
  const id = json.id;
  if (typeof id !== 'string' || !/^[a-z0-9-]+$/.test(id)) throw standardError('标准缺少有效的 id', 'standard has no valid id');
  const w = (k: string) => `${id}.${k}`;
  if (!isObj(json.citations)) throw standardError(`${w('citations')}：缺少条文引用`, `${w('citations')}: citations missing`);
  const citations: Record<string, Bilingual> = {};
  for (const [k, v] of Object.entries(json.citations)) citations[k] = bilingual(v, w(`citations.${k}`));
  const sec = (k: string) => rule(json[k], w(k), citations, (x) => x >= 0 && x <= 3600, '0–3600 s');
  const areaIn = json.areaLimitsKm2;
  if (!isObj(areaIn)) throw standardError(`${w('areaLimitsKm2')}：应为对象`, `${w('areaLimitsKm2')}: expected an object`);
  const areaLimitsKm2: Standard['areaLimitsKm2'] = {};
  for (const [k, v] of Object.entries(areaIn)) {
    if (!STATION_CLASSES.includes(k as StationClass))
      throw standardError(`${w('areaLimitsKm2')}：未知站级 "${k}"`, `${w('areaLimitsKm2')}: unknown station class "${k}"`);
    areaLimitsKm2[k as StationClass] = rule(v, w(`areaLimitsKm2.${k}`), citations, positive, '> 0 km²');
  }
  const sl = json.straightLine;
  if (!isObj(sl)) throw standardError(`${w('straightLine')}：缺少直线估算设置`, `${w('straightLine')}: straight-line settings missing`);
  const barrier = json.barrierRule;
  if (!isObj(barrier) || typeof barrier.value !== 'boolean')
    throw standardError(`${w('barrierRule')}：应为 {value: true|false, cite}`, `${w('barrierRule')}: expected {value: true|false, cite}`);
  const std: Standard = {
    id,
    name: bilingual(json.name, w('name')),
    short: bilingual(json.short, w('short')),
    turnoutS: sec('turnoutS'),
    travelLimitS: rule(json.travelLimitS, w('travelLimitS'), citations, (x) => x > 0 && x <= 3600, '1–3600 s'),
    complianceShare: rule(json.complianceShare, w('complianceShare'), citations, (x) => x > 0 && x <= 1, '0–1'),
    areaLimitsKm2,
    nearSuburbKm2: json.nearSuburbKm2 == null ? null : rule(json.nearSuburbKm2, w('nearSuburbKm2'), citations, positive, '> 0 km²'),
    barrierRule: { value: barrier.value, cite: ruleCite(barrier, w('barrierRule'), citations) },
    straightLine: {
      speedKmh: rule(sl.speedKmh, w('straightLine.speedKmh'), citations, (x) => x > 0 && x <= 150, '0–150 km/h'),
      curvature: rule(sl.curvature, w('straightLine.curvature'), citations, (x) => x >= 1 && x <= 3, '1–3'),
    },
    citations,
  };
  if (json.default === true) std.default = true;
  if (json.editable === true) std.editable = true;
  return std;
}

/** Editable settings a user may change on top of a preset (marked as user values in the report). */
export interface StandardOverrides {
  turnoutS?: number;
  travelLimitS?: number;
  complianceShare?: number;
  speedKmh?: number;
  curvature?: number;
  areaLimitsKm2?: Partial<Record<StationClass, number>>;
}

/** Returns a copy of `std` with the overrides applied (validated again; overridden values become assumptions). */
export function withOverrides(std: Standard, o: StandardOverrides): Standard {
  const json = structuredClone(std) as unknown as Record<string, any>;
  const set = (r: Record<string, unknown>, v: number | undefined) => {
    if (v === undefined) return;
    r.value = v;
    r.assumption = true;
    delete r.min;
    delete r.max;
  };
  set(json.turnoutS, o.turnoutS);
  set(json.travelLimitS, o.travelLimitS);
  set(json.complianceShare, o.complianceShare);
  set(json.straightLine.speedKmh, o.speedKmh);
  set(json.straightLine.curvature, o.curvature);
  for (const [k, v] of Object.entries(o.areaLimitsKm2 ?? {})) {
    if (!json.areaLimitsKm2[k]) json.areaLimitsKm2[k] = { value: v, cite: json.travelLimitS.cite };
    set(json.areaLimitsKm2[k], v);
  }
  return parseStandard(json);
}

export function citation(std: Standard, key: string, assumption = false): Citation {
  return { key, ...std.citations[key], assumption };
}

/** Area limit for a station class (near-suburb districts use the near-suburb limit where the standard has one). */
export function areaLimit(std: Standard, cls: StationClass, nearSuburb = false): Rule | null {
  if (nearSuburb && std.nearSuburbKm2) return std.nearSuburbKm2;
  return std.areaLimitsKm2[cls] ?? null;
}
