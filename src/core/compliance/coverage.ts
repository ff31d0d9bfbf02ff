/**
 * Coverage of a district by its own station within the travel limit: road-length share (network), area share
 * on a grid, the pockets not reached in time, and what only another station reaches in time (second-due).
 */
import Flatbush from 'flatbush';
import type { Feature, MultiPolygon, Polygon } from 'geojson';
import type { AreaGeometry } from '../types';
import { areaIndex, areaKm2, bboxOf, pointInIndexed } from './geom';
import { cellLonLat, cellX, cellY, makeGrid, traceLabel, type Grid } from './raster';
import { intersectAreas } from './districts';
import { edgePointTime, type EdgeEntry } from '../edgeTime';
import { haversineM } from '../geo';
import type { Station } from '../types';
import type { MultiRun } from './autoGrid';
import { reachedFraction, type Net } from './network';
import type { CoverageReport } from './report';

const r3 = (x: number) => Math.round(x * 1000) / 1000;
const r4 = (x: number) => Math.round(x * 10000) / 10000;

/** Per-cell coverage test: 'own' = reached in time by the district's station, a number = only that other station, -1 = none. */
export type CellTest = (lon: number, lat: number, x: number, y: number, grid: Grid) => 'own' | number;

/** Area share, pockets and second-due area of a district on a grid of `cellM` cells. */
export function rasterCoverage(geom: AreaGeometry, cellM: number, test: CellTest, stationIds: string[]): Pick<CoverageReport, 'areaShare' | 'pockets' | 'pocketsKm2'> & { secondDueKm2: Map<string, number> } {
  const grid = makeGrid(bboxOf(geom), cellM, 60_000);
  const cellKm2 = (grid.cellM / 1000) ** 2;
  let inside = 0, own = 0;
  const second = new Map<string, number>();
  grid.labels.fill(0);
  const ai = areaIndex(geom);
  for (let r = 0; r < grid.ny; r++)
    for (let c = 0; c < grid.nx; c++) {
      const [lon, lat] = cellLonLat(grid, c, r);
      if (!pointInIndexed(ai, lon, lat)) continue;
      inside++;
      const t = test(lon, lat, cellX(grid, c), cellY(grid, r), grid);
      if (t === 'own') { own++; continue; }
      grid.labels[c + r * grid.nx] = 1;
      if (t >= 0) second.set(stationIds[t], (second.get(stationIds[t]) ?? 0) + cellKm2);
    }
  const features: Feature<Polygon | MultiPolygon, { areaKm2: number }>[] = [];
  let pocketsKm2 = 0;
  const traced = own < inside ? traceLabel(grid, 1) : null;
  const clipped = traced && intersectAreas(traced, geom);
  if (clipped) {
    const polys = clipped.type === 'Polygon' ? [clipped.coordinates] : clipped.coordinates;
    for (const p of polys) {
      const g: Polygon = { type: 'Polygon', coordinates: p };
      const a = areaKm2(g);
      pocketsKm2 += a;
      features.push({ type: 'Feature', geometry: g, properties: { areaKm2: r4(a) } });
    }
    features.sort((a, b) => b.properties.areaKm2 - a.properties.areaKm2);
  }
  for (const [k, v] of second) second.set(k, r4(v));
  return {
    areaShare: inside > 0 ? r4(own / inside) : 0,
    pockets: { type: 'FeatureCollection', features: features.slice(0, 200) },
    pocketsKm2: r4(pocketsKm2),
    secondDueKm2: second,
  };
}

export interface NetworkCoverageInput {
  net: Net;
  geom: AreaGeometry;
  /** Own station's index and its run (at least up to limitS). */
  own: number;
  ownRun: EdgeEntry;
  /** Multi-source run over all stations, and its edge entry times (multiEntry). */
  all: MultiRun;
  allEntry: EdgeEntry;
  stationIds: string[];
  limitS: number;
  corridorM: number;
  cellM: number;
}

