import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { expectGolden } from './golden';

describe('expectGolden', () => {
  const dir = mkdtempSync(join(tmpdir(), 'golden-'));
  afterEach(() => { delete process.env.REGEN; });
  it('REGEN=1 writes the file and fails; then the same value passes and another fails', () => {
    const f = join(dir, 'x.json');
    process.env.REGEN = '1';
    expect(() => expectGolden(f, { a: 1 })).toThrow(/rewritten/);
    expect(JSON.parse(readFileSync(f, 'utf8'))).toEqual({ a: 1 });
    delete process.env.REGEN;
    expectGolden(f, { a: 1 });
    expect(() => expectGolden(f, { a: 2 })).toThrow();
    rmSync(dir, { recursive: true });
  });
});
