// Hydrant inventory import (issue #13) on 深圳南山: a TEST CSV (named and labelled as such, not an inventory) made in
// the test from real road points of the place's roads.geojson, shifted into GCJ-02 with gcoord; the CRS step must
// propose GCJ-02 with its numbers; accept → the points are on the hydrant layer and the count is shown; a broken file
// → its message, the inventory kept. Screenshots in zh and en.
import { readFileSync } from 'node:fs';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import gcoord from 'gcoord';
import { assert, open, selectPlace, waitIdle } from './helpers.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');

/** 60 road vertices spread over 南山's roads, 4 m off, written as GCJ-02 with two bad rows (row 62: no x, 63: far away). */
function testCsv() {
  const roads = JSON.parse(readFileSync(join(root, 'public/data/nanshan/roads.geojson'), 'utf8')).features;
  const lines = ['编号,名称,类型,经度,纬度,状态,备注'];
  for (let i = 0; i < 60; i++) {
    const f = roads[Math.floor((i * roads.length) / 60)];
    const c = f.geometry.type === 'LineString' ? f.geometry.coordinates[0] : f.geometry.coordinates[0][0];
    const [x, y] = gcoord.transform([c[0] + 0.00003, c[1] + 0.00002], gcoord.WGS84, gcoord.GCJ02);
    lines.push(`T${i + 1},测试点${i + 1},${i % 12 === 0 ? '取水点' : '地下式'},${x.toFixed(7)},${y.toFixed(7)},正常,浏览器测试文件 e2e test file`);
  }
  lines.push('T61,缺坐标,地下式,,22.53,正常,测试', 'T62,北京,地下式,116.4,39.9,正常,测试');
  return Buffer.from(`${lines.join('\n')}\n`);
}

const inventoryCount = (page) => page.evaluate(() => window.__planner.store.getState().hydrantInventory?.hydrants.length ?? null);

export const tests = [
  {
    name: 'hydrant import: a GCJ-02 test CSV on 南山, suggested CRS, accepted, on the map; a broken file keeps it',
    async run({ page, base, shot }) {
      await open(page, base);
      await selectPlace(page, 'nanshan');
      await page.waitForFunction(() => window.__planner.store.getState().network?.status === 'ready', null, { timeout: 60_000 });
      const counts = await page.textContent('[data-testid="hydrant-counts"]');
      assert(/不是完整清单/.test(counts), `the data count must not pretend a full inventory: ${counts}`);

      await page.click('[data-testid="hydrant-open"]');
      await page.setInputFiles('input[type=file][data-testid="hydrant-file"]', { name: 'e2e-test-hydrants-gcj02.csv', mimeType: 'text/csv', buffer: testCsv() });
      await page.waitForSelector('[data-testid="hydrant-mapping"]');
      assert((await page.inputValue('[data-testid="hydrant-map-lon"]')) === '3', 'longitude column guessed');
      await page.click('[data-testid="hydrant-read"]');
      await page.waitForSelector('[data-testid="hydrant-suggestion"]', { timeout: 60_000 });
      const sug = await page.textContent('[data-testid="hydrant-suggestion"]');
      assert(/按 GCJ-02 解读时中位偏离道路 \d+ m，按 .+ 为 \d+ m/.test(sug), `suggestion names GCJ-02 with its numbers: ${sug}`);
      assert(await page.isChecked('[data-testid="hydrant-crs-gcj02"]'), 'GCJ-02 preselected');
      await page.locator('[data-testid="hydrant-import"]').scrollIntoViewIfNeeded();
      await shot('hydrant-import-crs-zh');

      await page.click('[data-testid="hydrant-next"]');
      const line = await page.textContent('[data-testid="hydrant-result-line"]');
      assert(line.includes('导入 60 条，拒绝 2 条'), `result line: ${line}`);
      const rejects = await page.textContent('[data-testid="hydrant-rejects"]');
      assert(rejects.includes('62') && rejects.includes('缺少坐标') && rejects.includes('63') && rejects.includes('范围外'), `rejected rows listed: ${rejects}`);
      const [download] = await Promise.all([page.waitForEvent('download'), page.click('[data-testid="hydrant-download"]')]);
      assert(download.suggestedFilename() === 'e2e-test-hydrants-gcj02-errors.csv', download.suggestedFilename());
      await page.click('[data-testid="hydrant-accept"]');
      await page.waitForFunction(() => window.__planner.store.getState().hydrantInventory?.hydrants.length === 60);
      const inv = await page.textContent('[data-testid="hydrant-inventory"]');
      assert(inv.includes('60 条'), `inventory line: ${inv}`);
      await waitIdle(page);
      const drawn = await page.evaluate(() => window.__planner.map.querySourceFeatures('facilities').filter((f) => f.properties.inventory).length);
      assert(drawn >= 60, `inventory hydrants in the map source: ${drawn}`);
      await shot('hydrant-import-done-zh');

      // A broken file: its message, the inventory untouched.
      await page.click('[data-testid="hydrant-open"]');
      await page.setInputFiles('input[type=file][data-testid="hydrant-file"]', { name: 'broken.kml', mimeType: 'application/xml', buffer: Buffer.from('<kml><Placemark>') });
      await page.waitForSelector('[data-testid="hydrant-error"]');
      const err = await page.textContent('[data-testid="hydrant-error"]');
      assert(err.includes('broken.kml') && err.includes('KML'), `error message: ${err}`);
      assert((await inventoryCount(page)) === 60, 'the inventory is kept after a broken file');

      await page.click('[data-testid="lang-toggle"]');
      await page.waitForFunction(() => document.documentElement.lang === 'en');
      const errEn = await page.textContent('[data-testid="hydrant-error"]');
      assert(/is not valid KML/.test(errEn), `English error: ${errEn}`);
      await page.locator('[data-testid="hydrant-import"]').scrollIntoViewIfNeeded();
      await shot('hydrant-import-error-en');
    },
  },
];
