/** Full-screen MapLibre map: style from style.ts, sources synced from the store, clicks → store selection. */
import { useEffect, useRef } from 'react';
import { useTranslation } from 'react-i18next';
import * as maplibregl from 'maplibre-gl';
import type { GeoJSONSource, Map as MlMap, MapGeoJSONFeature } from 'maplibre-gl';
import type { FeatureCollection } from 'geojson';
import { useStore, type PlannerStore, type Selection } from '../store';
import { selectPlace } from '../store/selectors';
import { buildStyle, LABEL_LAYERS, LAYER_GROUPS, LOCAL_CJK_FONT, SOURCE_IDS, type SourceId } from './style';
import { sourceData } from './sources';
import { planUpdate, type SourceMirror } from './diffSync';
import { addImages } from './images';
import { setMap } from './instance';
import { perfBaseline } from './perfBaseline';
import { dragHold } from './dragHold';
import { placeProposed } from '../store/scenario';
import { placeHydrant } from '../store/hydrantAudit';

// (A closed road is not a click target: clicking a street routes there — and a refused route names the closure — while
// hovering the road shows its reason.)
const POINT_LAYERS = ['stations-existing', 'stations-planned', 'approx-ring-existing', 'approx-ring-planned', 'hydrants-circle', 'intakes-symbol', 'pois-circle', 'rules-barrier-circle', 'hyd-proposed-circle'];
/** Road-rule closures: their reason as the hover text (plain text, the canvas title); a barrier also opens a popup on click. */
const RULE_LAYERS = ['rules-barrier-circle', 'rules-closed-line', 'rules-limit-line'];

function pickKind(f: MapGeoJSONFeature): Selection['kind'] {
  const k = f.properties?.kind;
  if (f.layer.id === 'pois-circle') return 'poi';
  if (RULE_LAYERS.includes(f.layer.id)) return 'road-rule';
  if (k === 'station' || k === 'hydrant' || k === 'water-intake') return k;
  return 'district';
}

/** The drag bench (tests/bench/drag.ts) counts the JSON handed to the map when window.__planner.countBytes is a number. */
function countBytes(v: unknown, id: SourceId): void {
  const p = (window as unknown as { __planner?: { countBytes?: number | null; bytesBySource?: Record<string, number> } }).__planner;
  if (p && typeof p.countBytes === 'number') {
    const n = JSON.stringify(v).length;
    p.countBytes += n;
    (p.bytesBySource ??= {})[id] = (p.bytesBySource[id] ?? 0) + n;
  }
}

/** The map's copy of each source: the last collection handed over, and what the map holds of it (diffSync.ts). */
interface Synced {
  fc: FeatureCollection;
  mirror: SourceMirror;
}

/** Hands MapLibre what changed since the last sync: nothing for an unchanged collection, else a diff or the whole. */
function syncSources(map: MlMap, s: PlannerStore, last: Map<SourceId, Synced>): void {
  const data = sourceData(s);
  for (const id of SOURCE_IDS) {
    const prev = last.get(id);
    if (prev?.fc === data[id]) continue;
    const src = map.getSource(id) as GeoJSONSource | undefined;
    if (!src) continue;
    const u = planUpdate(prev?.mirror, data[id]);
    if (u.kind === 'set') {
      void src.setData(u.data);
      countBytes(u.data, id);
    } else if (u.kind === 'diff') {
      const diff = { add: u.add, remove: u.remove };
      void src.updateData(diff);
      countBytes(diff, id);
    }
    last.set(id, { fc: data[id], mirror: u.mirror });
  }
}

function syncVisibility(map: MlMap, layers: PlannerStore['layers']): void {
  for (const [group, ids] of Object.entries(LAYER_GROUPS)) {
    const vis = layers[group as keyof typeof layers] ? 'visible' : 'none';
    for (const id of ids) if (map.getLayer(id) && map.getLayoutProperty(id, 'visibility') !== vis) map.setLayoutProperty(id, 'visibility', vis);
  }
}

function syncLabels(map: MlMap, lang: PlannerStore['lang']): void {
  for (const l of LABEL_LAYERS) if (map.getLayer(l.id)) map.setLayoutProperty(l.id, 'text-field', l.field(lang));
}

