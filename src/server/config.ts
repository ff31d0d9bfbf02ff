/**
 * The team server's numbers (src/server/config.json, data not code): log-in rate limits, session lifetime and how
 * often expired sessions are deleted, the network cache's bounds, the optimizer's time limits, a check's first
 * margin. Tests and callers
 * override parts through ServerConfigOverrides.
 */
import defaults from './config.json';
import { plannerError } from '../core/errors';

export interface ServerConfig {
  login: { maxFailuresPerName: number; maxFailuresPerAddress: number; windowSeconds: number };
  sessions: { lifetimeSeconds: number; cleanupSeconds: number };
  networkCache: { entries: number; megabytes: number };
  /** cooldownSeconds: after a run, the same user waits this long before the next (429 with Retry-After). */
  optimize: { defaultTimeLimitSeconds: number; maxTimeLimitSeconds: number; maxRunSeconds: number; cooldownSeconds: number };
  /** A check first loads the roads reached in startSeconds at the fastest speed around its area (then grows). */
  check: { startSeconds: number };
}

export type ServerConfigOverrides = { [K in keyof ServerConfig]?: Partial<ServerConfig[K]> };

/** The defaults of config.json with the overrides on top; every number must be positive. */
export function serverConfig(over: ServerConfigOverrides = {}): ServerConfig {
  const base = defaults as ServerConfig;
  const out = {} as Record<string, Record<string, number>>;
  for (const k of Object.keys(base) as (keyof ServerConfig)[]) out[k] = { ...base[k], ...over[k] };
  for (const [group, values] of Object.entries(out))
    for (const [key, v] of Object.entries(values))
      if (typeof v !== 'number' || !(v > 0)) throw plannerError('bad-config', `服务器配置 ${group}.${key} 须为正数`, `server setting ${group}.${key} must be a positive number`, { detail: String(v) });
  return out as unknown as ServerConfig;
}
