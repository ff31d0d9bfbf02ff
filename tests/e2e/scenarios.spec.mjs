// Issue 6 scenarios: proposed sites dragged with live verdicts, autosave + undo across a reload, the plan timeline,
// scenario export / import with a conflict prompt, and the scenario comparison. Waits on app state (the helpers add short settles).
import { readFileSync } from 'node:fs';
import { assert, open, waitIdle } from './helpers.mjs';

const state = (page, fn, arg) => page.evaluate(fn, arg);

/** Waits until the live compliance check has a settled report for the current place. */
async function complianceSettled(page, timeout = 90_000) {
  await page.waitForFunction(() => {
    const s = window.__planner.store.getState();
    return s.compliance.report && !s.compliance.busy;
  }, null, { timeout });
}

/** Screen pixel (page coordinates) of a lon/lat. */
async function pixelOf(page, lonLat) {
  const box = await page.locator('.maplibregl-canvas').boundingBox();
  const p = await page.evaluate((ll) => window.__planner.map.project(ll), lonLat);
  return { x: box.x + p.x, y: box.y + p.y };
}

/** A road vertex near the middle of the place (so the new site is on land and on the network). */
async function roadPointNearCentre(page) {
  return page.evaluate(() => {
    const s = window.__planner.store.getState();
    const place = s.places.find((p) => p.id === s.placeId);
    const [w, so, e, n] = place.bbox;
    const c = [(w + e) / 2, (so + n) / 2];
    let best = null;
    let bd = Infinity;
    for (const f of s.placeData.roads.features) {
      const coords = f.geometry.type === 'LineString' ? f.geometry.coordinates : f.geometry.coordinates.flat();
      for (const p of coords) {
        const d = (p[0] - c[0]) ** 2 + (p[1] - c[1]) ** 2;
        if (d < bd) { bd = d; best = p; }
      }
    }
    return best;
  });
}

const proposed = (page) => state(page, () => {
  const h = window.__planner.store.getState().scenario;
  return h ? h.present.stations.filter((x) => x.status === 'proposed' && !h.present.removedIds.includes(x.id)).map((x) => ({ id: x.id, lon: x.lon, lat: x.lat, name: x.name })) : [];
});

/** Clicks "add" with a class, then the map at lonLat; returns the new station. */
async function addStationAt(page, lonLat, cls) {
  const before = (await proposed(page)).map((x) => x.id);
  await page.selectOption('[data-testid="add-station-class"]', cls);
  await page.click('[data-testid="add-station"]');
  await page.waitForSelector('[data-testid="placing"]');
  const px = await pixelOf(page, lonLat);
  await page.mouse.click(px.x, px.y);
  await page.waitForFunction((ids) => {
    const h = window.__planner.store.getState().scenario;
    return h && h.present.stations.some((x) => x.status === 'proposed' && !ids.includes(x.id));
  }, before, { timeout: 10_000 });
  return (await proposed(page)).find((x) => !before.includes(x.id));
}

async function waitSaved(page) {
  await page.waitForFunction(() => window.__planner.store.getState().scenarioSave.status === 'saved', null, { timeout: 20_000 });
}

