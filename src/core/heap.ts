/**
 * Per-node marks of a search (reached, settled, wanted), each valid while it equals the current generation: a new
 * run starts with `next()` instead of clearing the arrays.
 */
export class RunMarks {
  readonly seen: Uint32Array;
  readonly done: Uint32Array;
  readonly want: Uint32Array;
  gen = 0;

  constructor(n: number) {
    this.seen = new Uint32Array(n);
    this.done = new Uint32Array(n);
    this.want = new Uint32Array(n);
  }

  /** The next run's generation. */
  next(): number {
    if (++this.gen === 0xffffffff) {
      this.seen.fill(0);
      this.done.fill(0);
      this.want.fill(0);
      this.gen = 1;
    }
    return this.gen;
  }
}

/**
 * Indexed binary min-heap of node ids on typed arrays (the Dijkstra queue of search.ts): a node's
 * key can be lowered in place. Buffers are sized once for the graph; `clear` empties it without touching them.
 */
export class IndexedHeap {
  readonly node: Uint32Array;
  readonly key: Float64Array;
  /** Position of each node in the heap (valid only while it is in it). */
  readonly pos: Uint32Array;
  size = 0;

  constructor(capacity: number) {
    this.node = new Uint32Array(capacity);
    this.key = new Float64Array(capacity);
    this.pos = new Uint32Array(capacity);
  }

  clear(): void {
    this.size = 0;
  }

  push(v: number, key: number): void {
    const i = this.size++;
    this.node[i] = v;
    this.key[i] = key;
    this.pos[v] = i;
    this.up(i, v, key);
  }

  /** Lowers the key of node v, which is in the heap. */
  lower(v: number, key: number): void {
    this.up(this.pos[v], v, key);
  }

  /** Removes the top node (the caller has read node[0] / key[0]). */
  pop(): void {
    const hn = this.node, hk = this.key, hp = this.pos;
    const size = --this.size;
    if (size === 0) return;
    const v = hn[size], key = hk[size];
    let i = 0;
    for (;;) {
      let c = 2 * i + 1;
      if (c >= size) break;
      if (c + 1 < size && hk[c + 1] < hk[c]) c++;
      if (hk[c] >= key) break;
      hn[i] = hn[c];
      hk[i] = hk[c];
      hp[hn[i]] = i;
      i = c;
    }
    hn[i] = v;
    hk[i] = key;
    hp[v] = i;
  }

  private up(i: number, v: number, key: number): void {
    const hn = this.node, hk = this.key, hp = this.pos;
    while (i > 0) {
      const p = (i - 1) >> 1;
      if (hk[p] <= key) break;
      hn[i] = hn[p];
      hk[i] = hk[p];
      hp[hn[i]] = i;
      i = p;
    }
    hn[i] = v;
    hk[i] = key;
    hp[v] = i;
  }
}
