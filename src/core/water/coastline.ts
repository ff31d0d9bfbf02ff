/**
 * Sea polygons from OSM natural=coastline ways, clipped to a box, the way osmcoastline does it:
 *  1. coastline pieces are joined end to end (equal end coordinates) into chains; a chain whose ends meet is a ring;
 *  2. every chain and ring is clipped to the box; each piece inside runs from an entry point on the box boundary to
 *     an exit point (or is a ring wholly inside);
 *  3. OSM puts the land on the left of a coastline and the sea on the right, so a sea ring walks a piece backwards
 *     (exit → entry) and then along the box boundary counter-clockwise from that entry to the next exit, and so on
 *     until it is back at its first piece;
 *  4. rings wholly inside the box: counter-clockwise ones are islands (holes of the sea polygon around them),
 *     clockwise ones enclose sea (a lagoon inside the land);
 *  5. a box with no coastline crossing it is land, unless it holds islands (then the sea surrounds them).
 * A chain that ends inside the box (the extract was cut there) is carried straight on to the nearest point of the box
 * boundary and counted in `danglingEnds`, so an incomplete extract still gives a closed sea (approximate there).
 * Coordinates are lon/lat degrees treated as a plane (the box is a few km), rings are closed, outer rings are
 * counter-clockwise and holes clockwise (RFC 7946).
 */
import type { Feature, Polygon, Position } from 'geojson';

/** [west, south, east, north] in degrees. */
export type Box = [number, number, number, number];

export interface SeaResult {
  /** Sea polygons inside the box (may be empty: all land). */
  sea: Polygon[];
  /** Chain ends inside the box carried on to its boundary (the extract was cut there, or the data are broken). */
  danglingEnds: number;
  /** Sea rings that could not be closed consistently (coastlines in the wrong direction); left out. */
  brokenRings: number;
}

const key = (p: Position) => `${p[0]},${p[1]}`;
const same = (p: Position, q: Position) => p[0] === q[0] && p[1] === q[1];

/** Signed area (degrees²), > 0 for a counter-clockwise ring. */
export function signedArea(r: Position[]): number {
  let a = 0;
  for (let i = 0, j = r.length - 1; i < r.length; j = i++) a += (r[j][0] - r[i][0]) * (r[j][1] + r[i][1]);
  return a / 2;
}

function inRing(p: Position, r: Position[]): boolean {
  let inside = false;
  for (let i = 0, j = r.length - 1; i < r.length; j = i++) {
    const [xi, yi] = r[i], [xj, yj] = r[j];
    if (yi > p[1] !== yj > p[1] && p[0] < ((xj - xi) * (p[1] - yi)) / (yj - yi) + xi) inside = !inside;
  }
  return inside;
}

/**
 * Joins coastline pieces into the longest chains: a piece whose first point is another's last point continues it.
 * Direction is kept (coastline ways are direction-consistent: land on the left); pieces in any order.
 */
export function joinCoastline(pieces: Position[][]): Position[][] {
  const chains = pieces.filter((p) => p.length > 1).map((p) => p.slice());
  const byStart = new Map<string, number>();
  chains.forEach((c, i) => { if (!same(c[0], c[c.length - 1])) byStart.set(key(c[0]), i); });
  const used = new Uint8Array(chains.length);
  const out: Position[][] = [];
  // Start from chains nothing leads into, so each open chain is assembled from its first piece.
  const hasPred = new Set<number>();
  chains.forEach((c, i) => {
    const next = byStart.get(key(c[c.length - 1]));
    if (next !== undefined && next !== i && !same(c[0], c[c.length - 1])) hasPred.add(next);
  });
  const order = [...chains.keys()].sort((a, b) => Number(hasPred.has(a)) - Number(hasPred.has(b)));
  for (const i of order) {
    if (used[i]) continue;
    used[i] = 1;
    let chain = chains[i];
    for (;;) {
      if (same(chain[0], chain[chain.length - 1])) break;
      const next = byStart.get(key(chain[chain.length - 1]));
      if (next === undefined || used[next]) break;
      used[next] = 1;
      chain = chain.concat(chains[next].slice(1));
    }
    out.push(chain);
  }
  return out;
}

