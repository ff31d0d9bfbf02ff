import { describe, expect, it } from 'vitest';
import { fixed, fmtKm2, fmtMmss, fmtShare, km, km2, km2Unit, metres, mmss, pct, MISSING } from './format';

describe('one formatting rule (issue 14)', () => {
  it('km² to 2 decimals', () => {
    expect(fmtKm2(1.3687)).toBe('1.37');
    expect(fmtKm2(7)).toBe('7.00');
    expect(fmtKm2(0.004)).toBe('0.00');
    expect(fmtKm2(-0.001)).toBe('0.00');
    expect(fmtKm2(null)).toBe('—');
    expect(fmtKm2(7.001, 'up')).toBe('7.01');
    expect(fmtKm2(7, 'up')).toBe('7.00');
  });
  it('times as m:ss, rounded to the second first', () => {
    expect(fmtMmss(1476.6)).toBe('24:37');
    expect(fmtMmss(299.6)).toBe('5:00');
    expect(fmtMmss(59.4)).toBe('0:59');
    expect(fmtMmss(240)).toBe('4:00');
    expect(fmtMmss(-65)).toBe('-1:05');
    expect(fmtMmss(-0.2)).toBe('0:00');
    expect(fmtMmss(undefined)).toBe('—');
    expect(fmtMmss(Infinity)).toBe('—');
    expect(fmtMmss(240.1, 'up')).toBe('4:01');
    expect(fmtMmss(240, 'up')).toBe('4:00');
  });
  it('shares as whole percents, never overstated', () => {
    expect(fmtShare(0.965)).toBe('96%');
    expect(fmtShare(0.996)).toBe('99%');
    expect(fmtShare(1)).toBe('100%');
    expect(fmtShare(0.29)).toBe('29%'); // 0.29 × 100 = 28.999…: not 28 %
    expect(fmtShare(0.95)).toBe('95%');
    expect(fmtShare(0)).toBe('0%');
    expect(fmtShare(null)).toBe('—');
  });
});


describe('the one formatting rule under the report names', () => {
  it('areas in km² to 2 decimals', () => {
    expect(km2(1.3687)).toBe('1.37');
    expect(km2Unit(1.3687)).toBe('1.37 km²');
    expect(km2(7)).toBe('7.00');
    expect(km2(0.004)).toBe('0.00');
    expect(km2(-0.001)).toBe('0.00'); // no "-0.00"
  });
  it('times as m:ss', () => {
    expect(mmss(1476.6)).toBe('24:37');
    expect(mmss(240)).toBe('4:00');
    expect(mmss(59.6)).toBe('1:00');
    expect(mmss(470.1)).toBe('7:50');
    expect(mmss(0)).toBe('0:00');
    expect(mmss(-5)).toBe('-0:05');
    expect(mmss(3725)).toBe('62:05');
  });
  it('shares as whole percents', () => {
    expect(pct(0.965)).toBe('96%'); // rounded down, as fmtShare
    expect(pct(0.5849)).toBe('58%');
    expect(pct(1)).toBe('100%');
    expect(pct(0)).toBe('0%');
  });
  it('lengths and plain numbers', () => {
    expect(km(6.54)).toBe('6.5 km');
    expect(metres(3249.4)).toBe('3249 m');
    expect(fixed(1.234, 2)).toBe('1.23');
  });
  it('missing values are a dash, never NaN', () => {
    for (const f of [km2, km2Unit, mmss, pct, km, metres]) {
      expect(f(null)).toBe(MISSING);
      expect(f(undefined)).toBe(MISSING);
      expect(f(Number.NaN)).toBe(MISSING);
      expect(f(Number.POSITIVE_INFINITY)).toBe(MISSING);
    }
  });
});
