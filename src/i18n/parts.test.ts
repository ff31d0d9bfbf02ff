import { describe, expect, it } from 'vitest';
import { dictionaries } from './index';

/** Every key path of an object of strings. */
function keys(o: unknown, prefix = ''): string[] {
  if (typeof o !== 'object' || o === null) return [prefix];
  return Object.entries(o).flatMap(([k, v]) => keys(v, prefix ? `${prefix}.${k}` : k)).sort();
}

describe('i18n dictionaries with their parts', () => {
  it('Chinese and English have exactly the same keys, every value a non-empty string', () => {
    const d = dictionaries();
    expect(keys(d.en)).toEqual(keys(d.zh));
    const values = (o: unknown): unknown[] => (typeof o === 'object' && o !== null ? Object.values(o).flatMap(values) : [o]);
    for (const v of [...values(d.zh), ...values(d.en)]) expect(typeof v === 'string' && v.length > 0).toBe(true);
  });
});
