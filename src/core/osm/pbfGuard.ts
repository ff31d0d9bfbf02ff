/**
 * A structural check of one PBF PrimitiveBlock before tiny-osmpbf decodes it. The library trusts its input and loops
 * forever on two kinds of damage the fuzz suite found: a DenseNodes keys_vals list that runs out before every node's
 * tag list has met its 0 key, and a packed field whose last varint runs past the field's end. This walks the
 * protobuf (PrimitiveBlock → PrimitiveGroup → DenseNodes / Way / Relation) and names the first such fault, or
 * returns null. Pure; reads only.
 */
import type { Problem } from './malformed';

/** A protobuf field: number, and either a varint value or the [start, end) of a length-delimited payload. */
interface Field { n: number; v: number; start: number; end: number; bytes: boolean }

/** The fields of a message in b[from, to), or null when the message itself is broken. */
function fields(b: Uint8Array, from: number, to: number): Field[] | null {
  const out: Field[] = [];
  let p = from;
  const varint = (): number | null => {
    let v = 0, s = 0;
    for (;;) {
      if (p >= to || s > 63) return null;
      const x = b[p++];
      v += (x & 0x7f) * 2 ** s;
      s += 7;
      if (!(x & 0x80)) return v;
    }
  };
  while (p < to) {
    const key = varint();
    if (key === null) return null;
    const n = Math.floor(key / 8), wire = key % 8;
    if (wire === 0) { const v = varint(); if (v === null) return null; out.push({ n, v, start: 0, end: 0, bytes: false }); }
    else if (wire === 2) {
      const len = varint();
      if (len === null || p + len > to) return null;
      out.push({ n, v: 0, start: p, end: p + len, bytes: true });
      p += len;
    } else if (wire === 1) { p += 8; if (p > to) return null; }
    else if (wire === 5) { p += 4; if (p > to) return null; }
    else return null;
  }
  return out;
}

/**
 * Walks the varints of a packed field: the number of them, or -1 when the last one runs past the field's end.
 * `into` (when given) receives the values.
 */
function packed(b: Uint8Array, f: Field, into?: number[]): number {
  let v = 0, s = 0, open = false, n = 0;
  for (let p = f.start; p < f.end; p++) {
    const x = b[p];
    v += (x & 0x7f) * 2 ** s;
    s += 7;
    open = (x & 0x80) !== 0;
    if (!open) { into?.push(v); n++; v = 0; s = 0; }
  }
  return open ? -1 : n;
}

/** Packed fields of each element kind (DenseNodes: id, lat, lon, keys_vals; Way: keys, vals, refs; Relation: keys, vals, roles_sid, memids). */
const PACKED: Readonly<Record<'dense' | 'way' | 'relation', readonly number[]>> = { dense: [1, 8, 9, 10], way: [2, 3, 8], relation: [2, 3, 8, 9] };

export function pbfBlockFault(b: Uint8Array): Problem | null {
  const block = fields(b, 0, b.length);
  if (!block) return { zh: '数据块结构损坏', en: 'the block structure is broken' };
  for (const g of block) {
    if (g.n !== 2 || !g.bytes) continue;
    const group = fields(b, g.start, g.end);
    if (!group) return { zh: '要素组结构损坏', en: 'a primitive group is broken' };
    for (const e of group) {
      const kind = e.n === 2 ? 'dense' : e.n === 3 ? 'way' : e.n === 4 ? 'relation' : null;
      if (!kind || !e.bytes) continue;
      const msg = fields(b, e.start, e.end);
      if (!msg) return { zh: '要素结构损坏', en: 'an element is broken' };
      // (only DenseNodes needs the values: the id and lat counts and the keys_vals list)
      const counts = new Map<number, number>();
      const kv: number[] = [];
      for (const f of msg) {
        if (!PACKED[kind].includes(f.n) || !f.bytes) continue;
        const n = packed(b, f, kind === 'dense' && f.n === 10 ? kv : undefined);
        if (n < 0) return { zh: '压缩整数字段的最后一个数越界', en: 'a packed field ends inside its last number' };
        counts.set(f.n, (counts.get(f.n) ?? 0) + n);
      }
      if (kind === 'dense') {
        // Every node's tag list ends with a 0 key (when keys_vals is given at all): walk it as the decoder does.
        // (the decoder counts nodes as the longer of the id and lat lists)
        const nodes = Math.max(counts.get(1) ?? 0, counts.get(8) ?? 0);
        if (kv.length === 0) continue;
        let j = 0;
        for (let k = 0; k < nodes; k++) {
          while (kv[j] !== 0) { if (j >= kv.length) return { zh: '密集节点的标签列表缺少结束符', en: 'a dense node tag list has no end' }; j += 2; }
          j++;
        }
      }
    }
  }
  return null;
}
