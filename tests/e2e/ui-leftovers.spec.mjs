// Issue 14 layout leftovers: the legend's size on the map (folded on a short window, at most 40 % of the map's height
// when open, the choice remembered), a verdict-table row's card beside the table (mouse and keyboard, the map fitted
// to the district) and a refused route's reason (disconnected piece vs one-way pocket) with its snapped point.
// Screenshots ui-*.png in zh and en at 1280×720 and 1440×900.
import { assert, clickMap, openWithNetwork, showTab, waitIdle } from './helpers.mjs';

const SIZES = [[1280, 720], [1440, 900]];

/** The legend box and the map canvas, in page pixels. */
const legendVsMap = (page) => page.evaluate(() => {
  const l = document.querySelector('[data-testid="legend"]').getBoundingClientRect();
  const m = document.querySelector('.maplibregl-canvas').getBoundingClientRect();
  const body = document.getElementById('legend-body');
  return { l: { x: l.x, y: l.y, w: l.width, h: l.height }, m: { x: m.x, y: m.y, w: m.width, h: m.height }, open: !body.hidden, scrolls: body.scrollHeight > body.clientHeight + 1 };
});

async function setLang(page, lang) {
  if ((await page.evaluate(() => window.__planner.store.getState().lang)) !== lang) await page.click('[data-testid="lang-toggle"]');
  await page.waitForFunction((l) => window.__planner.store.getState().lang === l, lang);
}

/** Pixel of a lon/lat on the map canvas. */
const pixelOf = (page, ll) => page.evaluate((p) => {
  const q = window.__planner.map.project(p);
  return { x: q.x, y: q.y };
}, ll);

/** Clicks a lon/lat on the map (the map first centred there at zoom 16) and waits for the route's answer. */
async function clickRoute(page, ll) {
  await page.evaluate((p) => window.__planner.map.jumpTo({ center: p, zoom: 16 }), ll);
  await waitIdle(page);
  const px = await pixelOf(page, ll);
  await clickMap(page, px.x, px.y);
  await page.waitForFunction((p) => {
    const r = window.__planner.store.getState().route;
    return !r.busy && (r.result || r.error) && r.to && Math.abs(r.to[0] - p[0]) < 1e-4 && Math.abs(r.to[1] - p[1]) < 1e-4;
  }, ll, { timeout: 60_000 });
  return page.evaluate(() => window.__planner.store.getState().route.error);
}

