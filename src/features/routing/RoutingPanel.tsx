/**
 * Network analysis: a clicked station → its travel-time isochrone (2/3/4/6 min); a click elsewhere → the route
 * from the station that reaches it fastest, with steps. Profile and peak/off-peak shown and switchable.
 * The results open in a card on the map by the clicked point (MapCard), where the eye is; without roads a click
 * gives the straight-line estimate from the nearest station instead (labelled 估算 / estimate).
 */
import { memo, useEffect, useRef, useState, type ReactNode } from 'react';
import { createPortal } from 'react-dom';
import * as maplibregl from 'maplibre-gl';
import { getMap } from '../../map/instance';
import { estimateParams } from '../../data/standards';
import { estimateArrival } from '../../core/estimateArrival';
import { isUnreachableCode } from '../../core/unreachable';
import { isStale, planner } from '../../data/planner';
import { useTranslation } from 'react-i18next';
import { BANDS_MIN, useStore } from '../../store';
import { selectNetworkReady, selectRoutingStations, selectStations } from '../../store/selectors';
import { clearIsochrone, clearRoute, computeIsochrone, computeRoute, setPeak } from '../../store/actions';
import { BAND_COLOURS } from '../../map/style';
import { defaultProfile } from '../../data/profile';
import { fmtDistance, fmtDuration, msgText, profileLabel } from '../../i18n/msg';
import type { SnapInfo } from '../../worker/protocol';
import { ProfileEditor } from './ProfileEditor';
import { chooseVehicle, selectVehicleId, vehicleChoices, vehicleLabel, vehicleOf } from '../../store/roadRules';

/**
 * A result card anchored on the map at `at` (a MapLibre popup whose body React renders through a portal, so all its
 * text stays text). Its × calls `onClose`; removing the card by the program does not. Without a map (tests, map
 * error) the card shows inline where it is rendered.
 */
function MapCard({ at, onClose, testid, children }: { at: [number, number]; onClose: () => void; testid: string; children: ReactNode }) {
  const mapReady = useStore((s) => s.mapReady);
  const [host, setHost] = useState<HTMLElement | null>(null);
  const [popup, setPopup] = useState<maplibregl.Popup | null>(null);
  const quiet = useRef(false);
  useEffect(() => {
    const map = getMap();
    if (!map || !mapReady) return;
    const el = document.createElement('div');
    el.className = 'result-card';
    el.setAttribute('data-testid', testid);
    const p = new maplibregl.Popup({ closeButton: true, closeOnClick: false, focusAfterOpen: false, anchor: 'top', offset: 12, maxWidth: '340px', className: 'result-popup' })
      .setDOMContent(el);
    // Only the user's × closes the result; the program's own remove (unmount, point off the map) does not.
    p.on('close', () => { if (!quiet.current) onClose(); });
    setHost(el);
    setPopup(p);
    return () => {
      quiet.current = true;
      p.remove();
      quiet.current = false;
      setHost(null);
      setPopup(null);
    };
    // onClose is a stable action; the card is rebuilt only when the map comes or goes.
  }, [mapReady, testid]);
  useEffect(() => {
    const map = getMap();
    if (!popup) return;
    if (map && onEarth(at)) {
      popup.setLngLat(at);
      if (!popup.isOpen()) popup.addTo(map);
    } else if (popup.isOpen()) {
      quiet.current = true;
      popup.remove();
      quiet.current = false;
    }
  }, [popup, at[0], at[1]]);
  if (!mapReady || !getMap() || !onEarth(at)) return <div className="card" data-testid={testid}>{children}</div>;
  return host ? createPortal(children, host) : null;
}

/** A point the map can anchor a card at (a refused point may lie outside the coordinate range: its card stays in the panel). */
const onEarth = (p: [number, number]) => Number.isFinite(p[0]) && Number.isFinite(p[1]) && Math.abs(p[0]) <= 180 && Math.abs(p[1]) <= 90;

