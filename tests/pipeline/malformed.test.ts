/**
 * Malformed OSM elements are skipped whole, counted and reported with their lines (never silently dropped):
 * hand-crafted broken files (not real data) with hand-counted line numbers.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runBuild } from '../../geodata/build';
import { malformedMessage } from '../../src/core/osm/malformed';
import { jsonElementOffsets, readOsm } from '../../src/core/osm/read';
import { createPlannerApi } from '../../src/worker/api';
import { isErrorInfo } from '../../src/core/errors';
import { bytes, expectFileError, tinyJson, tinyXml } from './tiny';

const work = mkdtempSync(join(tmpdir(), 'malformed-build-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

const BROKEN_XML = `<?xml version="1.0" encoding="UTF-8"?>
<osm version="0.6" generator="hand-made malformed test">
  <node id="1" lat="0" lon="0"/>
  <node id="2" lat="0" lon="0.001"/>
  <node id="3" lat="0" lon="0.002"/>
  <node id="4" lat="95" lon="0.003"/>
  <node id="5" lat="0" lon="0x10"/>
  <way id="10">
    <nd ref="1"/>
    <nd ref="2"/>
    <tag k="highway" v="residential"/>
  </way>
  <way id="11">
    <nd ref="2"/>
    <nd ref="3"/>
    <tag k="highway" v="primary/>
    <tag k="name" v="Broken Road"/>
  </way>
  <way id="12">
    <nd ref="1"/>
    <nd ref="abc"/>
    <tag k="highway" v="service"/>
  </way>
  <way id="13"
    <nd ref="1"/>
    <nd ref="3"/>
    <tag k="highway" v="tertiary"/>
  </way>
  <way id="14">
    <nd ref="1"/>
    <nd ref="3"/>
    <tag k="highway" v="a &bogus; b"/>
  </way>
  <nd ref="3"/>
  <relation id="20">
    <member type="way" ref="10" role="from"/>
    <member type="street" ref="11" role="to"/>
    <tag k="type" v="restriction"/>
  </relation>
  <way id="15">
    <nd ref="1"/><nd ref="2"/>
    <tag k="highway" v="residential"/><tag k="highway" v="primary"/>
  </way>
</osm>
`;

const BROKEN_JSON = `{
  "version": 0.6,
  "elements": [
    {"type": "node", "id": 1, "lat": 0, "lon": 0},
    {"type": "node", "id": 2, "lat": 0, "lon": 0.001},
    {"type": "node", "id": 3, "lat": "0", "lon": 0.002},
    {"type": "way", "id": 10, "nodes": [1, 2], "tags": {"highway": "residential"}},
    {"type": "way", "id": 11, "nodes": [1, "2"], "tags": {"highway": "primary"}},
    {"type": "way", "id": 12, "nodes": [1, 2], "tags": {"highway": 5}},
    {"type": "way", "nodes": [1, 2]},
    null,
    {"type": "area", "id": 3600000001},
    {"type": "relation", "id": 20, "members": [{"type": "way", "ref": 10}], "tags": {"type": "route"}},
    {"type": "relation", "id": 21, "members": [{"type": "way"}]}
  ]
}
`;

describe('malformed OSM XML', () => {
  it('skips exactly the broken elements, keeps the rest and names each with its line', () => {
    const osm = readOsm(bytes(BROKEN_XML), 'broken.osm');
    expect([...osm.nodes.keys()]).toEqual([1, 2, 3]);
    expect(osm.ways).toEqual([{ id: 10, nodes: [1, 2], tags: { highway: 'residential' } }]);
    expect(osm.relations).toEqual([]);
    expect(osm.malformed.counts).toEqual({ node: 2, way: 5, relation: 1, other: 1 });
    expect(osm.malformed.examples.map((e) => [e.kind, e.id, e.line])).toEqual([
      ['node', 4, 6], ['node', 5, 7], ['way', 11, 16], ['way', 12, 21], ['way', 13, 24], ['way', 14, 32],
      ['other', undefined, 34], ['relation', 20, 37], ['way', 15, 42],
    ]);
    const m = malformedMessage(osm.malformed);
    expect(m?.en).toBe('5 ways skipped: line 16 (way 11: broken <tag>: unclosed quote in an attribute value), '
      + 'line 21 (way 12: <nd> ref "abc" is not a valid id), line 24 (way 13: broken <way> tag: tag not closed with >), …; '
      + '2 nodes skipped: line 6 (node 4: invalid coordinates (lat "95", lon "0.003")), line 7 (node 5: invalid coordinates (lat "0", lon "0x10")); '
      + '1 relation skipped: line 37 (relation 20: <member> type "street" is not node, way or relation); '
      + '1 other element skipped: line 34 (<nd> outside any node, way or relation)');
    expect(m?.zh).toMatch(/^跳过 5 个损坏的线 \(way\)：第 16 行（way 11：<tag> 损坏：属性值的引号未闭合）/);
  });

  it('the other broken parts: invalid entity (way 14) and duplicate key (way 15) are named', () => {
    const ex = readOsm(bytes(BROKEN_XML), 'broken.osm').malformed.examples;
    expect(ex.find((e) => e.id === 14)?.en).toBe('broken <tag>: invalid character reference (&…;) in an attribute value');
    expect(ex.find((e) => e.id === 15)?.en).toBe('duplicate tag key "highway"');
  });

  it('the real XML extracts have no malformed element', () => {
    // (read.test.ts checks their element counts against osmium)
    const raw = (f: string) => readOsm(new Uint8Array(readFileSync(join(__dirname, '../../geodata/raw', f))), f);
    for (const f of ['shenzhen_nanshan_xili_overpass_2021-03-17.osm', 'shanghai_center_overpass_2025-08-09.osm']) {
      expect(raw(f).malformed.counts).toEqual({ node: 0, way: 0, relation: 0, other: 0 });
    }
    expect(readOsm(bytes(tinyXml()), 'tiny.osm').malformed.examples).toEqual([]);
  });

  it('a file whose every element is broken is refused, saying what was skipped', () => {
    const xml = '<osm version="0.6">\n<node id="x" lat="1" lon="1"/>\n<node id="2" lat="1"/>\n</osm>\n';
    expectFileError(() => readOsm(bytes(xml), 'all-bad.osm'), 'all-bad.osm',
      /no usable OSM elements \(2 nodes skipped: line 2 \(<node> id "x" is not a valid id\), line 3 \(node 2: invalid coordinates \(lat "1", lon ""\)\)\)/);
  });

  it('hostile markup (100,000 unclosed tags, no ">") is read in linear time', () => {
    const xml = `<osm version="0.6">\n<node id="1" lat="0" lon="0"/>\n${'<tag k=\''.repeat(100_000)}\n</osm>\n`;
    const t = performance.now();
    const osm = readOsm(bytes(xml), 'hostile.osm');
    expect(performance.now() - t).toBeLessThan(2000);
    expect(osm.nodes.size).toBe(1);
    expect(osm.malformed.counts.other).toBe(100_000);
    expect(osm.malformed.examples.length).toBe(5);
  });
});

describe('malformed Overpass JSON', () => {
  it('skips exactly the bad elements and names each with its place in "elements" and its line', () => {
    const osm = readOsm(bytes(BROKEN_JSON), 'broken.json');
    expect([...osm.nodes.keys()]).toEqual([1, 2]);
    expect(osm.ways.map((w) => w.id)).toEqual([10]);
    expect(osm.relations).toEqual([{ id: 20, members: [{ type: 'way', ref: 10, role: '' }], tags: { type: 'route' } }]);
    expect(osm.malformed.counts).toEqual({ node: 1, way: 3, relation: 1, other: 1 });
    expect(osm.malformed.examples.map((e) => [e.kind, e.id, e.element, e.line])).toEqual([
      ['node', 3, 3, 6], ['way', 11, 5, 8], ['way', 12, 6, 9], ['way', undefined, 7, 10], ['other', undefined, 8, 11], ['relation', 21, 11, 14],
    ]);
    expect(malformedMessage(osm.malformed)?.en).toBe('3 ways skipped: element 5, line 8 (way 11: nodes[1] "2" is not a valid id), '
      + 'element 6, line 9 (way 12: tags is not an object of string values), element 7, line 10 (no id); '
      + '1 node skipped: element 3, line 6 (node 3: invalid coordinates (lat "0", lon 0.002)); '
      + '1 relation skipped: element 11, line 14 (relation 21: members[0] is invalid (type, ref and role needed)); '
      + '1 other element skipped: element 8, line 11 (not an object)');
  });

  it('finds element offsets in minified JSON, past strings with brackets and escaped quotes', () => {
    const text = '{"a":"[{\\"x","elements":[{"type":"node","tags":{"n":"]}"}},7,[1,2],"s"],"b":[0]}';
    const at = jsonElementOffsets(text);
    expect(at.map((i) => text.slice(i, i + 3))).toEqual(['{"t', '7,[', '[1,', '"s"']);
  });
});

describe('mutated files (seeded)', () => {
  it('4,000 random edits of an XML and a JSON file: only bilingual refusals, and whatever is read is valid', () => {
    let seed = 20261205;
    const rnd = () => { seed = (seed * 1103515245 + 12345) % 2147483648; return seed / 2147483648; };
    const alphabet = '<>/"\'=&;# \nabcdkv0123456789.-x{}[],:';
    const tally = { read: 0, refused: 0, reported: 0 };
    const crashes: string[] = [];
    for (let i = 0; i < 4000; i++) {
      let s = i % 2 ? tinyXml() : tinyJson();
      for (let e = 0, edits = 1 + Math.floor(rnd() * 4); e < edits; e++) {
        const at = Math.floor(rnd() * s.length), r = rnd();
        if (r < 0.4) s = s.slice(0, at) + s.slice(at + 1 + Math.floor(rnd() * 5));
        else if (r < 0.8) s = s.slice(0, at) + alphabet[Math.floor(rnd() * alphabet.length)] + s.slice(at);
        else s = s.slice(0, at) + s.slice(at, at + 10) + s.slice(at);
      }
      try {
        const osm = readOsm(bytes(s), 'mutated');
        for (const n of osm.nodes.values()) expect(Number.isSafeInteger(n.id) && Math.abs(n.lat) <= 90 && Math.abs(n.lon) <= 180).toBe(true);
        for (const w of osm.ways) expect(w.nodes.length > 0 && w.nodes.every(Number.isSafeInteger) && Object.values(w.tags).every((v) => typeof v === 'string')).toBe(true);
        tally.read++;
        if (osm.malformed.examples.length) tally.reported++;
      } catch (err) {
        if (isErrorInfo(err)) tally.refused++;
        else crashes.push(`${String(err)} in ${JSON.stringify(s)}`);
      }
    }
    expect(crashes).toEqual([]);
    console.log(`readOsm on 4000 mutated files: ${tally.read} read (${tally.reported} with skipped elements reported), ${tally.refused} refused`);
    expect(tally.reported).toBeGreaterThan(500);
  });
});

describe('reported to the user', () => {
  it('the app\'s import warnings name the skipped elements', async () => {
    const api = createPlannerApi();
    const buf = bytes(BROKEN_XML);
    const res = await api.importOsm('broken', buf.buffer.slice(buf.byteOffset, buf.byteOffset + buf.byteLength) as ArrayBuffer, 'broken.osm');
    const w = res.warnings.find((x) => x.code === 'malformed-osm');
    expect(w?.file).toBe('broken.osm');
    expect(w?.en).toMatch(/^malformed elements of "broken\.osm" were not imported: 5 ways skipped: line 16 \(way 11: /);
    expect(w?.zh).toMatch(/^文件「broken\.osm」中的损坏要素未导入：跳过 5 个损坏的线 \(way\)：第 16 行/);
    expect(res.info.nodeCount).toBe(2); // only way 10 is a road
  });

  it('the pipeline logs them and place.json keeps the count and a note', () => {
    const osmFile = join(work, 'qingxi-broken.osm');
    writeFileSync(osmFile, `<?xml version="1.0"?>
<osm version="0.6">
  <node id="1" lat="22.8400" lon="114.1600"/>
  <node id="2" lat="22.8420" lon="114.1640"/>
  <node id="3" lat="22.8450" lon="114.1650"/>
  <way id="100"><nd ref="1"/><nd ref="2"/><tag k="highway" v="secondary"/></way>
  <way id="101"><nd ref="2"/><nd ref="3"/><tag k="highway" v="secondary/></way>
  <way id="102"><nd ref="2"/><nd ref="3"/><tag k="highway"/></way>
  <way id="103"><nd ref="2"/><nd ref="3.5"/><tag k="highway" v="primary"/></way>
</osm>
`);
    const lines: string[] = [];
    const metas = runBuild({ outDir: join(work, 'data'), place: 'qingxi', osm: osmFile, log: (s) => lines.push(s) });
    const want = 'qingxi: qingxi-broken.osm: 3 ways skipped: line 7 (way 101: broken <tag>: unclosed quote in an attribute value), '
      + 'line 8 (way 102: <tag> without k or v), line 9 (way 103: <nd> ref "3.5" is not a valid id)';
    expect(lines).toContain(want);
    const q = metas.find((m) => m.id === 'qingxi');
    expect(q?.stats?.osmElementsSkipped).toBe(3);
    expect(q?.stats?.graphEdges).toBe(2); // way 100 only, both directions
    expect(q?.notes.join('\n')).toContain('malformed elements of qingxi-broken.osm not used: 3 ways skipped: line 7');
  });
});

describe('PBF: elements holding impossible values are skipped and reported by element number', () => {
  it('a node out of lon/lat range is left out and named; the way using it keeps its other nodes', async () => {
    const { pbfFile, primitiveBlock } = await import('../fuzz/pbf');
    const block = primitiveBlock(
      [{ id: 1, lat: 22.5, lon: 114 }, { id: 2, lat: 95, lon: 114.001 }, { id: 3, lat: 22.5, lon: 114.002 }],
      [{ id: 10, refs: [1, 3], tags: { highway: 'residential' } }],
    );
    const r = readOsm(pbfFile([block]), 'bad.osm.pbf');
    expect([...r.nodes.keys()]).toEqual([1, 3]);
    expect(r.ways.map((w) => w.id)).toEqual([10]);
    expect(r.malformed.counts).toEqual({ node: 1, way: 0, relation: 0, other: 0 });
    expect(malformedMessage(r.malformed)?.en).toBe('1 node skipped: element 2 (node 2: the position is out of lon/lat range or not finite)');
  });
});
