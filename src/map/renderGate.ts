/**
 * One map render per drag step (issue #14). MapLibre asks for a frame on every event of an updated source: when the
 * worker has taken the new data (nothing new to draw yet), and again as each re-tiled tile comes back; tiles arrive
 * at different times, so one update used to cost three to five renders, each drawing every layer. While a drag
 * step's update is being tiled, the gate holds those frame requests back, and lets one through when every source
 * handed an update has all its tiles (or GATE_MS after the gate closed, whatever holds came since, so the map never
 * stays stale).
 *
 * This wraps `triggerRepaint` on the map instance (MapLibre calls it for every frame it wants; if a version does not
 * have it, the gate does nothing and the map renders as before).
 */
import type { Map as MlMap } from 'maplibre-gl';

export const GATE_MS = 400;

interface MapInternals {
  triggerRepaint(): void;
}

export interface RenderGate {
  /**
   * Holds renders until these sources are loaded (or GATE_MS): call right after handing them updates. `then` runs when
   * the gate opens, just before the held frame is asked for (at once if nothing is held); such a hold (a drag's
   * drop, once per drag) gets a full GATE_MS of its own.
   */
  hold(sourceIds: readonly string[], then?: () => void): void;
  dispose(): void;
}

export function renderGate(map: MlMap): RenderGate {
  const m = map as unknown as MapInternals;
  const own = m.triggerRepaint;
  const ownProperty = Object.prototype.hasOwnProperty.call(map, 'triggerRepaint');
  const waiting = new Set<string>();
  let pending = false;
  let timer: ReturnType<typeof setTimeout> | undefined;
  let thens: (() => void)[] = [];
  const open = () => {
    waiting.clear();
    clearTimeout(timer);
    const run = thens;
    thens = [];
    for (const f of run) f();
    if (pending) {
      pending = false;
      own.call(map);
    }
  };
  const check = () => {
    for (const id of waiting) if (!map.getSource(id) || map.isSourceLoaded(id)) waiting.delete(id);
    if (!waiting.size) open();
  };
  const onData = (e: { sourceId?: string; sourceDataType?: string }) => {
    // (a 'metadata' event comes before the tiles are marked for reloading: the source may look loaded then)
    if (!waiting.size || !e.sourceId || !waiting.has(e.sourceId) || e.sourceDataType === 'metadata') return;
    check();
    if (waiting.size) setTimeout(check, 0);
  };
  if (typeof own !== 'function') return { hold(_, then) { then?.(); }, dispose() {} };
  m.triggerRepaint = function gated(this: unknown) {
    if (waiting.size) pending = true;
    else own.call(map);
  };
  map.on('sourcedata', onData);
  return {
    hold(ids, then) {
      if (then) thens.push(then);
      if (!ids.length) {
        if (!waiting.size) open();
        return;
      }
      // the bound runs from the first hold of a closed gate: steps faster than the re-tiling do not push it back,
      // so a frame goes through at least every GATE_MS
      if (!waiting.size || then) {
        clearTimeout(timer);
        timer = setTimeout(open, GATE_MS);
      }
      for (const id of ids) waiting.add(id);
    },
    dispose() {
      open();
      map.off('sourcedata', onData);
      if (ownProperty) m.triggerRepaint = own;
      else delete (m as Partial<MapInternals>).triggerRepaint;
    },
  };
}
