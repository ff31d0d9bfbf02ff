// Issue 12 (app): 南山 → suggest 3 sites (MCLP) → the ranked list and the curve appear → add all → the compliance
// summary changes → undo restores it. Screenshots zh + en at 1280×720. Waits on app state, never on fixed sleeps alone.
import { assert, openWithNetwork } from './helpers.mjs';

const summary = (page) => page.locator('[data-testid="summary-text"]').innerText();

async function complianceSettled(page, timeout = 90_000) {
  await page.waitForFunction(() => {
    const s = window.__planner.store.getState();
    return s.compliance.report && !s.compliance.busy;
  }, null, { timeout });
}

const proposed = (page) => page.evaluate(() => {
  const h = window.__planner.store.getState().scenario;
  return h ? h.present.stations.filter((x) => x.id.startsWith('suggested-') && !h.present.removedIds.includes(x.id)).map((x) => x.name) : [];
});

async function showPanel(page) {
  await page.locator('[data-testid="optimizer-results"]').scrollIntoViewIfNeeded();
  await page.locator('[data-testid="optimizer"] h2').scrollIntoViewIfNeeded();
}

export const tests = [
  {
    name: 'optimizer: 南山 MCLP suggests 3 ranked sites with a coverage curve; adding all changes the verdicts; undo restores them',
    async run({ page, base, shot }) {
      await page.setViewportSize({ width: 1280, height: 720 });
      await openWithNetwork(page, base, 'nanshan');
      await complianceSettled(page);
      const before = await summary(page);

      await page.selectOption('[data-testid="optimizer-model"]', 'mclp');
      await page.fill('[data-testid="optimizer-k"]', '3');
      await page.click('[data-testid="optimizer-run"]');
      await page.waitForFunction(() => window.__planner.store.getState().optimizer.status === 'done', null, { timeout: 90_000 });
      const sites = page.locator('[data-testid="optimizer-site"]');
      assert(await sites.count() === 3, `expected 3 suggested sites, got ${await sites.count()}`);
      const first = await sites.nth(0).innerText();
      assert(/建议 1/.test(first) && /\+\d+(\.\d)? 公里道路在 4 分钟内/.test(first), `rank 1 shows its gain in km: ${first}`);
      const res = await page.evaluate(() => window.__planner.store.getState().optimizer.result);
      assert(res.mode === 'network' && res.curve.length === 11, `network run with an 11-point curve (${res.mode}, ${res.curve.length})`);
      assert(res.sites[0].gain >= res.sites[1].gain && res.sites[1].gain >= res.sites[2].gain, 'sites ranked by gain');
      assert(await page.locator('[data-testid="optimizer-curve"] svg path').count() === 1, 'the curve is drawn');
      assert(await page.locator('[data-testid="optimizer-curve-table"] tbody tr').count() === 11, 'the curve table has k = 0…10');
      const planText = await page.locator('[data-testid="optimizer-plan"]').innerText();
      assert(/规划的 \d+ 个新站覆盖 [\d.]+%；最优 \d+ 个覆盖 [\d.]+%/.test(planText), `plan comparison: ${planText}`);
      assert(/已证最优|达到时限/.test(await page.locator('[data-testid="optimizer-exact"]').innerText()), 'exact status shown');
      // the numbered markers are on the map
      await page.waitForFunction(() => window.__planner.map.querySourceFeatures('opt-sites').length >= 3, null, { timeout: 10_000 });
      await showPanel(page);
      await shot('optimizer-zh');

      await page.click('[data-testid="optimizer-add-all"]');
      await page.waitForFunction(() => window.__planner.store.getState().scenario.present.stations.filter((x) => x.id.startsWith('suggested-')).length === 3, null, { timeout: 10_000 });
      assert(JSON.stringify(await proposed(page)) === JSON.stringify(['建议 1', '建议 2', '建议 3']), `added as 建议 1-3: ${await proposed(page)}`);
      await page.waitForFunction((b) => {
        const s = window.__planner.store.getState();
        const el = document.querySelector('[data-testid="summary-text"]');
        return s.compliance.report && !s.compliance.busy && el && el.textContent !== b;
      }, before, { timeout: 90_000 });
      const after = await summary(page);
      assert(after !== before, 'the compliance summary changed');
      await showPanel(page);
      await shot('optimizer-added-zh');

      await page.evaluate(() => document.activeElement instanceof HTMLElement && document.activeElement.blur());
      await page.keyboard.press('Control+z');
      await page.waitForFunction(() => window.__planner.store.getState().scenario.present.stations.filter((x) => x.id.startsWith('suggested-')).length === 0, null, { timeout: 10_000 });
      await page.waitForFunction((b) => {
        const s = window.__planner.store.getState();
        const el = document.querySelector('[data-testid="summary-text"]');
        return s.compliance.report && !s.compliance.busy && el && el.textContent === b;
      }, before, { timeout: 90_000 });

      await page.click('[data-testid="lang-toggle"]');
      await page.waitForFunction(() => document.documentElement.lang === 'en');
      const en = await sites.nth(0).innerText();
      assert(/Suggested 1/.test(en) && /km of road within 4 min/.test(en), `English gain text: ${en}`);
      assert(/the plan’s \d+ sites cover [\d.]+ %; the best \d+ cover/i.test(await page.locator('[data-testid="optimizer-plan"]').innerText()), 'English plan comparison');
      await showPanel(page);
      await shot('optimizer-en');
    },
  },
];
