/**
 * Hydrant audit panel (issue #13): figures along the roads with their clauses, hydrants to check (click → zoom),
 * per-district table, planning (add / drag / delete hydrants and intakes, "suggest N"), exports. Imported names are
 * rendered as text only.
 */
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { MapLayerMouseEvent } from 'maplibre-gl';
import { useStore } from '../../store';
import { selectNetworkReady } from '../../store/selectors';
import {
  auditKey, deleteHydrant, dragHydrant, endHydrantDrag, exportAudit, runHydrantAudit, selectProposedHydrants, startPlacingHydrant, suggestHydrants,
} from '../../store/hydrantAudit';
import { msgText } from '../../i18n/msg';
import { getMap } from '../../map/instance';
import type { HydrantRow } from '../../core/hydrants/audit';

const pct = (v: number | null) => (v === null ? '—' : String(Math.floor(v * 100)));

function locate(h: { id: string; name?: string; lon: number; lat: number; kind: string }): void {
  const map = getMap();
  map?.flyTo({ center: [h.lon, h.lat], zoom: Math.max(map.getZoom(), 17), duration: 600 });
  useStore.getState().select({ kind: h.kind === 'water-intake' ? 'water-intake' : 'hydrant', props: { ...h }, lngLat: [h.lon, h.lat] });
}

/** Dragging the scenario's added hydrants on the map (as proposed stations are dragged). */
function useHydrantDrag() {
  const mapReady = useStore((s) => s.mapReady);
  useEffect(() => {
    const map = getMap();
    if (!map || !mapReady) return;
    let id: string | null = null, key = '', moved = false, frame = 0;
    let start = { x: 0, y: 0 };
    const onMove = (e: MouseEvent) => {
      if (!id) return;
      const r = map.getCanvas().getBoundingClientRect();
      const x = e.clientX - r.left, y = e.clientY - r.top;
      if (!moved && Math.hypot(x - start.x, y - start.y) < 5) return;
      moved = true;
      const ll = map.unproject([Math.min(Math.max(x, 0), r.width), Math.min(Math.max(y, 0), r.height)]);
      cancelAnimationFrame(frame);
      frame = requestAnimationFrame(() => { if (id) dragHydrant(id, [ll.lng, ll.lat], key); });
    };
    const onUp = () => {
      if (!id) return;
      id = null;
      window.removeEventListener('mousemove', onMove);
      window.removeEventListener('mouseup', onUp);
      map.dragPan.enable();
      map.getCanvas().style.cursor = '';
      if (moved) requestAnimationFrame(() => { cancelAnimationFrame(frame); endHydrantDrag(); });
    };
    const onDown = (e: MapLayerMouseEvent) => {
      const fid = e.features?.[0]?.properties?.id;
      if (typeof fid !== 'string' || e.originalEvent.button !== 0) return;
      e.preventDefault();
      map.dragPan.disable();
      id = fid;
      moved = false;
      start = { x: e.point.x, y: e.point.y };
      key = `drag-hydrant:${fid}:${Date.now()}`;
      map.getCanvas().style.cursor = 'grabbing';
      window.addEventListener('mousemove', onMove);
      window.addEventListener('mouseup', onUp);
    };
    map.on('mousedown', 'hyd-proposed-circle', onDown);
    return () => {
      map.off('mousedown', 'hyd-proposed-circle', onDown);
      window.removeEventListener('mousemove', onMove);
      window.removeEventListener('mouseup', onUp);
    };
  }, [mapReady]);
}

function Clause({ text }: { text: string }) {
  const { t } = useTranslation();
  return <div className="muted small">{t('hydrantAudit.clause')}: {text}</div>;
}

