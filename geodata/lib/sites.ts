/**
 * Sample-place helpers: road-network hull, example station sites (k-means over road nodes) and example
 * responsibility districts (Voronoi cells of the sites clipped to the planning area). All deterministic.
 */
import * as turf from '@turf/turf';
import type { Feature, FeatureCollection, MultiPolygon, Point, Polygon, Position } from 'geojson';
import type { RoadGraph } from '../../src/core/graph';
import { metresPerDegree } from '../../src/core/geo';
import { round6 } from '../../src/core/osm/extract';
import type { AreaFeature } from '../../src/core/types';

/** Node indices of the largest connected component (edges taken as undirected). */
export function largestComponent(g: RoadGraph): number[] {
  const comp = new Int32Array(g.nodeCount).fill(-1);
  let best = -1, bestSize = 0;
  const stack: number[] = [];
  for (let s = 0, c = 0; s < g.nodeCount; s++) {
    if (comp[s] >= 0) continue;
    let size = 0;
    comp[s] = c;
    stack.push(s);
    while (stack.length) {
      const u = stack.pop() as number;
      size++;
      for (let e = g.firstEdge[u]; e < g.firstEdge[u + 1]; e++) {
        const v = g.target[e];
        if (comp[v] < 0) { comp[v] = c; stack.push(v); }
      }
    }
    if (size > bestSize) { bestSize = size; best = c; }
    c++;
  }
  const out: number[] = [];
  for (let i = 0; i < g.nodeCount; i++) if (comp[i] === best) out.push(i);
  return out;
}

const roundRing = (r: Position[]) => r.map((p) => [round6(p[0]), round6(p[1])]);

const largestPolygonRing = (g: Polygon | MultiPolygon): Position[] => {
  if (g.type === 'Polygon') return g.coordinates[0];
  const polys = g.coordinates.map((c) => ({ c, a: turf.area(turf.polygon(c)) })).sort((a, b) => b.a - a.a);
  return polys[0].c[0];
};

/**
 * Outline of a road network: the convex hull of its nodes, or a concave hull (Delaunay triangles with edges under
 * `maxEdgeKm`) opened by `openingM` (shrunk then grown again, which removes thin slivers along lone long roads),
 * keeping its largest part without holes.
 */
export function networkHull(g: RoadGraph, nodes: number[], mode: 'convex' | 'concave', maxEdgeKm = 2, openingM = 400): Polygon {
  const pts = turf.featureCollection(nodes.map((i) => turf.point([g.lon[i] / 1e7, g.lat[i] / 1e7])));
  if (mode === 'convex') {
    const hull = turf.convex(pts);
    if (!hull) throw new Error('network hull failed (too few nodes)');
    return { type: 'Polygon', coordinates: [roundRing(hull.geometry.coordinates[0])] };
  }
  const hull = turf.concave(pts, { maxEdge: maxEdgeKm, units: 'kilometers' }) ?? turf.convex(pts);
  if (!hull) throw new Error('network hull failed (too few nodes)');
  const core = turf.polygon([largestPolygonRing(hull.geometry)]);
  const shrunk = turf.buffer(core, -openingM, { units: 'meters' });
  const base = shrunk ? turf.polygon([largestPolygonRing(shrunk.geometry as Polygon | MultiPolygon)]) : core;
  const grown = turf.buffer(base, openingM, { units: 'meters', steps: 4 });
  const ring = largestPolygonRing((grown ?? base).geometry as Polygon | MultiPolygon);
  const simple = turf.simplify(turf.polygon([ring]), { tolerance: 0.0002, highQuality: true });
  return { type: 'Polygon', coordinates: [roundRing(simple.geometry.coordinates[0])] };
}

/** Small deterministic PRNG (mulberry32). */
function prng(seed: number) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * k graph nodes spread over the network: seeded k-means++ and Lloyd iterations on node positions (local metres),
 * each centre snapped to its nearest node. Sorted north to south, then west to east.
 */
