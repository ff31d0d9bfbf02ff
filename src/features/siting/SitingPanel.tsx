/**
 * Siting checklist of the selected planned / proposed site (建标152-2017 siting article): distance to crowded places
 * and hazardous sites from the place's POI data, street frontage from the worker's snap to the road network.
 * Missing data is said plainly ('no data'), never shown as a pass.
 */
import { useEffect, useMemo } from 'react';
import { useTranslation } from 'react-i18next';
import type { FeatureCollection, Point } from 'geojson';
import { sitingChecks, sitingSummary, type PoiProps } from '../../core/siting';
import { useStore } from '../../store';
import { selectNetworkReady, selectPlace, selectScenario } from '../../store/selectors';
import { checkSiteRoad } from '../../store/scenarioAnalysis';
import { sitingRules } from '../../data/siting';
import { fmtDistance, msgText } from '../../i18n/msg';

export function SitingPanel() {
  const { t } = useTranslation();
  const lang = useStore((s) => s.lang);
  const scenario = useStore(selectScenario);
  const selection = useStore((s) => s.selection);
  const pois = useStore((s) => s.placeData.pois);
  const place = useStore(selectPlace);
  const dragging = useStore((s) => s.dragging);
  const netReady = useStore(selectNetworkReady);
  const road = useStore((s) => s.sitingRoad);
  const selId = selection?.kind === 'station' && typeof selection.props.id === 'string' ? selection.props.id : undefined;
  const st = selId ? scenario?.stations.find((x) => x.id === selId && x.status !== 'existing' && !scenario.removedIds.includes(x.id)) : undefined;

  useEffect(() => {
    if (st && !dragging) void checkSiteRoad(st.id, st.lon, st.lat);
  }, [st?.id, st?.lon, st?.lat, dragging, netReady]);

  const rules = sitingRules();
  const roadHere = road && st && road.stationId === st.id && road.lon === st.lon && road.lat === st.lat && !road.busy ? road : undefined;
  const items = useMemo(() => {
    if (!st || !rules.ok) return [];
    return sitingChecks({ lon: st.lon, lat: st.lat }, (pois as FeatureCollection<Point, PoiProps> | undefined) ?? null, {
      rules: rules.rules,
      road: roadHere?.snap ? { distanceM: roadHere.snap.distanceM, lon: roadHere.snap.lon, lat: roadHere.snap.lat, roadName: roadHere.snap.roadName } : null,
      coverage: pois ? place?.bbox : undefined,
    });
  }, [st, rules, pois, roadHere, place?.bbox]);

  if (!st) return null;
  const L = (zh?: string, en?: string) => (lang === 'en' ? en : zh) ?? '';
  const sum = sitingSummary(items);
  const name = (lang === 'en' && st.nameEn) || st.name;

  return (
    <section className="section" aria-labelledby="siting-title" data-testid="siting">
      <h2 id="siting-title">{t('siting.title', { name })}</h2>
      {!rules.ok ? (
        <ul className="error">{rules.issues.map((i, k) => <li key={k}>{L(i.zh, i.en)}</li>)}</ul>
      ) : (
        <>
          <p className="muted">
            {t('siting.summary', { pass: sum.pass, fail: sum.fail, nodata: sum['no-data'] })}
            {!pois && ` ${t('siting.noPois')}`}
            {road?.busy && ` ${t('siting.roadBusy')}`}
          </p>
          <ul className="siting-list" data-testid="siting-list">
            {items.map((it) => (
              <li key={it.id} data-status={it.status}>
                <span className={`badge st-${it.status}`}>{t(`siting.status.${it.status}`)}</span> {L(it.rule_zh, it.rule_en)}
                <div className="muted">
                  {it.distanceM !== undefined && (
                    <>
                      {t('siting.distance')}: {fmtDistance(t, it.distanceM)}
                      {it.nearest?.name ? ` (${it.nearest.name})` : ''} ·{' '}
                    </>
                  )}
                  {L(it.clause, it.clauseEn)}
                  {it.basis === 'assumption' ? ` ${t('siting.assumption')}` : ''}
                </div>
                {(it.note_zh || it.note_en) && <div className="warn-text">{L(it.note_zh, it.note_en)}</div>}
              </li>
            ))}
          </ul>
          {roadHere?.error && <p className="error">{msgText(t, lang, roadHere.error)}</p>}
          <p className="muted">{t('siting.poiNote')}</p>
        </>
      )}
    </section>
  );
}
