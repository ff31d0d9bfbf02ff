/**
 * Independent check of the routing engine against pgRouting 3.4 (PostgreSQL 15) in a private cluster:
 * - Monaco's graph from `planner export-graph` (full precision) loaded as edges; pgr_dijkstra agrees with
 *   `planner times` within 0.01 s on a fixed set of junction pairs;
 * - a hand-made graph with turn restrictions (a turn and a via-way sequence) exported with `--restrictions`;
 *   pgr_trsp gives the hand-solved times, and so does the planner once its engine obeys restrictions.
 * Skips (with a message) only when the PostgreSQL binaries are missing; CI installs them with
 * `apt-get install postgresql-15 postgresql-15-postgis-3 postgresql-15-pgrouting`.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { run } from '../../src/cli/main';
import { buildGraph } from '../../src/core/buildGraph';
import { FORBIDDEN_TURN_COST, profileWithTurns, Router } from '../../src/core/router';
import type { RoadGraph } from '../../src/core/graph';
import type { OsmData } from '../../src/core/osm/types';
import { fireEngineProfile, placeRouter } from '../support/place';
import { havePostgres, PG_BIN, PG_PACKAGES, startCluster, type Cluster } from './cluster';

const present = havePostgres();
if (!present) console.warn(`pgRouting check SKIPPED: no PostgreSQL binaries in ${PG_BIN} (install ${PG_PACKAGES}, or set PG_BIN)`);

const EDGES_SQL = 'SELECT id, source, target, cost, -1::float8 AS reverse_cost FROM e';

/** Loads export-graph CSV (and optionally restrictions CSV) into fresh tables e and r. */
function load(pg: Cluster, edgesCsv: string, restrictionsCsv?: string): void {
  const ef = join(pg.dir, 'edges.csv'), rf = join(pg.dir, 'restrictions.csv');
  writeFileSync(ef, edgesCsv);
  if (restrictionsCsv !== undefined) writeFileSync(rf, restrictionsCsv);
  pg.sql(`DROP TABLE IF EXISTS e; DROP TABLE IF EXISTS r;
CREATE TABLE e (id bigint, source bigint, target bigint, cost float8, meters float8, source_lon float8, source_lat float8, target_lon float8, target_lat float8);
\\copy e FROM '${ef}' CSV HEADER
CREATE TABLE r (id bigint, cost float8, path bigint[]);
${restrictionsCsv !== undefined ? `\\copy r FROM '${rf}' CSV HEADER` : ''}`);
}

/** A junction (3+ roads) on the main network whose roads are all usable both ways. */
function twoWayJunction(router: Router, n: number): boolean {
  const g = router.graph, sec = router.seconds;
  let k = 0;
  for (let e = g.firstEdge[n]; e < g.firstEdge[n + 1]; e++) {
    const rev = router.spatial.twin[e];
    if (!(sec[e] < Infinity) || rev < 0 || !(sec[rev] < Infinity)) return false;
    k++;
  }
  return k >= 3 && router.reach.main[n] === 1;
}

