/**
 * The import's speed work changes no output: on every shipped sample (and a small synthetic grid written by the
 * bench's PBF writer) the decoded OSM data, the clipped data and every layer extractor's GeoJSON hash to the values
 * recorded with the code before that work (sha256 of their JSON). Update a hash only for an intended output change.
 */
import { describe, expect, it } from 'vitest';
import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { clipOsm, growBbox, type Bbox } from '../../src/core/osm/clip';
import { extractAdminAreas, extractFacilities, extractPois, extractRailways, extractRoads, extractWater } from '../../src/core/osm/extract';
import { readOsm } from '../../src/core/osm/read';
import type { OsmData } from '../../src/core/osm/types';
import { gridExtract, writePbf } from '../support/pbfWriter';

const root = resolve(__dirname, '../..');
const sha = (v: unknown) => createHash('sha256').update(JSON.stringify(v)).digest('hex').slice(0, 16);
const dataHash = (d: OsmData) => sha({ nodes: [...d.nodes.entries()], ways: d.ways, relations: d.relations });

/** Hashes of everything the worker's import makes from a file (the steps of buildFromExtract, src/worker/api.ts). */
function outputs(bytes: Uint8Array, name: string, clip: Bbox): Record<string, string> {
  const data = readOsm(bytes, name);
  const box = growBbox(clip, 2000);
  const osm = clipOsm(data, box);
  return {
    decoded: dataHash(data), clipped: dataHash(osm), malformed: sha(data.malformed),
    roads: sha(extractRoads(osm)), facilities: sha(extractFacilities(osm)), water: sha(extractWater(data, { seaBox: box, keepBox: box })),
    rail: sha(extractRailways(osm)), pois: sha(extractPois(osm)), admin10: sha(extractAdminAreas(osm, 10)),
  };
}

const SAMPLES: [string, string][] = [
  ['monaco', 'fallback_monaco_osrm-testdata_2016.osm.pbf'],
  ['andorra', 'andorra_graphhopper-testdata_2013.osm.pbf'],
  ['nanshan', 'shenzhen_nanshan_xili_overpass_2021-03-17.osm'],
  ['shanghai', 'shanghai_center_overpass_2025-08-09.osm'],
];

const RECORDED: Record<string, Record<string, string>> = {
  monaco: { decoded: '3472946a5817b173', clipped: '2dd108ab10f37f2c', malformed: 'f7c50d6b1753fa88', roads: 'd04128e8a6b03c00', facilities: '04904fe513a91431', water: 'cab58829f327337c', rail: 'b27bbfa32d2ed149', pois: '671e1a0d5356562f', admin10: '06ae39bbb948fa54' },
  andorra: { decoded: 'bc8fe1dcfe499d44', clipped: 'e2f336255f518761', malformed: 'f7c50d6b1753fa88', roads: '53166a83eb293fe1', facilities: 'ed778c73ea51338d', water: '694f93e531f5dd82', rail: 'ed778c73ea51338d', pois: '7ae339dc64887e80', admin10: 'ed778c73ea51338d' },
  nanshan: { decoded: '8a3d4badcbbaa41b', clipped: 'e16e8407607c4844', malformed: 'f7c50d6b1753fa88', roads: '8177e6f845902285', facilities: 'ed778c73ea51338d', water: '67154e493d442772', rail: 'ed778c73ea51338d', pois: '77385d1a4931736b', admin10: 'ed778c73ea51338d' },
  shanghai: { decoded: 'fd37b40c2cebb805', clipped: 'fd37b40c2cebb805', malformed: 'f7c50d6b1753fa88', roads: '78ee09bccbc2cbd8', facilities: 'ed778c73ea51338d', water: 'ed778c73ea51338d', rail: 'ed778c73ea51338d', pois: 'ed778c73ea51338d', admin10: 'ed778c73ea51338d' },
  grid: { decoded: 'd4ecf9c76c034060', clipped: 'd4ecf9c76c034060', malformed: 'f7c50d6b1753fa88', roads: 'c50a44964519515e', facilities: 'ed778c73ea51338d', water: 'ed778c73ea51338d', rail: 'ed778c73ea51338d', pois: 'ed778c73ea51338d', admin10: 'ed778c73ea51338d' },
};

describe('import outputs are unchanged', () => {
  for (const [place, file] of SAMPLES) {
    it(`${place}: decoded, clipped and every layer as recorded`, () => {
      const f = join(root, 'geodata/raw', file);
      expect(existsSync(f)).toBe(true);
      const bbox = JSON.parse(readFileSync(join(root, 'public/data', place, 'place.json'), 'utf8')).bbox as Bbox;
      const got = outputs(new Uint8Array(readFileSync(f)), file, bbox);
      if (process.env.RECORD_IMPORT_HASHES) console.log(JSON.stringify({ [place]: got }));
      expect(got).toEqual(RECORDED[place]);
    }, 60_000);
  }
  it('synthetic 40 × 40 grid PBF (SYNTHETIC, written by tests/support/pbfWriter.ts): as recorded', () => {
    const g = gridExtract(40);
    const got = outputs(writePbf({ nodes: g.nodes, ways: g.ways }), 'grid-40.osm.pbf', g.bbox);
    if (process.env.RECORD_IMPORT_HASHES) console.log(JSON.stringify({ grid: got }));
    expect(got).toEqual(RECORDED.grid);
  });
});
