// Extracts of city size (issue 11 item 4) in the browser: a larger SYNTHETIC street grid (clearly named as such, a
// test fixture, never shipped as data) imported on a plan place goes through the worker's phases in order (parse →
// clip → build → layers), the importer shows them, and the network is built.
import { readFileSync } from 'node:fs';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { assert, open, selectPlace } from './helpers.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');

/** side × side residential test streets 25 m apart centred on a point (OSM XML). Synthetic. */
function syntheticGrid([lon0, lat0], side) {
  const dLat = 25 / 111320, dLon = 25 / (111320 * Math.cos((lat0 * Math.PI) / 180));
  const out = ['<?xml version="1.0" encoding="UTF-8"?>\n<osm version="0.6" generator="planner e2e synthetic test grid">'];
  const id = (i, j) => 1 + i * side + j;
  for (let i = 0; i < side; i++) for (let j = 0; j < side; j++)
    out.push(`<node id="${id(i, j)}" lat="${(lat0 + (i - side / 2) * dLat).toFixed(7)}" lon="${(lon0 + (j - side / 2) * dLon).toFixed(7)}"/>`);
  let w = 1;
  for (let i = 0; i < side; i++) {
    const row = [], col = [];
    for (let j = 0; j < side; j++) { row.push(`<nd ref="${id(i, j)}"/>`); col.push(`<nd ref="${id(j, i)}"/>`); }
    out.push(`<way id="${w++}">${row.join('')}<tag k="highway" v="residential"/></way>`, `<way id="${w++}">${col.join('')}<tag k="highway" v="residential"/></way>`);
  }
  out.push('</osm>\n');
  return out.join('\n');
}

export const tests = [
  {
    name: 'import-scale: a 40,000-node synthetic grid is imported phase by phase with the phase shown',
    async run({ page, base, shot }) {
      const plan = JSON.parse(readFileSync(join(root, 'public/data/qingxi/plan.geojson'), 'utf8'));
      await open(page, base);
      await selectPlace(page, 'qingxi');
      // Every phase the store sees, and the importer's progress text at each change.
      await page.evaluate(() => {
        window.__phases = [];
        window.__planner.store.subscribe((s) => {
          const p = s.importState && s.importState.progress;
          if (p && window.__phases[window.__phases.length - 1]?.phase !== p.phase) {
            const el = document.querySelector('[data-testid="import-progress"] span');
            window.__phases.push({ phase: p.phase, text: el ? el.textContent : '' });
          }
        });
      });
      await page.setInputFiles('input[type=file][data-testid="osm-import"]', {
        name: 'qingxi-synthetic-grid-200.osm', mimeType: 'application/xml', buffer: Buffer.from(syntheticGrid(plan.features[0].geometry.coordinates, 200)),
      });
      await page.waitForFunction(() => {
        const s = window.__planner.store.getState();
        return s.network && s.network.placeId === 'qingxi' && s.network.status === 'ready' && s.network.source === 'imported';
      }, null, { timeout: 120_000 });
      const phases = await page.evaluate(() => window.__phases);
      const order = phases.map((p) => p.phase);
      for (const want of ['parse', 'clip', 'build', 'layers', 'store'])
        assert(order.includes(want), `phase ${want} not reported: ${order.join(' → ')}`);
      assert(order.indexOf('clip') < order.indexOf('build') && order.indexOf('build') < order.indexOf('layers'), `phases out of order: ${order.join(' → ')}`);
      const nodes = await page.evaluate(() => window.__planner.store.getState().network.info.nodeCount);
      assert(nodes === 40_000, `graph nodes ${nodes}, expected 40000`);
      await shot('import-scale-grid');
      await page.click('[data-testid="import-clear"]');
    },
  },
];
