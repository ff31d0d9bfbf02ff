import { describe, expect, it } from 'vitest';
import { buildGraph } from '../../src/core/buildGraph';
import { EdgeFlag, decodeGraph } from '../../src/core/graph';
import { extractRoads } from '../../src/core/osm/extract';
import { readOsm } from '../../src/core/osm/read';
import { largestComponent } from '../../geodata/lib/sites';
import { bytes, tinyJson, tinyXml } from './tiny';

// The tiny network is drawn in tiny.ts. Expected values are counted by hand from that drawing.
describe('graph from hand-made OSM (XML and Overpass JSON)', () => {
  const fromXml = buildGraph(readOsm(bytes(tinyXml()), 'tiny.osm'));
  const fromJson = buildGraph(readOsm(bytes(tinyJson()), 'tiny.json'));

  it('counts nodes and edges: footway dropped, duplicate node merged', () => {
    const { graph, stats } = fromXml;
    expect(graph.nodeCount).toBe(7); // 1,2,3(=8),4,6,7,9
    expect(graph.edgeCount).toBe(10); // 5 segments × 2 directions
    expect(stats.waysNotDrivable).toBe(1);
    expect(stats.mergedDuplicateNodes).toBe(1);
    expect(stats.waysUsed).toBe(4);
  });

  it('both readers give a byte-identical graph', () => {
    expect(Buffer.from(fromJson.graph.buffer).equals(Buffer.from(fromXml.graph.buffer))).toBe(true);
  });

  it('flags the edge against the one-way and keeps the dead end reachable only inbound', () => {
    const g = fromXml.graph;
    const against = [...g.flags].filter((f) => f & EdgeFlag.AgainstOneway).length;
    expect(against).toBe(1);
    // node 4 is graph node 3 (numbered in order of first use): its only edge runs 4→2 against the one-way.
    expect(g.firstEdge[4] - g.firstEdge[3]).toBe(1);
    expect(g.flags[g.firstEdge[3]] & EdgeFlag.AgainstOneway).toBeTruthy();
    // node 1 is a dead end with one two-way edge.
    expect(g.firstEdge[1] - g.firstEdge[0]).toBe(1);
    expect(g.flags[g.firstEdge[0]]).toBe(0);
  });

  it('finds the disconnected piece', () => {
    const g = fromXml.graph;
    expect(largestComponent(g)).toEqual([0, 1, 2, 3, 6]);
  });

  it('survives encode/decode and keeps names', () => {
    const g = decodeGraph(fromXml.graph.buffer.slice(0));
    expect(g.names.zh).toContain('一路 & 二路');
    expect(g.names.en).toContain('Main Road');
    expect(g.lengthM[0]).toBeCloseTo(111.2, 0); // 0.001° of longitude at the equator
  });

  it('display roads carry class, names and one-way; footway excluded', () => {
    const roads = extractRoads(readOsm(bytes(tinyXml()), 'tiny.osm'));
    expect(roads.features.map((f) => [f.properties.cls, f.properties.oneway])).toEqual([
      ['residential', 0], ['residential', 1], ['service', 0], ['primary', 0],
    ]);
    expect(roads.features[3].properties.nameEn).toBe('Main Road');
  });

  it('a way cut by a missing node splits into two lines and counts the missing references', () => {
    // way 10 becomes 1-4-2-3-9 and node 2 is removed (as at the border of a clipped extract).
    const xml = tinyXml()
      .replace('<node id="2" lat="0" lon="0.001"/>', '')
      .replace('<nd ref="1"/>\n    <nd ref="2"/>', '<nd ref="1"/>\n    <nd ref="4"/>\n    <nd ref="2"/>')
      .replace('<nd ref="3"/>\n    <tag k="highway" v="residential"/>', '<nd ref="3"/>\n    <nd ref="9"/>\n    <tag k="highway" v="residential"/>');
    const osm = readOsm(bytes(xml), 'clipped.osm');
    const { stats, graph } = buildGraph(osm);
    expect(stats.missingNodeRefs).toBe(2); // way 10 and way 11 both reference node 2
    expect(graph.edgeCount).toBe(8); // segments 1-4, 3-9 (way 10), 6-7, 3-9 (way 14), both directions
    const lines = extractRoads(osm).features.filter((f) => f.properties.name === '一路 & 二路');
    expect(lines.map((f) => f.geometry.coordinates)).toEqual([[[0, 0], [0.001, -0.001]], [[0.002, 0], [0.003, 0]]]);
  });
});