export function kmeansSites(g: RoadGraph, nodes: number[], k: number, seed = 1): number[] {
  const lat0 = nodes.reduce((s, i) => s + g.lat[i], 0) / nodes.length / 1e7;
  const { mx, my } = metresPerDegree(lat0);
  const xs = nodes.map((i) => (g.lon[i] / 1e7) * mx), ys = nodes.map((i) => (g.lat[i] / 1e7) * my);
  const n = nodes.length;
  const rand = prng(seed);
  const cx: number[] = [], cy: number[] = [];
  const d2 = new Float64Array(n).fill(Infinity);
  let pick = Math.floor(rand() * n);
  for (let c = 0; c < k; c++) {
    cx.push(xs[pick]); cy.push(ys[pick]);
    let sum = 0;
    for (let i = 0; i < n; i++) {
      const d = (xs[i] - xs[pick]) ** 2 + (ys[i] - ys[pick]) ** 2;
      if (d < d2[i]) d2[i] = d;
      sum += d2[i];
    }
    let r = rand() * sum;
    pick = n - 1;
    for (let i = 0; i < n; i++) { r -= d2[i]; if (r <= 0) { pick = i; break; } }
  }
  const assign = new Int32Array(n);
  for (let iter = 0; iter < 100; iter++) {
    let changed = false;
    for (let i = 0; i < n; i++) {
      let best = 0, bd = Infinity;
      for (let c = 0; c < k; c++) {
        const d = (xs[i] - cx[c]) ** 2 + (ys[i] - cy[c]) ** 2;
        if (d < bd) { bd = d; best = c; }
      }
      if (assign[i] !== best) { assign[i] = best; changed = true; }
    }
    const sx = new Float64Array(k), sy = new Float64Array(k), cnt = new Float64Array(k);
    for (let i = 0; i < n; i++) { sx[assign[i]] += xs[i]; sy[assign[i]] += ys[i]; cnt[assign[i]]++; }
    for (let c = 0; c < k; c++) if (cnt[c] > 0) { cx[c] = sx[c] / cnt[c]; cy[c] = sy[c] / cnt[c]; }
    if (!changed && iter > 0) break;
  }
  // Snap each centre to the nearest node of its own cluster (so it is on the network), distinct nodes only.
  const chosen: number[] = [];
  for (let c = 0; c < k; c++) {
    let best = -1, bd = Infinity;
    for (let i = 0; i < n; i++) {
      if (assign[i] !== c || chosen.includes(nodes[i])) continue;
      const d = (xs[i] - cx[c]) ** 2 + (ys[i] - cy[c]) ** 2;
      if (d < bd) { bd = d; best = i; }
    }
    if (best >= 0) chosen.push(nodes[best]);
  }
  return chosen.sort((a, b) => g.lat[b] - g.lat[a] || g.lon[a] - g.lon[b]);
}

/** Voronoi cells of the sites clipped to the area; cell i belongs to site i. */
export function voronoiDistricts(sites: Feature<Point>[], area: Polygon | MultiPolygon): (Polygon | MultiPolygon | null)[] {
  const [a, b, c, d] = turf.bbox(area);
  const pad = Math.max(c - a, d - b);
  const cells = turf.voronoi(turf.featureCollection(sites) as FeatureCollection<Point>, { bbox: [a - pad, b - pad, c + pad, d + pad] });
  const areaFeature = turf.feature(area);
  return cells.features.map((cell) => {
    if (!cell) return null;
    const clipped = turf.intersect(turf.featureCollection([cell, areaFeature]) as FeatureCollection<Polygon | MultiPolygon>);
    return clipped ? roundGeometry(clipped.geometry) : null;
  });
}

/** Rounds polygon coordinates to 6 decimals and drops repeated vertices. */
export function roundGeometry<G extends Polygon | MultiPolygon>(g: G): G {
  const ring = (r: Position[]) => {
    const out: Position[] = [];
    for (const p of r) {
      const q = [round6(p[0]), round6(p[1])];
      const last = out[out.length - 1];
      if (!last || last[0] !== q[0] || last[1] !== q[1]) out.push(q);
    }
    return out;
  };
  if (g.type === 'Polygon') return { type: 'Polygon', coordinates: g.coordinates.map(ring) } as G;
  return { type: 'MultiPolygon', coordinates: (g as MultiPolygon).coordinates.map((p) => p.map(ring)) } as G;
}

/** Clips areas to a planning area; areas that do not overlap it are dropped. */
export function clipAreas(areas: AreaFeature[], to: Polygon | MultiPolygon): AreaFeature[] {
  const out: AreaFeature[] = [];
  for (const f of areas) {
    const c = turf.intersect(turf.featureCollection([turf.feature(f.geometry), turf.feature(to)]) as FeatureCollection<Polygon | MultiPolygon>);
    if (c && turf.area(c) > 1) out.push({ ...f, geometry: roundGeometry(c.geometry) });
  }
  return out;
}
