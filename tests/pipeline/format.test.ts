import { describe, expect, it } from 'vitest';
import { buildGraph } from '../../src/core/buildGraph';
import { EdgeFlag, GRAPH_MAGIC, GRAPH_VERSION, decodeGraph, encodeGraph, restrictionCount, restrictionEdges, type RoadGraph } from '../../src/core/graph';
import { readOsm } from '../../src/core/osm/read';
import { bytes } from './tiny';
import { FX_NODES, FX_RELATIONS, FX_WAYS, osmXml, type FxWay } from './restrictionFixture';

const fixture = () => buildGraph(readOsm(bytes(osmXml(FX_NODES, FX_WAYS, FX_RELATIONS)), 'fx.osm')).graph;

/** A version-1 file as the previous code wrote it (header, nine sections, names), for the compatibility test. */
function encodeV1(g: RoadGraph): ArrayBuffer {
  const align8 = (x: number) => (x + 7) & ~7;
  const n = g.nodeCount, m = g.edgeCount;
  const parts: [ArrayLike<number>, number, Int32ArrayConstructor | Uint32ArrayConstructor | Float32ArrayConstructor | Uint8ArrayConstructor][] = [
    [g.lon, n, Int32Array], [g.lat, n, Int32Array], [g.firstEdge, n + 1, Uint32Array], [g.target, m, Uint32Array], [g.lengthM, m, Float32Array],
    [g.nameId, m, Uint32Array], [g.roadClass, m, Uint8Array], [g.flags, m, Uint8Array], [g.maxspeed, m, Uint8Array],
  ];
  let off = 64;
  const offs = parts.map(([, count, ctor]) => { const o = off; off = align8(off + count * ctor.BYTES_PER_ELEMENT); return o; });
  const names = new TextEncoder().encode(JSON.stringify(g.names));
  const buf = new ArrayBuffer(align8(off + names.length));
  const view = new DataView(buf);
  view.setUint32(0, GRAPH_MAGIC, true);
  view.setUint32(4, 1, true);
  view.setUint32(8, n, true);
  view.setUint32(12, m, true);
  view.setUint32(16, names.length, true);
  g.bbox.forEach((v, i) => view.setFloat64(24 + i * 8, v, true));
  parts.forEach(([src, count, ctor], i) => new (ctor as Uint8ArrayConstructor)(buf, offs[i], count).set(src as Uint8Array));
  new Uint8Array(buf, off, names.length).set(names);
  return buf;
}

const same = (a: ArrayLike<number> | undefined, b: ArrayLike<number> | undefined) => expect(Array.from(a ?? [])).toEqual(Array.from(b ?? []));
const codeOf = (run: () => unknown) => { try { run(); } catch (e) { return (e as { code?: string }).code; } return 'no error'; };

describe('graph file format version 2', () => {
  it('round-trips restrictions, facts and every other section', () => {
    const g = fixture();
    expect(restrictionCount(g)).toBe(16);
    const d = decodeGraph(g.buffer.slice(0));
    expect(d.formatVersion).toBe(GRAPH_VERSION);
    for (const k of ['lon', 'lat', 'firstEdge', 'target', 'lengthM', 'nameId', 'roadClass', 'flags', 'maxspeed', 'restrFirst', 'restrEdges', 'edgeFacts', 'nodeFacts'] as const) same(d[k], g[k]);
    expect(d.facts).toEqual(g.facts);
    expect(d.names).toEqual(g.names);
    same(restrictionEdges(d, 0), (g.restrEdges as Uint32Array).subarray(0, (g.restrFirst as Uint32Array)[1]));
    // Re-encoding the decoded graph gives the same bytes.
    expect(Buffer.from(encodeGraph(d)).equals(Buffer.from(g.buffer))).toBe(true);
  });

  it('a graph encoded without the new arrays decodes with empty ones', () => {
    const g = fixture();
    const d = decodeGraph(encodeGraph({ lon: g.lon, lat: g.lat, firstEdge: g.firstEdge, target: g.target, lengthM: g.lengthM, nameId: g.nameId, roadClass: g.roadClass, flags: g.flags, maxspeed: g.maxspeed, names: g.names }));
    same(d.restrFirst, [0]);
    expect(d.restrEdges?.length).toBe(0);
    same(d.edgeFacts, new Uint32Array(g.edgeCount));
    same(d.nodeFacts, new Uint32Array(g.nodeCount));
    expect(d.facts).toEqual([{}]);
    expect(restrictionCount(d)).toBe(0);
  });

  it('reads a version-1 file (kept in a browser) with no restrictions and no facts', () => {
    const g = fixture();
    const d = decodeGraph(encodeV1(g));
    expect(d.formatVersion).toBe(1);
    for (const k of ['lon', 'lat', 'firstEdge', 'target', 'lengthM', 'nameId', 'roadClass', 'flags', 'maxspeed'] as const) same(d[k], g[k]);
    expect(d.names).toEqual(g.names);
    same(d.restrFirst, [0]);
    expect(d.restrEdges?.length).toBe(0);
    same(d.edgeFacts, new Uint32Array(g.edgeCount));
    expect(d.facts).toEqual([{}]);
  });

  it('refuses an unknown version, a foreign file and damaged sections with PlannerError codes', () => {
    const g = fixture();
    const v3 = g.buffer.slice(0);
    new DataView(v3).setUint32(4, 3, true);
    let err: unknown;
    try { decodeGraph(v3); } catch (e) { err = e; }
    expect(err).toMatchObject({ code: 'graph-version', name: 'PlannerError' });
    expect((err as { zh: string }).zh).toMatch(/版本 3/);
    expect((err as { en: string }).en).toMatch(/version 3 is not supported/);

    expect(codeOf(() => decodeGraph(new ArrayBuffer(10)))).toBe('bad-graph');
    expect(codeOf(() => decodeGraph(new TextEncoder().encode('x'.repeat(100)).buffer))).toBe('bad-graph');
    expect(codeOf(() => decodeGraph(g.buffer.slice(0, g.buffer.byteLength - 64)))).toBe('bad-graph');
    // A restriction edge index past the edge count.
    const badEdge = g.buffer.slice(0);
    new Uint32Array(badEdge, g.restrEdges?.byteOffset, 1)[0] = g.edgeCount + 5;
    expect(codeOf(() => decodeGraph(badEdge))).toBe('bad-graph');
    // An edge fact index past the facts table.
    const badFact = g.buffer.slice(0);
    new Uint32Array(badFact, g.edgeFacts?.byteOffset, 1)[0] = 999;
    expect(codeOf(() => decodeGraph(badFact))).toBe('bad-graph');
  });
});

