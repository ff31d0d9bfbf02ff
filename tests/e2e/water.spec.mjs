// Issue 11 (water and coast, data card): Monaco's data card lists its layers; a proposed station dropped in Port
// Hercule is refused with a message naming the harbour and nothing is added; 上海 (roads only) says water data missing.
import { assert, open, selectPlace, waitIdle } from './helpers.mjs';

const HARBOUR = [7.425, 43.735];

async function pixelOf(page, lonLat) {
  const box = await page.locator('.maplibregl-canvas').boundingBox();
  const p = await page.evaluate((ll) => window.__planner.map.project(ll), lonLat);
  return { x: box.x + p.x, y: box.y + p.y };
}

const proposedCount = (page) => page.evaluate(() => {
  const h = window.__planner.store.getState().scenario;
  return h ? h.present.stations.filter((x) => x.status === 'proposed').length : -1;
});

const layerRow = (page, layer) => page.locator(`[data-testid="data-card"] tr[data-layer="${layer}"]`);

export const tests = [
  {
    name: 'water: Monaco data card shows its layers; a station in Port Hercule is refused (zh, en)',
    async run({ page, base, shot }) {
      await open(page, base);
      await selectPlace(page, 'monaco');
      await page.waitForSelector('[data-testid="data-card"] tr[data-layer="water"]');
      for (const l of ['roads', 'water', 'rail', 'stations']) {
        const missing = await layerRow(page, l).getAttribute('data-missing');
        assert(missing === 'false', `Monaco ${l} should not be missing, got ${missing}`);
      }
      const water = await layerRow(page, 'water').innerText();
      assert(/海域：有/.test(water), `water row should say the sea is there: ${water}`);
      const stations = await layerRow(page, 'stations').innerText();
      assert(/现状 3/.test(stations), `stations row: ${stations}`);
      assert((await page.getAttribute('[data-testid="data-card"]', 'data-gaps')) === '', 'Monaco has no data gaps');
      // zoom onto the harbour and try to add a station in the water
      await page.evaluate((c) => window.__planner.map.jumpTo({ center: c, zoom: 16 }), HARBOUR);
      await waitIdle(page);
      const before = await proposedCount(page);
      await page.selectOption('[data-testid="add-station-class"]', '一级');
      await page.click('[data-testid="add-station"]');
      await page.waitForSelector('[data-testid="placing"]');
      const px = await pixelOf(page, HARBOUR);
      await page.mouse.click(px.x, px.y);
      await page.waitForSelector('[data-testid="water-refusal"]', { timeout: 10_000 });
      const zh = await page.innerText('[data-testid="water-refusal"]');
      assert(zh.includes('站点位于水域（Port Hercule de Monaco）内'), `zh refusal: ${zh}`);
      assert((await proposedCount(page)) === before, 'nothing added in the harbour');
      await shot('water-monaco-harbour-refused-zh');
      await page.click('[data-testid="lang-toggle"]');
      await page.waitForFunction(() => document.querySelector('[data-testid="water-refusal"]')?.textContent.includes('The site is in water (Port Hercule de Monaco)'));
      const en = await layerRow(page, 'water').innerText();
      assert(/sea: yes/.test(en), `en water row: ${en}`);
      await shot('water-monaco-harbour-refused-en');
      assert((await proposedCount(page)) === before, 'still nothing added');
    },
  },
  {
    name: 'water: 上海 (roads only) says water and railway data missing in the data card and the compliance panel',
    async run({ page, base, shot }) {
      await open(page, base);
      await selectPlace(page, 'shanghai');
      await page.waitForSelector('[data-testid="data-card"] [data-testid="data-gaps"]');
      assert((await layerRow(page, 'water').getAttribute('data-missing')) === 'true', 'water missing');
      assert((await layerRow(page, 'rail').getAttribute('data-missing')) === 'true', 'rail missing');
      const gaps = await page.innerText('[data-testid="data-gaps"]');
      assert(gaps.includes('水系数据缺失 — 障碍检查不完整') && gaps.includes('铁路数据缺失 — 障碍检查不完整'), `gaps: ${gaps}`);
      await page.click('[data-testid="compliance-run"]');
      await page.waitForSelector('[data-testid="compliance-data-gap"]', { timeout: 90_000 });
      const line = await page.innerText('[data-testid="compliance-summary"]');
      assert(line.includes('水系数据缺失 — 障碍检查不完整'), 'compliance panel names the missing water');
      await page.locator('[data-testid="data-card"]').scrollIntoViewIfNeeded();
      await shot('water-shanghai-missing-zh');
      await page.click('[data-testid="lang-toggle"]');
      await page.waitForFunction(() => document.querySelector('[data-testid="data-gaps"]')?.textContent.includes('Water data missing — barrier check incomplete'));
      await shot('water-shanghai-missing-en');
    },
  },
];
