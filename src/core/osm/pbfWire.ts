/**
 * Protocol Buffers wire reading for the PBF block decoder (pbfFast.ts): a varint cursor that flags a fault instead of
 * throwing, packed varint lists, and a walk over a message's fields. Pure; nothing is kept between calls.
 */

/** Reading position in a block; `bad` is set (and 0 returned) when a number is longer than 7 bytes or runs out. */
export class Cursor {
  p = 0;
  bad = false;
  constructor(readonly b: Uint8Array) {}
  varint(end: number): number {
    const b = this.b;
    let p = this.p;
    if (p < end) {
      const x = b[p];
      if (x < 0x80) { this.p = p + 1; return x; }
      // two bytes (string indices, lengths of small messages): in integer arithmetic
      if (p + 1 < end && b[p + 1] < 0x80) { this.p = p + 2; return (x & 0x7f) | (b[p + 1] << 7); }
    }
    let v = 0, mul = 1;
    for (let k = 0; k < 7; k++) {
      if (p >= end) break;
      const x = b[p++];
      v += (x & 0x7f) * mul;
      if (x < 0x80) { this.p = p; return v; }
      mul *= 128;
    }
    this.bad = true;
    return 0;
  }
}

/** Number of varints in b[s, e) (bytes without the continuation bit); the last must be complete. */
export function countVarints(b: Uint8Array, s: number, e: number): number {
  if (e > s && b[e - 1] & 0x80) return -1;
  let n = 0;
  for (let i = s; i < e; i++) if (b[i] < 0x80) n++;
  return n;
}

/** A packed list of varints b[s, e) as numbers (zigzag-decoded when `zigzag`), or null. */
export function packedList(c: Cursor, s: number, e: number, zigzag: boolean): number[] | null {
  const out: number[] = [];
  c.p = s;
  while (c.p < e) {
    const v = c.varint(e);
    if (c.bad) return null;
    out.push(zigzag ? (v % 2 === 1 ? (v + 1) / -2 : v / 2) : v);
  }
  return out;
}

/**
 * Walks the fields of the message b[from, to): calls `field(number, wire, value or start, end)` for each; returns
 * false when the message is broken or `field` refuses (returns false). Only wire types 0 and 2 are accepted.
 */
export function eachField(c: Cursor, from: number, to: number, field: (n: number, wire: number, v: number, end: number) => boolean): boolean {
  c.p = from;
  while (c.p < to) {
    const key = c.varint(to);
    if (c.bad || key > 0x7fffffff) return false;
    const n = key >>> 3, wire = key & 7;
    if (n === 0) return false;
    if (wire === 0) {
      const v = c.varint(to);
      if (c.bad) return false;
      const at = c.p;
      if (!field(n, 0, v, 0)) return false;
      c.p = at;
    } else if (wire === 2) {
      const len = c.varint(to);
      if (c.bad) return false;
      const s = c.p, e = s + len;
      if (e > to) return false;
      if (!field(n, 2, s, e)) return false;
      c.p = e;
    } else return false;
  }
  return true;
}

/**
 * Whether b[s, e) is a packed list Cursor.varint reads without fault: no number longer than 7 bytes, the last one
 * complete (what packedList checks, without making the list).
 */
export function wellFormed(b: Uint8Array, s: number, e: number): boolean {
  let run = 0;
  for (let i = s; i < e; i++) {
    if (b[i] < 0x80) run = 0;
    else if (++run >= 7) return false;
  }
  return run === 0;
}

/**
 * Packed zigzag varints b[s, e) summed in turn (delta coding), each sum written to out[0…] as off + sum / div (dense
 * node ids: off 0, div 1, the sums themselves; positions: offset and granularity); returns how many (writes past
 * the end of `out` are dropped: the caller compares the count), or -1 on a number Cursor.varint refuses. The hot loop of dense nodes: the varint is read here, not by a call per number, and numbers of up to 4
 * bytes (28 bits: nearly all deltas) are decoded in integer arithmetic (a float `% 2` is a library call).
 */
export function zigzagSums(b: Uint8Array, s: number, e: number, out: Float64Array, off: number, div: number): number {
  let p = s, i = 0, acc = 0;
  while (p < e) {
    let x = b[p++], v = x & 0x7f;
    if (x >= 0x80) {
      if (p >= e) return -1;
      x = b[p++]; v |= (x & 0x7f) << 7;
      if (x >= 0x80) {
        if (p >= e) return -1;
        x = b[p++]; v |= (x & 0x7f) << 14;
        if (x >= 0x80) {
          if (p >= e) return -1;
          x = b[p++]; v |= (x & 0x7f) << 21;
          if (x >= 0x80) {
            // 5 to 7 bytes: past 31 bits, in floating point
            let f = v, mul = 2 ** 28;
            for (let k = 4; ; k++) {
              if (p >= e || k === 7) return -1;
              x = b[p++];
              f += (x & 0x7f) * mul;
              if (x < 0x80) break;
              mul *= 128;
            }
            acc += f % 2 === 1 ? (f + 1) / -2 : f / 2;
            out[i++] = off + acc / div;
            continue;
          }
        }
      }
    }
    acc += (v >>> 1) ^ -(v & 1);
    out[i++] = off + acc / div;
  }
  return i;
}

/**
 * zigzagSums into a plain array, the sums themselves (way refs: whole numbers, kept as such). The same loop, written
 * twice so that each stays specialised to one kind of output (one function taking both is optimised for the first
 * and thrown away at the second).
 */
export function zigzagRefs(b: Uint8Array, s: number, e: number, out: number[]): boolean {
  let p = s, i = 0, acc = 0;
  while (p < e) {
    let x = b[p++], v = x & 0x7f;
    if (x >= 0x80) {
      if (p >= e) return false;
      x = b[p++]; v |= (x & 0x7f) << 7;
      if (x >= 0x80) {
        if (p >= e) return false;
        x = b[p++]; v |= (x & 0x7f) << 14;
        if (x >= 0x80) {
          if (p >= e) return false;
          x = b[p++]; v |= (x & 0x7f) << 21;
          if (x >= 0x80) {
            // 5 to 7 bytes: past 31 bits, in floating point
            let f = v, mul = 2 ** 28;
            for (let k = 4; ; k++) {
              if (p >= e || k === 7) return false;
              x = b[p++];
              f += (x & 0x7f) * mul;
              if (x < 0x80) break;
              mul *= 128;
            }
            acc += f % 2 === 1 ? (f + 1) / -2 : f / 2;
            out[i++] = acc;
            continue;
          }
        }
      }
    }
    acc += (v >>> 1) ^ -(v & 1);
    out[i++] = acc;
  }
  return true;
}
