/** Full-screen MapLibre map: style from style.ts, sources synced from the store, clicks → store selection. */
import { useEffect, useRef } from 'react';
import { useTranslation } from 'react-i18next';
import * as maplibregl from 'maplibre-gl';
import type { GeoJSONSource, Map as MlMap, MapGeoJSONFeature } from 'maplibre-gl';
import type { Feature, FeatureCollection } from 'geojson';
import { useStore, type PlannerStore, type Selection } from '../store';
import { selectPlace } from '../store/selectors';
import { buildStyle, LABEL_LAYERS, LAYER_GROUPS, LOCAL_CJK_FONT, SOURCE_IDS, type SourceId } from './style';
import { sourceData } from './sources';
import { planUpdate, type SourceMirror } from './diffSync';
import { addImages } from './images';
import { setMap } from './instance';
import { perfBaseline } from './perfBaseline';
import { dragHold, HELD_WHILE_DRAGGING, HIDDEN_WHILE_DRAGGING, stationDrag, withDraggedFade } from './dragHold';
import { featurePrint } from './diffSync';
import { LIVE_PARTS, LIVE_SOURCE, LIVE_TAG, liveMerger, liveStyle } from './liveSource';
import { renderGate } from './renderGate';
import { thinPolygons } from './thin';
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
function countBytes(v: unknown, id: string): void {
  const p = (window as unknown as { __planner?: { countBytes?: number | null; bytesBySource?: Record<string, number> } }).__planner;
  if (p && typeof p.countBytes === 'number') {
    const n = JSON.stringify(v).length;
    p.countBytes += n;
    const by = (p.bytesBySource ??= {});
    // the live source's bytes by the part each feature belongs to (what is left: ids removed, the wrapping)
    const features = (v as { features?: Feature[]; add?: Feature[] }).features ?? (v as { add?: Feature[] }).add;
    let rest = n;
    if (id === LIVE_SOURCE && features) {
      for (const f of features) {
        const k = `${id}:${String(f.properties?.[LIVE_TAG])}`;
        const m = JSON.stringify(f).length;
        by[k] = (by[k] ?? 0) + m;
        rest -= m;
      }
    }
    by[id] = (by[id] ?? 0) + rest;
  }
}

/** The map's copy of each source: the last collection handed over, and what the map holds of it (diffSync.ts). */
interface Synced {
  fc: FeatureCollection;
  mirror: SourceMirror;
}

/** The collections the map's sources get: each source id's own, the live parts merged into LIVE_SOURCE when `merge` is set. */
type SourceFeed = (s: PlannerStore) => [string, FeatureCollection][];
function sourceFeed(merge: boolean): SourceFeed {
  const live = liveMerger();
  const parts = new Set<SourceId>(merge ? LIVE_PARTS : []);
  const own = SOURCE_IDS.filter((id) => !parts.has(id));
  let thinned: [FeatureCollection, FeatureCollection] | undefined;
  return (s) => {
    const data = sourceData(s);
    const out = own.map((id): [string, FeatureCollection] => [id, data[id]]);
    if (!merge) return out;
    // while dragging, the isochrone goes over thinned (thin.ts); the drop hands over the full one
    const iso = data['iso-polygons'];
    const drag = stationDrag(s);
    if (drag && thinned?.[0] !== iso) thinned = [iso, thinPolygons(iso)];
    out.push([LIVE_SOURCE, live(drag ? { ...data, 'iso-polygons': thinned![1] } : data)]);
    return out;
  };
}

/** Hands MapLibre what changed since the last sync: nothing for an unchanged collection, else a diff or the whole. Returns the sources updated. */
function syncSources(map: MlMap, s: PlannerStore, last: Map<string, Synced>, feed: SourceFeed, held: readonly string[] = []): string[] {
  const updated: string[] = [];
  for (const [id, fc] of feed(s)) {
    if (held.includes(id)) continue;
    const prev = last.get(id);
    if (prev?.fc === fc) continue;
    const src = map.getSource(id) as GeoJSONSource | undefined;
    if (!src) continue;
    const u = planUpdate(prev?.mirror, fc);
    if (u.kind === 'set') {
      void src.setData(u.data);
      countBytes(u.data, id);
    } else if (u.kind === 'diff') {
      const diff = { add: u.add, remove: u.remove };
      void src.updateData(diff);
      countBytes(diff, id);
    }
    if (u.kind !== 'none') updated.push(id);
    last.set(id, { fc, mirror: u.mirror });
  }
  return updated;
}

