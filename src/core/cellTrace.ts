/**
 * The one raster tracer (isochrones, districts, coverage pockets) and the one point-in-ring test. A region is
 * the set of grid cells marked in a mask; its boundary is traced along cell sides into closed rings of grid
 * vertices (id i + j·(W+1)), the region always on the left: outer rings counter-clockwise, holes clockwise.
 * Cells that touch only at a corner belong to different rings (4-connectivity: at such a vertex the walk turns
 * left), so rings never cross; each hole goes to the smallest outer ring around it.
 */

/** Whether ring side (xj, yj)–(xi, yi) crosses the ray from (px, py) to the east: the even–odd step, written once. */
export const crossesRay = (xi: number, yi: number, xj: number, yj: number, px: number, py: number): boolean =>
  yi > py !== yj > py && px < ((xj - xi) * (py - yi)) / (yj - yi) + xi;

/** Even–odd test of point (x, y) against a ring given by n vertices (x(i), y(i)); any coordinates. */
export function inRingBy(n: number, x: (i: number) => number, y: (i: number) => number, px: number, py: number): boolean {
  let inside = false;
  for (let i = 0, j = n - 1; i < n; j = i++) if (crossesRay(x(i), y(i), x(j), y(j), px, py)) inside = !inside;
  return inside;
}

/** inRingBy on a ring of [x, y] positions (lon/lat or grid units). */
export const inRing = (ring: ArrayLike<ArrayLike<number>>, x: number, y: number): boolean =>
  inRingBy(ring.length, (i) => ring[i][0], (i) => ring[i][1], x, y);

export interface TracedCells {
  /** Polygons as rings of vertex ids, [outer, ...holes]; only corner vertices are kept. */
  polygons: number[][][];
  /** Number of marked cells. */
  cells: number;
}

/** Direction of the step a → b between neighbouring vertices: 0 east, 1 north, 2 west, 3 south. */
const dirOf = (a: number, b: number, V: number): number => (b === a + 1 ? 0 : b === a + V ? 1 : b === a - 1 ? 2 : 3);

/** Traces the cells with mask[i + j·W] ≠ 0 (W × H cells; beyond the mask counts as unmarked). */
export function traceCells(mask: ArrayLike<number>, W: number, H: number): TracedCells {
  const V = W + 1;
  // Boundary sides leaving each vertex (at most two: a vertex where marked cells touch diagonally).
  const next = new Int32Array(V * (H + 1)).fill(-1), next2 = new Int32Array(V * (H + 1)).fill(-1);
  const starts: number[] = [];
  const emit = (a: number, b: number) => {
    if (next[a] < 0) { next[a] = b; starts.push(a); } else next2[a] = b;
  };
  let cells = 0;
  for (let j = 0; j < H; j++)
    for (let i = 0, idx = j * W; i < W; i++, idx++) {
      if (!mask[idx]) continue;
      cells++;
      const v = j * V + i;
      if (j === 0 || !mask[idx - W]) emit(v, v + 1);
      if (i === W - 1 || !mask[idx + 1]) emit(v + 1, v + 1 + V);
      if (j === H - 1 || !mask[idx + W]) emit(v + V + 1, v + V);
      if (i === 0 || !mask[idx - 1]) emit(v + V, v);
    }
  /** The side out of v to take after arriving from `from`: the left turn where there are two. */
  const take = (from: number, v: number): number => {
    const a = next[v], b = next2[v];
    if (b < 0) { next[v] = -1; return a; }
    const left = (dirOf(from, v, V) + 1) % 4;
    if (dirOf(v, a, V) === left) { next[v] = b; next2[v] = -1; return a; }
    next2[v] = -1;
    return b;
  };
  const outers: { ring: number[]; area: number; box: number[] }[] = [];
  const holes: { ring: number[]; area: number; probe: [number, number] }[] = [];
  const X = (v: number) => v % V, Y = (v: number) => (v - (v % V)) / V;
  for (const s of starts) {
    while (next[s] >= 0) {
      const first = next[s];
      next[s] = next2[s];
      next2[s] = -1;
      const raw: number[] = [s];
      let prev = s, v = first;
      for (;;) {
        if (v === s) {
          // Back at the start: close (by the first side) unless the left-turn rule leaves by the other one.
          if (next[s] < 0 || dirOf(s, next[s], V) !== (dirOf(prev, s, V) + 1) % 4) break;
        }
        raw.push(v);
        const out = take(prev, v);
        prev = v;
        v = out;
      }
      // Corners only; shoelace area in grid units (counter-clockwise > 0).
      const n = raw.length, ring: number[] = [];
      for (let i = 0; i < n; i++) {
        const p = raw[i === 0 ? n - 1 : i - 1], c = raw[i], q = raw[i === n - 1 ? 0 : i + 1];
        if (c - p !== q - c) ring.push(c);
      }
      let area = 0;
      for (let i = 0; i < ring.length; i++) {
        const a = ring[i], b = ring[i + 1 === ring.length ? 0 : i + 1];
        area += X(a) * Y(b) - X(b) * Y(a);
      }
      if (area > 0) {
        let x0 = Infinity, y0 = Infinity, x1 = -Infinity, y1 = -Infinity;
        for (const p of ring) { x0 = Math.min(x0, X(p)); x1 = Math.max(x1, X(p)); y0 = Math.min(y0, Y(p)); y1 = Math.max(y1, Y(p)); }
        outers.push({ ring, area: area / 2, box: [x0, y0, x1, y1] });
      } else {
        // A point inside the marked cell beside the hole's first side (the region is on its left).
        const a = raw[0], b = raw[1], dx = X(b) - X(a), dy = Y(b) - Y(a);
        holes.push({ ring, area: -area / 2, probe: [(X(a) + X(b)) / 2 - dy * 0.25, (Y(a) + Y(b)) / 2 + dx * 0.25] });
      }
    }
  }
  const polygons: number[][][] = outers.map((o) => [o.ring]);
  for (const h of holes) {
    const [px, py] = h.probe;
    // Outer rings whose box holds the probe; the exact test only when more than one does.
    const cand: number[] = [];
    for (let o = 0; o < outers.length; o++) {
      const { area, box } = outers[o];
      if (area > h.area && px > box[0] && px < box[2] && py > box[1] && py < box[3]) cand.push(o);
    }
    let best = cand.length === 1 ? cand[0] : -1;
    if (cand.length > 1)
      for (const o of cand) {
        const ring = outers[o].ring;
        if ((best < 0 || outers[o].area < outers[best].area) && inRingBy(ring.length, (i) => X(ring[i]), (i) => Y(ring[i]), px, py)) best = o;
      }
    if (best >= 0) polygons[best].push(h.ring);
  }
  return { polygons, cells };
}
