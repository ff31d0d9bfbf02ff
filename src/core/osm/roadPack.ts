/**
 * The road layer in typed arrays, for the worker's hand-back: the GeoJSON of a 1 M-node grid is ~1.6 M objects, whose
 * structured clone to the app costs far more than making them (Chromium: ~400 ms to send, ~400 ms to receive); these
 * arrays are transferred without a copy and unpackRoads makes the very same FeatureCollection on the app's side as
 * extractRoads makes from the extract: the same coordinates and properties, one position array per OSM node shared by
 * the ways through it, one properties object per distinct class, names and direction.
 */
import type { Feature, FeatureCollection, LineString, Position } from 'geojson';
import { isDrivableWay, onewayDirection } from '../buildGraph';
import type { RoadProps } from './extract';
import { inIdOrder, SharedPositions } from './shapes';
import { NodeStore } from './nodeStore';
import type { OsmData } from './types';

export interface PackedRoads {
  /** Rounded lon, lat of each position (one per OSM node used), in order of first use. */
  xy: Float64Array;
  /** Position number of each coordinate, feature after feature. */
  at: Uint32Array;
  /** End (exclusive) in `at` of each feature's coordinates. */
  end: Uint32Array;
  /** Properties number of each feature. */
  prop: Uint32Array;
  props: RoadProps[];
}

/** The buffers to transfer with a PackedRoads. */
export const packedBuffers = (p: PackedRoads): ArrayBuffer[] => [p.xy.buffer as ArrayBuffer, p.at.buffer as ArrayBuffer, p.end.buffer as ArrayBuffer, p.prop.buffer as ArrayBuffer];

/** A Uint32Array holding `a`'s numbers with room for at least `n` (a list whose final length is seldom known). */
const grown = (a: Uint32Array<ArrayBuffer>, n: number): Uint32Array<ArrayBuffer> => {
  const b = new Uint32Array(Math.max(n, 2 * a.length));
  b.set(a);
  return b;
};

/**
 * extractRoads' layer, packed: drivable ways in id order, each cut into runs of present nodes with a repeated rounded
 * position dropped (as shapes.ts sharedWayRuns), properties from each way's tags. Written straight into typed arrays
 * sized from the references counted first (the arrays may be views of longer buffers: no copy to cut them).
 */
export function packRoads(osm: OsmData): PackedRoads {
  const ways = inIdOrder(osm.ways.filter((x) => isDrivableWay(x.tags)));
  let refs = 0;
  for (const w of ways) refs += w.nodes.length;
  const store = osm.nodes instanceof NodeStore ? osm.nodes : null;
  const sp = store ? null : new SharedPositions(osm); // a Map of nodes: positions rounded once per id
  const size = store ? store.size : 0;
  const ids = store ? store.ids : null, lons = store ? store.lons : null, lats = store ? store.lats : null;
  // position number + 1 by NodeStore position (0: none yet), or by node id for a Map of nodes
  const numberAt = new Int32Array(size);
  const numberOf = new Map<number, number>();
  const xy = new Float64Array(2 * (store ? Math.min(refs, size) : refs)); // a position per node used
  const at = new Uint32Array(refs);
  let end = new Uint32Array(ways.length + 16), prop = new Uint32Array(end.length); // (a way is mostly one feature)
  let count = 0, features = 0;
  const endRun = (j: number) => {
    if (features === end.length) { end = grown(end, features + 1); prop = grown(prop, end.length); }
    end[features++] = j;
  };
  const props: RoadProps[] = [], numbered = new Map<RoadProps, number>();
  const shared = new Map<string, RoadProps[]>(); // by name, as extractRoads
  let last: RoadProps | null = null, q = 0;
  let j = 0, prevId = NaN, prevPos = -1;
  for (const w of ways) {
    const before = features;
    let runStart = j, lastX = NaN, lastY = NaN, lastN = -1;
    for (const ref of w.nodes) {
      let x: number, y: number, n: number;
      if (ids !== null) {
        let k = prevPos + (ref - prevId);
        if (!(k >= 0 && k < size && ids[k] === ref)) k = (store as NodeStore).indexOf(ref);
        if (k < 0) {
          // a run ends at a missing node: kept when it has two positions or more
          if (j - runStart > 1) endRun(j); else j = runStart;
          runStart = j; lastN = -1;
          continue;
        }
        prevId = ref; prevPos = k;
        n = numberAt[k] - 1;
        if (n === lastN && n >= 0) continue;
        // round6's integers (equal integers ⇔ equal round6 values), as sharedWayRuns
        x = Math.round((lons as Float64Array)[k] * 1e6); y = Math.round((lats as Float64Array)[k] * 1e6);
        if (lastN >= 0 && x === lastX && y === lastY) continue;
        if (n < 0) { n = count++; numberAt[k] = n + 1; xy[2 * n] = x / 1e6; xy[2 * n + 1] = y / 1e6; }
      } else {
        const p = (sp as SharedPositions).get(ref);
        if (!p) {
          if (j - runStart > 1) endRun(j); else j = runStart;
          runStart = j; lastN = -1;
          continue;
        }
        x = p[0]; y = p[1];
        n = numberOf.get(ref) ?? -1;
        if (lastN >= 0 && (n === lastN || (x === lastX && y === lastY))) continue;
        if (n < 0) { n = count++; numberOf.set(ref, n); xy[2 * n] = x; xy[2 * n + 1] = y; }
      }
      at[j++] = n; lastN = n; lastX = x; lastY = y;
    }
    if (j - runStart > 1) endRun(j); else j = runStart;
    if (features === before) continue;
    const t = w.tags;
    const cls = t.highway, name = t.name ?? t.ref ?? '', nameEn = t['name:en'] ?? '', oneway = onewayDirection(t);
    if (!last || last.name !== name || last.cls !== cls || last.nameEn !== nameEn || last.oneway !== oneway) {
      let same = shared.get(name);
      if (!same) shared.set(name, (same = []));
      last = same.find((x) => x.cls === cls && x.nameEn === nameEn && x.oneway === oneway) ?? null;
      if (!last) { same.push((last = { cls, name, nameEn, oneway })); numbered.set(last, props.length); props.push(last); }
      q = numbered.get(last) as number;
    }
    prop.fill(q, before, features);
  }
  return { xy: xy.subarray(0, 2 * count), at: at.subarray(0, j), end: end.subarray(0, features), prop: prop.subarray(0, features), props };
}

/** The FeatureCollection a PackedRoads holds (extractRoads' output for the same extract). */
export function unpackRoads(p: PackedRoads): FeatureCollection<LineString, RoadProps> {
  const made = new Array<Position>(p.xy.length / 2);
  const features = new Array<Feature<LineString, RoadProps>>(p.end.length);
  for (let f = 0, s = 0; f < p.end.length; f++) {
    const e = p.end[f], coords = new Array<Position>(e - s);
    for (let r = s; r < e; r++) {
      const n = p.at[r];
      coords[r - s] = made[n] ??= [p.xy[2 * n], p.xy[2 * n + 1]];
    }
    features[f] = { type: 'Feature', properties: p.props[p.prop[f]], geometry: { type: 'LineString', coordinates: coords } };
    s = e;
  }
  return { type: 'FeatureCollection', features };
}