export function MapView() {
  const container = useRef<HTMLDivElement>(null);
  const mapError = useStore((s) => s.mapError);
  const { t } = useTranslation();

  useEffect(() => {
    const el = container.current;
    if (!el) return;
    const store = useStore;
    let map: MlMap;
    try {
      map = new maplibregl.Map({
        container: el,
        style: buildStyle(store.getState().lang, { dragTiling: !perfBaseline() }),
        center: [114.06, 22.54],
        zoom: 9,
        attributionControl: false,
        localIdeographFontFamily: LOCAL_CJK_FONT,
        maxPitch: 0,
        dragRotate: false,
        // Not 0: with 0 MapLibre redoes the whole label placement (every road name) on every frame; 1 ms places
        // labels only when their tiles or the view change, and a 1-ms fade is still an instant change.
        fadeDuration: perfBaseline() ? 0 : 1,
      });
    } catch (e) {
      console.error('map init failed', e);
      (window as unknown as { __planner: unknown }).__planner = { map: null, store };
      store.getState().set({ mapError: true });
      return;
    }
    setMap(map);
    (window as unknown as { __planner: unknown }).__planner = { map, store };
    map.addControl(new maplibregl.NavigationControl({ showCompass: false }), 'top-right');
    map.addControl(new maplibregl.ScaleControl({ unit: 'metric' }), 'bottom-right');
    const last = new Map<SourceId, Synced>();
    let flownTo: string | undefined;
    // Sources are synced once per animation frame, with the store as it is then: a drag step's several store
    // changes (the moved station, busy flags, the isochrone, the verdicts) reach MapLibre together.
    let frame = 0;
    const immediate = perfBaseline();
    const hold = dragHold(map);
    const syncNow = () => {
      frame = 0;
      const s = store.getState();
      // While a station is dragged and its live results are being computed, the map waits for them (at most
      // HOLD_MS): the moved station, its isochrone and the verdicts then reach MapLibre in one frame, one re-tiling
      // instead of one per answer; meanwhile a marker shows the dragged station under the pointer.
      if (!immediate && hold.wait(s, () => { if (!frame) frame = requestAnimationFrame(syncNow); })) return;
      syncSources(map, s, last);
    };

    const fly = (s: PlannerStore) => {
      const place = selectPlace(s);
      if (!place || flownTo === place.id) return;
      flownTo = place.id;
      const [w, so, e, n] = place.bbox;
      map.fitBounds([[w, so], [e, n]], { padding: 40, duration: 900, maxZoom: 15 });
    };

    map.on('load', () => {
      addImages(map);
      const s = store.getState();
      syncSources(map, s, last);
      syncVisibility(map, s.layers);
      fly(s);
      store.getState().set({ mapReady: true });
    });

    map.on('styleimagemissing', () => addImages(map));

    map.on('click', (ev) => {
      if (store.getState().placing) {
        placeProposed([ev.lngLat.lng, ev.lngLat.lat]);
        return;
      }
      if (store.getState().hydrantAudit?.placing) {
        placeHydrant([ev.lngLat.lng, ev.lngLat.lat]);
        return;
      }
      const pad = 6;
      const box: [maplibregl.PointLike, maplibregl.PointLike] = [[ev.point.x - pad, ev.point.y - pad], [ev.point.x + pad, ev.point.y + pad]];
      const layers = POINT_LAYERS.filter((id) => map.getLayer(id) && map.getLayoutProperty(id, 'visibility') !== 'none');
      const hits = layers.length ? map.queryRenderedFeatures(box, { layers }) : [];
      const lngLat: [number, number] = [ev.lngLat.lng, ev.lngLat.lat];
      const s = store.getState();
      if (hits.length) {
        const f = hits[0];
        const coords = f.geometry.type === 'Point' ? (f.geometry.coordinates as [number, number]) : lngLat;
        s.select({ kind: pickKind(f), props: { ...f.properties }, lngLat: coords });
        return;
      }
      const districtVisible = map.getLayer('districts-fill') && map.getLayoutProperty('districts-fill', 'visibility') !== 'none';
      const districts = districtVisible ? map.queryRenderedFeatures(ev.point, { layers: ['districts-fill'] }) : [];
      if (districts.length) s.select({ kind: 'district', props: { ...districts[0].properties }, lngLat });
      else s.select({ kind: 'point', lngLat });
    });

    for (const id of POINT_LAYERS) {
      map.on('mouseenter', id, () => (map.getCanvas().style.cursor = 'pointer'));
      map.on('mouseleave', id, () => (map.getCanvas().style.cursor = ''));
    }

    for (const id of RULE_LAYERS) {
      map.on('mousemove', id, (ev) => {
        const p = ev.features?.[0]?.properties;
        const text = p ? String((store.getState().lang === 'en' ? p.en : p.zh) ?? '') : '';
        if (map.getCanvas().title !== text) map.getCanvas().title = text;
      });
      map.on('mouseleave', id, () => (map.getCanvas().title = ''));
    }

    const unsub = store.subscribe((s, prev) => {
      if (s.placing !== prev.placing) map.getCanvas().style.cursor = s.placing ? 'crosshair' : '';
      if (s.hydrantAudit?.placing !== prev.hydrantAudit?.placing) map.getCanvas().style.cursor = s.hydrantAudit?.placing ? 'crosshair' : '';
      if (!map.isStyleLoaded() && !s.mapReady) return;
      if (immediate) syncSources(map, s, last);
      else if (!frame) frame = requestAnimationFrame(syncNow);
      if (s.layers !== prev.layers) syncVisibility(map, s.layers);
      if (s.lang !== prev.lang) syncLabels(map, s.lang);
      if (s.placeId !== prev.placeId || s.places !== prev.places) fly(s);
    });

    return () => {
      unsub();
      cancelAnimationFrame(frame);
      hold.dispose();
      setMap(null);
      map.remove();
    };
  }, []);

  if (mapError) {
    return (
      <div className="map-error" role="alert" data-testid="map-error">
        <p lang="zh-CN">{t('map.noWebgl')}</p>
        <p lang="en">{t('map.noWebglEn')}</p>
      </div>
    );
  }
  return <div ref={container} className="map" data-testid="map" />;
}
