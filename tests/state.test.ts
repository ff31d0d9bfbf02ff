import { describe, expect, it } from 'vitest';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';

// src/core holds pure functions: no module-level mutable state (issue #10). At the top level of a core module this
// refuses a `let`/`var`, a `const` bound to a new Map/Set/WeakMap/typed array (unless typed ReadonlyMap/ReadonlySet,
// i.e. a lookup table nobody may write), and a `const` object literal that holds such containers (scratch state).
// Plain lookup tables of numbers or strings stay allowed.
const root = resolve(__dirname, '..');
const files = (dir: string): string[] =>
  readdirSync(dir).flatMap((f) => {
    const p = join(dir, f);
    return statSync(p).isDirectory() ? files(p) : /\.ts$/.test(f) && !/\.test\.ts$/.test(f) ? [p] : [];
  });

const CONTAINER = /new\s+(Map|Set|WeakMap|WeakSet|(Float32|Float64|Int8|Int16|Int32|Uint8|Uint16|Uint32|Uint8Clamped|BigInt64|BigUint64)Array)\b/;

/** Top-level declarations that hold mutable state (top level = a line starting the declaration without indentation). */
export function mutableTopLevel(src: string): string[] {
  const bad: string[] = [];
  const lines = src.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i];
    if (/^(export\s+)?(let|var)\s/.test(line)) { bad.push(line.trim()); continue; }
    const m = /^(export\s+)?const\s+\w+(\s*:\s*([^=]+))?\s*=\s*(.*)$/.exec(line);
    if (!m) continue;
    const type = m[3] ?? '', init = m[4];
    if (CONTAINER.test(init.split('(')[0] + '(') && !/^Readonly(Map|Set)</.test(type.trim())) { bad.push(line.trim()); continue; }
    if (init.startsWith('{')) {
      // The literal's text up to its closing brace at the start of a line (or this line, for a one-liner).
      let body = init, j = i;
      if (!/}\s*;?\s*$/.test(init)) while (++j < lines.length && !/^}/.test(lines[j])) body += lines[j];
      if (CONTAINER.test(body)) bad.push(line.trim());
    }
  }
  return bad;
}

describe('no module-level mutable state in src/core', () => {
  it('the rule catches what it should', () => {
    expect(mutableTopLevel('let x = 1;\nconst S = { d: new Float64Array(8) };\nconst M = new Map();\nconst Q = {\n  a: 0,\n  b: new Int32Array(4),\n};\nconst f64 = new Float64Array(1);')).toHaveLength(5);
    expect(mutableTopLevel('const K = 4096;\nconst L = [\'a\', \'b\'];\nconst R: ReadonlySet<string> = new Set([\'a\']);\nconst T = { a: 1 };\nfunction f() {\n  let y = 2;\n}')).toEqual([]);
  });
  it('holds for every core module', () => {
    const bad = files(join(root, 'src/core')).flatMap((f) => mutableTopLevel(readFileSync(f, 'utf8')).map((l) => `${relative(root, f)}: ${l}`));
    expect(bad).toEqual([]);
  });
});
