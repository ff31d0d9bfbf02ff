// Issue 15 "two tabs": two pages of one browser context (same IndexedDB, same origin) edit the same place's
// scenarios. A tab sees the other's saves live; a tab that would overwrite a newer version asks (reload theirs /
// keep mine as a copy) and nothing either tab did is lost, after a reload too.
import { assert, open } from './helpers.mjs';

const PLACE = 'qingxi';

const st = (page, fn, arg) => page.evaluate(fn, arg);

/** The open scenario: id, name, the ids of its proposed stations. */
const openScenario = (page) => st(page, () => {
  const s = window.__planner.store.getState();
  const p = s.scenario.present;
  return { id: s.activeScenarioId, name: p.name, proposed: p.stations.filter((x) => x.status === 'proposed').map((x) => x.id) };
});

/** Every user scenario of the tab: name → ids of its proposed stations. */
const allScenarios = (page) => st(page, () => {
  const s = window.__planner.store.getState();
  return Object.fromEntries(s.scenarios.map((x) => [x.name, x.stations.filter((y) => y.status === 'proposed').map((y) => y.id).sort()]));
});

/** Adds a proposed station at the map centre (the keyboard way); returns its id. */
async function addAtCentre(page) {
  const before = (await openScenario(page)).proposed;
  await page.click('[data-testid="add-station"]');
  await page.click('[data-testid="place-centre"]');
  await page.waitForFunction((ids) => window.__planner.store.getState().scenario?.present.stations.some((x) => x.status === 'proposed' && !ids.includes(x.id)), before, { timeout: 10_000 });
  return (await openScenario(page)).proposed.find((x) => !before.includes(x));
}

const waitSaved = (page) => page.waitForFunction(() => window.__planner.store.getState().scenarioSave.status === 'saved', null, { timeout: 20_000 });

/** Writes a newer revision of a stored scenario straight into IndexedDB, as a tab whose change notice got lost would. */
const writeBehindTheTabsBack = (page, id, name) => st(page, ([place, sid, newName]) => new Promise((resolve, reject) => {
  const req = indexedDB.open('fire-planner-scenarios');
  req.onerror = () => reject(req.error);
  req.onsuccess = () => {
    const tx = req.result.transaction('scenarios', 'readwrite');
    const os = tx.objectStore('scenarios');
    const key = `scn:${place}:${sid}`;
    const g = os.get(key);
    g.onsuccess = () => {
      const r = g.result;
      os.put({ ...r, rev: r.rev + 1, tab: 'tab-elsewhere', scenario: { ...r.scenario, name: newName, updatedAt: new Date().toISOString() } }, key);
    };
    tx.oncomplete = () => resolve(true);
    tx.onerror = () => reject(tx.error);
  };
}), [PLACE, id, name]);

