// Issue 14 item 1: the task-first layout. Every tab in zh and en at 1280×720 and 1440×900 (screenshots
// layout-*.png: nothing clipped, the next step in view), keyboard tab switching kept in the URL, a route card by the
// clicked point, a table row's card + zoom, the legend on the map (foldable, remembered), and three stumbles:
// Enter renames a station without closing its card, an unreachable click shows its snapped point and why, and an
// estimate-mode click gives the straight-line time.
import { assert, clickMap, openWithNetwork, open, selectPlace, showTab, waitIdle } from './helpers.mjs';

const TABS = ['data', 'check', 'plan', 'scenarios', 'report'];
const state = (page, fn, arg) => page.evaluate(fn, arg);

/** Pixel of a lon/lat on the map canvas. */
const pixelOf = (page, ll) => page.evaluate((p) => {
  const q = window.__planner.map.project(p);
  return { x: q.x, y: q.y };
}, ll);

/** What a user cannot see of the active tab: overflow to the right, the next step below the fold. */
const layoutProblems = (page) => page.evaluate(() => {
  const out = [];
  const panel = document.getElementById('side-panel');
  if (panel.scrollWidth > panel.clientWidth + 1) out.push(`panel scrolls sideways (${panel.scrollWidth} > ${panel.clientWidth})`);
  const active = document.querySelector('[role="tabpanel"]:not([hidden])');
  const next = active.querySelector('.next-step');
  const r = next.getBoundingClientRect();
  if (!(r.height > 0 && r.bottom <= window.innerHeight)) out.push(`next step not in view (bottom ${r.bottom}, window ${window.innerHeight})`);
  const btn = next.querySelector('button');
  if (btn && btn.getBoundingClientRect().bottom > window.innerHeight) out.push('next-step button below the fold');
  for (const el of active.querySelectorAll('.table-wrap')) if (el.scrollWidth > el.clientWidth + 1) out.push(`table clipped (${el.scrollWidth} > ${el.clientWidth}; columns ${[...el.querySelectorAll('th')].map((th) => Math.round(th.getBoundingClientRect().width)).join('/')})`);
  for (const tab of document.querySelectorAll('[role="tab"]')) if (tab.scrollWidth > tab.clientWidth + 1) out.push(`tab label clipped: ${tab.textContent}`);
  const legend = document.querySelector('[data-testid="legend"]').getBoundingClientRect();
  if (!(legend.height > 0 && legend.bottom <= window.innerHeight && legend.right <= window.innerWidth)) out.push('legend not on screen');
  return out;
});

