/**
 * Log-in rate limiting, in memory: failed log-ins are remembered per user name and per client address for a
 * window; once a name (or an address) has `maxFailures…` of them in the window, further log-ins for it are refused
 * without checking the password until the oldest failure leaves the window (Retry-After says when). A successful
 * log-in forgives that name's failures (also in the address's count). The server counts an attempt at a name before
 * checking its password (a success then clears it), so guesses sent in parallel at one name are counted at once; an
 * address is counted only after a wrong password. Bounded: expired entries are pruned, and at
 * most MAX_KEYS names/addresses are kept (the oldest dropped first).
 */
export interface LoginLimits { maxFailuresPerName: number; maxFailuresPerAddress: number; windowSeconds: number }

const MAX_KEYS = 100_000;

interface Failure { at: number; name: string }

export class LoginLimiter {
  private readonly byName = new Map<string, number[]>();
  private readonly byAddress = new Map<string, Failure[]>();
  constructor(private readonly limits: LoginLimits, private readonly now: () => number = Date.now) {}

  private get windowMs() { return this.limits.windowSeconds * 1000; }

  private live<T>(map: Map<string, T[]>, key: string, at: (x: T) => number): T[] {
    const since = this.now() - this.windowMs;
    const kept = (map.get(key) ?? []).filter((x) => at(x) > since);
    if (kept.length) map.set(key, kept);
    else map.delete(key);
    return kept;
  }

  /** Seconds until a log-in for this name from this address may be tried again; 0 = it may now. */
  retryAfter(name: string, address: string): number {
    const wait = (times: number[], max: number) => (times.length >= max ? times[times.length - max] + this.windowMs - this.now() : 0);
    const n = wait(this.live(this.byName, name, (t) => t), this.limits.maxFailuresPerName);
    const a = wait(this.live(this.byAddress, address, (f) => f.at).map((f) => f.at), this.limits.maxFailuresPerAddress);
    const ms = Math.max(n, a);
    return ms > 0 ? Math.ceil(ms / 1000) : 0;
  }

  /**
   * Counts a failure for the name and/or the address. The server counts the name before the password check (parallel
   * guesses at one name count at once) and the address only after a wrong password: many people behind one office
   * address log in at the same moment, and their attempts in flight must not lock each other out.
   */
  failed(name: string, address: string, count: { name?: boolean; address?: boolean } = {}): void {
    const at = this.now();
    const push = <T>(map: Map<string, T[]>, key: string, x: T) => {
      const list = map.get(key);
      map.delete(key); // re-inserted last: the Map's order is oldest activity first
      map.set(key, [...(list ?? []), x]);
      while (map.size > MAX_KEYS) map.delete(map.keys().next().value!);
    };
    if (count.name ?? true) push(this.byName, name, at);
    if (count.address ?? true) push(this.byAddress, address, { at, name });
  }

  succeeded(name: string, address: string): void {
    this.byName.delete(name);
    const rest = (this.byAddress.get(address) ?? []).filter((f) => f.name !== name);
    if (rest.length) this.byAddress.set(address, rest);
    else this.byAddress.delete(address);
  }

  /** Drops every expired entry (called with the session clean-up). */
  prune(): void {
    for (const k of [...this.byName.keys()]) this.live(this.byName, k, (t) => t);
    for (const k of [...this.byAddress.keys()]) this.live(this.byAddress, k, (f) => f.at);
  }

  /** Names and addresses remembered (for tests: the bound holds). */
  get size(): number { return this.byName.size + this.byAddress.size; }
}
