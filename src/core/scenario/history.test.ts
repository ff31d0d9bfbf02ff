import { describe, expect, it } from 'vitest';
import { canRedo, canUndo, createHistory, push, redo, seal, undo } from './history';
import { moveStation } from './ops';
import { makeScenario, T1 } from './fixtures';

describe('History', () => {
  it('undoes and redoes 150 steps exactly', () => {
    let h = createHistory(0);
    for (let i = 1; i <= 150; i++) h = push(h, i);
    expect(h.past).toHaveLength(150);
    for (let i = 149; i >= 0; i--) {
      h = undo(h);
      expect(h.present).toBe(i);
    }
    expect(canUndo(h)).toBe(false);
    expect(undo(h)).toBe(h);
    for (let i = 1; i <= 150; i++) h = redo(h);
    expect(h.present).toBe(150);
    expect(canRedo(h)).toBe(false);
  });

  it('keeps at most `limit` steps (default 200 ≥ 100), dropping the oldest', () => {
    let h = createHistory(0);
    for (let i = 1; i <= 250; i++) h = push(h, i);
    expect(h.past).toHaveLength(200);
    expect(h.past[0]).toBe(50);
    let small = createHistory('a', 100);
    for (let i = 0; i < 130; i++) small = push(small, `s${i}`);
    expect(small.past).toHaveLength(100);
    while (canUndo(small)) small = undo(small);
    expect(small.present).toBe('s29'); // 130 pushes, 100 kept → oldest reachable is the 30th
  });

  it('a new push after undo drops the redo branch; pushing the present is a no-op', () => {
    let h = push(push(createHistory('a'), 'b'), 'c');
    h = undo(h);
    expect(h.present).toBe('b');
    h = push(h, 'd');
    expect(canRedo(h)).toBe(false);
    expect(h.past).toEqual(['a', 'b']);
    expect(push(h, h.present)).toBe(h);
  });

  it('coalesces consecutive drag moves of one station into one undo step', () => {
    const s0 = makeScenario();
    let h = createHistory(s0);
    let s = s0;
    for (let i = 1; i <= 30; i++) {
      s = moveStation(s, 'pl-1', 114.18 + i * 0.0001, 22.83, T1);
      h = push(h, s, 'move:pl-1');
    }
    expect(h.past).toHaveLength(1);
    expect(h.present.stations[1].lon).toBeCloseTo(114.183, 10);
    // a second drag of the same station after seal() is a new step
    h = seal(h);
    s = moveStation(s, 'pl-1', 114.19, 22.84, T1);
    h = push(h, s, 'move:pl-1');
    expect(h.past).toHaveLength(2);
    // another key ends the group too
    h = push(h, moveStation(h.present, 'pl-1', 114.2, 22.84, T1), 'move:other');
    expect(h.past).toHaveLength(3);
    h = undo(undo(h));
    expect(h.present.stations[1].lon).toBeCloseTo(114.183, 10);
    h = undo(h);
    expect(h.present).toBe(s0);
    // after undo, the same key does not merge into the restored state
    h = push(h, moveStation(h.present, 'pl-1', 114.1, 22.8, T1), 'move:pl-1');
    expect(h.past).toEqual([s0]);
  });
});
