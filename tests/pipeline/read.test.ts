import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { gzipSync } from 'node:zlib';
import { readOsm, sniffOsmFormat } from '../../src/core/osm/read';
import { bytes, expectFileError, tinyJson, tinyXml } from './tiny';

const raw = (f: string) => new Uint8Array(readFileSync(resolve(__dirname, '../../geodata/raw', f)));
const MONACO = 'fallback_monaco_osrm-testdata_2016.osm.pbf';
const NANSHAN = 'shenzhen_nanshan_xili_overpass_2021-03-17.osm';

describe('readOsm: real files (counts match osmium / grep of the raw files)', () => {
  it('reads the Monaco PBF completely', () => {
    const progress: number[] = [];
    const osm = readOsm(raw(MONACO), MONACO, (done, total) => progress.push(done / total));
    expect(osm.nodes.size).toBe(180118);
    expect(osm.ways.length).toBe(27377);
    expect(osm.relations.length).toBe(212);
    expect(osm.ways.filter((w) => w.tags.highway).length).toBe(2927);
    expect(progress[progress.length - 1]).toBe(1);
    const station = osm.nodes.get(1866465411);
    expect(station?.tags?.name).toBe('Caserne de Fontvieille');
    expect(station?.lon).toBeCloseTo(7.4, 1);
    expect(station?.lat).toBeCloseTo(43.73, 1);
  });

  it('reads the Nanshan OSM XML with its Chinese names', () => {
    const osm = readOsm(raw(NANSHAN), NANSHAN);
    expect(osm.nodes.size).toBe(18996);
    expect(osm.ways.length).toBe(2190);
    expect(osm.relations.length).toBe(47);
    expect(osm.ways.filter((w) => w.tags.highway).length).toBe(1253);
    expect(osm.ways.some((w) => /[\u4e00-\u9fff]/.test(w.tags.name ?? ''))).toBe(true);
  });

  it('reads PBF without the Node Buffer (as in a browser worker) and leaves no globals behind', () => {
    const g = globalThis as Record<string, unknown>;
    const saved = g.Buffer;
    delete g.Buffer;
    let stations: string[] = [];
    let leftover: string[] = [];
    try {
      const osm = readOsm(raw(MONACO), MONACO);
      stations = [...osm.nodes.values()].filter((n) => n.tags?.amenity === 'fire_station').map((n) => String(n.id));
      leftover = ['Buffer', 'pbf'].filter((k) => k in g);
    } finally {
      g.Buffer = saved;
    }
    expect(stations).toEqual(['1866465411', '1866523017', '3781320822']);
    expect(leftover).toEqual([]);
  });

  it('a cut-off PBF is rejected with a bilingual message naming the file', () => {
    const cut = raw(MONACO).slice(0, 40000);
    expectFileError(() => readOsm(cut, 'cut.osm.pbf'), 'cut.osm.pbf', /truncated \(block 2 is incomplete\)/);
  });

  it.each([300, 5000, 100000])('a PBF with damaged bytes at %i is rejected (no endless loop)', (at) => {
    const b = raw(MONACO);
    for (let i = 0; i < 64; i++) b[at + i] ^= 0x5a;
    expectFileError(() => readOsm(b, 'damaged.osm.pbf'), 'damaged.osm.pbf', /damaged PBF data: block \d+ (cannot be decompressed|fails its checksum)/);
  });
});

describe('readOsm: format sniffing and hand-made inputs', () => {
  it('XML and Overpass JSON of the same network give the same data', () => {
    const x = readOsm(bytes(tinyXml()), 'tiny.osm');
    const j = readOsm(bytes(tinyJson()), 'tiny.json');
    expect(sniffOsmFormat(bytes(tinyXml()))).toBe('xml');
    expect(sniffOsmFormat(bytes(tinyJson()))).toBe('json');
    expect([...x.nodes.values()]).toEqual([...j.nodes.values()]);
    expect(x.ways).toEqual(j.ways);
    expect(x.ways[0].tags.name).toBe('一路 & 二路'); // XML entity decoded
  });

  it('unpacks gzip-compressed OSM XML (.osm.gz) and rejects a damaged one', () => {
    const packed = new Uint8Array(gzipSync(bytes(tinyXml())));
    expect(readOsm(packed, 'tiny.osm.gz').ways.length).toBe(5);
    packed[packed.length - 6] ^= 0xff; // inside the CRC-32
    expectFileError(() => readOsm(packed, 'bad.osm.gz'), 'bad.osm.gz', /damaged gzip file/);
  });

  it('takes node positions from Overpass "out geom" ways when the nodes are not listed', () => {
    const doc = JSON.parse(tinyJson()) as { elements: { type: string; id: number; lat?: number; lon?: number; nodes?: number[]; geometry?: unknown }[] };
    const pos = new Map(doc.elements.filter((e) => e.type === 'node').map((e) => [e.id, { lat: e.lat, lon: e.lon }]));
    const ways = doc.elements.filter((e) => e.type === 'way').map((w) => ({ ...w, geometry: w.nodes!.map((n) => pos.get(n)) }));
    const osm = readOsm(bytes(JSON.stringify({ elements: ways })), 'geom.json');
    expect(osm.nodes.size).toBe(9);
    expect(osm.nodes.get(9)).toEqual({ id: 9, lon: 0.003, lat: 0 });
  });

  it('skips deleted elements (JOSM action="delete")', () => {
    const xml = tinyXml().replace('<node id="9" ', '<node id="9" action="delete" ');
    expect(readOsm(bytes(xml), 'josm.osm').nodes.has(9)).toBe(false);
  });

  it.each([
    ['empty.osm', new Uint8Array(0), /empty/],
    ['x.osm.gz', new Uint8Array([0x1f, 0x8b, 8, 0, 0, 0]), /damaged gzip file/],
    ['notes.txt', bytes('hello world'), /not OSM PBF, OSM XML or Overpass JSON/],
    ['track.gpx', bytes('<?xml version="1.0"?><gpx version="1.1"></gpx>'), /GPX file, not OSM XML/],
    ['cut.osm', bytes(tinyXml().slice(0, 400)), /truncated/],
    ['broken.json', bytes('{"elements": [1, 2'), /invalid JSON/],
    ['area.geojson', bytes('{"type":"FeatureCollection","features":[]}'), /GeoJSON, not Overpass JSON/],
    ['nothing.json', bytes('{"elements": []}'), /no OSM elements/],
  ])('rejects %s with a clear bilingual message', (name, data, en) => {
    expectFileError(() => readOsm(data, name), name, en);
  });
});