/** Without roads: the clicked point's straight-line estimate from the nearest station (the compliance estimate's model). */
function EstimateCard() {
  const { t } = useTranslation();
  const selection = useStore((s) => s.selection);
  const stations = useStore(selectRoutingStations);
  const lang = useStore((s) => s.lang);
  const [closedFor, setClosedFor] = useState<unknown>(null);
  if (!selection || (selection.kind !== 'point' && selection.kind !== 'district') || closedFor === selection) return null;
  const p = estimateParams();
  const est = estimateArrival(stations, selection.lngLat, { speedKmh: p.speedKmh, lambda: p.lambda, turnoutS: p.turnoutMin * 60 });
  const st = est ? stations.find((x) => x.id === est.stationId) : undefined;
  return (
    <MapCard at={selection.lngLat} onClose={() => setClosedFor(selection)} testid="estimate-card">
      <h3>{t('layout.estimateTitle')} <span className="estimate-tag">{t('compliance.estShort')}</span></h3>
      {!est ? (
        <p className="muted">{t('layout.estimateNone')}</p>
      ) : (
        <>
          <p>{t('layout.estimateFrom', { name: st ? (lang === 'en' && st.nameEn) || st.name : est.stationId })}</p>
          <p className="big" data-testid="estimate-time" data-seconds={Math.round(est.responseSeconds)}>
            {t('layout.estimateResponse', { t: fmtDuration(t, est.responseSeconds), turnout: fmtDuration(t, est.turnoutSeconds) })}
          </p>
          <p>{t('layout.estimateTravel', { t: fmtDuration(t, est.travelSeconds) })} · {t('layout.estimateDistance', { km: (est.distanceM / 1000).toFixed(2) })}</p>
          <p className="muted">{t('layout.estimateParams', { speed: p.speedKmh, lambda: p.lambda })}{p.sourceZh ? ` — ${lang === 'en' ? p.sourceEn : p.sourceZh}` : ''}</p>
        </>
      )}
    </MapCard>
  );
}

/**
 * A route refused as unreachable: where the click snapped (asked of the worker, the same destination snap the route
 * used), marked ◎ on the map, and why — the core's reason code: a disconnected piece, a one-way pocket, or turns.
 */
function UnreachableWhy({ to, code }: { to: [number, number]; code: string }) {
  const { t } = useTranslation();
  const placeId = useStore((s) => s.placeId);
  const [snap, setSnap] = useState<SnapInfo | null>(null);
  useEffect(() => {
    let live = true;
    setSnap(null);
    if (!placeId) return;
    void planner().then((c) => c.snap(placeId, to)).then((r) => { if (live && !isStale(r)) setSnap(r); }, () => undefined);
    return () => { live = false; };
  }, [placeId, to]);
  useEffect(() => {
    const map = getMap();
    if (!map || !snap) return;
    const el = document.createElement('div');
    el.className = 'snap-mark';
    el.setAttribute('data-testid', 'unreachable-snap');
    el.textContent = '◎';
    const m = new maplibregl.Marker({ element: el }).setLngLat([snap.lon, snap.lat]).addTo(map);
    return () => { m.remove(); };
  }, [snap]);
  if (!snap) return <p className="muted">{t('layout.unreachLooking')}</p>;
  return (
    <div data-testid="unreachable-why" data-isolated={snap.isolated} data-reason={code}>
      <p>{t('layout.unreachWhere', { road: snap.roadName || t('routing.unnamedRoad'), lon: snap.lon.toFixed(5), lat: snap.lat.toFixed(5), m: Math.round(snap.distanceM) })}</p>
      <p className="warn-text">{t(`uiFixes.why.${code}`, { defaultValue: t('uiFixes.why.unreachable') })}</p>
    </div>
  );
}

/** The worker names the profile "中文 / English": the part in the language. */

