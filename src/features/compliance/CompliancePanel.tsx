/**
 * Compliance check: does each station reach the edge of its district within the standard's time (建标152-2017:
 * 1 min turnout + 4 min travel)? Runs in the worker on the road network, or as a labelled straight-line estimate.
 */
import { useEffect } from 'react';
import { bbox } from '@turf/turf';
import { useTranslation } from 'react-i18next';
import { BANDS_MIN, useStore, type DistrictMode } from '../../store';
import { selectNetworkReady, selectStations } from '../../store/selectors';
import { selectLiveKey } from '../../store/verdictKey';
import { clearRoute, computeIsochrone, computeRoute } from '../../store/actions';
import { districtMode, districtModes, patchCompliance, runCompliance, standardId } from '../../store/compliance';
import { standardChoices } from '../../data/standards';
import { BARRIER_COLOUR, VERDICT_COLOURS } from '../../map/style';
import { getMap } from '../../map/instance';
import { msgText, profileLabel } from '../../i18n/msg';
import { ComplianceTable } from './ComplianceTable';
import { DistrictImport } from './DistrictImport';
import { VehiclePanel } from './VehiclePanel';
import { FocusCard, rowOf } from './FocusCard';
import { dataGapLines, selectDataGapKey } from '../../store/water';
import type { PlaceReport, StationReport } from '../../core/compliance/report';
import { liveEngine, useServer } from '../../store/server';

/** Width the row's card takes over the map (its CSS width + its gaps), px. */
const CARD_SPACE_PX = 350;

/** The report's summary line; an estimate always says so (once). */
function summaryText(report: PlaceReport, lang: 'zh' | 'en', label: string): string {
  const text = lang === 'en' ? report.summary.text_en : report.summary.text_zh;
  return report.mode === 'straight-line-estimate' && !text.includes(label) ? `${label}: ${text}` : text;
}

