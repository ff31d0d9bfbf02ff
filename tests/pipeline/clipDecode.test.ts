/**
 * Clipping while a PBF is decoded (readOsm limits.clip, src/core/osm/pbfClip.ts readPbfClipped; the worker's import
 * passes the place's box + 2 km): the node cap counts what the place keeps, so a file bigger than the cap imports
 * when the place is small, and what it keeps equals a pre-clipped file with complete ways (brute force here, as
 * `osmium extract --strategy complete_ways` cuts). Grids are SYNTHETIC (tests/support/pbfWriter.ts).
 */
import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { buildGraph } from '../../src/core/buildGraph';
import { clipOsm, growBbox, type Bbox } from '../../src/core/osm/clip';
import { extractFacilities, extractRoads, extractWater } from '../../src/core/osm/extract';
import { readPbf } from '../../src/core/osm/pbf';
import { cacheCost } from '../../src/core/osm/pbfClip';
import type { FastBlock } from '../../src/core/osm/pbfFast';
import { readOsm } from '../../src/core/osm/read';
import type { OsmData, OsmNode, OsmRelation, OsmWay } from '../../src/core/osm/types';
import { createPlannerApi } from '../../src/worker/api';
import { importCap } from '../../src/worker/importLimits';
import { gridExtract, writePbf } from '../support/pbfWriter';

const root = resolve(__dirname, '../..');
const ab = (u: Uint8Array) => u.buffer.slice(u.byteOffset, u.byteOffset + u.byteLength) as ArrayBuffer;
const caught = async (f: () => unknown) => {
  try { await f(); } catch (e) { return e as { code: string; zh: string; en: string; detail?: string }; }
  throw new Error('no error');
};
const inBox = ([a, b, c, d]: Bbox, n: OsmNode) => n.lon >= a && n.lon <= c && n.lat >= b && n.lat <= d;

/** The pre-clipped extract, by brute force: nodes in the box, every way using one, all those ways' nodes, and the relations using any of them. */
function preClip(osm: OsmData, box: Bbox): { nodes: OsmNode[]; ways: OsmWay[]; relations: OsmRelation[] } {
  const inside = new Set([...osm.nodes.values()].filter((n) => inBox(box, n)).map((n) => n.id));
  const ways = osm.ways.filter((w) => w.nodes.some((r) => inside.has(r)));
  const wayIds = new Set(ways.map((w) => w.id));
  const relations = osm.relations.filter((r) => r.members.some((m) => (m.type === 'node' ? inside.has(m.ref) : m.type === 'way' && wayIds.has(m.ref))));
  const keep = new Set([...inside, ...ways.flatMap((w) => w.nodes)]);
  return { nodes: [...osm.nodes.values()].filter((n) => keep.has(n.id)), ways, relations };
}
const sortedNodes = (d: OsmData) => [...d.nodes.values()].sort((x, y) => x.id - y.id);

