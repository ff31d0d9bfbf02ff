/**
 * Scenarios: the plan as published and named planner scenarios (switch, new, duplicate, rename, delete, import,
 * export; autosaved), proposed stations (add by map click, drag with live re-check, rename, class, delete),
 * undo / redo (Ctrl+Z, Ctrl+Shift+Z / Ctrl+Y), and the before / after panel against the plan as published.
 */
import { memo, useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { MapLayerMouseEvent } from 'maplibre-gl';
import { canRedo, canUndo, changesFromPublished, STATION_CLASSES, type Scenario } from '../../core/scenario';
import type { Station, StationClass } from '../../core/types';
import { PUBLISHED_ID, useStore } from '../../store';
import { selectNetworkReady, selectScenario } from '../../store/selectors';
import {
  deleteScenario, dragStation, nudgeStation, placeProposed, duplicateActive, endDrag, newScenario, publishedScenario,
  conflictCopyNameOf, redoScenario, removeStation, renameActive, renameProposed, resetScenario, resolveConflict, restoreStation,
  setProposedClass, startPlacing, switchScenario, undoScenario,
} from '../../store/scenario';
import { dismissIo, exportScenario, importScenarioFile, resolveImport } from '../../store/scenarioFiles';
import { useScenarioSync } from '../../store/scenarioSync';
import { useEditLock } from '../../store/editLock';
import { msgText } from '../../i18n/msg';
import { runCompliance } from '../../store/compliance';
import { computeIsochrone } from '../../store/actions';
import { getMap } from '../../map/instance';
import { BeforeAfterPanel } from './BeforeAfterPanel';
import './scenario.css';

const DRAG_LAYERS = ['stations-planned', 'approx-ring-planned'];

/** Press on a planned / proposed station and drag it: the scenario, isochrone and verdicts follow every frame. */
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
    const live = (id: string, dropped = false) => {
      // The worker client keeps only the latest request per kind: sending every frame never queues work.
      void runCompliance();
      const s = useStore.getState();
      if (!selectNetworkReady(s)) return;
      const ids = s.iso.all ? 'all' : [id];
      // While the station moves, only the travel-limit band follows it (no road lines); all bands come back on the drop.
      if (dropped) void computeIsochrone(ids);
      else void computeIsochrone(ids, [(s.compliance.report?.settings.travelLimitS ?? 240) / 60], { lines: false });
    };
    // Move / up are followed on the window: the pointer may pass over a popup or leave the canvas mid-drag.
    const onMove = (e: MouseEvent) => {
      if (!draggingId) return;
      const r = map.getCanvas().getBoundingClientRect();
      const x = e.clientX - r.left;
      const y = e.clientY - r.top;
      // A click with a trembling hand is not a move: start only beyond a few pixels.
      if (!moved && Math.hypot(x - start.x, y - start.y) < 5) return;
      moved = true;
      const ll = map.unproject([Math.min(Math.max(x, 0), r.width), Math.min(Math.max(y, 0), r.height)]);
      const at: [number, number] = [ll.lng, ll.lat];
      cancelAnimationFrame(frame);
      frame = requestAnimationFrame(() => {
        if (!draggingId) return;
        dragStation(draggingId, at, key);
        live(draggingId);
      });
    };
    const onUp = () => {
      if (!draggingId) return;
      const id = draggingId;
      draggingId = null;
      map.getCanvas().style.cursor = '';
      window.removeEventListener('mousemove', onMove);
      window.removeEventListener('mouseup', onUp);
      map.dragPan.enable();
      if (moved)
        requestAnimationFrame(() => {
          cancelAnimationFrame(frame);
          endDrag();
          live(id, true);
        });
    };
    const onDown = (e: MapLayerMouseEvent) => {
      const id = e.features?.[0]?.properties?.id;
      if (typeof id !== 'string' || useStore.getState().placing || e.originalEvent.button !== 0) return;
      e.preventDefault(); // keeps the map from panning
      map.dragPan.disable();
      draggingId = id;
      moved = false;
      start = { x: e.point.x, y: e.point.y };
      key = `drag:${id}:${Date.now()}`;
      map.getCanvas().style.cursor = 'grabbing';
      window.addEventListener('mousemove', onMove);
      window.addEventListener('mouseup', onUp);
    };
    for (const l of DRAG_LAYERS) map.on('mousedown', l, onDown);
    return () => {
      for (const l of DRAG_LAYERS) map.off('mousedown', l, onDown);
      window.removeEventListener('mousemove', onMove);
      window.removeEventListener('mouseup', onUp);
      if (draggingId) endDrag();
    };
  }, [mapReady]);
}

