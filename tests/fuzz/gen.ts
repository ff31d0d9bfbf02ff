/**
 * The fuzz suite's own seeded generator (no dependency): a small PRNG and the mutations applied to real files —
 * byte and text edits, truncations, hostile numbers, swapped axes, deep nesting and JSON-structure edits.
 * Everything is a pure function of the seed, so a case is re-created from its number alone.
 */

/** mulberry32: a 32-bit seeded PRNG, good enough to pick mutations. */
export class Rng {
  private s: number;
  constructor(seed: number) {
    this.s = seed >>> 0;
  }
  next(): number {
    this.s = (this.s + 0x6d2b79f5) >>> 0;
    let t = this.s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }
  int(n: number): number {
    return Math.floor(this.next() * n);
  }
  pick<T>(xs: readonly T[]): T {
    return xs[this.int(xs.length)];
  }
  chance(p: number): boolean {
    return this.next() < p;
  }
}

/** Numbers a hostile or broken file may hold, as JSON/XML text (1e999 parses to Infinity in JSON). */
export const HOSTILE_NUMBER_TEXT = ['NaN', 'Infinity', '-Infinity', '1e999', '-1e999', '1e308', '9007199254740993', '-0', '0x10', '1e-400', '181', '-91', '95.5', '360.1', '12345678.9', '2.5e6', '', ' ', '1,5', '+3', '.5', '5.', 'null', '"12"'];
/** The same as values (what a structural JSON mutation writes). */
export const HOSTILE_NUMBERS: unknown[] = [NaN, Infinity, -Infinity, 1e308, -1e308, Number.MAX_SAFE_INTEGER + 2, -0, 181, -181, 91, -95.5, 360.1, 12345678.9, 2.5e6, 1e-320, '12', null, true, [], {}, [1, 2], 'NaN'];

/** A few random edits of bytes: flip, set, insert, delete, duplicate a run, zero a run. */
export function mutateBytes(rng: Rng, src: Uint8Array): Uint8Array {
  let b = Array.from(src);
  const edits = 1 + rng.int(rng.chance(0.2) ? 40 : 4);
  for (let e = 0; e < edits && b.length; e++) {
    const i = rng.int(b.length);
    switch (rng.int(6)) {
      case 0: b[i] ^= 1 << rng.int(8); break;
      case 1: b[i] = rng.pick([0, 0xff, 0x7f, 0x80, rng.int(256)]); break;
      case 2: b.splice(i, 0, ...Array.from({ length: 1 + rng.int(8) }, () => rng.int(256))); break;
      case 3: b.splice(i, 1 + rng.int(16)); break;
      case 4: { const n = 1 + rng.int(64); b.splice(i, 0, ...b.slice(i, i + n)); break; }
      default: for (let k = i; k < Math.min(b.length, i + 1 + rng.int(32)); k++) b[k] = 0;
    }
  }
  if (b.length > src.length * 4 + 1024) b = b.slice(0, src.length * 4 + 1024);
  return Uint8Array.from(b);
}

/** Cut at a random point (the start, the end, or anywhere between). */
export function truncate<T extends string | Uint8Array>(rng: Rng, src: T): T {
  const at = rng.chance(0.2) ? rng.int(Math.min(16, src.length + 1)) : rng.chance(0.2) ? Math.max(0, src.length - 1 - rng.int(16)) : rng.int(src.length + 1);
  return src.slice(0, at) as T;
}

/** Replaces one number in a text with a hostile one. */
export function swapNumber(rng: Rng, text: string): string {
  const nums = [...text.matchAll(/-?\d+(\.\d+)?([eE][-+]?\d+)?/g)];
  if (!nums.length) return text;
  const m = rng.pick(nums);
  return text.slice(0, m.index) + rng.pick(HOSTILE_NUMBER_TEXT) + text.slice((m.index ?? 0) + m[0].length);
}

/** Text edits: a hostile number, a deleted/duplicated/moved span, a stray character, a removed delimiter. */
export function mutateText(rng: Rng, text: string): string {
  let t = text;
  const edits = 1 + rng.int(3);
  for (let e = 0; e < edits; e++) {
    const i = rng.int(t.length + 1);
    const n = 1 + rng.int(rng.chance(0.3) ? 400 : 20);
    switch (rng.int(8)) {
      case 0: case 1: t = swapNumber(rng, t); break;
      case 2: t = t.slice(0, i) + t.slice(i + n); break;
      case 3: t = t.slice(0, i) + t.slice(i, i + n) + t.slice(i); break;
      case 4: t = t.slice(0, i) + rng.pick(['<', '>', '"', "'", '&', '{', '}', '[', ']', ',', ':', '\u0000', '\uFFFD', '\uD800', '/>', '-->', '<!--', '&#xFFFFFFF;', '&#0;', '&bogus;']) + t.slice(i); break;
      case 5: { const ch = rng.pick(['>', '"', ']', '}', ',']); const k = t.indexOf(ch, i); if (k >= 0) t = t.slice(0, k) + t.slice(k + 1); break; }
      case 6: { const j = rng.int(t.length + 1); t = t.slice(0, i) + t.slice(j, j + n) + t.slice(i); break; }
      default: t = t.replace(rng.pick([/lat/, /lon/, /id/, /ref/, /type/, /coordinates/, /features/, /elements/, /node/, /way/]), rng.pick(['', 'x', 'LAT', 'lat lat']));
    }
  }
  return t;
}