describe('clip while decoding: a synthetic 300 × 300 grid (90,000 nodes) and a small place in it', () => {
  const g = gridExtract(300);
  const file = writePbf({ nodes: g.nodes, ways: g.ways });
  const [w, s, e, n] = g.bbox;
  const cx = (w + e) / 2, cy = (s + n) / 2;
  const place: Bbox = [cx - 0.004, cy - 0.004, cx + 0.004, cy + 0.004]; // ~0.8 km square
  const box = growBbox(place, 2000);
  const full = readOsm(file, 'grid.osm.pbf');
  const expected = preClip(full, box);
  const preFile = writePbf(expected);
  const CAP = 20_000;

  it('the whole file is over the cap; the place keeps far fewer nodes', async () => {
    expect(full.nodes.size).toBe(90_000);
    expect(expected.nodes.length).toBeGreaterThan(10_000);
    expect(expected.nodes.length).toBeLessThan(CAP);
    const err = await caught(() => readOsm(file, 'grid.osm.pbf', undefined, { maxNodes: CAP }));
    expect(err.code).toBe('too-many-nodes');
  });

  it('decoding with the clip box keeps exactly the pre-clipped extract (complete ways), under the cap', () => {
    const got = readOsm(file, 'grid.osm.pbf', undefined, { maxNodes: CAP, clip: box });
    expect(sortedNodes(got)).toEqual(expected.nodes);
    expect(got.ways).toEqual(expected.ways);
    expect(got.relations).toEqual(expected.relations);
    // and the clip that follows gives what clipping the whole file gives, node order included
    expect(clipOsm(got, box)).toEqual(clipOsm(full, box));
  });

  it('the worker imports it under the cap: same graph (byte for byte), roads and water as the pre-clipped file', async () => {
    const api = createPlannerApi({ maxImportNodes: CAP });
    const phases: string[] = [];
    const big = await api.importOsm('big', ab(file), 'grid.osm.pbf', (p) => { if (!phases.includes(p.phase)) phases.push(p.phase); }, place);
    const small = await api.importOsm('small', ab(preFile), 'grid-clipped.osm.pbf', undefined, place);
    expect(phases.filter((p) => p !== 'parse')).toEqual(['read', 'decode', 'clip', 'build', 'layers']);
    expect(big.info.edgeCount).toBeGreaterThan(30_000);
    expect(big.info.edgeCount).toBe(small.info.edgeCount);
    expect(Buffer.from(big.graph).equals(Buffer.from(small.graph))).toBe(true);
    expect(big.roads).toEqual(small.roads);
    expect(big.water).toEqual(small.water);
    // the same travel times: one route across the place on each
    const stations = [{ id: 's', name: 's', lon: place[0], lat: place[1] }];
    const to: [number, number] = [place[2], place[3]];
    const r1 = await api.route({ placeId: 'big', stations, to, lang: 'en' });
    const r2 = await api.route({ placeId: 'small', stations, to, lang: 'en' });
    expect(r1.route.duration).toBeGreaterThan(60);
    expect(r1).toEqual(r2);
  });

  it('a place that keeps more than the cap is refused, naming how many nodes it keeps', async () => {
    const inside = [...full.nodes.values()].filter((x) => inBox(box, x)).length;
    const err = await caught(() => readOsm(file, 'grid.osm.pbf', undefined, { maxNodes: 5_000, clip: box }));
    expect(err.code).toBe('too-many-nodes');
    expect(err.en).toContain(`keeps at least ${inside.toLocaleString('en-US')} of its 90,000 nodes for this place's area, more than the 5,000 nodes`);
    expect(err.zh).toContain(`共 90,000 个节点，本地区范围需保留至少 ${inside.toLocaleString('en-US')} 个，超过 5,000 个节点的上限`);
  });

  it('in the worker the refusal also says where the cap comes from (this device), and nothing is loaded', async () => {
    const api = createPlannerApi({ importCap: { ...importCap(4), maxNodes: 5_000 } });
    const err = await caught(() => api.importOsm('small', ab(file), 'grid.osm.pbf', undefined, place));
    expect(err.code).toBe('too-many-nodes');
    expect(err.en).toContain('more than the 5,000 nodes this program can take (this device has about 4 GB of memory');
    expect(err.zh).toContain('超过 5,000 个节点的上限（本设备内存约 4 GB');
    await expect(api.snap('small', [place[0], place[1]])).rejects.toMatchObject({ code: 'no-graph' });
  });

  it('an unsorted file (ways or relations before nodes) keeps the same', () => {
    const rel: OsmRelation = { id: 1, tags: { type: 'restriction', restriction: 'no_left_turn' }, members: [{ type: 'way', ref: expected.ways[0].id, role: 'from' }, { type: 'node', ref: expected.ways[0].nodes[1], role: 'via' }, { type: 'way', ref: expected.ways[1].id, role: 'to' }] };
    const g2 = gridExtract(300);
    const data = { nodes: [...g2.nodes], ways: [...g2.ways], relations: [rel] };
    const sorted = readOsm(writePbf(data), 'sorted.osm.pbf', undefined, { clip: box });
    expect(sorted.relations).toEqual([rel]);
    for (const kindsOrder of [['ways', 'nodes', 'relations'], ['relations', 'ways', 'nodes']] as const) {
      const got = readOsm(writePbf(data, { kindsOrder: [...kindsOrder] }), 'unsorted.osm.pbf', undefined, { clip: box });
      expect(sortedNodes(got)).toEqual(sortedNodes(sorted));
      expect(got.ways).toEqual(sorted.ways);
      expect(got.relations).toEqual(sorted.relations);
    }
  });

  it('tiny-osmpbf (the reference decoder) keeps the same', () => {
    const fast = readPbf(file, 'grid.osm.pbf', undefined, { clip: box });
    const ref = readPbf(file, 'grid.osm.pbf', undefined, { clip: box, reference: true });
    expect(ref).toEqual(fast);
  });

  it('the outside nodes of kept ways come the same from the decoded blocks kept since pass 1 and from blocks read again', () => {
    // (pass 3 reads only blocks with nodes outside the box whose id range holds a wanted id)
    const visits = (cacheNodes?: number) => {
      let last = 0;
      const d = readPbf(file, 'grid.osm.pbf', undefined, { clip: box, cacheNodes, onBlock: (_done, total) => { last = total; } });
      return { d, last };
    };
    const kept = visits(), reread = visits(0);
    expect(reread.d).toEqual(kept.d);
    expect(sortedNodes(kept.d)).toEqual([...expected.nodes].sort((x, y) => x.id - y.id));
    const blocks = readOsm(file, 'grid.osm.pbf').nodes.size / 8000; // (pbfWriter: 8,000 elements a block)
    // pass 1 visits every block; pass 3 only the few holding the outside nodes of the ways leaving the place
    expect(kept.last).toBeGreaterThan(blocks);
    expect(kept.last).toBeLessThan(2 * blocks);
  });

  it('the kept blocks are charged for their tags too: a few heavily tagged outside nodes do not fill memory', () => {
    // (a crafted 13 MiB file of 30 such nodes held 180 MiB in the cache when it counted nodes only; 30 MiB now)
    const tags: Record<string, string> = {};
    for (let k = 0; k < 2000; k++) tags[`key${k}`] = 'value';
    const block = (t: (Record<string, string> | undefined)[] | null): FastBlock =>
      ({ nodeCount: 2, ids: new Float64Array(2), lons: new Float64Array(2), lats: new Float64Array(2), tags: t, ways: [], relations: [] });
    expect(cacheCost(block(null))).toBe(2);
    expect(cacheCost(block([undefined, { highway: 'crossing' }]))).toBeCloseTo(2 + 4 + 15 / 24);
    expect(cacheCost(block([tags, undefined]))).toBeGreaterThan(8000); // 2,000 tags ≈ 200 kB kept
    // the same data whatever the cache holds
    const nodes: OsmNode[] = [{ id: 1, lon: 10.5, lat: 40.5 }, ...[0, 1, 2, 3].map((b) => ({ id: 10 + b, lon: 20, lat: 20, tags }))];
    const ways: OsmWay[] = [0, 1, 2, 3].map((b) => ({ id: 1 + b, nodes: [1, 10 + b], tags: { highway: 'residential' } }));
    const f = writePbf({ nodes, ways }, { perBlock: 1 });
    const read = (cacheNodes: number) => readPbf(f, 'tagged.osm.pbf', undefined, { clip: [10, 40, 11, 41], cacheNodes });
    const all = read(1e9);
    expect(all.nodes.get(13)?.tags?.key1999).toBe('value');
    expect(read(10_000)).toEqual(all);
    expect(read(0)).toEqual(all);
  });

  it('a file that does not cover the place: "no roads within this place", nothing kept', async () => {
    const far: Bbox = [place[0] + 1, place[1] + 1, place[2] + 1, place[3] + 1];
    const err = await caught(() => createPlannerApi({ maxImportNodes: CAP }).importOsm('far', ab(file), 'grid.osm.pbf', undefined, far));
    expect(err.code).toBe('no-overlap');
  });
});

