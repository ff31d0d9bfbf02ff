// The browser scenarios. Each gets a fresh page; `shot(name)` saves tests/e2e/screenshots/<name>.png.
import { readFileSync } from 'node:fs';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const places = JSON.parse(readFileSync(join(root, 'public/data/places.json'), 'utf8'));

function assert(cond, msg) {
  if (!cond) throw new Error(msg);
}

/** Opens the app and blocks every request that is not to the local server (the app must work offline). */
async function open(page, base, hash = '') {
  const outside = [];
  await page.route('**/*', (route) => {
    const url = new URL(route.request().url());
    if (url.hostname === '127.0.0.1' || url.protocol === 'data:' || url.protocol === 'blob:') return route.continue();
    outside.push(url.href);
    return route.abort();
  });
  await page.goto(base + hash);
  await waitIdle(page);
  return outside;
}

async function waitIdle(page) {
  await page.waitForFunction(() => window.__planner && window.__planner.map && window.__planner.map.loaded(), null, { timeout: 60_000 });
  await page.evaluate(() => new Promise((resolve) => {
    const map = window.__planner.map;
    if (!map.isMoving() && map.areTilesLoaded()) setTimeout(resolve, 300);
    else map.once('idle', () => setTimeout(resolve, 300));
  }));
}

async function selectPlace(page, id) {
  await page.selectOption('[data-testid="place-select"]', id);
  await page.waitForFunction((pid) => window.__planner.store.getState().placeId === pid, id, { timeout: 30_000 });
  await page.waitForTimeout(200);
  await waitIdle(page);
}

/** Share of canvas pixels that differ from the most common colour, and the number of distinct colours. */
async function canvasStats(page) {
  const png = (await page.locator('.maplibregl-canvas').screenshot()).toString('base64');
  return page.evaluate(async (b64) => {
    const img = new Image();
    img.src = `data:image/png;base64,${b64}`;
    await img.decode();
    const c = document.createElement('canvas');
    c.width = img.width; c.height = img.height;
    const ctx = c.getContext('2d');
    ctx.drawImage(img, 0, 0);
    const d = ctx.getImageData(0, 0, c.width, c.height).data;
    const counts = new Map();
    for (let i = 0; i < d.length; i += 16) {
      const k = (d[i] >> 3) << 10 | (d[i + 1] >> 3) << 5 | (d[i + 2] >> 3);
      counts.set(k, (counts.get(k) || 0) + 1);
    }
    const total = d.length / 16;
    const top = Math.max(...counts.values());
    return { distinct: counts.size, nonBackground: 1 - top / total };
  }, png);
}

/** Screen position of the first rendered feature matching a property test. */
async function findFeaturePixel(page, prop, value) {
  return page.evaluate(([p, v]) => {
    const map = window.__planner.map;
    const f = map.queryRenderedFeatures().find((x) => x.properties && x.properties[p] === v && x.geometry.type === 'Point');
    if (!f) return null;
    const pt = map.project(f.geometry.coordinates);
    return { x: pt.x, y: pt.y, name: f.properties.name };
  }, [prop, value]);
}

async function clickMap(page, x, y) {
  const box = await page.locator('.maplibregl-canvas').boundingBox();
  await page.mouse.click(box.x + x, box.y + y);
}

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
      await page.waitForFunction(() => /broken\.osm\.pbf/.test(document.body.textContent) && /[\u4e00-\u9fff]/.test(document.body.textContent), null, { timeout: 20_000 });
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