/** Ctrl+Y redo and Delete (selected proposed / planned station); Ctrl+Z, Ctrl+Shift+Z and Esc are in the app shell. */
function useKeys() {
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      const t = e.target;
      if (t instanceof HTMLElement && (/^(INPUT|SELECT|TEXTAREA)$/.test(t.tagName) || t.isContentEditable)) return;
      if ((e.ctrlKey || e.metaKey) && !e.shiftKey && e.key.toLowerCase() === 'y') {
        e.preventDefault();
        redoScenario();
        return;
      }
      const arrows: Record<string, [number, number]> = { ArrowLeft: [-1, 0], ArrowRight: [1, 0], ArrowUp: [0, 1], ArrowDown: [0, -1] };
      if (e.altKey && arrows[e.key]) {
        const s = useStore.getState();
        const sel = s.selection;
        const st = sel?.kind === 'station' ? s.scenario?.present.stations.find((x) => x.id === sel.props.id) : undefined;
        if (!st || st.status === 'existing') return;
        e.preventDefault();
        const step = e.shiftKey ? 100 : 20; // metres
        nudgeStation(st.id, arrows[e.key][0] * step, arrows[e.key][1] * step);
        return;
      }
      if (e.key === 'Delete' && !e.ctrlKey && !e.metaKey) {
        const s = useStore.getState();
        const sel = s.selection;
        if (sel?.kind !== 'station' || typeof sel.props.id !== 'string') return;
        const st = s.scenario?.present.stations.find((x) => x.id === sel.props.id);
        if (!st || st.status === 'existing') return;
        e.preventDefault();
        removeStation(st.id);
      }
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, []);
}

/** Another tab saved a scenario this tab has unsaved changes of: reload theirs, or keep mine as a copy. */
function TabConflict() {
  const { t } = useTranslation();
  const lang = useStore((s) => s.lang);
  const list = useStore((s) => s.scenarios);
  const c = useScenarioSync((s) => s.conflicts[0]);
  if (!c) return null;
  const copy = conflictCopyNameOf(c, list);
  const time = new Date(c.theirs.scenario.updatedAt).toLocaleTimeString(lang === 'en' ? 'en-GB' : 'zh-CN');
  const gone = !!c.theirs.deleted;
  return (
    <div className="scn-dialog" role="alertdialog" aria-labelledby="scn-tab-ask" data-testid="tab-conflict" data-scenario={c.id}>
      <p id="scn-tab-ask">{gone ? t('scenario.tabConflictDeleted', { name: c.name }) : t('scenario.tabConflict', { name: c.name, time })}</p>
      <div className="row">
        <button type="button" data-testid="tab-reload" onClick={() => resolveConflict('reload')}>{t(gone ? 'scenario.tabReloadDeleted' : 'scenario.tabReload')}</button>
        <button type="button" data-testid="tab-keep-copy" autoFocus onClick={() => resolveConflict('copy')}>{t(gone ? 'scenario.tabKeepCopyDeleted' : 'scenario.tabKeepCopy', { copy })}</button>
      </div>
    </div>
  );
}