/** Opens the app at w × h on Monaco and a verdict-table row per language; the card must sit beside the table. */
async function rowCard({ page, base, shot }, w, h) {
  await page.setViewportSize({ width: w, height: h });
  await openWithNetwork(page, base, 'monaco');
  await showTab(page, 'check');
  await page.waitForSelector('[data-testid="compliance-table"] tbody tr', { timeout: 90_000 });
  for (const lang of ['zh', 'en']) {
    await setLang(page, lang);
    await page.evaluate(() => window.__planner.map.jumpTo({ center: [7.47, 43.76], zoom: 12 })); // away from every district
    await waitIdle(page);
    const before = await page.evaluate(() => window.__planner.map.getBounds().toArray());
    // Both Monaco stations with a district (Fontvieille, la Condamine), each in one language.
    const row = page.locator('[data-testid="compliance-table"] tbody tr').nth(lang === 'zh' ? 0 : 1);
    const id = await row.getAttribute('data-station');
    await row.click();
    await page.waitForSelector('[data-testid="compliance-focus"]');
    await page.waitForFunction(() => !window.__planner.map.isMoving(), null, { timeout: 10_000 });
    await waitIdle(page);
    const after = await page.evaluate(() => window.__planner.map.getBounds().toArray());
    assert(JSON.stringify(after) !== JSON.stringify(before), `${w} ${lang}: the map's bounds did not change`);
    const card = await page.locator('[data-testid="compliance-focus"]').boundingBox();
    const table = await page.locator('[data-testid="compliance-table"]').boundingBox();
    const rowBox = await row.boundingBox();
    const where = JSON.stringify({ card, table, rowBox });
    assert(card.x >= table.x + table.width, `${w} ${lang}: the card is not to the right of the table: ${where}`);
    assert(card.y < table.y + table.height && card.y + card.height > rowBox.y - 1, `${w} ${lang}: the card is not level with the table / its row: ${where}`);
    assert(card.x + card.width <= w && card.y >= 0 && card.y + card.height <= h, `${w} ${lang}: the card leaves the window: ${where}`);
    // The district is fitted beside the card, not under it.
    const centre = await page.evaluate((sid) => {
      const d = window.__planner.store.getState().compliance.report.districts.features.find((f) => f.properties.stationId === sid);
      const pts = JSON.stringify(d.geometry.coordinates).match(/-?\d+\.\d+,-?\d+\.\d+/g).map((s) => s.split(',').map(Number));
      const xs = pts.map((p) => p[0]), ys = pts.map((p) => p[1]);
      const p = window.__planner.map.project([(Math.min(...xs) + Math.max(...xs)) / 2, (Math.min(...ys) + Math.max(...ys)) / 2]);
      const c = window.__planner.map.getCanvas().getBoundingClientRect();
      return { x: c.x + p.x, y: c.y + p.y, right: c.right, bottom: c.bottom };
    }, id);
    assert(centre.x > card.x + card.width && centre.x < centre.right && centre.y > 0 && centre.y < centre.bottom, `${w} ${lang}: the district is not shown beside the card: ${JSON.stringify({ centre, card })}`);
    const focused = await page.evaluate(() => document.activeElement?.dataset.testid);
    assert(focused === 'compliance-focus', `${w} ${lang}: the card did not take the focus (${focused})`);
    await shot(`ui-row-card-${lang}-${w}`);
    // Esc closes it and the focus is back on the row; Enter on the row opens it again.
    await page.keyboard.press('Escape');
    await page.waitForSelector('[data-testid="compliance-focus"]', { state: 'detached' });
    const back = await page.evaluate(() => document.activeElement?.dataset.station);
    assert(back === id, `${w} ${lang}: the focus went to ${back}, not the row ${id}`);
    await page.keyboard.press('Enter');
    await page.waitForSelector('[data-testid="compliance-focus"]');
    assert((await page.evaluate(() => window.__planner.store.getState().compliance.focusId)) === id, 'Enter on the row did not open its card');
    await page.keyboard.press('Escape');
    await page.waitForSelector('[data-testid="compliance-focus"]', { state: 'detached' });
  }
}

