// Issue 17 (UI): the road rules on Monaco's real OSM barriers and access tags — closing barriers and closed roads on
// the map with their reason, the closures per rule in the data card, and the vehicle selector's comparison with the
// default vehicle. Waits are on app state (store, DOM, the map's idle event).
import { assert, openWithNetwork, waitIdle } from './helpers.mjs';

const state = (page, fn) => page.evaluate(`(() => { const s = window.__planner.store.getState(); return (${fn})(s); })()`);

/** Waits until the closures of the current network are there for this vehicle. */
async function closures(page, vehicleId) {
  await page.waitForFunction((v) => {
    const s = window.__planner.store.getState();
    const r = s.roadRules;
    return r && !r.busy && r.info && r.vehicleId === v && r.version === s.network?.info?.version;
  }, vehicleId, { timeout: 60_000 });
  return state(page, '(s) => s.roadRules.info');
}

/** Waits for a finished live check. */
async function checked(page) {
  await page.waitForFunction(() => {
    const c = window.__planner.store.getState().compliance;
    return !c.busy && c.report && c.report.mode === 'network';
  }, null, { timeout: 90_000 });
}

export const tests = [
  {
    name: 'road rules: Monaco barriers on the map with their reason, closures in the data card, the ladder truck compared',
    async run({ page, base, shot }) {
      await openWithNetwork(page, base, 'monaco');
      const info = await closures(page, 'water-tender');
      const barriers = info.features.features.filter((f) => f.properties.kind === 'barrier');
      const closed = info.features.features.filter((f) => f.properties.kind === 'closed');
      assert(barriers.length > 0 && closed.length > 0, `Monaco should have closing barriers and closed roads: ${barriers.length} / ${closed.length}`);
      assert(info.rows.some((r) => r.rule === 'barrier' && r.nodes > 0), `no barrier row: ${JSON.stringify(info.rows)}`);

      // The data card lists every rule that closes something, with its road-km / barriers.
      await page.click('[data-testid="road-rules-card"] summary');
      const rows = await page.$$eval('[data-testid="road-rules-rows"] tr', (trs) => trs.map((tr) => ({ rule: tr.dataset.rule, text: tr.textContent })));
      assert(rows.length === info.rows.length && rows.some((r) => r.rule === 'barrier' && /路障/.test(r.text)), `data card rows: ${JSON.stringify(rows)}`);
      const card = await page.textContent('[data-testid="road-rules-card"]');
      assert(/水罐消防车/.test(card) && /OpenStreetMap/.test(card), `data card: ${card}`);

      // Zoom to a barrier: the symbol is drawn there, and a click opens its popup with the reason.
      const b = barriers[0];
      await page.evaluate((c) => window.__planner.map.jumpTo({ center: c, zoom: 17.5 }), b.geometry.coordinates);
      await waitIdle(page);
      const drawn = await page.evaluate(() => window.__planner.map.queryRenderedFeatures({ layers: ['rules-barrier-circle'] }).length);
      assert(drawn > 0, 'no barrier symbol rendered at the barrier');
      const px = await page.evaluate((c) => { const p = window.__planner.map.project(c); return { x: p.x, y: p.y }; }, b.geometry.coordinates);
      const box = await page.locator('.maplibregl-canvas').boundingBox();
      await page.mouse.click(box.x + px.x, box.y + px.y);
      await page.waitForSelector('[data-testid="popup"][data-kind="road-rule"]', { timeout: 10_000 });
      const popup = await page.textContent('[data-testid="popup"]');
      assert(popup.includes(b.properties.zh) && popup.includes(b.properties.en), `popup does not give the reason in both languages: ${popup}`);
      await shot('17-road-rules-barrier-zh');

      // A closed road: drawn dashed where it is; hovering it gives its reason as the map's title text.
      const road = closed.find((f) => f.properties.rule === 'maxweight') ?? closed[0];
      const [a, z] = road.geometry.coordinates;
      const mid = [(a[0] + z[0]) / 2, (a[1] + z[1]) / 2];
      await page.evaluate((c) => { window.__planner.store.getState().select(null); window.__planner.map.jumpTo({ center: c, zoom: 17.5 }); }, mid);
      await waitIdle(page);
      const lines = await page.evaluate(() => window.__planner.map.queryRenderedFeatures({ layers: ['rules-closed-line'] }).length);
      assert(lines > 0, 'no closed road drawn at a closed segment');
      const mp = await page.evaluate((c) => { const p = window.__planner.map.project(c); return { x: p.x, y: p.y }; }, mid);
      await page.mouse.move(box.x + mp.x, box.y + mp.y);
      await page.waitForFunction((t) => document.querySelector('.maplibregl-canvas').title === t, road.properties.zh, { timeout: 10_000 });
      await shot('17-road-rules-closed-zh');

      // Keyboard: the card lists each blocking barrier; Enter on one shows it on the map with its popup.
      await page.keyboard.press('Escape');
      await page.evaluate(() => window.__planner.store.getState().select(null));
      await page.waitForFunction(() => !document.querySelector('[data-testid="popup"]'));
      const listed = await page.$$eval('[data-testid="road-rules-barriers"] button', (bs) => bs.map((x) => x.textContent));
      assert(listed.length === barriers.length && listed.includes(barriers[1 % barriers.length].properties.zh), `barrier list: ${JSON.stringify(listed)}`);
      await page.focus('[data-testid="road-rules-barriers"] li:nth-child(1) button');
      await page.keyboard.press('Enter');
      await page.waitForSelector('[data-testid="popup"][data-kind="road-rule"]', { timeout: 10_000 });
      assert((await page.textContent('[data-testid="popup"] h3')) === listed[0], 'the popup of the listed barrier');

      // Back to the whole place; the ladder truck: the panel says which districts change (or that none does).
      await page.keyboard.press('Escape');
      await page.evaluate(() => window.__planner.store.getState().select(null));
      await checked(page);
      await page.selectOption('[data-testid="vehicle-select"]', 'aerial-platform');
      await closures(page, 'aerial-platform');
      await checked(page);
      await page.waitForSelector('[data-testid="vehicle-changes-summary"]', { timeout: 60_000 });
      const summary = await page.textContent('[data-testid="vehicle-changes-summary"]');
      assert(/^登高平台消防车：/.test(summary) && /(个辖区结论变化|没有辖区的结论、最长时间或边缘可达情况变化)/.test(summary), `vehicle summary: ${summary}`);
      const routingVehicle = await page.$eval('[data-testid="routing-vehicle"]', (el) => el.value).catch(() => 'aerial-platform');
      assert(routingVehicle === 'aerial-platform', `routing panel shows ${routingVehicle}`);
      const cardAfter = await page.getAttribute('[data-testid="road-rules-card"]', 'data-vehicle');
      assert(cardAfter === 'aerial-platform', `data card is for ${cardAfter}`);
      const place = await state(page, '(s) => s.places.find((p) => p.id === "monaco").bbox');
      await page.evaluate((bb) => window.__planner.map.fitBounds([[bb[0], bb[1]], [bb[2], bb[3]]], { duration: 0, padding: 20 }), place);
      await waitIdle(page);
      await shot('17-road-rules-ladder-zh');

      await page.click('[data-testid="lang-toggle"]');
      await page.waitForFunction(() => window.__planner.store.getState().lang === 'en');
      await waitIdle(page);
      const en = await page.textContent('[data-testid="vehicle-changes-summary"]');
      assert(/^Aerial platform truck: /.test(en) && !/[\u4e00-\u9fff]/.test(en), `English vehicle summary: ${en}`);
      const cardEn = await page.textContent('[data-testid="road-rules-card"]');
      assert(/Road restrictions for the Aerial platform truck/.test(cardEn), `English data card: ${cardEn}`);
      await shot('17-road-rules-ladder-en');
    },
  },
  {
    // Needs the engine's road rules (branch wp-g): the route to a point on a road closed by access=no is refused.
    name: 'road rules: a route refused by a closure says why, in the UI language',
    async run({ page, base, shot }) {
      await openWithNetwork(page, base, 'monaco');
      const info = await closures(page, 'water-tender');
      // The longest road closed by access=no, at the middle of its middle segment (well away from the open roads it joins).
      const road = info.features.features.filter((f) => f.properties.kind === 'closed' && f.properties.rule === 'access')
        .sort((p, q) => q.properties.lengthM - p.properties.lengthM)[0];
      assert(road, 'Monaco has a road closed by access=no');
      const c = road.geometry.coordinates, i = Math.floor((c.length - 1) / 2);
      const to = [(c[i][0] + c[i + 1][0]) / 2, (c[i][1] + c[i + 1][1]) / 2];
      await page.evaluate((c) => window.__planner.map.jumpTo({ center: c, zoom: 16 }), to);
      await waitIdle(page);
      await page.evaluate((c) => window.__planner.store.getState().select({ kind: 'point', lngLat: c }), to);
      await page.waitForFunction(() => { const r = window.__planner.store.getState().route; return !r.busy && (r.result || r.error); }, null, { timeout: 30_000 });
      const code = await page.evaluate(() => window.__planner.store.getState().route.error?.code ?? 'routed');
      assert(code === 'route-closed-by-rule', `the route to a closed road was not refused by the rules: ${code}`);
      const zh = await page.textContent('[data-testid="route-error"]');
      // (It names the first closure on the way the engine would take without the rules: not always this road's own.)
      assert(/^水罐消防车无法到达此处——路线被 .+ 阻断（位于 /.test(zh) && !/edge \d+/.test(zh), `refusal (zh): ${zh}`);
      await page.locator('[data-testid="route-error"]').scrollIntoViewIfNeeded();
      await shot('17-road-rules-refused-zh');
      await page.click('[data-testid="lang-toggle"]');
      await page.waitForFunction(() => { const s = window.__planner.store.getState(); return s.lang === 'en' && !s.route.busy && s.route.error; }, null, { timeout: 30_000 });
      const en = await page.textContent('[data-testid="route-error"]');
      assert(/^The Water tender cannot get there — /.test(en) && /blocked by .+ at /.test(en) && !/[\u4e00-\u9fff]/.test(en), `refusal (en): ${en}`);
      await page.locator('[data-testid="route-error"]').scrollIntoViewIfNeeded();
      await shot('17-road-rules-refused-en');
    },
  },
  {
    name: "road rules: editing the tender's height in the app closes Monaco's 4.3 m height-limited road in the data card; reset opens it",
    async run({ page, base, shot }) {
      await openWithNetwork(page, base, 'monaco');
      const before = await closures(page, 'water-tender');
      assert(!before.rows.some((r) => r.rule === 'maxheight'), `the 3.4 m tender should pass every Monaco height limit: ${JSON.stringify(before.rows)}`);
      await page.click('[data-testid="road-rules-card"] summary');
      await page.click('[data-testid="vehicle-editor"] summary');
      await page.fill('[data-testid="vehicle-heightM"]', '7');
      const issue = await page.textContent('[data-testid="vehicle-issues"]');
      assert(issue.includes('车高须在 1–6 m 之间（当前：7 m）'), `validation (zh): ${issue}`);
      assert(await page.isDisabled('[data-testid="vehicle-apply"]'), 'apply is disabled while a figure is invalid');
      await page.fill('[data-testid="vehicle-heightM"]', '4.4');
      await page.click('[data-testid="vehicle-apply"]');
      // The closures for the edited figures: Monaco's maxheight=4.3 road is now closed, and the card says so.
      await page.waitForFunction(() => {
        const s = window.__planner.store.getState();
        const r = s.roadRules;
        return r && !r.busy && r.info?.edited && r.info.vehicle.heightM === 4.4 && r.info.rows.some((x) => x.rule === 'maxheight');
      }, null, { timeout: 60_000 });
      await page.waitForSelector('[data-testid="road-rules-rows"] tr[data-rule="maxheight"]', { timeout: 10_000 });
      const row = await page.textContent('[data-testid="road-rules-rows"] tr[data-rule="maxheight"]');
      assert(/限高/.test(row) && /0\.61 km/.test(row), `maxheight row: ${row}`);
      const card = await page.textContent('[data-testid="road-rules-card"] summary');
      assert(card.includes('水罐消防车（已修改）'), `data card names the edited vehicle: ${card}`);
      const select = await page.$eval('[data-testid="vehicle-select"]', (el) => el.selectedOptions[0].textContent);
      assert(select === '水罐消防车（已修改）（高 4.4 m · 宽 2.5 m · 18 t）', `selector: ${select}`);
      const saved = await page.evaluate(() => localStorage.getItem('planner.vehicles.v1'));
      assert(saved && JSON.parse(saved)['water-tender'].heightM === 4.4, `kept in the browser: ${saved}`);
      await checked(page);
      await page.locator('[data-testid="vehicle-editor"]').scrollIntoViewIfNeeded();
      await shot('17-vehicle-edited-zh');

      await page.click('[data-testid="lang-toggle"]');
      await page.waitForFunction(() => window.__planner.store.getState().lang === 'en');
      const cardEn = await page.textContent('[data-testid="road-rules-card"]');
      assert(/Water tender \(edited\)/.test(cardEn) && /height limit/.test(cardEn), `English data card: ${cardEn}`);
      await page.fill('[data-testid="vehicle-widthM"]', '0');
      const issueEn = await page.textContent('[data-testid="vehicle-issues"]');
      assert(issueEn.includes('width must be between 1 and 4 m (got 0 m)'), `validation (en): ${issueEn}`);
      await page.locator('[data-testid="vehicle-editor"]').scrollIntoViewIfNeeded();
      await shot('17-vehicle-edited-en');

      // Reset: the file's figures, the height-limited road open again, nothing kept.
      await page.click('[data-testid="vehicle-reset"]');
      await page.waitForFunction(() => {
        const r = window.__planner.store.getState().roadRules;
        return r && !r.busy && r.info && r.info.edited === false && !r.info.rows.some((x) => x.rule === 'maxheight');
      }, null, { timeout: 60_000 });
      assert(await page.evaluate(() => localStorage.getItem('planner.vehicles.v1')) === null, 'reset forgets the saved figures');
      const height = await page.inputValue('[data-testid="vehicle-heightM"]');
      assert(height === '3.4', `height after reset: ${height}`);
    },
  },
];
