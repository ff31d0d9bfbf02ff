/**
 * One map update per drag step (issue #14): while a station is dragged and the worker computes that step's live
 * results (isochrone, verdicts), the map sources wait for them, so the moved station and the results are handed to
 * MapLibre in one frame (one re-tiling of the changed sources, not one per answer). The pointer still sees the
 * station move at once: an HTML marker (moved with CSS, no map render) stands at the dragged position meanwhile.
 * A hold lasts at most HOLD_MS, so a fast drag whose answers keep being superseded still updates the map.
 */
import * as maplibregl from 'maplibre-gl';
import type { Map as MlMap } from 'maplibre-gl';
import type { Station } from '../core/types';
import type { PlannerStore } from '../store';
import { CLASS_COLOURS, DEFAULT_STATION_COLOUR } from './style';

export const HOLD_MS = 1000;

/** The station whose position differs between what the map shows (`shown`) and the scenario now (`now`). */
export function movedStation(shown: readonly Station[], now: readonly Station[]): Station | undefined {
  if (shown === now) return undefined;
  const at = new Map(shown.map((st) => [st.id, st]));
  return now.find((st) => {
    const was = at.get(st.id);
    return !was || was.lon !== st.lon || was.lat !== st.lat;
  });
}

/** Whether the map waits: a drag is on, its answers are pending, and the hold began less than HOLD_MS ago. */
export function shouldHold(s: Pick<PlannerStore, 'dragging' | 'compliance' | 'iso'>, heldSinceMs: number | null, nowMs: number): boolean {
  if (!s.dragging || !(s.compliance.busy || s.iso.busy)) return false;
  return heldSinceMs === null || nowMs - heldSinceMs < HOLD_MS;
}

/** A planned station's look (white disc, ring in its class colour) as a DOM element for the marker. */
function markerElement(): HTMLDivElement {
  const el = document.createElement('div');
  el.className = 'drag-marker';
  el.setAttribute('aria-hidden', 'true');
  Object.assign(el.style, { width: '14px', height: '14px', borderRadius: '50%', background: '#ffffff', boxSizing: 'border-box', border: `4px solid ${DEFAULT_STATION_COLOUR}`, pointerEvents: 'none' });
  return el;
}

export interface DragHold {
  /** True: do not sync now (the marker shows the dragged station); `again` is called when the hold runs out. */
  wait(s: PlannerStore, again: () => void): boolean;
  dispose(): void;
}

export function dragHold(map: MlMap): DragHold {
  let shown: readonly Station[] = [];
  let since: number | null = null;
  let timer: ReturnType<typeof setTimeout> | undefined;
  let marker: maplibregl.Marker | null = null;
  let onMap = false;
  const release = () => {
    since = null;
    clearTimeout(timer);
    if (onMap) marker?.remove();
    onMap = false;
  };
  return {
    wait(s, again) {
      const stations = s.scenario?.present.stations ?? [];
      const now = performance.now();
      if (!shouldHold(s, since, now)) {
        release();
        shown = stations;
        return false;
      }
      if (since === null) {
        since = now;
        timer = setTimeout(again, HOLD_MS);
      }
      const st = movedStation(shown, stations);
      if (st) {
        marker ??= new maplibregl.Marker({ element: markerElement() });
        marker.getElement().style.borderColor = CLASS_COLOURS[st.stationClass] ?? DEFAULT_STATION_COLOUR;
        marker.setLngLat([st.lon, st.lat]);
        if (!onMap) marker.addTo(map);
        onMap = true;
      }
      return true;
    },
    dispose() {
      release();
      marker = null;
    },
  };
}
