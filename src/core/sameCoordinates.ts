/**
 * Points with equal integer coordinates (a graph build merges OSM nodes at the same position): for each point the first
 * point with its coordinates. Pure; typed arrays only.
 */

/** A 32-bit hash of integer coordinates (murmur3's finaliser on x and y mixed). */
function coordHash(x: number, y: number): number {
  let h = Math.imul(x, 0x9e3779b1) ^ y;
  h ^= h >>> 16; h = Math.imul(h, 0x85ebca6b); h ^= h >>> 13; h = Math.imul(h, 0xc2b2ae35); h ^= h >>> 16;
  return h >>> 0;
}

/**
 * For each of `count` points (x[i], y[i]): the first point with the same coordinates (i itself when none comes before
 * it), or null when no two points are equal. Equal points have equal hashes: one pass marks each hash's low bits in a
 * bit set (16 bits a point: a point shares its bits with an earlier one in about 1 case in 16) and a second bit set
 * the bits met twice; only the points on those bits can have an equal point, and firstOfSameAmong searches them
 * alone (a cache-sized bit set per point instead of a bucket sort of them all).
 */
export function firstOfSameCoordinates(x: Int32Array, y: Int32Array, count: number): Int32Array | null {
  let bits = 1 << 10;
  // (at most 2^28 bits, 32 MiB a set: past 16 M points more of them are searched, the answer is the same; an
  // unbounded size would overflow the 32-bit mask past 2^27 points)
  while (bits < 16 * count && bits < 1 << 28) bits *= 2;
  // (the two sets interleaved word by word: one cache line per point)
  const mask = bits - 1, sets = new Int32Array(bits >>> 4);
  let maybe = 0;
  for (let i = 0; i < count; i++) {
    const b = coordHash(x[i], y[i]) & mask, seen = (b >>> 5) << 1, bit = 1 << (b & 31);
    if ((sets[seen] & bit) === 0) sets[seen] |= bit;
    else if ((sets[seen + 1] & bit) === 0) { sets[seen + 1] |= bit; maybe++; }
  }
  if (maybe === 0) return null;
  const some: number[] = [];
  for (let i = 0; i < count; i++) {
    const b = coordHash(x[i], y[i]) & mask;
    if ((sets[((b >>> 5) << 1) + 1] & (1 << (b & 31))) !== 0) some.push(i);
  }
  const k = some.length, sx = new Int32Array(k), sy = new Int32Array(k);
  for (let j = 0; j < k; j++) { sx[j] = x[some[j]]; sy[j] = y[some[j]]; }
  const firstAmong = firstOfSameAmong(sx, sy, k);
  if (!firstAmong) return null;
  const first = new Int32Array(count);
  for (let i = 0; i < count; i++) first[i] = i;
  for (let j = 0; j < k; j++) first[some[j]] = some[firstAmong[j]];
  return first;
}

/**
 * firstOfSameCoordinates by search among all the points given. The points are first spread by the top 11 bits of a coordinate hash into
 * 2048 buckets (two sequential passes), then each bucket is searched with a small hash table that stays in cache
 * (one large table probed at random costs a cache miss per point). A bucket whose probes run long (crafted hash
 * collisions) is sorted by coordinates instead, so the time stays O(n log n) whatever the input.
 */
function firstOfSameAmong(x: Int32Array, y: Int32Array, count: number): Int32Array | null {
  const BITS = 11, B = 1 << BITS, SHIFT = 32 - BITS;
  const start = new Uint32Array(B + 1);
  for (let i = 0; i < count; i++) start[(coordHash(x[i], y[i]) >>> SHIFT) + 1]++;
  let most = 0;
  for (let b = 0; b < B; b++) { most = Math.max(most, start[b + 1]); start[b + 1] += start[b]; }
  // (hash, point) by bucket, in point order within a bucket
  const key = new Uint32Array(count), point = new Uint32Array(count), next = start.slice(0, B);
  for (let i = 0; i < count; i++) {
    const h = coordHash(x[i], y[i]);
    const at = next[h >>> SHIFT]++;
    key[at] = h; point[at] = i;
  }
  let size = 2;
  while (size < 2 * most) size *= 2;
  const stamp = new Uint32Array(size), slotAt = new Uint32Array(size);
  let first: Int32Array | null = null;
  const same = (i: number, q: number) => {
    if (!first) { first = new Int32Array(count); for (let k = 0; k < count; k++) first[k] = k; }
    first[i] = q;
  };
  for (let b = 0; b < B; b++) {
    const s0 = start[b], s1 = start[b + 1];
    if (s1 - s0 < 2) continue;
    let mask = 1;
    while (mask < 2 * (s1 - s0)) mask *= 2;
    mask--;
    let probes = 0;
    const limit = 8 * (s1 - s0) + 64;
    for (let j = s0; j < s1 && probes <= limit; j++) {
      const h = key[j], i = point[j];
      for (let t = h & mask; ; t = (t + 1) & mask) {
        if (stamp[t] !== b + 1) { stamp[t] = b + 1; slotAt[t] = j; break; }
        const q = point[slotAt[t]];
        if (key[slotAt[t]] === h && x[q] === x[i] && y[q] === y[i]) { same(i, q); break; }
        if (++probes > limit) break;
      }
    }
    if (probes > limit) {
      const run = point.subarray(s0, s1).sort((p, q) => x[p] - x[q] || y[p] - y[q] || p - q);
      for (let r = 1, lead = 0; r < run.length; r++) {
        if (x[run[r]] !== x[run[lead]] || y[run[r]] !== y[run[lead]]) lead = r;
        else same(run[r], run[lead]);
      }
    }
  }
  return first;
}
