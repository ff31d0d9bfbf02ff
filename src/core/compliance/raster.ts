/**
 * A labelled grid over an area and the tracing of label regions into polygons. Traced regions of different
 * labels share their edges exactly (same integer grid vertices), so together they tile the grid with no gaps
 * or overlaps; clipping every region with the same planning area keeps that property.
 */
import type { MultiPolygon, Position } from 'geojson';
import { localFrame, type LocalFrame } from '../spatial';
import type { LonLat } from '../types';

export interface Grid {
  frame: LocalFrame;
  /** Local metres of the grid's lower-left corner. */
  x0: number;
  y0: number;
  cellM: number;
  nx: number;
  ny: number;
  /** Label per cell (index c + r·nx), -1 = none. */
  labels: Int32Array;
}

/** Grid covering bbox (plus one cell of margin) with square cells of at least `cellM`, at most `maxCells` cells. */
export function makeGrid(bbox: [number, number, number, number], cellM: number, maxCells = 250_000): Grid {
  const frame = localFrame(bbox);
  const w = (bbox[2] - bbox[0]) * frame.mx, h = (bbox[3] - bbox[1]) * frame.my;
  let cell = cellM;
  while (((w / cell) + 2) * ((h / cell) + 2) > maxCells) cell *= 1.25;
  const nx = Math.ceil(w / cell) + 2, ny = Math.ceil(h / cell) + 2;
  const x0 = -w / 2 - cell, y0 = -h / 2 - cell;
  return { frame, x0, y0, cellM: cell, nx, ny, labels: new Int32Array(nx * ny).fill(-1) };
}

export const cellX = (g: Grid, c: number) => g.x0 + (c + 0.5) * g.cellM;
export const cellY = (g: Grid, r: number) => g.y0 + (r + 0.5) * g.cellM;
export const cellLonLat = (g: Grid, c: number, r: number): LonLat => [g.frame.lon0 + cellX(g, c) / g.frame.mx, g.frame.lat0 + cellY(g, r) / g.frame.my];
const vertexLonLat = (g: Grid, i: number, j: number): Position => [g.frame.lon0 + (g.x0 + i * g.cellM) / g.frame.mx, g.frame.lat0 + (g.y0 + j * g.cellM) / g.frame.my];

// Direction codes: 0 east, 1 north, 2 west, 3 south.
const DI = [1, 0, -1, 0];
const DJ = [0, 1, 0, -1];

/**
 * Region of cells with `label` as a MultiPolygon in lon/lat (outer rings counter-clockwise, holes clockwise),
 * or null when no cell has the label. Diagonal-only contacts are separate polygons (4-connectivity).
 */
export function traceLabel(g: Grid, label: number): MultiPolygon | null {
  const { nx, ny, labels } = g;
  const at = (c: number, r: number) => (c >= 0 && r >= 0 && c < nx && r < ny ? labels[c + r * nx] : -2);
  // Directed boundary edges with the region on their left, keyed by start vertex (i + j·(nx+1)).
  const out = new Map<number, number[]>(); // vertex → list of direction codes
  const add = (i: number, j: number, d: number) => {
    const k = i + j * (nx + 1);
    const l = out.get(k);
    if (l) l.push(d);
    else out.set(k, [d]);
  };
  let edges = 0;
  for (let r = 0; r < ny; r++)
    for (let c = 0; c < nx; c++) {
      if (labels[c + r * nx] !== label) continue;
      if (at(c, r - 1) !== label) { add(c, r, 0); edges++; }
      if (at(c + 1, r) !== label) { add(c + 1, r, 1); edges++; }
      if (at(c, r + 1) !== label) { add(c + 1, r + 1, 2); edges++; }
      if (at(c - 1, r) !== label) { add(c, r + 1, 3); edges++; }
    }
  if (edges === 0) return null;
  const rings: { pts: [number, number][]; area: number; probe: [number, number] }[] = [];
  const keys = [...out.keys()].sort((a, b) => a - b);
  for (const startKey of keys) {
    for (;;) {
      const list = out.get(startKey);
      if (!list || list.length === 0) break;
      let i = startKey % (nx + 1), j = Math.floor(startKey / (nx + 1));
      let d = list.shift() as number;
      const first = d;
      const pts: [number, number][] = [[i, j]];
      const probe: [number, number] = [i + DI[d] * 0.5 - DJ[d] * 0.25, j + DJ[d] * 0.5 + DI[d] * 0.25];
      for (;;) {
        i += DI[d];
        j += DJ[d];
        const k = i + j * (nx + 1);
        const opts = out.get(k) ?? [];
        const cand = k === startKey ? [...opts, first] : opts;
        // Prefer the left turn, then straight, then right (keeps diagonal contacts apart).
        let nd = -1;
        for (const want of [(d + 1) % 4, d, (d + 3) % 4]) if (cand.includes(want)) { nd = want; break; }
        if (nd < 0 || (k === startKey && nd === first)) break; // ring closed
        opts.splice(opts.indexOf(nd), 1);
        if (nd !== d) pts.push([i, j]);
        d = nd;
      }
      if (pts.length >= 3) {
        let a = 0;
        for (let p = 0, q = pts.length - 1; p < pts.length; q = p++) a += pts[q][0] * pts[p][1] - pts[p][0] * pts[q][1];
        rings.push({ pts, area: a / 2, probe });
      }
    }
  }
  const outers = rings.filter((r) => r.area > 0);
  const polys: Position[][][] = outers.map((o) => [closeRing(g, o.pts)]);
  for (const h of rings.filter((r) => r.area < 0)) {
    // The probe sits in the labelled cell beside the hole's first edge; the smallest outer containing it owns the hole.
    let best = -1;
    for (let k = 0; k < outers.length; k++)
      if (inGridRing(outers[k].pts, h.probe[0], h.probe[1]) && (best < 0 || outers[k].area < outers[best].area)) best = k;
    if (best >= 0) polys[best].push(closeRing(g, h.pts));
  }
  return { type: 'MultiPolygon', coordinates: polys };
}

function closeRing(g: Grid, pts: [number, number][]): Position[] {
  const ring = pts.map(([i, j]) => vertexLonLat(g, i, j));
  ring.push(ring[0]);
  return ring;
}

function inGridRing(pts: [number, number][], x: number, y: number): boolean {
  let inside = false;
  for (let i = 0, j = pts.length - 1; i < pts.length; j = i++) {
    const [xi, yi] = pts[i], [xj, yj] = pts[j];
    if (yi > y !== yj > y && x < ((xj - xi) * (y - yi)) / (yj - yi) + xi) inside = !inside;
  }
  return inside;
}
