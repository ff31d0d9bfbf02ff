import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { buildGraph } from './buildGraph';
import { parseProfile } from './profile';
import { Router, profileWithTurns } from './router';
import { PlannerError } from './errors';
import { snapPoint } from './snap';
import { pathTo } from './route';
import { randomGrid } from './testGrid';
import { isUnreachableCode, unreachableReason } from './unreachable';
import type { OsmData, OsmRelation, Tags } from './osm/types';

const profile = parseProfile(JSON.parse(readFileSync(new URL('../../geodata/profiles/fire-engine.json', import.meta.url), 'utf8')));
const M = 111194.93; // metres per degree on the equator (the graph's haversine)
const at = (x: number, y: number): [number, number] => [x / M, y / M];

/** OSM data from node positions in metres east/north of (0°, 0°); every way a residential road unless tagged. */
function osm(nodes: Record<number, [number, number]>, ways: { id: number; nodes: number[]; tags?: Tags }[], relations: OsmRelation[] = []): OsmData {
  const map = new Map(Object.entries(nodes).map(([id, [x, y]]) => [Number(id), { id: Number(id), lon: x / M, lat: y / M }]));
  return { nodes: map, ways: ways.map((w) => ({ ...w, tags: { highway: 'residential', ...w.tags } })), relations };
}

function refusal(f: () => unknown): PlannerError {
  try {
    f();
  } catch (e) {
    expect(e).toBeInstanceOf(PlannerError);
    return e as PlannerError;
  }
  throw new Error('the route was not refused');
}

const station = [{ id: 's', lon: 0, lat: 0 }];
/** The main road: A (0,0) – M (1000,0) – B (2000,0), two-way, named 主街 / Main Street. */
const MAIN = { nodes: { 1: [0, 0], 2: [1000, 0], 3: [2000, 0] } as Record<number, [number, number]>, way: { id: 1, nodes: [1, 2, 3], tags: { name: '主街', 'name:en': 'Main Street' } } };

describe('why no station reaches a destination', () => {
  it('a road piece with no link to the stations\' network: "disconnected", naming the snapped point', () => {
    // A separate street 1 km north (P (0,1000) – Q (2000,1000)): the click at (500, 1010) snaps to (500, 1000).
    const data = osm({ ...MAIN.nodes, 4: [0, 1000], 5: [2000, 1000] }, [MAIN.way, { id: 2, nodes: [4, 5], tags: { name: '孤岛路' } }]);
    const router = new Router(buildGraph(data).graph, profile);
    const e = refusal(() => router.route(station, at(500, 1010)));
    expect(e.code).toBe('unreachable-disconnected');
    expect(e.zh).toBe('目的地无法从任何消防站到达：所在路段与消防站所在路网不连通（吸附点：孤岛路，0.00450,0.00899）');
    expect(e.en).toBe('the destination cannot be reached from any station: its road is not connected to the network the stations are on (snapped to 孤岛路 (0.00450, 0.00899))');
    // Joined to the main road by a two-way link the same click is routed.
    const joined = new Router(buildGraph(osm({ ...MAIN.nodes, 4: [0, 1000], 5: [2000, 1000] }, [MAIN.way, { id: 2, nodes: [4, 5] }, { id: 3, nodes: [3, 5] }])).graph, profile);
    expect(joined.route(station, at(500, 1010)).travelSeconds).toBeGreaterThan(0);
  });

  it('a street that one-way links only lead out of: "one-way pocket"; the link turned round makes it reachable', () => {
    // Pocket P (0,1000) – Q (2000,1000), two-way; its only link Q → B (2000,0) is one-way out of it.
    const pocket = (from: number, to: number) => osm({ ...MAIN.nodes, 4: [0, 1000], 5: [2000, 1000] },
      [MAIN.way, { id: 2, nodes: [4, 5] }, { id: 3, nodes: [from, to], tags: { oneway: 'yes' } }]);
    const router = new Router(buildGraph(pocket(5, 3)).graph, profile);
    const e = refusal(() => router.route(station, at(200, 1000)));
    expect(e.code).toBe('unreachable-one-way');
    expect(e.zh).toContain('单行道死角');
    expect(e.zh).toContain('只能驶出、无法驶入');
    expect(e.en).toContain('(0.00180, 0.00899)');
    // The same link pointing into the pocket: 2000 m east + 1000 m north + 1800 m back west = 4800 m of residential road.
    const r = new Router(buildGraph(pocket(3, 5)).graph, profile).route(station, at(200, 1000));
    expect(r.route.distance).toBeCloseTo(4800, -1);
  });

  it('reachable along the one-way directions but only through a forbidden turn: "turns"', () => {
    // B (2000,0) → C (2000,1000) one-way, then C – D (3000,1000) two-way; no left turn from the main road onto B → C.
    const data = osm({ ...MAIN.nodes, 4: [2000, 1000], 5: [3000, 1000] }, [
      MAIN.way, { id: 2, nodes: [3, 4], tags: { oneway: 'yes' } }, { id: 3, nodes: [4, 5] },
    ], [{
      id: 1, tags: { type: 'restriction', restriction: 'no_left_turn' },
      members: [{ type: 'way', ref: 1, role: 'from' }, { type: 'node', ref: 3, role: 'via' }, { type: 'way', ref: 2, role: 'to' }],
    }]);
    const graph = buildGraph(data).graph;
    const obey = new Router(graph, profileWithTurns(profile, true));
    const e = refusal(() => obey.route(station, at(2800, 1000)));
    expect(e.code).toBe('unreachable-turns');
    expect(e.zh).toContain('转向限制');
    expect(isUnreachableCode(e.code)).toBe(true);
    // Turn restrictions ignored: the route exists (2000 + 1000 + 800 m).
    expect(new Router(graph, profileWithTurns(profile, false)).route(station, at(2800, 1000)).route.distance).toBeCloseTo(3800, -1);
  });

  it('random grids: the reason agrees with a shortest-path search and the weak components computed apart', () => {
    const seen = { disconnected: 0, 'one-way': 0, turns: 0, routed: 0 };
    for (const seed of [3, 11, 29]) {
      const graph = buildGraph(randomGrid(seed, 12, 10, { dropRate: 0.35, onewayRate: 0.35, firstClass: 1, classCount: 6 })).graph;
      const router = new Router(graph, profileWithTurns(profile, false));
      const { spatial, seconds, components } = router;
      const pts: [number, number][] = [];
      for (let i = 0; i < 14; i++) pts.push([114 + ((i * 7) % 12) * 0.001 + 0.0004, 22.5 + ((i * 5) % 10) * 0.0009 + 0.0003]);
      for (const a of pts.slice(0, 4)) {
        const from = snapPoint(graph, spatial, seconds, null, a[0], a[1])!;
        router.paths.run([from]);
        for (const b of pts) {
          const to = snapPoint(graph, spatial, seconds, null, b[0], b[1])!;
          const path = pathTo(graph, spatial, router.paths, [from], to);
          const reason = unreachableReason(graph, seconds, spatial.source, [from], to);
          if (path) {
            // Turns ignored: a path exists exactly when the directed sweep reaches the point ('turns' is what it answers then).
            expect(reason).toBe('turns');
            seen.routed++;
            continue;
          }
          const apart = components.id[to.u] !== components.id[from.u];
          expect(reason).toBe(apart ? 'disconnected' : 'one-way');
          seen[reason]++;
        }
      }
    }
    // The grids are cut and one-way enough to hold every case.
    expect(seen.disconnected).toBeGreaterThan(0);
    expect(seen['one-way']).toBeGreaterThan(0);
    expect(seen.routed).toBeGreaterThan(0);
  });
});
