/**
 * "连接服务器 / Connect to server" (data tab): the server address, log-in, who is logged in with their role on the
 * open place, the server's places and scenarios, "save to server" with the conflict prompt, the offline queue and
 * which engine answered the last check. Nothing is sent before "Connect" (store/server.ts).
 */
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useStore } from '../../store';
import { PUBLISHED_ID } from '../../store';
import { choosePlace } from '../../store/actions';
import { useEditLock } from '../../store/editLock';
import { msgText } from '../../i18n/msg';
import {
  addComment, checkOnServer, connect, loadDetail, restoreVersion, disconnect, login, logout, openServerPlace, openServerScenario, resolveServerConflict, resumeServer, roleOn,
  saveOpenScenario, unsaved, useServer, setComputeOnServer, liveEngine,
} from '../../store/server';
import './server.css';

const when = (iso: string, lang: string) => new Date(iso).toLocaleString(lang === 'en' ? 'en-GB' : 'zh-CN');

export function ServerPanel() {
  const { t } = useTranslation();
  const lang = useStore((s) => s.lang);
  const srv = useServer();
  useEffect(() => {
    void resumeServer();
  }, []);
  const on = srv.status === 'online' || srv.status === 'offline';
  return (
    <section className="section server-panel" aria-labelledby="server-title" data-testid="server-panel">
      <h2 id="server-title">{t('server.title')}</h2>
      <p className="muted">{t('server.intro')}</p>
      <p role="status" data-testid="server-status" data-status={srv.status} className={srv.status === 'offline' ? 'warn' : undefined}>
        {t(`server.status.${srv.status}`)}
      </p>
      {(srv.status === 'off' || srv.status === 'connecting') && <ConnectForm />}
      {srv.status === 'login' && <LoginForm />}
      {on && <Connected />}
      {srv.queue > 0 && <p className="warn" data-testid="server-queue" data-count={srv.queue}>{t('server.queue', { n: srv.queue })}</p>}
      {srv.held > 0 && <p className="warn" data-testid="server-held" data-count={srv.held}>{t('server.held', { n: srv.held })}</p>}
      <ConflictPrompt />
      {srv.message && <p className={srv.message.code ? 'error' : 'muted'} role="alert" data-testid="server-message">{msgText(t, lang, srv.message)}</p>}
      <EngineLine />
    </section>
  );
}

function ConnectForm() {
  const { t } = useTranslation();
  const url = useServer((s) => s.url);
  const busy = useServer((s) => s.busy);
  const [value, setValue] = useState(url);
  return (
    <form className="server-form" onSubmit={(e) => { e.preventDefault(); void connect(value); }}>
      <label>
        {t('server.url')}
        <input type="url" data-testid="server-url" value={value} placeholder="http://127.0.0.1:8787" onChange={(e) => setValue(e.target.value)} />
      </label>
      <p className="muted small">{t('server.urlHint')}</p>
      <button type="submit" data-testid="server-connect" disabled={busy}>{t('server.connect')}</button>
    </form>
  );
}

function LoginForm() {
  const { t } = useTranslation();
  const busy = useServer((s) => s.busy);
  const [name, setName] = useState('');
  const [password, setPassword] = useState('');
  return (
    <form className="server-form" onSubmit={(e) => { e.preventDefault(); void login(name, password); }}>
      <label>
        {t('server.name')}
        <input data-testid="server-name" autoComplete="username" value={name} onChange={(e) => setName(e.target.value)} required />
      </label>
      <label>
        {t('server.password')}
        <input type="password" data-testid="server-password" autoComplete="current-password" value={password} onChange={(e) => setPassword(e.target.value)} required />
      </label>
      <div className="row">
        <button type="submit" data-testid="server-login" disabled={busy}>{t('server.login')}</button>
        <button type="button" onClick={disconnect}>{t('server.disconnect')}</button>
      </div>
    </form>
  );
}

