/**
 * Swipe view: a second, non-interactive map laid over the main one shows scenario B (its stations and its
 * compliance districts), clipped to the right of a divider. Left of the divider is the main map (the open
 * scenario). The camera follows the main map; the divider is a range input (keyboard-operable).
 */
import { useEffect, useRef } from 'react';
import { useTranslation } from 'react-i18next';
import * as maplibregl from 'maplibre-gl';
import type { GeoJSONSource, Map as MlMap } from 'maplibre-gl';
import type { Feature, FeatureCollection } from 'geojson';
import { PUBLISHED_ID, useStore, type PlannerState } from '../../store';
import { scenarioById, scenarioFeatures } from '../../store/scenario';
import { selectRoads } from '../../store/selectors';
import type { Scenario } from '../../core/scenario';
import { getMap } from '../../map/instance';
import { buildStyle, LOCAL_CJK_FONT } from '../../map/style';
import { facilityLabels } from '../../map/sources';
import { addImages } from '../../map/images';

const EMPTY: FeatureCollection = { type: 'FeatureCollection', features: [] };

let lastB: [Scenario | undefined, FeatureCollection] = [undefined, EMPTY];
/** Scenario B's stations as map features (the same collection while B is unchanged). */
function bStations(b: Scenario | undefined): FeatureCollection {
  if (b === lastB[0]) return lastB[1];
  const features: Feature[] = b ? scenarioFeatures(b).map((f) => ({ ...f, properties: { ...f.properties, ...facilityLabels(f.properties ?? {}) } })) : [];
  lastB = [b, { type: 'FeatureCollection', features }];
  return lastB[1];
}

/** The sources the B side draws (a subset of the main map's). */
function bSources(s: PlannerState): Record<string, FeatureCollection> {
  return {
    boundary: s.placeData.boundary ?? EMPTY,
    districts: s.placeData.districts ?? EMPTY,
    water: s.placeData.water ?? EMPTY,
    roads: selectRoads(s) ?? EMPTY,
    facilities: bStations(scenarioById(s, s.compareScn.bId)),
    'cmp-districts': (s.compareScn.b?.report?.districts as FeatureCollection | undefined) ?? EMPTY,
  };
}

export function SwipeView() {
  const { t } = useTranslation();
  const on = useStore((s) => s.compareScn.showOnMap && s.compareScn.mapSide === 'swipe' && !!s.compareScn.bId);
  const split = useStore((s) => s.compareScn.split);
  const bName = useStore((s) => {
    const b = scenarioById(s, s.compareScn.bId);
    return b ? (b.id === PUBLISHED_ID ? t('scenario.published') : b.name) : '';
  });
  const leftName = useStore((s) => (s.activeScenarioId === PUBLISHED_ID ? t('scenario.published') : s.scenario?.present.name ?? ''));
  const holder = useRef<HTMLDivElement>(null);

  useEffect(() => {
    const main = getMap();
    const el = holder.current;
    if (!on || !main || !el) return;
    let map: MlMap;
    try {
      map = new maplibregl.Map({
        container: el, style: buildStyle(useStore.getState().lang), interactive: false, attributionControl: false,
        localIdeographFontFamily: LOCAL_CJK_FONT, fadeDuration: 0, center: main.getCenter(), zoom: main.getZoom(),
      });
    } catch {
      return; // no WebGL: the main map already says so
    }
    const last = new Map<string, FeatureCollection>();
    const sync = () => {
      if (!map.isStyleLoaded()) return;
      const data = bSources(useStore.getState());
      for (const [id, fc] of Object.entries(data)) {
        if (last.get(id) === fc) continue;
        (map.getSource(id) as GeoJSONSource | undefined)?.setData(fc);
        last.set(id, fc);
      }
    };
    const follow = () => map.jumpTo({ center: main.getCenter(), zoom: main.getZoom(), bearing: main.getBearing() });
    map.on('load', () => {
      addImages(map);
      // the B side shows stations and verdicts only: hide the other overlays of the shared style
      for (const l of map.getStyle().layers)
        if (/^(iso|route|estimate|cmp-(pockets|failing|noaccess|barriers|worst|focus)|scn-compare|hydrants|intakes|pois)/.test(l.id)) map.setLayoutProperty(l.id, 'visibility', 'none');
      sync();
      follow();
    });
    map.on('styleimagemissing', () => addImages(map));
    map.on('idle', () => el.setAttribute('data-drawn', 'true'));
    main.on('move', follow);
    const un = useStore.subscribe(sync);
    return () => {
      un();
      main.off('move', follow);
      map.remove();
    };
  }, [on]);

  if (!on) return null;
  return (
    <div className="swipe" data-testid="swipe">
      <div ref={holder} className="swipe-map" style={{ clipPath: `inset(0 0 0 ${split}%)` }} />
      <div className="swipe-line" style={{ left: `${split}%` }} aria-hidden="true" />
      <div className="swipe-tag swipe-left" style={{ right: `${100 - split}%` }}>◀ {leftName}</div>
      <div className="swipe-tag swipe-right" style={{ left: `${split}%` }}>B: {bName} ▶</div>
      <input
        type="range"
        min={5}
        max={95}
        value={split}
        className="swipe-range"
        data-testid="swipe-range"
        aria-label={t('compare.swipeLabel')}
        onChange={(e) => useStore.getState().set({ compareScn: { ...useStore.getState().compareScn, split: Number(e.target.value) } })}
      />
    </div>
  );
}
