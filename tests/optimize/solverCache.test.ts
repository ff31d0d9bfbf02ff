import { describe, expect, it } from 'vitest';
import { cachedSolveLp } from '../../src/core/optimize/solverCache';
import type { LpResult, SolveLp } from '../../src/core/optimize/types';

const ok = (n: number): LpResult => ({ status: 'Optimal', objective: n, columns: {}, log: [] });

describe('cachedSolveLp: a solver module that failed is not kept', () => {
  it('loads once while solves succeed', async () => {
    let loads = 0;
    const get = cachedSolveLp(async () => { const id = ++loads; return async () => ok(id); });
    expect((await (await get())('', { timeLimitS: 1 })).objective).toBe(1);
    expect((await (await get())('', { timeLimitS: 1 })).objective).toBe(1);
    expect(loads).toBe(1);
  });

  it('a wasm abort during a solve drops the module; the next call reloads and solves', async () => {
    let loads = 0;
    const get = cachedSolveLp(async (): Promise<SolveLp> => {
      const id = ++loads;
      return async () => { if (id === 1) throw new Error('Aborted(OOM)'); return ok(id); };
    });
    const first = await get();
    await expect(first('', { timeLimitS: 1 })).rejects.toThrow('Aborted(OOM)');
    const second = await get();
    expect(second).not.toBe(first);
    expect((await second('', { timeLimitS: 1 })).objective).toBe(2);
    expect(loads).toBe(2);
  });

  it('a failed load is retried on the next call', async () => {
    let loads = 0;
    const get = cachedSolveLp(async (): Promise<SolveLp> => {
      if (++loads === 1) throw new Error('fetch failed');
      return async () => ok(loads);
    });
    await expect(get()).rejects.toThrow('fetch failed');
    expect((await (await get())('', { timeLimitS: 1 })).objective).toBe(2);
  });

  it('a late failure of an old module does not drop a newer one', async () => {
    let loads = 0;
    const get = cachedSolveLp(async (): Promise<SolveLp> => {
      const id = ++loads;
      return async () => { if (id === 1) throw new RangeError('out of memory'); return ok(id); };
    });
    const a = await get();
    await expect(a('', { timeLimitS: 1 })).rejects.toThrow();
    const b = await get();
    await expect(a('', { timeLimitS: 1 })).rejects.toThrow();
    expect(await get()).toBe(b);
  });
});