describe('clip while decoding keeps areas crossing the box whole', () => {
  it('a lake relation whose second way lies wholly outside the box: the way and its nodes are fetched, the lake is the same', () => {
    const g = gridExtract(60, { spacingM: 100 }); // 6 km square
    const nodes = [...g.nodes], ways = [...g.ways];
    const [w, s] = g.bbox;
    const place: Bbox = [w, s, w + 0.005, s + 0.005];
    const box = growBbox(place, 2000); // about the south-west 2.5 km
    const lake = (i: number, lon: number, lat: number): OsmNode => ({ id: 100_000 + i, lon, lat });
    // a ring from inside the box (south-west) out to the far north-east corner: two ways, the second all outside
    const ring = [lake(1, w + 0.01, s + 0.01), lake(2, w + 0.05, s + 0.01), lake(3, w + 0.05, s + 0.05), lake(4, w + 0.01, s + 0.05)];
    expect(inBox(box, ring[0])).toBe(true);
    expect(ring.slice(1).some((x) => inBox(box, x))).toBe(false);
    const wayA: OsmWay = { id: 900_001, nodes: [100_001, 100_002, 100_003], tags: {} };
    const wayB: OsmWay = { id: 900_002, nodes: [100_003, 100_004, 100_001], tags: {} };
    const rel: OsmRelation = { id: 5, tags: { type: 'multipolygon', natural: 'water', name: 'Synthetic lake' }, members: [{ type: 'way', ref: wayA.id, role: 'outer' }, { type: 'way', ref: wayB.id, role: 'outer' }] };
    const file = writePbf({ nodes: [...nodes, ...ring], ways: [...ways, wayA, wayB], relations: [rel] });
    const full = readOsm(file, 'lake.osm.pbf');
    const got = readOsm(file, 'lake.osm.pbf', undefined, { clip: box });
    expect(got.ways.map((x) => x.id)).toContain(wayB.id);
    expect(got.nodes.has(100_004)).toBe(true);
    expect(got.nodes.size).toBeLessThan(full.nodes.size / 2);
    const water = extractWater(got, { seaBox: box, keepBox: box });
    expect(water.features.map((f) => f.properties.name)).toEqual(['Synthetic lake']);
    expect(water).toEqual(extractWater(full, { seaBox: box, keepBox: box }));
  });
});

