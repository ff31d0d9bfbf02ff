import { describe, expect, it } from 'vitest';
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { buildGraph } from '../../src/core/buildGraph';
import { readOsm } from '../../src/core/osm/read';
import { restrictionKind } from '../../src/core/osm/restrictions';
import { bytes } from './tiny';
import { FX_EXPECTED_PATHS, FX_NODES, FX_RELATIONS, FX_WAYS, osmXml, restrictionPaths, sortPaths, type FxRel } from './restrictionFixture';

const build = (rels: FxRel[], ways = FX_WAYS) => buildGraph(readOsm(bytes(osmXml(FX_NODES, ways, rels)), 'restrictions.osm'));

// The networks and the expected node path of every relation are drawn in restrictionFixture.ts.
describe('turn restrictions from hand-made OSM', () => {
  const { graph, stats } = build(FX_RELATIONS);

  it('stores exactly the forbidden node paths worked out by hand (only_* expanded, duplicates once)', () => {
    expect(sortPaths(restrictionPaths(graph, FX_NODES))).toEqual(sortPaths(FX_EXPECTED_PATHS));
    expect(stats.restrictionSequences).toBe(FX_EXPECTED_PATHS.length);
  });

  it('counts every relation: read = used + skipped, by reason', () => {
    expect(stats.restrictionsRead).toBe(22); // relations 1–12 and 20–29; relation 30 is a multipolygon
    expect(stats.restrictionsUsed).toBe(12); // 1–11, 28
    expect(stats.restrictionsResolvedByAngle).toBe(2); // 7, 11
    expect(stats.restrictionsSkipped).toEqual({
      conditional: 1, otherVehicle: 1, exceptEmergency: 1, unknownKind: 1, badMembers: 2, missingMember: 1, notConnected: 2, ambiguous: 1,
    });
    expect(stats.restrictionConditionsIgnored).toBe(1);
    const skipped = Object.values(stats.restrictionsSkipped).reduce((a, b) => a + b, 0);
    expect(stats.restrictionsUsed + skipped).toBe(stats.restrictionsRead);
  });

  it('sequences are sorted and unique (deterministic file)', () => {
    const first = graph.restrFirst as Uint32Array, edges = graph.restrEdges as Uint32Array;
    const keys = Array.from({ length: first.length - 1 }, (_, k) => [...edges.subarray(first[k], first[k + 1])]);
    for (let k = 1; k < keys.length; k++) {
      const a = keys[k - 1], b = keys[k];
      const i = a.findIndex((e, j) => e !== b[j]);
      expect(i === -1 ? a.length < b.length : a[i] < b[i]).toBe(true);
    }
    const again = build(FX_RELATIONS.slice().reverse());
    expect(Buffer.from(again.graph.buffer).equals(Buffer.from(graph.buffer))).toBe(true);
  });

  it('a via way given as a chain of two ways, members out of order', () => {
    const split = FX_WAYS.filter((w) => w.id !== 201).concat(
      { id: 207, nodes: [17, 13], tags: { highway: 'residential' } }, { id: 208, nodes: [17, 12], tags: { highway: 'residential' } });
    const rels: FxRel[] = [{ id: 1, tags: { type: 'restriction', restriction: 'no_left_turn' }, members: [['way', 207, 'via'], ['way', 203, 'from'], ['way', 208, 'via'], ['way', 204, 'to']] }];
    const r = build(rels, split);
    expect(restrictionPaths(r.graph, FX_NODES)).toEqual([[15, 12, 17, 13, 16]]);
    expect(r.stats.restrictionsUsed).toBe(1);
  });

  it('a via way against its one-way is kept as drawn (contraflow paths still obey it)', () => {
    const oneway = FX_WAYS.map((w) => (w.id === 201 ? { ...w, tags: { ...w.tags, oneway: '-1' } } : w));
    const r = build([FX_RELATIONS[4]], oneway);
    expect(restrictionPaths(r.graph, FX_NODES)).toEqual([[15, 12, 17, 13, 16]]);
  });

  it('a graph without restriction relations has an empty CSR', () => {
    const r = build([]);
    expect([...(r.graph.restrFirst as Uint32Array)]).toEqual([0]);
    expect(r.graph.restrEdges?.length).toBe(0);
    expect(r.stats.restrictionsRead).toBe(0);
  });
});

