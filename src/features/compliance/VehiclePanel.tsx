/**
 * The fire engine the check is run with (road rules, issue #17): a selector with each vehicle's size and weight,
 * an editor of the chosen vehicle's figures (checked as typed, applied with "apply", "reset" restores the rules
 * file's), and which stations' districts change verdict or worst time against the default vehicle.
 */
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useStore } from '../../store';
import { DIMENSIONS, type VehicleFigures } from '../../core/roadRules';
import {
  chooseVehicle, currentBase, DEFAULT_VEHICLE_ID, editVehicle, figureIssues, figuresOfInfo, refreshVehicleBase, selectVehicleId, vehicleChoices, vehicleDimensions,
  vehicleLabel, vehicleOf, VEHICLES, type ShownVehicle,
} from '../../store/roadRules';
import { vehicleDiff, type VehicleChange } from '../../core/compliance/vehicleDiff';
import { fmtDuration, msgText } from '../../i18n/msg';
import { fmtShare } from '../../core/format';
import type { PlaceReport } from '../../core/compliance/report';

export function VehiclePanel({ report, busy }: { report?: PlaceReport; busy: boolean }) {
  const { t } = useTranslation();
  const lang = useStore((s) => s.lang);
  const vehicleId = useStore(selectVehicleId);
  const error = useStore((s) => s.vehicleError);
  const base = useStore((s) => (selectVehicleId(s) !== DEFAULT_VEHICLE_ID ? currentBase(s) : undefined));
  const working = useStore((s) => s.vehicleBusy === true);
  const edits = useStore((s) => s.vehicleEdits);
  const choices = vehicleChoices({ vehicleEdits: edits });
  const shown = vehicleOf(vehicleId, { vehicleEdits: edits });
  const name = (id: string) => { const v = vehicleOf(id, { vehicleEdits: edits }); return v ? (lang === 'en' ? v.nameEn : v.name) : id; };
  const baseName = name(DEFAULT_VEHICLE_ID);
  const other = vehicleId !== DEFAULT_VEHICLE_ID;
  const diff = other && base && report && !busy && !working ? vehicleDiff(base, report) : undefined;

  const state = (x: VehicleChange['before']) =>
    !x ? t('roadRules.none') : `${t(`compliance.${x.verdict}`)} · ${x.worstS === null ? t('roadRules.unreached') : fmtDuration(t, x.worstS)}`
      + (x.share === null ? '' : ` · ${t('roadRules.edgeState', { share: fmtShare(x.share), n: x.unreachable })}`);

  return (
    <div className="vehicle" data-testid="vehicle-panel">
      <div className="form-row">
        <label>
          <span>{t('roadRules.vehicle')}</span>
          <select data-testid="vehicle-select" value={vehicleId} aria-busy={working} onChange={(e) => void chooseVehicle(e.target.value)}>
            {choices.map((v) => <option key={v.id} value={v.id}>{vehicleLabel(v, lang)}</option>)}
          </select>
        </label>
      </div>
      {shown && <p className="muted" data-testid="vehicle-dimensions" data-edited={shown.edited}>{vehicleDimensions(shown, lang)}</p>}
      {shown && <FiguresEditor key={`${shown.id}:${VEHICLE_FIELDS.map((k) => shown[k]).join(',')}`} vehicle={shown} busy={working} />}
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
              ? t('roadRules.changes', { name: name(vehicleId), v: diff.verdicts, t: diff.times, e: diff.edges, base: baseName })
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

const VEHICLE_FIELDS = DIMENSIONS.map((d) => d.key);
type Draft = Record<keyof VehicleFigures, string>;
const toDraft = (f: VehicleFigures): Draft => Object.fromEntries(VEHICLE_FIELDS.map((k) => [k, String(f[k])])) as Draft;
const fromDraft = (d: Draft): VehicleFigures => Object.fromEntries(VEHICLE_FIELDS.map((k) => [k, d[k].trim() === '' ? NaN : Number(d[k])])) as unknown as VehicleFigures;

/** The chosen vehicle's height, width, length, laden mass and axle load as number inputs (re-mounted when they change). */
function FiguresEditor({ vehicle, busy }: { vehicle: ShownVehicle; busy: boolean }) {
  const { t } = useTranslation();
  const lang = useStore((s) => s.lang);
  const [draft, setDraft] = useState<Draft>(() => toDraft(figuresOfInfo(vehicle)));
  const [failed, setFailed] = useState<{ zh: string; en: string }[]>([]);
  const file = figuresOfInfo(VEHICLES.find((v) => v.id === vehicle.id)!);
  const figures = fromDraft(draft);
  const issues = figureIssues(figures);
  const bad = new Set(issues.map((i) => i.key));
  const changed = VEHICLE_FIELDS.some((k) => figures[k] !== vehicle[k]);
  const L = (m: { zh: string; en: string }) => (lang === 'en' ? m.en : m.zh);
  const apply = async (f: VehicleFigures | null) => setFailed(await editVehicle(vehicle.id, f));

  return (
    <details className="profile-editor" data-testid="vehicle-editor" open={vehicle.edited || undefined}>
      <summary>{t('roadRules.editFigures')}{vehicle.edited ? ` — ${t('roadRules.editedMark')}` : ''}</summary>
      <form onSubmit={(ev) => { ev.preventDefault(); if (!issues.length && changed) void apply(figures); }}>
        <table className="speed-table">
          <tbody>
            {DIMENSIONS.map((d) => (
              <tr key={d.key}>
                <th scope="row">{t(`roadRules.fig.${d.key}`)}</th>
                <td>
                  <input
                    type="number" inputMode="decimal" step="0.1" min={d.min} max={d.max} value={draft[d.key]}
                    aria-label={`${t(`roadRules.fig.${d.key}`)} (${d.unit})`} aria-invalid={bad.has(d.key) || undefined}
                    className={bad.has(d.key) ? 'invalid' : undefined} data-testid={`vehicle-${d.key}`}
                    onChange={(ev) => setDraft({ ...draft, [d.key]: ev.target.value })}
                  />{' '}{d.unit}
                </td>
                <td className="muted">{figures[d.key] !== file[d.key] ? t('roadRules.fileFigure', { v: `${file[d.key]} ${d.unit}` }) : ''}</td>
              </tr>
            ))}
          </tbody>
        </table>
        {[...issues, ...failed].length > 0 && (
          <ul className="error issues" role="alert" data-testid="vehicle-issues">
            {[...issues, ...failed].map((i, k) => <li key={k}>{L(i)}</li>)}
          </ul>
        )}
        <p className="muted">{t('roadRules.figuresNote')}</p>
        <div className="row">
          <button type="submit" data-testid="vehicle-apply" disabled={busy || !changed || issues.length > 0}>{t('roadRules.applyFigures')}</button>{' '}
          <button type="button" data-testid="vehicle-reset" disabled={busy || !vehicle.edited} onClick={() => void apply(null)}>{t('roadRules.resetFigures')}</button>
        </div>
      </form>
    </details>
  );
}
