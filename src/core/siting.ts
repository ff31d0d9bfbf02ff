/**
 * Siting checklist for a (proposed) station site — 建标152-2017 siting article.
 * Rules and thresholds are data (geodata/standards/siting.json, parsed with parseSitingRules); POIs are points
 * (pois.geojson: kind + name) that stand in for the entrances / hazardous parts the standard measures from.
 * Missing data is reported as 'no-data', never as a pass.
 */
import type { FeatureCollection, Point } from 'geojson';
import { haversineM, metresPerDegree } from './geo';

export type SitingStatus = 'pass' | 'fail' | 'no-data';
export type SitingTest = 'min-distance' | 'max-road-distance' | 'manual';

export interface SitingRule {
  id: string;
  /** POI kinds the rule applies to (one checklist item per kind); empty for road/manual rules. */
  kinds: string[];
  test: SitingTest;
  thresholdM: number;
  /** 'confirmed' = read in the standard; 'assumption' = editable planning value. */
  basis: 'confirmed' | 'assumption';
  clause: string;
  clauseEn: string;
  /** Templates with {kind} and {m}. */
  rule_zh: string;
  rule_en: string;
}

export interface SitingRules {
  id: string;
  standard: string;
  standardEn: string;
  kinds: Record<string, { zh: string; en: string }>;
  rules: SitingRule[];
}

export interface SitingIssue {
  path: string;
  zh: string;
  en: string;
}

export interface SitingCheckItem {
  /** Rule id, plus '-<kind>' for per-kind items (e.g. 'crowded-school'). */
  id: string;
  ruleId: string;
  kind?: string;
  rule_zh: string;
  rule_en: string;
  clause: string;
  clauseEn: string;
  basis: 'confirmed' | 'assumption';
  thresholdM: number;
  status: SitingStatus;
  /** Distance to the nearest POI of the kind (or to the nearest road), metres. */
  distanceM?: number;
  nearest?: { name: string; kind: string; lon: number; lat: number };
  /** Why the status is what it is (always set for 'no-data'). */
  note_zh?: string;
  note_en?: string;
}

export interface PoiProps {
  kind: string;
  name: string;
}

export interface SitingOptions {
  rules: SitingRules;
  /**
   * Nearest drivable road to the site (e.g. the worker's snap result: distanceM, lon, lat, roadName).
   * null / undefined = no road network loaded → the road-frontage item is 'no-data'.
   */
  road?: { distanceM: number; lon?: number; lat?: number; roadName?: string } | null;
  /**
   * [minLon, minLat, maxLon, maxLat] the POI data covers. When given, a kind with no POI inside the threshold
   * is only a pass if the whole threshold circle lies inside this box.
   */
  coverage?: [number, number, number, number];
  /** Override thresholds per rule id (editable assumptions), metres. */
  thresholdsM?: Record<string, number>;
}

const isObj = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const TESTS: SitingTest[] = ['min-distance', 'max-road-distance', 'manual'];

/** Validates siting.json content. Every problem is listed, in Chinese and English. */
export function parseSitingRules(input: unknown): { ok: true; rules: SitingRules } | { ok: false; issues: SitingIssue[] } {
  const issues: SitingIssue[] = [];
  const bad = (path: string, zh: string, en: string) => issues.push({ path, zh, en });
  if (!isObj(input)) return { ok: false, issues: [{ path: '', zh: '选址规则必须是 JSON 对象', en: 'siting rules must be a JSON object' }] };
  const str = (o: Record<string, unknown>, key: string, path: string): string => {
    const v = o[key];
    if (typeof v !== 'string' || !v) bad(`${path}${key}`, `缺少文本字段 ${path}${key}`, `missing text field ${path}${key}`);
    return typeof v === 'string' ? v : '';
  };
  const kinds: SitingRules['kinds'] = {};
  if (!isObj(input.kinds)) bad('kinds', '缺少 POI 类型名称表 kinds', 'missing POI kind labels (kinds)');
  else
    for (const [k, v] of Object.entries(input.kinds)) {
      if (!isObj(v)) bad(`kinds.${k}`, `类型 ${k} 缺少中英文名称`, `kind ${k} needs zh and en labels`);
      else kinds[k] = { zh: str(v, 'zh', `kinds.${k}.`), en: str(v, 'en', `kinds.${k}.`) };
    }
  const rules: SitingRule[] = [];
  if (!Array.isArray(input.rules) || input.rules.length === 0) bad('rules', '缺少规则列表 rules', 'missing rule list (rules)');
  else
    input.rules.forEach((r: unknown, i: number) => {
      const p = `rules[${i}].`;
      if (!isObj(r)) return bad(`rules[${i}]`, '规则必须是对象', 'a rule must be an object');
      const test = r.test as SitingTest;
      if (!TESTS.includes(test)) bad(`${p}test`, `未知的检查方式：${String(r.test)}`, `unknown test: ${String(r.test)}`);
      const t = r.thresholdM;
      if (typeof t !== 'number' || !Number.isFinite(t) || t < 0 || t > 10000)
        bad(`${p}thresholdM`, '阈值 thresholdM 必须是 0–10000 之间的米数', 'thresholdM must be a number of metres in 0–10000');
      const ks = r.kinds === undefined ? [] : r.kinds;
      if (!Array.isArray(ks) || ks.some((k) => typeof k !== 'string' || !Object.hasOwn(kinds, k)))
        bad(`${p}kinds`, 'kinds 必须是已在 kinds 表中定义的类型列表', 'kinds must list kinds defined in the kinds table');
      if (test === 'min-distance' && Array.isArray(ks) && ks.length === 0)
        bad(`${p}kinds`, '距离规则至少需要一个 POI 类型', 'a distance rule needs at least one POI kind');
      if (r.basis !== 'confirmed' && r.basis !== 'assumption')
        bad(`${p}basis`, 'basis 必须是 confirmed 或 assumption', "basis must be 'confirmed' or 'assumption'");
      rules.push({
        id: str(r, 'id', p), kinds: Array.isArray(ks) ? (ks as string[]) : [], test, thresholdM: t as number,
        basis: r.basis as SitingRule['basis'], clause: str(r, 'clause', p), clauseEn: str(r, 'clauseEn', p),
        rule_zh: str(r, 'rule_zh', p), rule_en: str(r, 'rule_en', p),
      });
    });
  if (issues.length) return { ok: false, issues };
  return {
    ok: true,
    rules: { id: str(input, 'id', ''), standard: String(input.standard ?? ''), standardEn: String(input.standardEn ?? ''), kinds, rules },
  };
}