function Connected() {
  const { t } = useTranslation();
  const lang = useStore((s) => s.lang);
  const placeId = useStore((s) => s.placeId);
  const localPlaces = useStore((s) => s.places);
  const srv = useServer();
  const lock = useEditLock((s) => s.reason);
  const role = roleOn(placeId, srv);
  const roleText = srv.user?.isAdmin ? t('server.siteAdmin') : t(`server.role.${role ?? 'none'}`);
  return (
    <>
      <div className="row">
        <span data-testid="server-user" data-role={role ?? ''}>{t('server.who', { name: srv.user?.name ?? '', role: roleText })}</span>
        <button type="button" data-testid="server-logout" onClick={() => void logout()}>{t('server.logout')}</button>
      </div>
      {lock && <p className="warn" data-testid="server-readonly">{msgText(t, lang, lock)}</p>}
      {placeId && srv.opened[placeId] && (
        <p className="muted" data-testid="server-opened" data-version={srv.opened[placeId].networkVersion ?? ''}>
          {srv.opened[placeId].networkVersion === null ? t('server.openedNoNetwork') : t('server.opened', { v: srv.opened[placeId].networkVersion, at: when(srv.opened[placeId].at, lang) })}
          {' '}{t(`server.boundary.${srv.opened[placeId].boundarySource}`)}
        </p>
      )}
      <h3>{t('server.places')}</h3>
      <ul className="server-list" data-testid="server-places">
        {srv.places.map((p) => {
          const local = localPlaces.find((x) => x.id === p.id);
          return (
            <li key={p.id} data-place={p.id}>
              <span>{local ? (lang === 'en' ? local.nameEn || local.name : local.name) : p.name}</span>{' '}
              <span className="muted">{t(`server.role.${p.role}`)}</span>{' '}
              {srv.opened[p.id] && <span className="muted" data-testid="server-from-server">{t('server.fromServer')}</span>}{' '}
              {!local ? (
                <button type="button" className="small" data-testid={`server-open-place-${p.id}`} disabled={srv.busy} title={t('server.notLocal')} onClick={() => void openServerPlace(p.id)}>
                  {t('server.openFromServer')}
                </button>
              )
                : p.id === placeId ? <span className="muted">— {t('server.here')}</span>
                  : <button type="button" className="small" onClick={() => void choosePlace(p.id)}>{t('server.openPlace')}</button>}
            </li>
          );
        })}
      </ul>
      <ScenarioList />
      <SaveRow />
      <HistoryAndComments />
    </>
  );
}

function ScenarioList() {
  const { t } = useTranslation();
  const lang = useStore((s) => s.lang);
  const placeId = useStore((s) => s.placeId);
  const srv = useServer();
  if (!roleOn(placeId, srv)) return <p className="muted">{t('server.notOnServer')}</p>;
  return (
    <>
      <h3>{t('server.scenarios')}</h3>
      {srv.scenarios.length === 0 && <p className="muted">{t('server.noScenarios')}</p>}
      <ul className="server-list" data-testid="server-scenarios">
        {srv.scenarios.map((s) => (
          <li key={s.id} data-scenario={s.id} data-version={s.version}>
            <span>{s.name}</span> <span className="muted">{t('server.version', { v: s.version, author: s.author, at: when(s.savedAt, lang) })}</span>{' '}
            <button type="button" className="small" data-testid={`server-open-${s.id}`} disabled={srv.busy} onClick={() => void openServerScenario(s.id)}>{t('server.open')}</button>
          </li>
        ))}
      </ul>
    </>
  );
}

function SaveRow() {
  const { t } = useTranslation();
  const lang = useStore((s) => s.lang);
  const placeId = useStore((s) => s.placeId);
  const activeId = useStore((s) => s.activeScenarioId);
  const sc = useStore((s) => s.scenario?.present);
  const srv = useServer();
  const lock = useEditLock((s) => s.reason);
  if (!roleOn(placeId, srv)) return null;
  const link = srv.links[activeId];
  const dirty = unsaved(sc, link);
  const reason = lock ? msgText(t, lang, lock) : activeId === PUBLISHED_ID ? t('server.savePublished') : null;
  return (
    <div className="server-save">
      {link && (
        <p data-testid="server-link" data-version={link.version} data-dirty={dirty ? '1' : '0'}>
          {t('server.linked', { v: link.version })} · {dirty ? t('server.unsaved') : t('server.upToDate')}
        </p>
      )}
      <button type="button" data-testid="server-save" disabled={!!reason || srv.busy || !dirty} title={reason ?? undefined} aria-describedby={reason ? 'server-save-why' : undefined} onClick={() => void saveOpenScenario()}>
        {link ? t('server.save') : t('server.saveNew')}
      </button>
      {reason && <p className="muted small" id="server-save-why" data-testid="server-save-why">{reason}</p>}
    </div>
  );
}

