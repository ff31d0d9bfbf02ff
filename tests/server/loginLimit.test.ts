/** The log-in limiter alone (no database): counts, windows, Retry-After, forgiveness on success, pruning. */
import { describe, expect, it } from 'vitest';
import { LoginLimiter } from '../../src/server/loginLimit';
import { serverConfig } from '../../src/server/config';

describe('LoginLimiter', () => {
  const clock = () => {
    const c = { t: 1_000_000, now: () => c.t };
    return c;
  };

  it('locks a name after N failures until the oldest failure leaves the window', () => {
    const c = clock();
    const l = new LoginLimiter({ maxFailuresPerName: 3, maxFailuresPerAddress: 100, windowSeconds: 60 }, c.now);
    l.failed('alice', 'a1'); c.t += 10_000;
    l.failed('alice', 'a2'); c.t += 10_000;
    expect(l.retryAfter('alice', 'a3')).toBe(0);
    l.failed('alice', 'a3');
    // The first failure was 20 s ago: it leaves the 60 s window in 40 s.
    expect(l.retryAfter('alice', 'a4')).toBe(40);
    expect(l.retryAfter('bob', 'a4')).toBe(0);
    c.t += 39_500;
    expect(l.retryAfter('alice', 'a4')).toBe(1);
    c.t += 600;
    expect(l.retryAfter('alice', 'a4')).toBe(0);
  });

  it('locks an address after M failures over any names; a success forgives only that name', () => {
    const c = clock();
    const l = new LoginLimiter({ maxFailuresPerName: 100, maxFailuresPerAddress: 4, windowSeconds: 60 }, c.now);
    for (const n of ['x', 'y', 'alice', 'alice']) l.failed(n, '198.51.100.1');
    expect(l.retryAfter('z', '198.51.100.1')).toBe(60);
    expect(l.retryAfter('z', '198.51.100.2')).toBe(0);
    l.succeeded('alice', '198.51.100.1');
    // alice's two failures are forgiven; x and y still count (2 < 4).
    expect(l.retryAfter('z', '198.51.100.1')).toBe(0);
    l.failed('z', '198.51.100.1');
    l.failed('z', '198.51.100.1');
    expect(l.retryAfter('q', '198.51.100.1')).toBe(60);
  });

  it('prunes expired entries and keeps its size bounded', () => {
    const c = clock();
    const l = new LoginLimiter({ maxFailuresPerName: 5, maxFailuresPerAddress: 5, windowSeconds: 1 }, c.now);
    for (let i = 0; i < 1000; i++) l.failed(`u${i}`, `address-${i}`);
    expect(l.size).toBe(2000);
    c.t += 1001;
    l.prune();
    expect(l.size).toBe(0);
  });

  it('the numbers come from config.json; overrides must be positive', () => {
    const d = serverConfig();
    expect(d.login).toEqual({ maxFailuresPerName: 5, maxFailuresPerAddress: 20, windowSeconds: 900 });
    expect(d.sessions.lifetimeSeconds).toBe(12 * 3600);
    expect(serverConfig({ login: { windowSeconds: 2 } }).login).toEqual({ maxFailuresPerName: 5, maxFailuresPerAddress: 20, windowSeconds: 2 });
    expect(() => serverConfig({ sessions: { cleanupSeconds: 0 } })).toThrow(expect.objectContaining({ code: 'bad-config' }));
  });
});
