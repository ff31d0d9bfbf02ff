import { describe, expect, it } from 'vitest';
import { verdictKey } from '../core/compliance/cache';
import type { Station } from '../core/types';
import { initialState, type PlannerState } from './index';
import { districtMode, plainStation, standardId } from './compliance';
import { verdictKeyOf } from './verdictKey';

const station = (id: string, lon: number): Station =>
  ({ id, name: id, stationClass: 'standard', status: 'existing', position: 'exact', source: 'test', lon, lat: 31.2 }) as unknown as Station;

/** The key as computed without the memo (the fields verdictKeyOf reads, through core verdictKey). */
const fresh = (s: PlannerState, stations: Station[] | null, coverage: boolean) =>
  verdictKey({
    placeId: s.placeId ?? null, networkVersion: null, profile: s.profileJson ?? null, peak: s.peak, vehicleId: s.vehicleId ?? null,
    vehicleFigures: null, standard: standardId(s), districts: { mode: districtMode(s), imported: null },
    stations: stations ? stations.map(plainStation) : null, settings: { coverage },
  });

describe('verdictKeyOf memo (a panel asks for an unchanged key on every store change)', () => {
  const base: PlannerState = { ...initialState(), placeId: 'shanghai' };
  const a = station('a', 121.4);
  const b = station('b', 121.5);

  it('answers what core verdictKey answers, from the memo or not', () => {
    const k1 = verdictKeyOf(base, [a, b], { coverage: true });
    expect(k1).toBe(fresh(base, [a, b], true));
    // asked again with a new array of the same station objects: the same key
    expect(verdictKeyOf(base, [a, b], { coverage: true })).toBe(k1);
    expect(verdictKeyOf(base, null, { coverage: false })).toBe(fresh(base, null, false));
  });

  it('gives a new key for a moved station (a new object), other settings, another order', () => {
    const k = verdictKeyOf(base, [a, b], { coverage: true });
    const moved = { ...b, lon: 121.51 };
    const kMoved = verdictKeyOf(base, [a, moved], { coverage: true });
    expect(kMoved).not.toBe(k);
    expect(kMoved).toBe(fresh(base, [a, moved], true));
    // an equal copy of a station gives the same key (content, not identity, decides)
    expect(verdictKeyOf(base, [a, { ...b }], { coverage: true })).toBe(k);
    expect(verdictKeyOf(base, [b, a], { coverage: true })).toBe(fresh(base, [b, a], true));
    expect(verdictKeyOf(base, [a, b], { coverage: false })).toBe(fresh(base, [a, b], false));
    const peak = { ...base, peak: true };
    expect(verdictKeyOf(peak, [a, b], { coverage: true })).toBe(fresh(peak, [a, b], true));
    expect(verdictKeyOf(peak, [a, b], { coverage: true })).not.toBe(k);
    const prof = { ...base, profileJson: '{"x":1}' };
    expect(verdictKeyOf(prof, [a, b], { coverage: true })).toBe(fresh(prof, [a, b], true));
    // and back: the first key again
    expect(verdictKeyOf(base, [a, b], { coverage: true })).toBe(k);
  });

  it('stays right past the memo size (many different station sets)', () => {
    for (let i = 0; i < 20; i++) {
      const st = [station(`s${i}`, 121 + i / 100)];
      expect(verdictKeyOf(base, st, { coverage: true })).toBe(fresh(base, st, true));
    }
  });
});