export function CompliancePanel() {
  const { t } = useTranslation();
  const lang = useStore((s) => s.lang);
  const gapKey = useStore(selectDataGapKey); // missing water / railways: the barrier check is incomplete
  const cmp = useStore((s) => s.compliance);
  const placeId = useStore((s) => s.placeId);
  const placeLoading = useStore((s) => s.placeLoading);
  const hasBoundary = useStore((s) => !!s.placeData.boundary);
  const netStatus = useStore((s) => (s.network && s.network.placeId === s.placeId ? s.network.status : 'none'));
  const modes = useStore((s) => districtModes(s).join(','));
  const mode = useStore(districtMode);
  const stdId = useStore(standardId);
  // The live check's verdict key (stations shown, network, profile, peak, standard, districts); constant while a
  // station is being dragged.
  const liveKey = useStore((s) => (s.dragging ? 'dragging' : selectLiveKey(s)));
  const route = useStore((s) => s.route);
  const choices = standardChoices();
  // Connected to a team server: which engine answered the check shown (re-rendered when its answer changes).
  useServer((v) => v.answer);
  useServer((v) => v.compute);
  useServer((v) => v.status);
  const engine = liveEngine(useStore.getState(), useServer.getState());

  // Re-check whenever what the verdict depends on changes (runCompliance returns at once for the key it holds).
  useEffect(() => {
    if (!placeId || placeLoading || !hasBoundary || netStatus === 'loading' || liveKey === 'dragging') return;
    void runCompliance();
  }, [placeId, placeLoading, hasBoundary, netStatus, liveKey]);

  if (!placeId || !hasBoundary) return null;
  const report = cmp.report;
  const L = (b: { zh: string; en: string }) => (lang === 'en' ? b.en : b.zh);
  const est = report?.mode === 'straight-line-estimate';
  const focused = report?.stations.find((r) => r.id === cmp.focusId);

  /** Zooms to the station's district; on the network also its isochrone and the route to its worst edge point. */
  const open = (r: StationReport) => {
    const s = useStore.getState();
    patchCompliance({ focusId: r.id });
    const map = getMap();
    const district = report?.districts.features.find((f) => f.properties.stationId === r.id);
    const st = selectStations(s).find((x) => x.id === r.id);
    if (map && district) {
      const [w, so, e, n] = bbox(district);
      // The row's card floats over the map's left edge: keep the district clear of it.
      map.fitBounds([[w, so], [e, n]], { padding: { top: 50, bottom: 50, right: 50, left: 50 + CARD_SPACE_PX }, maxZoom: 16, duration: 600 });
    } else if (map && st) map.flyTo({ center: [st.lon, st.lat], zoom: Math.max(map.getZoom(), 14), duration: 600 });
    if (report?.mode === 'network' && selectNetworkReady(s)) {
      // The standard's travel limit as the one band (4 min for 建标152-2017): where it ends vs. the district edge.
      const limitMin = r.travelLimitSeconds / 60;
      void computeIsochrone([r.id], BANDS_MIN.includes(limitMin) ? [limitMin] : BANDS_MIN);
      if (r.worstPoint) void computeRoute(r.worstPoint, [r.id]);
      else clearRoute();
    }
  };
  /** Closes the row's card; from the keyboard the focus goes back to its row. */
  const close = (returnFocus: boolean) => {
    const id = cmp.focusId;
    patchCompliance({ focusId: undefined });
    if (returnFocus && id) rowOf(id)?.focus();
  };
  const profile = report?.settings.profileName ? profileLabel(report.settings.profileName, lang) : '';

  return (
    <section className="section" aria-labelledby="cmp-title" data-testid="compliance">
      <h2 id="cmp-title">{t('compliance.title')}</h2>
      <div className="form-row">
        <label>
          <span>{t('compliance.standard')}</span>
          <select data-testid="standard-select" value={stdId} onChange={(e) => patchCompliance({ standardId: e.target.value })}>
            {choices.map((c) => (
              <option key={c.id} value={c.id}>{L(c.name)}</option>
            ))}
          </select>
        </label>
        <label>
          <span>{t('compliance.districtMode')}</span>
          <select data-testid="district-mode" value={mode} onChange={(e) => patchCompliance({ districtMode: e.target.value as DistrictMode })}>
            {modes.split(',').map((m) => (
              <option key={m} value={m}>{t(`compliance.mode.${m}`)}</option>
            ))}
          </select>
        </label>
      </div>
      <VehiclePanel report={report} busy={cmp.busy} />
      <DistrictImport />
      <p className="muted">{t('compliance.stationsUsed')}</p>
      <button type="button" data-testid="compliance-run" onClick={() => void runCompliance()} disabled={cmp.busy}>
        {cmp.busy ? t('compliance.computing') : report ? t('compliance.rerun') : t('compliance.run')}
      </button>
      {cmp.error && <p className="error" role="alert">{msgText(t, lang, cmp.error)}</p>}
      {!report && !cmp.busy && !cmp.error && <p className="muted">{t('compliance.none')}</p>}
      {report && (
        <div className={`card${cmp.busy ? ' stale' : ''}`} data-testid="compliance-summary" data-mode={report.mode} aria-busy={cmp.busy}>
          {est ? (
            <p className="estimate-tag" data-testid="estimate-label"><strong>{t('compliance.estimateLabel')}</strong> — {t('compliance.estimateHow')}</p>
          ) : (
            <p className="ok">{t('compliance.network', { profile })}</p>
          )}
          {engine && <p className="muted" data-testid="compliance-engine" data-engine={engine.by}>{msgText(t, lang, engine.msg)}{engine.why && <> ({msgText(t, lang, engine.why)})</>}</p>}
          <p className="big-summary" data-testid="summary-text">
            {summaryText(report, lang, t('compliance.estimateLabel'))}
          </p>
          <p className="muted">{t('compliance.tableHint')}</p>
          {dataGapLines(gapKey, lang).map((g) => <p key={g} className="warn" data-testid="compliance-data-gap"><strong>{g}</strong></p>)}
          <ComplianceTable report={report} lang={lang} focusId={cmp.focusId} onOpen={open} onClose={() => close(true)} />
          {focused && <FocusCard report={report} focused={focused} route={route} lang={lang} onClose={close} />}
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
            <li className="legend-row"><span className="sym"><span className="line" style={{ borderTop: `4px dashed ${BARRIER_COLOUR}` }} /></span><span>{t('compliance.legendBarrier')}</span></li>
            <li className="legend-row"><span className="sym"><span className="box" style={{ background: VERDICT_COLOURS.fail, opacity: 0.3 }} /></span><span>{t('compliance.legendPocket')}</span></li>
            <li className="legend-row"><span className="sym"><span className="dot" style={{ background: '#fff', border: '3px solid #d50000', width: 12, height: 12 }} /></span><span>{t('compliance.legendWorst')}</span></li>
            <li className="legend-row"><span className="sym"><span className="box" style={{ background: 'transparent', border: '3px solid #212121' }} /></span><span>{t('compliance.legendFocus')}</span></li>
          </ul>
        </div>
      )}
    </section>
  );
}
