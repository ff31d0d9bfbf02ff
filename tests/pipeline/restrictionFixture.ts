/**
 * Hand-made OSM data with turn restrictions (test fixtures, not real places), written as OSM XML, and helpers that
 * turn stored edge sequences back into OSM node paths so expectations can be written from the drawings.
 *
 * Cross (around 0,0):                 Via-way street (around 0.01,0):          One-way through (around 0.02,0):
 *            3                         11 ── 12 ── 17 ── 13 ── 14                21 ──► 22 ──► 23   way 300 oneway 21-22-23
 *            │ 102                      200  │   201  │  201 │  202                     │
 *   1 ─100── 2 ──101── 4                     15 203   18 206 16 204                     24          way 301 22-24
 *            │ 103
 *            5
 * Way 201 runs 12-17-13 (two segments); node 17 is an interior node with a side road 206 to 18.
 */
import { expect } from 'vitest';
import type { RoadGraph } from '../../src/core/graph';

export interface FxWay { id: number; nodes: number[]; tags: Record<string, string> }
export interface FxRel { id: number; members: [('node' | 'way'), number, string][]; tags: Record<string, string> }

export const FX_NODES: [number, number, number][] = [
  [1, -0.001, 0], [2, 0, 0], [3, 0, 0.001], [4, 0.001, 0], [5, 0, -0.001],
  [11, 0.009, 0], [12, 0.01, 0], [17, 0.011, 0], [13, 0.012, 0], [14, 0.013, 0], [15, 0.01, -0.001], [18, 0.011, -0.001], [16, 0.012, -0.001],
  [21, 0.02, 0], [22, 0.021, 0], [23, 0.022, 0], [24, 0.021, -0.001],
];

const road = (id: number, nodes: number[], extra: Record<string, string> = {}): FxWay => ({ id, nodes, tags: { highway: 'residential', ...extra } });

export const FX_WAYS: FxWay[] = [
  road(100, [1, 2]), road(101, [2, 4]), road(102, [2, 3]), road(103, [2, 5]),
  road(200, [11, 12]), road(201, [12, 17, 13]), road(202, [13, 14]), road(203, [12, 15]), road(204, [13, 16]), road(206, [17, 18]),
  road(300, [21, 22, 23], { oneway: 'yes' }), road(301, [22, 24]),
];

const rel = (id: number, tags: Record<string, string>, ...members: FxRel['members']): FxRel => ({ id, members, tags: { type: 'restriction', ...tags } });
const from = (w: number): FxRel['members'][number] => ['way', w, 'from'];
const to = (w: number): FxRel['members'][number] => ['way', w, 'to'];
const viaN = (n: number): FxRel['members'][number] => ['node', n, 'via'];
const viaW = (w: number): FxRel['members'][number] => ['way', w, 'via'];

/** Restrictions, each with the expected outcome (node paths or a skip reason) in its comment. */
export const FX_RELATIONS: FxRel[] = [
  // no_left_turn 1→2→3                                                                            → [1,2,3]
  rel(1, { restriction: 'no_left_turn' }, from(100), viaN(2), to(102)),
  // only_straight_on 5→2→3: every other exit of 2, the U-turn too                                 → [5,2,1] [5,2,4] [5,2,5]
  rel(2, { restriction: 'only_straight_on' }, from(103), viaN(2), to(102)),
  // no_u_turn on way 101 at 2                                                                     → [4,2,4]
  rel(3, { restriction: 'no_u_turn' }, from(101), viaN(2), to(101)),
  // no_entry from two ways onto 100; [5,2,1] is also implied by relation 2 and stored once        → [3,2,1] [5,2,1]
  rel(4, { restriction: 'no_entry' }, from(102), from(103), viaN(2), to(100)),
  // via way 201 (members in any order)                                                            → [15,12,17,13,16]
  rel(5, { restriction: 'no_left_turn' }, to(204), viaW(201), from(203)),
  // only_straight_on via way                                                                      → [11,12,17,13,17] [11,12,17,13,16]
  rel(6, { restriction: 'only_straight_on' }, from(200), viaW(201), to(202)),
  // from-way passing through the via node, two-way: the side from which 17→18 is a left turn is 13 → [13,17,18]
  rel(7, { restriction: 'no_left_turn' }, from(201), viaN(17), to(206)),
  // to-way passing through: turning right from 18 (heading north) goes east, to 13               → [18,17,13]
  rel(11, { restriction: 'no_right_turn' }, from(206), viaN(17), to(201)),
  // passing through, and no_entry names no direction: which side is meant is unknown              → ambiguous
  rel(12, { restriction: 'no_entry' }, from(201), viaN(17), to(206)),
  // no_u_turn on a two-way way passing through the via node: no U-turn from either side          → [12,17,12] [13,17,13]
  rel(8, { restriction: 'no_u_turn' }, from(201), viaN(17), to(201)),
  // one-way way passing through the via node: the legal arriving edge                             → [21,22,24]
  rel(9, { restriction: 'no_right_turn' }, from(300), viaN(22), to(301)),
  // no_u_turn on a one-way passing through                                                        → [21,22,21]
  rel(10, { restriction: 'no_u_turn' }, from(300), viaN(22), to(300)),
  // broken and not-applicable ones
  rel(20, { restriction: 'no_left_turn' }, from(999), viaN(2), to(102)), //                          missingMember
  rel(21, { restriction: 'no_left_turn' }, from(100), viaN(4), to(102)), //                          notConnected (100 does not touch 4)
  rel(22, { restriction: 'no_left_turn' }, from(100), to(102)), //                                   badMembers (no via)
  rel(23, { 'restriction:hgv': 'no_left_turn' }, from(100), viaN(2), to(102)), //                    otherVehicle
  rel(24, { restriction: 'no_right_turn', except: 'bicycle;emergency' }, from(100), viaN(2), to(103)), // exceptEmergency
  rel(25, { 'restriction:conditional': 'no_right_turn @ (Mo-Fr 07:00-09:00)' }, from(100), viaN(2), to(103)), // conditional
  rel(26, { restriction: 'give_way' }, from(100), viaN(2), to(103)), //                              unknownKind
  rel(27, { restriction: 'only_left_turn' }, from(100), from(101), viaN(2), to(102)), //            badMembers (only_* with two from)
  // applies, its condition ignored and counted                                                    → [1,2,5]
  rel(28, { 'restriction:motorcar': 'no_right_turn', 'restriction:conditional': 'none @ (Su)' }, from(100), viaN(2), to(103)),
  // a via way that does not connect from and to                                                   → notConnected
  rel(29, { restriction: 'no_straight_on' }, from(100), viaW(201), to(202)),
  // not a restriction at all: not read
  { id: 30, members: [['way', 100, 'outer']], tags: { type: 'multipolygon' } },
];

