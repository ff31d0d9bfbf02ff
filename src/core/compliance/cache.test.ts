import { describe, expect, it } from 'vitest';
import { fingerprint, verdictKey, type VerdictKeyInput } from './cache';

const base: VerdictKeyInput = {
  placeId: 'nanshan', networkVersion: 'nanshan#1', profile: { id: 'fire-engine', speedsKmh: { primary: { value: 50 } } }, peak: false,
  standard: 'jianbiao152-2017', overrides: null, districts: { mode: 'auto' }, stations: [{ id: 'a', lon: 113.9, lat: 22.5 }], settings: { coverage: true },
};

describe('verdictKey: one key of what a verdict depends on', () => {
  it('is the same for the same inputs (also when rebuilt as new objects)', () => {
    expect(verdictKey(base)).toBe(verdictKey(structuredClone(base)));
    expect(verdictKey(base)).toMatch(/^[0-9a-f]{16}$/);
  });

  it('changes with every part: place, network, profile, peak, vehicle, standard, overrides, districts, stations, settings', () => {
    const variants: Partial<VerdictKeyInput>[] = [
      { placeId: 'monaco' }, { networkVersion: 'nanshan#2' }, { networkVersion: null },
      { profile: { id: 'fire-engine', speedsKmh: { primary: { value: 40 } } } }, { profile: null }, { peak: true }, { vehicleId: 'aerial-platform' },
      { standard: 'gb51080-2015' }, { overrides: { travelLimitS: 300 } }, { districts: { mode: 'given' } },
      { stations: [{ id: 'a', lon: 113.9001, lat: 22.5 }] }, { stations: [] }, { stations: null }, { settings: { coverage: false } },
    ];
    const keys = variants.map((v) => verdictKey({ ...base, ...v }));
    expect(new Set([verdictKey(base), ...keys]).size).toBe(variants.length + 1);
  });

  it('does not confuse values moved between fields', () => {
    expect(verdictKey({ ...base, placeId: 'x', networkVersion: null })).not.toBe(verdictKey({ ...base, placeId: null, networkVersion: 'x' }));
  });
});

describe('fingerprint', () => {
  it('tells numbers, strings, null and undefined fields apart, and keeps no state between calls', () => {
    expect(fingerprint(1)).not.toBe(fingerprint('1'));
    expect(fingerprint([null])).not.toBe(fingerprint([undefined]));
    expect(fingerprint({ a: 1, b: undefined })).toBe(fingerprint({ a: 1 }));
    expect(fingerprint(0.1 + 0.2)).not.toBe(fingerprint(0.3));
    const first = fingerprint({ x: [1.5, 'a'] });
    fingerprint(Math.PI);
    expect(fingerprint({ x: [1.5, 'a'] })).toBe(first);
  });
});
