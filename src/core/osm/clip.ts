/** Cutting OSM data down to an area of interest (a user's extract is often much larger than the place). */
import { metresPerDegree } from '../geo';
import { NodeStore } from './nodeStore';
import type { OsmData, OsmNode, OsmWay } from './types';

export type Bbox = [number, number, number, number];

/** The bbox grown by about `marginM` metres on every side. */
export function growBbox([a, b, c, d]: Bbox, marginM: number): Bbox {
  const { mx, my } = metresPerDegree((b + d) / 2);
  const dLat = marginM / my;
  const dLon = marginM / Math.max(0.1 * my, mx);
  return [a - dLon, b - dLat, c + dLon, d + dLat];
}

/**
 * Keeps the nodes inside the bbox (in their order; the same map when all are inside: the result shares, never edits) and the ways and relations that still reference one of them. Ways lose their
 * nodes outside the bbox; buildGraph and the extractors split them there and count the missing references.
 */
export function clipOsm(osm: OsmData, [a, b, c, d]: Bbox): OsmData {
  const inside = (lon: number, lat: number) => lon >= a && lon <= c && lat >= b && lat <= d;
  const all = osm.nodes;
  // One pass to count: when every node is inside (the extract is the place), the node map is shared, not copied.
  let kept = 0;
  if (all instanceof NodeStore) {
    const { lons, lats, size } = all;
    for (let k = 0; k < size; k++) { const x = lons[k], y = lats[k]; if (x >= a && x <= c && y >= b && y <= d) kept++; }
  } else for (const n of all.values()) if (inside(n.lon, n.lat)) kept++;
  let nodes = all;
  if (kept < all.size) {
    if (all instanceof NodeStore) {
      const { lons, lats } = all;
      nodes = all.subset((k) => inside(lons[k], lats[k]));
    }
    else {
      const map = new Map<number, OsmNode>();
      for (const [id, n] of all) if (inside(n.lon, n.lat)) map.set(id, n);
      nodes = map;
    }
  }
  let ways: OsmWay[];
  if (nodes instanceof NodeStore) {
    // looked up by position guessed from the last node found (a way's first node often follows the last way's)
    let prevId = NaN, prevPos = -1;
    ways = osm.ways.filter((w) => {
      const refs = w.nodes;
      for (let i = 0; i < refs.length; i++) {
        const k = nodes.indexNear(refs[i], prevPos + (refs[i] - prevId));
        if (k >= 0) { prevId = refs[i]; prevPos = k; return true; }
      }
      return false;
    });
  } else ways = osm.ways.filter((w) => w.nodes.some((id) => nodes.has(id)));
  // the kept ways that relations name (not a set of every kept way: a city has hundreds of thousands)
  const named = new Set<number>();
  for (const r of osm.relations) for (const m of r.members) if (m.type === 'way') named.add(m.ref);
  const wayIds = new Set<number>();
  if (named.size > 0) for (const w of ways) if (named.has(w.id)) wayIds.add(w.id);
  const relations = osm.relations.filter((r) => r.members.some((m) => (m.type === 'node' ? nodes.has(m.ref) : m.type === 'way' ? wayIds.has(m.ref) : false)));
  return { nodes, ways, relations };
}
