import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { readOsm } from '../../src/core/osm/read';
import { buildGraph } from '../../src/core/buildGraph';
import { districtFileProblem, graphProblem, osmDataProblem, scenarioDocProblem } from './checks';
import { denseTagLoop, pbfFile, primitiveBlock } from './pbf';
import { Rng, mutateJson, toJsonText } from './gen';

// The fuzz suite's own parts: the independent checks pass real files and catch hand-made bad ones; the PBF
// writer's files read back as written; the generator is deterministic.
const bbox: [number, number, number, number] = [111.763328, 21.696066, 112.364844, 22.263979];
const ring = (pts: number[][]) => ({ type: 'Feature', properties: {}, geometry: { type: 'Polygon', coordinates: [pts] } });

describe('fuzz checks', () => {
  it('district check: real districts pass; bowtie, open ring, short ring, metres, declared 3857, empty and elsewhere fail', () => {
    expect(districtFileProblem(JSON.parse(readFileSync('public/data/yangdong/districts.geojson', 'utf8')), bbox)).toBeNull();
    const fc = (...f: unknown[]) => ({ type: 'FeatureCollection', features: f });
    expect(districtFileProblem(fc(ring([[112, 22], [112.1, 22.1], [112.1, 22], [112, 22.1], [112, 22]])), bbox)).toBe('self-intersecting ring');
    expect(districtFileProblem(fc(ring([[112, 22], [112.1, 22], [112.1, 22.1], [112, 22.1]])), bbox)).toBe('ring not closed');
    expect(districtFileProblem(fc(ring([[112, 22], [112.1, 22], [112, 22]])), bbox)).toBe('ring with fewer than 4 positions');
    expect(districtFileProblem(fc(ring([[12467782, 2511525], [12478914, 2511525], [12478914, 2523560], [12467782, 2511525]])), bbox)).toBe('position out of lon/lat range');
    expect(districtFileProblem({ ...fc(), crs: { type: 'name', properties: { name: 'EPSG:3857' } } }, bbox)).toBe('declared crs not WGS84');
    expect(districtFileProblem(fc(), bbox)).toBe('no polygon');
    expect(districtFileProblem(fc(ring([[22, 112], [22.1, 112], [22.1, 112.1], [22, 112]])), bbox)).toBe('position out of lon/lat range');
    expect(districtFileProblem(fc(ring([[2, 42], [2.1, 42], [2.1, 42.1], [2, 42]])), bbox)).toBe('polygons outside the place (swapped axes?)');
  });

  it('OSM and graph checks: a real extract passes; out-of-range, NaN and non-text values fail', () => {
    const osm = readOsm(readFileSync('geodata/raw/fallback_monaco_osrm-testdata_2016.osm.pbf'), 'monaco.osm.pbf');
    expect(osmDataProblem(osm)).toBeNull();
    expect(graphProblem(buildGraph(osm).graph)).toBeNull();
    const one = (n: object, w: object = { id: 1, nodes: [1], tags: {} }) => ({ nodes: new Map([[1, { id: 1, lon: 7.4, lat: 43.7, ...n }]]), ways: [{ id: 1, nodes: [1], tags: {}, ...w }], relations: [] });
    expect(osmDataProblem(one({ lat: 91 }))).toBe('node position out of lon/lat range');
    expect(osmDataProblem(one({ lon: Infinity }))).toBe('node position not finite');
    expect(osmDataProblem(one({}, { nodes: [NaN] }))).toBe('way node reference not an integer (NaN)');
    expect(osmDataProblem(one({}, { tags: { highway: 5 } }))).toBe('way tag not text');
    expect(scenarioDocProblem({ crs: { properties: { name: 'EPSG:3857' } } })).toBe('declared crs not WGS84');
    expect(scenarioDocProblem({ planner: { crs: 'EPSG:4326' } })).toBeNull();
  });

  it('PBF writer: what it writes reads back; the tiny-osmpbf loop is predicted for keys_vals that run out', () => {
    const nodes = [{ id: 1, lat: 22.5, lon: 113.9, tags: { a: 'b' } }, { id: 2, lat: 22.51, lon: 113.91 }];
    const ways = [{ id: 10, refs: [1, 2], tags: { highway: 'residential' } }];
    for (const zlib of [false, true]) {
      const d = readOsm(pbfFile([primitiveBlock(nodes, ways)], zlib), 'w.osm.pbf');
      expect([...d.nodes.values()].map((n) => [n.id, n.lat, n.lon, n.tags])).toEqual([[1, 22.5, 113.9, { a: 'b' }], [2, 22.51, 113.91, undefined]]);
      expect(d.ways).toEqual([{ id: 10, nodes: [1, 2], tags: { highway: 'residential' } }]);
      expect(denseTagLoop(pbfFile([primitiveBlock(nodes, ways)], zlib))).toBe(false);
    }
    // Cut the block's keys_vals terminators: 1 node's tags then nothing for node 2.
    const block = primitiveBlock(nodes, ways);
    const kv = Uint8Array.from([0x52, 4, 1, 2, 0, 3]); // field 10, packed [1, 2, 0, 3]: node 2's list never ends
    const at = block.findIndex((b, i) => b === 0x52 && block[i + 1] === 4 && block[i + 2] === 1 && block[i + 3] === 2 && block[i + 4] === 0 && block[i + 5] === 0);
    expect(at).toBeGreaterThan(0);
    const bad = Uint8Array.from(block);
    bad.set(kv, at);
    expect(denseTagLoop(pbfFile([bad]))).toBe(true);
  });

  it('generator: the same seed gives the same mutation, another seed another', () => {
    const doc = { type: 'FeatureCollection', features: [ring([[112, 22], [112.1, 22], [112.1, 22.1], [112, 22]])] };
    const a = toJsonText(mutateJson(new Rng(7), doc)), b = toJsonText(mutateJson(new Rng(7), doc));
    expect(a).toBe(b);
    const others = [1, 2, 3, 4, 5].map((s) => toJsonText(mutateJson(new Rng(s), doc)));
    expect(new Set(others).size).toBeGreaterThan(1);
  });
});