export function HydrantAuditPanel() {
  const { t } = useTranslation();
  const lang = useStore((s) => s.lang);
  const ready = useStore(selectNetworkReady);
  const key = useStore(auditKey);
  const slice = useStore((s) => s.hydrantAudit);
  const proposed = useStore(selectProposedHydrants);
  const [count, setCount] = useState(10);
  useHydrantDrag();

  useEffect(() => {
    if (key) void runHydrantAudit();
  }, [key]);

  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      const s = useStore.getState();
      if (e.key === 'Escape' && s.hydrantAudit?.placing) startPlacingHydrant(null);
      // Delete: the selected hydrant / intake when the planner added it in this scenario.
      const target = e.target;
      if (e.key !== 'Delete' || (target instanceof HTMLElement && /^(INPUT|SELECT|TEXTAREA)$/.test(target.tagName))) return;
      const id = s.selection && (s.selection.kind === 'hydrant' || s.selection.kind === 'water-intake') ? s.selection.props.id : undefined;
      if (typeof id === 'string' && selectProposedHydrants(s).some((h) => h.id === id)) {
        deleteHydrant(id);
        s.select(null);
      }
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, []);

  const placeId = useStore((s) => s.placeId);
  if (!placeId) return null;
  const result = slice?.key === key ? slice?.result : undefined;
  const a = result?.audit;
  const f = a?.figures;
  const L = (zh: string, en?: string) => (lang === 'en' ? en ?? zh : zh);
  const problems = (a?.hydrants ?? []).filter((h) => h.far || h.problem || h.spacingOk === false);
  const why = (h: HydrantRow) => [
    h.far && Number.isFinite(h.offRoadM) ? t('hydrantAudit.offRoad', { m: h.offRoadM }) : '',
    h.problem ? t(`hydrantAudit.problem.${h.problem}`) : '',
    h.spacingOk === false ? t('hydrantAudit.problem.spacing') : '',
  ].filter(Boolean).join(lang === 'en' ? ', ' : '，');

  return (
    <section className="section" aria-labelledby="hyd-title" data-testid="hydrant-audit">
      <h2 id="hyd-title">{t('hydrantAudit.title')}</h2>
      {!ready && <p className="muted">{t('hydrantAudit.needsNetwork')}</p>}
      {ready && slice?.status === 'busy' && !f && <p className="muted" role="status">{t('hydrantAudit.busy')}</p>}
      {ready && slice?.status === 'error' && slice.error && <p className="error" role="alert">{msgText(t, lang, slice.error)}</p>}
      {f && a && (
        <>
          <p data-testid="hyd-count"><strong>{t('hydrantAudit.inData', { hydrants: f.hydrantsInData, intakes: f.intakesInData })}</strong></p>
          <ul className="plain" data-testid="hyd-figures">
            <li>
              <span data-testid="hyd-protected" data-share={pct(f.protectedShare)}>{t('hydrantAudit.protected', { radius: a.settings.radiusM, pct: pct(f.protectedShare), km: f.protectedKm.toFixed(1), total: f.roadKm.toFixed(1) })}</span>
              <Clause text={L(a.clauses.protection.zh, a.clauses.protection.en)} />
            </li>
            <li>
              <span data-testid="hyd-gaps">{t('hydrantAudit.gaps', { km: f.gapKm.toFixed(1) })}</span>
              <Clause text={L(a.clauses.protection.zh, a.clauses.protection.en)} />
            </li>
            <li>
              {t('hydrantAudit.spacing', { m: a.settings.spacingM, n: f.spacingViolations })}
              <Clause text={L(a.clauses.spacing.zh, a.clauses.spacing.en)} />
            </li>
            <li>
              {t('hydrantAudit.far', { m: a.settings.farM, n: f.farFromRoad })}
              <Clause text={L(a.clauses.far.zh, a.clauses.far.en)} />
            </li>
            <li>
              {t('hydrantAudit.unreachable', { n: f.unreachable + f.outOfService })}
              {' · '}
              {t('hydrantAudit.intakes', { ok: f.intakesAccessible, n: f.intakesInData })}
              <Clause text={L(a.clauses.access.zh, a.clauses.access.en)} />
            </li>
            <li className="muted">{L(a.buildingsNote.zh, a.buildingsNote.en)}</li>
          </ul>
          {problems.length > 0 && (
            <>
              <h3>{t('hydrantAudit.problems')}</h3>
              <ul className="plain" data-testid="hyd-problems">
                {problems.slice(0, 30).map((h) => (
                  <li key={h.id}>
                    <button type="button" className="link" aria-label={t('hydrantAudit.locate', { name: h.name ?? h.id })} onClick={() => locate(h)}>{h.name ?? h.id}</button>
                    {' '}<span className="muted">{why(h)}</span>
                  </li>
                ))}
              </ul>
            </>
          )}
          {a.areas.length > 0 && (
            <details>
              <summary>{t('hydrantAudit.areas')}</summary>
              <table className="table" data-testid="hyd-areas">
                <thead><tr><th>{t('hydrantAudit.area')}</th><th>{t('hydrantAudit.roadKm')}</th><th>{t('hydrantAudit.share')}</th><th>{t('hydrantAudit.hydrants')}</th></tr></thead>
                <tbody>
                  {a.areas.map((r) => (
                    <tr key={r.id}><td>{L(r.name, r.nameEn)}</td><td>{r.roadKm.toFixed(1)}</td><td>{pct(r.protectedShare)} %</td><td>{r.hydrants}</td></tr>
                  ))}
                </tbody>
              </table>
              <Clause text={L(a.clauses.protection.zh, a.clauses.protection.en)} />
            </details>
          )}
        </>
      )}
      {ready && (
        <>
          <h3>{t('hydrantAudit.plan')}</h3>
          {slice?.placing ? (
            <p role="status">
              {t('hydrantAudit.placingHint')}{' '}
              <button type="button" onClick={() => startPlacingHydrant(null)}>{t('hydrantAudit.cancel')}</button>
            </p>
          ) : (
            <div className="row">
              <button type="button" data-testid="hyd-add" onClick={() => startPlacingHydrant('hydrant')}>{t('hydrantAudit.addHydrant')}</button>
              <button type="button" data-testid="hyd-add-intake" onClick={() => startPlacingHydrant('water-intake')}>{t('hydrantAudit.addIntake')}</button>
            </div>
          )}
          <div className="row">
            <label>
              {t('hydrantAudit.suggestCount')}{' '}
              <input type="number" min={1} max={500} value={count} data-testid="hyd-suggest-count" style={{ width: '5em' }}
                onChange={(e) => setCount(Math.max(1, Math.min(500, Math.round(Number(e.target.value) || 1))))} />
            </label>
            <button type="button" data-testid="hyd-suggest" disabled={slice?.suggest?.busy} onClick={() => void suggestHydrants(count)}>{t('hydrantAudit.suggest', { n: count })}</button>
          </div>
          {slice?.suggest?.busy && <p className="muted" role="status">{t('hydrantAudit.suggesting')}</p>}
          {slice?.suggest?.added !== undefined && !slice.suggest.busy && (
            <p className="muted" role="status">{t('hydrantAudit.suggested', { n: slice.suggest.added })}{slice.suggest.exhausted ? ` ${t('hydrantAudit.exhausted')}` : ''}</p>
          )}
          {slice?.suggest?.error && <p className="error" role="alert">{msgText(t, lang, slice.suggest.error)}</p>}
          {proposed.length > 0 && (
            <details open data-testid="hyd-proposed">
              <summary>{t('hydrantAudit.proposed')} ({proposed.length})</summary>
              <ul className="plain">
                {proposed.map((h) => (
                  <li key={h.id}>
                    <button type="button" className="link" aria-label={t('hydrantAudit.locate', { name: h.name ?? h.id })} onClick={() => locate(h)}>{h.name ?? h.id}</button>{' '}
                    <button type="button" aria-label={t('hydrantAudit.deleteLabel', { name: h.name ?? h.id })} onClick={() => deleteHydrant(h.id)}>{t('hydrantAudit.delete')}</button>
                  </li>
                ))}
              </ul>
            </details>
          )}
          {f && (
            <div className="row" aria-label={t('hydrantAudit.export')}>
              <span>{t('hydrantAudit.export')}:</span>
              <button type="button" onClick={() => void exportAudit('hydrants-csv')}>{t('hydrantAudit.exportHydrants')}</button>
              <button type="button" disabled={slice?.exportBusy} onClick={() => void exportAudit('stretches-csv')}>{t('hydrantAudit.exportStretches')}</button>
              <button type="button" disabled={slice?.exportBusy} onClick={() => void exportAudit('geojson')}>{t('hydrantAudit.exportGeojson')}</button>
            </div>
          )}
        </>
      )}
    </section>
  );
}
