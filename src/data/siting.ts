/** Siting rules of 建标152-2017 (geodata/standards/siting.json, compliance helper): kinds and distance thresholds. */
import { parseSitingRules, type SitingIssue, type SitingRules } from '../core/siting';

const files = import.meta.glob<unknown>('../../geodata/standards/siting.json', { eager: true, import: 'default' });

interface SitingFile {
  kinds?: Record<string, { zh?: string; en?: string }>;
  rules?: { id: string; kinds?: string[]; thresholdM?: number; clause?: string; clauseEn?: string; note?: string }[];
}

const raw = Object.values(files)[0];
const siting = (raw ?? {}) as SitingFile;

export function poiKindLabel(kind: string, lang: 'zh' | 'en'): string | undefined {
  return siting.kinds?.[kind]?.[lang];
}

/** The distance rule that applies to a POI kind: threshold and clause text in the language. */
export function poiRule(kind: string, lang: 'zh' | 'en'): { thresholdM: number; clause: string } | undefined {
  const r = siting.rules?.find((x) => x.kinds?.includes(kind) && typeof x.thresholdM === 'number');
  if (!r) return undefined;
  return { thresholdM: r.thresholdM!, clause: (lang === 'en' ? r.clauseEn : r.clause) ?? '' };
}

type Parsed = { ok: true; rules: SitingRules } | { ok: false; issues: SitingIssue[] };
const parsed: Parsed = raw === undefined
  ? { ok: false, issues: [{ path: '', zh: '缺少选址规则文件 siting.json', en: 'the siting rules file siting.json is missing' }] }
  : parseSitingRules(raw);

/** The validated siting rules, or the problems found in the file (shown to the user, never a silent pass). */
export function sitingRules(): Parsed {
  return parsed;
}
