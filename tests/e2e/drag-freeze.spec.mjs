// Issue 14 (a smooth drag): while a station is dragged, the side-panel tabs nobody sees are frozen — their DOM is not
// touched per drag step — and catch up at the drop; a hidden panel's own state (the report's paper choice) survives
// tab switches and the drag. The shown tab follows every step.
import { assert, open, showTab } from './helpers.mjs';
import { pixelOf, roadPointNearCentre, settled } from './dragHelpers.mjs';

const state = (page, fn, arg) => page.evaluate(fn, arg);

/** Counts DOM changes inside an element (not its own attributes) under a name. */
const watch = (page, name, key) => state(page, ([n, k]) => {
  const target = window.__watch[k];
  window.__mutations = window.__mutations || {};
  window.__mutations[n] = 0;
  new MutationObserver((list) => { window.__mutations[n] += list.filter((m) => m.target !== target).length; })
    .observe(target, { subtree: true, childList: true, characterData: true, attributes: true });
}, [name, key]);
const mutations = (page, name) => state(page, (n) => window.__mutations[n], name);

export const tests = [
  {
    name: 'drag: hidden tabs are frozen while a station is dragged and catch up at the drop; a panel keeps its state across tab switches',
    async run({ page, base, shot }) {
      await open(page, base, '?place=monaco');
      await settled(page);
      // a hidden panel's own (React) state: the report's paper size
      await showTab(page, 'report');
      await page.selectOption('[data-testid="report-paper"]', 'a3');
      // a proposed station on the 规划 / Plan tab
      await showTab(page, 'plan');
      const site = await roadPointNearCentre(page);
      assert(site, 'no road point in Monaco');
      await page.click('[data-testid="add-station"]');
      await page.waitForSelector('[data-testid="placing"]');
      const px = await pixelOf(page, site);
      await page.mouse.click(px.x, px.y);
      await page.waitForFunction(() => window.__planner.store.getState().scenario?.present.stations.some((x) => x.status === 'proposed'), null, { timeout: 20_000 });
      const st = await state(page, () => window.__planner.store.getState().scenario.present.stations.find((x) => x.status === 'proposed'));
      await settled(page);
      // the hidden check tab's table already lists it (hidden tabs follow the store outside a drag)
      await page.waitForFunction((id) => document.querySelector(`#tabpanel-check [data-station="${id}"]`), st.id, { timeout: 60_000 });
      const rowBefore = await state(page, (id) => document.querySelector(`#tabpanel-check [data-station="${id}"]`).dataset.worst, st.id);
      // drag it: once the drag has begun (and frozen the hidden tabs), watch the compliance panel (the check tab's
      // routing panel is live: its cards sit on the map) and the shown plan tab over more steps, holding the button
      // until a live report of a later position has arrived
      const from = await pixelOf(page, [st.lon, st.lat]);
      await page.mouse.move(from.x, from.y);
      await page.mouse.down();
      for (let i = 1; i <= 3; i++) await page.mouse.move(from.x - i * 8, from.y - i * 5);
      await page.waitForFunction(() => window.__planner.store.getState().dragging, null, { timeout: 10_000 });
      await state(page, () => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r))));
      await state(page, () => {
        const table = document.querySelector('#tabpanel-check [data-testid="compliance-table"]');
        window.__watch = { check: table.closest('section') ?? table, plan: document.getElementById('tabpanel-plan') };
      });
      await watch(page, 'check', 'check');
      await watch(page, 'plan', 'plan');
      const reportAtStart = await page.evaluateHandle(() => window.__planner.store.getState().compliance.report);
      for (let i = 4; i <= 12; i++) await page.mouse.move(from.x - i * 8, from.y - i * 5); // inland (north-west)
      await page.waitForFunction((r) => {
        const s = window.__planner.store.getState();
        return s.dragging && s.compliance.report && s.compliance.report !== r && !s.compliance.busy;
      }, reportAtStart, { timeout: 60_000 });
      const during = await state(page, (id) => ({
        frozenCheck: document.getElementById('tabpanel-check').dataset.frozen,
        frozenPlan: document.getElementById('tabpanel-plan').dataset.frozen,
        row: document.querySelector(`#tabpanel-check [data-station="${id}"]`)?.dataset.worst,
        live: String(window.__planner.store.getState().compliance.report.stations.find((r) => r.id === id)?.worstResponseSeconds ?? ''),
      }), st.id);
      const checkChanges = await mutations(page, 'check');
      const planChanges = await mutations(page, 'plan');
      assert(during.frozenCheck === 'true' && during.frozenPlan === 'false', `frozen flags while dragging: ${JSON.stringify(during)}`);
      assert(checkChanges === 0, `the hidden compliance panel changed ${checkChanges} times during the drag`);
      assert(during.row === rowBefore, `the hidden table row changed during the drag: ${during.row} vs ${rowBefore}`);
      assert(planChanges > 0, 'the shown plan tab did not follow the drag');
      await shot('drag-freeze-during');
      await page.mouse.up();
      await page.waitForFunction(() => !window.__planner.store.getState().dragging, null, { timeout: 10_000 });
      await settled(page);
      // at the drop the hidden table catches up with the report the map shows
      await page.waitForFunction((id) => {
        const row = document.querySelector(`#tabpanel-check [data-station="${id}"]`);
        const r = window.__planner.store.getState().compliance.report.stations.find((x) => x.id === id);
        return row && r && row.dataset.worst === String(r.worstResponseSeconds ?? '') && document.getElementById('tabpanel-check').dataset.frozen === 'false';
      }, st.id, { timeout: 30_000 });
      const moved = await state(page, (id) => window.__planner.store.getState().scenario.present.stations.find((x) => x.id === id), st.id);
      assert(moved.lon !== st.lon || moved.lat !== st.lat, 'the station did not move');
      // the report panel's own state survived the switches and the drag
      await showTab(page, 'report');
      const paper = await page.$eval('[data-testid="report-paper"]', (el) => el.value);
      assert(paper === 'a3', `report paper after tab switches: ${paper}`);
      await showTab(page, 'check');
      await shot('drag-freeze-after');
    },
  },
];