const inside = (p: Position, [w, s, e, n]: Box) => p[0] > w && p[0] < e && p[1] > s && p[1] < n;

/** Nearest point of the box boundary to a point inside it. */
function toBoundary(p: Position, [w, s, e, n]: Box): Position {
  const d = [p[0] - w, e - p[0], p[1] - s, n - p[1]];
  const m = Math.min(...d);
  if (m === d[0]) return [w, p[1]];
  if (m === d[1]) return [e, p[1]];
  if (m === d[2]) return [p[0], s];
  return [p[0], n];
}

/** Clips a segment to the box (Liang–Barsky); returns [t0, t1] or null. */
function clipSegment(p: Position, q: Position, [w, s, e, n]: Box): [number, number] | null {
  const dx = q[0] - p[0], dy = q[1] - p[1];
  let t0 = 0, t1 = 1;
  const edges: [number, number][] = [[-dx, p[0] - w], [dx, e - p[0]], [-dy, p[1] - s], [dy, n - p[1]]];
  for (const [pp, qq] of edges) {
    if (pp === 0) {
      if (qq < 0) return null;
      continue;
    }
    const t = qq / pp;
    if (pp < 0) { if (t > t0) t0 = t; }
    else if (t < t1) t1 = t;
    if (t0 > t1) return null;
  }
  return [t0, t1];
}

/** A point at t along p→q, snapped exactly onto the box edge it lies on when it is a crossing. */
function at(p: Position, q: Position, t: number, box: Box): Position {
  if (t === 0) return p;
  if (t === 1) return q;
  const x = p[0] + (q[0] - p[0]) * t, y = p[1] + (q[1] - p[1]) * t;
  const eps = 1e-12;
  const sx = Math.abs(x - box[0]) < eps ? box[0] : Math.abs(x - box[2]) < eps ? box[2] : x;
  const sy = Math.abs(y - box[1]) < eps ? box[1] : Math.abs(y - box[3]) < eps ? box[3] : y;
  return [sx, sy];
}

const onBoundary = (p: Position, [w, s, e, n]: Box) => p[0] === w || p[0] === e || p[1] === s || p[1] === n;

/**
 * Pieces of a chain inside the box. An open piece starts and ends on the box boundary; a ring wholly inside comes
 * back closed. A ring crossing the boundary is rotated so that its pieces join up across its first point.
 */
function clipChain(chain: Position[], box: Box): Position[][] {
  const closed = chain.length > 3 && same(chain[0], chain[chain.length - 1]);
  if (closed && chain.every((p) => inside(p, box))) return [chain];
  const pieces: Position[][] = [];
  let cur: Position[] | null = null;
  for (let i = 1; i < chain.length; i++) {
    const p = chain[i - 1], q = chain[i];
    const c = clipSegment(p, q, box);
    if (!c || c[1] - c[0] <= 0) {
      if (cur) { pieces.push(cur); cur = null; }
      continue;
    }
    const a = at(p, q, c[0], box), b = at(p, q, c[1], box);
    if (!cur || c[0] > 0) {
      if (cur) pieces.push(cur);
      cur = [a];
    }
    if (!same(cur[cur.length - 1], b)) cur.push(b);
    if (c[1] < 1) { pieces.push(cur); cur = null; }
  }
  if (cur) pieces.push(cur);
  // A ring's last piece continues into its first when the ring's start point is inside the box.
  if (closed && pieces.length > 1 && inside(chain[0], box)) {
    const last = pieces.pop() as Position[];
    pieces[0] = last.concat(pieces[0].slice(1));
  }
  return pieces.filter((p) => p.length > 1);
}

/** Position along the box boundary, counter-clockwise from the south-west corner (0 … perimeter). */
function perimeterPos(p: Position, [w, s, e, n]: Box): number {
  const W = e - w, H = n - s;
  if (p[1] === s && p[0] < e) return p[0] - w;
  if (p[0] === e && p[1] < n) return W + (p[1] - s);
  if (p[1] === n && p[0] > w) return W + H + (e - p[0]);
  return 2 * W + H + (n - p[1]);
}

