/**
 * The road layer's fast path (extractRoads over a NodeStore: positions found by difference from the last id, equal
 * positions compared in the arrays, properties shared between ways) against a brute-force reference written from the
 * definition: drivable ways in id order, each cut into runs of present nodes with repeated positions dropped
 * (shapes.ts wayRuns, which looks every id up), properties from each way's own tags. Hand-made and random stores.
 */
import { describe, expect, it } from 'vitest';
import type { Position } from 'geojson';
import { isDrivableWay, onewayDirection } from '../../src/core/buildGraph';
import { extractRoads, type RoadProps } from '../../src/core/osm/extract';
import { NodeStore } from '../../src/core/osm/nodeStore';
import { byId, inIdOrder, wayRuns } from '../../src/core/osm/shapes';
import type { OsmData, OsmNode, OsmWay, Tags } from '../../src/core/osm/types';

/** The road layer by definition: one feature per run, properties made per way. */
function reference(osm: OsmData): { coords: Position[][]; props: RoadProps[] } {
  const coords: Position[][] = [], props: RoadProps[] = [];
  for (const w of [...osm.ways].filter((x) => isDrivableWay(x.tags)).sort(byId)) {
    const t = w.tags;
    for (const c of wayRuns(osm, w)) {
      coords.push(c);
      props.push({ cls: t.highway, name: t.name ?? t.ref ?? '', nameEn: t['name:en'] ?? '', oneway: onewayDirection(t) });
    }
  }
  return { coords, props };
}

function storeOf(nodes: OsmNode[]): NodeStore {
  const s = new NodeStore();
  for (const n of nodes) s.set(n.id, n.lon, n.lat, n.tags);
  return s;
}

const mapOf = (nodes: OsmNode[]) => new Map(nodes.map((n) => [n.id, n]));

function expectAsReference(osm: OsmData): void {
  const got = extractRoads(osm), want = reference(osm);
  expect(got.features.map((f) => f.geometry.coordinates)).toEqual(want.coords);
  expect(got.features.map((f) => f.properties)).toEqual(want.props);
  expect(got.features.every((f) => f.type === 'Feature' && f.geometry.type === 'LineString')).toBe(true);
}

describe('inIdOrder', () => {
  it('leaves a list in id order as it is (the same array) and sorts any other stably, as sort(byId)', () => {
    const sorted = [{ id: 1 }, { id: 2 }, { id: 2 }, { id: 9 }];
    const copy = sorted.slice();
    expect(inIdOrder(sorted)).toBe(sorted);
    expect(sorted).toEqual(copy);
    const mixed = [{ id: 5, k: 'a' }, { id: 1, k: 'b' }, { id: 5, k: 'c' }, { id: 3, k: 'd' }, { id: 1, k: 'e' }];
    const want = mixed.slice().sort(byId);
    expect(inIdOrder(mixed).map((x) => x.k)).toEqual(want.map((x) => x.k));
    expect(want.map((x) => x.k)).toEqual(['b', 'e', 'd', 'a', 'c']);
    expect(inIdOrder([])).toEqual([]);
  });
});

