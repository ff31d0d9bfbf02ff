// Issue 3 scenarios: the app runs offline on real data. `shot(name)` saves tests/e2e/screenshots/<name>.png.
import { assert, canvasStats, clickMap, findFeaturePixel, open, places, selectPlace } from './helpers.mjs';

export const tests = [
  {
    name: 'app loads offline and the map is not blank',
    async run({ page, base, shot }) {
      const outside = await open(page, base);
      const s = await canvasStats(page);
      await shot('01-overview');
      assert(s.distinct > 20 && s.nonBackground > 0.02, `map canvas looks blank: ${JSON.stringify(s)}`);
      assert(outside.length === 0, `the app requested outside hosts: ${outside.slice(0, 3).join(', ')}`);
      const attribution = await page.textContent('body');
      assert(attribution.includes('OpenStreetMap'), 'no OpenStreetMap attribution visible');
    },
  },
  {
    name: 'place switcher shows every place with its data',
    async run({ page, base, shot }) {
      await open(page, base);
      for (const p of places) {
        await selectPlace(page, p.id);
        const c = await page.evaluate(() => window.__planner.map.getCenter().toArray());
        const [a, b, cc, d] = p.bbox;
        assert(c[0] >= a && c[0] <= cc && c[1] >= b && c[1] <= d, `${p.id}: map centre ${c} outside its bbox ${p.bbox}`);
        const s = await canvasStats(page);
        assert(s.distinct > 10, `${p.id}: map looks blank ${JSON.stringify(s)}`);
        await shot(`02-place-${p.id}`);
      }
    },
  },
  {
    name: 'layer toggles hide and show map layers',
    async run({ page, base }) {
      await open(page, base);
      await selectPlace(page, 'nanshan');
      const roadsVisible = () => page.evaluate(() => window.__planner.map.getStyle().layers
        .filter((l) => l.source === 'roads').map((l) => (l.layout && l.layout.visibility) || 'visible'));
      const before = await roadsVisible();
      assert(before.length > 0 && before.every((v) => v === 'visible'), `road layers not visible at start: ${before}`);
      await page.click('[data-testid="layer-roads"]');
      const hidden = await roadsVisible();
      assert(hidden.every((v) => v === 'none'), `road layers still visible after toggle: ${hidden}`);
      await page.focus('[data-testid="layer-roads"]');
      await page.keyboard.press('Space');
      const shown = await roadsVisible();
      assert(shown.every((v) => v === 'visible'), `keyboard toggle did not show roads again: ${shown}`);
    },
  },
  {
    name: 'Monaco station popup shows real station data as text',
    async run({ page, base, shot }) {
      await open(page, base);
      await selectPlace(page, 'monaco');
      const px = await findFeaturePixel(page, 'kind', 'station');
      assert(px, 'no station rendered in Monaco');
      await clickMap(page, px.x, px.y);
      await page.waitForSelector('[data-testid="popup"]', { timeout: 10_000 });
      const text = await page.textContent('[data-testid="popup"]');
      assert(text.includes('OpenStreetMap') || text.includes('OSM'), `popup does not name its source: ${text}`);
      await shot('03-monaco-popup');
    },
  },
  {
    name: 'language switch turns the interface to English and back',
    async run({ page, base, shot }) {
      await open(page, base);
      const zh = await page.textContent('[data-testid="legend"]');
      assert(/[\u4e00-\u9fff]/.test(zh), 'legend is not Chinese by default');
      await page.click('[data-testid="lang-toggle"]');
      await page.waitForFunction(() => !/[\u4e00-\u9fff]{4}/.test(document.querySelector('[data-testid="legend"]').textContent));
      const en = await page.textContent('[data-testid="legend"]');
      assert(/station/i.test(en), `English legend lacks "station": ${en.slice(0, 200)}`);
      await shot('04-english');
      await page.click('[data-testid="lang-toggle"]');
      await page.waitForFunction(() => /[\u4e00-\u9fff]/.test(document.querySelector('[data-testid="legend"]').textContent));
    },
  },
  {
    name: 'import rejects a broken OSM file with a clear bilingual message',
    async run({ page, base }) {
      await open(page, base);
      await selectPlace(page, 'yangdong');
      await page.setInputFiles('[data-testid="osm-import"] input[type=file], input[type=file][data-testid="osm-import"]', {
        name: 'broken.osm.pbf', mimeType: 'application/octet-stream', buffer: Buffer.from('this is not an OSM file'),
      });
      await page.waitForSelector('[data-testid="import-message"].error', { timeout: 20_000 });
      const msg = await page.textContent('[data-testid="import-message"]');
      assert(/broken\.osm\.pbf/.test(msg) && /[\u4e00-\u9fff]/.test(msg), `the error does not name the file in Chinese: ${msg}`);
      const hasNetwork = await page.evaluate(() => window.__planner.store.getState().placeId);
      assert(hasNetwork === 'yangdong', 'place changed after a failed import');
    },
  },
  {
    name: 'without WebGL2 the app explains what is missing',
    async run({ page, base }) {
      await page.addInitScript(() => {
        const orig = HTMLCanvasElement.prototype.getContext;
        HTMLCanvasElement.prototype.getContext = function (type, ...rest) {
          if (type === 'webgl2' || type === 'webgl') return null;
          return orig.call(this, type, ...rest);
        };
      });
      await page.goto(base);
      await page.waitForFunction(() => /WebGL/.test(document.body.textContent), null, { timeout: 20_000 });
    },
  },
];