describe('clip while decoding fetches far members only of water areas', () => {
  it('a province boundary (and a forest multipolygon) crossing the box adds none of its far nodes; a lake in the same file still comes whole', () => {
    const g = gridExtract(60, { spacingM: 100 }); // 6 km square
    const nodes = [...g.nodes], ways = [...g.ways];
    const [w, s] = g.bbox;
    const box = growBbox([w, s, w + 0.005, s + 0.005], 2000);
    const node = (id: number, lon: number, lat: number): OsmNode => ({ id, lon, lat });
    // the lake of the test above
    const ring = [node(100_001, w + 0.01, s + 0.01), node(100_002, w + 0.05, s + 0.01), node(100_003, w + 0.05, s + 0.05), node(100_004, w + 0.01, s + 0.05)];
    const lakeA: OsmWay = { id: 900_001, nodes: [100_001, 100_002, 100_003], tags: {} };
    const lakeB: OsmWay = { id: 900_002, nodes: [100_003, 100_004, 100_001], tags: {} };
    const lake: OsmRelation = { id: 5, tags: { type: 'multipolygon', natural: 'water', name: 'Synthetic lake' }, members: [{ type: 'way', ref: lakeA.id, role: 'outer' }, { type: 'way', ref: lakeB.id, role: 'outer' }] };
    // a boundary entering the box (edgeIn), its outline going on through 2,000 nodes far away (edgeFar: none in the box)
    const far = Array.from({ length: 2000 }, (_, i) => node(200_000 + i, w + 0.06 + (i % 50) * 0.001, s + 0.06 + Math.floor(i / 50) * 0.001));
    const entry = node(199_999, w + 0.011, s + 0.011);
    const edgeIn: OsmWay = { id: 910_001, nodes: [199_999, 200_000], tags: { boundary: 'administrative' } };
    const edgeFar: OsmWay = { id: 910_002, nodes: far.map((x) => x.id), tags: { boundary: 'administrative' } };
    const province: OsmRelation = { id: 6, tags: { type: 'boundary', boundary: 'administrative', admin_level: '4', name: 'Synthetic province' }, members: [{ type: 'way', ref: edgeIn.id, role: 'outer' }, { type: 'way', ref: edgeFar.id, role: 'outer' }] };
    const forest: OsmRelation = { id: 7, tags: { type: 'multipolygon', landuse: 'forest' }, members: [{ type: 'way', ref: edgeIn.id, role: 'outer' }, { type: 'way', ref: edgeFar.id, role: 'outer' }] };
    const file = writePbf({ nodes: [...nodes, ...ring, entry, ...far], ways: [...ways, lakeA, lakeB, edgeIn, edgeFar], relations: [lake, province, forest] });
    const full = readOsm(file, 'province.osm.pbf');
    const got = readOsm(file, 'province.osm.pbf', undefined, { clip: box });
    // the relations crossing the box are kept, with only their members that touch it
    expect(got.relations.map((r) => r.id).sort()).toEqual([5, 6, 7]);
    expect(got.ways.map((x) => x.id)).toContain(edgeIn.id);
    expect(got.ways.map((x) => x.id)).not.toContain(edgeFar.id);
    expect(far.slice(1).filter((x) => got.nodes.has(x.id))).toEqual([]);
    // so a cap that the far outline would break holds: the kept nodes without it
    const kept = got.nodes.size;
    expect(readOsm(file, 'province.osm.pbf', undefined, { clip: box, maxNodes: kept }).nodes.size).toBe(kept);
    // the lake: its far way and nodes fetched, the water the same as from the whole file
    expect(got.ways.map((x) => x.id)).toContain(lakeB.id);
    expect(got.nodes.has(100_004)).toBe(true);
    const water = extractWater(got, { seaBox: box, keepBox: box });
    expect(water.features.map((f) => f.properties.name)).toEqual(['Synthetic lake']);
    expect(water).toEqual(extractWater(full, { seaBox: box, keepBox: box }));
  });
});