describe('extractRoads (NodeStore fast path) as the definition gives it', () => {
  // ids with gaps, one out of order in the store, two nodes with the same rounded position (1e-7 apart), node 7 missing
  const nodes: OsmNode[] = [
    { id: 1, lon: 10, lat: 20 }, { id: 2, lon: 10.001, lat: 20 }, { id: 3, lon: 10.002, lat: 20 }, { id: 5, lon: 10.002, lat: 20.001 },
    { id: 4, lon: 10.0020001, lat: 20.0010001 }, { id: 10, lon: 10.003, lat: 20.001 }, { id: 11, lon: 10.003, lat: 20.002 },
  ];
  const ways: OsmWay[] = [
    { id: 30, nodes: [11, 10, 5], tags: { highway: 'residential', name: 'A' } },
    // repeated ref, then two refs of the same rounded position: each kept once
    { id: 20, nodes: [1, 2, 2, 3, 5, 4, 10], tags: { highway: 'residential', name: 'A' } },
    // cut by the missing node 7 into two runs; a one-node piece between gaps is no line
    { id: 21, nodes: [1, 2, 7, 3, 7, 5, 10, 11], tags: { highway: 'primary', ref: 'S1', oneway: 'yes' } },
    { id: 22, nodes: [3, 7], tags: { highway: 'primary', name: 'gone' } },
    { id: 23, nodes: [1, 2, 3], tags: { highway: 'residential', name: 'A', oneway: '-1' } },
    { id: 24, nodes: [2, 3], tags: { building: 'yes', name: 'A' } },
    { id: 25, nodes: [10, 11, 10], tags: { highway: 'residential', name: 'A' } },
  ];

  it('a hand-made store: runs, dropped repeats, cut ways and properties as the reference; the same from a Map of nodes', () => {
    const fromStore = { nodes: storeOf(nodes), ways, relations: [] };
    expectAsReference(fromStore);
    const got = extractRoads(fromStore);
    expect(got.features.map((f) => f.geometry.coordinates.length)).toEqual([5, 2, 3, 3, 3, 3]);
    const fromMap = extractRoads({ nodes: mapOf(nodes), ways, relations: [] });
    expect(JSON.stringify(fromMap)).toBe(JSON.stringify(got));
  });

  it('ways of equal class, names and direction share one properties object; a different direction or class does not', () => {
    const got = extractRoads({ nodes: storeOf(nodes), ways, relations: [] }).features;
    const byWay = (i: number) => got[i].properties;
    // features in way-id order: 20, 21 (two runs), 23, 25, 30
    expect(byWay(0)).toBe(byWay(4)); // ways 20 and 25: residential "A" both ways
    expect(byWay(0)).toBe(byWay(5)); // way 30
    expect(byWay(1)).toBe(byWay(2)); // the two runs of way 21
    expect(byWay(3)).not.toBe(byWay(0)); // way 23: oneway -1
    expect(byWay(3)).toEqual({ cls: 'residential', name: 'A', nameEn: '', oneway: -1 });
    expect(byWay(1)).toEqual({ cls: 'primary', name: 'S1', nameEn: '', oneway: 1 });
  });

  it('random stores and ways (ids dense or sparse, store order sorted or not, missing and repeated refs): as the reference', () => {
    let seed = 7;
    const rnd = () => ((seed = (Math.imul(seed, 1103515245) + 12345) >>> 0) / 2 ** 32);
    for (let round = 0; round < 60; round++) {
      const n = 5 + Math.floor(rnd() * 60);
      const sparse = rnd() < 0.5, shuffled = rnd() < 0.3;
      const list: OsmNode[] = [];
      let id = 1 + Math.floor(rnd() * 1000);
      for (let i = 0; i < n; i++) {
        id += sparse ? 1 + Math.floor(rnd() * 5) : 1;
        // a coarse lattice: repeated positions between different nodes happen
        list.push({ id, lon: 100 + Math.floor(rnd() * 8) * 1e-6 + (rnd() < 0.2 ? 3e-8 : 0), lat: 30 + Math.floor(rnd() * 8) * 1e-6 });
      }
      if (shuffled) list.sort(() => rnd() - 0.5);
      const stored = list.filter(() => rnd() > 0.15); // the rest are missing (a clipped extract)
      const ids = list.map((x) => x.id);
      const ways: OsmWay[] = [];
      const wayCount = 1 + Math.floor(rnd() * 12);
      for (let w = 0; w < wayCount; w++) {
        const refs: number[] = [];
        let at = Math.floor(rnd() * ids.length);
        const len = 1 + Math.floor(rnd() * 12);
        for (let r = 0; r < len; r++) {
          refs.push(ids[at]);
          const step = rnd();
          at = step < 0.6 ? Math.min(ids.length - 1, at + 1) : step < 0.7 ? at : Math.floor(rnd() * ids.length);
        }
        const tags: Tags = rnd() < 0.1 ? { building: 'yes' } : { highway: rnd() < 0.5 ? 'residential' : 'primary', name: `R${Math.floor(rnd() * 3)}`, ...(rnd() < 0.3 ? { oneway: 'yes' } : {}) };
        ways.push({ id: 1 + Math.floor(rnd() * 50), nodes: refs, tags });
      }
      const osm = { nodes: storeOf(stored), ways, relations: [] };
      expectAsReference(osm);
      expect(JSON.stringify(extractRoads({ ...osm, nodes: mapOf(stored) }))).toBe(JSON.stringify(extractRoads(osm)));
    }
  });
});