// (memo + the active scenario's id and name only: a drag step changes the scenario's stations, not these)
const ScenarioManager = memo(function ScenarioManager() {
  const { t } = useTranslation();
  const lang = useStore((s) => s.lang);
  const list = useStore((s) => s.scenarios);
  const activeId = useStore((s) => s.activeScenarioId);
  const activeScnId = useStore((s) => selectScenario(s)?.id);
  const activeName = useStore((s) => selectScenario(s)?.name);
  const save = useStore((s) => s.scenarioSave);
  const io = useStore((s) => s.scenarioIo);
  const waiting = useScenarioSync((s) => s.conflicts.length > 0);
  const [renaming, setRenaming] = useState<string | null>(null);
  const [renameErr, setRenameErr] = useState('');
  const fileRef = useRef<HTMLInputElement>(null);
  if (activeScnId === undefined || activeName === undefined) return null;
  const active = { id: activeScnId, name: activeName };
  const published = activeId === PUBLISHED_ID;
  const L = (m: { zh: string; en: string }) => (lang === 'en' ? m.en : m.zh);
  const label = (s: Pick<Scenario, 'id' | 'name'>) => (s.id === PUBLISHED_ID ? t('scenario.published') : s.name);

  const commitRename = () => {
    if (renaming === null) return;
    const r = renameActive(renaming);
    if (r === 'ok' || renaming.trim() === active.name) {
      setRenaming(null);
      setRenameErr('');
    } else setRenameErr(t(r === 'taken' ? 'scenario.nameTaken' : 'scenario.nameInvalid'));
  };

  return (
    <div className="scn-manager">
      <TabConflict />
      <label className="scn-select">
        <span>{t('scenario.current')}</span>
        <select data-testid="scenario-select" value={activeId} onChange={(e) => switchScenario(e.target.value)}>
          <option value={PUBLISHED_ID}>{t('scenario.published')}</option>
          {list.map((s) => (
            <option key={s.id} value={s.id}>{s.name}</option>
          ))}
        </select>
      </label>
      {renaming !== null ? (
        <div className="row">
          <input
            aria-label={t('scenario.renameLabel')}
            data-testid="scenario-name"
            value={renaming}
            maxLength={200}
            autoFocus
            onChange={(e) => setRenaming(e.target.value)}
            onKeyDown={(e) => {
              if (e.key === 'Enter') commitRename();
              if (e.key === 'Escape') {
                e.stopPropagation();
                setRenaming(null);
              }
            }}
          />
          <button type="button" onClick={commitRename}>{t('scenario.ok')}</button>
          <button type="button" onClick={() => setRenaming(null)}>{t('scenario.cancel')}</button>
          {renameErr && <p className="error" role="alert">{renameErr}</p>}
        </div>
      ) : (
        <div className="row">
          <button type="button" data-testid="scenario-new" onClick={newScenario}>{t('scenario.new')}</button>
          <button type="button" data-testid="scenario-duplicate" onClick={duplicateActive}>{t('scenario.duplicate')}</button>
          <button type="button" data-testid="scenario-rename" disabled={published} onClick={() => setRenaming(active.name)}>{t('scenario.rename')}</button>
          <button
            type="button"
            data-testid="scenario-delete"
            disabled={published}
            onClick={() => window.confirm(t('scenario.deleteConfirm', { name: label(active) })) && deleteScenario(active.id)}
          >
            {t('scenario.delete')}
          </button>
        </div>
      )}
      <div className="row">
        <button type="button" data-testid="export-scenario" onClick={exportScenario}>{t('scenario.export')}</button>
        <button type="button" data-testid="import-scenario" onClick={() => fileRef.current?.click()}>{t('scenario.import')}</button>
        <input
          ref={fileRef}
          type="file"
          accept=".geojson,.json,application/geo+json,application/json"
          data-testid="import-scenario-file"
          className="visually-hidden"
          tabIndex={-1}
          onChange={(e) => {
            const f = e.target.files?.[0];
            e.target.value = '';
            if (f) void importScenarioFile(f);
          }}
        />
      </div>
      {published ? (
        <p className="muted" data-testid="published-note">{t('scenario.publishedNote')}</p>
      ) : (
        <p className={`muted save-${save.status}`} data-testid="save-status" data-status={waiting ? 'conflict' : save.status} aria-live="polite">
          {save.status === 'error'
            ? t('scenario.saveError', { msg: save.error ?? '' })
            : waiting
              ? t('scenario.tabWaiting')
              : save.status === 'pending'
                ? t('scenario.saving')
                : save.at
                  ? t('scenario.saved', { time: new Date(save.at).toLocaleTimeString(lang === 'en' ? 'en-GB' : 'zh-CN') })
                  : ''}
        </p>
      )}
      {io.status === 'ask' && io.pending && (
        <div className="scn-dialog" role="alertdialog" aria-labelledby="scn-ask" data-testid="import-conflict">
          <p id="scn-ask">{t('scenario.conflict', { file: io.pending.fileName, name: io.pending.conflictWith.name })}</p>
          <div className="row">
            <button type="button" data-testid="import-keep" autoFocus onClick={() => resolveImport('keep')}>{t('scenario.keepBoth', { name: io.pending.suggestedName })}</button>
            <button type="button" data-testid="import-replace" onClick={() => resolveImport('replace')}>{t('scenario.replace')}</button>
            <button type="button" data-testid="import-cancel" onClick={() => resolveImport('cancel')}>{t('scenario.cancel')}</button>
          </div>
        </div>
      )}
      {(io.status === 'error' || io.status === 'done' || io.status === 'ask') && !!io.messages?.length && (
        <div className={io.status === 'error' ? 'error' : 'ok'} role={io.status === 'error' ? 'alert' : 'status'} data-testid="import-message">
          <ul className="plain">
            {io.messages.map((m, i) => (
              <li key={i}>{L(m)}</li>
            ))}
          </ul>
          {io.status !== 'ask' && <button type="button" className="small" onClick={dismissIo}>{t('scenario.dismiss')}</button>}
        </div>
      )}
    </div>
  );
});