function useClickAnalysis() {
  const selection = useStore((s) => s.selection);
  useEffect(() => {
    const s = useStore.getState();
    if (!selection || !selectNetworkReady(s)) return;
    if (selection.kind === 'station') {
      // A dragged station's selection follows it every frame: the drag itself asks for its (lighter) isochrone.
      const id = String(selection.props.id ?? '');
      if (id && !s.dragging) void computeIsochrone([id]);
    } else if (selection.kind === 'point' || selection.kind === 'district') {
      void computeRoute(selection.lngLat);
    }
  }, [selection]);
  // The origins follow the station layer toggles: redo the merged isochrone when they change.
  const showExisting = useStore((s) => s.layers.stations);
  const showPlanned = useStore((s) => s.layers.plan);
  const scenarioStamp = useStore((s) => (s.dragging ? 'dragging' : s.scenario?.present.updatedAt ?? ''));
  useEffect(() => {
    const { iso } = useStore.getState();
    if (scenarioStamp === 'dragging' || !iso.stationIds.length) return;
    void computeIsochrone(iso.all ? 'all' : iso.stationIds, iso.bandsMin);
  }, [showExisting, showPlanned, scenarioStamp]);
  // Step texts are built in the worker in the current language: rebuild them when it changes.
  const lang = useStore((s) => s.lang);
  useEffect(() => {
    const { route } = useStore.getState();
    if (route.to && route.result) void computeRoute(route.to, route.onlyIds);
  }, [lang]);
}

/**
 * Profile, peak / off-peak, vehicle and the profile editor: memo and its own selectors, so a drag step (which
 * re-renders the panel for the isochrone card) does not re-render these.
 */
const ProfileRow = memo(function ProfileRow() {
  const { t } = useTranslation();
  const peak = useStore((s) => s.peak);
  const lang = useStore((s) => s.lang);
  const profileName = useStore((s) => s.profileName);
  const profile = defaultProfile();
  const shownProfile = profileName ? profileLabel(profileName, lang) : profile ? (lang === 'en' ? profile.nameEn : profile.name) : '';
  const vehicleId = useStore(selectVehicleId);
  const vehicleEdits = useStore((s) => s.vehicleEdits);
  return (
    <div className="profile" data-testid="profile">
      <span>{t('routing.profile')}: {shownProfile}</span>
      <div role="radiogroup" aria-label={t('routing.profile')} className="seg">
        <label className="check">
          <input type="radio" name="peak" data-testid="offpeak" checked={!peak} onChange={() => void setPeak(false)} />
          <span>{t('routing.offPeak')}</span>
        </label>
        <label className="check">
          <input type="radio" name="peak" data-testid="peak" checked={peak} onChange={() => void setPeak(true)} />
          <span>{t('routing.peak')}</span>
        </label>
      </div>
      <label className="vehicle-row">
        <span>{t('roadRules.vehicle')}</span>
        <select data-testid="routing-vehicle" value={vehicleId} onChange={(e) => void chooseVehicle(e.target.value)}>
          {vehicleChoices({ vehicleEdits }).map((v) => <option key={v.id} value={v.id}>{vehicleLabel(v, lang)}</option>)}
        </select>
      </label>
      <ProfileEditor />
    </div>
  );
});

