import { describe, expect, it } from 'vitest';
import { mmss } from './msg';

describe('mmss', () => {
  it('rounds to the whole second before splitting minutes (map labels and the table agree)', () => {
    expect(mmss(299.6)).toBe('5:00');
    expect(mmss(299.4)).toBe('4:59');
    expect(mmss(530)).toBe('8:50');
    expect(mmss(7.2)).toBe('0:07');
  });
});