/** Name, class and delete of the selected planned / proposed station. */
function SelectedStation({ st }: { st: Station }) {
  const { t } = useTranslation();
  const [name, setName] = useState(st.name);
  useEffect(() => setName(st.name), [st.id, st.name]);
  const proposed = st.status === 'proposed';
  const commit = () => {
    if (name.trim() && name !== st.name) renameProposed(st.id, name);
    else setName(st.name);
  };
  return (
    <div className="card" data-testid="selected-station" data-station={st.id}>
      <h3>{t('scenario.selected')}: <span className={`tag-${proposed ? 'added' : 'moved'}`}>{t(`status.${st.status}`)}</span></h3>
      {proposed ? (
        <>
          <label className="field">
            <span>{t('scenario.stationName')}</span>
            <input
              data-testid="station-name"
              value={name}
              maxLength={200}
              onChange={(e) => setName(e.target.value)}
              onBlur={commit}
              onKeyDown={(e) => e.key === 'Enter' && commit()}
            />
          </label>
          <label className="field">
            <span>{t('scenario.class')}</span>
            <select data-testid="station-class" value={st.stationClass} onChange={(e) => setProposedClass(st.id, e.target.value as StationClass)}>
              {STATION_CLASSES.map((c) => (
                <option key={c} value={c}>{t(`station.${c}`)}（{c}）</option>
              ))}
            </select>
          </label>
        </>
      ) : (
        <p>{st.name} · {t(`station.${st.stationClass}`)}{st.phase ? ` · ${st.phase}` : ''}</p>
      )}
      <p className="muted">{st.lon.toFixed(5)}, {st.lat.toFixed(5)} · {t('scenario.dragHint')}</p>
      <button type="button" data-testid="station-delete" onClick={() => removeStation(st.id)} title="Delete">
        {proposed ? t('scenario.remove') : t('scenario.switchOff')}
      </button>
    </div>
  );
}

