import { describe, expect, it } from 'vitest';
import type { Station } from '../core/types';
import { HOLD_MS, movedStation, shouldHold } from './dragHold';

const st = (id: string, lon: number, lat: number): Station => ({ id, name: id, stationClass: '一级', status: 'proposed', position: 'user', source: 'test', lon, lat });

describe('drag hold: one map update per drag step', () => {
  const a = [st('a', 121.4, 31.2), st('b', 121.5, 31.3)];

  it('finds the station the map does not show where it is now', () => {
    const moved = [a[0], st('b', 121.501, 31.3)];
    expect(movedStation(a, moved)?.id).toBe('b');
    expect(movedStation(a, [...a])).toBeUndefined();
    expect(movedStation(a, a)).toBeUndefined();
    expect(movedStation(a, [...a, st('c', 121, 31)])?.id).toBe('c');
  });

  it('holds only while a drag waits for its answers, and never longer than HOLD_MS', () => {
    const s = (dragging: boolean, cBusy: boolean, iBusy: boolean) => ({ dragging, compliance: { busy: cBusy }, iso: { busy: iBusy } }) as Parameters<typeof shouldHold>[0];
    expect(shouldHold(s(true, true, false), null, 1000)).toBe(true);
    expect(shouldHold(s(true, false, true), null, 1000)).toBe(true);
    expect(shouldHold(s(true, false, false), null, 1000)).toBe(false);
    expect(shouldHold(s(false, true, true), null, 1000)).toBe(false);
    expect(shouldHold(s(true, true, true), 1000, 1000 + HOLD_MS - 1)).toBe(true);
    expect(shouldHold(s(true, true, true), 1000, 1000 + HOLD_MS)).toBe(false);
  });
});
