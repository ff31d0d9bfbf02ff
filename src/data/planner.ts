/** The planner worker client (src/worker/client.ts), created lazily; reset() replaces it (cancel of an import). */
import { createPlannerClient, isStale, type PlannerClient } from '../worker/client';
import type { PlannerErrorInfo } from '../worker/protocol';

export { isStale };
export type { PlannerClient };

let client: PlannerClient | null = null;

export async function planner(): Promise<PlannerClient> {
  client ??= createPlannerClient();
  return client;
}

/** Stops the worker (e.g. to cancel a long import); the next call to planner() starts a fresh one. */
export async function resetPlanner(): Promise<void> {
  const old = client;
  client = null;
  try {
    old?.terminate();
  } catch {
    /* already gone */
  }
}

/** Normalises anything thrown by the worker into a bilingual error. */
export function toPlannerError(e: unknown): PlannerErrorInfo {
  const o = e as Partial<PlannerErrorInfo> & { message?: string };
  if (o && typeof o.zh === 'string' && typeof o.en === 'string') return { code: o.code ?? 'error', zh: o.zh, en: o.en };
  const s = o && typeof o.message === 'string' ? o.message : String(e);
  return { code: 'error', ...splitBilingual(s) };
}

const CJK = /[\u4e00-\u9fff]/;

/**
 * Splits an "English / 中文" (or "中文 / English") error text into its two languages, so a message that arrives as
 * plain text is still shown in one language only. Text that is not bilingual is used for both.
 */
export function splitBilingual(s: string): { zh: string; en: string } {
  const cut = s.indexOf(' / ');
  if (cut > 0) {
    const a = s.slice(0, cut).trim(), b = s.slice(cut + 3).trim();
    if (CJK.test(b) && !CJK.test(a)) return { zh: b, en: a };
    if (CJK.test(a) && !CJK.test(b)) return { zh: a, en: b };
  }
  return { zh: s, en: s };
}
