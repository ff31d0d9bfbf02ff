/**
 * The import's layer shortcuts give what the plain definitions give: nodesBbox read in a NodeStore's arrays equals
 * the min/max over its node objects (and over a Map of the same nodes); extractRoads, which compares round6's
 * integers instead of round6's values, drops exactly the repeats wayRuns drops on coordinates at rounding boundaries
 * (halves of 1e-6, both hemispheres), and each run's array holds exactly its positions; importOsm's GraphInfo, whose
 * summary is taken by the router it sets up after the layers, equals loadGraph's on the graph it hands back.
 */
import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { MessageChannel, type MessagePort } from 'node:worker_threads';
import { expose, type Endpoint } from 'comlink';
import type { FeatureCollection, LineString, Position } from 'geojson';
import { isDrivableWay } from '../../src/core/buildGraph';
import { clipOsm, growBbox, type Bbox } from '../../src/core/osm/clip';
import { extractRoads, type RoadProps } from '../../src/core/osm/extract';
import { readOsm } from '../../src/core/osm/read';
import { packedBuffers, packRoads, unpackRoads } from '../../src/core/osm/roadPack';
import { NodeStore } from '../../src/core/osm/nodeStore';
import { byId, nodesBbox, wayRuns } from '../../src/core/osm/shapes';
import type { OsmData, OsmNode, OsmWay, Tags } from '../../src/core/osm/types';
import { createPlannerApi } from '../../src/worker/api';
import { createPlannerClient, withRoads, type WorkerLike } from '../../src/worker/client';
import { gridExtract, writePbf } from '../support/pbfWriter';

/** A small seeded generator (mulberry32), so a failure repeats. */
const rng = (seed: number) => () => {
  seed = (seed + 0x6d2b79f5) | 0;
  let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
  t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
  return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
};

function storeOf(nodes: OsmNode[]): NodeStore {
  const s = new NodeStore();
  for (const n of nodes) s.set(n.id, n.lon, n.lat, n.tags);
  return s;
}

/** Min/max over the node objects, as the worker computed the sea's box before. */
function bruteBbox(osm: OsmData): [number, number, number, number] {
  const all = [...osm.nodes.values()];
  if (all.length === 0) return [0, 0, 0, 0];
  return [Math.min(...all.map((n) => n.lon)), Math.min(...all.map((n) => n.lat)), Math.max(...all.map((n) => n.lon)), Math.max(...all.map((n) => n.lat))];
}

describe('nodesBbox', () => {
  it('a NodeStore (read in its arrays) and a Map of the same nodes give the min/max of the nodes; none gives [0, 0, 0, 0]', () => {
    const r = rng(3);
    for (let round = 0; round < 40; round++) {
      const nodes: OsmNode[] = [];
      const n = Math.floor(r() * 50);
      // repeated ids too: the store keeps the last position of an id in its first place, as a Map does
      for (let i = 0; i < n; i++) nodes.push({ id: 1 + Math.floor(r() * 40), lon: -180 + r() * 360, lat: -90 + r() * 180 });
      const store = { nodes: storeOf(nodes), ways: [], relations: [] };
      const map = { nodes: new Map(nodes.map((x) => [x.id, x])), ways: [], relations: [] };
      expect(nodesBbox(store)).toEqual(bruteBbox(store));
      expect(nodesBbox(map)).toEqual(bruteBbox(map));
      expect(nodesBbox(store)).toEqual(nodesBbox(map));
    }
    expect(nodesBbox({ nodes: new NodeStore(), ways: [], relations: [] })).toEqual([0, 0, 0, 0]);
  });
});

