/**
 * The import's speed work changes no result: the graph rebuilt from each shipped extract is byte-identical to the
 * shipped graph.bin, clipping keeps exactly what a brute-force filter keeps, and the PBF writer of the bench writes
 * files that read back (and that osmium reads, where installed) with the same content.
 */
import { describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { buildGraph } from '../../src/core/buildGraph';
import { clipOsm } from '../../src/core/osm/clip';
import { readOsm } from '../../src/core/osm/read';
import { readOsmLimited } from '../../geodata/lib/limits';
import { gridExtract, writeOsmXml, writePbf } from '../support/pbfWriter';

const root = resolve(__dirname, '../..');
const raw = (f: string) => new Uint8Array(readFileSync(join(root, 'geodata/raw', f)));
const SAMPLES: [string, string][] = [
  ['monaco', 'fallback_monaco_osrm-testdata_2016.osm.pbf'],
  ['andorra', 'andorra_graphhopper-testdata_2013.osm.pbf'],
  ['nanshan', 'shenzhen_nanshan_xili_overpass_2021-03-17.osm'],
  ['shanghai', 'shanghai_center_overpass_2025-08-09.osm'],
];

describe('the graph of every shipped sample is unchanged', () => {
  for (const [place, file] of SAMPLES) {
    it(`${place}: buildGraph(readOsm(${file})) is byte-identical to public/data/${place}/graph.bin`, () => {
      const shipped = readFileSync(join(root, 'public/data', place, 'graph.bin'));
      const built = new Uint8Array(buildGraph(readOsm(raw(file), file)).graph.buffer);
      expect(built.length).toBe(shipped.length);
      expect(Buffer.from(built).equals(shipped)).toBe(true);
    }, 60_000);
  }
});

describe('clipOsm keeps what a brute-force filter keeps', () => {
  it('Monaco cut to its western half', () => {
    const osm = readOsm(raw(SAMPLES[0][1]), 'monaco');
    const box: [number, number, number, number] = [7.40, 43.72, 7.42, 43.75];
    const clipped = clipOsm(osm, box);
    const inside = [...osm.nodes.values()].filter((n) => n.lon >= box[0] && n.lon <= box[2] && n.lat >= box[1] && n.lat <= box[3]);
    expect([...clipped.nodes.keys()]).toEqual(inside.map((n) => n.id));
    expect(clipped.nodes.size).toBeGreaterThan(1000);
    expect(clipped.nodes.size).toBeLessThan(osm.nodes.size);
    const ids = new Set(inside.map((n) => n.id));
    const ways = osm.ways.filter((w) => w.nodes.some((r) => ids.has(r)));
    expect(clipped.ways).toEqual(ways);
    const wayIds = new Set(ways.map((w) => w.id));
    expect(clipped.relations).toEqual(osm.relations.filter((r) => r.members.some((m) => (m.type === 'node' ? ids.has(m.ref) : m.type === 'way' && wayIds.has(m.ref)))));
  });

  it('a box holding everything keeps everything', () => {
    const osm = readOsm(raw(SAMPLES[1][1]), 'andorra');
    const all = clipOsm(osm, [-180, -90, 180, 90]);
    expect(all.nodes.size).toBe(osm.nodes.size);
    expect(all.ways).toEqual(osm.ways.filter((w) => w.nodes.some((r) => osm.nodes.has(r))));
  });
});

describe('the bench PBF writer (synthetic data)', () => {
  const rel = { id: 7, tags: { type: 'restriction', restriction: 'no_left_turn' }, members: [{ type: 'way' as const, ref: 1, role: 'from' }, { type: 'node' as const, ref: 11, role: 'via' }, { type: 'way' as const, ref: 61, role: 'to' }] };
  const data = () => { const g = gridExtract(30, { spacingM: 100 }); return { nodes: [...g.nodes], ways: [...g.ways], relations: [rel] }; };

  it('PBF and XML read back to the same elements', () => {
    const d = data();
    d.nodes[5].tags = { amenity: 'fire_station', name: '测试站 & <1>' };
    const fromPbf = readOsm(writePbf(d, { perBlock: 100 }), 'grid.osm.pbf');
    const fromXml = readOsm(new TextEncoder().encode(writeOsmXml(d)), 'grid.osm');
    for (const osm of [fromPbf, fromXml]) {
      expect(osm.nodes.size).toBe(900);
      expect(osm.ways.length).toBe(d.ways.length);
      expect(osm.ways[0]).toEqual(d.ways[0]);
      expect(osm.relations).toEqual([rel]);
      expect(osm.nodes.get(6)?.tags).toEqual({ amenity: 'fire_station', name: '测试站 & <1>' });
      expect(osm.nodes.get(900)!.lon).toBeCloseTo(d.nodes[899].lon, 7);
      expect(osm.nodes.get(900)!.lat).toBeCloseTo(d.nodes[899].lat, 7);
    }
  });

  it('osmium reads the PBF with the same counts (skipped when osmium is not installed)', () => {
    const probe = spawnSync('osmium', ['--version']);
    if (probe.status !== 0) return;
    const dir = mkdtempSync(join(tmpdir(), 'pbfw-'));
    try {
      const d = data();
      writeFileSync(join(dir, 'g.osm.pbf'), writePbf(d, { perBlock: 100 }));
      const r = spawnSync('osmium', ['fileinfo', '-e', '-g', 'data.count.nodes', join(dir, 'g.osm.pbf')], { encoding: 'utf8' });
      expect(r.stdout.trim()).toBe('900');
      const w = spawnSync('osmium', ['fileinfo', '-e', '-g', 'data.count.ways', join(dir, 'g.osm.pbf')], { encoding: 'utf8' });
      expect(Number(w.stdout.trim())).toBe(d.ways.length);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('an extract too big for the limit fails fast (synthetic grid files)', () => {
  const g = gridExtract(316); // 99,856 nodes, ~1.09 MB once decompressed
  const pbf = writePbf({ nodes: g.nodes, ways: g.ways });
  const caught = (f: () => unknown) => { try { f(); } catch (e) { return e as { code: string; zh: string; en: string; detail?: string }; } throw new Error('no error'); };

  it('PBF: refused from the declared block sizes before any block is inflated, with the estimated node count', () => {
    let blocks = 0;
    const e = caught(() => readOsm(pbf, 'grid.osm.pbf', undefined, { maxNodes: 20_000, onBlock: (done) => { blocks = Math.max(blocks, done); } }));
    expect(e.code).toBe('too-many-nodes');
    expect(blocks).toBe(0);
    const about = Number(/it holds about ([\d,]+)/.exec(e.en)![1].replace(/,/g, ''));
    expect(about).toBeGreaterThan(20_000); // a low estimate: never above the true count
    expect(about).toBeLessThanOrEqual(99_856);
    expect(e.zh).toContain(`约含 ${about.toLocaleString('en-US')} 个节点，超过 20,000 个节点的上限`);
  });

  it('PBF under the estimate but over the limit: stops at the node past the limit, before the last block', () => {
    let blocks = 0, total = 0;
    const e = caught(() => readOsm(pbf, 'grid.osm.pbf', undefined, { maxNodes: 50_000, onBlock: (d, t) => { blocks = d; total = t; } }));
    expect(e.code).toBe('too-many-nodes');
    expect(e.en).toContain('has more than 50,000 nodes');
    expect(blocks).toBeGreaterThan(0);
    expect(blocks).toBeLessThan(total);
  });

  it('XML: the exact node count is in the message (counted before parsing)', () => {
    const small = gridExtract(30);
    const xml = new TextEncoder().encode(writeOsmXml({ nodes: small.nodes, ways: small.ways }));
    const e = caught(() => readOsm(xml, 'grid.osm', undefined, { maxNodes: 500 }));
    expect(e.zh).toContain('约含 900 个节点，超过 500 个节点的上限');
    expect(e.en).toContain('has more than 500 nodes, the most this program can take (it holds about 900)');
  });

  it('the pipeline refuses the same way, naming its heap limit', () => {
    const e = caught(() => readOsmLimited(pbf, 'grid.osm.pbf', 20_000));
    expect(e.code).toBe('too-many-nodes');
    expect(e.en).toContain('it holds about');
    expect(e.en).toContain('--max-old-space-size');
  });
});
