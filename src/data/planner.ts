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
  return { code: 'error', zh: s, en: s };
}
