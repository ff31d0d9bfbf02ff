/**
 * Isochrones from one finished Dijkstra run: the reached road pieces cut exactly at each cutoff, and for each
 * band a polygon = a corridor of half-width w around the reached roads, rasterised on a metre grid and traced
 * along cell boundaries. Outer rings are counter-clockwise, holes clockwise (RFC 7946); rings never touch or
 * cross (diagonal-only contacts are filled first), so the result is a valid (Multi)Polygon. Bands nest:
 * a bigger cutoff's polygon contains the smaller one's.
 */
import type { MultiPolygon, Polygon, Position } from 'geojson';
import type { RoadGraph } from './graph';
import type { ShortestPaths, SourcePoint } from './dijkstra';
import { toLat, toLon, type SpatialIndex } from './spatial';
import { round7 } from './geo';
import { traceCells } from './cellTrace';
import { edgePointTime } from './edgeTime';
import { plannerError } from './errors';

export interface IsochroneOptions {
  /** Half-width of the corridor around reached roads, metres (default 50). */
  corridorM?: number;
  /** Grid cell size, metres (default 25; never more than the corridor half-width). */
  cellM?: number;
}

/** A reached piece of a road segment: fractions s0 < s1 along `edge` (tail→head); first reached in `band`. */
export interface ReachPiece {
  edge: number;
  s0: number;
  s1: number;
  band: number;
  /** Travel seconds at the later end of the piece. */
  seconds: number;
  /** Index of the fastest source. */
  source: number;
}

export interface IsochroneBand {
  seconds: number;
  polygon: Polygon | MultiPolygon | null;
  areaKm2: number;
  roadKm: number;
}

const EMPTY = 255;
/** Bands one builder can draw: a cell's band is a byte, 255 meaning "not reached". */
export const MAX_BANDS = EMPTY;

/** Cutoffs must be 1–MAX_BANDS finite positive seconds in ascending order (a clear error, never a silent cap). */
export function checkCutoffs(cutoffs: readonly number[]): void {
  if (cutoffs.length === 0 || cutoffs.length > MAX_BANDS)
    throw plannerError('bad-band-count', `等时圈分段数 ${cutoffs.length} 无效（应为 1–${MAX_BANDS} 段）`, `${cutoffs.length} isochrone bands requested (expected 1–${MAX_BANDS})`);
  for (let k = 0; k < cutoffs.length; k++)
    if (!(Number.isFinite(cutoffs[k]) && cutoffs[k] > 0) || (k > 0 && !(cutoffs[k] > cutoffs[k - 1])))
      throw plannerError('bad-band-cutoffs', `等时圈分段必须是递增的正秒数：${cutoffs.join(', ')}`, `isochrone cutoffs must be increasing positive seconds: ${cutoffs.join(', ')}`);
}

export class IsochroneBuilder {
  private mark: Uint32Array;
  private markGen = 0;
  private level = new Uint8Array(0);
  private mask = new Uint8Array(0);

  constructor(readonly graph: RoadGraph, readonly sp: SpatialIndex, readonly paths: ShortestPaths) {
    this.mark = new Uint32Array(graph.edgeCount);
  }

  /**
   * Road pieces reached within each cutoff (seconds, ascending), from the last run of `paths` with these
   * sources and a cutoff ≥ the largest. Each piece appears once, in the first band that reaches it.
   */
  pieces(sources: readonly SourcePoint[], cutoffs: readonly number[]): ReachPiece[] {
    checkCutoffs(cutoffs);
    const { graph, sp, paths } = this;
    const { twin } = sp;
    const out: ReachPiece[] = [];
    if (++this.markGen === 0xffffffff) { this.mark.fill(0); this.markGen = 1; }
    const gen = this.markGen;
    const visit = (c: number) => {
      if (this.mark[c] === gen) return;
      this.mark[c] = gen;
      this.segment(c, sources, cutoffs, out);
    };
    for (const s of sources) visit(s.edge);
    for (let i = 0; i < paths.settledCount; i++) {
      const u = paths.settled[i];
      for (let e = graph.firstEdge[u]; e < graph.firstEdge[u + 1]; e++) {
        const v = graph.target[e];
        visit(u < v || twin[e] < 0 ? e : twin[e]);
      }
    }
    return out;
  }

