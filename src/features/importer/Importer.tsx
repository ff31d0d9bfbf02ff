/** Drop or pick an OSM extract for a place without a built-in road network; progress, cancel, clear errors. */
import { useEffect, useState, type DragEvent } from 'react';
import { useTranslation } from 'react-i18next';
import type { TFunction } from 'i18next';
import type { ProgressInfo } from '../../worker/protocol';
import { useStore } from '../../store';
import { selectPlace } from '../../store/selectors';
import { cancelImport, clearImport, importFile } from '../../store/actions';
import { msgText } from '../../i18n/msg';

/** The progress line of a phase: the added phases (decode blocks n of N, clip, layers) have their own strings. */
const phaseText = (t: TFunction, p: ProgressInfo): string =>
  p.phase === 'decode' || p.phase === 'clip' || p.phase === 'layers'
    ? t(`importScale.phase.${p.phase}`, { done: p.done.toLocaleString(), total: p.total.toLocaleString() })
    : t(`importer.phase.${p.phase}`);

export function Importer() {
  const { t } = useTranslation();
  const place = useStore(selectPlace);
  const state = useStore((s) => s.importState);
  const imported = useStore((s) => s.imported);
  const lang = useStore((s) => s.lang);
  const [over, setOver] = useState(false);
  const accepting = !!place && !place.hasNetwork;

  // A file dropped anywhere on the page (e.g. on the map) is imported too, instead of the browser opening it.
  useEffect(() => {
    if (!accepting) return;
    const onOver = (e: globalThis.DragEvent) => {
      if (e.dataTransfer?.types.includes('Files')) e.preventDefault();
    };
    const onDrop = (e: globalThis.DragEvent) => {
      const file = e.dataTransfer?.files?.[0];
      if (!file) return;
      e.preventDefault();
      if (useStore.getState().importState.status !== 'running') void importFile(file);
    };
    window.addEventListener('dragover', onOver);
    window.addEventListener('drop', onDrop);
    return () => {
      window.removeEventListener('dragover', onOver);
      window.removeEventListener('drop', onDrop);
    };
  }, [accepting]);

  if (!place || !accepting) return null;
  const running = state.status === 'running';
  const p = state.progress;
  const onDrop = (e: DragEvent) => {
    e.preventDefault();
    e.stopPropagation();
    setOver(false);
    const file = e.dataTransfer.files?.[0];
    if (file && !running) void importFile(file);
  };
  return (
    <section className="section" aria-labelledby="import-title">
      <h2 id="import-title">{t('importer.title')}</h2>
      <div
        className={`dropzone${over ? ' over' : ''}`}
        onDragOver={(e) => {
          e.preventDefault();
          setOver(true);
        }}
        onDragLeave={() => setOver(false)}
        onDrop={onDrop}
      >
        <p className="muted">{t('importer.hint')}</p>
        <label className="button">
          {t('importer.choose')}
          <input
            type="file"
            data-testid="osm-import"
            accept=".pbf,.osm,.json,.xml,application/json,application/xml"
            disabled={running}
            onChange={(e) => {
              const file = e.target.files?.[0];
              e.target.value = '';
              if (file) void importFile(file);
            }}
          />
        </label>
        <span className="muted"> {t('importer.drop')}</span>
      </div>
      {running && (
        <div className="progress" data-testid="import-progress">
          <span>{state.fileName} — {p ? phaseText(t, p) : ''}</span>
          <progress max={p && p.total > 0 ? p.total : undefined} value={p && p.total > 0 ? p.done : undefined} />
          <button type="button" onClick={cancelImport} data-testid="import-cancel">{t('importer.cancel')}</button>
        </div>
      )}
      {state.message && !running && (
        <p className={state.status === 'error' ? 'error' : 'ok'} role={state.status === 'error' ? 'alert' : 'status'} data-testid="import-message">
          {msgText(t, lang, state.message)}
        </p>
      )}
      {state.warnings && state.warnings.length > 0 && (
        <ul className="warnings">
          {state.warnings.map((w, i) => (
            <li key={i}>{msgText(t, lang, w)}</li>
          ))}
        </ul>
      )}
      {imported && imported.placeId === place.id && !running && (
        <button type="button" onClick={() => void clearImport()} data-testid="import-clear">{t('importer.clear')}</button>
      )}
    </section>
  );
}
