// Issue 4 scenarios: isochrones, routes, peak / off-peak, the editable speed profile and bilingual worker errors.
// Waits are on app state (store, DOM, the map's idle event); the only fixed pauses are the short settles in helpers.mjs.
import { assert, clickMap, findFeaturePixel, openWithNetwork, waitIdle } from './helpers.mjs';

const state = (page, fn) => page.evaluate(fn);
const t0 = Date.now();
const log = (m) => { if (process.env.E2E_DEBUG) console.log(`  [${((Date.now() - t0) / 1000).toFixed(1)}s] ${m}`); };

const monacoReady = (page, base) => openWithNetwork(page, base, 'monaco');

/** Clicks the map at a lon/lat (projected on the current view). */
async function clickLngLat(page, lngLat) {
  const pt = await page.evaluate((ll) => {
    const p = window.__planner.map.project(ll);
    return { x: p.x, y: p.y };
  }, lngLat);
  await clickMap(page, pt.x, pt.y);
}

/** Travel seconds of the route shown, once it is settled and its profile matches `re`. */
async function settledRoute(page, re) {
  await page.waitForFunction((src) => {
    const r = window.__planner.store.getState().route;
    return !r.busy && r.result && new RegExp(src).test(r.result.profileName);
  }, re.source, { timeout: 60_000 });
  return state(page, () => window.__planner.store.getState().route.result.travelSeconds);
}

// A street point in Monte-Carlo, away from the three stations (a route needs a few turns).
const TARGET = [7.4262, 43.7402];