export const FX_EXPECTED_PATHS: number[][] = [
  [1, 2, 3], [5, 2, 1], [5, 2, 4], [5, 2, 5], [4, 2, 4], [3, 2, 1], [15, 12, 17, 13, 16], [11, 12, 17, 13, 17], [11, 12, 17, 13, 16],
  [12, 17, 12], [13, 17, 13], [21, 22, 24], [21, 22, 21], [1, 2, 5], [13, 17, 18], [18, 17, 13],
];

const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;');
const tagLines = (t: Record<string, string>) => Object.entries(t).map(([k, v]) => `    <tag k="${esc(k)}" v="${esc(v)}"/>`);

/** OSM XML of nodes, ways and relations. */
export function osmXml(nodes: [number, number, number][], ways: FxWay[], rels: FxRel[], nodeTags: Record<number, Record<string, string>> = {}): string {
  const out = ['<?xml version="1.0" encoding="UTF-8"?>', '<osm version="0.6" generator="hand-made test">'];
  for (const [id, lon, lat] of nodes) {
    const t = nodeTags[id];
    if (!t) out.push(`  <node id="${id}" lat="${lat}" lon="${lon}"/>`);
    else out.push(`  <node id="${id}" lat="${lat}" lon="${lon}">`, ...tagLines(t), '  </node>');
  }
  for (const w of ways) out.push(`  <way id="${w.id}">`, ...w.nodes.map((n) => `    <nd ref="${n}"/>`), ...tagLines(w.tags), '  </way>');
  for (const r of rels) {
    out.push(`  <relation id="${r.id}">`, ...r.members.map(([type, ref, role]) => `    <member type="${type}" ref="${ref}" role="${role}"/>`), ...tagLines(r.tags), '  </relation>');
  }
  out.push('</osm>', '');
  return out.join('\n');
}

/** OSM node id of a graph node (by its coordinates in the fixture). */
function osmIdOf(g: RoadGraph, nodes: [number, number, number][], v: number): number {
  const hit = nodes.find(([, lon, lat]) => Math.round(lon * 1e7) === g.lon[v] && Math.round(lat * 1e7) === g.lat[v]);
  if (!hit) throw new Error(`graph node ${v} is not a fixture node`);
  return hit[0];
}

/** Tail node of each directed edge. */
function tails(g: RoadGraph): Uint32Array {
  const t = new Uint32Array(g.edgeCount);
  for (let v = 0; v < g.nodeCount; v++) t.fill(v, g.firstEdge[v], g.firstEdge[v + 1]);
  return t;
}

/** Every stored forbidden sequence as the OSM node path it drives; checks that each is a connected path. */
export function restrictionPaths(g: RoadGraph, nodes: [number, number, number][]): number[][] {
  const first = g.restrFirst as Uint32Array, edges = g.restrEdges as Uint32Array;
  const tail = tails(g);
  const out: number[][] = [];
  for (let k = 0; k + 1 < first.length; k++) {
    const seq = [...edges.subarray(first[k], first[k + 1])];
    for (let i = 1; i < seq.length; i++) expect(tail[seq[i]]).toBe(g.target[seq[i - 1]]);
    out.push([tail[seq[0]], ...seq.map((e) => g.target[e])].map((v) => osmIdOf(g, nodes, v)));
  }
  return out;
}

export const sortPaths = (p: number[][]): number[][] => p.map((x) => x.slice()).sort((a, b) => a.join(',').localeCompare(b.join(',')));