/** An array nested `depth` levels deep around `inner` (as JSON text, without recursion). */
export const deepArrayText = (depth: number, inner = '0'): string => '['.repeat(depth) + inner + ']'.repeat(depth);
/** The same as a value (built iteratively; JSON.stringify of it would overflow the stack). */
export function deepArray(depth: number): unknown {
  let v: unknown = [0, 0];
  for (let i = 0; i < depth; i++) v = [v];
  return v;
}

type Json = unknown;
/** All paths to values inside a JSON value (capped), for structural edits. */
function paths(v: Json, cap = 4000): (string | number)[][] {
  const out: (string | number)[][] = [];
  const stack: { v: Json; p: (string | number)[] }[] = [{ v, p: [] }];
  while (stack.length && out.length < cap) {
    const { v: x, p } = stack.pop()!;
    out.push(p);
    if (Array.isArray(x)) x.forEach((c, i) => stack.push({ v: c, p: [...p, i] }));
    else if (x && typeof x === 'object') for (const [k, c] of Object.entries(x)) stack.push({ v: c, p: [...p, k] });
  }
  return out;
}
const getAt = (v: Json, p: (string | number)[]): Json => p.reduce<Json>((o, k) => (o as Record<string | number, Json>)[k], v);
function setAt(v: Json, p: (string | number)[], x: Json): Json {
  if (!p.length) return x;
  const parent = getAt(v, p.slice(0, -1)) as Record<string | number, Json>;
  parent[p[p.length - 1]] = x;
  return v;
}

/** Structural JSON edits on a deep copy: a value replaced by a hostile one, removed, duplicated, a position's axes swapped. */
export function mutateJson(rng: Rng, doc: Json): Json {
  let v = structuredClone(doc);
  const edits = 1 + rng.int(3);
  for (let e = 0; e < edits; e++) {
    const ps = paths(v);
    const p = rng.pick(ps);
    const cur = getAt(v, p);
    switch (rng.int(7)) {
      case 0: case 1: v = setAt(v, p, rng.pick(HOSTILE_NUMBERS)); break;
      case 2: if (p.length) { const parent = getAt(v, p.slice(0, -1)); if (Array.isArray(parent)) parent.splice(p[p.length - 1] as number, 1); else delete (parent as Record<string, Json>)[p[p.length - 1]]; } break;
      case 3: if (Array.isArray(cur)) cur.push(cur[rng.int(cur.length)] ?? null); break;
      case 4: if (Array.isArray(cur) && typeof cur[0] === 'number' && cur.length >= 2) [cur[0], cur[1]] = [cur[1], cur[0]]; else v = setAt(v, p, rng.pick(['', 'x', '一级', 'EPSG:3857', {}, []])); break;
      case 5: v = setAt(v, p, deepArray(rng.pick([50, 2000, 20000]))); break;
      default: if (Array.isArray(cur)) cur.length = rng.int(cur.length + 1); break;
    }
  }
  return v;
}

/** JSON text of a value; values too deep for JSON.stringify come out as deep arrays of text. */
export function toJsonText(v: Json): string {
  try {
    return JSON.stringify(v) ?? 'null';
  } catch {
    return deepArrayText(20000);
  }
}

/** Applies `f` to every [x, y] position of a GeoJSON-like value (a deep copy). */
export function mapPositions(v: Json, f: (x: number, y: number) => [number, number]): Json {
  const walk = (x: Json): Json => {
    if (Array.isArray(x)) return x.length >= 2 && typeof x[0] === 'number' && typeof x[1] === 'number' ? [...f(x[0], x[1]), ...x.slice(2)] : x.map(walk);
    if (x && typeof x === 'object') return Object.fromEntries(Object.entries(x).map(([k, c]) => [k, walk(c)]));
    return x;
  };
  return walk(v);
}

/** Web-Mercator metres of a lon/lat (what an EPSG:3857 file holds). */
export const toMercator = (lon: number, lat: number): [number, number] => [lon * 111319.49, Math.log(Math.tan(Math.PI / 4 + (lat * Math.PI) / 360)) * 6378137];