export const tests = [
  {
    name: 'scenarios: add a proposed station on Monaco and drag it; verdicts change live, before / after and siting follow',
    async run({ page, base, shot }) {
      await open(page, base, '?place=monaco');
      await page.waitForFunction(() => window.__planner.store.getState().network?.status === 'ready', null, { timeout: 60_000 });
      await complianceSettled(page);
      const site = await roadPointNearCentre(page);
      assert(site, 'no road point in Monaco');
      const st = await addStationAt(page, site, '二级');
      assert(st, 'no proposed station after the map click');
      const cls = await state(page, (id) => window.__planner.store.getState().scenario.present.stations.find((x) => x.id === id).stationClass, st.id);
      assert(cls === '二级', `new station has class ${cls}, expected 二级`);
      const active = await state(page, () => window.__planner.store.getState().activeScenarioId);
      assert(active !== 'published', 'editing the published plan did not start a new scenario');
      // the new station gets a row in the compliance table
      await page.waitForSelector(`[data-testid="compliance-table"] [data-station="${st.id}"]`, { timeout: 90_000 });
      await complianceSettled(page);
      const rowBefore = await page.textContent(`[data-testid="compliance-table"] [data-station="${st.id}"]`);
      const summaryBefore = await page.textContent('[data-testid="compliance-summary"] .big-summary');

      // drag it with the mouse; while the button is held, a new report must arrive (live re-check)
      const from = await pixelOf(page, [st.lon, st.lat]);
      const reportAtStart = await page.evaluateHandle(() => window.__planner.store.getState().compliance.report);
      await page.mouse.move(from.x, from.y);
      await page.mouse.down();
      for (let i = 1; i <= 12; i++) await page.mouse.move(from.x - i * 8, from.y - i * 5); // inland (north-west)
      await page.waitForFunction(() => window.__planner.store.getState().dragging, null, { timeout: 10_000 });
      await page.waitForFunction((r) => {
        const s = window.__planner.store.getState();
        return s.dragging && s.compliance.report && s.compliance.report !== r;
      }, reportAtStart, { timeout: 60_000 });
      await shot('10-drag-live');
      await page.mouse.up();
      await page.waitForFunction(() => !window.__planner.store.getState().dragging);
      const moved = (await proposed(page)).find((x) => x.id === st.id);
      assert(moved && (moved.lon !== st.lon || moved.lat !== st.lat), 'the station did not move');
      await complianceSettled(page);
      await page.waitForFunction(([id, row, sum]) => {
        const r = document.querySelector(`[data-testid="compliance-table"] [data-station="${id}"]`);
        const s = document.querySelector('[data-testid="compliance-summary"] .big-summary');
        return r && s && (r.textContent !== row || s.textContent !== sum);
      }, [st.id, rowBefore, summaryBefore], { timeout: 60_000 });
      const undoSteps = await state(page, () => window.__planner.store.getState().scenario.past.length);
      assert(undoSteps === 2, `add + one drag should be 2 undo steps, got ${undoSteps}`);
      // before / after panel against the published plan: one more station than the published plan
      await page.waitForSelector('[data-testid="ba-passing"]', { timeout: 90_000 });
      const ba = await page.$$eval('[data-testid="ba-passing"] td', (tds) => tds.map((td) => td.textContent));
      const totals = ba.slice(0, 2).map((x) => Number(x.split('/')[1]));
      assert(totals.length === 2 && totals[1] === totals[0] + 1, `before / after station totals wrong: ${ba}`);
      // select it: the siting checklist lists clauses, distances and the street frontage from the road network
      const at = await pixelOf(page, [moved.lon, moved.lat]);
      await page.mouse.click(at.x, at.y);
      await page.waitForSelector('[data-testid="siting-list"] li', { timeout: 20_000 });
      await page.waitForFunction(() => {
        const r = window.__planner.store.getState().sitingRoad;
        return r && !r.busy && r.snap;
      }, null, { timeout: 20_000 });
      const statuses = await page.$$eval('[data-testid="siting-list"] li', (els) => els.map((e) => e.dataset.status));
      assert(statuses.length >= 5 && statuses.some((x) => x === 'pass' || x === 'fail'), `siting checklist has no checked items: ${statuses}`);
      const siting = await page.textContent('[data-testid="siting-list"]');
      assert(/\d+ m/.test(siting) && /建标/.test(siting), `siting list lacks distances / clauses: ${siting.slice(0, 200)}`);
      await page.locator('[data-testid="before-after"]').scrollIntoViewIfNeeded();
      await shot('11-before-after-siting');
      // Delete removes the selected proposed station; Escape leaves add mode
      await page.evaluate(() => document.activeElement && document.activeElement.blur && document.activeElement.blur());
      await page.keyboard.press('Delete');
      await page.waitForFunction((id) => !window.__planner.store.getState().scenario.present.stations.some((x) => x.id === id), st.id);
      await page.click('[data-testid="add-station"]');
      await page.waitForSelector('[data-testid="placing"]');
      await page.keyboard.press('Escape');
      await page.waitForFunction(() => window.__planner.store.getState().placing === null);
    },
  },
  {
    name: 'scenarios: an edit survives a reload; Ctrl+Z / Ctrl+Y undo and redo it afterwards',
    async run({ page, base, shot }) {
      await open(page, base, '?place=monaco');
      await page.click('[data-testid="scenario-new"]');
      await page.waitForFunction(() => window.__planner.store.getState().activeScenarioId !== 'published');
      // keyboard only: choose the class, add at the map centre, nudge it 40 m north with Alt+↑
      await page.selectOption('[data-testid="add-station-class"]', '特勤');
      await page.focus('[data-testid="add-station"]');
      await page.keyboard.press('Enter');
      await page.waitForSelector('[data-testid="place-centre"]');
      await page.focus('[data-testid="place-centre"]');
      await page.keyboard.press('Enter');
      await page.waitForFunction(() => window.__planner.store.getState().scenario.present.stations.some((x) => x.status === 'proposed'));
      const placed = (await proposed(page))[0];
      await page.evaluate(() => document.activeElement && document.activeElement.blur && document.activeElement.blur());
      await page.keyboard.press('Alt+ArrowUp');
      await page.keyboard.press('Alt+ArrowUp');
      await page.waitForFunction(([id, lat]) => {
        const x = window.__planner.store.getState().scenario.present.stations.find((s) => s.id === id);
        return x && Math.abs((x.lat - lat) * ((6371008.8 * Math.PI) / 180) - 40) < 0.01; // metres per degree of latitude (core/geo.ts)
      }, [placed.id, placed.lat]);
      const st = (await proposed(page))[0];
      await page.fill('[data-testid="station-name"]', '<b>新站</b> 测试');
      await page.press('[data-testid="station-name"]', 'Enter');
      await page.waitForFunction((id) => window.__planner.store.getState().scenario.present.stations.find((x) => x.id === id)?.name === '<b>新站</b> 测试', st.id);
      await waitSaved(page);
      const scenarioId = await state(page, () => window.__planner.store.getState().activeScenarioId);

      await page.reload();
      await waitIdle(page);
      await page.waitForFunction((id) => {
        const h = window.__planner.store.getState().scenario;
        return h && h.present.stations.some((x) => x.id === id);
      }, st.id, { timeout: 30_000 });
      const after = await state(page, () => window.__planner.store.getState().activeScenarioId);
      assert(after === scenarioId, 'the open scenario was not restored after the reload');
      const restored = (await proposed(page)).find((x) => x.id === st.id);
      assert(restored && restored.name === '<b>新站</b> 测试' && Math.abs(restored.lon - st.lon) < 1e-9, 'reload lost the renamed station');
      await page.waitForSelector(`[data-testid="compliance-table"] [data-station="${st.id}"]`, { timeout: 90_000 });
      assert(!(await page.locator('b', { hasText: '新站' }).count()), 'a typed name was rendered as HTML');
      await shot('14-after-reload');
      await page.evaluate(() => document.activeElement && document.activeElement.blur && document.activeElement.blur());
      await page.keyboard.press('Control+z'); // the rename
      await page.waitForFunction((id) => window.__planner.store.getState().scenario.present.stations.find((x) => x.id === id)?.name !== '<b>新站</b> 测试', st.id, { timeout: 10_000 });
      await page.keyboard.press('Control+z'); // the nudges
      await page.waitForFunction(([id, lat]) => window.__planner.store.getState().scenario.present.stations.find((x) => x.id === id)?.lat === lat, [st.id, placed.lat], { timeout: 10_000 });
      await page.keyboard.press('Control+z'); // the add
      await page.waitForFunction((id) => !window.__planner.store.getState().scenario.present.stations.some((x) => x.id === id), st.id, { timeout: 10_000 });
      await page.keyboard.press('Control+y');
      await page.waitForFunction((id) => window.__planner.store.getState().scenario.present.stations.some((x) => x.id === id), st.id, { timeout: 10_000 });
      await page.keyboard.press('Control+Shift+z');
      await page.keyboard.press('Control+Shift+z');
      await page.waitForFunction((id) => window.__planner.store.getState().scenario.present.stations.find((x) => x.id === id)?.name === '<b>新站</b> 测试', st.id, { timeout: 10_000 });
      for (let i = 0; i < 3; i++) await page.keyboard.press('Control+z');
      await page.waitForFunction((id) => !window.__planner.store.getState().scenario.present.stations.some((x) => x.id === id), st.id, { timeout: 10_000 });
      await complianceSettled(page);
      await page.waitForFunction((id) => !document.querySelector(`[data-testid="compliance-table"] [data-station="${id}"]`), st.id, { timeout: 60_000 });
    },
  },
  {
    name: 'timeline: moving the year slider on yangdong brings planned stations onto the map',
    async run({ page, base, shot }) {
      await open(page, base, '?place=yangdong');
      await page.waitForSelector('[data-testid="year-slider"]', { timeout: 30_000 });
      const rendered = () => page.evaluate(() => window.__planner.map.queryRenderedFeatures({ layers: ['stations-planned'] }).length);
      const shown = () => state(page, () => {
        const s = window.__planner.store.getState();
        const h = s.scenario.present;
        return { year: s.year, planned: h.stations.filter((x) => x.status === 'planned').length };
      });
      await page.focus('[data-testid="year-slider"]');
      await page.keyboard.press('Home');
      await page.waitForFunction(() => window.__planner.store.getState().year === 2020);
      await waitIdle(page);
      const n2020 = await rendered();
      await page.keyboard.press('ArrowRight');
      await page.keyboard.press('ArrowRight');
      await page.keyboard.press('ArrowRight');
      await page.waitForFunction(() => window.__planner.store.getState().year === 2023);
      await waitIdle(page);
      const n2023 = await rendered();
      await page.keyboard.press('End');
      await page.waitForFunction(() => window.__planner.store.getState().year === 2025);
      await waitIdle(page);
      const n2025 = await rendered();
      const { planned } = await shown();
      assert(n2020 < n2023 && n2023 < n2025, `planned stations on the map should grow 2020 < 2023 < 2025: ${n2020}, ${n2023}, ${n2025}`);
      assert(n2025 <= planned && n2025 >= 10, `2025 shows ${n2025} of ${planned} planned stations`);
      const yearText = await page.textContent('[data-testid="year-stations"]');
      assert(/2025/.test(yearText), `no in-service count for 2025: ${yearText}`);
      const ind = await page.textContent('[data-testid="indicators"]');
      assert(/1\.7/.test(ind), `plan target 1.7 stations / 100k not shown: ${ind}`);
      await complianceSettled(page);
      await page.locator('[data-testid="timeline"]').scrollIntoViewIfNeeded();
      await shot('12-timeline-2025');
      // back to all stations
      await page.click('[data-testid="year-on"]');
      await page.waitForFunction(() => window.__planner.store.getState().year === null);

      // qingxi in English: stations per 100k residents in 2023 from the plan's population and that year's stations
      await page.selectOption('[data-testid="place-select"]', 'qingxi');
      await page.waitForFunction(() => window.__planner.store.getState().placeId === 'qingxi' && window.__planner.store.getState().scenario);
      await page.click('[data-testid="lang-toggle"]');
      await page.focus('[data-testid="year-slider"]');
      await page.keyboard.press('End');
      for (let i = 0; i < 2; i++) await page.keyboard.press('ArrowLeft');
      await page.waitForFunction(() => window.__planner.store.getState().year === 2023);
      const expected = await state(page, () => {
        const st = window.__planner.store.getState().scenario.present.stations;
        const n = st.filter((x) => x.status === 'existing' || (x.status === 'planned' && x.phase && x.phase <= 2023)).length;
        return { n, per100k: ((n / Number(document.querySelector('[data-testid="population"]').value)) * 100000).toFixed(2) };
      });
      const row = await page.textContent('[data-testid="indicators"] [data-indicator="stationsPer100k"]');
      assert(row.includes(expected.per100k) && /Fire stations per 100,000/.test(row), `2023 indicator row "${row}" lacks ${expected.per100k}`);
      const inService = await page.textContent('[data-testid="year-stations"]');
      assert(inService.includes(`: ${expected.n}`), `in-service count "${inService}" is not ${expected.n}`);
      await page.locator('[data-testid="timeline"]').scrollIntoViewIfNeeded();
      await page.click('[data-testid="timeline"] summary');
      await shot('15-timeline-qingxi-en');
      await page.click('[data-testid="lang-toggle"]');
    },
  },
  {
    name: 'scenario files: export, import back with a conflict prompt (keep both), compare the two',
    async run({ page, base, shot }) {
      await open(page, base, '?place=monaco');
      await page.waitForFunction(() => window.__planner.store.getState().network?.status === 'ready', null, { timeout: 60_000 });
      await page.click('[data-testid="scenario-new"]');
      await page.waitForFunction(() => window.__planner.store.getState().activeScenarioId !== 'published');
      const site = await roadPointNearCentre(page);
      await addStationAt(page, site, '小型');
      const original = await state(page, () => {
        const s = window.__planner.store.getState();
        return { id: s.activeScenarioId, name: s.scenario.present.name, count: s.scenarios.length };
      });
      const [dl] = await Promise.all([page.waitForEvent('download'), page.click('[data-testid="export-scenario"]')]);
      const file = await dl.path();
      const doc = JSON.parse(readFileSync(file, 'utf8'));
      assert(/\.planner\.geojson$/.test(dl.suggestedFilename()), `odd export file name ${dl.suggestedFilename()}`);
      assert(doc.type === 'FeatureCollection' && doc.planner && doc.planner.id === original.id, 'export is not a scenario GeoJSON of the open scenario');
      assert(doc.features.some((f) => f.properties.status === 'proposed' && f.properties.stationClass === '小型'), 'export lacks the proposed station');

      // a broken file: bilingual error, nothing changes
      await page.setInputFiles('[data-testid="import-scenario-file"]', { name: 'broken.geojson', mimeType: 'application/json', buffer: Buffer.from('{"type": "Feature') });
      await page.waitForSelector('[data-testid="import-message"].error');
      const err = await page.textContent('[data-testid="import-message"]');
      assert(/[\u4e00-\u9fff]/.test(err) && /[A-Za-z]{4}/.test(err), `import error is not bilingual: ${err}`);
      await page.click('[data-testid="lang-toggle"]');
      const errEn = await page.textContent('[data-testid="import-message"]');
      assert(/[A-Za-z]{4}/.test(errEn) && errEn !== err, `no English import error: ${errEn}`);
      await page.click('[data-testid="lang-toggle"]');

      await page.setInputFiles('[data-testid="import-scenario-file"]', { name: dl.suggestedFilename(), mimeType: 'application/geo+json', buffer: readFileSync(file) });
      await page.waitForSelector('[data-testid="import-conflict"]', { timeout: 10_000 });
      const n = await state(page, () => window.__planner.store.getState().scenarios.length);
      assert(n === original.count, 'the import changed the scenario list before the user answered');
      await page.locator('[data-testid="import-conflict"]').scrollIntoViewIfNeeded();
      await shot('16-import-conflict');
      await page.click('[data-testid="import-keep"]');
      await page.waitForFunction((c) => window.__planner.store.getState().scenarios.length === c + 1, original.count);
      const after = await state(page, () => {
        const s = window.__planner.store.getState();
        return { active: s.activeScenarioId, name: s.scenario.present.name, names: s.scenarios.map((x) => x.name) };
      });
      assert(after.active !== original.id && after.name !== original.name && after.names.includes(original.name), `keep both did not keep both: ${JSON.stringify(after)}`);

      // compare: the published plan against the imported copy
      await page.selectOption('[data-testid="compare-a"]', 'published');
      await page.selectOption('[data-testid="compare-b"]', after.active);
      await page.waitForSelector('[data-testid="compare-table"] tr[data-change="added"]', { timeout: 20_000 });
      await page.waitForFunction(() => {
        const c = window.__planner.store.getState().compareScn;
        return c.a?.report && c.b?.report && !c.a.busy && !c.b.busy;
      }, null, { timeout: 90_000 }).catch(async (e) => {
        const c = await state(page, () => {
          const s = window.__planner.store.getState();
          const side = (x) => x && { key: x.key, busy: x.busy, report: !!x.report, error: x.error };
          return { a: side(s.compareScn.a), b: side(s.compareScn.b), live: s.compliance.busy, dragging: s.dragging };
        });
        throw new Error(`${e.message}: compare state ${JSON.stringify(c)}`);
      });
      const summary = await page.textContent('[data-testid="compare-summary"]');
      assert(/\d+ \/ \d+.*\d+ \/ \d+/s.test(summary), `compare summary lacks both pass counts: ${summary}`);
      await page.check('[data-testid="compare-map"]');
      await waitIdle(page);
      const onMap = await page.evaluate(() => ({
        a: window.__planner.map.queryRenderedFeatures({ layers: ['scn-compare-a'] }).length,
        b: window.__planner.map.queryRenderedFeatures({ layers: ['scn-compare-b'] }).length,
      }));
      assert(onMap.a > 0 && onMap.b > onMap.a - 1, `compare layers not drawn: ${JSON.stringify(onMap)}`);
      await page.check('[data-testid="compare-side"] input[value="B"]');
      await page.waitForFunction(() => window.__planner.store.getState().compareScn.mapSide === 'B');
      await waitIdle(page);
      const onlyB = await page.evaluate(() => ({
        a: window.__planner.map.queryRenderedFeatures({ layers: ['scn-compare-a'] }).length,
        b: window.__planner.map.queryRenderedFeatures({ layers: ['scn-compare-b'] }).length,
      }));
      assert(onlyB.a === 0 && onlyB.b === onMap.b, `B-only view still draws A: ${JSON.stringify(onlyB)}`);
      // swipe view: B drawn on a second map right of a keyboard-operable divider
      await page.check('[data-testid="compare-side"] input[value="swipe"]');
      await page.waitForSelector('[data-testid="swipe"]');
      await page.waitForFunction(() => document.querySelectorAll('.maplibregl-canvas').length === 3, null, { timeout: 20_000 }); // main + A half + B half
      await page.focus('[data-testid="swipe-range"]');
      await page.keyboard.press('Home');
      await page.waitForFunction(() => window.__planner.store.getState().compareScn.split === 5);
      for (let i = 0; i < 35; i++) await page.keyboard.press('ArrowRight');
      await page.waitForFunction(() => window.__planner.store.getState().compareScn.split === 40);
      await page.waitForSelector('[data-testid="swipe"] .swipe-map[data-drawn="true"]', { timeout: 30_000 });
      await shot('17-swipe');
      await page.check('[data-testid="compare-side"] input[value="both"]');
      await page.waitForFunction(() => document.querySelectorAll('.maplibregl-canvas').length === 1);
      await page.locator('[data-testid="compare"]').scrollIntoViewIfNeeded();
      await shot('13-compare');
      // compare the two identical scenarios: no differences
      await page.selectOption('[data-testid="compare-a"]', original.id);
      await page.waitForSelector('[data-testid="compare-none"]');
      // rename the imported copy (a taken name is refused), then delete it after confirming
      await page.click('[data-testid="scenario-rename"]');
      await page.fill('[data-testid="scenario-name"]', original.name);
      await page.press('[data-testid="scenario-name"]', 'Enter');
      await page.waitForSelector('[data-testid="scenario"] [role="alert"]');
      await page.fill('[data-testid="scenario-name"]', '北片加密方案');
      await page.press('[data-testid="scenario-name"]', 'Enter');
      await page.waitForFunction(() => window.__planner.store.getState().scenario.present.name === '北片加密方案');
      page.once('dialog', (d) => d.accept());
      await page.click('[data-testid="scenario-delete"]');
      await page.waitForFunction((c) => window.__planner.store.getState().scenarios.length === c, original.count);
      assert((await state(page, () => window.__planner.store.getState().activeScenarioId)) === 'published', 'deleting the open scenario should open the published plan');
    },
  },
];
