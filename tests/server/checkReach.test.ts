import { describe, expect, it } from 'vitest';
import { checkReachNeeded } from '../../src/server/checkReach';

describe('checkReachNeeded: the partial network a server check needs', () => {
  const vmax = 25; // m/s

  it('covers the travel limit even when every edge is reached sooner (coverage reads times up to the limit)', () => {
    // worst edge 100 s, limit 240 s: coverage decides road points up to 240 s → 240 × 25 + 1000
    expect(checkReachNeeded([{ worstEdgeSeconds: 100, unreachableEdgePoints: 0, travelLimitSeconds: 240 }], vmax, 1000)).toBe(7000);
  });

  it('covers the worst edge time when it is past the limit, over all stations', () => {
    expect(checkReachNeeded([
      { worstEdgeSeconds: 100, unreachableEdgePoints: 0, travelLimitSeconds: 240 },
      { worstEdgeSeconds: 400, unreachableEdgePoints: 0, travelLimitSeconds: 240 },
      { worstEdgeSeconds: null, unreachableEdgePoints: 0, travelLimitSeconds: 300 },
    ], vmax, 1000)).toBe(11_000);
  });

  it('an unreachable edge point needs the whole network', () => {
    expect(checkReachNeeded([{ worstEdgeSeconds: 50, unreachableEdgePoints: 1, travelLimitSeconds: 240 }], vmax, 1000)).toBe(Infinity);
  });
});