/** Box corners strictly between two boundary positions walking counter-clockwise from `from` to `to`. */
function cornersBetween(from: number, to: number, box: Box): Position[] {
  const [w, s, e, n] = box;
  const W = e - w, H = n - s, P = 2 * (W + H);
  const corners: [number, Position][] = [[0, [w, s]], [W, [e, s]], [W + H, [e, n]], [2 * W + H, [w, n]]];
  const span = ((to - from) % P + P) % P;
  const out: [number, Position][] = [];
  for (const [pos, c] of corners) {
    const d = ((pos - from) % P + P) % P;
    if (d > 0 && d < span) out.push([d, c]);
  }
  return out.sort((a, b) => a[0] - b[0]).map((x) => x[1]);
}

/** Sea polygons of the box from coastline pieces (LineStrings, land on the left). */
export function seaPolygons(pieces: Position[][], box: Box): SeaResult {
  let danglingEnds = 0, brokenRings = 0;
  const open: Position[][] = [];
  const rings: Position[][] = [];
  for (const chain of joinCoastline(pieces)) {
    let c = chain;
    if (!same(c[0], c[c.length - 1])) {
      // An open chain must start and end outside the box; carry dangling ends on to the boundary.
      if (inside(c[0], box)) { c = [toBoundary(c[0], box), ...c]; danglingEnds++; }
      if (inside(c[c.length - 1], box)) { c = [...c, toBoundary(c[c.length - 1], box)]; danglingEnds++; }
    }
    for (const piece of clipChain(c, box)) {
      if (same(piece[0], piece[piece.length - 1]) && !onBoundary(piece[0], box)) rings.push(piece);
      else if (onBoundary(piece[0], box) && onBoundary(piece[piece.length - 1], box)) open.push(piece);
      // a piece that only touches the boundary at one end cannot happen after the dangling fix
    }
  }
  const islands = rings.filter((r) => signedArea(r) > 0);
  const lagoons = rings.filter((r) => signedArea(r) < 0);
  const outers: Position[][] = [];
  const [w, s, e, n] = box;
  if (open.length === 0) {
    if (islands.length) outers.push([[w, s], [e, s], [e, n], [w, n], [w, s]]);
  } else {
    const entry = open.map((p) => perimeterPos(p[0], box));
    const exit = open.map((p) => perimeterPos(p[p.length - 1], box));
    const P = 2 * (e - w + n - s);
    const used = new Uint8Array(open.length);
    for (let first = 0; first < open.length; first++) {
      if (used[first]) continue;
      const ring: Position[] = [];
      let k = first, ok = true;
      for (let steps = 0; ; steps++) {
        used[k] = 1;
        ring.push(...open[k].slice().reverse());
        // Next exit counter-clockwise from this piece's entry (an exit at the same point comes first).
        let best = -1, bestD = Infinity;
        for (let j = 0; j < open.length; j++) {
          const d = ((exit[j] - entry[k]) % P + P) % P;
          if (d < bestD) { bestD = d; best = j; }
        }
        ring.push(...cornersBetween(entry[k], exit[best], box));
        if (best === first) break;
        if (used[best] || steps > open.length) { ok = false; break; }
        k = best;
      }
      ring.push(ring[0]);
      const clean = ring.filter((p, i) => i === 0 || !same(p, ring[i - 1]));
      if (ok && clean.length >= 4 && signedArea(clean) > 0) outers.push(clean);
      else brokenRings++;
    }
  }
  const polys: Position[][][] = outers.map((r) => [r]);
  for (const isl of islands) {
    const owner = polys.find((p) => inRing(isl[0], p[0]));
    if (owner) owner.push(isl.slice().reverse());
  }
  for (const lag of lagoons) polys.push([lag.slice().reverse()]);
  return { sea: polys.map((coordinates) => ({ type: 'Polygon', coordinates })), danglingEnds, brokenRings };
}

/** The sea as GeoJSON features (kind 'sea'), for the water layer. */
export function seaFeatures(pieces: Position[][], box: Box, name = ''): { features: Feature<Polygon, { kind: 'sea'; name: string }>[]; result: SeaResult } {
  const result = seaPolygons(pieces, box);
  return { features: result.sea.map((g) => ({ type: 'Feature', properties: { kind: 'sea', name }, geometry: g })), result };
}