export function ScenarioPanel() {
  const { t } = useTranslation();
  useStationDrag();
  useKeys();
  const lang = useStore((s) => s.lang);
  const scenario = useStore(selectScenario);
  const history = useStore((s) => s.scenario);
  const placing = useStore((s) => s.placing);
  const placeId = useStore((s) => s.placeId);
  const placeData = useStore((s) => s.placeData);
  const selection = useStore((s) => s.selection);
  const [cls, setCls] = useState<StationClass>('一级');
  // read-only (a commander on a server place, store/editLock.ts): edit buttons disabled, the reason shown
  const lock = useEditLock((s) => s.reason);
  const lockText = lock ? msgText(t, lang, lock) : undefined;
  if (!scenario || !history || !placeId) return null;

  // What differs from the plan as published: user-added, moved and switched-off stations.
  const pub = publishedScenario(placeId, placeData);
  const off = new Set(scenario.removedIds);
  // the published plan's own sites (e.g. a sample's example sites) are not changes (issue 14)
  const changed = changesFromPublished(pub, scenario);
  const name = (st: Station) => (lang === 'en' && st.nameEn) || st.name;
  const selId = selection?.kind === 'station' && typeof selection.props.id === 'string' ? selection.props.id : undefined;
  const selected = selId ? scenario.stations.find((x) => x.id === selId && x.status !== 'existing' && !off.has(x.id)) : undefined;

  return (
    <section className="section" aria-labelledby="scn-title" data-testid="scenario">
      <h2 id="scn-title">{t('scenario.title')}</h2>
      <ScenarioManager />
      <p className="muted">{t('scenario.hint')}</p>
      {lockText && <p className="warn-text" data-testid="scenario-readonly">{lockText}</p>}
      <div className="row">
        {placing ? (
          <>
            <span className="placing" role="status" data-testid="placing">{t('scenario.placing', { cls: t(`station.${placing}`) })}</span>
            <button
              type="button"
              data-testid="place-centre"
              onClick={() => {
                const c = getMap()?.getCenter();
                if (c) placeProposed([c.lng, c.lat]);
              }}
            >
              {t('scenario.placeCentre')}
            </button>
            <button type="button" onClick={() => startPlacing(null)}>{t('scenario.cancel')}</button>
          </>
        ) : (
          <>
            <label className="inline">
              {t('scenario.class')}{' '}
              <select data-testid="add-station-class" value={cls} onChange={(e) => setCls(e.target.value as StationClass)}>
                {STATION_CLASSES.map((c) => (
                  <option key={c} value={c}>{t(`station.${c}`)}</option>
                ))}
              </select>
            </label>
            <button type="button" data-testid="add-station" disabled={!!lock} title={lockText} onClick={() => startPlacing(cls)}>
              {t('scenario.add')}
            </button>
          </>
        )}
      </div>
      <div className="row">
        <button type="button" data-testid="undo" onClick={undoScenario} disabled={!canUndo(history) || !!lock} title={lockText ?? 'Ctrl+Z'}>{t('scenario.undo')}</button>
        <button type="button" data-testid="redo" onClick={redoScenario} disabled={!canRedo(history) || !!lock} title={lockText ?? 'Ctrl+Shift+Z / Ctrl+Y'}>{t('scenario.redo')}</button>
        <button type="button" onClick={() => window.confirm(t('scenario.resetConfirm')) && resetScenario()} disabled={!changed.length || !!lock} title={lockText}>{t('scenario.reset')}</button>
        <span className="muted">{t('scenario.steps', { n: history.past.length })}</span>
      </div>
      {selected && <SelectedStation st={selected} />}
      <h3>{t('scenario.changes')}</h3>
      {changed.length === 0 ? (
        <p className="muted">{t('scenario.noChanges')}</p>
      ) : (
        <ul className="changes" data-testid="scenario-changes">
          {changed.map(({ st, what }) => (
            <li key={st.id}>
              <span className={`tag-${what}`}>{what === 'deleted' ? t('stumbles.deleted') : t(`scenario.${what}`)}</span> {name(st)}
              <span className="muted"> {t(`station.${st.stationClass}`)} · {st.lon.toFixed(5)}, {st.lat.toFixed(5)}</span>{' '}
              {what === 'deleted' ? null : what === 'off' ? (
                <button type="button" className="small" onClick={() => restoreStation(st.id)}>{t('scenario.restore')}</button>
              ) : (
                <button type="button" className="small" onClick={() => removeStation(st.id)}>{st.status === 'proposed' ? t('scenario.remove') : t('scenario.switchOff')}</button>
              )}
            </li>
          ))}
        </ul>
      )}
      <BeforeAfterPanel />
    </section>
  );
}