/** Network coverage: road length and area reached in time, pockets and second-due. */
export function networkCoverage(i: NetworkCoverageInput): CoverageReport {
  const { net, geom, own, ownRun, all, allEntry, limitS } = i;
  const g = net.graph;
  const { source, segEdge, frame } = net.spatial;
  const [a, b, c, d] = bboxOf(geom);
  const padLon = i.corridorM / frame.mx, padLat = i.corridorM / frame.my;
  let roadM = 0, ownM = 0;
  const secondM = new Map<number, number>();
  const ownPts: number[] = [], otherPts: number[] = [], otherLabel: number[] = [];
  const step = Math.max(5, i.corridorM / 2);
  const ai = areaIndex(geom);
  for (const e of segEdge) {
    const u = source[e], v = g.target[e];
    const lu = g.lon[u] / 1e7, au = g.lat[u] / 1e7, lv = g.lon[v] / 1e7, av = g.lat[v] / 1e7;
    if (Math.max(lu, lv) < a - padLon || Math.min(lu, lv) > c + padLon || Math.max(au, av) < b - padLat || Math.min(au, av) > d + padLat) continue;
    const rev = net.spatial.twin[e];
    const fwd = net.seconds[e], back = rev >= 0 ? net.seconds[rev] : Infinity;
    if (!(fwd < Infinity) && !(back < Infinity)) continue;
    const len = g.lengthM[e];
    const ownF = ownRun.entryTime(e), ownB = rev >= 0 ? ownRun.entryTime(rev) : Infinity;
    const allF = allEntry.entryTime(e), allB = rev >= 0 ? allEntry.entryTime(rev) : Infinity;
    if (pointInIndexed(ai, (lu + lv) / 2, (au + av) / 2)) {
      roadM += len;
      const fo = reachedFraction(ownF, ownB, fwd, back, limitS);
      const fa = reachedFraction(allF, allB, fwd, back, limitS);
      ownM += fo * len;
      if (fa > fo + 1e-9) {
        const ou = all.origin[u], ov = all.origin[v];
        const other = ou >= 0 && ou !== own && (all.time[u] <= all.time[v] || ov === own || ov < 0) ? ou : ov;
        if (other >= 0 && other !== own) secondM.set(other, (secondM.get(other) ?? 0) + (fa - fo) * len);
      }
    }
    // Points along the segment for the area test (own reach, and reach of others).
    const k = Math.max(1, Math.ceil(len / step));
    for (let j = 0; j <= k; j++) {
      const f = j / k;
      const x = (lu + f * (lv - lu) - frame.lon0) * frame.mx, y = (au + f * (av - au) - frame.lat0) * frame.my;
      if (edgePointTime(ownF, ownB, f, fwd, back) <= limitS) { ownPts.push(x, y); continue; }
      if (edgePointTime(allF, allB, f, fwd, back) <= limitS) {
        otherPts.push(x, y);
        // (Labelled by the end it is reached from sooner.)
        otherLabel.push(edgePointTime(allF, Infinity, f, fwd, back) <= edgePointTime(Infinity, allB, f, fwd, back) ? all.origin[u] : all.origin[v]);
      }
    }
  }
  const ownIdx = pointIndex(ownPts), otherIdx = pointIndex(otherPts);
  const r = rasterCoverage(geom, i.cellM, (lon, lat) => {
    const x = (lon - frame.lon0) * frame.mx, y = (lat - frame.lat0) * frame.my;
    if (ownIdx && ownIdx.neighbors(x, y, 1, i.corridorM).length > 0) return 'own';
    const n = otherIdx ? otherIdx.neighbors(x, y, 1, i.corridorM) : [];
    return n.length > 0 && otherLabel[n[0]] !== own ? otherLabel[n[0]] : -1;
  }, i.stationIds);
  const ids = new Set([...secondM.keys()].map((k) => i.stationIds[k]).concat([...r.secondDueKm2.keys()]));
  const secondDue = [...ids].sort().map((id) => {
    const k = i.stationIds.indexOf(id);
    return { stationId: id, roadKm: r3((secondM.get(k) ?? 0) / 1000), areaKm2: r.secondDueKm2.get(id) ?? 0 };
  });
  return {
    roadShare: roadM > 0 ? r4(ownM / roadM) : null,
    roadKm: r3(roadM / 1000),
    areaShare: r.areaShare,
    pockets: r.pockets,
    pocketsKm2: r.pocketsKm2,
    secondDue,
  };
}

function pointIndex(xy: number[]): Flatbush | null {
  const n = xy.length / 2;
  if (n === 0) return null;
  const idx = new Flatbush(n);
  for (let k = 0; k < n; k++) idx.add(xy[2 * k], xy[2 * k + 1], xy[2 * k], xy[2 * k + 1]);
  idx.finish();
  return idx;
}

/**
 * Edge entry times of a multi-source run copied out as node times (chains.runAll): an edge is entered when its
 * tail is reached. (The one place that reads them so: the copy holds no per-edge entries.)
 */
export class MultiEntry implements EdgeEntry {
  constructor(private readonly tail: Uint32Array, private readonly head: Uint32Array, private readonly time: Float64Array) {}
  entryTime(e: number): number {
    return this.time[this.tail[e]];
  }
  arrivalAt(e: number, head: boolean): number {
    return this.time[head ? this.head[e] : this.tail[e]];
  }
}

export const multiEntry = (net: Net, all: MultiRun): MultiEntry => new MultiEntry(net.spatial.source, net.graph.target, all.time);

/** Straight-line coverage: a point is covered by a station when distance × λ ÷ speed ≤ the travel limit. */
export function straightCoverage(geom: AreaGeometry, stations: readonly Station[], own: number, radiusM: number, cellM: number): CoverageReport {
  const ids = stations.map((s) => s.id);
  const r = rasterCoverage(geom, cellM, (lon, lat) => {
    if (haversineM(stations[own].lon, stations[own].lat, lon, lat) <= radiusM) return 'own';
    let best = -1, bd = Infinity;
    stations.forEach((s, k) => {
      const dd = haversineM(s.lon, s.lat, lon, lat);
      if (k !== own && dd <= radiusM && dd < bd) { bd = dd; best = k; }
    });
    return best;
  }, ids);
  return {
    roadShare: null, roadKm: 0, areaShare: r.areaShare, pockets: r.pockets, pocketsKm2: r.pocketsKm2,
    secondDue: [...r.secondDueKm2.entries()].sort((p, q) => (p[0] < q[0] ? -1 : 1)).map(([stationId, areaKm2]) => ({ stationId, roadKm: 0, areaKm2 })),
  };
}
