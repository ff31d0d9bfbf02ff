/** The planner worker client (src/worker/client.ts), created lazily; reset() replaces it (cancel of an import). */
import { createPlannerClient, isStale, type PlannerClient } from '../worker/client';

export { isStale };
export type { PlannerClient };

let client: PlannerClient | null = null;

export async function planner(): Promise<PlannerClient> {
  client ??= createPlannerClient();
  return client;
}

/** Uses this client instead of a worker (tests: an in-process API behind a message channel). */
export function setPlannerClient(c: PlannerClient | null): void {
  client = c;
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
