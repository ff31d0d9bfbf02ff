/**
 * The fire engine the check is run with (road rules, issue #17): a selector with each vehicle's size and weight,
 * and which stations' districts change verdict or worst time against the default vehicle.
 */
import { useTranslation } from 'react-i18next';
import { useStore } from '../../store';
import { chooseVehicle, currentBase, DEFAULT_VEHICLE_ID, refreshVehicleBase, selectVehicleId, vehicleDimensions, vehicleLabel, vehicleOf, VEHICLES } from '../../store/roadRules';
import { vehicleDiff, type VehicleChange } from '../../store/vehicleDiff';
import { fmtDuration, msgText } from '../../i18n/msg';
import type { PlaceReport } from '../../core/compliance/report';

export function VehiclePanel({ report, busy }: { report?: PlaceReport; busy: boolean }) {
  const { t } = useTranslation();
  const lang = useStore((s) => s.lang);
  const vehicleId = useStore(selectVehicleId);
  const error = useStore((s) => s.vehicleError);
  const base = useStore((s) => (selectVehicleId(s) !== DEFAULT_VEHICLE_ID ? currentBase(s) : undefined));
  const working = useStore((s) => s.vehicleBusy === true);
  const name = (id: string) => { const v = vehicleOf(id); return v ? (lang === 'en' ? v.nameEn : v.name) : id; };
  const baseName = name(DEFAULT_VEHICLE_ID);
  const other = vehicleId !== DEFAULT_VEHICLE_ID;
  const diff = other && base && report && !busy && !working ? vehicleDiff(base, report) : undefined;

  const state = (x: VehicleChange['before']) =>
    !x ? t('roadRules.none') : `${t(`compliance.${x.verdict}`)} · ${x.worstS === null ? t('roadRules.unreached') : fmtDuration(t, x.worstS)}`;

  return (
    <div className="vehicle" data-testid="vehicle-panel">
      <div className="form-row">
        <label>
          <span>{t('roadRules.vehicle')}</span>
          <select data-testid="vehicle-select" value={vehicleId} aria-busy={working} onChange={(e) => void chooseVehicle(e.target.value)}>
            {VEHICLES.map((v) => <option key={v.id} value={v.id}>{vehicleLabel(v, lang)}</option>)}
          </select>
        </label>
      </div>
      {vehicleOf(vehicleId) && <p className="muted" data-testid="vehicle-dimensions">{vehicleDimensions(vehicleOf(vehicleId)!, lang)}</p>}
      <p className="muted">{t('roadRules.vehicleHint', { base: baseName })}</p>
      {error && <p className="error" role="alert">{t('roadRules.vehicleError')}: {msgText(t, lang, error)}</p>}
      {working && <p className="muted" aria-live="polite">{t('roadRules.baseBusy')}</p>}
      {other && report && !busy && !working && !base && (
        <p className="warn-text" data-testid="vehicle-base-stale">
          {t('roadRules.baseStale', { base: baseName })}{' '}
          <button type="button" className="small" onClick={() => void refreshVehicleBase()}>{t('roadRules.refreshBase')}</button>
        </p>
      )}
      {diff && (
        <div className="card" data-testid="vehicle-changes" data-changed={diff.changes.length}>
          <h3>{t('roadRules.changesTitle')}</h3>
          <p data-testid="vehicle-changes-summary">
            {diff.changes.length
              ? t('roadRules.changes', { name: name(vehicleId), v: diff.verdicts, t: diff.times, base: baseName })
              : t('roadRules.noChanges', { name: name(vehicleId), base: baseName })}
          </p>
          {diff.changes.length > 0 && (
            <ul className="reasons">
              {diff.changes.map((c) => (
                <li key={c.id}>{t('roadRules.changeRow', { station: (lang === 'en' && c.nameEn) || c.name, before: state(c.before), after: state(c.after) })}</li>
              ))}
            </ul>
          )}
        </div>
      )}
    </div>
  );
}
