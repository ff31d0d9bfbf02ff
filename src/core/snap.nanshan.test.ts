import { describe, expect, it } from 'vitest';
import { placeRouter } from '../../tests/support/place';
import { snapPoint } from './snap';
import { toLocalX, toLocalY } from './spatial';

// Issue #10 on 深圳南山: 13 % of the nodes are off the largest strongly connected network although a fire engine can
// drive out from them (one-way carriageways the outside of the extract feeds). Snapping must leave starts there.
const r = placeRouter('nanshan');
const g = r.graph, sp = r.spatial, sec = r.seconds, reach = r.reach;

/** Brute-force closure: repeat edge sweeps until nothing changes. */
function bruteReach() {
  const leaves = Uint8Array.from(reach.main), reached = Uint8Array.from(reach.main);
  for (let changed = true; changed; ) {
    changed = false;
    for (let e = 0; e < g.edgeCount; e++) {
      if (!(sec[e] < Infinity)) continue;
      const a = sp.source[e], b = g.target[e];
      if (reached[a] && !reached[b]) { reached[b] = 1; changed = true; }
      if (leaves[b] && !leaves[a]) { leaves[a] = 1; changed = true; }
    }
  }
  return { leaves, reached };
}

/** Plain Dijkstra (array scan, no heap) from one node over node-to-node edges. */
function bruteTimes(from: number): Float64Array {
  const d = new Float64Array(g.nodeCount).fill(Infinity), done = new Uint8Array(g.nodeCount);
  d[from] = 0;
  for (;;) {
    let u = -1;
    for (let i = 0; i < g.nodeCount; i++) if (!done[i] && d[i] < Infinity && (u < 0 || d[i] < d[u])) u = i;
    if (u < 0) return d;
    done[u] = 1;
    for (let e = g.firstEdge[u]; e < g.firstEdge[u + 1]; e++) if (sec[e] < Infinity && d[u] + sec[e] < d[g.target[e]]) d[g.target[e]] = d[u] + sec[e];
  }
}

const nodeLonLat = (i: number): [number, number] => [g.lon[i] / 1e7, g.lat[i] / 1e7];
const usable = (n: number) => { for (let e = g.firstEdge[n]; e < g.firstEdge[n + 1]; e++) if (sec[e] < Infinity || sec[sp.twin[e]] < Infinity) return true; return false; };