export function RoutingPanel() {
  const { t } = useTranslation();
  useClickAnalysis();
  const ready = useStore(selectNetworkReady);
  const iso = useStore((s) => s.iso);
  const route = useStore((s) => s.route);
  const lang = useStore((s) => s.lang);
  const stations = useStore(selectStations);
  const vehicleId = useStore(selectVehicleId);
  const vehicleEdits = useStore((s) => s.vehicleEdits);
  const vehicle = vehicleOf(vehicleId, { vehicleEdits });
  const vehicleName = vehicle ? (lang === 'en' ? vehicle.nameEn : vehicle.name) : vehicleId;

  if (!ready) {
    return (
      <section className="section">
        <h2>{t('routing.title')}</h2>
        <p className="muted">{t('routing.needNetwork')}</p>
        <EstimateCard />
      </section>
    );
  }

  const isoStation = iso.stationIds.length === 1 ? stations.find((s) => s.id === iso.stationIds[0]) : undefined;
  const routeStation = route.result ? stations.find((s) => s.id === route.result!.stationId) : undefined;
  const stationName = (s?: { name: string; nameEn?: string }) => (s ? (lang === 'en' && s.nameEn) || s.name : '');
  const areaOf = (min: number) => {
    const f = iso.result?.polygons.features.find((p) => Number(p.properties?.minutes ?? p.properties?.band) === min);
    const a = Number(f?.properties?.areaKm2);
    return Number.isFinite(a) ? a : undefined;
  };
  const warnSnaps = iso.result ? Object.entries(iso.result.snaps).filter(([, sn]) => sn.far || sn.isolated || sn.moved || sn.offNetwork) : [];

  const isoBody = (
    <>
          <h3>{t('routing.isoTitle')}</h3>
          <p>{iso.all ? t('routing.isoAll', { n: iso.stationIds.length }) : t('routing.isoStation', { name: stationName(isoStation) })}</p>
          {iso.busy && <p className="muted">{t('routing.computing')}</p>}
          {iso.error && (
            <p className="error" role="alert" data-testid="iso-error" data-code={iso.error.code}>
              {isOffNetwork(iso.error.code) && <strong data-testid="iso-off-network">{t('routing.offNetwork')}: </strong>}
              {msgText(t, lang, iso.error)}
            </p>
          )}
          {iso.result && !iso.busy && <p className="muted" data-testid="iso-profile">{t('routing.usedProfile', { name: profileLabel(iso.result.profileName, lang) })}</p>}
          {iso.result && !iso.busy && (
            <ul className="legend">
              {(iso.bandsMin ?? BANDS_MIN).map((m) => (
                <li key={m} className="legend-row">
                  <span className="sym" aria-hidden="true"><span className="box" style={{ background: BAND_COLOURS[m], outline: m === 4 ? '2px solid #1b5e20' : undefined }} /></span>
                  <span>
                    {m === 4 ? t('routing.bandStd', { min: m }) : t('routing.band', { min: m })}
                    {areaOf(m) !== undefined ? ` — ${t('routing.areaKm2', { a: areaOf(m)!.toFixed(2) })}` : ''}
                  </span>
                </li>
              ))}
            </ul>
          )}
          {warnSnaps.map(([id, sn]) => (
            <p key={id} className="warn-text" data-testid={sn.offNetwork ? 'iso-station-off-network' : undefined}>
              {stationName(stations.find((st) => st.id === id)) || id}:{' '}
              {sn.offNetwork ? t('routing.offNetworkStation', { m: Math.round(sn.distanceM) })
                : sn.moved && sn.reason
                ? t('routing.movedStation', { m: Math.round(sn.movedM), reason: reasonText(sn, lang) })
                : sn.isolated ? t('routing.stationIsolated') : t('routing.stationFar', { m: Math.round(sn.distanceM) })}
            </p>
          ))}
          <button type="button" onClick={clearIsochrone}>{t('routing.clear')}</button>
        </>
  );
  const routeBody = (
    <>
          <h3>{t('routing.routeTitle')}</h3>
          {route.busy && <p className="muted">{t('routing.computing')}</p>}
          {route.error && (
            <p className="error" role="alert" data-testid="route-error" data-code={route.error.code} title={route.error.detail}>
              {/* A refusal by the road rules: the vehicle, then the closure in the UI language (its technical detail as the title). */}
              {route.error.code === 'route-closed-by-rule'
                ? `${t('roadRules.routeRefused', { vehicle: vehicleName })}${msgText(t, lang, { ...route.error, detail: undefined })}`
                : isOffNetwork(route.error.code)
                  ? <><strong data-testid="route-off-network">{t('routing.offNetwork')}: </strong>{msgText(t, lang, route.error)}</>
                  : msgText(t, lang, route.error)}
            </p>
          )}
          {route.error && isOffNetwork(route.error.code) && <p className="muted">{t('routing.offNetworkHint')}</p>}
          {route.error && isUnreachableCode(route.error.code) && route.to && <UnreachableWhy to={route.to} code={route.error.code ?? 'unreachable'} />}
          {route.error?.code === 'route-closed-by-rule' && <p className="muted">{t('roadRules.routeRefusedHint')}</p>}
          {route.result && !route.busy && (
            <>
              <p>{t('routing.routeFrom', { name: stationName(routeStation) || route.result.stationId })}</p>
              <p className="big" data-testid="route-time">{t('routing.travel', { t: fmtDuration(t, route.result.travelSeconds) })}</p>
              <p>{t('routing.response', { t: fmtDuration(t, route.result.responseSeconds) })}</p>
              {typeof (route.result.route as { distance?: number })?.distance === 'number' && (
                <p>{t('routing.distance', { d: fmtDistance(t, (route.result.route as { distance: number }).distance) })}</p>
              )}
              <p className="muted" data-testid="route-profile">{t('routing.usedProfile', { name: profileLabel(route.result.profileName, lang) })}</p>
              <SnapLine which="from" snap={route.result.snapFrom} />
              <SnapLine which="to" snap={route.result.snapTo} />
              <h4>{t('routing.steps')}</h4>
              <ol className="steps">
                {route.result.steps.map((st, i) => (
                  <li key={i}>
                    <span>{st.text}</span>
                    <span className="muted"> {fmtDistance(t, st.distanceM)} · {fmtDuration(t, st.durationS)}</span>
                  </li>
                ))}
              </ol>
            </>
          )}
          <button type="button" onClick={clearRoute}>{t('routing.clear')}</button>
        </>
  );

  return (
    <section className="section" aria-labelledby="routing-title">
      <h2 id="routing-title">{t('routing.title')}</h2>
      <p className="muted">{t('routing.hintStation')} {t('routing.originsNote')}</p>
      <label className="check">
        <input
          type="checkbox"
          data-testid="iso-all"
          checked={iso.all}
          onChange={(e) => (e.target.checked ? void computeIsochrone('all') : clearIsochrone())}
        />
        <span>{t('routing.allStations')}</span>
      </label>
      <ProfileRow />

      {(iso.busy || iso.result || iso.error) && (isoStation
        ? <MapCard at={[isoStation.lon, isoStation.lat]} onClose={clearIsochrone} testid="isochrone-legend">{isoBody}</MapCard>
        : <div className="card" data-testid="isochrone-legend">{isoBody}</div>)}

      {(route.busy || route.result || route.error) && (route.to
        ? <MapCard at={route.to} onClose={clearRoute} testid="route-panel">{routeBody}</MapCard>
        : <div className="card" data-testid="route-panel">{routeBody}</div>)}
    </section>
  );
}

