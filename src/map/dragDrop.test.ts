/**
 * The drop of a station drag (review of issue #14): the marker and the faded start stay until the facilities source
 * has the dropped position's tiles (or GATE_MS), so the station is never drawn at full opacity at the drag's start
 * with nothing at the drop; a hydrant drag is not a station drag for the map.
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { Map as MlMap } from 'maplibre-gl';
import type { Station } from '../core/types';
import { initialState, useStore, type PlannerStore } from '../store';
import { dragHydrant, endHydrantDrag } from '../store/hydrantAudit';
import { setPlannerClient, type PlannerClient } from '../data/planner';
import { dragHold, shouldHold, stationDrag } from './dragHold';
import { GATE_MS, renderGate } from './renderGate';

/** The marker: on the map or not (no DOM here). */
const markers: { on: boolean }[] = [];
vi.mock('maplibre-gl', () => ({
  Marker: class {
    m = { on: false };
    el = { style: {} as Record<string, string> };
    constructor() { markers.push(this.m); }
    getElement() { return this.el; }
    setLngLat() { return this; }
    addTo() { this.m.on = true; return this; }
    remove() { this.m.on = false; return this; }
  },
}));
vi.stubGlobal('document', { createElement: () => ({ style: {}, setAttribute() {} }) });

function fakeMap() {
  const handlers: ((e: object) => void)[] = [];
  const loaded: Record<string, boolean> = { live: true, facilities: true };
  const state = new Map<number, { dragged?: boolean }>();
  const map = {
    frames: 0,
    triggerRepaint() { map.frames++; },
    on(_: string, f: (e: object) => void) { handlers.push(f); },
    off(_: string, f: (e: object) => void) { handlers.splice(handlers.indexOf(f), 1); },
    getSource: (id: string) => (id in loaded ? {} : undefined),
    isSourceLoaded: (id: string) => loaded[id],
    setFeatureState(f: { id: number }, st: { dragged: boolean }) { state.set(f.id, st); map.triggerRepaint(); },
  };
  const fire = (e: object) => [...handlers].forEach((f) => f(e));
  return { map, loaded, state, fire };
}

const st = (lon: number): Station => ({ id: 'a', name: 'a', stationClass: '一级', status: 'proposed', position: 'user', source: 'test', lon, lat: 31.2 });
const store = (dragging: boolean, lon: number) =>
  ({ dragging, compliance: { busy: false }, iso: { busy: false }, scenario: { present: { stations: [st(lon)] } } }) as unknown as PlannerStore;

/** A drag of station a (feature 7 in the facilities) and its drop, as MapView's syncNow runs them. */
/** A map with its render gate and drag hold, station 7 at rest and then being dragged. */
function dragStarted() {
  const f = fakeMap();
  const map = f.map as unknown as MlMap;
  const gate = renderGate(map);
  const hold = dragHold(map, () => 7);
  hold.wait(store(false, 121.4), () => {});
  expect(hold.dropped()).toBeUndefined(); // no drag: nothing to end
  hold.wait(store(true, 121.41), () => {});
  return { f, gate, hold };
}

function dragAndDrop() {
  const { f, gate, hold } = dragStarted();
  expect(f.state.get(7)?.dragged).toBe(true);
  expect(markers.at(-1)!.on).toBe(true);
  // the drop: the facilities are handed the new position and are being tiled
  hold.wait(store(false, 121.41), () => {});
  f.loaded.facilities = false;
  const end = hold.dropped()!;
  expect(end).toBeTypeOf('function');
  expect(hold.dropped()).toBeUndefined(); // once per drop
  gate.hold(['facilities'], end);
  return { ...f, gate, hold, marker: markers.at(-1)! };
}

afterEach(() => {
  vi.useRealTimers();
  setPlannerClient(null);
  useStore.setState(initialState());
});

describe('drag drop: the drag look ends with the frame that draws the dropped station', () => {
  it('keeps the marker and the faded start until the facilities are loaded', () => {
    const { state, marker, loaded, fire, map, gate } = dragAndDrop();
    map.triggerRepaint(); // a frame asked for meanwhile: held
    fire({ sourceId: 'facilities', sourceDataType: 'metadata' });
    expect(state.get(7)?.dragged).toBe(true);
    expect(marker.on).toBe(true);
    const frames = map.frames;
    loaded.facilities = true;
    fire({ sourceId: 'facilities', tile: {} });
    expect(state.get(7)?.dragged).toBe(false);
    expect(marker.on).toBe(false);
    expect(map.frames).toBeGreaterThan(frames);
    gate.dispose();
  });

  it('never longer than GATE_MS after the drop, even if the last step had closed the gate long before', () => {
    vi.useFakeTimers();
    const { f, gate, hold } = dragStarted();
    f.loaded.live = false;
    gate.hold(['live']); // a drag step's update, never loaded
    vi.advanceTimersByTime(GATE_MS - 10);
    hold.wait(store(false, 121.42), () => {});
    f.loaded.facilities = false;
    gate.hold(['facilities', 'live'], hold.dropped()!);
    vi.advanceTimersByTime(20); // the step's bound would have run out here: the drop gets its own
    expect(markers.at(-1)!.on).toBe(true);
    vi.advanceTimersByTime(GATE_MS);
    expect(f.state.get(7)?.dragged).toBe(false);
    expect(markers.at(-1)!.on).toBe(false);
    gate.dispose();
  });

  it('a drag begun before the drop is drawn keeps its marker', () => {
    const { state, marker, loaded, fire, hold, gate } = dragAndDrop();
    hold.wait(store(true, 121.43), () => {}); // a new drag of the same station
    loaded.facilities = true;
    fire({ sourceId: 'facilities', tile: {} });
    expect(marker.on).toBe(true);
    expect(state.get(7)?.dragged).toBe(true);
    gate.dispose();
  });

  it('with nothing to wait for (the station did not move) the drag look ends at once', () => {
    const { f, gate, hold } = dragStarted();
    hold.wait(store(false, 121.4), () => {});
    gate.hold([], hold.dropped()!);
    expect(f.state.get(7)?.dragged).toBe(false);
    expect(markers.at(-1)!.on).toBe(false);
    gate.dispose();
  });
});

describe('a hydrant drag is not a station drag for the map', () => {
  it('stationDrag / shouldHold: off for a hydrant drag', () => {
    const s = (hydrant: boolean) => ({ dragging: true, hydrantAudit: hydrant ? { status: 'idle' as const, dragging: true } : undefined, compliance: { busy: true }, iso: { busy: true } }) as Parameters<typeof shouldHold>[0];
    expect(stationDrag(s(false))).toBe(true);
    expect(shouldHold(s(false), null, 0)).toBe(true);
    expect(stationDrag(s(true))).toBe(false);
    expect(shouldHold(s(true), null, 0)).toBe(false);
  });

  it('dragHydrant / endHydrantDrag set and clear the hydrant flag beside `dragging`', () => {
    setPlannerClient({ hydrantAudit: () => new Promise(() => {}) } as unknown as PlannerClient);
    dragHydrant('H1', [7.42, 43.73], 'k');
    expect(useStore.getState().dragging).toBe(true);
    expect(stationDrag(useStore.getState())).toBe(false);
    endHydrantDrag();
    expect(useStore.getState().dragging).toBe(false);
    expect(useStore.getState().hydrantAudit?.dragging).toBe(false);
  });
});
