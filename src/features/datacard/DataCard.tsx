/**
 * The place's data card (issue #11): what each layer holds — roads km, water (areas, lines, sea), railways, stations,
 * hydrants, POIs — its source file and date, and what is missing; missing water or railways are named as gaps of the
 * barrier check ("水系数据缺失 — 障碍检查不完整"), never as "no barrier". Also shows the refusal of a station site in
 * water (store/water.ts) where the planner is looking: over the map. Sits beside the network line (NetInfo), which
 * it does not replace.
 */
import { useMemo } from 'react';
import { useTranslation } from 'react-i18next';
import type { FeatureCollection } from 'geojson';
import { useStore } from '../../store';
import { selectPlace } from '../../store/selectors';
import { dismissWaterNotice, useWaterNotice } from '../../store/water';
import { cardRowText, placeCard } from '../../core/placeCard';
import { msgText } from '../../i18n/msg';

type Imported = { roads: FeatureCollection; facilities: FeatureCollection; water?: FeatureCollection; rail?: FeatureCollection };

function WaterNotice() {
  const { t } = useTranslation();
  const lang = useStore((s) => s.lang);
  const refusal = useWaterNotice((s) => s.refusal);
  if (!refusal) return null;
  return (
    <div className="error water-refusal" role="alert" data-testid="water-refusal"
      style={{ position: 'fixed', top: 84, left: '50%', transform: 'translateX(-50%)', zIndex: 20, background: '#fff', border: '2px solid #c62828', borderRadius: 6, padding: '8px 12px', maxWidth: 520, boxShadow: '0 2px 8px rgba(0,0,0,.25)' }}>
      {msgText(t, lang, refusal)}{' '}
      <button type="button" className="small" onClick={dismissWaterNotice}>{t('water.dismiss')}</button>
    </div>
  );
}

export function DataCard() {
  const { t } = useTranslation();
  const lang = useStore((s) => s.lang);
  const place = useStore(selectPlace);
  const data = useStore((s) => s.placeData);
  const placeId = useStore((s) => s.placeId);
  const imported = useStore((s) => (s.imported && s.imported.placeId === s.placeId ? (s.imported as unknown as Imported) : null));
  const importedFile = useStore((s) => (s.network?.source === 'imported' && s.network.placeId === s.placeId ? s.network.fileName ?? '' : null));
  const card = useMemo(() => {
    if (!place) return null;
    return placeCard({
      meta: place,
      layers: {
        roads: imported?.roads ?? data.roads, facilities: imported?.facilities ?? data.facilities,
        water: imported?.water ?? data.water, rail: imported?.rail ?? data.rail, plan: data.plan, pois: data.pois,
      },
      imported: imported && importedFile !== null ? { fileName: importedFile, importedAt: '' } : null,
    });
  }, [place, data, imported, importedFile]);
  if (!place || !card || placeId !== card.placeId) return <WaterNotice />;
  return (
    <section className="section" data-testid="data-card" data-gaps={card.dataGaps.map((g) => g.layer).join(' ')} aria-labelledby="data-card-title">
      <WaterNotice />
      <details open>
        <summary><h2 id="data-card-title" style={{ display: 'inline' }}>{t('water.cardTitle')}</h2></summary>
        <p className="muted">{t('water.cardHint')}</p>
        <table className="data-card" style={{ width: '100%', fontSize: 12, borderCollapse: 'collapse' }}>
          <thead>
            <tr>
              <th scope="col" style={{ textAlign: 'left' }}>{t('water.layer')}</th>
              <th scope="col" style={{ textAlign: 'left' }}>{t('water.holds')}</th>
              <th scope="col" style={{ textAlign: 'left' }}>{t('water.source')}</th>
            </tr>
          </thead>
          <tbody>
            {card.rows.map((r) => {
              const x = cardRowText(r, lang);
              return (
                <tr key={r.layer} data-layer={r.layer} data-missing={r.missing ? 'true' : 'false'} className={r.missing ? 'warn' : undefined}>
                  <th scope="row" style={{ textAlign: 'left', fontWeight: 'normal', paddingRight: 6 }}>{x.label}</th>
                  <td style={{ paddingRight: 6, color: r.missing ? '#b71c1c' : undefined, fontWeight: r.missing ? 600 : undefined }}>{x.value}</td>
                  <td style={{ wordBreak: 'break-all' }}>{x.source}</td>
                </tr>
              );
            })}
          </tbody>
        </table>
        {card.dataGaps.length > 0 && (
          <ul className="warnings" data-testid="data-gaps">
            {card.dataGaps.map((g) => <li key={g.code} data-code={g.code}><strong>{lang === 'en' ? g.en : g.zh}</strong></li>)}
          </ul>
        )}
      </details>
    </section>
  );
}
