/**
 * The typed rewrite of buildGraph (src/core/buildGraph.ts: nodes numbered by OSM node, equal coordinates merged by a
 * hash buckets with a sort fallback, CSR filled in the graph buffer) makes the same graph as the code before it: the same buffer byte for
 * byte and the same stats, on every shipped sample (whole and clipped to its place as the worker does), on a
 * synthetic grid PBF, and on random small extracts made to hit the corner cases (nodes sharing coordinates, missing
 * and repeated references, facts on merged nodes, names with name:en and ref, ways out of id order, turn
 * restrictions) both as a Map (XML / JSON readers) and as a NodeStore (PBF reader). The code before is kept as a
 * test-only reference (tests/support/buildGraphReference.ts); the samples' graph hashes are also recorded from it.
 */
import { describe, expect, it } from 'vitest';
import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { buildGraph } from '../../src/core/buildGraph';
import { firstOfSameCoordinates } from '../../src/core/sameCoordinates';
import { clipOsm, growBbox, type Bbox } from '../../src/core/osm/clip';
import { NodeStore } from '../../src/core/osm/nodeStore';
import { readOsm } from '../../src/core/osm/read';
import type { OsmData, OsmNode, OsmRelation, OsmWay, Tags } from '../../src/core/osm/types';
import { buildGraphReference } from '../support/buildGraphReference';
import { gridExtract, writePbf } from '../support/pbfWriter';
import { rng } from '../../src/core/optimize/testMatrix';

const root = resolve(__dirname, '../..');
const sha = (b: ArrayBuffer) => createHash('sha256').update(new Uint8Array(b)).digest('hex').slice(0, 16);

/** Same graph buffer and stats from both builds; the buffer's hash. */
function same(osm: OsmData): string {
  const want = buildGraphReference(osm), got = buildGraph(osm);
  expect(got.stats).toEqual(want.stats);
  expect(got.graph.buffer.byteLength).toBe(want.graph.buffer.byteLength);
  expect(Buffer.from(got.graph.buffer).equals(Buffer.from(want.graph.buffer))).toBe(true);
  return sha(got.graph.buffer);
}

const SAMPLES: [string, string][] = [
  ['monaco', 'fallback_monaco_osrm-testdata_2016.osm.pbf'],
  ['andorra', 'andorra_graphhopper-testdata_2013.osm.pbf'],
  ['nanshan', 'shenzhen_nanshan_xili_overpass_2021-03-17.osm'],
  ['shanghai', 'shanghai_center_overpass_2025-08-09.osm'],
];

/** sha256 (first 16 hex) of the graph buffers made by the code before the rewrite: whole file, clipped to the place. */
const RECORDED: Record<string, [string, string]> = {
  monaco: ['373330d9af8a7e1b', '1e1fd93ac51f47da'],
  andorra: ['3f02b93b405a8e1d', '3f02b93b405a8e1d'],
  nanshan: ['756f624791aad88d', 'f839a9d9b6a24351'],
  shanghai: ['07c709ea26f2d47c', '07c709ea26f2d47c'],
  grid: ['29f2215dc908c187', 'd59f97a63081df72'],
};

