/** Before / after: the open scenario's compliance against the plan as published (same standard, districts, year). */
import { useEffect, useMemo } from 'react';
import { useTranslation } from 'react-i18next';
import { PUBLISHED_ID, useStore } from '../../store';
import { ensureBaseline, ensureCoverageNow, selectBaselineKey } from '../../store/scenarioAnalysis';
import { fmtDuration, msgText } from '../../i18n/msg';
import { fmtKm2 } from '../../core/format';
import { beforeAfter, type StationDelta } from './beforeAfter';

const km = (x: number) => fmtKm2(x); // the one formatting rule (src/core/format.ts)
/** +1.2 / −0.4 / ±0 (a change that rounds to zero is shown as none). */
const signed = (x: number, f: (v: number) => string) => (f(Math.abs(x)).match(/^[0.:]*$|^0 /) ? '±0' : `${x > 0 ? '+' : '−'}${f(Math.abs(x))}`);

export function BeforeAfterPanel() {
  const { t } = useTranslation();
  const lang = useStore((s) => s.lang);
  const activeId = useStore((s) => s.activeScenarioId);
  const live = useStore((s) => s.compliance.report);
  const liveBusy = useStore((s) => s.compliance.busy);
  const baseline = useStore((s) => s.baseline);
  const covNow = useStore((s) => s.coverageNow);
  const dragging = useStore((s) => s.dragging);
  const present = useStore((s) => s.scenario?.present);
  const key = useStore(selectBaselineKey);
  const hasBoundary = useStore((s) => !!s.placeData.boundary);
  const published = activeId === PUBLISHED_ID;

  useEffect(() => {
    if (published || !hasBoundary) return;
    // the baseline first (it gives the verdicts), then the open scenario's reached road / area
    void ensureBaseline().then(() => {
      if (!useStore.getState().dragging) void ensureCoverageNow();
    });
  }, [published, hasBoundary, key, live, present, dragging]);

  const ba = useMemo(
    () => (baseline?.report && live && baseline.report.placeId === live.placeId ? beforeAfter(baseline.report, live, covNow?.report ?? live) : null),
    [baseline?.report, live, covNow?.report],
  );
  const covStale = !!covNow?.busy || dragging;
  if (!hasBoundary) return null;
  const nm = (d: StationDelta) => (lang === 'en' && d.nameEn) || d.name;
  const time = (s: number | null | undefined) => (s === null || s === undefined ? '—' : fmtDuration(t, s));

  return (
    <div className={`card before-after${liveBusy || baseline?.busy ? ' stale' : ''}`} data-testid="before-after">
      <h3>{t('scenario.ba.title')}</h3>
      {published ? (
        <p className="muted">{t('scenario.ba.isPublished')}</p>
      ) : baseline?.error ? (
        <p className="error" role="alert">{msgText(t, lang, baseline.error)}</p>
      ) : !ba ? (
        <p className="muted">{t('scenario.ba.computing')}</p>
      ) : (
        <>
          <table className="ba-table">
            <thead>
              <tr><th /><th>{t('scenario.ba.before')}</th><th>{t('scenario.ba.after')}</th><th>{t('scenario.ba.change')}</th></tr>
            </thead>
            <tbody>
              <tr data-testid="ba-passing">
                <th>{t('scenario.ba.passing')}</th>
                <td>{ba.passing[0]} / {ba.total[0]}</td>
                <td>{ba.passing[1]} / {ba.total[1]}</td>
                <td>{signed(ba.passing[1] - ba.passing[0], String)}</td>
              </tr>
              {ba.roadKm && (
                <tr data-testid="ba-road" className={covStale ? 'stale' : undefined}>
                  <th>{t('scenario.ba.roadKm')}</th>
                  <td>{km(ba.roadKm[0])} km</td>
                  <td>{km(ba.roadKm[1])} km</td>
                  <td>{signed(ba.roadKm[1] - ba.roadKm[0], km)} km</td>
                </tr>
              )}
              {ba.areaKm2 && (
              <tr data-testid="ba-area" className={covStale ? 'stale' : undefined}>
                <th>{t('scenario.ba.areaKm2')}</th>
                <td>{km(ba.areaKm2[0])} km²</td>
                <td>{km(ba.areaKm2[1])} km²</td>
                <td>{signed(ba.areaKm2[1] - ba.areaKm2[0], km)} km²</td>
              </tr>
              )}
            </tbody>
          </table>
          {live?.mode === 'straight-line-estimate' && <p className="estimate-tag">{t('compliance.estimate')}</p>}
          <List title={t('scenario.ba.newlyPassing')} items={ba.newlyPassing} cls="pass" testid="ba-newly-passing" render={(d) => `${nm(d)} (${time(d.after?.worstResponseSeconds)})`} />
          <List title={t('scenario.ba.newlyFailing')} items={ba.newlyFailing} cls="fail" testid="ba-newly-failing" render={(d) => `${nm(d)} (${time(d.after?.worstResponseSeconds)})`} />
          <List
            title={t('scenario.ba.worst')}
            items={ba.worstChanged.slice(0, 10)}
            testid="ba-worst"
            render={(d) => `${nm(d)}: ${time(d.before?.worstResponseSeconds)} → ${time(d.after?.worstResponseSeconds)} (${signed(d.deltaS, (v) => fmtDuration(t, v))})`}
          />
          <List title={t('scenario.ba.area')} items={ba.nowWithinArea} testid="ba-area-ok" render={(d) => `${nm(d)}: ${fmtKm2(d.after?.districtAreaKm2)} / ${fmtKm2(d.after?.areaLimitKm2)} km²`} />
          {!ba.newlyPassing.length && !ba.newlyFailing.length && !ba.worstChanged.length && !ba.nowWithinArea.length && <p className="muted">{t('scenario.ba.same')}</p>}
        </>
      )}
    </div>
  );
}

function List<T>({ title, items, render, cls, testid }: { title: string; items: T[]; render: (x: T) => string; cls?: string; testid: string }) {
  if (!items.length) return null;
  return (
    <>
      <h4 className={cls ? `ba-${cls}` : undefined}>{title} ({items.length})</h4>
      <ul className="plain small-list" data-testid={testid}>
        {items.map((x, i) => (
          <li key={i}>{render(x)}</li>
        ))}
      </ul>
    </>
  );
}