  private segment(c: number, sources: readonly SourcePoint[], cutoffs: readonly number[], out: ReachPiece[]): void {
    const { paths, sp } = this;
    const sec = paths.seconds;
    const u = sp.source[c], v = this.graph.target[c], r = sp.twin[c];
    const fwd = sec[c], back = r >= 0 ? sec[r] : Infinity;
    // When the run can enter the segment at u (u→v) and at v (v→u): the times of its points go from these.
    const du = paths.entryTime(c), dv = r >= 0 ? paths.entryTime(r) : Infinity;
    let onEdge = false;
    for (let s = 0; s < sources.length; s++) if (sources[s].edge === c || sources[s].reverse === c) onEdge = true;
    if (onEdge) return this.segmentWithSources(c, u, v, fwd, back, du, dv, sources, cutoffs, out);
    const ou = paths.origin[u], ov = paths.origin[v];
    // Covered: [0, a] from u and [1 − b, 1] from v; both grow with the cutoff.
    let pa = 0, pb = 0;
    for (let k = 0; k < cutoffs.length; k++) {
      if (pa + pb >= 1) return;
      const T = cutoffs[k];
      let a = fwd < Infinity && du <= T ? (T - du) / fwd : 0;
      let b = back < Infinity && dv <= T ? (T - dv) / back : 0;
      if (a > 1) a = 1;
      if (b > 1) b = 1;
      if (a + b >= 1) {
        // The rest [pa, 1 − pb] is reached; split where arriving from u and from v take equally long.
        const meet = fwd < Infinity && back < Infinity && du < Infinity && dv < Infinity ? (dv + back - du) / (fwd + back) : a >= 1 ? 1 : 0;
        const m = Math.min(1 - pb, Math.max(pa, meet));
        // (Each piece's later end is m, reached from u by the first piece and from v by the second.)
        if (m - pa > 1e-9) out.push({ edge: c, s0: pa, s1: m, band: k, seconds: Math.min(T, edgePointTime(du, Infinity, m, fwd, back)), source: ou });
        if (1 - pb - m > 1e-9) out.push({ edge: c, s0: m, s1: 1 - pb, band: k, seconds: Math.min(T, edgePointTime(Infinity, dv, m, fwd, back)), source: ov });
        pa = 1;
        pb = 0;
        return;
      }
      if (a - pa > 1e-9) out.push({ edge: c, s0: pa, s1: a, band: k, seconds: T, source: ou });
      if (b - pb > 1e-9) out.push({ edge: c, s0: 1 - b, s1: 1 - pb, band: k, seconds: T, source: ov });
      if (a > pa) pa = a;
      if (b > pb) pb = b;
    }
  }

  /** General case: sources on this segment too (union of up to 2 + 2·sources intervals per band). */
  private segmentWithSources(c: number, u: number, v: number, fwd: number, back: number, du: number, dv: number, sources: readonly SourcePoint[], cutoffs: readonly number[], out: ReachPiece[]): void {
    const origin = this.paths.origin;
    const srcT: number[] = [], srcI: number[] = [];
    for (let s = 0; s < sources.length; s++) {
      if (sources[s].edge === c) { srcT.push(sources[s].t); srcI.push(s); }
      else if (sources[s].reverse === c) { srcT.push(1 - sources[s].t); srcI.push(s); }
    }
    /** Fastest time to fraction x of the segment, and the source giving it. */
    const timeAt = (x: number): [number, number] => {
      const viaU = edgePointTime(du, Infinity, x, fwd, back), viaV = edgePointTime(Infinity, dv, x, fwd, back);
      let t = viaU, src = viaU < Infinity ? origin[u] : -1;
      if (viaV < t) { t = viaV; src = origin[v]; }
      for (let k = 0; k < srcT.length; k++) {
        const p = srcT[k];
        const d = x === p ? 0 : x > p ? (x - p) * fwd : (p - x) * back;
        if (d < t || (d === t && srcI[k] < src)) { t = d; src = srcI[k]; }
      }
      return [t, src];
    };
    let prev: number[] = [];
    for (let k = 0; k < cutoffs.length; k++) {
      const T = cutoffs[k];
      const iv: number[] = [];
      if (fwd < Infinity && du <= T) iv.push(0, Math.min(1, (T - du) / fwd));
      if (back < Infinity && dv <= T) iv.push(Math.max(0, 1 - (T - dv) / back), 1);
      for (const p of srcT) {
        if (fwd < Infinity) iv.push(p, Math.min(1, p + T / fwd));
        if (back < Infinity) iv.push(Math.max(0, p - T / back), p);
      }
      const cur = union(iv);
      const inc = subtract(cur, prev);
      for (let i = 0; i < inc.length; i += 2) {
        const s0 = inc[i], s1 = inc[i + 1];
        if (s1 - s0 < 1e-9) continue;
        const t = Math.max(timeAt(s0)[0], timeAt(s1)[0]);
        out.push({ edge: c, s0, s1, band: k, seconds: Math.min(T, t), source: timeAt((s0 + s1) / 2)[1] });
      }
      prev = cur;
    }
  }