describe('extractRoads at rounding boundaries', () => {
  it('drops the same repeated positions as wayRuns, whose arrays are exactly the runs (random ways, both hemispheres)', () => {
    const r = rng(17);
    for (let round = 0; round < 80; round++) {
      const sign = r() < 0.5 ? -1 : 1;
      const nodes: OsmNode[] = [];
      const n = 4 + Math.floor(r() * 30);
      for (let id = 1; id <= n; id++) {
        // a lattice of 1e-6 steps, moved by half a step (± a hair) or a hair: positions that round together or apart
        const jitter = () => [0, 5e-7, 4.9999e-7, 5.0001e-7, 1e-9, -5e-7][Math.floor(r() * 6)];
        nodes.push({ id, lon: sign * (120 + Math.floor(r() * 4) * 1e-6 + jitter()), lat: sign * (30 + Math.floor(r() * 4) * 1e-6 + jitter()) });
      }
      const kept = nodes.filter(() => r() > 0.1);
      const ways: OsmWay[] = [];
      for (let w = 0; w < 1 + Math.floor(r() * 10); w++) {
        const refs = Array.from({ length: 1 + Math.floor(r() * 14) }, () => 1 + Math.floor(r() * n));
        ways.push({ id: 1 + Math.floor(r() * 30), nodes: refs, tags: { highway: 'residential' } });
      }
      const osm: OsmData = { nodes: storeOf(kept), ways, relations: [] };
      const want: Position[][] = [];
      for (const w of [...ways].filter((x) => isDrivableWay(x.tags)).sort(byId)) want.push(...wayRuns(osm, w));
      const got = extractRoads(osm).features.map((f) => f.geometry.coordinates);
      expect(got).toEqual(want);
      // every slot of a run's array filled: its length is its positions
      for (const c of got) expect(c.every((p) => Array.isArray(p) && p.length === 2)).toBe(true);
    }
  });
});

describe('importOsm hand-back', () => {
  it("the import's GraphInfo (summary taken by the router set up after the layers) equals loadGraph's on the graph it hands back; the graph is a copy", async () => {
    const root = join(__dirname, '../..');
    const file = readFileSync(join(root, 'geodata/raw/fallback_monaco_osrm-testdata_2016.osm.pbf'));
    const bbox = JSON.parse(readFileSync(join(root, 'public/data/monaco/place.json'), 'utf8')).bbox as [number, number, number, number];
    const api = createPlannerApi();
    const res = await api.importOsm('a', file.buffer.slice(file.byteOffset, file.byteOffset + file.byteLength) as ArrayBuffer, 'monaco.osm.pbf', undefined, bbox);
    const loaded = await api.loadGraph('b', res.graph.slice(0));
    expect(res.info.roadKm).toBeGreaterThan(0);
    expect({ ...res.info, placeId: '', version: '' }).toEqual({ ...loaded, placeId: '', version: '' });
    expect(Object.keys(res.info)).toEqual(Object.keys(loaded));
    expect(res.info.placeId).toBe('a');
    expect(res.info.version).toBe('a#1');
    // the handed-back bytes are the app's: changing them leaves the worker's router as it was
    new Uint8Array(res.graph).fill(0);
    expect((await api.snap('a', [(bbox[0] + bbox[2]) / 2, (bbox[1] + bbox[3]) / 2])).distanceM).toBeLessThan(500);
  }, 60_000);
});

/** Where each feature's positions and properties first appeared (the sharing of objects, which JSON does not show). */
function sharing(fc: FeatureCollection<LineString, RoadProps>): { positions: number[]; props: number[] } {
  const pos = new Map<Position, number>(), pr = new Map<RoadProps, number>();
  const positions: number[] = [], props: number[] = [];
  for (const f of fc.features) {
    for (const p of f.geometry.coordinates) { if (!pos.has(p)) pos.set(p, pos.size); positions.push(pos.get(p) as number); }
    if (!pr.has(f.properties)) pr.set(f.properties, pr.size);
    props.push(pr.get(f.properties) as number);
  }
  return { positions, props };
}

function expectSameLayer(osm: OsmData): void {
  const want = extractRoads(osm), packed = packRoads(osm), got = unpackRoads(packed);
  expect(JSON.stringify(got)).toBe(JSON.stringify(want));
  expect(sharing(got)).toEqual(sharing(want));
  // through a structured clone with the arrays transferred, as the worker hands it back
  const moved = structuredClone(packed, { transfer: packedBuffers(packed) });
  expect(packed.xy.byteLength).toBe(0);
  expect(JSON.stringify(unpackRoads(moved))).toBe(JSON.stringify(want));
}

