/**
 * Golden files: `REGEN=1` rewrites the file and then fails the test on purpose (so a regeneration never passes
 * silently: review the diff, commit it, and run again without REGEN); otherwise the value must equal the file.
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { expect } from 'vitest';

export function expectGolden(file: string, value: unknown): void {
  if (process.env.REGEN === '1') {
    writeFileSync(file, JSON.stringify(value, null, 1) + '\n');
    throw new Error(`golden file rewritten: ${file} — review the diff, then run again without REGEN`);
  }
  expect(existsSync(file), `golden file missing: run with REGEN=1 and review ${file}`).toBe(true);
  expect(value).toEqual(JSON.parse(readFileSync(file, 'utf8')));
}
