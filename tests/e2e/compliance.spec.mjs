// Issue 5 scenarios: the compliance table (sort, open a station), standards, imported districts, the estimate label.
// Waits are on app state (store, DOM, the map's idle event); the only fixed pauses are the short settles in helpers.mjs.
import { readFileSync } from 'node:fs';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { assert, open, openWithNetwork, selectPlace, waitIdle } from './helpers.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');

/** Waits for a finished compliance report (optionally one satisfying `test(report)` in the page). */
async function report(page, test = 'true') {
  await page.waitForFunction((src) => {
    const c = window.__planner.store.getState().compliance;
    return !c.busy && c.report && new Function('r', `return ${src}`)(c.report);
  }, test, { timeout: 90_000 });
  return page.evaluate(() => window.__planner.store.getState().compliance.report);
}

const rowIds = (page) => page.$$eval('[data-testid="compliance-table"] tbody tr', (rows) => rows.map((r) => r.dataset.station));
const rowWorst = (page) => page.$$eval('[data-testid="compliance-table"] tbody tr', (rows) => rows.map((r) => (r.dataset.worst === '' ? null : Number(r.dataset.worst))));

/** Values in order (dir 1 ascending, -1 descending) with missing values (null) at the end. */
function ordered(w, dir) {
  const firstNull = w.indexOf(null);
  const vals = firstNull === -1 ? w : w.slice(0, firstNull);
  return (firstNull === -1 || w.slice(firstNull).every((x) => x === null)) && vals.every((x, i) => i === 0 || (x - vals[i - 1]) * dir >= 0);
}

async function monaco(page, base) {
  await openWithNetwork(page, base, 'monaco');
  return report(page, "r.mode === 'network'");
}

