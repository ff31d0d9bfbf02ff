// Issue 13 (audit part): Monaco's hydrant audit along the roads — the panel's figures, the gap layer, adding a
// hydrant in a gap raises the protected share, undo takes it back; screenshots in zh and en.
import { assert, openWithNetwork, waitIdle } from './helpers.mjs';

/** Waits for a finished audit whose figures satisfy `test` (source text over f = figures), returns the figures. */
async function audit(page, test = 'true') {
  await page.waitForFunction((src) => {
    const s = window.__planner.store.getState();
    const a = s.hydrantAudit;
    return a && a.status === 'ready' && a.result && new Function('f', `return ${src}`)(a.result.audit.figures);
  }, test, { timeout: 90_000 });
  return page.evaluate(() => window.__planner.store.getState().hydrantAudit.result.audit.figures);
}

export const tests = [
  {
    name: 'hydrant audit: Monaco figures, gap layer, add a hydrant in a gap → share rises, undo → back',
    async run({ page, base, shot }) {
      await openWithNetwork(page, base, 'monaco');
      const f0 = await audit(page);
      assert(f0.hydrantsInData === 1 && f0.protectedKm === 0, `Monaco: 1 hydrant, 0 km protected, got ${JSON.stringify(f0)}`);
      const panel = page.locator('[data-testid="hydrant-audit"]');
      await panel.scrollIntoViewIfNeeded();
      const count = await page.textContent('[data-testid="hyd-count"]');
      assert(count.includes('数据中有 1 个消火栓') && count.includes('不是完整清单'), `count line: ${count}`);
      assert((await page.getAttribute('[data-testid="hyd-protected"]', 'data-share')) === '0', 'protected share 0 %');
      // A gap in the middle of the map: fly there, then click it in placing mode.
      const gap = await page.evaluate(() => {
        const g = window.__planner.store.getState().hydrantAudit.result.gaps.features;
        const long = g.filter((x) => x.properties.lengthM > 30);
        const f = long[Math.floor(long.length / 2)];
        const [a, b] = f.geometry.coordinates;
        return [(a[0] + b[0]) / 2, (a[1] + b[1]) / 2];
      });
      await page.evaluate((c) => window.__planner.map.jumpTo({ center: c, zoom: 17 }), gap);
      await waitIdle(page);
      const drawn = await page.evaluate(() => window.__planner.map.queryRenderedFeatures({ layers: ['hyd-gaps-line'] }).length);
      assert(drawn > 0, 'the gap layer is drawn');
      await shot('hydrant-audit-zh');
      await page.click('[data-testid="hyd-add"]');
      const pt = await page.evaluate((c) => { const p = window.__planner.map.project(c); return [p.x, p.y]; }, gap);
      const box = await page.locator('.maplibregl-canvas').boundingBox();
      await page.mouse.click(box.x + pt[0], box.y + pt[1]);
      const f1 = await audit(page, 'f.hydrantsInData === 2');
      assert(f1.protectedKm > 0.2 && f1.protectedShare > f0.protectedShare, `share rises: ${f0.protectedKm} → ${f1.protectedKm} km`);
      await waitIdle(page);
      await page.click('[data-testid="lang-toggle"]');
      await page.waitForFunction(() => document.querySelector('[data-testid="hyd-count"]')?.textContent.includes('not a full inventory'));
      await shot('hydrant-audit-en');
      await page.locator('.maplibregl-canvas').focus();
      await page.keyboard.press('Control+z');
      const f2 = await audit(page, 'f.hydrantsInData === 1');
      assert(f2.protectedKm === 0, `undo → back to 0 km, got ${f2.protectedKm}`);
    },
  },
];
