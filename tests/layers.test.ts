import { describe, expect, it } from 'vitest';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative, resolve, dirname } from 'node:path';

// The layer rule that eslint cannot express generically: a feature never imports another feature,
// and src/core imports nothing outside src/core (besides npm packages allowed by eslint; its tests may use tests/support).
const root = resolve(__dirname, '..');
const files = (dir: string): string[] =>
  readdirSync(dir).flatMap((f) => {
    const p = join(dir, f);
    return statSync(p).isDirectory() ? files(p) : /\.(ts|tsx)$/.test(f) ? [p] : [];
  });
const imports = (file: string) =>
  [...readFileSync(file, 'utf8').matchAll(/(?:from|import)\s*\(?\s*['"](\.[^'"]+)['"]/g)].map((m) => resolve(dirname(file), m[1]));

describe('architecture layers', () => {
  it('features do not import each other', () => {
    const featuresDir = join(root, 'src/features');
    const bad: string[] = [];
    for (const f of files(featuresDir)) {
      const own = relative(featuresDir, f).split(/[\\/]/)[0];
      for (const target of imports(f)) {
        const rel = relative(featuresDir, target);
        if (!rel.startsWith('..') && rel.split(/[\\/]/)[0] !== own) bad.push(`${relative(root, f)} → ${relative(root, target)}`);
      }
    }
    expect(bad).toEqual([]);
  });
  it('src/core only imports src/core (its tests may also read real data through tests/support)', () => {
    const core = join(root, 'src/core'), support = join(root, 'tests/support');
    const allowed = (f: string, t: string) => f.endsWith('.test.ts') && !relative(support, t).startsWith('..');
    const bad = files(core).flatMap((f) => imports(f).filter((t) => relative(core, t).startsWith('..') && !allowed(f, t)).map((t) => `${relative(root, f)} → ${relative(root, t)}`));
    expect(bad).toEqual([]);
  });
});
