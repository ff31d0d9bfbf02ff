import { afterEach, describe, expect, it, vi } from 'vitest';
import type { Map as MlMap } from 'maplibre-gl';
import { GATE_MS, renderGate } from './renderGate';

/** A stand-in for the map: counts frame requests, fires 'sourcedata', reports each source loaded or not. */
function fakeMap() {
  const handlers: ((e: object) => void)[] = [];
  const loaded: Record<string, boolean> = { live: true, facilities: true };
  class FakeMap {
    frames = 0;
    triggerRepaint() { this.frames++; }
    on(_: string, f: (e: object) => void) { handlers.push(f); }
    off(_: string, f: (e: object) => void) { handlers.splice(handlers.indexOf(f), 1); }
    getSource(id: string) { return id in loaded ? {} : undefined; }
    isSourceLoaded(id: string) { return loaded[id]; }
  }
  const map = new FakeMap();
  const fire = (e: object) => [...handlers].forEach((f) => f(e));
  return { map, loaded, fire, handlers };
}

describe('render gate: one frame per drag step', () => {
  afterEach(() => vi.useRealTimers());

  it('holds the frames a source update asks for until its tiles are in, then asks once', () => {
    const { map, loaded, fire } = fakeMap();
    const gate = renderGate(map as unknown as MlMap);
    map.triggerRepaint();
    expect(map.frames).toBe(1); // no hold: as before
    gate.hold(['live']);
    loaded.live = false;
    map.triggerRepaint(); // the worker took the data
    fire({ sourceId: 'live', sourceDataType: 'metadata' });
    map.triggerRepaint(); // a first tile back
    fire({ sourceId: 'live', tile: {} });
    expect(map.frames).toBe(1);
    loaded.live = true; // the last tile back
    map.triggerRepaint();
    fire({ sourceId: 'live', tile: {} });
    expect(map.frames).toBe(2);
    map.triggerRepaint();
    expect(map.frames).toBe(3); // open again
    gate.dispose();
  });

  it('ignores other sources and a source that looks loaded before its tiles are marked (metadata)', () => {
    const { map, fire } = fakeMap();
    const gate = renderGate(map as unknown as MlMap);
    gate.hold(['live']);
    map.triggerRepaint();
    fire({ sourceId: 'facilities', tile: {} });
    fire({ sourceId: 'live', sourceDataType: 'metadata' });
    expect(map.frames).toBe(0);
    fire({ sourceId: 'live', sourceDataType: 'content' });
    expect(map.frames).toBe(1);
    gate.dispose();
  });

  it('never holds longer than GATE_MS, and gives the map back on dispose', () => {
    vi.useFakeTimers();
    const { map, loaded, handlers } = fakeMap();
    const gate = renderGate(map as unknown as MlMap);
    loaded.live = false;
    gate.hold(['live']);
    map.triggerRepaint();
    vi.advanceTimersByTime(GATE_MS - 1);
    expect(map.frames).toBe(0);
    vi.advanceTimersByTime(1);
    expect(map.frames).toBe(1);
    gate.hold(['live']);
    map.triggerRepaint();
    gate.dispose();
    expect(map.frames).toBe(2); // a held frame is not lost
    expect(handlers).toHaveLength(0);
    expect(Object.prototype.hasOwnProperty.call(map, 'triggerRepaint')).toBe(false);
  });
});

describe('render gate: drag steps faster than the re-tiling', () => {
  afterEach(() => vi.useRealTimers());

  it('lets a frame through at least every GATE_MS, however often hold() is called', () => {
    vi.useFakeTimers();
    const { map, loaded } = fakeMap();
    const gate = renderGate(map as unknown as MlMap);
    loaded.live = false; // MapLibre never catches up
    const seen: number[] = [];
    for (let t = 0; t < 2000; t += 50) {
      gate.hold(['live']); // a drag step every 50 ms
      map.triggerRepaint();
      vi.advanceTimersByTime(50);
      seen.push(map.frames);
    }
    expect(map.frames).toBeGreaterThanOrEqual(Math.floor(2000 / GATE_MS));
    // no gap between frames longer than GATE_MS (+ one step)
    let lastAt = 0;
    seen.forEach((n, i) => {
      if (i && n > seen[i - 1]) lastAt = (i + 1) * 50;
      expect((i + 1) * 50 - lastAt).toBeLessThanOrEqual(GATE_MS + 50);
    });
    gate.dispose();
  });
});
