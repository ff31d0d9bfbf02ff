/**
 * Stage 1 for automatic districts: the partition of the planning area among stations by travel time. A place
 * table (buildAutoGrid: each grid cell's nearest road point on the main network) is built once; partitionAuto
 * then labels every cell with the station whose multi-source run reaches that road point first and traces the
 * districts, re-tracing only those whose cells changed since the previous partition (passed in by the caller).
 */
import Flatbush from 'flatbush';
import { edgePointTime } from '../edgeTime';
import type { MultiPolygon } from 'geojson';
import type { AreaGeometry, Station } from '../types';
import { intersectAreas, type District } from './districts';
import { bboxOf, pointInArea, polygonsOf, ringsOf } from './geom';
import type { Net } from './network';
import { cellX, cellY, clipGrid, clipTrace, makeGrid, traceLabel, type ClipGrid, type Grid } from './raster';

/**
 * Automatic-district grid: for every cell the nearest road point of the main (strongly connected) network — a node
 * or a point every few metres along a segment — and whether the cell lies wholly inside the planning area (cells
 * that do not are clipped with it after tracing).
 */
export interface AutoGrid {
  grid: Grid;
  /** Per cell: road point index, -1 = none. */
  cellPt: Int32Array;
  /** Per road point: tail node, head node (-1 for a node point), fraction along, travel seconds u→v and v→u. */
  pu: Int32Array;
  pv: Int32Array;
  pf: Float64Array;
  fwd: Float64Array;
  back: Float64Array;
  /** Per cell: 1 when the whole cell is inside the planning area. */
  inner: Uint8Array;
  /** The planning area cut by the grid lines (exact clipped tracing); null in degenerate cases (polygon clipping then). */
  clip: ClipGrid | null;
}

export function buildAutoGrid(net: Net, area: AreaGeometry, cellM: number): AutoGrid | null {
  // Grid lines moved a hair (0.05 mm) off the area's bounding box, so no boundary vertex lies on one (see clipGrid).
  const grid = makeGrid(bboxOf(area), cellM, undefined, 1e-6);
  const { frame } = grid;
  const g = net.graph, main = net.main, sp = net.spatial;
  const step = Math.max(10, grid.cellM / 2);
  const pu: number[] = [], pv: number[] = [], pf: number[] = [], fwd: number[] = [], back: number[] = [], xy: number[] = [];
  const lon = (v: number) => g.lon[v] / 1e7, lat = (v: number) => g.lat[v] / 1e7;
  for (let v = 0; v < g.nodeCount; v++)
    if (main[v]) {
      pu.push(v); pv.push(-1); pf.push(0); fwd.push(0); back.push(0);
      xy.push((lon(v) - frame.lon0) * frame.mx, (lat(v) - frame.lat0) * frame.my);
    }
  for (const e of sp.segEdge) {
    const u = sp.source[e], v = g.target[e];
    if (!main[u] || !main[v]) continue;
    const r = sp.twin[e];
    const f1 = net.seconds[e], b1 = r >= 0 ? net.seconds[r] : Infinity;
    if (!(f1 < Infinity) && !(b1 < Infinity)) continue;
    const k = Math.floor(g.lengthM[e] / step);
    for (let i = 1; i <= k; i++) {
      const f = i / (k + 1);
      pu.push(u); pv.push(v); pf.push(f); fwd.push(f1); back.push(b1);
      xy.push((lon(u) + f * (lon(v) - lon(u)) - frame.lon0) * frame.mx, (lat(u) + f * (lat(v) - lat(u)) - frame.lat0) * frame.my);
    }
  }
  const n = pu.length;
  if (n === 0) return null;
  const index = new Flatbush(n);
  for (let i = 0; i < n; i++) index.add(xy[2 * i], xy[2 * i + 1], xy[2 * i], xy[2 * i + 1]);
  index.finish();
  const cells = grid.nx * grid.ny;
  const cellPt = new Int32Array(cells);
  for (let r = 0; r < grid.ny; r++)
    for (let c = 0; c < grid.nx; c++) cellPt[c + r * grid.nx] = index.neighbors(cellX(grid, c), cellY(grid, r), 1)[0] ?? -1;
  return {
    grid, cellPt, pu: Int32Array.from(pu), pv: Int32Array.from(pv), pf: Float64Array.from(pf), fwd: Float64Array.from(fwd), back: Float64Array.from(back),
    inner: innerCells(grid, area),
    clip: clipGrid(grid, polygonsOf(area)),
  };
}