function syncVisibility(map: MlMap, layers: PlannerStore['layers']): void {
  for (const [group, ids] of Object.entries(LAYER_GROUPS)) {
    const vis = layers[group as keyof typeof layers] ? 'visible' : 'none';
    for (const id of ids) if (map.getLayer(id) && map.getLayoutProperty(id, 'visibility') !== vis) map.setLayoutProperty(id, 'visibility', vis);
  }
}

function hideWhileDragging(map: MlMap): void {
  for (const id of HIDDEN_WHILE_DRAGGING) if (map.getLayer(id)) map.setLayoutProperty(id, 'visibility', 'none');
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
        // ?perf=before: the separate sources of before the drag work; else the drag-changed ones merged (liveSource.ts)
        style: perfBaseline() ? buildStyle(store.getState().lang, { dragTiling: false }) : withDraggedFade(liveStyle(buildStyle(store.getState().lang))),
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
    const last = new Map<string, Synced>();
    const feed = sourceFeed(!perfBaseline());
    let flownTo: string | undefined;
    // Sources are synced once per animation frame, with the store as it is then: a drag step's several store
    // changes (the moved station, busy flags, the isochrone, the verdicts) reach MapLibre together.
    let frame = 0;
    const immediate = perfBaseline();
    // the dragged station's feature in the facilities source as last handed over (drawn faded during the drag)
    const featureOf = (stationId: string) => {
      const f = last.get('facilities');
      const at = f?.fc.features.find((x) => x.properties?.kind === 'station' && x.properties.id === stationId);
      return at ? f!.mirror.byPrint.get(featurePrint(at))?.[0] : undefined;
    };
    const hold = dragHold(map, featureOf);
    const gate = immediate ? null : renderGate(map);
    const syncNow = () => {
      frame = 0;
      const s = store.getState();
      // While a station is dragged and its live results are being computed, the map waits for them (at most
      // HOLD_MS): the moved station, its isochrone and the verdicts then reach MapLibre in one frame, one re-tiling
      // instead of one per answer; meanwhile a marker shows the dragged station under the pointer.
      if (!immediate && hold.wait(s, () => { if (!frame) frame = requestAnimationFrame(syncNow); })) return;
      const drag = stationDrag(s);
      const updated = syncSources(map, s, last, feed, drag ? HELD_WHILE_DRAGGING : []);
      // a drag step's update is drawn once, when all its tiles are in (renderGate.ts); so is the drop's, and the
      // marker and the faded start go with that frame (not before: the station would show at the drag's start)
      const endDrag = hold.dropped();
      if (drag) gate?.hold(updated);
      else if (endDrag) {
        if (gate) gate.hold(updated, endDrag);
        else endDrag();
      }
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
      syncSources(map, s, last, feed);
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
      if (immediate) syncSources(map, s, last, feed);
      else if (!frame) frame = requestAnimationFrame(syncNow);
      const drag = !immediate && stationDrag(s);
      if (drag !== (!immediate && stationDrag(prev))) {
        if (drag) hideWhileDragging(map);
        else syncVisibility(map, s.layers);
      }
      if (s.layers !== prev.layers) {
        syncVisibility(map, s.layers);
        if (drag) hideWhileDragging(map); // the worst-point times come back at the drop only
      }
      if (s.lang !== prev.lang) syncLabels(map, s.lang);
      if (s.placeId !== prev.placeId || s.places !== prev.places) fly(s);
    });

    return () => {
      unsub();
      cancelAnimationFrame(frame);
      hold.dispose();
      gate?.dispose();
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
