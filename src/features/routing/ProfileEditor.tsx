/**
 * Speed-profile editor: km/h per road class, peak factor, turnout, one-way mode, turn restrictions (obey / ignore)
 * and turn penalties. Edits are checked as they
 * are typed (bilingual messages), applied to the worker with "apply", kept in the browser; "reset" restores the
 * profile file's values.
 */
import { memo, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { SPEED_CLASSES as ROAD_CLASSES, type SpeedClass as RoadClass } from '../../core/roadClass'; // classes with a speed (no ferry)
import { useStore } from '../../store';
import { applyProfile, currentProfileJson, defaultJson, editsOf, profileIssues, sameEdits, type ProfileEdits } from '../../store/profile';

/** Text fields as typed (a half-typed number must not be lost). */
type Draft = {
  speeds: Record<RoadClass, string>; peakFactor: string; turnoutSeconds: string; oneway: 'obey' | 'contraflow';
  turnRestrictions: 'obey' | 'ignore'; uTurnSeconds: string; leftTurnSeconds: string; rightTurnSeconds: string;
};
const TURN_FIELDS = [['uTurnSeconds', 'turns.uTurn'], ['leftTurnSeconds', 'turns.left'], ['rightTurnSeconds', 'turns.right']] as const;

const toDraft = (e: ProfileEdits): Draft => ({
  speeds: Object.fromEntries(ROAD_CLASSES.map((c) => [c, String(e.speeds[c])])) as Record<RoadClass, string>,
  peakFactor: String(e.peakFactor),
  turnoutSeconds: String(e.turnoutSeconds),
  oneway: e.oneway,
  turnRestrictions: e.turnRestrictions,
  uTurnSeconds: String(e.uTurnSeconds),
  leftTurnSeconds: String(e.leftTurnSeconds),
  rightTurnSeconds: String(e.rightTurnSeconds),
});
const num = (s: string) => (s.trim() === '' ? NaN : Number(s));
const fromDraft = (d: Draft): ProfileEdits => ({
  speeds: Object.fromEntries(ROAD_CLASSES.map((c) => [c, num(d.speeds[c])])) as Record<RoadClass, number>,
  peakFactor: num(d.peakFactor),
  turnoutSeconds: num(d.turnoutSeconds),
  oneway: d.oneway,
  turnRestrictions: d.turnRestrictions,
  uTurnSeconds: num(d.uTurnSeconds),
  leftTurnSeconds: num(d.leftTurnSeconds),
  rightTurnSeconds: num(d.rightTurnSeconds),
});

// memo: its panel re-renders on every drag step (the isochrone card follows the station); the editor reads only its own fields
export const ProfileEditor = memo(function ProfileEditor() {
  const { t } = useTranslation();
  const lang = useStore((s) => s.lang);
  const profileJson = useStore((s) => s.profileJson);
  const applied = useMemo(() => editsOf(profileJson ?? currentProfileJson()), [profileJson]);
  const [draft, setDraft] = useState<Draft>(() => toDraft(applied));
  const [lastApplied, setLastApplied] = useState(applied);
  const [serverIssues, setServerIssues] = useState<{ zh: string; en: string }[]>([]);
  const [busy, setBusy] = useState(false);
  // Another tab / a reset elsewhere changed the applied profile: show it.
  if (applied !== lastApplied) {
    setLastApplied(applied);
    setDraft(toDraft(applied));
  }
  // validate only when the draft changes (the editor is memoised; before, it re-rendered with its panel on every
  // store change, e.g. each drag step)
  const edits = useMemo(() => fromDraft(draft), [draft]);
  const issues = useMemo(() => profileIssues(edits), [edits]);
  const bad = new Set(issues.map((i) => i.path));
  const changed = !sameEdits(edits, applied);
  const isDefault = sameEdits(applied, editsOf(defaultJson()));
  const L = (m: { zh: string; en: string }) => (lang === 'en' ? m.en : m.zh);

  const apply = async (e: ProfileEdits | null) => {
    setBusy(true);
    const res = await applyProfile(e);
    setBusy(false);
    setServerIssues(res);
    if (!res.length && e === null) setDraft(toDraft(editsOf(defaultJson())));
  };

  const field = (path: string, value: string, onChange: (v: string) => void, label: string, step = '1') => (
    <input
      type="number"
      inputMode="decimal"
      step={step}
      value={value}
      aria-label={label}
      aria-invalid={bad.has(path) || undefined}
      data-testid={`profile-${path}`}
      className={bad.has(path) ? 'invalid' : undefined}
      onChange={(ev) => onChange(ev.target.value)}
    />
  );

  return (
    <details className="profile-editor" data-testid="profile-editor">
      <summary>{t('routing.editProfile')}{isDefault ? '' : ` — ${t('routing.customProfile')}`}</summary>
      <form
        onSubmit={(ev) => {
          ev.preventDefault();
          if (!issues.length && changed) void apply(edits);
        }}
      >
        <table className="speed-table">
          <caption className="muted">{t('routing.speedsCaption')}</caption>
          <thead>
            <tr><th scope="col">{t('routing.roadClass')}</th><th scope="col">km/h</th></tr>
          </thead>
          <tbody>
            {ROAD_CLASSES.map((c) => (
              <tr key={c}>
                <th scope="row">{t(`roadClass.${c}`)}</th>
                <td>{field(`speedsKmh.${c}`, draft.speeds[c], (v) => setDraft({ ...draft, speeds: { ...draft.speeds, [c]: v } }), `${t(`roadClass.${c}`)} km/h`)}</td>
              </tr>
            ))}
            <tr>
              <th scope="row">{t('routing.peakFactor')}</th>
              <td>{field('peakFactor', draft.peakFactor, (v) => setDraft({ ...draft, peakFactor: v }), t('routing.peakFactor'), '0.05')}</td>
            </tr>
            <tr>
              <th scope="row">{t('routing.turnout')}</th>
              <td>{field('turnoutSeconds', draft.turnoutSeconds, (v) => setDraft({ ...draft, turnoutSeconds: v }), t('routing.turnout'))}</td>
            </tr>
            <tr>
              <th scope="row">{t('routing.oneway')}</th>
              <td>
                <select aria-label={t('routing.oneway')} data-testid="profile-oneway" value={draft.oneway} onChange={(ev) => setDraft({ ...draft, oneway: ev.target.value as Draft['oneway'] })}>
                  <option value="obey">{t('routing.onewayObey')}</option>
                  <option value="contraflow">{t('routing.onewayContra')}</option>
                </select>
              </td>
            </tr>
            <tr>
              <th scope="row">{t('turns.restrictions')}</th>
              <td>
                <select aria-label={t('turns.restrictions')} data-testid="profile-turnRestrictions" value={draft.turnRestrictions} onChange={(ev) => setDraft({ ...draft, turnRestrictions: ev.target.value as Draft['turnRestrictions'] })}>
                  <option value="obey">{t('turns.obey')}</option>
                  <option value="ignore">{t('turns.ignore')}</option>
                </select>
              </td>
            </tr>
            {TURN_FIELDS.map(([key, label]) => (
              <tr key={key}>
                <th scope="row">{t(label)}</th>
                <td>{field(key, draft[key], (v) => setDraft({ ...draft, [key]: v }), t(label))}</td>
              </tr>
            ))}
          </tbody>
        </table>
        {issues.length > 0 && (
          <ul className="error issues" role="alert" data-testid="profile-issues">
            {issues.map((i) => <li key={i.path}>{L({ zh: i.zh, en: i.en })}</li>)}
          </ul>
        )}
        {serverIssues.length > 0 && (
          <ul className="error issues" role="alert">
            {serverIssues.map((i, k) => <li key={k}>{L(i)}</li>)}
          </ul>
        )}
        <p className="muted">{t('turns.note')}</p>
        <p className="muted">{t('routing.profileNote')}</p>
        <div className="row">
          <button type="submit" data-testid="profile-apply" disabled={busy || !changed || issues.length > 0}>{t('routing.applyProfile')}</button>
          <button type="button" data-testid="profile-reset" disabled={busy || (isDefault && !changed)} onClick={() => void apply(null)}>{t('routing.resetProfile')}</button>
        </div>
      </form>
    </details>
  );
});