/** The router's refusals of a point off the road network (the plain one and the swapped-axes one). */
const isOffNetwork = (code: string | undefined): boolean => code === 'off-network' || code === 'swapped-coordinate';

/** Why a snapped point was moved, in the UI language (the core gives both). */
const reasonText = (snap: SnapInfo, lang: string): string => (snap.reason ? (lang === 'en' ? snap.reason.en : snap.reason.zh) : '');

/** How far a route end lies from the road it was attached to, with a warning when far off or on a cut-off piece. */
function SnapLine({ which, snap }: { which: 'from' | 'to'; snap: SnapInfo }) {
  const { t } = useTranslation();
  const lang = useStore((s) => s.lang);
  const m = Math.round(snap.distanceM);
  return (
    <div className="snap" data-testid={`snap-${which}`}>
      <p className={snap.far ? 'warn-text' : 'muted'}>
        {t(which === 'from' ? 'routing.snapStation' : 'routing.snapPoint', { m, road: snap.roadName || t('routing.unnamedRoad') })}
      </p>
      {snap.far && <p className="warn-text" role="note">⚠ {t(which === 'from' ? 'routing.stationFar' : 'routing.snapFar', { m })}</p>}
      {snap.moved && snap.reason && (
        <p className="warn-text" role="note" data-testid={`snap-${which}-moved`}>
          ⚠ {t(which === 'from' ? 'routing.movedStart' : 'routing.movedPoint', { m: Math.round(snap.movedM), reason: reasonText(snap, lang) })}
        </p>
      )}
      {snap.isolated && <p className="warn-text" role="note">⚠ {t(which === 'from' ? 'routing.stationIsolated' : 'routing.isolated')}</p>}
    </div>
  );
}