describe('which restriction tags apply to a fire engine', () => {
  it.each([
    [{ type: 'restriction', restriction: 'no_left_turn' }, { kind: 'no_left_turn', conditionIgnored: false }],
    [{ type: 'restriction', 'restriction:motor_vehicle': 'only_straight_on' }, { kind: 'only_straight_on', conditionIgnored: false }],
    [{ type: 'restriction', 'restriction:vehicle': 'no_u_turn' }, { kind: 'no_u_turn', conditionIgnored: false }],
    [{ type: 'restriction:motorcar', restriction: 'no_u_turn' }, { kind: 'no_u_turn', conditionIgnored: false }],
    [{ type: 'restriction:hgv', restriction: 'no_u_turn' }, { skip: 'otherVehicle' }],
    [{ type: 'restriction', 'restriction:bus': 'no_left_turn' }, { skip: 'otherVehicle' }],
    [{ type: 'restriction', restriction: 'no_left_turn', except: 'psv' }, { kind: 'no_left_turn', conditionIgnored: false }],
    [{ type: 'restriction', restriction: 'no_left_turn', except: 'fire_engine' }, { skip: 'exceptEmergency' }],
    [{ type: 'restriction', restriction: 'no_left_turn', hour_on: '07:00', hour_off: '09:00' }, { skip: 'conditional' }],
    [{ type: 'restriction' }, { skip: 'unknownKind' }],
  ])('%j → %j', (tags, want) => {
    expect(restrictionKind(tags)).toEqual(want);
  });
});

describe('turn restrictions of the Monaco extract (real data)', () => {
  const file = 'fallback_monaco_osrm-testdata_2016.osm.pbf';
  const osm = readOsm(new Uint8Array(readFileSync(resolve(__dirname, '../../geodata/raw', file))), file);
  const { graph, stats } = buildGraph(osm);

  it('reads all 27 restriction relations (osmium tags-filter r/type=restriction counts 27) and uses them all', () => {
    // Independent count with our reader, not through buildGraph:
    expect(osm.relations.filter((r) => r.tags.type === 'restriction').length).toBe(27);
    expect(stats.restrictionsRead).toBe(27);
    expect(stats.restrictionsUsed).toBe(27);
    expect(Object.values(stats.restrictionsSkipped).every((n) => n === 0)).toBe(true);
    expect(stats.restrictionSequences).toBe(55);
  });

  // Cross-check with osmium (optional: runs where osmium-tool is installed, e.g. `apt-get install osmium-tool`).
  const osmium = (() => { try { execFileSync('osmium', ['--version'], { stdio: 'ignore' }); return true; } catch { return false; } })();
  it.runIf(osmium)('osmium lists the same restriction relations and kinds', () => {
    const opl = execFileSync('osmium', ['tags-filter', '-R', '-f', 'opl', '-o', '-', resolve(__dirname, '../../geodata/raw', file), 'r/type=restriction'], { encoding: 'utf8' });
    const theirs = opl.split('\n').filter((l) => l.startsWith('r')).map((l) => `${l.split(' ')[0].slice(1)} ${/restriction=([^, ]+)/.exec(l)?.[1]}`);
    const ours = osm.relations.filter((r) => r.tags.type === 'restriction').map((r) => `${r.id} ${r.tags.restriction}`);
    expect(theirs.sort()).toEqual(ours.sort());
    expect(theirs.length).toBe(stats.restrictionsRead);
  });

  it('every sequence is a connected path through the via node of its relation', () => {
    const tail = new Uint32Array(graph.edgeCount);
    for (let v = 0; v < graph.nodeCount; v++) tail.fill(v, graph.firstEdge[v], graph.firstEdge[v + 1]);
    const first = graph.restrFirst as Uint32Array, edges = graph.restrEdges as Uint32Array;
    const viaAt = new Set<string>();
    for (let k = 0; k + 1 < first.length; k++) {
      const seq = edges.subarray(first[k], first[k + 1]);
      expect(seq.length).toBe(2); // Monaco has via-node restrictions only
      expect(tail[seq[1]]).toBe(graph.target[seq[0]]);
      const v = graph.target[seq[0]];
      viaAt.add(`${graph.lon[v]},${graph.lat[v]}`);
    }
    // Each relation's via node is a junction of some sequence, and no sequence sits elsewhere.
    const vias = osm.relations.filter((r) => r.tags.type === 'restriction').map((r) => {
      const n = osm.nodes.get(r.members.find((m) => m.role === 'via')?.ref as number);
      return `${Math.round((n?.lon as number) * 1e7)},${Math.round((n?.lat as number) * 1e7)}`;
    });
    expect([...viaAt].sort()).toEqual([...new Set(vias)].sort());
  });

  it('the no_u_turn relation 4261964 forbids exactly the turn back onto way 316502065', () => {
    const r = osm.relations.find((x) => x.id === 4261964);
    expect(r?.tags.restriction).toBe('no_u_turn');
    const via = osm.nodes.get(25177185);
    const first = graph.restrFirst as Uint32Array, edges = graph.restrEdges as Uint32Array;
    const tail = new Uint32Array(graph.edgeCount);
    for (let v = 0; v < graph.nodeCount; v++) tail.fill(v, graph.firstEdge[v], graph.firstEdge[v + 1]);
    const uTurns: number[][] = [];
    for (let k = 0; k + 1 < first.length; k++) {
      const [a, b] = edges.subarray(first[k], first[k + 1]);
      const v = graph.target[a];
      if (graph.lon[v] === Math.round((via?.lon as number) * 1e7) && graph.lat[v] === Math.round((via?.lat as number) * 1e7) && graph.target[b] === tail[a]) uTurns.push([a, b]);
    }
    expect(uTurns.length).toBe(1);
  });
});
