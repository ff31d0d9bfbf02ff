/**
 * OSM nodes in typed arrays (ids and positions in Float64Arrays, an id → position hash, tags only where a node has
 * some), read as a Map<number, OsmNode>: the PBF reader fills one instead of a Map of one object per node, so a
 * city's million nodes cost 24 bytes each plus the hash, not an object and a Map entry each. `get`, `values` … build
 * the OsmNode object when asked (same fields, same order as the readers' objects); hot loops (buildGraph, clipOsm)
 * read the arrays by position instead. Insertion order and Map.set semantics (a repeated id replaces the node in its
 * first place) are kept. Each reader owns its instance; nothing is shared between calls.
 *
 * Nodes are appended as they come (a PBF block in one call, copied once on the first read) and put in the hash only
 * when needed, at its final size instead of growing (and moving every id) a dozen times:
 * - while the ids come in ascending order (a sorted PBF file: osmium and the OSM planet write them so) no id can
 *   repeat, so positions are final without the hash; the callers' hot loops find most nodes by position (the next
 *   id of a way is often the next node stored, see indexNear), and the few other look-ups search the sorted ids
 *   until LOOKUPS_BEFORE_HASH of them were needed: only then is the hash made;
 * - otherwise the hash is made on the first read of any kind (size, the arrays …) and a repeated id is merged into its
 *   first place then.
 */
import { IdIndex } from './idIndex';
import type { OsmNode, Tags } from './types';

/** Whether a tag object has an own key. */
const withKeys = (t: Tags): boolean => {
  for (const k in t) if (Object.prototype.hasOwnProperty.call(t, k)) return true;
  return false;
};

/** Look-ups by id answered by binary search in ascending ids before the hash is made (each costs ~20 steps). */
export const LOOKUPS_BEFORE_HASH = 1024;

export class NodeStore implements ReadonlyMap<number, OsmNode> {
  // (#private fields: what is compared of two stores, e.g. by a test's deep equality, is their nodes, not how far
  // each has copied or hashed them)
  #idArr: Float64Array;
  #lonArr: Float64Array;
  #latArr: Float64Array;
  #tagList = new Map<number, Tags>();
  #index: IdIndex;
  /** Nodes added; positions [indexed, count) are not in the hash (and, unless `ordered`, may repeat an id). */
  #count = 0;
  #indexed = 0;
  /** Blocks added by addAll, not copied into the arrays yet: they hold the last nodes (up to count). */
  #blocks: { ids: Float64Array; lons: Float64Array; lats: Float64Array; from: number; to: number }[] = [];
  /** Every id added so far is above the one before (no repeats: positions are final without the hash). */
  #ordered = true;
  #lastId = -Infinity;
  /** Look-ups answered by binary search so far (see LOOKUPS_BEFORE_HASH). */
  #searched = 0;
  readonly [Symbol.toStringTag] = 'NodeStore';

  constructor(expected = 0) {
    const cap = Math.max(16, expected);
    this.#idArr = new Float64Array(cap);
    this.#lonArr = new Float64Array(cap);
    this.#latArr = new Float64Array(cap);
    this.#index = new IdIndex(expected);
  }

