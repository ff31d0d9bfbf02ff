// Bring-your-own-roads scenarios (issue 3): an OSM extract dropped on a plan place is built in the worker with a
// progress bar, kept in IndexedDB across reloads, and can be removed. The positive case uses a SYNTHETIC test grid
// (clearly named as such, never shipped as data); the mismatch case uses the real Andorra extract.
import { readFileSync } from 'node:fs';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { assert, open, selectPlace, waitIdle } from './helpers.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');

/** A 6×6 grid of residential test streets around a point (OSM XML). Synthetic: for the import mechanism only. */
function syntheticGrid([lon0, lat0]) {
  const n = 6, step = 0.002, nodes = [], ways = [];
  const id = (i, j) => 1 + i * n + j;
  for (let i = 0; i < n; i++) for (let j = 0; j < n; j++)
    nodes.push(`<node id="${id(i, j)}" lat="${(lat0 + (i - 2.5) * step).toFixed(7)}" lon="${(lon0 + (j - 2.5) * step).toFixed(7)}"/>`);
  let w = 1000;
  for (let i = 0; i < n; i++) {
    ways.push(`<way id="${w++}">${[...Array(n).keys()].map((j) => `<nd ref="${id(i, j)}"/>`).join('')}<tag k="highway" v="residential"/><tag k="name" v="测试横街 ${i}"/></way>`);
    ways.push(`<way id="${w++}">${[...Array(n).keys()].map((j) => `<nd ref="${id(j, i)}"/>`).join('')}<tag k="highway" v="residential"/><tag k="name" v="测试纵街 ${i}"/></way>`);
  }
  return `<?xml version="1.0" encoding="UTF-8"?>\n<osm version="0.6" generator="planner e2e synthetic test grid">\n${nodes.join('\n')}\n${ways.join('\n')}\n</osm>\n`;
}

const netinfo = (page) => page.textContent('[data-testid="netinfo"]');

export const tests = [
  {
    name: 'import: an OSM extract builds a network in the worker and survives a reload',
    async run({ page, base, shot }) {
      const plan = JSON.parse(readFileSync(join(root, 'public/data/qingxi/plan.geojson'), 'utf8'));
      const centre = plan.features[0].geometry.coordinates;
      await open(page, base);
      await selectPlace(page, 'qingxi');
      const before = await netinfo(page);
      await page.setInputFiles('input[type=file][data-testid="osm-import"]', {
        name: 'qingxi-test-grid.osm', mimeType: 'application/xml', buffer: Buffer.from(syntheticGrid(centre)),
      });
      await page.waitForFunction(() => {
        const s = window.__planner.store.getState();
        return s.network && s.network.placeId === 'qingxi' && s.network.status === 'ready' && s.network.source === 'imported';
      }, null, { timeout: 60_000 });
      const after = await netinfo(page);
      assert(after !== before && after.includes('qingxi-test-grid.osm'), `network line does not name the imported file: ${after}`);
      await waitIdle(page);
      await shot('05-import-qingxi');
      await page.reload();
      await page.waitForFunction(() => {
        const s = window.__planner && window.__planner.store.getState();
        return s && s.placeId === 'qingxi' && s.network && s.network.status === 'ready' && s.network.source === 'imported';
      }, null, { timeout: 60_000 });
      await page.click('[data-testid="import-clear"]');
      await page.waitForFunction(() => {
        const s = window.__planner.store.getState();
        return !(s.network && s.network.source === 'imported' && s.network.placeId === 'qingxi');
      }, null, { timeout: 20_000 });
    },
  },
  {
    name: 'import: an extract of somewhere else is refused and the place keeps its straight-line estimate',
    async run({ page, base }) {
      await open(page, base);
      await selectPlace(page, 'yangdong');
      const before = await netinfo(page);
      await page.setInputFiles('input[type=file][data-testid="osm-import"]', join(root, 'geodata/raw/andorra_graphhopper-testdata_2013.osm.pbf'));
      await page.waitForFunction(() => window.__planner.store.getState().importState.status === 'error', null, { timeout: 60_000 });
      const msg = await page.textContent('[data-testid="import-message"]');
      assert(msg.includes('andorra_graphhopper-testdata_2013.osm.pbf') && /没有道路/.test(msg), `refusal does not explain itself: ${msg}`);
      const state = await page.evaluate(() => window.__planner.store.getState().network);
      assert(!(state && state.source === 'imported'), 'a non-overlapping extract was installed as the network');
      assert((await netinfo(page)) === before, 'the network line changed after a refused import');
    },
  },
];