describe('packRoads / unpackRoads', () => {
  it('the shipped extracts and a synthetic grid (SYNTHETIC, tests/support/pbfWriter.ts): the same road layer as extractRoads, objects shared alike', () => {
    const root = join(__dirname, '../..');
    for (const [place, file] of [['monaco', 'fallback_monaco_osrm-testdata_2016.osm.pbf'], ['andorra', 'andorra_graphhopper-testdata_2013.osm.pbf'], ['nanshan', 'shenzhen_nanshan_xili_overpass_2021-03-17.osm'], ['shanghai', 'shanghai_center_overpass_2025-08-09.osm']]) {
      const data = readOsm(new Uint8Array(readFileSync(join(root, 'geodata/raw', file))), file);
      const bbox = JSON.parse(readFileSync(join(root, 'public/data', place, 'place.json'), 'utf8')).bbox as Bbox;
      expectSameLayer(clipOsm(data, growBbox(bbox, 2000)));
      expectSameLayer(data);
    }
    const g = gridExtract(40);
    expectSameLayer(readOsm(writePbf({ nodes: g.nodes, ways: g.ways }), 'grid-40.osm.pbf'));
  }, 60_000);

  it('random stores and Maps of nodes (sparse ids, missing and repeated refs, positions at rounding boundaries)', () => {
    const r = rng(29);
    for (let round = 0; round < 150; round++) {
      const sign = r() < 0.5 ? -1 : 1;
      const nodes: OsmNode[] = [];
      let id = 1 + Math.floor(r() * 100);
      const n = 3 + Math.floor(r() * 40);
      for (let i = 0; i < n; i++) {
        id += r() < 0.5 ? 1 : 1 + Math.floor(r() * 5);
        const jitter = () => [0, 5e-7, 4.9999e-7, 1e-9][Math.floor(r() * 4)];
        nodes.push({ id, lon: sign * (120 + Math.floor(r() * 5) * 1e-6 + jitter()), lat: sign * (30 + Math.floor(r() * 5) * 1e-6 + jitter()) });
      }
      if (r() < 0.3) nodes.sort(() => r() - 0.5);
      const kept = nodes.filter(() => r() > 0.15);
      const ids = nodes.map((x) => x.id);
      const ways: OsmWay[] = [];
      for (let w = 0; w < 1 + Math.floor(r() * 12); w++) {
        const refs: number[] = [];
        let k = Math.floor(r() * ids.length);
        for (let i = 0; i < 1 + Math.floor(r() * 12); i++) {
          refs.push(ids[k]);
          const step = r();
          k = step < 0.6 ? Math.min(ids.length - 1, k + 1) : step < 0.7 ? k : Math.floor(r() * ids.length);
        }
        const tags: Tags = r() < 0.1 ? { building: 'yes' } : { highway: r() < 0.5 ? 'residential' : 'primary', name: `R${Math.floor(r() * 3)}`, ...(r() < 0.3 ? { oneway: 'yes' } : {}) };
        ways.push({ id: 1 + Math.floor(r() * 50), nodes: refs, tags });
      }
      expectSameLayer({ nodes: storeOf(kept), ways, relations: [] });
      expectSameLayer({ nodes: new Map(kept.map((x) => [x.id, x])), ways, relations: [] });
    }
  });
});

describe('packRoads: more pieces than ways', () => {
  it('ways cut into many runs by missing nodes (the feature lists grow past their first size): the same layer as extractRoads, in a store and a Map', () => {
    const nodes: OsmNode[] = [];
    for (let i = 1; i <= 400; i++) nodes.push({ id: i, lon: 113.9 + i * 1e-4, lat: 22.5 + (i % 7) * 1e-4 });
    const kept = nodes.filter((x) => x.id % 3 !== 0); // every third node missing: a way of 400 refs is ~133 runs
    const ways: OsmWay[] = [1, 2, 3].map((id) => ({ id, nodes: nodes.map((x) => x.id).slice(id * 10), tags: { highway: 'residential', name: `W${id}` } }));
    const osm = { nodes: storeOf(kept), ways, relations: [] };
    const packed = packRoads(osm);
    expect(packed.end.length).toBeGreaterThan(ways.length + 16);
    expectSameLayer(osm);
    expectSameLayer({ nodes: new Map(kept.map((x) => [x.id, x])), ways, relations: [] });
  });
});

