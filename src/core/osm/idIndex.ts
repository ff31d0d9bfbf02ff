/**
 * OSM id → whole number: an open-addressing hash on typed arrays (ids are whole numbers up to 2^53), about three
 * times quicker than a Map on a city's million nodes and without its per-entry memory. Also used as a set of ids
 * (value 0). Pure data structure; each caller owns its instance.
 */
export class IdIndex {
  /**
   * Slot i holds its id at [2i] and its value + 1 at [2i + 1] (0: empty, so a new table needs no filling: a city's
   * table is millions long): one cache line per probe, not two arrays.
   */
  private table: Float64Array;
  private mask: number;
  private count = 0;
  constructor(expected = 0) {
    let cap = 1024;
    while (cap < expected * 2) cap *= 2;
    this.table = new Float64Array(cap * 2);
    this.mask = cap - 1;
  }
  get size(): number {
    return this.count;
  }
  /** Index into `table` of the id's slot (the value is at +1), or of the empty slot where it would go. */
  private slot(id: number): number {
    return IdIndex.find(this.table, this.mask, id);
  }
  private static find(t: Float64Array, mask: number, id: number): number {
    // ids of one way or one PBF block run in sequence: 8 consecutive ids share a block of 8 slots (two cache lines)
    // placed by a hash of id >> 3, so a run of ids reads a few cache lines instead of one line per id
    const lo = id | 0, hi = (id / 4294967296) | 0;
    let h = Math.imul(lo >>> 3 | hi << 29, 0x9e3779b1) ^ Math.imul(hi ^ (lo >>> 18), 0x85ebca6b);
    h ^= h >>> 13;
    let i = ((h << 3) | (lo & 7)) & mask;
    while (t[2 * i + 1] !== 0 && t[2 * i] !== id) i = (i + 1) & mask;
    return 2 * i;
  }
  has(id: number): boolean {
    return this.table[this.slot(id) + 1] !== 0;
  }
  /** The value stored for `id`, or undefined. */
  get(id: number): number | undefined {
    const v = this.table[this.slot(id) + 1];
    return v === 0 ? undefined : v - 1;
  }
  /** The value stored for `id`, or -1. */
  at(id: number): number {
    return this.table[this.slot(id) + 1] - 1;
  }
  /** Stores a new id → v (the id must not be stored yet; v ≥ 0). */
  add(id: number, v = 0): void {
    if ((this.count + 1) * 2 > this.mask + 1) this.grow(this.count + 1);
    const i = this.slot(id);
    this.table[i] = id; this.table[i + 1] = v + 1;
    this.count++;
  }
  /** The value stored for `id`; when there is none, stores id → v (v ≥ 0) and returns -1 (one probe, not two). */
  getOrAdd(id: number, v: number): number {
    if ((this.count + 1) * 2 > this.mask + 1) this.grow(this.count + 1);
    const i = this.slot(id);
    if (this.table[i + 1] !== 0) return this.table[i + 1] - 1;
    this.table[i] = id; this.table[i + 1] = v + 1;
    this.count++;
    return -1;
  }
  /** Makes room for `more` new ids at once (one grow step instead of several while they are added). */
  reserve(more: number): void {
    if ((this.count + more) * 2 > this.mask + 1) this.grow(this.count + more);
  }
  /** A table at least twice as large, holding `want` ids at most half full; the stored ids moved over. */
  private grow(want: number): void {
    const old = this.table;
    let cap = (this.mask + 1) * 2;
    while (cap < want * 2) cap *= 2;
    const t = new Float64Array(cap * 2), mask = cap - 1;
    for (let i = 0; i < old.length; i += 2) {
      if (old[i + 1] === 0) continue;
      const j = IdIndex.find(t, mask, old[i]);
      t[j] = old[i]; t[j + 1] = old[i + 1];
    }
    this.table = t;
    this.mask = mask;
  }
}