describe('road-rule facts in the graph', () => {
  const ways: FxWay[] = [
    { id: 1, nodes: [1, 2, 3], tags: { highway: 'service', name: '院内路', access: 'private', emergency: 'yes', maxheight: '3.2', 'oneway:bicycle': 'no', surface: 'asphalt' } },
    { id: 2, nodes: [3, 4], tags: { highway: 'residential', ref: 'X1', maxweight: '10' } },
    { id: 3, nodes: [4, 5], tags: { highway: 'residential', maxweight: '10', ref: 'X1', name: '不同名字' } },
    { id: 4, nodes: [5, 6], tags: { highway: 'residential', name: '无规则' } },
    { id: 5, nodes: [6, 7], tags: { highway: 'construction', construction: 'residential' } },
  ];
  const nodes: [number, number, number][] = [[1, 0, 0], [2, 0.001, 0], [3, 0.002, 0], [4, 0.003, 0], [5, 0.004, 0], [6, 0.005, 0], [7, 0.006, 0], [8, 0.0025, 0.001]];
  const nodeTags = { 2: { barrier: 'lift_gate', access: 'private', name: '门' }, 4: { highway: 'traffic_signals' }, 8: { emergency: 'fire_hydrant' } };
  const { graph: g, stats } = buildGraph(readOsm(bytes(osmXml(nodes, ways, [], nodeTags)), 'facts.osm'));
  const at = (id: number) => {
    const [, lon, lat] = nodes.find((x) => x[0] === id) as [number, number, number];
    for (let v = 0; v < g.nodeCount; v++) if (g.lon[v] === Math.round(lon * 1e7) && g.lat[v] === Math.round(lat * 1e7)) return v;
    return -1;
  };
  const edge = (a: number, b: number) => {
    const u = at(a), v = at(b);
    for (let e = g.firstEdge[u]; e < g.firstEdge[u + 1]; e++) if (g.target[e] === v) return e;
    return -1;
  };
  const factsOf = (e: number) => (g.facts as Record<string, string>[])[(g.edgeFacts as Uint32Array)[e]];

  it('stores the rule tags of each way (sorted keys, no name or surface) on both directions', () => {
    expect(factsOf(edge(1, 2))).toEqual({ access: 'private', emergency: 'yes', maxheight: '3.2', 'oneway:bicycle': 'no' });
    expect(Object.keys(factsOf(edge(1, 2)))).toEqual(['access', 'emergency', 'maxheight', 'oneway:bicycle']);
    expect(factsOf(edge(3, 2))).toBe(factsOf(edge(2, 1)));
    expect(factsOf(edge(5, 6))).toEqual({});
    expect((g.edgeFacts as Uint32Array)[edge(5, 6)]).toBe(0);
  });

  it('shares one table entry between ways with the same facts; the construction way is not in the graph', () => {
    expect((g.edgeFacts as Uint32Array)[edge(3, 4)]).toBe((g.edgeFacts as Uint32Array)[edge(4, 5)]);
    expect(factsOf(edge(4, 3))).toEqual({ maxweight: '10', ref: 'X1' });
    expect(edge(6, 7)).toBe(-1); // highway=construction has no road class
    // {}, the way-1 facts, the way-2/3 facts, the gate: four entries
    expect(g.facts?.length).toBe(4);
    expect(stats.factSets).toBe(3);
  });

  it('gives barrier and access nodes their facts; other nodes 0', () => {
    const nf = g.nodeFacts as Uint32Array;
    expect((g.facts as Record<string, string>[])[nf[at(2)]]).toEqual({ access: 'private', barrier: 'lift_gate' });
    expect(nf[at(4)]).toBe(0); // traffic signals are not a rule fact
    expect(at(8)).toBe(-1); // the hydrant is not on a road, so not a graph node
    expect(stats.factNodes).toBe(1);
  });

  it('marks the edge running against the way order with EdgeFlag.Reverse', () => {
    expect(g.flags[edge(1, 2)] & EdgeFlag.Reverse).toBe(0);
    expect(g.flags[edge(2, 1)] & EdgeFlag.Reverse).toBe(EdgeFlag.Reverse);
    let reverse = 0;
    for (let e = 0; e < g.edgeCount; e++) if (g.flags[e] & EdgeFlag.Reverse) reverse++;
    expect(reverse * 2).toBe(g.edgeCount);
  });
});
