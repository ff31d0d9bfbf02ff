// Issue 14, what a user stumbled on: the swipe view's two halves, the change list with no edits, map fills,
// figures in one format, unnamed OSM stations and 清溪镇's existing sub-stations. data-testid selectors only.
import { assert, open, waitIdle } from './helpers.mjs';

const state = (page, fn, arg) => page.evaluate(fn, arg);

/** A road vertex on screen near the map's centre (a new site there is on the network). */
async function roadPointNearCentre(page) {
  return page.evaluate(() => {
    const map = window.__planner.map;
    const c = map.getCenter();
    let best = null;
    for (const f of map.queryRenderedFeatures({ layers: ['roads-line'] })) {
      const cs = f.geometry.type === 'LineString' ? f.geometry.coordinates : f.geometry.type === 'MultiLineString' ? f.geometry.coordinates.flat() : [];
      for (const [lon, lat] of cs) {
        const d = (lon - c.lng) ** 2 + (lat - c.lat) ** 2;
        if (!best || d < best.d) best = { d, lon, lat };
      }
    }
    return best && [best.lon, best.lat];
  });
}

/** Active station ids of the open scenario (the published plan is not in the stored list: read it while open). */
const openIds = (page) => state(page, () => {
  const sc = window.__planner.store.getState().scenario.present;
  return sc.stations.filter((x) => !sc.removedIds.includes(x.id)).map((x) => x.id).sort().join(' ');
});

