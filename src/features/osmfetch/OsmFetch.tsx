/**
 * "从 OpenStreetMap 获取路网 / Get roads from OpenStreetMap": a button on every place (prominent where the place has no
 * roads) opening a dialog that says what is sent to whom, shows the Overpass query (read-only, copy button), lets the
 * user pick the server or type one, and sends nothing before "Send request". While the answer arrives: bytes and
 * cancel; then the answer is a File that goes through importFile, the same path as a dropped file.
 * Self-contained: mount it anywhere in the panel.
 */
import { useEffect, useMemo, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useStore } from '../../store';
import { selectPlace } from '../../store/selectors';
import { cancelImport, importFile } from '../../store/actions';
import { errorMsg, msgText, type MsgLike } from '../../i18n/msg';
import { buildOverpassQuery, overpassBbox } from '../../core/osm/overpass';
import { checkEndpointUrl, fetchOverpass, overpassFileName, DEFAULT_ENDPOINT, OVERPASS_ENDPOINTS } from '../../data/overpass';
import { MAX_IMPORT_BYTES } from '../../data/imports';
import { SnapNote } from './SnapNote';
import './osmfetch.css';

type Phase =
  | { kind: 'idle' }
  | { kind: 'sending'; bytes: number }
  | { kind: 'importing'; summary: { mb: string; nodes: number; ways: number; highways: number } }
  | { kind: 'error'; msg: MsgLike };

const CUSTOM = 'custom';
const mb = (bytes: number) => (bytes / 1048576).toFixed(2);

