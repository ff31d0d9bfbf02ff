/** Scenario editing: add a proposed site, drag planned / proposed sites on the map, switch off, undo / redo, export. */
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { MapLayerMouseEvent } from 'maplibre-gl';
import { canRedo, canUndo } from '../../core/scenario';
import type { Station, StationClass } from '../../core/types';
import { useStore } from '../../store';
import { selectScenario } from '../../store/selectors';
import {
  dragStation, endDrag, exportScenario, redoScenario, removeStation, resetScenario, restoreStation, startPlacing, undoScenario,
} from '../../store/scenario';
import { getMap } from '../../map/instance';

const CLASSES: StationClass[] = ['一级', '二级', '小型', '特勤', '乡镇一级', '乡镇二级'];
const DRAG_LAYERS = ['stations-planned', 'approx-ring-planned'];

/** Press on a planned / proposed station and drag it; one undo step per drag. */
function useStationDrag() {
  const mapReady = useStore((s) => s.mapReady);
  useEffect(() => {
    const map = getMap();
    if (!map || !mapReady) return;
    let draggingId: string | null = null;
    let key = '';
    let frame = 0;
    let start = { x: 0, y: 0 };
    let moved = false;
    const onMove = (e: MapLayerMouseEvent | { point: { x: number; y: number }; lngLat: { lng: number; lat: number } }) => {
      if (!draggingId) return;
      // A click with a trembling hand is not a move: start only beyond a few pixels.
      if (!moved && Math.hypot(e.point.x - start.x, e.point.y - start.y) < 5) return;
      moved = true;
      const at: [number, number] = [e.lngLat.lng, e.lngLat.lat];
      cancelAnimationFrame(frame);
      frame = requestAnimationFrame(() => draggingId && dragStation(draggingId, at, key));
    };
    const onUp = () => {
      if (!draggingId) return;
      draggingId = null;
      map.getCanvas().style.cursor = '';
      map.off('mousemove', onMove);
      map.dragPan.enable();
      if (moved) requestAnimationFrame(() => endDrag());
    };
    const onDown = (e: MapLayerMouseEvent) => {
      const id = e.features?.[0]?.properties?.id;
      if (typeof id !== 'string' || useStore.getState().placing) return;
      e.preventDefault(); // keeps the map from panning
      map.dragPan.disable();
      draggingId = id;
      moved = false;
      start = { x: e.point.x, y: e.point.y };
      key = `drag:${id}:${Date.now()}`;
      map.getCanvas().style.cursor = 'grabbing';
      map.on('mousemove', onMove);
      map.once('mouseup', onUp);
    };
    for (const l of DRAG_LAYERS) map.on('mousedown', l, onDown);
    return () => {
      for (const l of DRAG_LAYERS) map.off('mousedown', l, onDown);
      map.off('mousemove', onMove);
      map.off('mouseup', onUp);
    };
  }, [mapReady]);
}

export function ScenarioPanel() {
  const { t } = useTranslation();
  useStationDrag();
  const lang = useStore((s) => s.lang);
  const scenario = useStore(selectScenario);
  const history = useStore((s) => s.scenario);
  const placing = useStore((s) => s.placing);
  const placeData = useStore((s) => s.placeData);
  const [cls, setCls] = useState<StationClass>('一级');
  if (!scenario || !history) return null;

  // What differs from the place data: user-added, moved and switched-off stations.
  const orig = new Map<string, [number, number]>();
  for (const fc of [placeData.facilities, placeData.plan])
    for (const f of fc?.features ?? []) if (f.properties?.kind === 'station' && f.geometry.type === 'Point') orig.set(String(f.properties.id), f.geometry.coordinates as [number, number]);
  const off = new Set(scenario.removedIds);
  const changed = scenario.stations
    .map((st) => ({ st, what: off.has(st.id) ? 'off' : st.status === 'proposed' ? 'added' : orig.has(st.id) && (orig.get(st.id)![0] !== st.lon || orig.get(st.id)![1] !== st.lat) ? 'moved' : '' }))
    .filter((x) => x.what);
  const name = (st: Station) => (lang === 'en' && st.nameEn) || st.name;

  return (
    <section className="section" aria-labelledby="scn-title" data-testid="scenario">
      <h2 id="scn-title">{t('scenario.title')}</h2>
      <p className="muted">{t('scenario.hint')}</p>
      <div className="row">
        {placing ? (
          <>
            <span className="placing" role="status">{t('scenario.placing')}</span>
            <button type="button" onClick={() => startPlacing(null)}>{t('scenario.cancel')}</button>
          </>
        ) : (
          <>
            <button type="button" data-testid="add-station" onClick={() => startPlacing(cls)}>
              {t('scenario.add')}
            </button>
            <label className="inline">
              {t('scenario.class')}{' '}
              <select data-testid="add-station-class" value={cls} onChange={(e) => setCls(e.target.value as StationClass)}>
                {CLASSES.map((c) => (
                  <option key={c} value={c}>{t(`station.${c}`)}</option>
                ))}
              </select>
            </label>
          </>
        )}
      </div>
      <div className="row">
        <button type="button" data-testid="undo" onClick={undoScenario} disabled={!canUndo(history)} title="Ctrl+Z">{t('scenario.undo')}</button>
        <button type="button" data-testid="redo" onClick={redoScenario} disabled={!canRedo(history)} title="Ctrl+Shift+Z">{t('scenario.redo')}</button>
        <button type="button" onClick={() => window.confirm(t('scenario.resetConfirm')) && resetScenario()} disabled={!changed.length}>{t('scenario.reset')}</button>
        <button type="button" data-testid="export-scenario" onClick={exportScenario}>{t('scenario.export')}</button>
      </div>
      <h3>{t('scenario.changes')}</h3>
      {changed.length === 0 ? (
        <p className="muted">{t('scenario.noChanges')}</p>
      ) : (
        <ul className="changes" data-testid="scenario-changes">
          {changed.map(({ st, what }) => (
            <li key={st.id}>
              <span className={`tag-${what}`}>{t(`scenario.${what}`)}</span> {name(st)}
              <span className="muted"> {t(`station.${st.stationClass}`)} · {st.lon.toFixed(5)}, {st.lat.toFixed(5)}</span>{' '}
              {what === 'off' ? (
                <button type="button" className="small" onClick={() => restoreStation(st.id)}>{t('scenario.restore')}</button>
              ) : (
                <button type="button" className="small" onClick={() => removeStation(st.id)}>{st.status === 'proposed' ? t('scenario.remove') : t('scenario.switchOff')}</button>
              )}
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
