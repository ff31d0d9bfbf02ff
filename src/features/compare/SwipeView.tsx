/**
 * Swipe view: scenario A left of a divider, scenario B right of it. Each half is a non-interactive map laid over
 * the main one (its stations and its compliance districts over the same roads and boundaries), clipped to its
 * side; the camera follows the main map, which keeps taking the mouse. Two overlays rather than the main map for A:
 * the main map shows the open scenario with its isochrones, routes and selection, and must not change meaning
 * while swiping; with two overlays both halves are drawn alike (issue 14: both halves used to show B).
 * The divider is a range input (keyboard-operable).
 */
import { useEffect, useRef } from 'react';
import { useTranslation } from 'react-i18next';
import * as maplibregl from 'maplibre-gl';
import type { GeoJSONSource, Map as MlMap } from 'maplibre-gl';
import type { FeatureCollection } from 'geojson';
import { PUBLISHED_ID, useStore } from '../../store';
import { getMap } from '../../map/instance';
import { buildStyle, LOCAL_CJK_FONT } from '../../map/style';
import { addImages } from '../../map/images';
import { swipeScenario, swipeSources, type SwipeSide } from './swipeSources';

/** One half: an overlay map drawing one scenario, clipped to its side of the divider. */
function SideMap({ side, split }: { side: SwipeSide; split: number }) {
  const holder = useRef<HTMLDivElement>(null);

  useEffect(() => {
    const main = getMap();
    const el = holder.current;
    if (!main || !el) return;
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
    // sources exist from 'load' on; isStyleLoaded() is still false then while the empty sources load, which
    // used to skip the first sync (the half stayed empty until the store changed)
    let ready = false;
    const sync = () => {
      if (!ready) return;
      const data = swipeSources(useStore.getState(), side);
      for (const [id, fc] of Object.entries(data)) {
        if (last.get(id) === fc) continue;
        (map.getSource(id) as GeoJSONSource | undefined)?.setData(fc);
        last.set(id, fc);
      }
      // what this half draws, for tests and assistive checks: the station ids handed to the map
      el.dataset.stations = data.facilities.features.map((f) => String(f.properties?.id)).sort().join(' ');
    };
    const follow = () => map.jumpTo({ center: main.getCenter(), zoom: main.getZoom(), bearing: main.getBearing() });
    map.on('load', () => {
      ready = true;
      addImages(map);
      // a half shows stations and verdicts only: hide the other overlays of the shared style
      for (const l of map.getStyle().layers)
        if (/^(iso|route|estimate|cmp-(pockets|failing|noaccess|barriers|worst|focus)|scn-compare|hydrants|intakes|pois|road-rules)/.test(l.id)) map.setLayoutProperty(l.id, 'visibility', 'none');
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
  }, [side]);

  const clip = side === 'A' ? `inset(0 ${100 - split}% 0 0)` : `inset(0 0 0 ${split}%)`;
  return <div ref={holder} className="swipe-map" data-testid={`swipe-map-${side.toLowerCase()}`} style={{ clipPath: clip }} />;
}

export function SwipeView() {
  const { t } = useTranslation();
  const on = useStore((s) => s.compareScn.showOnMap && s.compareScn.mapSide === 'swipe' && !!s.compareScn.aId && !!s.compareScn.bId);
  const split = useStore((s) => s.compareScn.split);
  const nameOf = (side: SwipeSide) => (s: Parameters<typeof swipeScenario>[0]) => {
    const x = swipeScenario(s, side);
    return x ? (x.id === PUBLISHED_ID ? t('scenario.published') : x.name) : '';
  };
  const aName = useStore(nameOf('A'));
  const bName = useStore(nameOf('B'));

  if (!on) return null;
  return (
    <div className="swipe" data-testid="swipe">
      <SideMap side="A" split={split} />
      <SideMap side="B" split={split} />
      <div className="swipe-line" style={{ left: `${split}%` }} aria-hidden="true" />
      <div className="swipe-tag swipe-left" data-testid="swipe-tag-a" style={{ right: `${100 - split}%` }}>◀ {t('stumbles.swipeA', { name: aName })}</div>
      <div className="swipe-tag swipe-right" data-testid="swipe-tag-b" style={{ left: `${split}%` }}>{t('stumbles.swipeB', { name: bName })} ▶</div>
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