describe.skipIf(!present)('routing agrees with pgRouting', () => {
  let pg: Cluster;
  beforeAll(async () => { pg = await startCluster(); }, 120_000);
  afterAll(() => pg?.stop());

  it('Monaco: pgr_dijkstra and planner times agree within 0.01 s on junction pairs', () => {
    const router = placeRouter('monaco');
    const g = router.graph, sec = router.seconds;
    load(pg, run(['export-graph', '--place', 'monaco']));
    expect(Number(pg.sql('SELECT count(*) FROM e;')[0][0])).toBe(Array.from(sec).filter((s) => s < Infinity).length);
    // Junctions on the main network whose roads are all two-way: a point there starts at the node itself.
    const twoWay = (n: number) => twoWayJunction(router, n);
    const nodes: number[] = [];
    for (let n = 0; n < g.nodeCount; n += 11) if (twoWay(n)) nodes.push(n);
    expect(nodes.length).toBeGreaterThan(12);
    const sources = nodes.slice(0, 6), targets = nodes.slice(-8);
    const ll = (n: number) => `${g.lon[n] / 1e7},${g.lat[n] / 1e7}`;
    let compared = 0, worst = 0;
    for (const s of sources) {
      const out = JSON.parse(run(['times', '--place', 'monaco', '--from', ll(s), ...targets.flatMap((t) => ['--to', ll(t)])]));
      const rows = pg.sql(`SELECT end_vid, agg_cost FROM pgr_dijkstra('${EDGES_SQL}', ${s}, ARRAY[${targets.join(',')}]::bigint[]) WHERE edge = -1;`);
      const pgr = new Map(rows.map(([v, c]) => [Number(v), Number(c)]));
      targets.forEach((t, j) => {
        const ours = out.results[j].seconds;
        if (t === s) return;
        expect(ours).not.toBeNull();
        const d = Math.abs(ours - pgr.get(t)!);
        worst = Math.max(worst, d);
        expect(d).toBeLessThan(0.01);
        compared++;
      });
    }
    expect(compared).toBeGreaterThanOrEqual(40);
    // Rounding to 0.001 s is the only difference left.
    expect(worst).toBeLessThanOrEqual(0.0006);
  });

  it("Monaco's real turn restrictions: pgr_trsp and planner times agree within 0.01 s", () => {
    const router = placeRouter('monaco');
    const g = router.graph, reach = router.reach;
    const restrictions = router.exportRestrictionsCsv();
    expect(restrictions.trim().split('\n').length - 1).toBeGreaterThan(20);
    load(pg, run(['export-graph', '--place', 'monaco']), restrictions);
    // Sources and targets: junctions on the main network whose roads are all two-way and that are no restriction's
    // via node (a start exactly on a node has no arrival edge, so every turn is open to it — pgRouting's too).
    const via = new Set<number>();
    const rf = g.restrFirst!, re = g.restrEdges!;
    for (let k = 0; k + 1 < rf.length; k++) for (let i = rf[k]; i < rf[k + 1] - 1; i++) via.add(g.target[re[i]]);
    const twoWay = (n: number) => twoWayJunction(router, n) && !via.has(n);
    const nodes: number[] = [];
    for (let n = 0; n < g.nodeCount; n += 7) if (twoWay(n)) nodes.push(n);
    // Targets: where the restricted turns lead (the heads of the forbidden sequences' last edges), plus junctions.
    const ends = new Set<number>();
    for (let k = 0; k + 1 < rf.length; k++) {
      const h = g.target[re[rf[k + 1] - 1]];
      if (reach.main[h] === 1 && !via.has(h)) ends.add(h);
    }
    const sources = nodes.filter((_, i) => i % 5 === 0).slice(0, 8);
    const targets = [...[...ends].slice(0, 16), ...nodes.filter((_, i) => i % 5 === 2).slice(0, 6)];
    const ll = (n: number) => `${g.lon[n] / 1e7},${g.lat[n] / 1e7}`;
    let compared = 0, changed = 0;
    for (const s of sources) {
      const on = JSON.parse(run(['times', '--place', 'monaco', '--from', ll(s), ...targets.flatMap((t) => ['--to', ll(t)])]));
      const off = JSON.parse(run(['times', '--place', 'monaco', '--turns', 'off', '--from', ll(s), ...targets.flatMap((t) => ['--to', ll(t)])]));
      const rows = pg.sql(`SELECT end_vid, agg_cost FROM pgr_trsp('${EDGES_SQL}', 'SELECT id, cost, path FROM r', ${s}, ARRAY[${targets.join(',')}]::bigint[]) WHERE edge = -1;`);
      const trsp = new Map(rows.map(([v, c]) => [Number(v), Number(c)]));
      targets.forEach((t, j) => {
        if (t === s) return;
        const ours = on.results[j].seconds;
        expect(Math.abs(ours - trsp.get(t)!), `${s} → ${t}`).toBeLessThan(0.01);
        if (ours > off.results[j].seconds + 0.01) changed++;
        compared++;
      });
    }
    expect(compared).toBeGreaterThanOrEqual(60);
    // The restrictions matter on some of these trips (otherwise the check would prove nothing).
    expect(changed).toBeGreaterThan(0);
  });

  describe('turn restrictions: pgr_trsp on a hand-made graph', () => {
    //  A(114.000, 22.5000) ── B(114.001, 22.5000) ── C(114.002, 22.5000)
    //  │                      │                      │
    //  D(114.000, 22.4970) ── E(114.001, 22.4980) ── F(114.002, 22.4975)     all two-way residential streets
    const P = { A: [114, 22.5], B: [114.001, 22.5], C: [114.002, 22.5], D: [114, 22.497], E: [114.001, 22.498], F: [114.002, 22.4975] } as const;
    const names = Object.keys(P) as (keyof typeof P)[];
    const osm: OsmData = {
      nodes: new Map(names.map((k, i) => [i + 1, { id: i + 1, lon: P[k][0], lat: P[k][1] }])),
      ways: [['A', 'B', 'C'], ['D', 'E', 'F'], ['A', 'D'], ['B', 'E'], ['C', 'F']].map((w, i) => ({ id: i + 1, nodes: w.map((k) => names.indexOf(k as keyof typeof P) + 1), tags: { highway: 'residential' } })),
      relations: [],
    };
    const graph: RoadGraph = buildGraph(osm).graph;
    const node = (k: keyof typeof P) => {
      for (let i = 0; i < graph.nodeCount; i++) if (graph.lon[i] === Math.round(P[k][0] * 1e7) && graph.lat[i] === Math.round(P[k][1] * 1e7)) return i;
      throw new Error(k);
    };
    const edge = (a: keyof typeof P, b: keyof typeof P) => {
      for (let e = graph.firstEdge[node(a)]; e < graph.firstEdge[node(a) + 1]; e++) if (graph.target[e] === node(b)) return e;
      throw new Error(a + b);
    };
    // R1: no turn A→B then B→E. R2 (via way B–C): no A→B, B→C, C→F.
    graph.restrFirst = Uint32Array.from([0, 2, 5]);
    graph.restrEdges = Uint32Array.from([edge('A', 'B'), edge('B', 'E'), edge('A', 'B'), edge('B', 'C'), edge('C', 'F')]);
    const router = new Router(graph, profileWithTurns(fireEngineProfile(), true));
    const s = (...path: (keyof typeof P)[]) => path.slice(1).reduce((t, k, i) => t + router.seconds[edge(path[i], k)], 0);
    // Hand-solved (lengths ≈ AB 103 m, AD 334, BE 222, DE 151, EF 117, CF 278; one speed for all):
    // A→E: A-B-E 325 m is forbidden by R1 → A-D-E 485 m (A-B-C-F-E 601 m is longer).
    // A→F: A-B-E-F 442 m (R1) and A-B-C-F 484 m (R2) are forbidden → A-D-E-F 602 m (A-B-C-B-E-F needs a U-turn, 648 m).
    // D→C: no restriction in the way → D-E-B-C 476 m.
    const cases: [keyof typeof P, keyof typeof P, number, number][] = [
      ['A', 'E', s('A', 'D', 'E'), s('A', 'B', 'E')],
      ['A', 'F', s('A', 'D', 'E', 'F'), s('A', 'B', 'E', 'F')],
      ['D', 'C', s('D', 'E', 'B', 'C'), s('D', 'E', 'B', 'C')],
    ];

    it('the restrictions file names exported edge ids (directed edge + 1)', () => {
      expect(router.exportRestrictionsCsv().split('\n')).toEqual([
        'id,cost,path',
        `1,${FORBIDDEN_TURN_COST},"{${edge('A', 'B') + 1},${edge('B', 'E') + 1}}"`,
        `2,${FORBIDDEN_TURN_COST},"{${edge('A', 'B') + 1},${edge('B', 'C') + 1},${edge('C', 'F') + 1}}"`,
        '',
      ]);
      expect(router.exportRestrictionsCsv(false)).toBe('id,cost,path\n');
    });

    it('pgr_trsp gives the hand-solved times; pgr_dijkstra the unrestricted ones', () => {
      load(pg, router.exportCsv(), router.exportRestrictionsCsv());
      for (const [a, b, restricted, free] of cases) {
        const trsp = pg.sql(`SELECT agg_cost FROM pgr_trsp('${EDGES_SQL}', 'SELECT id, cost, path FROM r', ${node(a)}, ${node(b)}) WHERE edge = -1;`);
        expect(Number(trsp[0][0])).toBeCloseTo(restricted, 6);
        const dij = pg.sql(`SELECT agg_cost FROM pgr_dijkstra('${EDGES_SQL}', ${node(a)}, ${node(b)}) WHERE edge = -1;`);
        expect(Number(dij[0][0])).toBeCloseTo(free, 6);
      }
      expect(cases[0][2]).toBeGreaterThan(cases[0][3] + 10);
    });

    it('the planner agrees with pgr_trsp, and with pgr_dijkstra when told to ignore restrictions', () => {
      const times = (r: Router, a: keyof typeof P, b: keyof typeof P) => r.times([P[a][0], P[a][1]], [[P[b][0], P[b][1]]]).results[0].seconds!;
      const free = new Router(graph, profileWithTurns(fireEngineProfile(), false));
      for (const [a, b, restricted, unrestricted] of cases) {
        expect(times(router, a, b)).toBeCloseTo(restricted, 3);
        expect(times(free, a, b)).toBeCloseTo(unrestricted, 3);
      }
    });
  });
});