  /** Makes the arrays and count final: blocks copied in, repeated ids merged (through the hash) unless ordered. */
  private settle(): void {
    if (this.#blocks.length) this.copyBlocks();
    if (!this.#ordered && this.#indexed !== this.#count) this.indexRest();
  }

  /** Node ids by position (length ≥ size). */
  get ids(): Float64Array {
    this.settle();
    return this.#idArr;
  }

  get lons(): Float64Array {
    this.settle();
    return this.#lonArr;
  }

  get lats(): Float64Array {
    this.settle();
    return this.#latArr;
  }

  get size(): number {
    this.settle();
    return this.#count;
  }

  /** Adds a node, or replaces the node of the same id in its place (as Map.set). `tags` only when it has keys. */
  set(id: number, lon: number, lat: number, tags?: Tags): void {
    if (this.#blocks.length) this.copyBlocks();
    if (this.#ordered) {
      if (id > this.#lastId) this.#lastId = id;
      else this.#ordered = false;
    }
    const k = this.#count;
    if (k === this.#idArr.length) this.grow(k * 2);
    this.#idArr[k] = id;
    this.#lonArr[k] = lon;
    this.#latArr[k] = lat;
    if (tags) this.#tagList.set(k, tags);
    this.#count++;
  }

  /**
   * Adds nodes [from, to) of parallel arrays, as `set` for each in order; tags[k] is kept only when it has keys.
   * A PBF block in one call: the arrays are kept as they are and copied once, with all other blocks, on the first read.
   */
  addAll(ids: Float64Array, lons: Float64Array, lats: Float64Array, tags: readonly (Tags | undefined)[] | null, from: number, to: number): void {
    if (this.#ordered) {
      let last = this.#lastId;
      for (let j = from; j < to && this.#ordered; j++) {
        if (ids[j] > last) last = ids[j];
        else this.#ordered = false;
      }
      this.#lastId = last;
    }
    const at = this.#count;
    this.#blocks.push({ ids, lons, lats, from, to });
    if (tags !== null) {
      for (let j = from; j < to; j++) {
        const t = tags[j];
        if (t !== undefined && withKeys(t)) this.#tagList.set(at + j - from, t);
      }
    }
    this.#count += to - from;
  }

  /** Copies the blocks added by addAll into the arrays. */
  private copyBlocks(): void {
    // to the size needed when all blocks come before the first read (the PBF reader), else doubling
    if (this.#count > this.#idArr.length) this.grow(Math.max(this.#count, this.#idArr.length * 2));
    let at = this.#count;
    for (const b of this.#blocks) at -= b.to - b.from;
    for (const b of this.#blocks) {
      this.#idArr.set(b.ids.subarray(b.from, b.to), at);
      this.#lonArr.set(b.lons.subarray(b.from, b.to), at);
      this.#latArr.set(b.lats.subarray(b.from, b.to), at);
      at += b.to - b.from;
    }
    this.#blocks.length = 0; // (emptied, not replaced: the array keeps its element kind)
  }

  /** Arrays of length `n` (≥ the nodes held), the nodes copied over. */
  private grow(n: number): void {
    let kept = this.#count;
    for (const b of this.#blocks) kept -= b.to - b.from;
    const more = (a: Float64Array) => { const b = new Float64Array(n); b.set(a.subarray(0, kept)); return b; };
    this.#idArr = more(this.#idArr);
    this.#lonArr = more(this.#lonArr);
    this.#latArr = more(this.#latArr);
  }

  /**
   * Puts the nodes not yet there in the hash (sized once for all of them). A repeated id gives its position, tags
   * and place to the node's first place (Map.set) and the nodes after it move up one.
   */
  private indexRest(): void {
    if (this.#blocks.length) this.copyBlocks();
    const index = this.#index, ids = this.#idArr, lons = this.#lonArr, lats = this.#latArr, tagList = this.#tagList;
    const end = this.#count;
    index.reserve(end - this.#indexed);
    let w = this.#indexed;
    for (let j = w; j < end; j++) {
      const k = index.getOrAdd(ids[j], w);
      if (k < 0) {
        if (w !== j) {
          ids[w] = ids[j]; lons[w] = lons[j]; lats[w] = lats[j];
          const t = tagList.get(j);
          if (t) { tagList.delete(j); tagList.set(w, t); }
        }
        w++;
      } else {
        lons[k] = lons[j]; lats[k] = lats[j];
        tagList.delete(k);
        const t = tagList.get(j);
        if (t) { tagList.delete(j); tagList.set(k, t); }
      }
    }
    this.#count = w;
    this.#indexed = w;
  }

  /** Position of an id (the store settled), by binary search while the ids are ordered and few were asked, else by the hash. */
  private find(id: number): number {
    if (this.#ordered && this.#indexed === 0 && this.#searched < LOOKUPS_BEFORE_HASH) {
      this.#searched++;
      const ids = this.#idArr;
      let a = 0, b = this.#count;
      while (a < b) {
        const m = (a + b) >>> 1;
        if (ids[m] < id) a = m + 1; else b = m;
      }
      return a < this.#count && ids[a] === id ? a : -1;
    }
    if (this.#indexed !== this.#count) this.indexRest();
    return this.#index.at(id);
  }

  /** Position of a node id in the arrays, or -1. */
  indexOf(id: number): number {
    this.settle();
    return this.find(id);
  }

  /**
   * Position of a node id, or -1; position `guess` is tried first (the ids of a way are often stored one after the
   * other: the caller guesses from the last one found, and most guesses save a look-up).
   */
  indexNear(id: number, guess: number): number {
    this.settle();
    return guess >= 0 && guess < this.#count && this.#idArr[guess] === id ? guess : this.find(id);
  }

  /** Tags of the node at position k (undefined: none). */
  tagsAt(k: number): Tags | undefined {
    this.settle();
    return this.#tagList.get(k);
  }

  /** The node at position k as an object (the shape every reader returns). */
  nodeAt(k: number): OsmNode {
    this.settle();
    const n: OsmNode = { id: this.#idArr[k], lon: this.#lonArr[k], lat: this.#latArr[k] };
    const t = this.#tagList.get(k);
    if (t) n.tags = t;
    return n;
  }

  /** The nodes for which `keep(position)` holds, in their order, as a new store. */
  subset(keep: (k: number) => boolean): NodeStore {
    const out = new NodeStore();
    const size = this.size;
    for (let k = 0; k < size; k++) if (keep(k)) out.set(this.#idArr[k], this.#lonArr[k], this.#latArr[k], this.#tagList.get(k));
    return out;
  }

  /** Positions of nodes with tags, in order. */
  taggedPositions(): number[] {
    this.settle();
    return [...this.#tagList.keys()].sort((a, b) => a - b);
  }

  get(id: number): OsmNode | undefined {
    const k = this.indexOf(id);
    return k < 0 ? undefined : this.nodeAt(k);
  }

  has(id: number): boolean {
    return this.indexOf(id) >= 0;
  }

  forEach(fn: (value: OsmNode, key: number, map: ReadonlyMap<number, OsmNode>) => void, thisArg?: unknown): void {
    for (let k = 0; k < this.size; k++) fn.call(thisArg, this.nodeAt(k), this.#idArr[k], this);
  }

  *entries(): MapIterator<[number, OsmNode]> {
    for (let k = 0; k < this.size; k++) yield [this.#idArr[k], this.nodeAt(k)];
  }

  *keys(): MapIterator<number> {
    for (let k = 0; k < this.size; k++) yield this.#idArr[k];
  }

  *values(): MapIterator<OsmNode> {
    for (let k = 0; k < this.size; k++) yield this.nodeAt(k);
  }

  [Symbol.iterator](): MapIterator<[number, OsmNode]> {
    return this.entries();
  }
}