export const tests = [
  {
    name: 'compliance: table per station, sorting, a row opens its district with isochrone and worst-point route',
    async run({ page, base, shot }) {
      const rep = await monaco(page, base);
      const stations = await page.evaluate(() => window.__planner.store.getState().placeData.facilities.features.filter((f) => f.properties.kind === 'station').length);
      const ids = await rowIds(page);
      assert(ids.length === stations && ids.length === rep.stations.length, `table has ${ids.length} rows for ${stations} stations`);
      const summary = await page.textContent('[data-testid="summary-text"]');
      assert(summary.includes(rep.summary.text_zh), `summary line is not the report's: ${summary}`);

      // Sort by worst response time, ascending then descending (stations without a time last).
      await page.click('[data-testid="sort-worst"]');
      let w = await rowWorst(page);
      assert(ordered(w, 1), `not ascending: ${w}`);
      assert((await page.getAttribute('th:has([data-testid="sort-worst"])', 'aria-sort')) === 'ascending', 'aria-sort not ascending');
      await page.focus('[data-testid="sort-worst"]');
      await page.keyboard.press('Enter');
      w = await rowWorst(page);
      assert(ordered(w, -1) && w.filter((x) => x !== null).length >= 2, `not descending: ${w}`);
      assert((await page.getAttribute('th:has([data-testid="sort-worst"])', 'aria-sort')) === 'descending', 'aria-sort not descending');

      // Open the failing station with the worst time (first row now) with the keyboard.
      const target = rep.stations.filter((r) => r.worstPoint && r.worstResponseSeconds !== null).sort((a, b) => b.worstResponseSeconds - a.worstResponseSeconds)[0];
      assert(target, 'no station with a worst point');
      const before = await page.evaluate(() => window.__planner.map.getCenter().toArray());
      await page.focus(`[data-testid="compliance-table"] tr[data-station="${target.id}"]`);
      await page.keyboard.press('Enter');
      await page.waitForFunction((id) => {
        const s = window.__planner.store.getState();
        return s.compliance.focusId === id && !s.route.busy && s.route.result?.stationId === id && s.route.onlyIds?.[0] === id
          && !s.iso.busy && s.iso.result && s.iso.stationIds.length === 1 && s.iso.stationIds[0] === id;
      }, target.id, { timeout: 60_000 });
      await waitIdle(page);
      const after = await page.evaluate(() => window.__planner.map.getCenter().toArray());
      const d = rep.districts.features.find((f) => f.properties.stationId === target.id);
      const ring = d.geometry.type === 'Polygon' ? d.geometry.coordinates.flat() : d.geometry.coordinates.flat(2);
      const bb = [Math.min(...ring.map((p) => p[0])), Math.min(...ring.map((p) => p[1])), Math.max(...ring.map((p) => p[0])), Math.max(...ring.map((p) => p[1]))];
      // The map is fitted to the district in the part of the map the row's card (over the map's left edge) leaves free.
      const seen = await page.evaluate((b) => {
        const c = window.__planner.map.getCanvas().getBoundingClientRect(), p = window.__planner.map.project([(b[0] + b[2]) / 2, (b[1] + b[3]) / 2]);
        const card = document.querySelector('[data-testid="compliance-focus"]').getBoundingClientRect();
        return { x: c.x + p.x, y: c.y + p.y, left: card.right, right: c.right, bottom: c.bottom };
      }, bb);
      assert(seen.x > seen.left && seen.x < seen.right && seen.y > 0 && seen.y < seen.bottom, `district ${bb} not fitted beside the row's card: ${JSON.stringify(seen)} (map centre ${after}, was ${before})`);
      // the isochrone is a part of the map's one 'live' source, tagged by src; the focus has its own source (src/map/liveSource.ts)
      const drawn = await page.evaluate(async () => {
        const live = (await window.__planner.map.getSource('live').getData()).features;
        return {
          route: (await window.__planner.map.getSource('route').getData()).features.length,
          iso: live.filter((f) => f.properties.src === 'iso-polygons').map((f) => f.properties.minutes),
          focus: (await window.__planner.map.getSource('cmp-focus').getData()).features.map((f) => f.properties.part),
        };
      });
      assert(drawn.route === 1 && drawn.iso.length === 1 && drawn.iso[0] === 4 && drawn.focus.includes('district'), `not drawn (route, 4-min isochrone, district): ${JSON.stringify(drawn)}`);
      if (target.verdict === 'fail' && target.failingEdges.features.length) assert(drawn.focus.includes('failing'), 'failing edge not highlighted');
      const routeEnd = await page.evaluate(() => window.__planner.store.getState().route.to);
      assert(routeEnd[0] === target.worstPoint[0] && routeEnd[1] === target.worstPoint[1], `route goes to ${routeEnd}, not the worst point ${target.worstPoint}`);
      const focusText = await page.textContent('[data-testid="compliance-focus"]');
      assert(focusText.length > 20, 'no station detail shown');
      await page.locator('[data-testid="compliance-summary"]').scrollIntoViewIfNeeded();
      await shot('20-compliance-focus');

      // Another standard: NFPA 1710 changes the summary.
      await page.selectOption('[data-testid="standard-select"]', 'nfpa1710');
      const nfpa = await report(page, "r.standard.id === 'nfpa1710'");
      await page.waitForFunction((t) => document.querySelector('[data-testid="summary-text"]').textContent.includes(t), nfpa.summary.text_zh);
      const s2 = await page.textContent('[data-testid="summary-text"]');
      assert(s2 !== summary && /NFPA/.test(s2), `summary did not change with the standard: ${s2}`);
      await shot('21-compliance-nfpa');
      await page.selectOption('[data-testid="standard-select"]', 'jianbiao152-2017');
      await report(page, "r.standard.id === 'jianbiao152-2017'");
    },
  },
  {
    name: 'compliance: a district straddling a river shows the river on the map, in the legend and in its verdict',
    async run({ page, base, shot }) {
      await openWithNetwork(page, base, 'nanshan');
      const rep = await report(page, "r.mode === 'network'");
      const target = rep.stations.find((r) => r.barriers.length > 0);
      assert(target, `no district straddles a barrier: ${rep.stations.map((r) => r.id).join(', ')}`);
      const hit = target.barriers[0];
      const all = await page.evaluate(async () => (await window.__planner.map.getSource('cmp-barriers').getData()).features.map((f) => f.properties.stationId));
      assert(all.length === rep.stations.reduce((n, r) => n + r.barriers.length, 0) && all.includes(target.id), `barrier source: ${all}`);
      const legend = await page.textContent('[data-testid="compliance-legend"]');
      assert(legend.includes('GB 51080') && legend.includes('河流'), `legend has no barrier row: ${legend}`);
      await page.click(`[data-testid="compliance-table"] tr[data-station="${target.id}"]`);
      await page.waitForFunction((id) => window.__planner.store.getState().compliance.focusId === id, target.id);
      await waitIdle(page);
      const drawn = await page.evaluate(() => window.__planner.map.queryRenderedFeatures({ layers: ['cmp-focus-barrier'] }).map((f) => f.properties.name));
      assert(drawn.includes(hit.name), `the focused district's barrier is not drawn: ${drawn}`);
      const focusText = await page.textContent('[data-testid="compliance-focus"]');
      assert(focusText.includes(hit.name || hit.kind) && focusText.includes(String(Math.round(hit.lengthInsideM))), `barrier not named in the verdict: ${focusText}`);
      // GB 51080 §4.1.3's check: how much of the district's road the station reaches only across the river.
      assert(typeof hit.roadOnlyAcrossM === 'number', `no road-only-across figure: ${JSON.stringify(hit)}`);
      if (hit.roadOnlyAcrossM > 0) assert(focusText.includes(`${(hit.roadOnlyAcrossM / 1000).toFixed(1)} km`) && focusText.includes('只能跨越'), `road reached only across the barrier not stated: ${focusText}`);
      await shot('24-compliance-barrier');
    },
  },
  {
    name: 'compliance: imported district polygons, assignment per district, bad file refused bilingually',
    async run({ page, base, shot }) {
      await monaco(page, base);
      const towns = JSON.parse(readFileSync(join(root, 'public/data/monaco/districts.geojson'), 'utf8'));
      const pick = (n) => towns.features.find((f) => f.properties.name === n);
      const fc = {
        type: 'FeatureCollection',
        features: [
          { ...pick('Fontvieille'), properties: { name: 'Fontvieille' } },
          { ...pick('La Condamine'), properties: { name: 'La Condamine' } },
          { ...pick('Monte-Carlo'), properties: { name: 'Monte-Carlo' } },
          { type: 'Feature', properties: { name: 'a line' }, geometry: { type: 'LineString', coordinates: [[7.42, 43.73], [7.43, 43.74]] } },
        ],
      };
      // A projected file is refused with a message in both languages; nothing changes.
      const bad = { type: 'FeatureCollection', features: [{ type: 'Feature', properties: {}, geometry: { type: 'Polygon', coordinates: [[[500000, 3400000], [501000, 3400000], [501000, 3401000], [500000, 3400000]]] } }] };
      await page.setInputFiles('[data-testid="district-file"]', { name: 'projected.geojson', mimeType: 'application/geo+json', buffer: Buffer.from(JSON.stringify(bad)) });
      await page.waitForSelector('[data-testid="district-error"]');
      const errZh = await page.textContent('[data-testid="district-error"]');
      assert(/投影|经纬度/.test(errZh) && errZh.includes('projected.geojson'), `unclear error: ${errZh}`);
      await page.click('[data-testid="lang-toggle"]');
      await page.waitForFunction(() => /lon\/lat/.test(document.querySelector('[data-testid="district-error"]').textContent));
      await page.click('[data-testid="lang-toggle"]');

      await page.setInputFiles('[data-testid="district-file"]', { name: 'monaco-districts.geojson', mimeType: 'application/geo+json', buffer: Buffer.from(JSON.stringify(fc)) });
      await page.waitForSelector('[data-testid="district-assign"]');
      const rep = await report(page, "r.settings.districtsMode === 'given' && r.stations.filter((s) => s.districtAreaKm2 !== null).length === 2");
      assert((await page.inputValue('[data-testid="district-mode"]')) === 'imported', 'mode did not switch to the imported polygons');
      const assign = await page.evaluate(() => window.__planner.store.getState().compliance.imported.assign);
      assert(assign[0] && assign[1] && assign[2] === null && assign[3] === null, `unexpected automatic assignment: ${assign}`);
      assert((await page.textContent('[data-testid="district-assign"]')).includes('LineString'), 'the non-polygon feature is not listed');
      const condamine = assign[1];
      const area1 = rep.stations.find((s) => s.id === condamine).districtAreaKm2;
      // Monte-Carlo goes to La Condamine: its district grows.
      await page.selectOption('[data-testid="assign-2"]', condamine);
      const rep2 = await report(page, `r.stations.find((s) => s.id === '${condamine}').districtAreaKm2 > ${area1} + 0.1`);
      assert(rep2.stations.find((s) => s.id === condamine).districtAreaKm2 > area1, 'assignment change had no effect');
      await page.locator('[data-testid="district-assign"]').scrollIntoViewIfNeeded();
      await waitIdle(page);
      await shot('22-compliance-imported');
      // Kept after a reload.
      await page.reload();
      await waitIdle(page);
      await page.waitForSelector('[data-testid="district-assign"]', { timeout: 60_000 });
      const kept = await page.evaluate(() => window.__planner.store.getState().compliance.imported.assign);
      assert(kept[2] === condamine, `assignment not kept after reload: ${kept}`);
      await page.click('text=删除导入的辖区');
      await page.waitForFunction(() => !window.__planner.store.getState().compliance.imported);
    },
  },
  {
    name: 'compliance: a place without roads is labelled as a straight-line estimate',
    async run({ page, base, shot }) {
      await open(page, base);
      await selectPlace(page, 'yangdong');
      const rep = await report(page, "r.mode === 'straight-line-estimate'");
      assert(rep.mode === 'straight-line-estimate', `yangdong evaluated as ${rep.mode}`);
      const label = await page.textContent('[data-testid="estimate-label"]');
      assert(label.includes('估算 — 无路网'), `no estimate label: ${label}`);
      assert((await page.textContent('[data-testid="summary-text"]')).includes('估算 — 无路网'), 'summary not labelled as estimate');
      const cells = await page.$$eval('[data-testid="worst-cell"]', (c) => c.map((x) => x.textContent));
      assert(cells.length === rep.stations.length && cells.every((c) => c.includes('估算')), `table rows not labelled: ${cells.slice(0, 3)}`);
      await page.click('[data-testid="lang-toggle"]');
      await page.waitForFunction(() => /estimate — no road network/.test(document.querySelector('[data-testid="estimate-label"]').textContent));
      await waitIdle(page);
      await shot('23-compliance-estimate-en');
      await page.click('[data-testid="lang-toggle"]');
    },
  },
];
