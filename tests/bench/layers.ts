/**
 * Bench section "layers": the GeoJSON extractors of the import's layers phase (src/worker/api.ts buildFromExtract:
 * roads, facilities, water, rail) one by one, on the SYNTHETIC 1 M-node grid PBF of the import section (written here
 * to a temp dir, decoded and clipped once as the worker does) and on the shipped Andorra PBF. CPU ms of each
 * extractor's first call (cold code, in the import's order, as in an import) and the fastest of three more calls;
 * the heap held by one call's result. No target of its own: the import section's ≥ 1 M OSM nodes/s
 * covers the whole path.
 */
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { clipOsm, growBbox, type Bbox } from '../../src/core/osm/clip';
import { extractFacilities, extractRailways, extractRoads, extractWater } from '../../src/core/osm/extract';
import { readOsm } from '../../src/core/osm/read';
import { gridExtract, writePbf } from '../support/pbfWriter';
import type { BenchSection } from './sections';

const root = join(import.meta.dirname, '../..');
const MiB = 1024 * 1024;
const cpuMs = () => { const u = process.cpuUsage(); return (u.user + u.system) / 1000; };

function gcNow(): void {
  setFlagsFromString('--expose-gc');
  (runInNewContext('gc') as () => void)();
}

interface Row { label: string; extractor: string; features: number; firstMs: number; warmMs: number; heapMiB: number }

function measure(label: string, bytes: Uint8Array, name: string, place: Bbox): Row[] {
  const box = growBbox(place, 2000);
  const data = readOsm(bytes, name, undefined, { clip: box, maxNodes: 50_000_000 });
  const osm = clipOsm(data, box);
  const steps: [string, () => { features: unknown[] }][] = [
    ['roads', () => extractRoads(osm)],
    ['facilities', () => extractFacilities(osm)],
    ['water', () => extractWater(data, { seaBox: box, keepBox: box })],
    ['rail', () => extractRailways(osm)],
  ];
  // first calls in the import's order, one after the other (no collection forced between them: a forced full GC
  // leaves sweeping that the next call would pay for)
  gcNow();
  const first = steps.map(([extractor, run]) => {
    const t = cpuMs();
    const features = run().features.length;
    return { extractor, features, firstMs: cpuMs() - t };
  });
  return first.map(({ extractor, features, firstMs }, i) => {
    const run = steps[i][1];
    let warmMs = Infinity;
    for (let k = 0; k < 3; k++) {
      const t = cpuMs();
      run();
      warmMs = Math.min(warmMs, cpuMs() - t);
    }
    gcNow();
    const h0 = process.memoryUsage().heapUsed;
    const held = run();
    gcNow();
    const heapMiB = (process.memoryUsage().heapUsed - h0) / MiB;
    return { label, extractor, features: held.features.length === features ? features : NaN, firstMs, warmMs, heapMiB };
  });
}

async function run(): Promise<string> {
  const rows: Row[] = [];
  const dir = mkdtempSync(join(tmpdir(), 'layers-bench-'));
  try {
    const g = gridExtract(1000);
    const file = join(dir, 'grid-1000.osm.pbf');
    writeFileSync(file, writePbf({ nodes: g.nodes, ways: g.ways }));
    rows.push(...measure('synthetic grid 1000 k PBF', new Uint8Array(readFileSync(file)), file, g.bbox));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  const andorra = join(root, 'geodata/raw/andorra_graphhopper-testdata_2013.osm.pbf');
  const place = join(root, 'public/data/andorra/place.json');
  if (existsSync(andorra) && existsSync(place))
    rows.push(...measure('Andorra PBF', new Uint8Array(readFileSync(andorra)), andorra, JSON.parse(readFileSync(place, 'utf8')).bbox as Bbox));
  const f = (n: number) => (n < 100 ? n.toFixed(1) : n.toFixed(0));
  return [
    '## Layers of the import, extractor by extractor',
    '',
    'The extractors of the import\'s layers phase (buildFromExtract in src/worker/api.ts) one at a time on data decoded and clipped as the worker does it (the place grown by 2 km; water from the extract before clipping). CPU ms of the first calls (cold code, one after the other in the import\'s order, as in an import) and the fastest of three more; the heap held by one call\'s result (full GC before and after). Rows marked *synthetic*: the import section\'s generated street grid, never shown in the app as a place.',
    '',
    '| extract | extractor | features | first call CPU ms | warm CPU ms (best of 3) | result heap MiB |',
    '|---|---|---:|---:|---:|---:|',
    ...rows.map((r) => `| ${r.label.startsWith('synthetic') ? `*${r.label}*` : r.label} | ${r.extractor} | ${r.features.toLocaleString('en-US')} | ${f(r.firstMs)} | ${f(r.warmMs)} | ${r.heapMiB.toFixed(1)} |`),
  ].join('\n');
}

const section: BenchSection = { name: 'layers', run };
export default section;
