/**
 * One map update per drag step (issue #14): while a station is dragged and the worker computes that step's live
 * results (isochrone, verdicts), the map sources wait for them, so the moved station and the results are handed to
 * MapLibre in one frame (one re-tiling of the changed sources, not one per answer). A hold lasts at most HOLD_MS, so
 * a fast drag whose answers keep being superseded still updates the map.
 *
 * The facilities source (every station, hydrant and intake, with their labels) is not re-tiled at every step: it
 * keeps the station where the drag began, drawn faded (feature-state `dragged`, DRAGGED_LAYERS), and an HTML marker
 * (moved with CSS, no map render) shows the station under the pointer for the whole drag; the drop hands the
 * facilities their new position once. Labels re-placed at every step would cost MapLibre a full label placement
 * and a second frame per step.
 */
import * as maplibregl from 'maplibre-gl';
import type { ExpressionSpecification, LayerSpecification, Map as MlMap, StyleSpecification } from 'maplibre-gl';
import type { Station } from '../core/types';
import type { PlannerStore } from '../store';
import { CLASS_COLOURS, DEFAULT_STATION_COLOUR } from './style';

export const HOLD_MS = 1000;
/** Sources the map does not update while a drag is on (the marker stands in for the dragged station). */
export const HELD_WHILE_DRAGGING: readonly string[] = ['facilities'];
/** Layers drawing the dragged station at its start, faded to DRAGGED_OPACITY during the drag, by paint property. */
export const DRAGGED_LAYERS: Record<string, string[]> = {
  'stations-planned': ['circle-opacity', 'circle-stroke-opacity'],
  'approx-ring-planned': ['icon-opacity'],
  'stations-label-planned': ['text-opacity'],
};
export const DRAGGED_OPACITY = 0.3;
/**
 * Label layers of the live results hidden while a drag is on (the worst-point times: their circles still move with
 * each step; the times come back on the drop): a label re-placed at every step costs a full label placement and a
 * second frame per step.
 */
export const HIDDEN_WHILE_DRAGGING: readonly string[] = ['cmp-worst-label'];

/** The style with DRAGGED_LAYERS' opacity following the feature-state `dragged` (no re-tiling, no label placement). */
export function withDraggedFade(style: StyleSpecification): StyleSpecification {
  const faded: ExpressionSpecification = ['case', ['boolean', ['feature-state', 'dragged'], false], DRAGGED_OPACITY, 1];
  const layers = style.layers.map((l): LayerSpecification => {
    const props = DRAGGED_LAYERS[l.id];
    if (!props) return l;
    const paint = { ...(l as { paint?: Record<string, unknown> }).paint };
    for (const p of props) paint[p] = faded;
    return { ...l, paint } as LayerSpecification;
  });
  return { ...style, layers };
}

/** The station whose position differs between what the map shows (`shown`) and the scenario now (`now`). */
export function movedStation(shown: readonly Station[], now: readonly Station[]): Station | undefined {
  if (shown === now) return undefined;
  const at = new Map(shown.map((st) => [st.id, st]));
  return now.find((st) => {
    const was = at.get(st.id);
    return !was || was.lon !== st.lon || was.lat !== st.lat;
  });
}

/**
 * A station is being dragged. A hydrant drag sets `dragging` too (one scenario edit and one save per drag), but its
 * answers are the hydrant audit's, not the map's live results: the map syncs it as any edit.
 */
export function stationDrag(s: Pick<PlannerStore, 'dragging' | 'hydrantAudit'>): boolean {
  return s.dragging && !s.hydrantAudit?.dragging;
}

/** Whether the map waits: a station drag is on, its answers are pending, and the hold began less than HOLD_MS ago. */
export function shouldHold(s: Pick<PlannerStore, 'dragging' | 'hydrantAudit' | 'compliance' | 'iso'>, heldSinceMs: number | null, nowMs: number): boolean {
  if (!stationDrag(s) || !(s.compliance.busy || s.iso.busy)) return false;
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
  /**
   * After a sync: if that sync was a drop's (the facilities handed the dropped position), the function that ends the
   * drag's look (marker, faded start) — to call once the map has the facilities' new tiles (renderGate's `then`);
   * it does nothing if another drag began meanwhile. Undefined when no drop is pending.
   */
  dropped(): (() => void) | undefined;
  dispose(): void;
}

/**
 * `featureOf(stationId)`: the id of the station's feature in the map's facilities source (for the faded start),
 * undefined if unknown.
 */
export function dragHold(map: MlMap, featureOf: (stationId: string) => number | undefined = () => undefined): DragHold {
  let shown: readonly Station[] = [];
  let since: number | null = null;
  let timer: ReturnType<typeof setTimeout> | undefined;
  let marker: maplibregl.Marker | null = null;
  let onMap = false;
  let ghost: number | undefined;
  let dropping = false;
  let inDrag = false;
  let gen = 0;
  const fade = (id: number | undefined) => {
    if (id === ghost) return;
    if (ghost !== undefined && map.getSource('facilities')) map.setFeatureState({ source: 'facilities', id: ghost }, { dragged: false });
    ghost = id;
    if (id !== undefined && map.getSource('facilities')) map.setFeatureState({ source: 'facilities', id }, { dragged: true });
  };
  const unhold = () => {
    since = null;
    clearTimeout(timer);
  };
  const removeMarker = (m: maplibregl.Marker | null) => {
    if (onMap) m?.remove();
    onMap = false;
  };
  const endDrag = () => {
    removeMarker(marker);
    fade(undefined);
  };
  return {
    wait(s, again) {
      const stations = s.scenario?.present.stations ?? [];
      const now = performance.now();
      const holding = shouldHold(s, since, now);
      if (!holding) unhold();
      else if (since === null) {
        since = now;
        timer = setTimeout(again, HOLD_MS);
      }
      if (!stationDrag(s)) {
        // the facilities are synced now; the marker and the faded start stay until they are drawn (dropped())
        if (inDrag) dropping = true;
        inDrag = false;
        shown = stations;
        return holding;
      }
      dropping = false;
      inDrag = true;
      gen++;
      const st = movedStation(shown, stations);
      if (st) {
        marker ??= new maplibregl.Marker({ element: markerElement() });
        marker.getElement().style.borderColor = CLASS_COLOURS[st.stationClass] ?? DEFAULT_STATION_COLOUR;
        marker.setLngLat([st.lon, st.lat]);
        if (!onMap) marker.addTo(map);
        onMap = true;
        fade(featureOf(st.id));
      }
      return holding;
    },
    dropped() {
      if (!dropping) return undefined;
      dropping = false;
      const my = ++gen;
      return () => {
        if (my !== gen) return;
        fade(undefined);
        // the marker goes after the frame that draws the facilities (MapLibre's frame was asked for first)
        const m = marker;
        if (typeof requestAnimationFrame === 'function') requestAnimationFrame(() => { if (my === gen) removeMarker(m); });
        else removeMarker(m);
      };
    },
    dispose() {
      gen++;
      unhold();
      endDrag();
      marker = null;
    },
  };
}
