/**
 * Stage 2 of a network check — the edge plan of one district: where its edge is tested (planEdge's samples) and,
 * for each tested point, the road points it is reached at (SnapStore references; count 0 = no road access), plus
 * the roads crossing the edge with the road points beside each crossing. Depends on the district and the network
 * only, never on a station run.
 */
import type { Position } from 'geojson';
import type { AreaGeometry, LonLat } from '../types';
import { metresPerDegree } from '../geo';
import { planEdge, type EdgePlan } from './edge';
import { REF, snapEdgeRef, type SnapEdgeOptions, type SnapStore } from './edgeSnap';
import { areaIndex, bboxOf, pointInIndexed, ringIndex, type AreaIndex, type RingIndex } from './geom';
import { roadCrossings, type Crossing, type Net } from './network';
import { cellSideMidpoint, onCellCorner, type Grid } from './raster';

/** An automatic district as cells of a labelled grid: `label` is the district's label, `inner` 1 for cells wholly in the area. */
export interface DistrictCells {
  grid: Grid;
  label: number;
  inner: Uint8Array;
}

export interface NetEdgePlan {
  plan: EdgePlan;
  /** Per sample: its road points (store reference; count 0 = no road near). */
  sampleRef: Float64Array;
  /** Roads crossing the edge, with the ring each crosses and the road points beside it (0 = none). */
  cross: Crossing[];
  crossRing: Int32Array;
  crossRef: Float64Array;
}

export const refCount = (ref: number): number => ref % REF;
export const refFirst = (ref: number): number => (ref - (ref % REF)) / REF;

/**
 * Inside the district or on its boundary (within about 1 m). An automatic district's cells decide a point more
 * than 1 m inside a cell, when the cell is another's or wholly in the planning area; else the exact polygon test
 * (its indexes built on first need: most points are decided by the cells or never asked).
 */
export class InsideTest {
  private readonly box: [number, number, number, number];
  private area: AreaIndex | null = null;
  private rings: RingIndex | null = null;

  constructor(private readonly geom: AreaGeometry, private readonly cells: DistrictCells | null) {
    this.box = bboxOf(geom);
  }

  has(lon: number, lat: number): boolean {
    const [bx0, by0, bx1, by1] = this.box, pad = 1e-4; // about 10 m
    if (lon < bx0 - pad || lon > bx1 + pad || lat < by0 - pad || lat > by1 + pad) return false;
    if (this.cells) {
      const { grid, label, inner } = this.cells, { frame, cellM } = grid;
      const x = (lon - frame.lon0) * frame.mx - grid.x0, y = (lat - frame.lat0) * frame.my - grid.y0;
      const c = Math.floor(x / cellM), r = Math.floor(y / cellM), fx = x - c * cellM, fy = y - r * cellM;
      if (c >= 0 && r >= 0 && c < grid.nx && r < grid.ny && fx > 1 && fy > 1 && fx < cellM - 1 && fy < cellM - 1) {
        if (grid.labels[c + r * grid.nx] !== label) return false;
        if (inner[c + r * grid.nx]) return true;
      }
    }
    if (pointInIndexed((this.area ??= areaIndex(this.geom)), lon, lat)) return true;
    // On the boundary: within 1 m of one of the ring segments near the point (only those are measured).
    const rings = (this.rings ??= ringIndex(this.geom)), e = 1e-5, sg = rings.segs;
    const { mx, my } = metresPerDegree(lat);
    for (const i of rings.index.search(lon - e, lat - e, lon + e, lat + e)) {
      const ax = (sg[4 * i] - lon) * mx, ay = (sg[4 * i + 1] - lat) * my, ex = (sg[4 * i + 2] - lon) * mx - ax, ey = (sg[4 * i + 3] - lat) * my - ay;
      const l2 = ex * ex + ey * ey, t = l2 > 0 ? Math.max(0, Math.min(1, -(ax * ex + ay * ey) / l2)) : 0;
      if ((ax + t * ex) ** 2 + (ay + t * ey) ** 2 < 1) return true;
    }
    return false;
  }
}

/** The edge plan of a district on the network (see the module comment); `cells` for an automatic district. */
export function netEdgePlan(net: Net, geom: AreaGeometry, stepM: number, snapOpts: SnapEdgeOptions, store: SnapStore, cells: DistrictCells | null): NetEdgePlan {
  const grid = cells?.grid;
  // An automatic district's ring vertices are cell corners; its stretches are tested at the cell sides' midpoints.
  const plan = planEdge(geom, stepM, grid ? {
    skipVertex: (lon: number, lat: number) => onCellCorner(grid, lon, lat),
    samplePoint: (a: Position, b: Position, p: LonLat) => cellSideMidpoint(grid, a, b, p),
  } : {});
  const test = new InsideTest(geom, cells), inside = (lon: number, lat: number) => test.has(lon, lat);
  const snap = (lon: number, lat: number) => snapEdgeRef(net, lon, lat, snapOpts, inside, store);
  const sampleRef = Float64Array.from(plan.lon, (lon, i) => snap(lon, plan.lat[i]));
  const cross: Crossing[] = [], crossRing: number[] = [], crossRef: number[] = [];
  plan.rings.forEach((pr, r) => {
    for (const c of roadCrossings(net, pr.coords, pr.cum)) {
      const ref = snap(c.lon, c.lat);
      cross.push(c);
      crossRing.push(r);
      crossRef.push(refCount(ref) ? ref : 0);
    }
  });
  return { plan, sampleRef, cross, crossRing: Int32Array.from(crossRing), crossRef: Float64Array.from(crossRef) };
}
