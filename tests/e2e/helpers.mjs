// Shared helpers for the browser scenarios (*.spec.mjs).
import { readFileSync } from 'node:fs';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
export const places = JSON.parse(readFileSync(join(root, 'public/data/places.json'), 'utf8'));

export function assert(cond, msg) {
  if (!cond) throw new Error(msg);
}

/** Opens the app and blocks every request that is not to the local server (the app must work offline). */
export async function open(page, base, hash = '') {
  const outside = [];
  await page.route('**/*', (route) => {
    const url = new URL(route.request().url());
    if (url.hostname === '127.0.0.1' || url.protocol === 'data:' || url.protocol === 'blob:') return route.continue();
    outside.push(url.href);
    return route.abort();
  });
  autoReveal(page);
  await page.goto(base + hash);
  await waitIdle(page);
  return outside;
}

/**
 * Activates the side-panel tab holding the first element matching `selector` (tab panels carry `data-tab`), so a
 * panel element can be clicked, filled or looked at. Does nothing when the element is missing or not in a tab;
 * returns the tab id it showed, or null.
 */
export async function reveal(page, selector) {
  if (typeof selector !== 'string') return null;
  return page.evaluate((sel) => {
    let el = null;
    try {
      el = document.querySelector(sel);
    } catch {
      return null; // a Playwright-only selector (text=…): not ours to reveal
    }
    const panel = el && el.closest('[data-tab]');
    if (!panel || !panel.hidden) return null;
    const tab = document.querySelector(`[role="tab"][aria-controls="${panel.id}"]`);
    if (tab) tab.click();
    return panel.getAttribute('data-tab');
  }, selector).catch(() => null);
}

const PAGE_ACTIONS = ['click', 'dblclick', 'fill', 'type', 'press', 'check', 'uncheck', 'selectOption', 'setInputFiles', 'focus', 'hover', 'isVisible'];
const LOCATOR_ACTIONS = [...PAGE_ACTIONS, 'scrollIntoViewIfNeeded', 'waitFor', 'screenshot', 'setChecked'];

/**
 * Makes the page's selector actions reveal their element's tab first (see reveal): page.click / fill / check /
 * selectOption … , page.waitForSelector (once attached) and the same actions of page.locator(selector). The specs
 * written before the tabs keep working unchanged; new specs may call reveal() themselves.
 */
export function autoReveal(page) {
  if (page.__autoReveal) return;
  page.__autoReveal = true;
  for (const name of PAGE_ACTIONS) {
    const orig = page[name].bind(page);
    page[name] = async (selector, ...rest) => {
      await reveal(page, selector);
      return orig(selector, ...rest);
    };
  }
  const waitFor = page.waitForSelector.bind(page);
  page.waitForSelector = async (selector, options = {}) => {
    const state = options.state ?? 'visible';
    if (state !== 'visible') return waitFor(selector, options);
    await waitFor(selector, { ...options, state: 'attached' });
    await reveal(page, selector);
    return waitFor(selector, options);
  };
  const locator = page.locator.bind(page);
  page.locator = (selector, ...rest) => {
    const loc = locator(selector, ...rest);
    return new Proxy(loc, {
      get(target, prop) {
        const v = Reflect.get(target, prop);
        if (typeof v !== 'function') return v;
        if (!LOCATOR_ACTIONS.includes(prop)) return v.bind(target);
        return async (...args) => {
          await reveal(page, selector);
          return v.apply(target, args);
        };
      },
    });
  };
}

/** Activates a side-panel tab by its id (data, check, plan, scenarios, report). */
export async function showTab(page, id) {
  await page.click(`[data-testid="tab-${id}"]`);
  await page.waitForSelector(`[data-tab="${id}"]:not([hidden])`);
}

export async function waitIdle(page) {
  await page.waitForFunction(() => window.__planner && window.__planner.map && window.__planner.map.loaded(), null, { timeout: 60_000 });
  await page.evaluate(() => new Promise((resolve) => {
    const map = window.__planner.map;
    if (!map.isMoving() && map.areTilesLoaded()) setTimeout(resolve, 300);
    else map.once('idle', () => setTimeout(resolve, 300));
  }));
}

export async function selectPlace(page, id) {
  await page.selectOption('[data-testid="place-select"]', id);
  await page.waitForFunction((pid) => window.__planner.store.getState().placeId === pid, id, { timeout: 30_000 });
  await page.waitForTimeout(200);
  await waitIdle(page);
}

/** Share of canvas pixels that differ from the most common colour, and the number of distinct colours. */
export async function canvasStats(page) {
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
export async function findFeaturePixel(page, prop, value) {
  // A source update reaches the rendered tiles a little after the map reports idle: look again for a few seconds.
  for (let i = 0; i < 20; i++) {
    const px = await featurePixelNow(page, prop, value);
    if (px || i === 19) return px;
    await page.waitForTimeout(250);
  }
}

async function featurePixelNow(page, prop, value) {
  return page.evaluate(([p, v]) => {
    const map = window.__planner.map;
    const f = map.queryRenderedFeatures().find((x) => x.properties && x.properties[p] === v && x.geometry.type === 'Point');
    if (!f) return null;
    const pt = map.project(f.geometry.coordinates);
    return { x: pt.x, y: pt.y, name: f.properties.name };
  }, [prop, value]);
}

export async function clickMap(page, x, y) {
  const box = await page.locator('.maplibregl-canvas').boundingBox();
  await page.mouse.click(box.x + x, box.y + y);
}

/** Opens the app on a place with an embedded road network and waits until the worker has loaded it. */
export async function openWithNetwork(page, base, placeId) {
  await open(page, base);
  await selectPlace(page, placeId);
  await page.waitForFunction(() => window.__planner.store.getState().network?.status === 'ready', null, { timeout: 60_000 });
}
