import type { TFunction } from 'i18next';
import { errorText, toErrorInfo } from '../core/errors';
import type { Lang } from './index';
import { fmtMmss } from '../core/format';

/**
 * A message in the store: an i18n key with params, or a PlannerError's fields (code, zh, en, file, detail) as
 * they came from the worker or a reader; `detail` is untranslated technical text.
 */
export interface MsgLike {
  key: string;
  params?: Record<string, string | number>;
  code?: string;
  zh?: string;
  en?: string;
  file?: string;
  detail?: string;
}

/** Anything thrown (a PlannerError, the worker's PlannerErrorInfo, a bug) as a store message, fields kept as they are. */
export function errorMsg(e: unknown): MsgLike & { code: string; zh: string; en: string } {
  return { key: 'errors.generic', ...toErrorInfo(e) };
}

/** The message in the UI language: the error's own text in that language (with file and detail), or the i18n key's. */
export function msgText(t: TFunction, lang: Lang, m: MsgLike): string {
  if (m.zh !== undefined && m.en !== undefined) return errorText({ code: m.code ?? m.key, zh: m.zh, en: m.en, file: m.file, detail: m.detail }, lang);
  const base = t(m.key, { ...(m.params ?? {}) }) as string;
  return m.detail ? `${base} (${m.detail})` : base;
}

/** One language's half of a bilingual profile name "中文 / English" (the whole name when it has no halves). */
export function profileLabel(name: string, lang: 'zh' | 'en'): string {
  const parts = name.split(' / ');
  return parts.length === 2 ? parts[lang === 'en' ? 1 : 0] : name;
}

/** Seconds as m:ss, rounded to the whole second first (299.6 s → "5:00", never "4:60"): the one rule, src/core/format.ts. */
export function mmss(seconds: number): string {
  return fmtMmss(seconds);
}

/** A time shown to people: m:ss everywhere (issue 14: one formatting rule; `t` kept for the callers). */
export function fmtDuration(_t: TFunction, seconds: number): string {
  return fmtMmss(seconds);
}

export function fmtDistance(t: TFunction, metres: number): string {
  return metres >= 1000 ? t('units.km', { v: (metres / 1000).toFixed(metres >= 10000 ? 1 : 2) }) : t('units.m', { v: Math.round(metres) });
}
