import { describe, expect, it } from 'vitest';
import { T0, T1, makeScenario } from './fixtures';
import { moveStation, renameScenario } from './ops';
import { conflictCopyName, decideWrite, isStoredScenario, liveRecords, remoteAction, sameContent, type StoredScenario } from './sync';
import type { Scenario } from './types';

const rec = (scenario: Scenario, rev: number, tab = 'tab-b', deleted = false): StoredScenario => ({ rev, tab, scenario, ...(deleted ? { deleted: true } : {}) });

describe('decideWrite (compare-and-set of one scenario record)', () => {
  const a = makeScenario();
  const moved = moveStation(a, 'pl-1', 114.19, 22.84, T1);

  it('writes revision 1 when nothing is stored, and base + 1 over the revision the tab is based on', () => {
    const first = decideWrite(undefined, 0, { scenario: a }, 'tab-a');
    expect(first).toEqual({ ok: true, record: { rev: 1, tab: 'tab-a', scenario: a } });
    const second = decideWrite(rec(a, 1, 'tab-a'), 1, { scenario: moved, history: { past: [a], future: [] } }, 'tab-a');
    expect(second.ok && second.record.rev).toBe(2);
    expect(second.ok && second.record.history?.past).toEqual([a]);
  });

  it("refuses to overwrite another tab's newer revision with other content, and returns theirs", () => {
    const theirs = rec(renameScenario(a, '方案B', T1), 2);
    const d = decideWrite(theirs, 1, { scenario: moved }, 'tab-a');
    expect(d).toEqual({ ok: false, theirs });
  });

  it('a newer stored revision with the same content is no conflict (timestamps do not count)', () => {
    const theirs = rec({ ...moved, updatedAt: '2026-03-03T00:00:00.000Z' }, 5);
    const d = decideWrite(theirs, 3, { scenario: moved }, 'tab-a');
    expect(d.ok && d.record.rev).toBe(6);
  });

  it("deleting over another tab's newer edit, or editing over their deletion, is refused", () => {
    expect(decideWrite(rec(moved, 3), 2, { scenario: a, deleted: true }, 'tab-a').ok).toBe(false);
    expect(decideWrite(rec(a, 3, 'tab-b', true), 2, { scenario: a }, 'tab-a').ok).toBe(false);
    const del = decideWrite(rec(a, 2), 2, { scenario: a, deleted: true }, 'tab-a');
    expect(del.ok && del.record).toEqual({ rev: 3, tab: 'tab-a', scenario: a, deleted: true });
  });
});

describe('remoteAction (another tab stored a record)', () => {
  const a = makeScenario();
  const mine = moveStation(a, 'pl-1', 114.2, 22.85, T1);
  const theirs = renameScenario(a, '方案C', T1);
  it('ignores revisions this tab already has', () => {
    expect(remoteAction({ baseRev: 4, dirty: false, scenario: a }, rec(theirs, 4))).toBe('ignore');
    expect(remoteAction({ baseRev: 4, dirty: true, scenario: mine }, rec(theirs, 3))).toBe('ignore');
  });
  it('takes a newer revision over when this tab has no unsaved change of it, or holds the same content', () => {
    expect(remoteAction({ baseRev: 1, dirty: false, scenario: a }, rec(theirs, 2))).toBe('adopt');
    expect(remoteAction({ baseRev: 0, dirty: false }, rec(theirs, 1))).toBe('adopt');
    expect(remoteAction({ baseRev: 1, dirty: true, scenario: mine }, rec({ ...mine, updatedAt: T0 }, 2))).toBe('adopt');
  });
  it('asks when this tab has unsaved changes of a scenario another tab changed or deleted', () => {
    expect(remoteAction({ baseRev: 1, dirty: true, scenario: mine }, rec(theirs, 2))).toBe('conflict');
    expect(remoteAction({ baseRev: 1, dirty: true, scenario: mine }, rec(mine, 2, 'tab-b', true))).toBe('conflict');
  });
});

describe('helpers', () => {
  it('conflictCopyName is unique among the taken names', () => {
    expect(conflictCopyName('方案 1', ['方案 1'])).toBe('方案 1（本页副本）');
    expect(conflictCopyName('方案 1', ['方案 1', '方案 1（本页副本）'])).toBe('方案 1（本页副本） (2)');
  });
  it('liveRecords keeps the newest revision per id and drops deleted ones', () => {
    const a = makeScenario();
    const b = { ...makeScenario(), id: 'scn-b' };
    const out = liveRecords([rec(a, 1), rec(b, 2), rec(renameScenario(a, 'x', T1), 3), rec(b, 4, 'tab-b', true)]);
    expect(out.map((r) => [r.scenario.id, r.rev, r.scenario.name])).toEqual([['scn-a', 3, 'x']]);
  });
  it('isStoredScenario refuses values that are not records', () => {
    expect(isStoredScenario(rec(makeScenario(), 1))).toBe(true);
    for (const bad of [null, 3, {}, { rev: 0, tab: 't', scenario: makeScenario() }, { rev: 1.5, tab: 't', scenario: makeScenario() }, { rev: 1, tab: 't', scenario: { id: 'x' } }, makeScenario()])
      expect(isStoredScenario(bad)).toBe(false);
  });
  it('sameContent ignores timestamps, not stations', () => {
    const a = makeScenario();
    expect(sameContent(a, { ...a, updatedAt: T1, createdAt: T1 })).toBe(true);
    expect(sameContent(a, moveStation(a, 'pl-1', 114.3, 22.9, T1))).toBe(false);
  });
});