const fill = (tpl: string, kind: string, m: number) => tpl.replaceAll('{kind}', kind).replaceAll('{m}', String(m));

/** Whether the circle of radius r (metres) around the point lies inside the bbox. */
function circleInside(lon: number, lat: number, r: number, b: [number, number, number, number]): boolean {
  const { mx, my } = metresPerDegree(lat);
  return lon - r / mx >= b[0] && lat - r / my >= b[1] && lon + r / mx <= b[2] && lat + r / my <= b[3];
}

/**
 * The checklist for one site. `pois` null = no POI file for this place (every POI item is 'no-data').
 * POIs with a non-Point geometry or invalid coordinates are ignored.
 */
export function sitingChecks(
  site: { lon: number; lat: number },
  pois: FeatureCollection<Point, PoiProps> | null,
  opts: SitingOptions,
): SitingCheckItem[] {
  const { rules } = opts;
  // nearest POI per kind
  const nearest = new Map<string, { d: number; name: string; lon: number; lat: number }>();
  for (const f of pois?.features ?? []) {
    const c = f?.geometry?.type === 'Point' ? f.geometry.coordinates : null;
    const kind = f?.properties?.kind;
    if (!c || typeof kind !== 'string' || !Number.isFinite(c[0]) || !Number.isFinite(c[1])) continue;
    const d = haversineM(site.lon, site.lat, c[0], c[1]);
    const best = nearest.get(kind);
    if (!best || d < best.d) nearest.set(kind, { d, name: typeof f.properties.name === 'string' ? f.properties.name : '', lon: c[0], lat: c[1] });
  }
  const items: SitingCheckItem[] = [];
  for (const rule of rules.rules) {
    const m = opts.thresholdsM?.[rule.id] ?? rule.thresholdM;
    const base = { ruleId: rule.id, clause: rule.clause, clauseEn: rule.clauseEn, basis: rule.basis, thresholdM: m };
    if (rule.test === 'min-distance') {
      for (const kind of rule.kinds) {
        const label = rules.kinds[kind] ?? { zh: kind, en: kind };
        const item: SitingCheckItem = { id: `${rule.id}-${kind}`, kind, rule_zh: fill(rule.rule_zh, label.zh, m), rule_en: fill(rule.rule_en, label.en, m), ...base, status: 'no-data' };
        const n = nearest.get(kind);
        if (!pois) {
          item.note_zh = '本地区没有 POI 数据，无法检查';
          item.note_en = 'No POI data for this place: cannot be checked';
        } else if (!n) {
          item.note_zh = `POI 数据中没有${label.zh}，无法检查（数据缺失不等于没有）`;
          item.note_en = `The POI data has no ${label.en}: cannot be checked (missing data does not mean there is none)`;
        } else {
          item.distanceM = n.d;
          item.nearest = { name: n.name, kind, lon: n.lon, lat: n.lat };
          if (n.d < m) item.status = 'fail';
          else if (opts.coverage && !circleInside(site.lon, site.lat, m, opts.coverage)) {
            item.note_zh = `站址 ${m} m 范围超出 POI 数据覆盖范围，无法确认`;
            item.note_en = `The ${m} m circle around the site extends beyond the POI data coverage: cannot be confirmed`;
          } else item.status = 'pass';
        }
        items.push(item);
      }
    } else if (rule.test === 'max-road-distance') {
      const item: SitingCheckItem = { id: rule.id, rule_zh: fill(rule.rule_zh, '', m), rule_en: fill(rule.rule_en, '', m), ...base, status: 'no-data' };
      const r = opts.road;
      if (!r || !Number.isFinite(r.distanceM)) {
        item.note_zh = '未加载路网，无法检查临街条件';
        item.note_en = 'No road network loaded: street frontage cannot be checked';
      } else {
        item.distanceM = r.distanceM;
        if (r.lon !== undefined && r.lat !== undefined) item.nearest = { name: r.roadName ?? '', kind: 'road', lon: r.lon, lat: r.lat };
        item.status = r.distanceM <= m ? 'pass' : 'fail';
      }
      items.push(item);
    } else {
      items.push({
        id: rule.id, rule_zh: fill(rule.rule_zh, '', m), rule_en: fill(rule.rule_en, '', m), ...base, status: 'no-data',
        note_zh: '需人工核查（总平面图）', note_en: 'Manual check (site plan)',
      });
    }
  }
  return items;
}

/** Counts per status, e.g. for a badge: { pass, fail, 'no-data' }. */
export function sitingSummary(items: SitingCheckItem[]): Record<SitingStatus, number> {
  const out: Record<SitingStatus, number> = { pass: 0, fail: 0, 'no-data': 0 };
  for (const i of items) out[i.status]++;
  return out;
}
