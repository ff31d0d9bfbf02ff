import { describe, expect, it } from 'vitest';
import { buildGraph } from './buildGraph';
import { EdgeFlag } from './graph';
import { buildSpatialIndex, toLocalX, toLocalY } from './spatial';
import { computeComponents, mainStrongComponent, networkReach } from './components';
import { metresPerDegree } from './geo';
import { snapPoint, SNAP_FLAG_M } from './snap';
import type { OsmData } from './osm/types';

// A small fan of roads around (114, 22.5), a footway (never in the graph) and a gated private road.
const osm: OsmData = {
  nodes: new Map([
    [1, { id: 1, lon: 114, lat: 22.5 }], [2, { id: 2, lon: 114.004, lat: 22.5 }], [3, { id: 3, lon: 114.004, lat: 22.503 }],
    [4, { id: 4, lon: 113.998, lat: 22.502 }], [5, { id: 5, lon: 114.002, lat: 22.5012 }], [6, { id: 6, lon: 114.002, lat: 22.5018 }],
    [7, { id: 7, lon: 114.001, lat: 22.4996 }], [8, { id: 8, lon: 114.003, lat: 22.4996 }],
  ]),
  ways: [
    { id: 1, nodes: [1, 2, 3], tags: { highway: 'primary' } },
    { id: 2, nodes: [1, 4], tags: { highway: 'residential' } },
    { id: 3, nodes: [5, 6], tags: { highway: 'footway' } },
    { id: 4, nodes: [7, 8], tags: { highway: 'service', access: 'private' } },
  ],
  relations: [],
};
const { graph } = buildGraph(osm);
const sp = buildSpatialIndex(graph);
const comps = computeComponents(graph);
const open = new Float32Array(graph.edgeCount).fill(1);
for (let e = 0; e < graph.edgeCount; e++) if (graph.flags[e] & EdgeFlag.NoAccess) open[e] = Infinity;

/** Brute force over every segment in the same local frame. */
function brute(lon: number, lat: number) {
  const px = toLocalX(sp.frame, lon), py = toLocalY(sp.frame, lat);
  let best = Infinity;
  for (const e of sp.segEdge) {
    if (!(open[e] < Infinity)) continue;
    const a = sp.source[e], b = graph.target[e];
    const ex = sp.x[b] - sp.x[a], ey = sp.y[b] - sp.y[a];
    const t = Math.max(0, Math.min(1, ((px - sp.x[a]) * ex + (py - sp.y[a]) * ey) / (ex * ex + ey * ey)));
    best = Math.min(best, Math.hypot(sp.x[a] + t * ex - px, sp.y[a] + t * ey - py));
  }
  return best;
}

describe('snapPoint', () => {
  it('finds the true nearest usable segment (flatbush vs brute force)', () => {
    let s = 3;
    const rnd = () => ((s = (s * 1664525 + 1013904223) >>> 0) / 2 ** 32);
    for (let i = 0; i < 200; i++) {
      const lon = 113.99 + rnd() * 0.025, lat = 22.49 + rnd() * 0.02;
      const snap = snapPoint(graph, sp, open, comps, lon, lat)!;
      expect(snap.distanceM).toBeCloseTo(brute(lon, lat), 6);
      expect(snap.far).toBe(snap.distanceM > SNAP_FLAG_M);
      expect(snap.nearestM).toBe(snap.distanceM);
    }
  });
  it('projects mid-edge with the fraction t', () => {
    const snap = snapPoint(graph, sp, open, comps, 114.001, 22.5001)!;
    expect(snap.lat).toBeCloseTo(22.5, 7);
    expect(snap.lon).toBeCloseTo(114.001, 7);
    const from = snap.u === 0 ? 0 : 1;
    expect(snap.t).toBeCloseTo(from === 0 ? 0.25 : 0.75, 4);
    expect(snap.distanceM).toBeCloseTo(11.1, 1);
  });
  it('never snaps onto a footway or a private road', () => {
    const onFootway = snapPoint(graph, sp, open, comps, 114.002, 22.5015)!;
    expect(onFootway.distanceM).toBeGreaterThan(100);
    const onPrivate = snapPoint(graph, sp, open, comps, 114.002, 22.4996)!;
    expect(onPrivate.lat).toBeCloseTo(22.5, 6);
  });
  it('snaps a point far outside the network and flags it', () => {
    const snap = snapPoint(graph, sp, open, comps, 114.2, 22.5)!;
    expect(snap.far).toBe(true);
    expect(snap.distanceM).toBeGreaterThan(19000);
  });
});