  /** One polygon per band from the pieces (bands = cutoffs.length). */
  polygons(pieces: readonly ReachPiece[], bandCount: number, opts: IsochroneOptions = {}): Omit<IsochroneBand, 'seconds'>[] {
    if (!(Number.isInteger(bandCount) && bandCount >= 1 && bandCount <= MAX_BANDS))
      throw plannerError('bad-band-count', `等时圈分段数 ${bandCount} 无效（应为 1–${MAX_BANDS} 段）`, `${bandCount} isochrone bands requested (expected 1–${MAX_BANDS})`);
    const { sp, graph } = this;
    const w = opts.corridorM ?? 50;
    let cell = Math.min(opts.cellM ?? 25, w);
    const { x, y, source } = sp;
    const roadM = new Float64Array(bandCount);
    let minX = Infinity, minY = Infinity, maxX = -Infinity, maxY = -Infinity;
    for (const p of pieces) {
      const a = source[p.edge], b = graph.target[p.edge];
      roadM[p.band] += (p.s1 - p.s0) * graph.lengthM[p.edge];
      minX = Math.min(minX, x[a], x[b]); maxX = Math.max(maxX, x[a], x[b]);
      minY = Math.min(minY, y[a], y[b]); maxY = Math.max(maxY, y[a], y[b]);
    }
    const result: Omit<IsochroneBand, 'seconds'>[] = [];
    let cumRoad = 0;
    if (!pieces.length) {
      for (let k = 0; k < bandCount; k++) result.push({ polygon: null, areaKm2: 0, roadKm: 0 });
      return result;
    }
    // Keep the grid bounded (huge extracts): grow cells rather than memory.
    while (((maxX - minX + 2 * w) / cell + 6) * ((maxY - minY + 2 * w) / cell + 6) > 16e6) cell *= 2;
    const ox = minX - w - 2 * cell, oy = minY - w - 2 * cell;
    const W = Math.ceil((maxX - minX + 2 * w) / cell) + 4, H = Math.ceil((maxY - minY + 2 * w) / cell) + 4;
    if (this.level.length < W * H) this.level = new Uint8Array(W * H);
    const level = this.level;
    level.fill(EMPTY, 0, W * H);
    // Each piece's corridor is a capsule; per grid row its cut is one interval (convex), found from the two end
    // discs and the two offset sides. Cells whose centre lies in it get the piece's band (lowest wins).
    const w2 = w * w;
    for (const p of pieces) {
      const a = source[p.edge], b = graph.target[p.edge];
      const ex = x[b] - x[a], ey = y[b] - y[a];
      const ax = x[a] + p.s0 * ex, ay = y[a] + p.s0 * ey;
      const bx = x[a] + p.s1 * ex, by = y[a] + p.s1 * ey;
      const dx = bx - ax, dy = by - ay, len = Math.sqrt(dx * dx + dy * dy);
      const nx = len > 0 ? (-dy / len) * w : 0, ny = len > 0 ? (dx / len) * w : 0;
      const j0 = Math.max(0, Math.ceil((Math.min(ay, by) - w - oy) / cell - 0.5)), j1 = Math.min(H - 1, Math.floor((Math.max(ay, by) + w - oy) / cell - 0.5));
      const band = p.band;
      for (let j = j0; j <= j1; j++) {
        const cy = oy + (j + 0.5) * cell;
        let lo = Infinity, hi = -Infinity;
        const da = cy - ay, db = cy - by;
        if (da * da <= w2) { const h = Math.sqrt(w2 - da * da); lo = Math.min(lo, ax - h); hi = Math.max(hi, ax + h); }
        if (db * db <= w2) { const h = Math.sqrt(w2 - db * db); lo = Math.min(lo, bx - h); hi = Math.max(hi, bx + h); }
        if (dy !== 0) {
          let t = (cy - ay - ny) / dy;
          if (t >= 0 && t <= 1) { const xx = ax + nx + t * dx; lo = Math.min(lo, xx); hi = Math.max(hi, xx); }
          t = (cy - ay + ny) / dy;
          if (t >= 0 && t <= 1) { const xx = ax - nx + t * dx; lo = Math.min(lo, xx); hi = Math.max(hi, xx); }
        }
        if (lo > hi) continue;
        const i0 = Math.max(0, Math.ceil((lo - ox) / cell - 0.5)), i1 = Math.min(W - 1, Math.floor((hi - ox) / cell - 0.5));
        for (let idx = j * W + i0, end = j * W + i1; idx <= end; idx++) if (level[idx] > band) level[idx] = band;
      }
    }
    fillSaddles(level, W, H);
    if (this.mask.length < W * H) this.mask = new Uint8Array(W * H);
    const mask = this.mask.subarray(0, W * H);
    for (let k = 0; k < bandCount; k++) {
      cumRoad += roadM[k];
      for (let i = 0; i < W * H; i++) mask[i] = level[i] <= k ? 1 : 0;
      const traced = traceCells(mask, W, H);
      const toPos = (v: number): Position => {
        const vx = v % (W + 1), vy = (v - vx) / (W + 1);
        return [round7(toLon(sp.frame, ox + vx * cell)), round7(toLat(sp.frame, oy + vy * cell))];
      };
      const polys = traced.polygons.map((rings) => rings.map((ring) => { const r = ring.map(toPos); r.push(r[0]); return r; }));
      const polygon: Polygon | MultiPolygon | null = polys.length === 0 ? null
        : polys.length === 1 ? { type: 'Polygon', coordinates: polys[0] } : { type: 'MultiPolygon', coordinates: polys };
      result.push({ polygon, areaKm2: (traced.cells * cell * cell) / 1e6, roadKm: cumRoad / 1000 });
    }
    return result;
  }
}


