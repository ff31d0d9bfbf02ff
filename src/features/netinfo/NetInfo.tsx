/**
 * One info line about the road network of the place: built-in, imported, or none (straight-line estimate); with a
 * network, the road-km and barriers its road rules close to the chosen vehicle (issue #17), rule by rule.
 */
import { useEffect } from 'react';
import { useTranslation } from 'react-i18next';
import { useStore } from '../../store';
import { selectPlace } from '../../store/selectors';
import { loadRoadRules, selectVehicleId, vehicleOf } from '../../store/roadRules';
import { msgText } from '../../i18n/msg';
import { getMap } from '../../map/instance';
import type { Feature, Point } from 'geojson';

/** Blocking barriers listed in the card (keyboard access to their popups); the rest are counted. */
const MAX_LISTED = 12;

/** Shows one closure on the map with its popup (the same selection a click on its symbol makes). */
function showOnMap(f: Feature<Point>): void {
  const lngLat = f.geometry.coordinates as [number, number];
  getMap()?.flyTo({ center: lngLat, zoom: Math.max(getMap()?.getZoom() ?? 0, 17), duration: 600 });
  useStore.getState().select({ kind: 'road-rule', props: { ...f.properties }, lngLat });
}

function RoadRulesCard() {
  const { t } = useTranslation();
  const lang = useStore((s) => s.lang);
  const rr = useStore((s) => s.roadRules);
  const version = useStore((s) => (s.network?.status === 'ready' && s.network.placeId === s.placeId ? s.network.info?.version : undefined));
  const vehicleId = useStore(selectVehicleId);
  useEffect(() => {
    if (version) void loadRoadRules();
  }, [version, vehicleId]);
  if (!version) return null;
  const v = vehicleOf(vehicleId);
  const vehicle = v ? (lang === 'en' ? v.nameEn : v.name) : vehicleId;
  const current = rr && rr.version === version && rr.vehicleId === vehicleId ? rr : undefined;
  const rows = current?.info?.rows ?? [];
  const closedKm = rows.filter((r) => r.rule !== 'emergency-only').reduce((s, r) => s + r.km, 0);
  const nodes = rows.reduce((s, r) => s + r.nodes, 0);
  const barriers = (current?.info?.features.features ?? []).filter((f): f is Feature<Point> => f.properties?.kind === 'barrier' && f.geometry.type === 'Point');
  return (
    <details className="road-rules-card" data-testid="road-rules-card" data-vehicle={vehicleId} data-rows={current?.info ? rows.length : ''}>
      <summary>
        {t('roadRules.cardTitle', { vehicle })}
        {current?.info ? `${lang === 'en' ? ': ' : '：'}${t('roadRules.cardKm', { km: closedKm.toFixed(1) })} · ${t('roadRules.cardNodes', { n: nodes })}` : ''}
      </summary>
      {(!current || current.busy) && <p className="muted">{t('roadRules.cardLoading')}</p>}
      {current?.error && <p className="error" role="alert">{t('roadRules.cardError')}: {msgText(t, lang, current.error)}</p>}
      {current?.info && !rows.length && <p className="muted">{t('roadRules.cardNone', { vehicle })}</p>}
      {current?.info && rows.length > 0 && (
        <table className="road-rules" data-testid="road-rules-rows">
          <tbody>
            {rows.map((r) => (
              <tr key={r.rule} data-rule={r.rule}>
                <th scope="row" style={{ textAlign: 'left', fontWeight: 'normal', paddingRight: 8 }}>{lang === 'en' ? r.en : r.zh}</th>
                <td style={{ textAlign: 'right', paddingRight: 8 }}>{r.km > 0 ? t('roadRules.cardKm', { km: r.km.toFixed(2) }) : ''}</td>
                <td style={{ textAlign: 'right' }}>{r.nodes > 0 ? t('roadRules.cardNodes', { n: r.nodes }) : ''}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {barriers.length > 0 && (
        <ul className="road-rule-barriers" data-testid="road-rules-barriers" style={{ margin: '4px 0', paddingLeft: 18 }}>
          {barriers.slice(0, MAX_LISTED).map((f, i) => (
            <li key={i}>
              <button type="button" className="linkish" onClick={() => showOnMap(f)}>{String((lang === 'en' ? f.properties?.en : f.properties?.zh) ?? '')}</button>
            </li>
          ))}
          {barriers.length > MAX_LISTED && <li className="muted">{t('roadRules.moreBarriers', { n: barriers.length - MAX_LISTED })}</li>}
        </ul>
      )}
      <p className="muted" style={{ fontSize: 11 }}>{t('attribution.osm')}</p>
    </details>
  );
}

export function NetInfo() {
  const { t } = useTranslation();
  const place = useStore(selectPlace);
  const net = useStore((s) => s.network);
  const lang = useStore((s) => s.lang);
  if (!place) return null;
  let text: string;
  let cls = 'netinfo';
  if (net && net.placeId === place.id && net.status === 'ready' && net.info) {
    const p = { km: net.info.roadKm.toFixed(1), nodes: net.info.nodeCount.toLocaleString(), file: net.fileName ?? '' };
    text = t(net.source === 'imported' ? 'netinfo.imported' : 'netinfo.embedded', p);
  } else if (net && net.placeId === place.id && net.status === 'loading') {
    text = t('netinfo.loading');
  } else if (net && net.placeId === place.id && net.status === 'error') {
    text = `${t('netinfo.error')}: ${net.error ? msgText(t, lang, net.error) : ''}`;
    cls += ' warn';
  } else {
    text = t('netinfo.none');
    cls += ' warn';
  }
  return (
    <div className={cls} data-testid="netinfo" role="status">
      {text}
      <RoadRulesCard />
    </div>
  );
}