describe('honest snapping on 深圳南山', () => {
  it('networkReach equals the brute-force closure; 13 % of the nodes can drive out without being on the main network', () => {
    const b = bruteReach();
    expect(Array.from(reach.leaves)).toEqual(Array.from(b.leaves));
    expect(Array.from(reach.reached)).toEqual(Array.from(b.reached));
    let outOnly = 0;
    for (let i = 0; i < g.nodeCount; i++) if (reach.leaves[i] && !reach.main[i]) outOnly++;
    expect(outOnly / g.nodeCount).toBeGreaterThan(0.12);
    expect(outOnly / g.nodeCount).toBeLessThan(0.15);
  });

  it('a start or destination on any node is moved exactly when it cannot serve there', () => {
    let movedStarts = 0;
    for (let i = 0; i < g.nodeCount; i++) {
      if (!usable(i)) continue;
      const [lon, lat] = nodeLonLat(i);
      const s = r.snapStation(lon, lat), d = r.snap(lon, lat);
      if (reach.leaves[i]) expect([s.moved, s.distanceM < 1e-6, s.isolated]).toEqual([false, true, false]);
      else { expect(s.moved || s.isolated).toBe(true); if (s.moved) movedStarts++; }
      if (reach.reached[i]) expect([d.moved, d.distanceM < 1e-6, d.isolated]).toEqual([false, true, false]);
      else expect(d.moved || d.isolated).toBe(true);
    }
    expect(movedStarts).toBeGreaterThan(0);
  });

  it('a moved start goes to the nearest road that can drive out (brute force over every segment)', () => {
    let checked = 0;
    for (let i = 0; i < g.nodeCount && checked < 40; i += 7) {
      if (reach.leaves[i] || !usable(i)) continue;
      const [lon, lat] = [g.lon[i] / 1e7 + 0.00004, g.lat[i] / 1e7 - 0.00003];
      const s = r.snapStation(lon, lat);
      const near = snapPoint(g, sp, sec, r.components, lon, lat);
      if (!s.moved) continue;
      checked++;
      const px = toLocalX(sp.frame, lon), py = toLocalY(sp.frame, lat);
      const nx = toLocalX(sp.frame, near!.lon), ny = toLocalY(sp.frame, near!.lat);
      expect(s.movedM).toBeCloseTo(Math.hypot(toLocalX(sp.frame, s.lon) - nx, toLocalY(sp.frame, s.lat) - ny), 6);
      expect(s.movedM).toBeLessThanOrEqual(300);
      expect(s.distanceM).toBeGreaterThanOrEqual(near!.distanceM);
      let best = Infinity;
      for (const e of sp.segEdge) {
        const a = sp.source[e], b = g.target[e], rev = sp.twin[e];
        const ok = (sec[e] < Infinity && reach.leaves[b]) || (rev >= 0 && sec[rev] < Infinity && reach.leaves[a]);
        if (!ok) continue;
        const ex = sp.x[b] - sp.x[a], ey = sp.y[b] - sp.y[a];
        const t = Math.max(0, Math.min(1, ((px - sp.x[a]) * ex + (py - sp.y[a]) * ey) / (ex * ex + ey * ey)));
        const qx = sp.x[a] + t * ex, qy = sp.y[a] + t * ey;
        if (Math.hypot(qx - nx, qy - ny) <= 300) best = Math.min(best, Math.hypot(qx - px, qy - py));
      }
      expect(s.distanceM).toBeCloseTo(best, 6);
      expect(s.reason?.code).toBe('start-cannot-leave');
    }
    expect(checked).toBeGreaterThan(5);
  });

  it('北环大道 westbound (the issue\'s 52 m case) is no longer moved and its times are from where it is', () => {
    const node = 704;
    const [lon, lat] = nodeLonLat(node);
    expect([lon, lat]).toEqual([113.9656073, 22.5575607]);
    expect(reach.main[node]).toBe(0);
    expect(reach.leaves[node]).toBe(1);
    // The old rule (a main road within 300 m wins) moved it 52 m:
    const old = snapPoint(g, sp, sec, r.components, lon, lat, { reach: { main: reach.main, leaves: reach.main, reached: reach.main }, role: 'start' })!;
    expect(old.moved).toBe(true);
    expect(old.movedM).toBeCloseTo(52.3, 1);
    const s = r.snapStation(lon, lat);
    expect([s.moved, s.movedM, s.distanceM]).toEqual([false, 0, 0]);
    // Times to a ring of junction destinations equal a plain Dijkstra from the node; from the old point they differ.
    const ref = bruteTimes(node);
    const dests = [100, 900, 1700, 2500, 3300, 4100, 4900, 5700].filter((k) => reach.reached[k] && ref[k] < Infinity && usable(k));
    expect(dests.length).toBeGreaterThan(4);
    const res = r.times([lon, lat], dests.map(nodeLonLat));
    let maxDiff = 0;
    r.paths.run([old]);
    dests.forEach((k, j) => {
      expect(res.results[j].snap.moved).toBe(false);
      expect(res.results[j].seconds!).toBeCloseTo(ref[k], 2);
      maxDiff = Math.max(maxDiff, Math.abs(res.results[j].seconds! - r.paths.dist[k]));
    });
    expect(res.from.moved).toBe(false);
    expect(maxDiff).toBeGreaterThan(60);
  });

  it('北环大道 where the extract cuts it (west edge): open ends are dead ends, so the points there are moved and say so', () => {
    // Westbound carriageway: its last node is the extract's westmost point; a start there can only drive off the data.
    const westEnd = 1665, eastStart = 4973;
    expect(nodeLonLat(westEnd)).toEqual([g.bbox[0], 22.5527436]);
    expect([reach.leaves[westEnd], reach.reached[westEnd]]).toEqual([0, 1]);
    const s = r.snapStation(...nodeLonLat(westEnd));
    expect(s.moved).toBe(true);
    expect(s.movedM).toBeCloseTo(183.4, 1);
    expect(s.reason?.code).toBe('start-cannot-leave');
    expect(s.reason?.en).toMatch(/leading only off the edge of the road data/);
    expect(r.snap(...nodeLonLat(westEnd)).moved).toBe(false);
    // Eastbound carriageway: it enters the data there, so a destination on its first node cannot be reached.
    expect([reach.leaves[eastStart], reach.reached[eastStart]]).toEqual([1, 0]);
    const d = r.snap(...nodeLonLat(eastStart));
    expect([d.moved, d.reason?.code]).toEqual([true, 'destination-unreachable']);
    expect(d.movedM).toBeCloseTo(24.1, 1);
    expect(r.snapStation(...nodeLonLat(eastStart)).moved).toBe(false);
  });
});
