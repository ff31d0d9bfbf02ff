import { describe, expect, it } from 'vitest';
import { fmtKm2, fmtMmss, fmtShare } from './format';

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