export const tests = [
  {
    name: 'stumbles: no-edit change list on 上海 (example sites are not changes); swipe halves show A and B',
    async run({ page, base, shot }) {
      await open(page, base, '?place=shanghai');
      await page.waitForFunction(() => window.__planner.store.getState().network?.status === 'ready', null, { timeout: 90_000 });
      const published = await state(page, () => window.__planner.store.getState().scenario.present.stations.filter((x) => x.example).length);
      assert(published >= 10, `上海 should carry its example sites (${published})`);
      const pubIds = await openIds(page);
      await page.click('[data-testid="scenario-new"]');
      await page.waitForFunction(() => window.__planner.store.getState().activeScenarioId !== 'published');
      await page.waitForTimeout(300);
      assert((await page.$('[data-testid="scenario-changes"]')) === null, `a new scenario without edits lists changes: ${await page.textContent('[data-testid="scenario-changes"]').catch(() => '')}`);
      const bId = await state(page, () => window.__planner.store.getState().activeScenarioId);

      // compare the published plan with the unedited copy: no rows at all (no "新增", no raw "auto → given")
      await page.selectOption('[data-testid="compare-a"]', 'published');
      await page.selectOption('[data-testid="compare-b"]', bId);
      await page.waitForSelector('[data-testid="compare-none"]', { timeout: 20_000 });

      // one real edit: a new site; the change list and the comparison show exactly it
      const site = await roadPointNearCentre(page);
      assert(site, 'no road on screen');
      await page.evaluate((ll) => window.__planner.map.jumpTo({ center: ll }), site);
      await page.click('[data-testid="add-station"]');
      await page.waitForSelector('[data-testid="placing"]');
      await page.click('[data-testid="place-centre"]');
      await page.waitForFunction(() => {
        const h = window.__planner.store.getState().scenario;
        return h.present.stations.some((x) => x.status === 'proposed' && !x.example);
      }, null, { timeout: 10_000 });
      await page.waitForSelector('[data-testid="scenario-changes"]');
      const rows = await page.locator('[data-testid="scenario-changes"] li').count();
      assert(rows === 1, `one added site should give one change row, got ${rows}`);
      await page.waitForSelector('[data-testid="compare-table"] tr[data-change="added"]', { timeout: 20_000 });
      const changes = await page.locator('[data-testid="compare-table"] tbody tr').count();
      assert(changes === 1, `the comparison should list the one added site, got ${changes} rows`);

      // swipe: the left half draws A's stations, the right half B's
      await page.check('[data-testid="compare-map"]');
      await page.check('[data-testid="compare-side"] input[value="swipe"]');
      await page.waitForSelector('[data-testid="swipe-map-a"][data-stations]', { timeout: 30_000 });
      await page.waitForSelector('[data-testid="swipe-map-b"][data-stations]', { timeout: 30_000 });
      const left = await page.getAttribute('[data-testid="swipe-map-a"]', 'data-stations');
      const right = await page.getAttribute('[data-testid="swipe-map-b"]', 'data-stations');
      assert(left === pubIds, 'the left half does not draw scenario A (the published plan)');
      assert(right === await openIds(page), 'the right half does not draw scenario B (the open scenario)');
      assert(left !== right, 'both halves draw the same stations');
      const tags = [await page.textContent('[data-testid="swipe-tag-a"]'), await page.textContent('[data-testid="swipe-tag-b"]')];
      assert(/A：/.test(tags[0]) && /B：/.test(tags[1]), `swipe tags do not name A and B: ${tags}`);
      await page.waitForSelector('[data-testid="swipe-map-b"][data-drawn="true"]', { timeout: 30_000 });
      await shot('stumbles-1-swipe');
      await page.check('[data-testid="compare-side"] input[value="both"]');
    },
  },
  {
    name: 'stumbles: Monaco — unnamed OSM station, one format for figures, distinct fills; 清溪镇 sub-stations approximate',
    async run({ page, base, shot }) {
      await open(page, base, '?place=monaco');
      await page.waitForFunction(() => window.__planner.store.getState().network?.status === 'ready', null, { timeout: 60_000 });
      // the station OSM gives no name: its label names the OSM node
      const label = await state(page, async () => {
        const fc = await window.__planner.map.getSource('facilities').getData();
        const f = fc.features.find((x) => x.properties.id === 'osm-node-3781320822');
        return f && f.properties.label_zh;
      });
      assert(label === '未命名（OSM 节点 3781320822）', `unnamed station label: ${label}`);
      const pois = await state(page, () => (window.__planner.store.getState().placeData.pois?.features ?? []).map((f) => f.properties.name));
      assert(!pois.includes('Farmacy des Anglais'), 'the pharmacy is still a siting POI');

      // compliance texts: m:ss, whole percents, km² to 2 decimals
      await page.click('[data-testid="compliance-run"]');
      await page.waitForFunction(() => { const c = window.__planner.store.getState().compliance; return c.report && !c.busy; }, null, { timeout: 90_000 });
      const texts = await state(page, () => {
        const r = window.__planner.store.getState().compliance.report;
        return [r.summary.text_zh, r.summary.text_en, ...r.stations.flatMap((s) => s.reasons.flatMap((x) => [x.zh, x.en]))];
      });
      const summary = await page.textContent('[data-testid="summary-text"]');
      assert(/\d:\d\d/.test(summary), `summary without m:ss: ${summary}`);
      for (const t of [summary, ...texts]) {
        assert(!/\d\.\d+ ?%|\d+\.\d+ ?(秒|s\b)|\d\.\d{3,} ?km²/.test(t), `untidy figure in "${t}"`);
      }
      const fills = await state(page, () => ({
        pocket: window.__planner.map.getPaintProperty('cmp-pockets-fill', 'fill-color'),
        fail: window.__planner.map.getPaintProperty('cmp-districts-fill', 'fill-color'),
      }));
      assert(JSON.stringify(fills.fail).indexOf(fills.pocket) < 0, `pocket and failing district share a colour: ${JSON.stringify(fills)}`);
      await waitIdle(page);
      await shot('stumbles-2-monaco-fills');

      // 清溪镇: the two existing sub-stations are approximate (约), not examples
      await page.selectOption('[data-testid="place-select"]', 'qingxi');
      await page.waitForFunction(() => window.__planner.store.getState().placeId === 'qingxi', null, { timeout: 30_000 });
      await waitIdle(page);
      // what the map's station source holds (polled: the place switch feeds it after loading the plan)
      const subs = await state(page, async () => {
        for (let i = 0; i < 100; i++) {
          const fc = await window.__planner.map.getSource('facilities').getData();
          const found = fc.features.filter((f) => /^qingxi-station-sub-/.test(f.properties.id)).map((f) => [f.properties.label_zh, f.properties.label_en]);
          if (found.length) return found;
          await new Promise((r) => setTimeout(r, 200));
        }
        return [];
      });
      assert(subs.length >= 2, `sub-stations not on the map: ${JSON.stringify(subs)}`);
      for (const [zh, en] of subs) assert(zh.startsWith('约 ') && en.startsWith('≈ ') && !/示例|example/.test(zh + en), `sub-station label: ${zh} / ${en}`);
      await shot('stumbles-3-qingxi');
    },
  },
];