/** A seeded generator (mulberry32), so a failure replays. */
function rng(seed: number): () => number {
  let t = seed >>> 0;
  return () => {
    t = (t + 0x6d2b79f5) >>> 0;
    let r = Math.imul(t ^ (t >>> 15), 1 | t);
    r = (r + Math.imul(r ^ (r >>> 7), 61 | r)) ^ r;
    return ((r ^ (r >>> 14)) >>> 0) / 4294967296;
  };
}

describe('three tabs editing at random never lose an edit', () => {
  /**
   * A model of the app's protocol against one shared storage: each tab edits its copies (unsaved), saves them
   * (compare-and-set; refused = the planner keeps theirs and saves "mine as a copy"), and takes over what the
   * others announce when it has no unsaved change. Checked: no successful write replaces a record the writer had
   * not seen (or that held other content), and every tab's last content of every scenario is in storage at the end.
   */
  for (const seed of [1, 2, 3, 4, 5, 6, 7, 8]) {
    it(`seed ${seed}: 300 random steps`, () => {
      const rand = rng(seed);
      const storage = new Map<string, StoredScenario>();
      type Copy = { scenario: Scenario; baseRev: number; dirty: boolean };
      const tabs = ['t0', 't1', 't2'].map((name) => ({ name, copies: new Map<string, Copy>() }));
      const start = makeScenario();
      storage.set(start.id, rec(start, 1, 't0'));
      for (const t of tabs) t.copies.set(start.id, { scenario: start, baseRev: 1, dirty: false });
      let n = 0;
      const save = (t: (typeof tabs)[number], c: Copy) => {
        const cur = storage.get(c.scenario.id);
        const d = decideWrite(cur, c.baseRev, { scenario: c.scenario }, t.name);
        if (d.ok) {
          // never a lost update: what was stored is what this tab was based on, or the same content
          if (cur) expect(cur.rev === c.baseRev || sameContent(cur.scenario, c.scenario)).toBe(true);
          storage.set(c.scenario.id, d.record);
          t.copies.set(c.scenario.id, { scenario: c.scenario, baseRev: d.record.rev, dirty: false });
          return;
        }
        // keep mine as a copy (a new scenario), take theirs over
        const copy = { ...c.scenario, id: `${c.scenario.id}+${t.name}${n++}`, name: conflictCopyName(c.scenario.name, [...storage.values()].map((r) => r.scenario.name)) };
        t.copies.set(c.scenario.id, { scenario: d.theirs.scenario, baseRev: d.theirs.rev, dirty: false });
        t.copies.set(copy.id, { scenario: copy, baseRev: 0, dirty: true });
      };
      for (let step = 0; step < 300; step++) {
        const t = tabs[Math.floor(rand() * tabs.length)];
        const ids = [...t.copies.keys()];
        const id = ids[Math.floor(rand() * ids.length)];
        const c = t.copies.get(id)!;
        const r = rand();
        if (r < 0.45) {
          const next = moveStation(c.scenario, 'pl-1', 114 + Math.floor(rand() * 1e6) / 1e6, 22.8, T1);
          t.copies.set(id, { ...c, scenario: next, dirty: true });
        } else if (r < 0.8) {
          if (c.dirty) save(t, c);
        } else {
          for (const [sid, remote] of storage) {
            const mine = t.copies.get(sid);
            const act = remoteAction({ baseRev: mine?.baseRev ?? 0, dirty: !!mine?.dirty, scenario: mine?.scenario }, remote);
            if (act === 'adopt') t.copies.set(sid, { scenario: remote.scenario, baseRev: remote.rev, dirty: false });
          }
        }
      }
      // the unsaved work of every tab at the end: saved (conflicts resolved as copies) until nothing is left
      const unsaved = tabs.flatMap((t) => [...t.copies.values()].filter((c) => c.dirty).map((c) => c.scenario));
      expect(unsaved.length).toBeGreaterThan(0);
      for (let round = 0; round < 20; round++)
        for (const t of tabs) for (const c of [...t.copies.values()]) if (c.dirty) save(t, c);
      for (const t of tabs) for (const c of t.copies.values()) expect(c.dirty).toBe(false);
      // … and every piece of it is in storage, under its id or as a copy
      const stored = [...storage.values()].map((r) => r.scenario);
      for (const u of unsaved) expect(stored.some((s) => sameContent({ ...s, name: u.name, id: u.id }, u))).toBe(true);
      expect(storage.size).toBeGreaterThan(1); // the seeds do produce conflicts
    });
  }
});
