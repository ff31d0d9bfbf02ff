import { afterAll, describe, expect, it } from 'vitest';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative, resolve } from 'node:path';
import { runBuild } from '../../geodata/build';
import { decodeGraph, restrictionCount } from '../../src/core/graph';
import type { PlaceMeta } from '../../src/core/types';
import { expectFileError } from './tiny';

const root = resolve(__dirname, '../..');
const rawDir = join(root, 'geodata/raw');
const published = join(root, 'public/data');
const work = mkdtempSync(join(tmpdir(), 'geodata-test-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

/** Every file below a folder with its bytes, keyed by relative path. */
function snapshot(dir: string): Map<string, Buffer> {
  const out = new Map<string, Buffer>();
  const walk = (d: string) => {
    for (const f of readdirSync(d)) {
      const p = join(d, f);
      if (statSync(p).isDirectory()) walk(p);
      else out.set(relative(dir, p), readFileSync(p));
    }
  };
  if (existsSync(dir)) walk(dir);
  return out;
}

/** A raw folder copy (without CHECKSUMS) in which one file can be replaced. */
function rawCopy(name: string, replace?: Record<string, string | null>): string {
  const dir = join(work, name);
  mkdirSync(dir, { recursive: true });
  for (const f of readdirSync(rawDir)) if (f !== 'CHECKSUMS.sha256') cpSync(join(rawDir, f), join(dir, f));
  for (const [f, text] of Object.entries(replace ?? {})) {
    if (text === null) rmSync(join(dir, f));
    else writeFileSync(join(dir, f), text);
  }
  return dir;
}

/** An output folder holding a previous build, to check that a failing build leaves it alone. */
function previousOutput(name: string): string {
  const dir = join(work, name, 'data');
  mkdirSync(dir, { recursive: true });
  cpSync(published, dir, { recursive: true });
  return dir;
}

describe('geodata build', () => {
  it('rebuilding from geodata/raw reproduces public/data byte for byte', () => {
    const out = join(work, 'rebuild', 'data');
    runBuild({ outDir: out });
    const want = snapshot(published);
    const got = snapshot(out);
    expect([...got.keys()].sort()).toEqual([...want.keys()].sort());
    const differing = [...want].filter(([k, v]) => !got.get(k)?.equals(v)).map(([k]) => k);
    expect(differing).toEqual([]);
  });

  it('published places: sizes, graphs and labelled example sites', () => {
    const places = JSON.parse(readFileSync(join(published, 'places.json'), 'utf8')) as PlaceMeta[];
    expect(places.map((p) => p.id)).toEqual(['yangdong', 'qingxi', 'nanshan', 'shanghai', 'monaco', 'andorra']);
    for (const p of places) {
      const dir = join(published, p.id);
      const bytes = [...snapshot(dir).values()].reduce((s, b) => s + b.length, 0);
      expect(bytes).toBeLessThan(5 * 1024 * 1024);
      for (const f of Object.values(p.files)) expect(existsSync(join(dir, f as string))).toBe(true);
      expect(p.hasNetwork).toBe(p.group === 'sample');
      if (p.hasNetwork) {
        const g = decodeGraph(new Uint8Array(readFileSync(join(dir, 'graph.bin'))).buffer);
        expect(g.nodeCount).toBe(p.stats?.graphNodes);
        expect(g.formatVersion).toBe(2);
        expect(restrictionCount(g)).toBe(p.stats?.turnRestrictionSequences);
        expect(p.stats?.turnRestrictionsRead).toBe((p.stats?.turnRestrictionsUsed ?? NaN) + (p.stats?.turnRestrictionsSkipped ?? NaN));
        expect(p.attribution.join(' ')).toContain('OpenStreetMap');
      }
      const plan = p.files.plan ? JSON.parse(readFileSync(join(dir, p.files.plan), 'utf8')) : null;
      const examples = plan ? plan.features.filter((f: { properties: { id: string } }) => f.properties.id.startsWith('example-')) : [];
      const expected = { shanghai: 20, nanshan: 4, andorra: 5 }[p.id] ?? 0;
      expect(examples.length).toBe(expected);
      for (const e of examples) expect(e.properties).toMatchObject({ example: true, position: 'approximate', status: 'proposed', nameEn: expect.stringMatching(/^Example site \d+$/) });
      // plan places: the plans give no coordinates, so every plan point must be marked approximate
      if (p.group === 'plan' && plan) for (const f of plan.features) expect(f.properties.position).toBe('approximate');
    }
    const yangdong = places[0];
    expect(yangdong.notes.join(' ')).toMatch(/GCJ-02.*WGS84/);
    expect(yangdong.stats?.areaKm2).toBeGreaterThan(1650); // about 1,700 km²
    expect(yangdong.stats?.areaKm2).toBeLessThan(1800);
    const monaco = JSON.parse(readFileSync(join(published, 'monaco/facilities.geojson'), 'utf8'));
    expect(monaco.features.filter((f: { properties: { kind: string } }) => f.properties.kind === 'station').length).toBe(3);
    expect(JSON.parse(readFileSync(join(published, 'monaco/districts.geojson'), 'utf8')).features.length).toBe(9);
    // Monaco's extract has 27 turn restrictions (osmium tags-filter r/type=restriction); all are used.
    expect(places.find((p) => p.id === 'monaco')?.stats).toMatchObject({ turnRestrictionsRead: 27, turnRestrictionsUsed: 27, turnRestrictionsSkipped: 0, turnRestrictionSequences: 55 });
  });

  it.each([
    ['missing file', { 'dongguan_towns_poi86_wgs84.geojson': null }, 'dongguan_towns_poi86_wgs84.geojson', /missing raw input file.*--copy-raw/],
    ['broken JSON', { 'dongguan_towns_poi86_wgs84.geojson': '{"type":"FeatureCollection","features":[' }, 'dongguan_towns_poi86_wgs84.geojson', /not valid JSON/],
    ['projected CRS', { 'dongguan_towns_poi86_wgs84.geojson': JSON.stringify({ type: 'FeatureCollection', features: [{ type: 'Feature', properties: { name: '清溪镇' }, geometry: { type: 'Polygon', coordinates: [[[12709000, 2613000], [12710000, 2613000], [12710000, 2614000], [12709000, 2613000]]] } }] }) }, 'dongguan_towns_poi86_wgs84.geojson', /looks projected/],
    ['unknown CRS', { 'yangjiang_districts_datav_gcj02.json': JSON.stringify({ type: 'FeatureCollection', crs: { type: 'name', properties: { name: 'EPSG:2383' } }, features: [] }) }, 'yangjiang_districts_datav_gcj02.json', /unknown or non-WGS84 CRS EPSG:2383/],
    ['damaged PBF', { 'andorra_graphhopper-testdata_2013.osm.pbf': 'not a pbf' }, 'andorra_graphhopper-testdata_2013.osm.pbf', /not OSM PBF/],
  ])('bad input (%s) stops the build with a clear message and writes nothing', (name, replace, file, en) => {
    const raw = rawCopy(`raw-${name.replace(/ /g, '-')}`, replace);
    const out = previousOutput(`out-${name.replace(/ /g, '-')}`);
    const before = snapshot(out);
    expectFileError(() => runBuild({ rawDir: raw, outDir: out }), file, en);
    const after = snapshot(out);
    expect([...after.keys()]).toEqual([...before.keys()]);
    expect([...after].every(([k, v]) => before.get(k)?.equals(v))).toBe(true);
    expect(readdirSync(join(out, '..'))).toEqual(['data']); // no staging folder left behind
  });

  it('a changed raw file is caught by CHECKSUMS.sha256', () => {
    const raw = rawCopy('raw-checksum');
    cpSync(join(rawDir, 'CHECKSUMS.sha256'), join(raw, 'CHECKSUMS.sha256'));
    const f = 'yangjiang_districts_datav_gcj02.json';
    writeFileSync(join(raw, f), readFileSync(join(raw, f), 'utf8').replace('阳东区', '阳东'));
    expectFileError(() => runBuild({ rawDir: raw, outDir: join(work, 'out-checksum', 'data') }), f, /does not match CHECKSUMS\.sha256/);
    expect(existsSync(join(work, 'out-checksum'))).toBe(false);
  });

  it('--place qingxi --osm adds a road network clipped to the town and leaves other places alone', () => {
    const out = previousOutput('out-osm');
    const before = snapshot(out);
    // Hand-made test extract: one road inside 清溪镇 and one far away (clipped off). Not real data.
    const osmFile = join(work, 'qingxi-test.osm');
    writeFileSync(osmFile, `<?xml version="1.0"?><osm version="0.6">
      <node id="1" lat="22.8400" lon="114.1600"/><node id="2" lat="22.8420" lon="114.1640"/><node id="3" lat="22.8450" lon="114.1650"/>
      <node id="4" lat="23.5000" lon="114.9000"/><node id="5" lat="23.5010" lon="114.9010"/>
      <node id="6" lat="22.8410" lon="114.1610"><tag k="amenity" v="fire_station"/><tag k="name" v="测试消防站"/></node>
      <way id="10"><nd ref="1"/><nd ref="2"/><nd ref="3"/><tag k="highway" v="secondary"/><tag k="name" v="测试路"/></way>
      <way id="11"><nd ref="4"/><nd ref="5"/><tag k="highway" v="primary"/></way>
    </osm>`);
    const metas = runBuild({ outDir: out, place: 'qingxi', osm: osmFile });
    const q = metas.find((m) => m.id === 'qingxi')!;
    expect(q.hasNetwork).toBe(true);
    expect(q.files.graph).toBe('graph.bin');
    expect(q.stats).toMatchObject({ graphNodes: 3, graphEdges: 4, stations: 1 });
    expect(q.notes.join(' ')).toContain('qingxi-test.osm');
    const roads = JSON.parse(readFileSync(join(out, 'qingxi/roads.geojson'), 'utf8'));
    expect(roads.features.map((f: { properties: { name: string } }) => f.properties.name)).toEqual(['测试路']);
    const after = snapshot(out);
    for (const [k, v] of before) if (!k.startsWith('qingxi') && k !== 'places.json') expect(after.get(k)?.equals(v)).toBe(true);
    const places = JSON.parse(readFileSync(join(out, 'places.json'), 'utf8')) as PlaceMeta[];
    expect(places.map((p) => [p.id, p.hasNetwork])).toEqual([['yangdong', false], ['qingxi', true], ['nanshan', true], ['shanghai', true], ['monaco', true], ['andorra', true]]);
  });
});
