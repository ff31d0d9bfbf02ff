/**
 * The one error type of the planner: a stable `code`, the message in Chinese and English, and optionally the file
 * it concerns and a technical detail. Core, pipeline, worker, CLI and UI all throw and pass this shape; the UI and
 * the CLI pick the language (no message is ever split apart). Across the worker it travels as plain data
 * (PlannerErrorInfo), since structured cloning keeps only an Error's message.
 */
export interface PlannerErrorInfo {
  code: string;
  zh: string;
  en: string;
  file?: string;
  detail?: string;
}

export type Lang = 'zh' | 'en';

export class PlannerError extends Error implements PlannerErrorInfo {
  readonly code: string;
  readonly zh: string;
  readonly en: string;
  readonly file?: string;
  readonly detail?: string;
  constructor(info: PlannerErrorInfo) {
    super(info.en);
    this.name = 'PlannerError';
    this.code = info.code;
    this.zh = info.zh;
    this.en = info.en;
    if (info.file !== undefined) this.file = info.file;
    if (info.detail !== undefined) this.detail = info.detail;
  }
  /** The plain-data form (what crosses the worker boundary). */
  info(): PlannerErrorInfo {
    return errorInfo(this.code, this.zh, this.en, this.file, this.detail);
  }
}

/** Shorthand: new PlannerError({ code, zh, en, file?, detail? }). */
export const plannerError = (code: string, zh: string, en: string, extra: { file?: string; detail?: string } = {}): PlannerError =>
  new PlannerError({ code, zh, en, ...extra });

function errorInfo(code: string, zh: string, en: string, file?: string, detail?: string): PlannerErrorInfo {
  const o: PlannerErrorInfo = { code, zh, en };
  if (file !== undefined) o.file = file;
  if (detail !== undefined) o.detail = detail;
  return o;
}

export function isErrorInfo(e: unknown): e is PlannerErrorInfo {
  if (typeof e !== 'object' || e === null) return false;
  const o = e as Record<string, unknown>;
  return typeof o.code === 'string' && typeof o.zh === 'string' && typeof o.en === 'string';
}

/**
 * Anything thrown, as plain PlannerErrorInfo: planner errors keep their fields; anything else (a bug, a library's
 * exception) becomes code 'internal' with its own message as the detail.
 */
export function toErrorInfo(e: unknown): PlannerErrorInfo {
  if (isErrorInfo(e)) return errorInfo(e.code, e.zh, e.en, e.file, e.detail);
  const detail = e instanceof Error ? e.message : String(e);
  return errorInfo('internal', '内部错误', 'internal error', undefined, detail);
}

/** The message in one language, with the file name and detail when present (for CLI output and logs). */
export function errorText(e: PlannerErrorInfo, lang: Lang): string {
  const msg = lang === 'zh' ? e.zh : e.en;
  const file = e.file && !msg.includes(e.file) ? (lang === 'zh' ? `（文件：${e.file}）` : ` (file: ${e.file})`) : '';
  const detail = e.detail ? (lang === 'zh' ? `：${e.detail}` : `: ${e.detail}`) : '';
  return msg + file + detail;
}

/** A value as short JSON for a message: never throws (a deeply nested value is named, not serialised). */
export function shortJson(v: unknown, max = 60): string {
  try {
    return String(JSON.stringify(v)).slice(0, max);
  } catch {
    return Array.isArray(v) ? '[…]' : typeof v === 'object' && v !== null ? '{…}' : String(v).slice(0, max);
  }
}
