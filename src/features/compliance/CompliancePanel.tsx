/**
 * Compliance check: does each station reach the edge of its district within the standard's time (建标152-2017:
 * 1 min turnout + 4 min travel)? Runs in the worker on the road network, or as a labelled straight-line estimate.
 */
import { useEffect } from 'react';
import { useTranslation } from 'react-i18next';
import { useStore, type DistrictMode } from '../../store';
import { selectRoutingStations } from '../../store/selectors';
import { districtMode, districtModes, runCompliance, standardId } from '../../store/compliance';
import { standardChoices } from '../../data/standards';
import { VERDICT_COLOURS } from '../../map/style';
import { getMap } from '../../map/instance';
import { fmtDuration } from '../../i18n/msg';
import type { StationReport } from '../../core/compliance/report';

const pct = (x: number | null) => (x === null ? '—' : `${(x * 100).toFixed(x < 1 && x > 0.995 ? 1 : 0)}%`);

export function CompliancePanel() {
  const { t } = useTranslation();
  const lang = useStore((s) => s.lang);
  const cmp = useStore((s) => s.compliance);
  const placeId = useStore((s) => s.placeId);
  const placeLoading = useStore((s) => s.placeLoading);
  const hasBoundary = useStore((s) => !!s.placeData.boundary);
  const netStatus = useStore((s) => (s.network && s.network.placeId === s.placeId ? s.network.status : 'none'));
  const modes = useStore((s) => districtModes(s).join(','));
  const mode = useStore(districtMode);
  const stdId = useStore(standardId);
  const showExisting = useStore((s) => s.layers.stations);
  const showPlanned = useStore((s) => s.layers.plan);
  const stationCount = useStore((s) => selectRoutingStations(s).length);
  // Scenario edits (added / moved / switched-off stations); constant while a station is being dragged.
  const scenarioStamp = useStore((s) => (s.dragging ? 'dragging' : s.scenario?.present.updatedAt ?? ''));
  const set = useStore((s) => s.set);
  const choices = standardChoices();

  // Re-check whenever what the verdict depends on changes (place, network, stations shown, districts, standard).
  useEffect(() => {
    if (!placeId || placeLoading || !hasBoundary || netStatus === 'loading' || scenarioStamp === 'dragging') return;
    void runCompliance();
  }, [placeId, placeLoading, hasBoundary, netStatus, mode, stdId, showExisting, showPlanned, stationCount, scenarioStamp]);

  if (!placeId || !hasBoundary) return null;
  const report = cmp.report;
  const L = (b: { zh: string; en: string }) => (lang === 'en' ? b.en : b.zh);
  const focus = (r: StationReport) => {
    set({ compliance: { ...useStore.getState().compliance, focusId: r.id } });
    const map = getMap();
    const st = useStore.getState().placeData;
    const f = [...(st.facilities?.features ?? []), ...(st.plan?.features ?? [])].find((x) => x.properties?.id === r.id);
    const target = r.verdict === 'fail' && r.worstEdgePoint ? r.worstEdgePoint : f?.geometry.type === 'Point' ? (f.geometry.coordinates as [number, number]) : null;
    if (map && target) map.flyTo({ center: target, zoom: Math.max(map.getZoom(), 13), duration: 700 });
  };
  const profile = (report?.settings.profileName ?? '').split(' / ');

  return (
    <section className="section" aria-labelledby="cmp-title" data-testid="compliance">
      <h2 id="cmp-title">{t('compliance.title')}</h2>
      <div className="form-row">
        <label>
          <span>{t('compliance.standard')}</span>
          <select data-testid="standard-select" value={stdId} onChange={(e) => set({ compliance: { ...cmp, standardId: e.target.value } })}>
            {choices.map((c) => (
              <option key={c.id} value={c.id}>{L(c.name)}</option>
            ))}
          </select>
        </label>
        <label>
          <span>{t('compliance.districtMode')}</span>
          <select data-testid="district-mode" value={mode} onChange={(e) => set({ compliance: { ...cmp, districtMode: e.target.value as DistrictMode } })}>
            {modes.split(',').map((m) => (
              <option key={m} value={m}>{t(`compliance.mode.${m}`)}</option>
            ))}
          </select>
        </label>
      </div>
      <p className="muted">{t('compliance.stationsUsed')}</p>
      <button type="button" data-testid="compliance-run" onClick={() => void runCompliance()} disabled={cmp.busy}>
        {cmp.busy ? t('compliance.computing') : report ? t('compliance.rerun') : t('compliance.run')}
      </button>
      {cmp.error && <p className="error" role="alert">{lang === 'en' ? cmp.error.en : cmp.error.zh}</p>}
      {!report && !cmp.busy && !cmp.error && <p className="muted">{t('compliance.none')}</p>}
      {report && (
        <div className={`card${cmp.busy ? ' stale' : ''}`} data-testid="compliance-summary" data-mode={report.mode}>
          <p className={report.mode === 'network' ? 'ok' : 'estimate-tag'}>
            {report.mode === 'network' ? t('compliance.network', { profile: profile[lang === 'en' && profile.length > 1 ? 1 : 0] }) : t('compliance.estimate')}
          </p>
          <p className="big-summary">{lang === 'en' ? report.summary.text_en : report.summary.text_zh}</p>
          <ul className="cmp-list" data-testid="compliance-table">
            {report.stations.map((r) => (
              <li key={r.id} className={`cmp-row${cmp.focusId === r.id ? ' focus' : ''}`} data-verdict={r.verdict} data-station={r.id}>
                <div className="cmp-head">
                  <span className="badge" style={{ background: VERDICT_COLOURS[r.verdict] }}>{t(`compliance.${r.verdict}`)}</span>
                  <button type="button" className="linkish" onClick={() => focus(r)} title={t('compliance.focus')}>
                    {r.position === 'approximate' ? (lang === 'en' ? '≈ ' : '约 ') : ''}
                    {(lang === 'en' && r.nameEn) || r.name}
                    {r.example ? (lang === 'en' ? ' (example)' : '（示例）') : ''}
                  </button>
                </div>
                <div className="cmp-nums">
                  <span>{t('compliance.worst')}: {r.worstResponseSeconds === null ? '—' : fmtDuration(t, r.worstResponseSeconds)}</span>
                  <span>{t('compliance.share')}: {pct(r.shareWithinLimit)}</span>
                  <span>
                    {t('compliance.area')}: {r.districtAreaKm2 === null ? '—' : `${r.districtAreaKm2.toFixed(2)}`} / {r.areaLimitKm2 ?? '—'} km²
                    {r.areaOk === false ? ' ⚠' : ''}
                  </span>
                </div>
                <details>
                  <summary>{t('compliance.reasons')}</summary>
                  <ul>
                    {r.reasons.map((x, i) => (
                      <li key={i}>{L(x)}</li>
                    ))}
                  </ul>
                </details>
              </li>
            ))}
          </ul>
          {report.issues.length > 0 && (
            <details>
              <summary>{t('compliance.issues')} ({report.issues.length})</summary>
              <ul className="warnings">
                {report.issues.map((x, i) => (
                  <li key={i}>{L(x)}</li>
                ))}
              </ul>
            </details>
          )}
          <details>
            <summary>{t('compliance.clauses')}</summary>
            <ul className="clauses">
              {report.standard.citations.map((c) => (
                <li key={c.key}>{L(c)}{c.assumption ? t('compliance.assumption') : ''}</li>
              ))}
            </ul>
          </details>
          <ul className="legend" data-testid="compliance-legend">
            <li className="legend-row"><span className="sym"><span className="box" style={{ background: VERDICT_COLOURS.pass, opacity: 0.45 }} /></span><span>{t('compliance.legendPass')}</span></li>
            <li className="legend-row"><span className="sym"><span className="box" style={{ background: VERDICT_COLOURS.fail, opacity: 0.45 }} /></span><span>{t('compliance.legendFail')}</span></li>
            <li className="legend-row"><span className="sym"><span className="box" style={{ background: VERDICT_COLOURS['no-district'], opacity: 0.45 }} /></span><span>{t('compliance.legendNone')}</span></li>
            <li className="legend-row"><span className="sym"><span className="line" style={{ borderTop: '4px solid #d50000' }} /></span><span>{t('compliance.legendFailing')}</span></li>
            <li className="legend-row"><span className="sym"><span className="line" style={{ borderTop: '3px dotted #616161' }} /></span><span>{t('compliance.legendNoAccess')}</span></li>
            <li className="legend-row"><span className="sym"><span className="box" style={{ background: VERDICT_COLOURS.fail, opacity: 0.3 }} /></span><span>{t('compliance.legendPocket')}</span></li>
            <li className="legend-row"><span className="sym"><span className="dot" style={{ background: '#fff', border: '3px solid #d50000', width: 12, height: 12 }} /></span><span>{t('compliance.legendWorst')}</span></li>
          </ul>
        </div>
      )}
    </section>
  );
}
