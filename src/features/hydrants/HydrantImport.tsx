/**
 * Hydrant inventory (issue #13): how many hydrants the place's data holds (never presented as a full inventory),
 * the imported inventory, and the import wizard — file (button or drop) → column mapping with a preview → coordinate
 * system with the road-fit suggestion preselected → result with the rejected rows and their CSV → accept.
 * Imported text is rendered as React text only.
 */
import { useEffect, useState, type DragEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { useStore } from '../../store';
import { selectFacilities } from '../../store/selectors';
import {
  acceptHydrantImport, backToCrs, backToMapping, cancelHydrantRead, chooseHydrantFile, closeHydrantWizard, finishHydrantImport, openHydrantWizard, readHydrantRows,
  restoreHydrantInventory, setMapping, setReading, useHydrantWizard,
} from '../../store/hydrantImport';
import { CRS_LABEL, HYDRANT_CRSES, MAPPED_FIELDS, rejectedCsv, type MappedField } from '../../core/hydrants/import';
import { msgText } from '../../i18n/msg';

const SHOWN_REJECTS = 50;

function downloadText(name: string, text: string): void {
  const url = URL.createObjectURL(new Blob([text], { type: 'text/csv;charset=utf-8' }));
  const a = document.createElement('a');
  a.href = url;
  a.download = name;
  a.click();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}

export function HydrantImport() {
  const { t, i18n } = useTranslation();
  const lang = useStore((s) => s.lang);
  const placeId = useStore((s) => s.placeId);
  const inv = useStore((s) => s.hydrantInventory);
  const facilities = useStore(selectFacilities);
  const wz = useHydrantWizard();
  const [over, setOver] = useState(false);

  useEffect(() => {
    // A wizard started for another place would check its rows against the wrong area: closed on a place change.
    closeHydrantWizard();
    if (placeId) void restoreHydrantInventory(placeId);
  }, [placeId]);

  if (!placeId) return null;
  const fromData = facilities.features.filter((f) => f.properties.kind === 'hydrant' || f.properties.kind === 'water-intake').length;
  const nf = (n: number) => n.toLocaleString(i18n.language === 'en' ? 'en' : 'zh-CN');
  const shownInv = inv && inv.placeId === placeId ? inv : null;

  const onDrop = (e: DragEvent) => {
    e.preventDefault();
    e.stopPropagation();
    setOver(false);
    const file = e.dataTransfer.files?.[0];
    if (file && !wz.busy) void chooseHydrantFile(file, file.name);
  };

  const p = wz.preview;
  const colOptions = p ? p.header.map((h, i) => ({ i, label: h || `#${i + 1}` })) : [];
  const fieldsShown: MappedField[] = p?.geometry ? MAPPED_FIELDS.filter((f) => f !== 'lon' && f !== 'lat') : [...MAPPED_FIELDS];
  const res = wz.result;
  const chosenFit = wz.suggestion?.fits.find((f) => f.crs === wz.reading.crs && f.swapped === wz.reading.swapped);

  return (
    <section className="section" aria-labelledby="hyd-title" data-testid="hydrant-import">
      <h2 id="hyd-title">{t('hydrantImport.title')}</h2>
      <p className="muted" data-testid="hydrant-counts">{t('hydrantImport.counts', { osm: nf(fromData) })}</p>
      <p data-testid="hydrant-inventory">
        {shownInv
          ? t('hydrantImport.inventory', { file: shownInv.fileName, n: nf(shownInv.hydrants.length), crs: CRS_LABEL[shownInv.crs], date: shownInv.importedAt.slice(0, 10) })
          : t('hydrantImport.noInventory')}
      </p>
      {!wz.open && (
        <button type="button" onClick={openHydrantWizard} data-testid="hydrant-open">{t('hydrantImport.open')}</button>
      )}
      {wz.error && !wz.open && <p className="error" role="alert" data-testid="hydrant-error">{msgText(t, lang, wz.error)}</p>}
      {wz.open && (
        <div role="region" aria-label={t('hydrantImport.open')} className="hyd-wizard" data-testid="hydrant-wizard">
          <ol className="muted" aria-label={t('hydrantImport.steps')}>
            {(['file', 'mapping', 'crs', 'result'] as const).map((s) => (
              <li key={s} aria-current={wz.step === s || (s === 'mapping' && wz.step === 'reading') ? 'step' : undefined}>
                {t(`hydrantImport.step${s[0].toUpperCase()}${s.slice(1)}`)}
              </li>
            ))}
          </ol>
          {wz.error && <p className="error" role="alert" data-testid="hydrant-error">{msgText(t, lang, wz.error)}</p>}

          {(wz.step === 'file' || wz.step === 'mapping') && (
            <div className={`dropzone${over ? ' over' : ''}`} onDragOver={(e) => { e.preventDefault(); e.stopPropagation(); setOver(true); }} onDragLeave={() => setOver(false)} onDrop={onDrop}>
              <p className="muted">{t('hydrantImport.fileHint')}</p>
              <label className="button">
                {t('hydrantImport.choose')}
                <input
                  type="file"
                  data-testid="hydrant-file"
                  accept=".csv,.txt,.tsv,.xlsx,.geojson,.json,.kml,.kmz,.zip"
                  disabled={wz.busy}
                  onChange={(e) => {
                    const file = e.target.files?.[0];
                    e.target.value = '';
                    if (file) void chooseHydrantFile(file, file.name);
                  }}
                />
              </label>
              {wz.busy && <span className="muted"> {t('hydrantImport.reading')}</span>}
            </div>
          )}

          {wz.step === 'mapping' && p && wz.mapping && (
            <div data-testid="hydrant-mapping">
              <p className="muted">
                {wz.fileName}
                {p.encoding ? ` · ${t('hydrantImport.encoding', { enc: p.encoding.toUpperCase() })}` : ''}
                {p.geometry ? ` · ${t('hydrantImport.geometryNote')}` : ''}
              </p>
              {p.crsNote && <p className="muted" data-testid="hydrant-crs-note">{lang === 'en' ? p.crsNote.en : p.crsNote.zh}</p>}
              {p.sheets && p.sheets.length > 1 && (
                <label>
                  {t('hydrantImport.sheet')}{' '}
                  <select value={p.sheet} onChange={(e) => wz.file && void chooseHydrantFile(wz.file, wz.fileName, e.target.value)}>
                    {p.sheets.map((s) => <option key={s} value={s}>{s}</option>)}
                  </select>
                </label>
              )}
              <div className="hyd-fields">
                {fieldsShown.map((f) => (
                  <label key={f} style={{ display: 'block' }}>
                    {t(`hydrantImport.field.${f}`)}{' '}
                    <select
                      data-testid={`hydrant-map-${f}`}
                      value={wz.mapping![f] ?? ''}
                      onChange={(e) => setMapping(f, e.target.value === '' ? null : Number(e.target.value))}
                    >
                      <option value="">{t('hydrantImport.none')}</option>
                      {colOptions.map((c) => <option key={c.i} value={c.i}>{c.label}</option>)}
                    </select>
                  </label>
                ))}
              </div>
              <div style={{ overflowX: 'auto' }}>
                <table className="hyd-preview" aria-label={t('hydrantImport.preview', { n: p.rows.length, first: p.firstRow })}>
                  <caption className="muted">{t('hydrantImport.preview', { n: p.rows.length, first: p.firstRow })}</caption>
                  <thead><tr>{p.header.map((h, i) => <th key={i} scope="col">{h}</th>)}</tr></thead>
                  <tbody>{p.rows.map((r, i) => <tr key={i}>{p.header.map((_, j) => <td key={j}>{r[j] ?? ''}</td>)}</tr>)}</tbody>
                </table>
              </div>
              <button type="button" onClick={() => void readHydrantRows()} disabled={wz.busy} data-testid="hydrant-read">{t('hydrantImport.readAll')}</button>
            </div>
          )}

          {wz.step === 'reading' && (
            <div className="progress" data-testid="hydrant-progress">
              <span>{wz.fileName} — {t('hydrantImport.progress', { rows: nf(wz.progress?.rows ?? 0), pct: wz.progress && wz.progress.total ? Math.round((100 * wz.progress.done) / wz.progress.total) : 0 })}</span>
              <progress max={wz.progress?.total || undefined} value={wz.progress?.total ? wz.progress.done : undefined} />
              <button type="button" onClick={cancelHydrantRead} data-testid="hydrant-cancel">{t('hydrantImport.cancel')}</button>
            </div>
          )}

          {wz.step === 'crs' && wz.read && (
            <fieldset data-testid="hydrant-crs">
              <legend>{t('hydrantImport.crsTitle')}</legend>
              <p className="muted">{t('hydrantImport.rowsRead', { rows: nf(wz.read.rows), bad: nf(wz.read.rejected.length) })}</p>
              {wz.suggestion && (
                <p data-testid="hydrant-suggestion" role="status">
                  {t('hydrantImport.suggestion', { text: lang === 'en' ? wz.suggestion.en : wz.suggestion.zh })}
                  {wz.suggestion.weak ? t('hydrantImport.weak') : ''}
                </p>
              )}
              {HYDRANT_CRSES.map((c) => (
                <label key={c} style={{ display: 'block' }}>
                  <input type="radio" name="hyd-crs" value={c} data-testid={`hydrant-crs-${c}`} checked={wz.reading.crs === c} onChange={() => setReading({ ...wz.reading, crs: c })} />{' '}
                  {t(`hydrantImport.crs.${c}`)}
                </label>
              ))}
              <label style={{ display: 'block' }}>
                <input type="checkbox" data-testid="hydrant-swapped" checked={wz.reading.swapped} onChange={(e) => setReading({ ...wz.reading, swapped: e.target.checked })} />{' '}
                {t('hydrantImport.swapped')}
              </label>
              {chosenFit && (
                <p className={chosenFit.insideShare < 0.5 ? 'error' : 'muted'} data-testid="hydrant-chosen-fit" role={chosenFit.insideShare < 0.5 ? 'alert' : undefined}>
                  {t('hydrantImport.chosenFit', { pct: Math.round(chosenFit.insideShare * 100), n: nf(wz.suggestion!.sampled) })}
                  {chosenFit.medianRoadM !== null ? t('hydrantImport.chosenRoad', { m: Math.round(chosenFit.medianRoadM) }) : ''}
                </p>
              )}
              <button type="button" onClick={backToMapping}>{t('hydrantImport.back')}</button>{' '}
              <button type="button" onClick={finishHydrantImport} data-testid="hydrant-next">{t('hydrantImport.next')}</button>
            </fieldset>
          )}

          {wz.step === 'result' && res && (
            <div data-testid="hydrant-result">
              <p role="status" data-testid="hydrant-result-line"><strong>{t('hydrantImport.result', { ok: nf(res.hydrants.length), bad: nf(res.allRejected.length) })}</strong></p>
              <p className="muted">{t('hydrantImport.intakes', { n: nf(res.hydrants.filter((h) => h.kind === 'water-intake').length), out: nf(res.hydrants.filter((h) => h.inService === false).length) })}</p>
              {res.unknownStatus.length > 0 && <p className="muted">{t('hydrantImport.unknownStatus', { n: nf(res.unknownStatus.length) })}</p>}
              {res.allRejected.length > 0 && (
                <>
                  <table className="hyd-rejects" data-testid="hydrant-rejects">
                    <caption>{t('hydrantImport.rejectedList')}</caption>
                    <thead><tr><th scope="col">{t('hydrantImport.row')}</th><th scope="col">{t('hydrantImport.reason')}</th><th scope="col">{t('hydrantImport.raw')}</th></tr></thead>
                    <tbody>
                      {res.allRejected.slice(0, SHOWN_REJECTS).map((r) => (
                        <tr key={r.row}><td>{r.row}</td><td>{lang === 'en' ? r.en : r.zh}</td><td className="muted">{r.raw}</td></tr>
                      ))}
                    </tbody>
                  </table>
                  {res.allRejected.length > SHOWN_REJECTS && <p className="muted">{t('hydrantImport.more', { n: nf(res.allRejected.length - SHOWN_REJECTS) })}</p>}
                  <button type="button" data-testid="hydrant-download" onClick={() => downloadText(`${wz.fileName.replace(/\.[^.]+$/, '')}-errors.csv`, rejectedCsv(res.allRejected))}>
                    {t('hydrantImport.download')}
                  </button>{' '}
                </>
              )}
              {res.hydrants.length === 0 && <p className="error" role="alert">{t('hydrantImport.nothing')}</p>}
              <button type="button" onClick={backToCrs}>{t('hydrantImport.back')}</button>{' '}
              <button type="button" onClick={() => void acceptHydrantImport()} disabled={!res.hydrants.length} data-testid="hydrant-accept">{t('hydrantImport.accept')}</button>
            </div>
          )}
          <p><button type="button" onClick={closeHydrantWizard} data-testid="hydrant-close">{t('hydrantImport.close')}</button></p>
        </div>
      )}
    </section>
  );
}