describe('buildGraph: the same graph as before the typed rewrite', () => {
  for (const [place, file] of SAMPLES) {
    it(`${place}: whole file and clipped to the place (as the worker clips)`, () => {
      const f = join(root, 'geodata/raw', file);
      expect(existsSync(f)).toBe(true);
      const bytes = new Uint8Array(readFileSync(f));
      const whole = readOsm(bytes, file);
      const box = growBbox(JSON.parse(readFileSync(join(root, 'public/data', place, 'place.json'), 'utf8')).bbox as Bbox, 2000);
      const clipped = clipOsm(readOsm(bytes, file, undefined, { clip: box }), box);
      const got: [string, string] = [same(whole), same(clipped)];
      if (process.env.RECORD_GRAPH_HASHES) console.log(JSON.stringify({ [place]: got }));
      expect(got).toEqual(RECORDED[place]);
      if (place === 'monaco') expect(buildGraph(whole).stats.restrictionsUsed).toBeGreaterThan(0); // restrictions took part
    }, 60_000);
  }

  it('synthetic 120 × 120 grid PBF (SYNTHETIC, tests/support/pbfWriter.ts): whole and clipped', () => {
    const g = gridExtract(120);
    const bytes = writePbf({ nodes: g.nodes, ways: g.ways });
    const [a, b, c, d] = g.bbox;
    const box: Bbox = [a, b, (a + c) / 2, (b + d) / 2];
    const whole = readOsm(bytes, 'grid.osm.pbf');
    expect(whole.nodes).toBeInstanceOf(NodeStore);
    const got: [string, string] = [same(whole), same(clipOsm(whole, box))];
    if (process.env.RECORD_GRAPH_HASHES) console.log(JSON.stringify({ grid: got }));
    expect(got).toEqual(RECORDED.grid);
  });

  // The 1 M-node grid of the import bench (SYNTHETIC), with and without a turn restriction: a minute or more, so only
  // on request (BUILD_SAME_1M=1 npx vitest run tests/pipeline/buildSame.test.ts)
  it.runIf(!!process.env.BUILD_SAME_1M)('synthetic 1 M-node grid PBF (SYNTHETIC): with and without a turn restriction', () => {
    const g = gridExtract(1000);
    const whole = readOsm(writePbf({ nodes: g.nodes, ways: g.ways }), 'grid-1000.osm.pbf', undefined, { maxNodes: 50_000_000 });
    same(whole);
    // no left turn from the first way of row 0 onto column 10 at node 11 (their crossing)
    const relations: OsmRelation[] = [{ id: 1, tags: { type: 'restriction', restriction: 'no_left_turn' }, members: [{ type: 'way', ref: 1, role: 'from' }, { type: 'node', ref: 11, role: 'via' }, { type: 'way', ref: 101_001, role: 'to' }] }];
    same({ ...whole, relations });
    expect(buildGraph({ ...whole, relations }).stats.restrictionsUsed).toBe(1);
  }, 600_000);

  it('random small extracts (Map and NodeStore nodes): equal coordinates, missing refs, facts, names, restrictions', () => {
    let merged = 0, missing = 0, restrictionsUsed = 0, factNodes = 0;
    for (let seed = 1; seed <= 150; seed++) {
      const osm = randomExtract(seed);
      for (const data of [osm, { ...osm, nodes: asStore(osm.nodes) }]) {
        same(data);
        const st = buildGraph(data).stats;
        merged += st.mergedDuplicateNodes; missing += st.missingNodeRefs; restrictionsUsed += st.restrictionsUsed; factNodes += st.factNodes;
      }
    }
    // the corner cases were met, not just generated
    expect(merged).toBeGreaterThan(100);
    expect(missing).toBeGreaterThan(100);
    expect(restrictionsUsed).toBeGreaterThan(20);
    expect(factNodes).toBeGreaterThan(100);
  });
});

describe('firstOfSameCoordinates', () => {
  it('matches a brute-force search, hash collisions included', () => {
    const rnd = rng(7);
    for (const count of [0, 1, 2, 50, 3000]) {
      const x = new Int32Array(count), y = new Int32Array(count);
      for (let i = 0; i < count; i++) { x[i] = Math.floor(rnd() * 20) - 10; y[i] = Math.floor(rnd() * 20) * 1e8; }
      const got = firstOfSameCoordinates(x, y, count);
      const want = Int32Array.from({ length: count }, (_, i) => { for (let j = 0; j < i; j++) if (x[j] === x[i] && y[j] === y[i]) return j; return i; });
      if (want.every((v, i) => v === i)) expect(got).toBeNull();
      else expect(Array.from(got!)).toEqual(Array.from(want));
    }
  });
  it('crafted hash collisions (every point the same hash): still right, by the sort fallback', () => {
    const count = 3000, x = new Int32Array(count), y = new Int32Array(count);
    // imul(x, 0x9e3779b1) ^ y is the same for every point, so is the hash; every third point repeats an earlier one
    for (let i = 0; i < count; i++) { x[i] = i % 3 === 2 ? x[i - 2] : i * 7919; y[i] = 12345 ^ Math.imul(x[i], 0x9e3779b1); }
    const want = Int32Array.from({ length: count }, (_, i) => { for (let j = 0; j < i; j++) if (x[j] === x[i] && y[j] === y[i]) return j; return i; });
    expect(Array.from(firstOfSameCoordinates(x, y, count)!)).toEqual(Array.from(want));
  });
  it('all distinct: null; all at one point: every one points to the first', () => {
    const n = 10_000;
    const x = Int32Array.from({ length: n }, (_, i) => i % 100), y = Int32Array.from({ length: n }, (_, i) => Math.floor(i / 100));
    expect(firstOfSameCoordinates(x, y, n)).toBeNull();
    const z = new Int32Array(n).fill(1234567);
    expect(Array.from(firstOfSameCoordinates(z, z, n)!).every((v) => v === 0)).toBe(true);
  });
});