describe('clip while decoding changes nothing on the shipped PBF samples', () => {
  for (const [place, name] of [['monaco', 'fallback_monaco_osrm-testdata_2016.osm.pbf'], ['andorra', 'andorra_graphhopper-testdata_2013.osm.pbf']]) {
    it(`${place}: clipped data, graph, roads, facilities and water as from the whole file`, () => {
      const bytes = new Uint8Array(readFileSync(join(root, 'geodata/raw', name)));
      const bbox = JSON.parse(readFileSync(join(root, 'public/data', place, 'place.json'), 'utf8')).bbox as Bbox;
      const box = growBbox(bbox, 2000);
      const full = readOsm(bytes, name), part = readOsm(bytes, name, undefined, { clip: box });
      // with every pass-3 block read again instead of kept decoded: the same
      expect(readPbf(bytes, name, undefined, { clip: box, cacheNodes: 0 })).toEqual(readPbf(bytes, name, undefined, { clip: box }));
      const a = clipOsm(full, box), b = clipOsm(part, box);
      expect(b).toEqual(a);
      expect(Buffer.from(buildGraph(b).graph.buffer).equals(Buffer.from(buildGraph(a).graph.buffer))).toBe(true);
      expect(extractRoads(b)).toEqual(extractRoads(a));
      expect(extractFacilities(b)).toEqual(extractFacilities(a));
      expect(extractWater(part, { seaBox: box, keepBox: box })).toEqual(extractWater(full, { seaBox: box, keepBox: box }));
    }, 60_000);
  }
});