describe('honest snapping around one-way pockets', () => {
  // A two-way street 1–2–4 along lat 22.5 and a one-way spur 2→3 that only leads away (a dead end where the extract
  // cut it): a start on the spur cannot drive out, a destination on it is reached from the street.
  const pocket: OsmData = {
    nodes: new Map([[1, { id: 1, lon: 114, lat: 22.5 }], [2, { id: 2, lon: 114.002, lat: 22.5 }], [3, { id: 3, lon: 114.002, lat: 22.5004 }], [4, { id: 4, lon: 114.004, lat: 22.5 }]]),
    ways: [
      { id: 1, nodes: [1, 2, 4], tags: { highway: 'residential' } },
      { id: 2, nodes: [2, 3], tags: { highway: 'primary', oneway: 'yes' } },
    ],
    relations: [],
  };
  const g = buildGraph(pocket).graph;
  const s2 = buildSpatialIndex(g);
  const sec = new Float32Array(g.edgeCount).map((_, e) => (g.flags[e] & EdgeFlag.AgainstOneway ? Infinity : 1));
  const main = mainStrongComponent(g, sec, s2.source);
  const reach = networkReach(g, sec, s2.source, main);
  const c2 = computeComponents(g);
  const tip = Array.from(g.lat).indexOf(225004000);
  const { mx, my } = metresPerDegree(s2.frame.lat0);

  it('knows which nodes can leave and which can be reached', () => {
    expect(Array.from(main)).toEqual(Array.from({ length: g.nodeCount }, (_, i) => (i === tip ? 0 : 1)));
    expect(reach.leaves[tip]).toBe(0);
    expect(reach.reached[tip]).toBe(1);
  });
  it('moves a start off the spur to the street and says how far and why', () => {
    const snap = snapPoint(g, s2, sec, c2, 114.0021, 22.5003, { reach, role: 'start' })!;
    expect(snap.moved).toBe(true);
    expect(snap.isolated).toBe(false);
    expect(snap.reason?.code).toBe('start-cannot-leave');
    expect(snap.reason?.zh).toMatch(/出发点已移/);
    // Hand-solved: nearest road point (114.002, 22.5003) on the spur; chosen (114.0021, 22.5) on the street.
    expect(snap.lat).toBeCloseTo(22.5, 7);
    expect(snap.lon).toBeCloseTo(114.0021, 7);
    expect(snap.distanceM).toBeCloseTo(0.0003 * my, 6);
    expect(snap.movedM).toBeCloseTo(Math.hypot(0.0001 * mx, 0.0003 * my), 6);
    // Off-network limits test the nearest road, not the road it was moved to.
    expect(snap.nearestM).toBeCloseTo(0.0001 * mx, 6);
  });
  it('never moves a destination the street can reach, nor a plain snap', () => {
    for (const role of ['destination', 'any'] as const) {
      const snap = snapPoint(g, s2, sec, c2, 114.0021, 22.5003, { reach, role })!;
      expect(snap.moved).toBe(false);
      expect(snap.movedM).toBe(0);
      expect(snap.reason).toBeUndefined();
      expect(snap.lon).toBeCloseTo(114.002, 7);
      expect(snap.distanceM).toBeCloseTo(0.0001 * mx, 6);
    }
    expect(snapPoint(g, s2, sec, c2, 114.0021, 22.5003, { reach, role: 'destination' })!.isolated).toBe(false);
    expect(snapPoint(g, s2, sec, c2, 114.0021, 22.5003, { reach, role: 'any' })!.isolated).toBe(true);
  });
  it('keeps a start that has nowhere better within maxMoveM and flags it', () => {
    const snap = snapPoint(g, s2, sec, c2, 114.0021, 22.5003, { reach, role: 'start', maxMoveM: 20 })!;
    expect(snap.moved).toBe(false);
    expect(snap.isolated).toBe(true);
    expect(snap.lon).toBeCloseTo(114.002, 7);
  });
  it('on a junction takes the segment that serves the role', () => {
    // Node 2 touches the spur and the street; a start there drives out along the street.
    const snap = snapPoint(g, s2, sec, c2, 114.002, 22.5, { reach, role: 'start' })!;
    expect(snap.distanceM).toBe(0);
    expect(snap.moved).toBe(false);
    expect(snap.isolated).toBe(false);
  });
  it('the reverse spur 3→2 (only the outside feeds it): a start stays, a destination moves', () => {
    const sec2 = new Float32Array(g.edgeCount).map((_, e) => {
      const spur = s2.source[e] === tip || g.target[e] === tip;
      return spur ? (g.flags[e] & EdgeFlag.AgainstOneway ? 1 : Infinity) : 1;
    });
    const r2 = networkReach(g, sec2, s2.source);
    const start = snapPoint(g, s2, sec2, c2, 114.0021, 22.5003, { reach: r2, role: 'start' })!;
    expect(start.moved).toBe(false);
    expect(start.isolated).toBe(false);
    const dest = snapPoint(g, s2, sec2, c2, 114.0021, 22.5003, { reach: r2, role: 'destination' })!;
    expect(dest.moved).toBe(true);
    expect(dest.reason?.code).toBe('destination-unreachable');
  });
});
