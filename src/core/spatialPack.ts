/**
 * A flatbush R-tree packed directly in flatbush's serialized layout (an 8-byte header, the boxes of the leaves then
 * of each level up to the root, then the indices) and opened with Flatbush.from: searches are flatbush's own. The
 * items are ordered as flatbush's finish() orders them — by the Hilbert value of their box centre on a 2^16 × 2^16
 * grid over all the boxes — but with a linear-time radix sort of the keys instead of a quicksort that moves the boxes
 * (on the 1 M-node grid: 2 M segments, about a quarter of the time). The tree answers the same hit sets as one built
 * with add() + finish(); the order of hits inside it may differ.
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
 * Item numbers 0 … keys.length − 1 ordered by key (unsigned 32-bit), ties by item number: an LSD radix sort in two
 * 16-bit passes (linear time, no comparisons), written into `order`. `byLow` and `highOf` are scratch space;
 * `order` may be `keys` itself (read no more by the second pass), not the scratch.
 */
export function radixOrder(keys: Uint32Array, order = new Uint32Array(keys.length), byLow = new Uint32Array(keys.length), highOf = new Uint16Array(keys.length)): Uint32Array {
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
  for (let j = 0; j < n; j++) order[highCount[highOf[j]]++] = byLow[j];
  return order;
}

/**
 * A flatbush index (Float64 boxes, `nodeSize` as flatbush's) over the boxes of point pairs: item i is the bounding
 * box of points from[items[i]] and to[items[i]] of (x, y) — for road segments, their end nodes. Null when there is
 * no item. Search hits are item numbers i.
 */
export function pairBoxIndex(x: Float64Array, y: Float64Array, from: Uint32Array, to: Uint32Array, items: Uint32Array, nodeSize = 16): Flatbush | null {
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

  // The sort's arrays live in the buffer (no 20 bytes an item more to allocate): keys and scratch in the boxes'
  // space, written over by the leaves afterwards; the order straight in the leaves' indices when they are 32-bit.
  const keys = new Uint32Array(data, 8, count);
  const order = indices instanceof Uint32Array ? indices.subarray(0, count) : new Uint32Array(count);
  // The Hilbert grid spans all the points (it only orders the items: any extent holding their centres gives a valid tree).
  let minX = Infinity, minY = Infinity, maxX = -Infinity, maxY = -Infinity;
  for (let i = 0; i < x.length; i++) {
    const px = x[i], py = y[i];
    if (px < minX) minX = px;
    if (px > maxX) maxX = px;
    if (py < minY) minY = py;
    if (py > maxY) maxY = py;
  }
  // as flatbush's finish(): the centre of a box scaled onto 0 … 65535
  const sx = 65535 / (maxX - minX || 1), sy = 65535 / (maxY - minY || 1);
  for (let i = 0; i < count; i++) {
    const it = items[i], a = from[it], b = to[it];
    keys[i] = hilbertKey((sx * ((x[a] + x[b]) / 2 - minX)) | 0, (sy * ((y[a] + y[b]) / 2 - minY)) | 0);
  }
  radixOrder(keys, order, new Uint32Array(data, 8 + 4 * count, count), new Uint16Array(data, 8 + 8 * count, count));

  // the leaves in key order, and their parents (the first level up) on the way: the boxes are not read twice
  let pos = count * 4;
  for (let i = 0, p = 0; i < count;) {
    const blockEnd = Math.min(i + nodeSize, count);
    indices[pos >> 2] = p;
    let x0 = Infinity, y0 = Infinity, x1 = -Infinity, y1 = -Infinity;
    for (; i < blockEnd; i++) {
      const item = order[i], it = items[item], xa = x[from[it]], xb = x[to[it]], ya = y[from[it]], yb = y[to[it]];
      const bx0 = Math.min(xa, xb), by0 = Math.min(ya, yb), bx1 = Math.max(xa, xb), by1 = Math.max(ya, yb);
      boxes[p++] = bx0; boxes[p++] = by0; boxes[p++] = bx1; boxes[p++] = by1;
      indices[i] = item;
      x0 = Math.min(x0, bx0); y0 = Math.min(y0, by0); x1 = Math.max(x1, bx1); y1 = Math.max(y1, by1);
    }
    boxes[pos++] = x0; boxes[pos++] = y0; boxes[pos++] = x1; boxes[pos++] = y1;
  }
  // each further parent: the box of `nodeSize` consecutive children, its index the position (× 4) of its first child
  for (let level = 1, read = count * 4; level < levelEnd.length - 1; level++) {
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