/** Cells whose four corners are inside the area and that no boundary line passes through. */
function innerCells(grid: Grid, area: AreaGeometry): Uint8Array {
  const { nx, ny, frame, cellM } = grid;
  const vin = new Uint8Array((nx + 1) * (ny + 1));
  for (let j = 0; j <= ny; j++)
    for (let i = 0; i <= nx; i++)
      vin[i + j * (nx + 1)] = pointInArea(area, frame.lon0 + (grid.x0 + i * cellM) / frame.mx, frame.lat0 + (grid.y0 + j * cellM) / frame.my) ? 1 : 0;
  const inner = new Uint8Array(nx * ny);
  for (let r = 0; r < ny; r++)
    for (let c = 0; c < nx; c++) {
      const k = c + r * (nx + 1);
      inner[c + r * nx] = vin[k] & vin[k + 1] & vin[k + nx + 1] & vin[k + nx + 2];
    }
  // Boundary lines, walked in quarter-cell steps: every cell they touch (and its neighbours) is not inner.
  for (const ring of ringsOf(area))
    for (let i = 1; i < ring.length; i++) {
      const ax = (ring[i - 1][0] - frame.lon0) * frame.mx, ay = (ring[i - 1][1] - frame.lat0) * frame.my;
      const bx = (ring[i][0] - frame.lon0) * frame.mx, by = (ring[i][1] - frame.lat0) * frame.my;
      const k = Math.max(1, Math.ceil(Math.hypot(bx - ax, by - ay) / (cellM / 4)));
      for (let s = 0; s <= k; s++) {
        const c = Math.floor((ax + (s / k) * (bx - ax) - grid.x0) / cellM), r = Math.floor((ay + (s / k) * (by - ay) - grid.y0) / cellM);
        for (let dr = -1; dr <= 1; dr++)
          for (let dc = -1; dc <= 1; dc++) {
            const cc = c + dc, rr = r + dr;
            if (cc >= 0 && rr >= 0 && cc < nx && rr < ny) inner[cc + rr * nx] = 0;
          }
      }
    }
  return inner;
}


const asArea = (m: MultiPolygon): AreaGeometry => (m.coordinates.length === 1 ? { type: 'Polygon', coordinates: m.coordinates[0] } : m);

/** A multi-source run copied out: per node its seconds and fastest station (index into the stations, -1: none). */
export interface MultiRun {
  time: Float64Array;
  origin: Int32Array;
}

/** The previous partition a new one is compared with: station key per cell and each station's district. */
export interface Partition {
  cellKey: Int32Array;
  geoms: ReadonlyMap<string, AreaGeometry | null>;
}

export interface PartitionResult extends Partition {
  districts: District[];
  /** Keys of the stations whose cells changed (all of them without a previous partition). */
  dirty: Set<number>;
}

/**
 * Automatic districts from the multi-source run (grid labels = station indices, written into a.grid.labels).
 * `keys`: a stable key per station (the same id keeps its key between calls); `reuse`: a spare cell-key array.
 */
export function partitionAuto(stations: readonly Station[], keys: Int32Array, all: MultiRun, a: AutoGrid, area: AreaGeometry, prev: Partition | null, reuse: Int32Array | null): PartitionResult {
  const { grid, cellPt, pu, pv, pf, fwd, back, inner } = a;
  const { time, origin } = all;
  const n = stations.length, cells = grid.nx * grid.ny;
  const dirty = new Set<number>();
  // (Every cell is written below, so a spare array can be reused.)
  const cellKey = reuse && reuse.length === cells ? reuse : new Int32Array(cells);
  // Per station: its cells' column and row range (c0, r0, c1, r1), and whether any is not wholly inside.
  const bx = new Int32Array(4 * n);
  for (let k = 0; k < n; k++) { bx[4 * k] = bx[4 * k + 1] = 2 ** 30; bx[4 * k + 2] = bx[4 * k + 3] = -1; }
  const edge = new Uint8Array(n);
  const old = prev && prev.cellKey.length === cells ? prev.cellKey : null;
  const labels = grid.labels, nx = grid.nx;
  for (let r = 0, c = 0, i = 0; i < cells; i++) {
    const p = cellPt[i];
    let lab = -1;
    if (p >= 0) {
      const u = pu[p], v = pv[p];
      // (Labelling by node times: which station reaches the road point first.)
      if (v < 0) lab = origin[u];
      else lab = edgePointTime(time[u], Infinity, pf[p], fwd[p], back[p]) <= edgePointTime(Infinity, time[v], pf[p], fwd[p], back[p]) ? origin[u] : origin[v];
    }
    labels[i] = lab;
    const key = lab >= 0 ? keys[lab] : -1;
    cellKey[i] = key;
    if (lab >= 0) {
      const b = 4 * lab;
      if (c < bx[b]) bx[b] = c;
      if (r < bx[b + 1]) bx[b + 1] = r;
      if (c > bx[b + 2]) bx[b + 2] = c;
      if (r > bx[b + 3]) bx[b + 3] = r;
      if (!inner[i]) edge[lab] = 1;
    }
    if (old && old[i] !== key) { dirty.add(key); dirty.add(old[i]); }
    if (++c === nx) { c = 0; r++; }
  }
  if (!old) for (const key of keys) dirty.add(key);
  const geoms = new Map<string, AreaGeometry | null>();
  const districts: District[] = [];
  stations.forEach((s, k) => {
    let g: AreaGeometry | null;
    if (!dirty.has(keys[k]) && prev?.geoms.has(s.id)) g = prev.geoms.get(s.id)!;
    else {
      dirty.add(keys[k]);
      const box = { c0: bx[4 * k], r0: bx[4 * k + 1], c1: bx[4 * k + 2], r1: bx[4 * k + 3] };
      if (box.c1 < 0) g = null;
      else if (a.clip) {
        const region = clipTrace(grid, k, a.clip, box);
        g = region && asArea(region);
      } else {
        const region = traceLabel(grid, k, box);
        g = region && (edge[k] ? intersectAreas(region, area) : asArea(region));
      }
    }
    geoms.set(s.id, g);
    if (g) districts.push({ stationId: s.id, geometry: g, source: 'auto' });
  });
  return { districts, cellKey, geoms, dirty };
}