describe('the import\'s progress', () => {
  it('layers are reported in 4 steps, the router set-up (after the layers, the OSM data let go) the last, before the result', async () => {
    const root = join(__dirname, '../..');
    const file = readFileSync(join(root, 'geodata/raw/fallback_monaco_osrm-testdata_2016.osm.pbf'));
    const bbox = JSON.parse(readFileSync(join(root, 'public/data/monaco/place.json'), 'utf8')).bbox as [number, number, number, number];
    const seen: string[] = [];
    const res = await createPlannerApi({ transferResults: true }).importOsm('m', file.buffer.slice(file.byteOffset, file.byteOffset + file.byteLength) as ArrayBuffer, 'monaco.osm.pbf', (p) => {
      if (p.phase === 'layers') seen.push(`${p.done}/${p.total}`);
    }, bbox);
    expect(seen).toEqual(['0/4', '1/4', '2/4', '3/4', '4/4']);
    expect(res.info.nodeCount).toBeGreaterThan(0);
  }, 60_000);
});

describe('the road layer handed back packed (the worker path)', () => {
  it("a client over a MessageChannel to an API made as the worker makes it gets the same import as the in-process API (its roads unpacked from the transferred arrays)", async () => {
    const root = join(__dirname, '../..');
    const file = readFileSync(join(root, 'geodata/raw/fallback_monaco_osrm-testdata_2016.osm.pbf'));
    const bytes = () => file.buffer.slice(file.byteOffset, file.byteOffset + file.byteLength) as ArrayBuffer;
    const bbox = JSON.parse(readFileSync(join(root, 'public/data/monaco/place.json'), 'utf8')).bbox as [number, number, number, number];
    const plain = await createPlannerApi().importOsm('monaco', bytes(), 'monaco.osm.pbf', undefined, bbox);
    expect(plain.roadsPacked).toBeUndefined();

    // the worker's API on its own: roads left empty, the packed layer in the result and in its transfer list
    const packedRes = await createPlannerApi({ transferResults: true }).importOsm('monaco', bytes(), 'monaco.osm.pbf', undefined, bbox);
    expect(packedRes.roads.features).toHaveLength(0);
    expect(packedRes.roadsPacked?.end.length).toBe(plain.roads.features.length);

    const made: WorkerLike[] = [];
    const client = createPlannerClient({ createWorker: () => {
      const { port1, port2 } = new MessageChannel();
      expose(createPlannerApi({ transferResults: true, releaseInput: true }), port1 as unknown as Endpoint);
      const w = Object.assign(port2 as unknown as WorkerLike, { terminate: () => { (port1 as MessagePort).close(); (port2 as MessagePort).close(); } });
      made.push(w);
      return w;
    } });
    try {
      const viaWorker = await client.importOsm('monaco', bytes(), 'monaco.osm.pbf', undefined, bbox);
      expect(viaWorker.roadsPacked).toBeUndefined();
      expect(viaWorker.roads.features.length).toBeGreaterThan(100);
      const { graph: g1, ...rest1 } = viaWorker, { graph: g2, ...rest2 } = plain;
      expect(JSON.stringify(rest1.roads)).toBe(JSON.stringify(rest2.roads));
      expect(sharing(rest1.roads as FeatureCollection<LineString, RoadProps>)).toEqual(sharing(rest2.roads as FeatureCollection<LineString, RoadProps>));
      expect({ ...rest1, roads: null, info: { ...rest1.info, version: '' } }).toEqual({ ...rest2, roads: null, info: { ...rest2.info, version: '' } });
      expect(new Uint8Array(g1)).toEqual(new Uint8Array(g2));
    } finally {
      client.terminate();
    }
    // withRoads leaves a result without a packed layer as it is
    expect(withRoads(plain)).toBe(plain);
  }, 60_000);
});
