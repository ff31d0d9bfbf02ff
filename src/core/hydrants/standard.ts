/** The hydrant figures of GB 50974-2014 §7.2 with their clauses (geodata/standards/hydrants/gb50974-2014.json), validated. */
import { plannerError } from '../errors';

export interface ClauseText {
  zh: string;
  en: string;
}

export interface HydrantStandard {
  name: ClauseText;
  /** Protection radius along the roads (m). */
  radiusM: number;
  /** Largest spacing between neighbouring hydrants along the roads (m). */
  spacingM: number;
  /** A hydrant farther than this from the road centre line is flagged (m, a setting). */
  farM: number;
  clauses: Record<'radius' | 'spacing' | 'far' | 'access', ClauseText>;
}

const FIGURES = { radius: 'protectionRadiusM', spacing: 'spacingM', far: 'farFromRoadM', access: 'engineAccess' } as const;

const bad = (file: string | undefined, detail: string) =>
  plannerError('bad-standard', '消火栓标准文件格式不正确', 'the hydrant standard file is malformed', { file, detail });

/** Reads the standard file's JSON; PlannerError 'bad-standard' naming the first bad field. */
export function parseHydrantStandard(obj: unknown, file?: string): HydrantStandard {
  const o = obj as { standard?: unknown; standardEn?: unknown; figures?: Record<string, { value?: unknown; clause?: unknown; clauseEn?: unknown }> };
  if (!o || typeof o !== 'object' || typeof o.standard !== 'string' || typeof o.standardEn !== 'string' || !o.figures || typeof o.figures !== 'object')
    throw bad(file, 'standard, standardEn and figures are required');
  const clauses = {} as HydrantStandard['clauses'];
  const value = {} as Record<keyof typeof FIGURES, number>;
  for (const [k, key] of Object.entries(FIGURES) as [keyof typeof FIGURES, string][]) {
    const f = o.figures[key];
    if (!f || typeof f.value !== 'number' || !(f.value > 0) || typeof f.clause !== 'string' || typeof f.clauseEn !== 'string')
      throw bad(file, `figures.${key} needs a positive value, clause and clauseEn`);
    value[k] = f.value;
    clauses[k] = { zh: f.clause, en: f.clauseEn };
  }
  return { name: { zh: o.standard, en: o.standardEn }, radiusM: value.radius, spacingM: value.spacing, farM: value.far, clauses };
}
