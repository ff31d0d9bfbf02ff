/**
 * A flatbush R-tree packed directly in flatbush's serialized layout (an 8-byte header, the boxes of the leaves then
 * of each level up to the root, then the indices) and opened with Flatbush.from: searches are flatbush's own. As
 * flatbush's finish() does, the leaves are ordered by the Hilbert value of their box centre on a 2^16 × 2^16 grid and
 * grouped `nodeSize` to a parent; unlike it, the keys are radix-sorted in linear time and each box is written once at
 * its rank, instead of a quicksort that moves the boxes (on the 1 M-node grid, 2 M segments: under half the
 * time). The tree answers the same hit sets as one built with add() + finish(); the order of hits may differ.
 */
import Flatbush from 'flatbush';

/**
 * Hilbert curve of order 4 as a state machine over 4-bit slices of x and y: entry (state << 8 | xNibble << 4 |
 * yNibble) holds the slice's 8 bits of the curve position << 2 | the next state. States are the four orientations
 * of a sub-square: bit 0 = x and y swapped, bit 1 = both complemented.
 */
const NIBBLE_STEP: readonly number[] = hilbertNibbleTable();

function hilbertNibbleTable(): number[] {
  const table: number[] = [];
  for (let state = 0; state < 4; state++)
    for (let xs = 0; xs < 16; xs++)
      for (let ys = 0; ys < 16; ys++) {
        let swap = state & 1, flip = state >> 1, d = 0;
        for (let bit = 3; bit >= 0; bit--) {
          let qx = ((xs >> bit) & 1) ^ flip, qy = ((ys >> bit) & 1) ^ flip;
          if (swap) [qx, qy] = [qy, qx];
          d = (d << 2) | ((3 * qx) ^ qy);
          // the lower quadrants are entered turned: swapped, and complemented too in the lower right one
          if (qy === 0) { swap ^= 1; flip ^= qx; }
        }
        table.push((d << 2) | (flip << 1) | swap);
      }
  return table;
}

/** Position of cell (x, y) (integers 0 … 65535) along a Hilbert curve filling the 2^16 × 2^16 grid (0 … 2^32 − 1). */
export function hilbertKey(x: number, y: number): number {
  // four table steps of 4 bits each, unrolled (this runs once per indexed segment)
  let t = NIBBLE_STEP[((x >> 8) & 0xf0) | ((y >> 12) & 15)];
  let d = t >> 2;
  t = NIBBLE_STEP[((t & 3) << 8) | ((x >> 4) & 0xf0) | ((y >> 8) & 15)];
  d = (d << 8) | (t >> 2);
  t = NIBBLE_STEP[((t & 3) << 8) | (x & 0xf0) | ((y >> 4) & 15)];
  d = (d << 8) | (t >> 2);
  t = NIBBLE_STEP[((t & 3) << 8) | ((x << 4) & 0xf0) | (y & 15)];
  return ((d << 8) | (t >> 2)) >>> 0;
}

/**
 * The rank of every item when the items are ordered by key (unsigned 32-bit), ties by item number: an LSD radix
 * sort in two 16-bit passes (linear time, no comparisons) that writes rank[item] = position. `byLow` and `highOf`
 * are scratch space (they may share memory with `keys`' buffer, not with `keys` or `rank`).
 */
export function radixRanks(keys: Uint32Array, rank = new Uint32Array(keys.length), byLow = new Uint32Array(keys.length), highOf = new Uint16Array(keys.length)): Uint32Array {
  const n = keys.length;
  const lowCount = new Uint32Array(65537), highCount = new Uint32Array(65537);
  for (let i = 0; i < n; i++) {
    const k = keys[i];
    lowCount[(k & 0xffff) + 1]++;
    highCount[(k >>> 16) + 1]++;
  }
  for (let b = 1; b <= 65536; b++) { lowCount[b] += lowCount[b - 1]; highCount[b] += highCount[b - 1]; }
  // the first pass also carries each item's high half along, so the second reads it in sequence
  for (let i = 0; i < n; i++) {
    const k = keys[i], p = lowCount[k & 0xffff]++;
    byLow[p] = i;
    highOf[p] = k >>> 16;
  }
  for (let j = 0; j < n; j++) rank[byLow[j]] = highCount[highOf[j]]++;
  return rank;
}