export const tests = [
  {
    name: 'two tabs: live sync, a conflict asks (keep mine as a copy / reload theirs), nothing lost after reload',
    async run({ page: a, base, errors }) {
      await open(a, base, `?place=${PLACE}`);
      const s1 = await addAtCentre(a); // forks 方案 1 from the plan as published
      await waitSaved(a);
      const scn = await openScenario(a);
      assert(scn.id !== 'published', 'editing the published plan did not start a scenario');

      // tab B (same context: same IndexedDB) opens on the same scenario
      const b = await a.context().newPage();
      b.on('pageerror', (e) => errors.push(`tab B: ${e}`));
      await open(b, base, `?place=${PLACE}`);
      await b.waitForFunction((id) => window.__planner.store.getState().activeScenarioId === id, scn.id, { timeout: 20_000 });
      assert((await openScenario(b)).proposed.includes(s1), 'tab B does not see the station tab A saved');

      // live: A adds a station, B shows it without a reload
      const s2 = await addAtCentre(a);
      await waitSaved(a);
      await b.waitForFunction((id) => window.__planner.store.getState().scenario?.present.stations.some((x) => x.id === id), s2, { timeout: 10_000 });

      // conflict through the change notice: B has an unsaved edit (held back as during a drag) when A saves
      await st(b, () => window.__planner.store.getState().set({ dragging: true }));
      const sB = await addAtCentre(b);
      const s3 = await addAtCentre(a);
      await waitSaved(a);
      await b.waitForSelector('[data-testid="tab-conflict"]', { timeout: 10_000 });
      const askZh = await b.textContent('[data-testid="tab-conflict"]');
      assert(askZh.includes('另一个标签页') && askZh.includes(scn.name), `zh prompt: ${askZh}`);
      assert((await b.getAttribute('[data-testid="save-status"]', 'data-status')) === 'conflict', 'B claims to be saving while it asks');
      await b.screenshot({ path: 'tests/e2e/screenshots/tabs-conflict-zh.png' });
      await b.click('[data-testid="lang-toggle"]');
      const askEn = await b.textContent('[data-testid="tab-conflict"]');
      assert(askEn.includes('Another tab') && askEn.includes('copy'), `en prompt: ${askEn}`);
      await b.locator('[data-testid="tab-conflict"]').scrollIntoViewIfNeeded();
      await b.screenshot({ path: 'tests/e2e/screenshots/tabs-conflict-en.png' });
      await b.click('[data-testid="lang-toggle"]');
      // while B asks, its version is not written over A's
      await st(b, () => window.__planner.store.getState().set({ dragging: false }));
      await b.waitForTimeout(800);
      assert((await openScenario(a)).proposed.includes(s3), "A's station vanished while B was asking");

      // keep mine as a copy: B opens its copy (with its own station); the original is A's version in both tabs
      await b.click('[data-testid="tab-keep-copy"]');
      await waitSaved(b);
      const copyName = `${scn.name}（本页副本）`;
      const inB = await allScenarios(b);
      assert(inB[copyName] && inB[copyName].includes(sB), `B's copy missing or without its station: ${JSON.stringify(inB)}`);
      assert(JSON.stringify(inB[scn.name]) === JSON.stringify([s1, s2, s3].sort()), `B's original is not A's version: ${JSON.stringify(inB)}`);
      assert((await openScenario(b)).name === copyName, 'B does not show its copy');
      await a.waitForFunction((n) => window.__planner.store.getState().scenarios.some((x) => x.name === n), copyName, { timeout: 10_000 });

      // conflict through the stored revision (a change whose notice never came): B's save is refused, then asks
      await b.selectOption('[data-testid="scenario-select"]', scn.id);
      await waitSaved(b);
      await st(b, () => window.__planner.store.getState().set({ dragging: true }));
      const sB2 = await addAtCentre(b);
      await writeBehindTheTabsBack(b, scn.id, '别处改名');
      await st(b, () => window.__planner.store.getState().set({ dragging: false }));
      await b.waitForSelector('[data-testid="tab-conflict"]', { timeout: 10_000 });
      // reload theirs: B takes the stored version; its own edit is one undo step away
      await b.click('[data-testid="tab-reload"]');
      await b.waitForFunction(() => window.__planner.store.getState().scenario?.present.name === '别处改名', null, { timeout: 10_000 });
      assert(!(await openScenario(b)).proposed.includes(sB2), 'reload theirs kept B\'s unsaved station');
      await b.click('[data-testid="undo"]');
      assert((await openScenario(b)).proposed.includes(sB2), "undo does not bring back B's station after reload theirs");
      await b.click('[data-testid="redo"]');
      await waitSaved(b);

      // after a reload, A has everything: the renamed original with A's stations and B's copy with B's
      await a.reload();
      await a.waitForFunction(() => window.__planner && window.__planner.store.getState().scenarios.length >= 2, null, { timeout: 30_000 });
      const inA = await allScenarios(a);
      assert(JSON.stringify(inA['别处改名']) === JSON.stringify([s1, s2, s3].sort()), `after reload: ${JSON.stringify(inA)}`);
      assert(inA[copyName] && inA[copyName].includes(sB), `after reload, B's copy is missing: ${JSON.stringify(inA)}`);
      await b.close();
    },
  },
  {
    name: "two tabs: an older build's one-record-per-place scenarios are carried over to one record per scenario",
    async run({ page, base }) {
      await open(page, base, `?place=${PLACE}`);
      const made = await addAtCentre(page);
      await waitSaved(page);
      // rewrite the store as the previous build kept it: place:<id> → { activeId, scenarios, histories }
      const legacyId = await st(page, (place) => new Promise((resolve, reject) => {
        const s = window.__planner.store.getState();
        const scn = { ...s.scenario.present, id: 'scn-legacy', name: '旧版方案' };
        const req = indexedDB.open('fire-planner-scenarios');
        req.onsuccess = () => {
          const tx = req.result.transaction('scenarios', 'readwrite');
          const os = tx.objectStore('scenarios');
          os.clear();
          os.put({ version: 1, activeId: scn.id, scenarios: [scn], histories: { [scn.id]: { past: [{ ...scn, stations: scn.stations.filter((x) => x.status !== 'proposed') }], future: [] } } }, `place:${place}`);
          tx.oncomplete = () => resolve(scn.id);
          tx.onerror = () => reject(tx.error);
        };
      }), PLACE);
      await page.reload();
      await page.waitForFunction((id) => window.__planner && window.__planner.store.getState().activeScenarioId === id, legacyId, { timeout: 30_000 });
      const o = await openScenario(page);
      assert(o.name === '旧版方案' && o.proposed.includes(made), `legacy scenario not carried over: ${JSON.stringify(o)}`);
      assert(await page.isEnabled('[data-testid="undo"]'), 'the legacy undo step is gone');
      const keys = await st(page, () => new Promise((resolve) => {
        const req = indexedDB.open('fire-planner-scenarios');
        req.onsuccess = () => {
          const g = req.result.transaction('scenarios').objectStore('scenarios').getAllKeys();
          g.onsuccess = () => resolve(g.result);
        };
      }));
      assert(keys.includes(`scn:${PLACE}:scn-legacy`) && !keys.includes(`place:${PLACE}`), `stored keys after the carry-over: ${keys.join(', ')}`);
    },
  },
];
