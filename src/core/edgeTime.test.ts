import { describe, expect, it } from 'vitest';
import { edgePointTime, pointTimeOnRun } from './edgeTime';

describe('edgePointTime', () => {
  it('takes the faster end and drives the rest of the segment', () => {
    // Enter u→v at 10 s (segment 20 s), enter v→u at 30 s (segment 20 s): point at 0.25 → min(15, 45).
    expect(edgePointTime(10, 30, 0.25, 20, 20)).toBe(15);
    expect(edgePointTime(10, 2, 0.75, 20, 20)).toBe(7);
  });
  it('needs no edge on a node and no back way on a one-way road', () => {
    expect(edgePointTime(10, 3, 0, 20, Infinity)).toBe(10);
    expect(edgePointTime(10, 3, 1, 20, Infinity)).toBe(3);
    expect(edgePointTime(10, Infinity, 0.5, 20, Infinity)).toBe(20);
    expect(edgePointTime(Infinity, Infinity, 0.5, 20, 20)).toBe(Infinity);
  });
  it('reads entry times off a run, and a point on a node takes the node\'s arrival', () => {
    // Edge 0 = u→v, edge 1 = v→u; u reached at 4 s but may turn into u→v only at 5 s; v reached at 7 s.
    const run = { entryTime: (e: number) => [5, 100][e], arrivalAt: (e: number, head: boolean) => (head === (e === 0) ? 7 : 4) };
    expect(pointTimeOnRun(run, [8, 8], 0, 1, 0.5)).toBe(9);
    expect(pointTimeOnRun(run, [8, 8], 0, -1, 0.75)).toBe(11);
    expect(pointTimeOnRun(run, [8, 8], 0, 1, 0)).toBe(4);
    expect(pointTimeOnRun(run, [8, 8], 0, -1, 1)).toBe(7);
  });
});