export const tests = [
  {
    name: 'routing: station isochrone, route with steps, peak and an edited speed change the time',
    async run({ page, base, shot }) {
      await monacoReady(page, base);
      // 1. Click a station: isochrone legend and polygons in the map source.
      log('step 1');
      const px = await findFeaturePixel(page, 'name', 'Caserne de la Condamine');
      assert(px, 'no station rendered in Monaco');
      await clickMap(page, px.x, px.y);
      await page.waitForSelector('[data-testid="isochrone-legend"] .legend', { timeout: 60_000 });
      const polys = await page.evaluate(async () => {
        // the isochrone is in the map's one 'live' source, tagged src = 'iso-polygons' (src/map/liveSource.ts)
        const data = { features: (await window.__planner.map.getSource('live').getData()).features.filter((f) => f.properties.src === 'iso-polygons') };
        return data.features.map((f) => ({ type: f.geometry.type, minutes: f.properties.minutes, area: f.properties.areaKm2 }));
      });
      assert(polys.length >= 3 && polys.every((p) => /Polygon/.test(p.type) && p.area > 0), `isochrone source has no polygons: ${JSON.stringify(polys)}`);
      const a2 = polys.find((p) => p.minutes === 2)?.area ?? 0, a4 = polys.find((p) => p.minutes === 4)?.area ?? 0;
      assert(a4 > a2, `4-min area ${a4} not larger than 2-min area ${a2}`);
      const isoText = await page.textContent('[data-testid="isochrone-legend"]');
      assert(/速度方案.*平峰/.test(isoText), `isochrone card does not name its profile: ${isoText}`);
      await waitIdle(page);
      await page.locator('[data-testid="isochrone-legend"]').scrollIntoViewIfNeeded();
      await shot('10-routing-isochrone');

      // 2. Click a street point: route with steps, a time and the snap distances.

      log('step 2');
      await page.click('[data-testid="isochrone-legend"] button');
      await clickLngLat(page, TARGET);
      const offPeak = await settledRoute(page, /off-peak/);
      const steps = await page.locator('[data-testid="route-panel"] .steps li').count();
      assert(steps >= 2, `route has ${steps} steps`);
      const timeText = await page.textContent('[data-testid="route-time"]');
      assert(/\d/.test(timeText), `no time shown: ${timeText}`);
      const snapText = await page.textContent('[data-testid="snap-to"]');
      assert(/\d+ m/.test(snapText), `no snap distance for the clicked point: ${snapText}`);
      assert(/\d+ m/.test(await page.textContent('[data-testid="snap-from"]')), 'no snap distance for the station');
      await waitIdle(page);
      await shot('11-routing-route');

      // 3. Peak: slower.

      log('step 3');
      await page.click('[data-testid="peak"]');
      const peak = await settledRoute(page, /\(peak\)/);
      assert(peak > offPeak * 1.2, `peak travel ${peak}s is not clearly longer than off-peak ${offPeak}s`);
      assert(/高峰/.test(await page.textContent('[data-testid="route-profile"]')), 'route does not say it used the peak profile');
      await page.click('[data-testid="offpeak"]');
      assert((await settledRoute(page, /off-peak/)) === offPeak, 'off-peak time did not come back');

      // 4. Edit the speeds: an invalid value is refused with a message, 10 km/h everywhere slows the route.

      log('step 4');
      await page.click('[data-testid="profile-editor"] summary');
      await page.fill('[data-testid="profile-speedsKmh.residential"]', '0');
      await page.waitForSelector('[data-testid="profile-issues"]');
      const issue = await page.textContent('[data-testid="profile-issues"]');
      assert(/residential/.test(issue) && /[\u4e00-\u9fff]/.test(issue), `no bilingual validation message: ${issue}`);
      assert(await page.isDisabled('[data-testid="profile-apply"]'), 'apply enabled with an invalid speed');
      const inputs = page.locator('[data-testid^="profile-speedsKmh."]');
      for (let i = 0; i < (await inputs.count()); i++) await inputs.nth(i).fill('10');
      await page.click('[data-testid="profile-apply"]');
      const slow = await settledRoute(page, /custom/);
      assert(slow > offPeak * 1.3, `10 km/h everywhere: ${slow}s, not slower than ${offPeak}s`);
      const stored = await page.evaluate(() => localStorage.getItem('planner.profile.v1'));
      assert(stored && JSON.parse(stored).speedsKmh.primary.value === 10, 'edited profile not kept in localStorage');
      assert(/自定义/.test(await page.textContent('[data-testid="route-profile"]')), 'route does not name the custom profile');
      await page.locator('[data-testid="profile-editor"]').scrollIntoViewIfNeeded();
      await shot('12-routing-profile-edit');

      // Back to the defaults (the browser profile is shared by the following tests).
      await page.click('[data-testid="profile-reset"]');
      assert((await settledRoute(page, /^(?!.*custom).*off-peak/)) === offPeak, 'reset did not restore the default time');
      assert((await page.evaluate(() => localStorage.getItem('planner.profile.v1'))) === null, 'reset left an edited profile stored');
    },
  },
  {
    name: 'routing: a worker error is shown in the interface language only; a point off the network is refused, a far one flagged',
    async run({ page, base, shot }) {
      await monacoReady(page, base);
      // A point no station can be routed to (outside the coordinate range): the worker rejects it.
      await page.evaluate(() => window.__planner.store.getState().select({ kind: 'point', lngLat: [200, 95] }));
      await page.waitForSelector('[data-testid="route-panel"] .error', { timeout: 30_000 });
      const zh = await page.textContent('[data-testid="route-panel"] .error');
      assert(zh.includes('坐标无效') && !/invalid|internal|coordinate/i.test(zh), `Chinese error mixes languages: ${zh}`);
      assert(!zh.includes('内部错误'), `error shown as internal: ${zh}`);
      await page.click('[data-testid="lang-toggle"]');
      await page.waitForFunction(() => /invalid coordinate/.test(document.querySelector('[data-testid="route-panel"] .error')?.textContent ?? ''));
      const en = await page.textContent('[data-testid="route-panel"] .error');
      assert(!/[\u4e00-\u9fff]/.test(en), `English error contains Chinese: ${en}`);
      await page.locator('[data-testid="route-panel"]').scrollIntoViewIfNeeded();
      await shot('13-routing-error-en');
      await page.click('[data-testid="lang-toggle"]');

      // A point out at sea, over 300 m from any road: refused as off the road network, with no time (issue #15).
      await page.evaluate(() => window.__planner.store.getState().select({ kind: 'point', lngLat: [7.44, 43.715] }));
      await page.waitForFunction(() => {
        const r = window.__planner.store.getState().route;
        return !r.busy && r.to?.[1] === 43.715 && r.error?.code === 'off-network';
      }, null, { timeout: 60_000 });
      const off = await page.textContent('[data-testid="route-panel"] .error');
      assert(off.includes('不在路网上') && /\d+ m/.test(off), `no off-network refusal: ${off}`);
      assert((await page.$('[data-testid="route-time"]')) === null, 'an off-network point got a time');
      await page.locator('[data-testid="route-panel"]').scrollIntoViewIfNeeded();
      await shot('14a-routing-off-network');

      // A point 124 m from the nearest road: routed from that road, flagged (over 50 m) with the distance and a warning.
      await page.evaluate(() => window.__planner.store.getState().select({ kind: 'point', lngLat: [7.42, 43.73] }));
      await page.waitForFunction(() => {
        const r = window.__planner.store.getState().route;
        return !r.busy && r.result && r.to[1] === 43.73;
      }, null, { timeout: 60_000 });
      const snap = await page.evaluate(() => window.__planner.store.getState().route.result.snapTo);
      assert(snap.far && snap.distanceM > 50 && snap.distanceM <= 300, `point not flagged as far: ${JSON.stringify(snap)}`);
      const far = await page.textContent('[data-testid="snap-to"]');
      assert(far.includes(`${Math.round(snap.distanceM)} m`) && far.includes('⚠'), `no far-off warning: ${far}`);
      await page.locator('[data-testid="route-panel"]').scrollIntoViewIfNeeded();
      await waitIdle(page);
      await shot('14-routing-far-point');
    },
  },
];