function asStore(nodes: ReadonlyMap<number, OsmNode>): NodeStore {
  const s = new NodeStore();
  for (const n of nodes.values()) s.set(n.id, n.lon, n.lat, n.tags);
  return s;
}

/**
 * A random street net of ~60 nodes on a coarse lattice (so coordinates repeat), with ids from a sparse range, some
 * nodes tagged (barriers, access), ways of random classes, names, refs and one-way tags over random node sequences
 * (with repeats and ids missing from the extract), a few non-drivable ways, ways listed out of id order, and turn
 * restriction relations on random ways and nodes.
 */
function randomExtract(seed: number): OsmData {
  const r = rng(seed);
  const pick = <T>(a: readonly T[]): T => a[Math.floor(r() * a.length)];
  const nodes = new Map<number, OsmNode>();
  const ids: number[] = [];
  for (let i = 0; i < 60; i++) {
    const id = 1000 + Math.floor(r() * 5000) * 7;
    if (nodes.has(id)) continue;
    const n: OsmNode = { id, lon: 7.4 + Math.floor(r() * 9) * 1e-4, lat: 43.7 + Math.floor(r() * 9) * 1e-4 };
    if (r() < 0.15) n.tags = pick<Tags>([{ barrier: 'gate' }, { barrier: 'bollard', access: 'no' }, { access: 'private', emergency: 'yes' }, { barrier: 'gate', motor_vehicle: 'no', name: 'x' }, { highway: 'crossing' }]);
    nodes.set(id, n);
    ids.push(id);
  }
  const ways: OsmWay[] = [];
  const wayCount = 4 + Math.floor(r() * 12);
  for (let i = 0; i < wayCount; i++) {
    const refs: number[] = [];
    const len = 2 + Math.floor(r() * 8);
    for (let k = 0; k < len; k++) refs.push(r() < 0.08 ? 999_999 + k : r() < 0.1 && refs.length ? refs[refs.length - 1] : pick(ids));
    const tags: Tags = { highway: pick(['primary', 'residential', 'service', 'footway', 'motorway', 'track', 'unclassified']) };
    if (r() < 0.5) tags.name = pick(['人民路', 'Rue A', ' Rue A ', '深南大道']);
    if (r() < 0.2) tags['name:en'] = pick(['Renmin Road', 'A Street']);
    if (r() < 0.2) tags.ref = pick(['G107', 'G325;S113', ' ; ']);
    if (r() < 0.3) tags.oneway = pick(['yes', '-1', 'no']);
    if (r() < 0.1) tags.access = pick(['no', 'private']);
    if (r() < 0.1) tags.maxspeed = pick(['50', '30 mph', 'walk']);
    if (r() < 0.1) tags.bridge = 'yes';
    if (r() < 0.1) tags.junction = 'roundabout';
    if (r() < 0.1) tags['maxweight:conditional'] = 'none @ delivery';
    ways.push({ id: 1 + Math.floor(r() * 100_000), nodes: refs, tags });
  }
  const relations: OsmRelation[] = [];
  for (let i = 0; i < 6; i++) {
    // mostly a via node where the from-way ends and the to-way passes, so that many restrictions resolve
    const from = pick(ways), at = r() < 0.8 ? from.nodes[from.nodes.length - 1] : pick(from.nodes);
    const touching = ways.filter((w) => w !== from && w.nodes.includes(at));
    const to = touching.length && r() < 0.9 ? pick(touching) : pick(ways);
    const via = r() < 0.8 ? { type: 'node' as const, ref: at, role: 'via' } : { type: 'way' as const, ref: pick(ways).id, role: 'via' };
    relations.push({
      id: 1 + i, tags: { type: 'restriction', restriction: pick(['no_left_turn', 'no_u_turn', 'only_straight_on', 'no_entry', 'no_right_turn']) },
      members: [{ type: 'way', ref: from.id, role: 'from' }, via, { type: 'way', ref: to.id, role: 'to' }],
    });
  }
  return { nodes, ways, relations };
}
