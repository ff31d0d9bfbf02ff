/**
 * Compare two scenarios of the place side by side: the differences (added, removed, moved, class, name, verdict)
 * with both compliance reports, and on the map both scenarios' stations (A solid, B outlined).
 */
import { useEffect, useMemo } from 'react';
import { useTranslation } from 'react-i18next';
import { compareScenarios, type Scenario } from '../../core/scenario';
import { standardChoices } from '../../data/standards';
import { districtMode, standardId } from '../../store/compliance';
import { PUBLISHED_ID, useStore } from '../../store';
import { scenarioById } from '../../store/scenario';
import { ensureCompare, selectCompareKey, setCompare } from '../../store/scenarioAnalysis';
import { fmtDuration, msgText } from '../../i18n/msg';

export function ComparePanel() {
  const { t } = useTranslation();
  const lang = useStore((s) => s.lang);
  const list = useStore((s) => s.scenarios);
  const cmp = useStore((s) => s.compareScn);
  const a = useStore((s) => scenarioById(s, s.compareScn.aId));
  const b = useStore((s) => scenarioById(s, s.compareScn.bId));
  const key = useStore((s) => (s.dragging ? 'dragging' : selectCompareKey(s)));
  const dragging = useStore((s) => s.dragging);
  const hasBoundary = useStore((s) => !!s.placeData.boundary);

  useEffect(() => {
    if (a && b && hasBoundary && !dragging) void ensureCompare();
  }, [a, b, key, hasBoundary, dragging]);

  const ra = cmp.a?.report;
  const rb = cmp.b?.report;
  // The plan as published records no settings of its own; it is checked with the live ones, so it is compared with them.
  const live = { standardId: useStore(standardId), peak: useStore((s) => s.peak), districtsMode: useStore(districtMode) as string };
  const rows = useMemo(() => {
    if (!a || !b) return [];
    const withLive = (x: Scenario): Scenario => (x.id === PUBLISHED_ID ? { ...x, settings: { standardId: live.standardId, peak: live.peak, districtsMode: live.districtsMode } } : x);
    const names = Object.fromEntries(standardChoices().map((c) => [c.id, c.name]));
    return compareScenarios(withLive(a), withLive(b), ra, rb, 1, names);
  }, [a, b, ra, rb, live.standardId, live.peak, live.districtsMode]);
  const placeId = useStore((s) => s.placeId);
  if (!placeId) return null;
  const options = [{ id: PUBLISHED_ID, name: t('scenario.published') }, ...list.map((s) => ({ id: s.id, name: s.name }))];
  const time = (s: number | null | undefined) => (s === null || s === undefined ? '—' : fmtDuration(t, s));
  const verdict = (v?: string) => (v ? t(`compliance.${v}`, { defaultValue: v }) : '');
  const busy = cmp.a?.busy || cmp.b?.busy;

  return (
    <section className="section" aria-labelledby="cmpscn-title" data-testid="compare">
      <h2 id="cmpscn-title">{t('compare.title')}</h2>
      <div className="form-row">
        <label>
          <span>A</span>
          <select data-testid="compare-a" value={cmp.aId} onChange={(e) => setCompare({ aId: e.target.value })}>
            {options.map((o) => <option key={o.id} value={o.id}>{o.name}</option>)}
          </select>
        </label>
        <label>
          <span>B</span>
          <select data-testid="compare-b" value={cmp.bId} onChange={(e) => setCompare({ bId: e.target.value })}>
            <option value="">{t('compare.choose')}</option>
            {options.map((o) => <option key={o.id} value={o.id}>{o.name}</option>)}
          </select>
        </label>
      </div>
      <label className="check">
        <input type="checkbox" data-testid="compare-map" checked={cmp.showOnMap} onChange={(e) => setCompare({ showOnMap: e.target.checked })} />
        {t('compare.onMap')}
      </label>
      {cmp.showOnMap && (
        <fieldset className="cmp-key" data-testid="compare-side">
          <legend className="visually-hidden">{t('compare.side')}</legend>
          <span className="muted" aria-hidden="true">{t('compare.side')}:</span>
          {(['both', 'A', 'B', 'swipe'] as const).map((side) => (
            <label key={side} className="inline">
              <input type="radio" name="cmp-side" value={side} checked={cmp.mapSide === side} onChange={() => setCompare({ mapSide: side })} />
              {(side === 'both' || side === 'A') && <span className="key-a" />}
              {(side === 'both' || side === 'B') && <span className="key-b" />}
              {side === 'both' ? t('compare.both') : side === 'swipe' ? t('compare.swipe') : side}
            </label>
          ))}
        </fieldset>
      )}
      {!a || !b ? (
        <p className="muted">{t('compare.pick')}</p>
      ) : (
        <div className={busy ? 'stale' : ''}>
          <table className="cmp-table" data-testid="compare-summary">
            <thead><tr><th /><th>A</th><th>B</th></tr></thead>
            <tbody>
              <tr><th>{t('compare.name')}</th><td>{a.id === PUBLISHED_ID ? t('scenario.published') : a.name}</td><td>{b.id === PUBLISHED_ID ? t('scenario.published') : b.name}</td></tr>
              <tr><th>{t('compare.stations')}</th><td>{a.stations.length - a.removedIds.length}</td><td>{b.stations.length - b.removedIds.length}</td></tr>
              <tr>
                <th>{t('scenario.ba.passing')}</th>
                <td>{ra ? `${ra.summary.passing} / ${ra.summary.total}` : busy ? '…' : '—'}</td>
                <td>{rb ? `${rb.summary.passing} / ${rb.summary.total}` : busy ? '…' : '—'}</td>
              </tr>
            </tbody>
          </table>
          {cmp.a?.error && <p className="error">{msgText(t, lang, cmp.a.error)}</p>}
          {cmp.b?.error && <p className="error">{msgText(t, lang, cmp.b.error)}</p>}
          {rows.length === 0 ? (
            <p className="muted" data-testid="compare-none">{t('compare.none')}</p>
          ) : (
            <table className="cmp-table" data-testid="compare-table">
              <thead><tr><th>{t('compare.change')}</th><th>{t('compare.what')}</th><th>{t('compare.verdict')}</th></tr></thead>
              <tbody>
                {rows.map((r, i) => (
                  <tr key={i} data-change={r.change} data-station={r.stationId}>
                    <td className="chg">{t(`compare.kind.${r.change}`)}</td>
                    <td>{r.change === 'verdict' ? r.name : lang === 'en' ? r.en : r.zh}</td>
                    <td className="chg">
                      {r.verdictA || r.verdictB ? `${verdict(r.verdictA) || '—'} → ${verdict(r.verdictB) || '—'}` : ''}
                      {r.worstResponseSecondsA !== undefined || r.worstResponseSecondsB !== undefined
                        ? <div className="muted">{time(r.worstResponseSecondsA)} → {time(r.worstResponseSecondsB)}</div>
                        : null}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
        </div>
      )}
    </section>
  );
}