/** Extent of points: [minX, minY, maxX, maxY]. */
export function pointsExtent(x: Float64Array, y: Float64Array): [number, number, number, number] {
  let minX = Infinity, minY = Infinity, maxX = -Infinity, maxY = -Infinity;
  for (let i = 0; i < x.length; i++) {
    const px = x[i], py = y[i];
    if (px < minX) minX = px;
    if (px > maxX) maxX = px;
    if (py < minY) minY = py;
    if (py > maxY) maxY = py;
  }
  return [minX, minY, maxX, maxY];
}

/**
 * A flatbush index (Float64 boxes, `nodeSize` as flatbush's) over the boxes of point pairs: item i is the bounding
 * box of points from[items[i]] and to[items[i]] of (x, y) — for road segments, their end nodes. Null when there is
 * no item. Search hits are item numbers i. `extent` (pointsExtent, or any box holding every point) may be given when
 * the caller has it.
 */
export function pairBoxIndex(x: Float64Array, y: Float64Array, from: Uint32Array, to: Uint32Array, items: Uint32Array, nodeSize = 16, extent = pointsExtent(x, y)): Flatbush | null {
  const count = items.length;
  if (count === 0) return null;

  // flatbush's layout: level sizes as its constructor computes them, index type by node count
  const levelEnd: number[] = [count];
  let numNodes = count;
  let n = count;
  do { // at least one level above the leaves, even for one item
    n = Math.ceil(n / nodeSize);
    numNodes += n;
    levelEnd.push(numNodes);
  } while (n !== 1);
  const Index = numNodes < 16384 ? Uint16Array : Uint32Array;
  const data = new ArrayBuffer(8 + numNodes * 32 + numNodes * Index.BYTES_PER_ELEMENT);
  // the header (magic, format version, coordinate type) as flatbush itself writes it; then node size and item count
  new Uint8Array(data, 0, 2).set(new Uint8Array(new Flatbush(1).data, 0, 2));
  new Uint16Array(data, 2, 1)[0] = nodeSize;
  new Uint32Array(data, 4, 1)[0] = count;
  const boxes = new Float64Array(data, 8, numNodes * 4), indices = new Index(data, 8 + numNodes * 32, numNodes);

  // Hilbert keys as flatbush's finish() computes them: the centre of a box scaled onto 0 … 65535 (over the points'
  // extent: it only orders the items, any box holding their centres gives a valid tree). The keys and the sort's
  // scratch live in the boxes' space (written over by the leaves afterwards): 10 bytes an item not allocated.
  const [minX, minY, maxX, maxY] = extent;
  const sx = 65535 / (maxX - minX || 1), sy = 65535 / (maxY - minY || 1);
  const keys = new Uint32Array(data, 8, count);
  for (let i = 0; i < count; i++) {
    const it = items[i], a = from[it], b = to[it];
    keys[i] = hilbertKey((sx * ((x[a] + x[b]) / 2 - minX)) | 0, (sy * ((y[a] + y[b]) / 2 - minY)) | 0);
  }
  const rank = radixRanks(keys, new Uint32Array(count), new Uint32Array(data, 8 + 4 * count, count), new Uint16Array(data, 8 + 8 * count, count));

  // The leaves: each item's box put at its rank, reading the items in their order (a scatter of one box each is
  // about twice as fast here as gathering the points of the items in key order).
  for (let i = 0; i < count; i++) {
    const it = items[i], xa = x[from[it]], xb = x[to[it]], ya = y[from[it]], yb = y[to[it]];
    const r = rank[i], p = r * 4;
    boxes[p] = Math.min(xa, xb);
    boxes[p + 1] = Math.min(ya, yb);
    boxes[p + 2] = Math.max(xa, xb);
    boxes[p + 3] = Math.max(ya, yb);
    indices[r] = i;
  }
  // each parent, level by level: the box of `nodeSize` consecutive children, its index the position (× 4) of its first child
  let pos = count * 4;
  for (let level = 0, read = 0; level < levelEnd.length - 1; level++) {
    const end = levelEnd[level] * 4;
    while (read < end) {
      indices[pos >> 2] = read;
      let x0 = boxes[read], y0 = boxes[read + 1], x1 = boxes[read + 2], y1 = boxes[read + 3];
      read += 4;
      for (let j = 1; j < nodeSize && read < end; j++, read += 4) {
        x0 = Math.min(x0, boxes[read]);
        y0 = Math.min(y0, boxes[read + 1]);
        x1 = Math.max(x1, boxes[read + 2]);
        y1 = Math.max(y1, boxes[read + 3]);
      }
      boxes[pos++] = x0; boxes[pos++] = y0; boxes[pos++] = x1; boxes[pos++] = y1;
    }
  }
  return Flatbush.from(data);
}