export const tests = [
  {
    name: 'layout: every tab in zh and en at 1280×720 and 1440×900, next step in view, nothing clipped',
    async run({ page, base, shot }) {
      await openWithNetwork(page, base, 'monaco');
      await page.waitForSelector('[data-testid="compliance-table"] tbody tr', { state: 'attached', timeout: 90_000 });
      const problems = [];
      for (const [w, h] of [[1280, 720], [1440, 900]]) {
        await page.setViewportSize({ width: w, height: h });
        for (const lang of ['zh', 'en']) {
          if ((await state(page, () => window.__planner.store.getState().lang)) !== lang) await page.click('[data-testid="lang-toggle"]');
          for (const tab of TABS) {
            await showTab(page, tab);
            await page.evaluate(() => { document.getElementById('side-panel').scrollTop = 0; });
            await page.waitForTimeout(150);
            for (const p of await layoutProblems(page)) problems.push(`${w}×${h} ${lang} ${tab}: ${p}`);
            await shot(`layout-${lang}-${w}-${tab}`);
          }
        }
      }
      assert(!problems.length, problems.join('\n'));
    },
  },
  {
    name: 'layout: tabs switch with the keyboard (arrows, Home/End) and the chosen tab survives a reload',
    async run({ page, base }) {
      await open(page, base);
      await page.focus('[data-testid="tab-data"]');
      const selected = () => page.evaluate(() => ({
        sel: document.querySelector('[role="tab"][aria-selected="true"]').dataset.testid,
        focus: document.activeElement && document.activeElement.dataset.testid,
        shown: [...document.querySelectorAll('[role="tabpanel"]')].filter((p) => !p.hidden).map((p) => p.dataset.tab),
        hash: location.hash,
      }));
      const expect = async (tab) => {
        const s = await selected();
        assert(s.sel === `tab-${tab}` && s.focus === `tab-${tab}` && s.shown.join() === tab && s.hash.includes(`tab=${tab}`), `expected tab ${tab}, got ${JSON.stringify(s)}`);
      };
      await page.keyboard.press('ArrowRight');
      await expect('check');
      await page.keyboard.press('End');
      await expect('report');
      await page.keyboard.press('ArrowRight');
      await expect('data');
      await page.keyboard.press('ArrowLeft');
      await expect('report');
      await page.keyboard.press('Home');
      await expect('data');
      await page.keyboard.press('ArrowRight');
      await page.keyboard.press('ArrowRight');
      await expect('plan');
      // Only the selected tab is in the Tab order (roving tabindex).
      const tabbable = await page.evaluate(() => [...document.querySelectorAll('[role="tab"]')].filter((b) => b.tabIndex === 0).length);
      assert(tabbable === 1, `${tabbable} tabs in the Tab order`);
      await page.reload();
      await waitIdle(page);
      const s = await selected();
      assert(s.sel === 'tab-plan' && s.shown.join() === 'plan', `the plan tab was not restored after a reload: ${JSON.stringify(s)}`);
    },
  },
  {
    name: 'layout: a route card opens by the clicked point; the legend floats on the map, folds and stays folded',
    async run({ page, base, shot }) {
      await page.setViewportSize({ width: 1280, height: 720 });
      await openWithNetwork(page, base, 'monaco');
      const px = await pixelOf(page, [7.4262, 43.7402]);
      await clickMap(page, px.x, px.y);
      await page.waitForFunction(() => { const r = window.__planner.store.getState().route; return !r.busy && r.result; }, null, { timeout: 60_000 });
      await page.waitForSelector('.maplibregl-popup [data-testid="route-panel"] [data-testid="route-time"]');
      const canvas = await page.locator('.maplibregl-canvas').boundingBox();
      const card = await page.locator('.maplibregl-popup:has([data-testid="route-panel"])').boundingBox();
      const cx = canvas.x + px.x, cy = canvas.y + px.y;
      // The card hangs below the point: its tip at the click, its body within the window.
      assert(Math.abs(card.y - cy) < 30 && card.x < cx && card.x + card.width > cx, `route card not at the click (${cx},${cy}): ${JSON.stringify(card)}`);
      assert(card.y + 40 < 720, 'route card starts below the window');
      // A second point (selected as a click selects it) moves the card and gives the new route (moving the card must not count as closing it).
      const second = [7.4235, 43.7435]; // north of the first: not under its card
      const px2 = await pixelOf(page, second);
      await page.evaluate((p) => window.__planner.store.getState().select({ kind: 'point', lngLat: p }), second);
      await page.waitForFunction((p) => { const r = window.__planner.store.getState().route; return !r.busy && (r.result || r.error) && r.to && Math.abs(r.to[1] - p[1]) < 1e-3; }, second, { timeout: 60_000 });
      const card2 = await page.locator('.maplibregl-popup:has([data-testid="route-panel"])').boundingBox();
      assert(Math.abs(card2.y - (canvas.y + px2.y)) < 30, `the route card did not follow the second click: ${JSON.stringify(card2)}`);
      const legend = page.locator('[data-testid="legend"]');
      assert(await legend.isVisible(), 'legend not visible on the map');
      for (const tab of TABS) {
        await showTab(page, tab);
        assert(await legend.isVisible(), `legend hidden on tab ${tab}`);
      }
      await shot('layout-route-card-1280');
      // A 720-px window starts with the legend folded (title on the map): open it, then fold it again.
      if ((await page.getAttribute('[data-testid="legend"]', 'data-open')) !== 'true') await page.click('[data-testid="legend-toggle"]');
      assert(await page.isVisible('#legend-body'), 'the legend did not open');
      await page.click('[data-testid="legend-toggle"]');
      assert(!(await page.isVisible('#legend-body')), 'the legend did not fold');
      await page.reload();
      await waitIdle(page);
      assert(await page.isVisible('[data-testid="legend-toggle"]'), 'legend toggle gone after reload');
      assert(!(await page.isVisible('#legend-body')), 'the folded legend opened again after a reload');
      await page.click('[data-testid="legend-toggle"]');
      assert(await page.isVisible('#legend-body'), 'the legend did not open again');
    },
  },
  {
    name: 'layout: a verdict-table row opens its card beside the table and zooms the map to the district',
    async run({ page, base, shot }) {
      await page.setViewportSize({ width: 1280, height: 720 });
      await openWithNetwork(page, base, 'nanshan');
      await showTab(page, 'check');
      await page.waitForSelector('[data-testid="compliance-table"] tbody tr', { timeout: 90_000 });
      await page.setViewportSize({ width: 1280, height: 720 });
      await page.click('[data-testid="lang-toggle"]'); // English: the wider headers
      const clipped = await page.evaluate(() => { const w = document.querySelector('.table-wrap'); return w.scrollWidth - w.clientWidth; });
      assert(clipped <= 1, `the English compliance table is clipped by ${clipped} px`);
      const before = await state(page, () => ({ z: window.__planner.map.getZoom(), c: window.__planner.map.getCenter().toArray() }));
      const row = page.locator('[data-testid="compliance-table"] tbody tr').last();
      const id = await row.getAttribute('data-station');
      await row.click();
      await page.waitForSelector('[data-testid="compliance-focus"]');
      await page.waitForFunction(() => !window.__planner.map.isMoving(), null, { timeout: 10_000 });
      await page.waitForTimeout(700);
      const after = await state(page, () => ({ z: window.__planner.map.getZoom(), c: window.__planner.map.getCenter().toArray() }));
      assert(Math.abs(after.z - before.z) > 0.05 || Math.hypot(after.c[0] - before.c[0], after.c[1] - before.c[1]) > 1e-4, `the map did not move to the district: ${JSON.stringify([before, after])}`);
      const box = await page.locator('[data-testid="compliance-focus"]').boundingBox();
      assert(box && box.y >= 0 && box.y < 720 - 40, `the row's card is out of view: ${JSON.stringify(box)}`);
      const focusId = await state(page, () => window.__planner.store.getState().compliance.focusId);
      assert(focusId === id, `focused ${focusId}, clicked ${id}`);
      await shot('layout-row-card-en-1280');
    },
  },
  {
    name: 'layout: Enter in the rename field commits the name and keeps the station card, popup and siting checklist',
    async run({ page, base }) {
      await openWithNetwork(page, base, 'monaco');
      await showTab(page, 'plan');
      await page.click('[data-testid="add-station"]');
      await page.waitForSelector('[data-testid="placing"]');
      await page.click('[data-testid="place-centre"]');
      await page.waitForSelector('[data-testid="selected-station"] [data-testid="station-name"]', { timeout: 10_000 });
      await page.waitForSelector('[data-testid="siting-list"] li', { timeout: 30_000 });
      await page.waitForSelector('[data-testid="popup"]');
      await page.fill('[data-testid="station-name"]', '港口新站');
      await page.press('[data-testid="station-name"]', 'Enter');
      await page.waitForTimeout(500);
      const s = await state(page, () => {
        const st = window.__planner.store.getState();
        return { sel: st.selection && st.selection.kind, name: st.selection && st.selection.props.name };
      });
      assert(s.sel === 'station' && s.name === '港口新站', `the selection was lost or not renamed: ${JSON.stringify(s)}`);
      assert(await page.isVisible('[data-testid="selected-station"]'), 'the station card closed on Enter');
      assert(await page.isVisible('[data-testid="siting-list"]'), 'the siting checklist closed on Enter');
      const title = await page.textContent('[data-testid="popup"] h3');
      assert(title.includes('港口新站'), `the popup does not show the new name: ${title}`);
    },
  },
  {
    name: 'layout: an unreachable click shows its snapped point on the map and why',
    async run({ page, base, shot }) {
      await openWithNetwork(page, base, 'monaco');
      // The refusal is set on the store as the router gives it (code 'unreachable'); the snap shown is the worker's
      // real destination snap of that point.
      const to = [7.4262, 43.7402];
      await page.evaluate((p) => window.__planner.store.setState({ route: { to: p, busy: false, error: { code: 'unreachable', zh: '目的地无法从任何消防站到达（路网不连通或单行限制）', en: 'the destination cannot be reached from any station (disconnected network or one-way restrictions)' } } }), to);
      await page.waitForSelector('[data-testid="route-panel"] [data-testid="unreachable-why"]', { timeout: 30_000 });
      const text = await page.textContent('[data-testid="unreachable-why"]');
      assert(/吸附到/.test(text) && /原因/.test(text), `no snapped place or reason: ${text}`);
      const mark = await page.locator('[data-testid="unreachable-snap"]').boundingBox();
      const px = await pixelOf(page, to);
      const canvas = await page.locator('.maplibregl-canvas').boundingBox();
      assert(mark && Math.hypot(mark.x + mark.width / 2 - canvas.x - px.x, mark.y + mark.height / 2 - canvas.y - px.y) < 80, `the snapped point is not marked near the click: ${JSON.stringify(mark)}`);
      await shot('layout-unreachable');
    },
  },
  {
    name: 'layout: without roads a map click gives the straight-line estimate from the nearest station',
    async run({ page, base, shot }) {
      await open(page, base);
      await selectPlace(page, 'qingxi');
      await page.click('[data-testid="tab-check"]');
      const size = await page.locator('.maplibregl-canvas').boundingBox();
      // A click on open ground (not on a station marker, whose click opens the station instead).
      let kind = null;
      for (const [fx, fy] of [[0.5, 0.62], [0.35, 0.55], [0.65, 0.7], [0.55, 0.3]]) {
        await clickMap(page, size.width * fx, size.height * fy);
        await page.waitForTimeout(300);
        kind = await state(page, () => window.__planner.store.getState().selection?.kind ?? null);
        if (kind === 'point' || kind === 'district') break;
      }
      assert(kind === 'point' || kind === 'district', `no click landed off the stations (${kind})`);
      await page.waitForSelector('[data-testid="estimate-card"] [data-testid="estimate-time"]', { timeout: 10_000 });
      const text = await page.textContent('[data-testid="estimate-card"]');
      assert(/估算/.test(text) && /λ = 1\.4|λ = \d/.test(text), `the estimate card is not labelled or lacks its parameters: ${text}`);
      const secs = Number(await page.getAttribute('[data-testid="estimate-time"]', 'data-seconds'));
      assert(secs >= 60 && secs < 3600, `implausible estimated response ${secs} s`);
      await shot('layout-estimate-click');
    },
  },
];