/** Union of intervals given flat [a0, a1, b0, b1, …]; sorted, disjoint, flat. */
function union(iv: number[]): number[] {
  const n = iv.length / 2;
  if (n <= 1) return iv;
  const order = Array.from({ length: n }, (_, i) => i).sort((a, b) => iv[2 * a] - iv[2 * b]);
  const out: number[] = [];
  for (const i of order) {
    const s = iv[2 * i], e = iv[2 * i + 1];
    if (out.length && s <= out[out.length - 1]) out[out.length - 1] = Math.max(out[out.length - 1], e);
    else out.push(s, e);
  }
  return out;
}

/** A \ B for sorted disjoint flat interval lists. */
function subtract(a: number[], b: number[]): number[] {
  if (!b.length) return a;
  const out: number[] = [];
  for (let i = 0; i < a.length; i += 2) {
    let s = a[i];
    const e = a[i + 1];
    for (let j = 0; j < b.length && s < e; j += 2) {
      const bs = b[j], be = b[j + 1];
      if (be <= s || bs >= e) continue;
      if (bs > s) out.push(s, bs);
      s = Math.max(s, be);
    }
    if (s < e) out.push(s, e);
  }
  return out;
}

/**
 * Removes diagonal-only contacts for every threshold: in a 2×2 block where one diagonal pair is "in" at a level
 * below both cells of the other pair, one cell of the other pair is lowered to that level. Values only decrease,
 * so bands stay nested.
 */
function fillSaddles(level: Uint8Array, W: number, H: number): void {
  // Block (i, j) = cells (i, j) a, (i+1, j) b, (i, j+1) c, (i+1, j+1) d. A lowered cell re-queues its 4 blocks.
  const stack: number[] = [];
  const fix = (blk: number): void => {
    const ia = blk, ib = ia + 1, ic = ia + W, id = ic + 1;
    const a = level[ia], b = level[ib], c = level[ic], d = level[id];
    const ad = a > d ? a : d, bc = b > c ? b : c;
    let cell = -1;
    if (ad < (b < c ? b : c)) { level[ib] = ad; cell = ib; }
    else if (bc < (a < d ? a : d)) { level[ia] = bc; cell = ia; }
    if (cell < 0) return;
    const ci = cell % W, cj = (cell - ci) / W;
    for (let dj = -1; dj <= 0; dj++) for (let di = -1; di <= 0; di++) {
      const bi = ci + di, bj = cj + dj;
      if (bi >= 0 && bj >= 0 && bi + 1 < W && bj + 1 < H) stack.push(bj * W + bi);
    }
  };
  for (let j = 0; j + 1 < H; j++) {
    for (let i = 0; i + 1 < W; i++) {
      const ia = j * W + i;
      if (level[ia] === EMPTY && level[ia + 1] === EMPTY && level[ia + W] === EMPTY && level[ia + W + 1] === EMPTY) continue;
      fix(ia);
      while (stack.length) fix(stack.pop()!);
    }
  }
}