/** Versions of the open linked scenario (restore = a new version) and its comments (text only, never HTML). */
function HistoryAndComments() {
  const { t } = useTranslation();
  const lang = useStore((s) => s.lang);
  const activeId = useStore((s) => s.activeScenarioId);
  const srv = useServer();
  const lock = useEditLock((s) => s.reason);
  const [text, setText] = useState('');
  const link = srv.links[activeId];
  if (!link || srv.status !== 'online') return null;
  const d = srv.detail?.serverId === link.serverId ? srv.detail : null;
  const lockText = lock ? msgText(t, lang, lock) : undefined;
  return (
    <details className="server-history" data-testid="server-history" onToggle={(e) => { if ((e.target as HTMLDetailsElement).open) void loadDetail(); }}>
      <summary>{t('server.history')}</summary>
      <ul className="server-list" data-testid="server-versions">
        {d?.versions.map((v) => (
          <li key={v.version} data-version={v.version}>
            <span>{t('server.versionRow', { v: v.version, author: v.author, at: when(v.savedAt, lang) })}</span>
            {v.note && <span className="muted"> · {v.note}</span>}{' '}
            {v.version === link.version ? <span className="muted">— {t('server.current')}</span> : (
              <button type="button" className="small" data-testid={`server-restore-${v.version}`} disabled={!!lock || srv.busy} title={lockText ?? t('server.restoreWhy')} onClick={() => void restoreVersion(v.version)}>
                {t('server.restore')}
              </button>
            )}
          </li>
        ))}
      </ul>
      <h4>{t('server.comments')}</h4>
      {d && d.comments.length === 0 && <p className="muted">{t('server.noComments')}</p>}
      <ul className="server-list" data-testid="server-comments">
        {d?.comments.map((c) => (
          <li key={c.id}><span className="muted">{c.author} · {when(c.createdAt, lang)} — </span>{c.text}</li>
        ))}
      </ul>
      <form onSubmit={(e) => { e.preventDefault(); void addComment(text).then((ok) => ok && setText('')); }}>
        <label className="server-form">
          {t('server.commentLabel')}
          <textarea data-testid="server-comment-text" rows={2} maxLength={4000} value={text} onChange={(e) => setText(e.target.value)} />
        </label>
        <button type="submit" data-testid="server-comment" disabled={!text.trim()}>{t('server.comment')}</button>
      </form>
    </details>
  );
}

function ConflictPrompt() {
  const { t } = useTranslation();
  const lang = useStore((s) => s.lang);
  const c = useServer((s) => s.conflict);
  if (!c) return null;
  return (
    <div className="scn-dialog" role="alertdialog" aria-labelledby="server-conflict-text" data-testid="server-conflict">
      <p id="server-conflict-text">{t('server.conflict', { name: c.name, author: c.theirs.author, v: c.theirs.version, at: when(c.theirs.savedAt, lang) })}</p>
      <div className="row">
        <button type="button" data-testid="server-keep-mine" autoFocus onClick={() => void resolveServerConflict('mine')}>{t('server.keepMine')}</button>
        <button type="button" data-testid="server-take-theirs" onClick={() => void resolveServerConflict('theirs')}>{t('server.takeTheirs')}</button>
        <button type="button" data-testid="server-conflict-cancel" onClick={() => void resolveServerConflict('cancel')}>{t('server.cancel')}</button>
      </div>
    </div>
  );
}

/** Which engine answered: this browser's worker, or (after "check on the server") the server's. */
function EngineLine() {
  const { t } = useTranslation();
  const lang = useStore((s) => s.lang);
  const placeId = useStore((s) => s.placeId);
  useStore((s) => s.compliance);
  const srv = useServer();
  const live = liveEngine(useStore.getState(), srv);
  const check = srv.check;
  const report = check?.result?.report as { summary?: { text_zh?: string; text_en?: string } } | undefined;
  const summary = (lang === 'en' ? report?.summary?.text_en : report?.summary?.text_zh) ?? '';
  return (
    <div className="server-engine">
      <label className="row" title={t('server.computeHint')}>
        <input type="checkbox" data-testid="server-compute" checked={srv.compute} disabled={srv.status !== 'online'} aria-describedby="server-compute-hint" onChange={(e) => setComputeOnServer(e.target.checked)} />
        {t('server.compute')}
      </label>
      <p className="muted small" id="server-compute-hint">{t('server.computeHint')}</p>
      {live && (
        <p data-testid="server-live-engine" data-engine={live.by}>
          {msgText(t, lang, live.msg)}{live.why && <> ({msgText(t, lang, live.why)})</>}
        </p>
      )}
      <p data-testid="server-engine" data-engine={check?.result ? 'server' : 'browser'}>
        {t('server.engine', { engine: check?.result ? t('server.engineServer') : t('server.engineBrowser') })}
      </p>
      {srv.status === 'online' && roleOn(placeId, srv) && (
        <button type="button" data-testid="server-check" disabled={!!check?.busy} onClick={() => void checkOnServer()}>{t('server.checkOnServer')}</button>
      )}
      {check?.busy && <p className="muted">{t('server.checking')}</p>}
      {check?.result && <p data-testid="server-check-result">{t('server.checkResult', { v: check.result.networkVersion, summary })}</p>}
      {check?.error && <p className="error" role="alert">{msgText(t, lang, check.error)}</p>}
    </div>
  );
}
