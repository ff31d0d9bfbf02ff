/**
 * OSM nodes in typed arrays (ids and positions in Float64Arrays, an id → position hash, tags only where a node has
 * some), read as a Map<number, OsmNode>: the PBF reader fills one instead of a Map of one object per node, so a
 * city's million nodes cost 24 bytes each plus the hash, not an object and a Map entry each. `get`, `values` … build
 * the OsmNode object when asked (same fields, same order as the readers' objects); hot loops (buildGraph, clipOsm)
 * read the arrays by position instead. Insertion order and Map.set semantics (a repeated id replaces the node in its
 * first place) are kept. Each reader owns its instance; nothing is shared between calls.
 */
import { IdIndex } from './idIndex';
import type { OsmNode, Tags } from './types';

export class NodeStore implements ReadonlyMap<number, OsmNode> {
  ids: Float64Array;
  lons: Float64Array;
  lats: Float64Array;
  private tagList = new Map<number, Tags>();
  private index: IdIndex;
  private count = 0;
  readonly [Symbol.toStringTag] = 'NodeStore';

  constructor(expected = 0) {
    const cap = Math.max(16, expected);
    this.ids = new Float64Array(cap);
    this.lons = new Float64Array(cap);
    this.lats = new Float64Array(cap);
    this.index = new IdIndex(expected);
  }

  get size(): number {
    return this.count;
  }

  /** Adds a node, or replaces the node of the same id in its place (as Map.set). `tags` only when it has keys. */
  set(id: number, lon: number, lat: number, tags?: Tags): void {
    let k = this.index.getOrAdd(id, this.count);
    if (k < 0) {
      k = this.count++;
      if (k === this.ids.length) this.grow();
      this.ids[k] = id;
    } else this.tagList.delete(k);
    this.lons[k] = lon;
    this.lats[k] = lat;
    if (tags) this.tagList.set(k, tags);
  }

  private grow(): void {
    const n = this.ids.length * 2;
    const more = (a: Float64Array) => { const b = new Float64Array(n); b.set(a); return b; };
    this.ids = more(this.ids);
    this.lons = more(this.lons);
    this.lats = more(this.lats);
  }

  /** Position of a node id in the arrays, or -1. */
  indexOf(id: number): number {
    return this.index.at(id);
  }

  /** Tags of the node at position k (undefined: none). */
  tagsAt(k: number): Tags | undefined {
    return this.tagList.get(k);
  }

  /** The node at position k as an object (the shape every reader returns). */
  nodeAt(k: number): OsmNode {
    const n: OsmNode = { id: this.ids[k], lon: this.lons[k], lat: this.lats[k] };
    const t = this.tagList.get(k);
    if (t) n.tags = t;
    return n;
  }

  /** The nodes for which `keep(position)` holds, in their order, as a new store. */
  subset(keep: (k: number) => boolean): NodeStore {
    const out = new NodeStore();
    for (let k = 0; k < this.count; k++) if (keep(k)) out.set(this.ids[k], this.lons[k], this.lats[k], this.tagList.get(k));
    return out;
  }

  /** Positions of nodes with tags, in order. */
  taggedPositions(): number[] {
    return [...this.tagList.keys()].sort((a, b) => a - b);
  }

  get(id: number): OsmNode | undefined {
    const k = this.index.get(id);
    return k === undefined ? undefined : this.nodeAt(k);
  }

  has(id: number): boolean {
    return this.index.has(id);
  }

  forEach(fn: (value: OsmNode, key: number, map: ReadonlyMap<number, OsmNode>) => void, thisArg?: unknown): void {
    for (let k = 0; k < this.count; k++) fn.call(thisArg, this.nodeAt(k), this.ids[k], this);
  }

  *entries(): MapIterator<[number, OsmNode]> {
    for (let k = 0; k < this.count; k++) yield [this.ids[k], this.nodeAt(k)];
  }

  *keys(): MapIterator<number> {
    for (let k = 0; k < this.count; k++) yield this.ids[k];
  }

  *values(): MapIterator<OsmNode> {
    for (let k = 0; k < this.count; k++) yield this.nodeAt(k);
  }

  [Symbol.iterator](): MapIterator<[number, OsmNode]> {
    return this.entries();
  }
}