export function OsmFetch() {
  const { t } = useTranslation();
  const place = useStore(selectPlace);
  const lang = useStore((s) => s.lang);
  const network = useStore((s) => s.network);
  const importState = useStore((s) => s.importState);
  const dialog = useRef<HTMLDialogElement>(null);
  const abort = useRef<AbortController | null>(null);
  const queryBox = useRef<HTMLTextAreaElement>(null);
  const [endpoint, setEndpoint] = useState(DEFAULT_ENDPOINT.id);
  const [customUrl, setCustomUrl] = useState('');
  const [phase, setPhase] = useState<Phase>({ kind: 'idle' });
  const [copyNote, setCopyNote] = useState('');
  const query = useMemo(() => (place ? buildOverpassQuery(place.bbox) : ''), [place]);

  // Another place: a running download is cancelled and the dialog starts afresh.
  useEffect(() => () => {
    abort.current?.abort();
    setPhase({ kind: 'idle' });
  }, [place?.id]);

  if (!place) return null;
  const estimate = !place.hasNetwork && !(network?.placeId === place.id && network.source === 'imported');
  const sending = phase.kind === 'sending';
  const importing = phase.kind === 'importing' && importState.status === 'running';

  const open = () => {
    setCopyNote('');
    if (phase.kind === 'error' || (phase.kind === 'importing' && importState.status !== 'running')) setPhase({ kind: 'idle' });
    dialog.current?.showModal();
    if (queryBox.current) queryBox.current.scrollTop = 0; // the query from its first line
  };
  const close = () => {
    abort.current?.abort();
    dialog.current?.close();
  };
  const copy = async () => {
    try {
      await navigator.clipboard.writeText(query);
      setCopyNote(t('osmfetch.copied'));
    } catch {
      setCopyNote(t('osmfetch.copyFailed'));
    }
  };
  const send = async () => {
    const placeId = place.id;
    const ctl = new AbortController();
    abort.current = ctl;
    try {
      const url = checkEndpointUrl(endpoint === CUSTOM ? customUrl : (OVERPASS_ENDPOINTS.find((e) => e.id === endpoint) ?? DEFAULT_ENDPOINT).url);
      setPhase({ kind: 'sending', bytes: 0 });
      const { file, tally } = await fetchOverpass({
        url: url.href, query, fileName: overpassFileName(placeId), maxBytes: MAX_IMPORT_BYTES, signal: ctl.signal,
        onBytes: (bytes) => { if (!ctl.signal.aborted) setPhase({ kind: 'sending', bytes }); },
      });
      if (ctl.signal.aborted || useStore.getState().placeId !== placeId) return;
      setPhase({ kind: 'importing', summary: { mb: mb(tally.bytes), nodes: tally.nodes, ways: tally.ways, highways: tally.highways } });
      await importFile(file);
    } catch (e) {
      if (abort.current === ctl) setPhase({ kind: 'error', msg: errorMsg(e) });
    } finally {
      if (abort.current === ctl) abort.current = null;
    }
  };

  const p = importState.progress;
  return (
    <section className={`section osmfetch${estimate ? ' osmfetch-prominent' : ''}`} aria-labelledby="osmfetch-button">
      {estimate && <p className="muted" data-testid="osmfetch-hint">{t('osmfetch.noRoadsHint')}</p>}
      <button type="button" id="osmfetch-button" className={estimate ? 'osmfetch-primary' : ''} onClick={open} data-testid="osmfetch-open">
        {t('osmfetch.button')}
      </button>
      <SnapNote />
      {place.hasNetwork && importState.message && importState.status !== 'running' && phase.kind === 'importing' && (
        <p className={importState.status === 'error' ? 'error' : 'ok'} role="status">{msgText(t, lang, importState.message)}</p>
      )}
      <dialog ref={dialog} className="osmfetch-dialog" aria-labelledby="osmfetch-title" data-testid="osmfetch-dialog" onCancel={() => abort.current?.abort()}>
        <h2 id="osmfetch-title">{t('osmfetch.title')}</h2>
        <p>{t('osmfetch.what', { place: lang === 'en' ? place.nameEn : place.name, bbox: overpassBbox(place.bbox) })}</p>
        <p className="muted">{t('osmfetch.privacy')}</p>
        <label className="osmfetch-block">
          {t('osmfetch.query')}
          <textarea ref={queryBox} readOnly value={query} rows={8} spellCheck={false} data-testid="osmfetch-query" />
        </label>
        <button type="button" onClick={() => void copy()} data-testid="osmfetch-copy">{t('osmfetch.copy')}</button>
        {copyNote && <span className="muted" role="status"> {copyNote}</span>}
        <label className="osmfetch-block">
          {t('osmfetch.endpoint')}
          <select value={endpoint} onChange={(e) => setEndpoint(e.target.value)} disabled={sending || importing} data-testid="osmfetch-endpoint">
            {OVERPASS_ENDPOINTS.map((e) => (
              <option key={e.id} value={e.id}>{lang === 'en' ? e.nameEn : e.name}</option>
            ))}
            <option value={CUSTOM}>{t('osmfetch.custom')}</option>
          </select>
        </label>
        {endpoint === CUSTOM && (
          <label className="osmfetch-block">
            {t('osmfetch.customUrl')}
            <input type="url" value={customUrl} onChange={(e) => setCustomUrl(e.target.value)} placeholder="https://…/api/interpreter" disabled={sending || importing} data-testid="osmfetch-url" />
          </label>
        )}
        {phase.kind === 'idle' && <p className="muted">{t('osmfetch.notSent')}</p>}
        {sending && (
          <div className="progress" data-testid="osmfetch-progress" role="status">
            <span>{phase.bytes > 0 ? t('osmfetch.receiving', { mb: mb(phase.bytes) }) : t('osmfetch.waiting')}</span>
            <progress />
            <button type="button" onClick={() => abort.current?.abort()} data-testid="osmfetch-cancel">{t('osmfetch.cancel')}</button>
          </div>
        )}
        {phase.kind === 'importing' && (
          <div data-testid="osmfetch-import">
            <p className="muted">{t('osmfetch.received', phase.summary)}</p>
            {importState.status === 'running' ? (
              <div className="progress">
                <span>{t('osmfetch.importTitle')} — {p ? t(`importer.phase.${p.phase}`) : ''}</span>
                <progress max={p && p.total > 0 ? p.total : undefined} value={p && p.total > 0 ? p.done : undefined} />
                <button type="button" onClick={cancelImport}>{t('importer.cancel')}</button>
              </div>
            ) : importState.message ? (
              <p className={importState.status === 'error' ? 'error' : 'ok'} role={importState.status === 'error' ? 'alert' : 'status'} data-testid="osmfetch-import-message">
                {msgText(t, lang, importState.message)}
              </p>
            ) : null}
          </div>
        )}
        {phase.kind === 'error' && <p className="error" role="alert" data-testid="osmfetch-error">{msgText(t, lang, phase.msg)}</p>}
        <div className="osmfetch-actions">
          <button type="button" className="osmfetch-primary" onClick={() => void send()} disabled={sending || importing} data-testid="osmfetch-send">
            {t('osmfetch.send')}
          </button>
          <button type="button" onClick={close} data-testid="osmfetch-close">{t('osmfetch.close')}</button>
        </div>
      </dialog>
    </section>
  );
}
