/**
 * Plan timeline 2020…2025: the network as it stands in the chosen year (existing + planned stations with phase ≤
 * year; the map, routing and the compliance check follow), and the plan's per-capita indicators against its targets.
 * Population and staff per station class are editable inputs, shown with their sources.
 */
import { useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { indicatorsForYear, planCountsInYear, staffPerClassFrom, targetsFromPlan } from '../../core/timeline';
import { STATION_CLASSES } from '../../core/scenario';
import type { StationClass } from '../../core/types';
import { useStore } from '../../store';
import { selectPlace, selectScenario } from '../../store/selectors';
import { planCountsFor, planFor, populationFor, staffTable } from '../../data/plans';

const FIRST = 2020;
const LAST = 2025;

export function TimelinePanel() {
  const { t } = useTranslation();
  const lang = useStore((s) => s.lang);
  const year = useStore((s) => s.year);
  const set = useStore((s) => s.set);
  const place = useStore(selectPlace);
  const scenario = useStore(selectScenario);
  const report = useStore((s) => s.compliance.report);
  const busy = useStore((s) => s.compliance.busy);
  const placeId = place?.id ?? '';
  const plan = planFor(placeId);
  const popData = populationFor(placeId);
  const [popEdit, setPopEdit] = useState<Record<string, string>>({});
  const staffDefaults = useMemo(() => staffPerClassFrom(staffTable().classes, 'min'), []);
  const [staff, setStaff] = useState<Partial<Record<StationClass, number | null>>>(staffDefaults);
  const hasPhases = !!scenario?.stations.some((s) => s.status === 'planned' && s.phase !== undefined);
  const hydrantAudit = useStore((s) => (s.hydrantAudit?.key?.startsWith(`${s.placeId}|`) ? s.hydrantAudit.result?.audit : undefined));

  const popText = popEdit[placeId] ?? (popData.value ?? place?.population?.value)?.toString() ?? '';
  const population = popText.trim() === '' ? null : Number(popText);
  const shownYear = year ?? LAST;
  const ind = useMemo(() => {
    if (!scenario) return null;
    return indicatorsForYear({
      stations: scenario.stations, removedIds: scenario.removedIds, includeProposed: true, population: population !== null && Number.isFinite(population) ? population : null,
      staffPerClass: staff, year: shownYear, targets: plan ? targetsFromPlan(plan.indicators as never, shownYear) : undefined,
    });
  }, [scenario, population, staff, shownYear, plan]);

  if (!place || !scenario || (!hasPhases && !plan)) return null;
  const L = (zh?: string, en?: string) => (lang === 'en' ? en : zh) ?? '';
  const fmt = (v: number | null, d = 2) => (v === null ? '—' : v.toFixed(d));
  const popSource = popData.source ?? place.population?.source ?? null;

  return (
    <section className="section" aria-labelledby="tl-title" data-testid="timeline">
      <h2 id="tl-title">{t('timeline.title')}</h2>
      {plan && <p className="muted">{L(plan.title, plan.titleEn)}</p>}
      <label className="check">
        <input type="checkbox" data-testid="year-on" checked={year !== null} onChange={(e) => set({ year: e.target.checked ? shownYear : null })} />
        {t('timeline.byYear')}
      </label>
      <div className="year-row">
        <input
          type="range"
          min={FIRST}
          max={LAST}
          step={1}
          value={shownYear}
          data-testid="year-slider"
          aria-label={t('timeline.year')}
          aria-valuetext={year === null ? t('timeline.all') : String(year)}
          onChange={(e) => set({ year: Number(e.target.value) })}
        />
        <span className="year-big" aria-live="polite" data-testid="year-value">{year ?? t('timeline.allShort')}</span>
      </div>
      <div className="year-ticks" aria-hidden="true">
        {Array.from({ length: LAST - FIRST + 1 }, (_, i) => <span key={i}>{FIRST + i}</span>)}
      </div>
      <p className="muted">{year === null ? t('timeline.allNote') : t('timeline.yearNote', { year })}</p>
      {ind && (
        <>
          <p data-testid="year-stations">
            {t('timeline.inService', { year: shownYear, n: ind.stationCount })}{' '}
            <span className="muted">{Object.entries(ind.countByClass).map(([c, n]) => `${lang === 'en' ? t(`station.${c}`) : c} ${n}`).join(' · ')}</span>
          </p>
          <table className="ind-table" data-testid="indicators">
            <thead>
              <tr><th>{t('timeline.indicator')}</th><th>{t('timeline.value')}</th><th>{t('timeline.target')}</th><th /></tr>
            </thead>
            <tbody>
              {ind.indicators.map((x) => (
                <tr key={x.id} data-indicator={x.id}>
                  <th>{L(x.label_zh, x.label_en)}</th>
                  <td>{fmt(x.value)} {lang === 'en' && x.id === 'stationsPer100k' ? 'per 100k' : x.unit}</td>
                  <td>{x.target ? `≥ ${x.target.value}${x.target.year ? ` (${x.target.year})` : ''}` : '—'}</td>
                  <td className={x.met === null ? 'muted' : x.met ? 'met-yes' : 'met-no'}>
                    {x.met === null ? L(x.note_zh, x.note_en) || t('timeline.noTarget') : x.met ? t('timeline.met') : t('timeline.notMet')}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
          {(() => {
            // Issue #13: the plan's hydrant / intake counts in this year, beside the audit of the mapped hydrants.
            const rows = planCountsFor(placeId), h = planCountsInYear(rows, 'hydrant', shownYear), w = planCountsInYear(rows, 'water-intake', shownYear);
            if (!h && !w) return null;
            return (
              <p data-testid="year-hydrants">
                {h && t('hydrantAudit.tlHydrants', { year: shownYear, n: h.addedToYear, total: h.addedInPlan })}
                {h?.stockBefore != null && t('hydrantAudit.tlStock', { stock: h.stockBefore })}
                {w && t('hydrantAudit.tlIntakes', { year: shownYear, n: w.addedToYear, total: w.addedInPlan })}
                {hydrantAudit && (
                  <>
                    <br />
                    {t('hydrantAudit.tlAudit', { n: hydrantAudit.figures.hydrantsInData, pct: Math.floor(hydrantAudit.figures.protectedShare * 100), radius: hydrantAudit.settings.radiusM })}
                  </>
                )}
              </p>
            );
          })()}
          {year !== null && report && (
            <p className={busy ? 'muted' : ''} data-testid="year-compliance">
              {t('timeline.coverage', { year })} {lang === 'en' ? report.summary.text_en : report.summary.text_zh}
            </p>
          )}
          <details>
            <summary>{t('timeline.inputs')}</summary>
            <label className="ind-pop">
              <span>{t('timeline.population')}</span>
              <input
                type="number"
                min={0}
                step={100}
                data-testid="population"
                value={popText}
                onChange={(e) => setPopEdit({ ...popEdit, [placeId]: e.target.value })}
              />
            </label>
            <p className="muted">
              {t('timeline.popSource')}: {popEdit[placeId] !== undefined ? t('timeline.popEdited') : popSource ?? t('timeline.popNone')}
              {popData.note && popEdit[placeId] === undefined ? ` — ${popData.note}` : ''}
            </p>
            <p className="muted">{t('timeline.staffNote')}</p>
            <div className="staff-grid">
              {STATION_CLASSES.map((c) => (
                <label key={c} style={{ display: 'contents' }}>
                  <span>{t(`station.${c}`)}（{c}）</span>
                  <input
                    type="number"
                    min={0}
                    step={1}
                    value={staff[c] ?? ''}
                    data-testid={`staff-${c}`}
                    onChange={(e) => setStaff({ ...staff, [c]: e.target.value === '' ? null : Math.max(0, Number(e.target.value)) })}
                  />
                </label>
              ))}
            </div>
            <p className="muted">
              {t('timeline.firefighters')}: {ind.firefighters ?? '—'}
              {ind.missingStaff.length ? ` (${t('timeline.missingStaff', { list: ind.missingStaff.join('、') })})` : ''}
            </p>
          </details>
        </>
      )}
    </section>
  );
}