export const tests = [
  {
    name: 'ui-leftovers: at 1280×720 the legend starts folded (< 15 % of the map); opened, it scrolls inside ≤ 40 % of the map height',
    async run({ page, base, shot }) {
      await page.setViewportSize({ width: 1280, height: 720 });
      await openWithNetwork(page, base, 'monaco');
      for (const lang of ['zh', 'en']) {
        await setLang(page, lang);
        const g = await legendVsMap(page);
        const share = (g.l.w * g.l.h) / (g.m.w * g.m.h);
        assert(!g.open && share < 0.15, `${lang}: the legend covers ${(share * 100).toFixed(1)} % of the map on load (open ${g.open})`);
        await shot(`ui-legend-${lang}-1280-folded`);
      }
      await page.click('[data-testid="legend-toggle"]');
      const g = await legendVsMap(page);
      assert(g.open && g.l.h <= 0.4 * g.m.h + 1, `opened at 720 px: ${g.l.h} px tall, map ${g.m.h} px`);
      assert(g.scrolls, 'the open legend does not scroll inside its box at 720 px');
      // The last row can be scrolled into view inside the box.
      await page.evaluate(() => { const b = document.getElementById('legend-body'); b.scrollTop = b.scrollHeight; });
      const last = await page.evaluate(() => {
        const rows = document.querySelectorAll('#legend-body .legend-row');
        const r = rows[rows.length - 1].getBoundingClientRect(), box = document.getElementById('legend-body').getBoundingClientRect();
        return { top: r.top, bottom: r.bottom, boxTop: box.top, boxBottom: box.bottom };
      });
      assert(last.bottom <= last.boxBottom + 1 && last.top >= last.boxTop - 1, `last legend row not reachable: ${JSON.stringify(last)}`);
      await shot('ui-legend-en-1280-open');
      // The user's choice (open) is kept over a reload although the window is short.
      await page.reload();
      await waitIdle(page);
      assert((await legendVsMap(page)).open, 'the legend the user opened came back folded after a reload');
    },
  },
  {
    name: 'ui-leftovers: at 1440×900 the legend is open but ≤ 40 % of the map height; folding it is remembered',
    async run({ page, base, shot }) {
      await page.setViewportSize({ width: 1440, height: 900 });
      await openWithNetwork(page, base, 'monaco');
      for (const lang of ['zh', 'en']) {
        await setLang(page, lang);
        const g = await legendVsMap(page);
        assert(g.open, `${lang}: the legend is folded at 900 px`);
        assert(g.l.h <= 0.4 * g.m.h + 1, `${lang}: the legend is ${g.l.h} px tall, over 40 % of the map's ${g.m.h} px`);
        assert(g.l.y + g.l.h <= 900 && g.l.x >= g.m.x, `${lang}: legend off the map: ${JSON.stringify(g)}`);
        await shot(`ui-legend-${lang}-1440-open`);
      }
      await page.click('[data-testid="legend-toggle"]');
      await page.reload();
      await waitIdle(page);
      assert(!(await legendVsMap(page)).open, 'the legend the user folded came back open after a reload');
    },
  },
  ...SIZES.map(([w, h]) => ({
    name: `ui-leftovers: at ${w}×${h} a verdict-table row opens its card beside the table (click and keyboard), the map fits the district`,
    run: (ctx) => rowCard(ctx, w, h),
  })),
  {
    name: 'ui-leftovers: a refused click says disconnected piece or one-way pocket and marks its snapped point',
    async run({ page, base, shot }) {
      await page.setViewportSize({ width: 1280, height: 720 });
      await openWithNetwork(page, base, 'monaco');
      // Two real refusals in the Monaco extract (found with the Router on its graph): the A 8 carriageway that only
      // leads out of the extract, and a street west of it in a piece no road joins to Monaco's network.
      const cases = [
        { lang: 'zh', at: [7.39455, 43.75282], code: 'unreachable-one-way', text: /单行道死角/, snapped: [7.39456, 43.75281] },
        { lang: 'en', at: [7.36261, 43.76885], code: 'unreachable-disconnected', text: /not connected to the network the stations are on/, snapped: [7.3626, 43.76885] },
      ];
      for (const c of cases) {
        await setLang(page, c.lang);
        const err = await clickRoute(page, c.at);
        assert(err && err.code === c.code, `${c.at}: expected ${c.code}, got ${JSON.stringify(err)}`);
        await page.waitForSelector(`[data-testid="unreachable-why"][data-reason="${c.code}"]`, { timeout: 30_000 });
        const why = await page.textContent('[data-testid="route-panel"]');
        assert(c.text.test(why), `${c.code}: the card does not give the reason: ${why}`);
        assert(why.includes(c.snapped[0].toFixed(5).slice(0, 6)), `${c.code}: the snapped point is not named: ${why}`);
        const mark = await page.locator('[data-testid="unreachable-snap"]').boundingBox();
        const px = await pixelOf(page, c.snapped);
        const canvas = await page.locator('.maplibregl-canvas').boundingBox();
        const off = Math.hypot(mark.x + mark.width / 2 - canvas.x - px.x, mark.y + mark.height / 2 - canvas.y - px.y);
        assert(off < 6, `${c.code}: ◎ is ${off.toFixed(1)} px from the snapped point`);
        await shot(`ui-unreachable-${c.lang}-${c.code}`);
      }
    },
  },
];
