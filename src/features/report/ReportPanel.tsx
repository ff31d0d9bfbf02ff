/**
 * "报告 / Report": the printable report (paper, language → the browser's print dialog with the report view) and the
 * exports (map PNG, verdict table CSV / XLSX, layers GeoJSON / GeoPackage). Self-contained: it can be moved into a
 * tab of its own. The map is drawn at print resolution by a MapLibre map of its own (reportMap.ts).
 */
import { useEffect, useRef, useState } from 'react';
import { createPortal } from 'react-dom';
import { useTranslation } from 'react-i18next';
import { buildReport } from '../../core/report/build';
import { exportLayers, EXPORT_LAYERS, type ExportLayerId } from '../../core/report/layers';
import type { ReportDocument } from '../../core/report/types';
import type { Lang } from '../../core/errors';
import { dataUrlBytes, download, geoPackage, layerGeoJson, MIME, tableCsv, tableXlsx } from '../../data/exports';
import { loadSqlJs } from '../../data/sqlite';
import { useStore } from '../../store';
import { reportInputFromState } from './fromStore';
import { MAP_SIZE, pageCss, ReportView, type Paper } from './ReportView';
import { mapPngWithLabels, renderReportMap, type MapImage } from './reportMap';
import './report.css';

const PIXEL_RATIO = 2;
const LAYER_KEY: Record<ExportLayerId, string> = { districts: 'report.layerDistricts', stations: 'report.layerStations', failing: 'report.layerFailing' };

type Job = 'print' | 'png' | 'csv' | 'xlsx' | 'gpkg' | ExportLayerId;

export function ReportPanel() {
  const { t } = useTranslation();
  const uiLang = useStore((s) => s.lang);
  const report = useStore((s) => s.compliance.report);
  const placeId = useStore((s) => s.placeId);
  const [paper, setPaper] = useState<Paper>('a4');
  const [lang, setLang] = useState<Lang>(uiLang);
  const [busy, setBusy] = useState<Job | null>(null);
  const [message, setMessage] = useState<{ kind: 'ok' | 'error'; text: string } | null>(null);
  const [printing, setPrinting] = useState<{ doc: ReportDocument; map: MapImage | null; paper: Paper } | null>(null);
  const job = useRef(0);
  const ready = !!report && report.placeId === placeId;

  useEffect(() => setLang(uiLang), [uiLang]);

  // Printing: the report view is in the page (hidden on screen), the paper's @page rule in force, then print().
  useEffect(() => {
    if (!printing) return;
    const style = document.head.appendChild(document.createElement('style'));
    style.textContent = pageCss(printing.paper);
    document.body.classList.add('printing-report');
    let done = false;
    const cleanup = () => {
      if (done) return;
      done = true;
      window.removeEventListener('afterprint', cleanup);
      document.body.classList.remove('printing-report');
      style.remove();
      setPrinting(null);
    };
    window.addEventListener('afterprint', cleanup);
    const img = document.querySelector<HTMLImageElement>('.report-print-root [data-testid="report-map-img"]');
    void (img ? img.decode().catch(() => undefined) : Promise.resolve()).then(() => {
      if (done) return;
      window.print();
      // print() returns when the dialog closes (or at once where it does not block): the view is not needed then.
      setTimeout(cleanup, 0);
    });
    return cleanup;
  }, [printing]);

  /** Runs one export; a newer click or Cancel makes an older one's result be dropped. */
  async function run(what: Job, work: (doc: ReportDocument, isCurrent: () => boolean) => Promise<string | null>) {
    const input = reportInputFromState(useStore.getState(), lang, new Date());
    if (!input) return;
    const id = ++job.current;
    setBusy(what);
    setMessage(null);
    try {
      const saved = await work(buildReport(input), () => id === job.current);
      if (id === job.current && saved) setMessage({ kind: 'ok', text: t('report.saved', { file: saved }) });
    } catch (e) {
      if (id === job.current) setMessage({ kind: 'error', text: t('report.failed', { detail: e instanceof Error ? e.message : String(e) }) });
    } finally {
      if (id === job.current) setBusy(null);
    }
  }

  const base = (doc: ReportDocument) => `${doc.placeId}-${doc.date}`;
  const drawMap = (doc: ReportDocument, p: Paper) => renderReportMap(doc.map, { ...MAP_SIZE[p], pixelRatio: PIXEL_RATIO });

  const exportReport = () => run('print', async (doc, current) => {
    let map: MapImage | null = null;
    try {
      map = await drawMap(doc, paper);
    } catch (e) {
      setMessage({ kind: 'error', text: t('report.failed', { detail: e instanceof Error ? e.message : String(e) }) });
    }
    if (current()) setPrinting({ doc, map, paper });
    return null;
  });

  const exportPng = () => run('png', async (doc, current) => {
    const png = await mapPngWithLabels(await drawMap(doc, 'a3'), PIXEL_RATIO);
    if (!current()) return null;
    const name = `${base(doc)}-map.png`;
    download(name, dataUrlBytes(png), MIME.png);
    return name;
  });

  const exportTable = (kind: 'csv' | 'xlsx') => run(kind, async (doc, current) => {
    const name = `${base(doc)}-verdicts-${doc.lang}.${kind}`;
    const data = kind === 'csv' ? tableCsv(doc.verdicts) : await tableXlsx(doc.verdicts, doc.lang === 'en' ? 'Verdicts' : '检验结果');
    if (!current()) return null;
    download(name, data, MIME[kind]);
    return name;
  });

  const stationsNow = () => {
    const s = useStore.getState();
    const input = reportInputFromState(s, lang, new Date());
    return input ? exportLayers(input.report, input.stations) : null;
  };

  const exportLayer = (id: ExportLayerId) => run(id, async (doc) => {
    const layers = stationsNow();
    if (!layers) return null;
    const name = `${base(doc)}-${id}.geojson`;
    download(name, layerGeoJson(layers[id]), MIME.geojson);
    return name;
  });

  const exportGpkg = () => run('gpkg', async (doc, current) => {
    const layers = stationsNow();
    if (!layers) return null;
    const SQL = await loadSqlJs();
    if (!current()) return null;
    const name = `${base(doc)}.gpkg`;
    download(name, geoPackage(SQL, layers, new Date().toISOString()), MIME.gpkg);
    return name;
  });

  const cancel = () => {
    job.current++;
    setBusy(null);
    setMessage({ kind: 'ok', text: t('report.cancelled') });
  };

  const off = !ready || busy !== null;
  return (
    <section className="section" aria-labelledby="report-title" data-testid="report-panel">
      <h2 id="report-title">{t('report.title')}</h2>
      <p className="muted">{ready ? t('report.hint') : t('report.needReport')}</p>
      <div className="row">
        <label>
          {t('report.paper')}{' '}
          <select data-testid="report-paper" value={paper} onChange={(e) => setPaper(e.target.value as Paper)}>
            <option value="a4">{t('report.a4')}</option>
            <option value="a3">{t('report.a3')}</option>
          </select>
        </label>{' '}
        <label>
          {t('report.language')}{' '}
          <select data-testid="report-lang" value={lang} onChange={(e) => setLang(e.target.value as Lang)}>
            <option value="zh">{t('report.langZh')}</option>
            <option value="en">{t('report.langEn')}</option>
          </select>
        </label>
      </div>
      <div className="row">
        <button type="button" data-testid="report-export" disabled={off} title={t('report.exportHint')} onClick={() => void exportReport()}>
          {t('report.export')}
        </button>
      </div>
      {busy && (
        <p role="status" data-testid="report-busy">
          {busy === 'print' || busy === 'png' ? t('report.preparing') : '…'}{' '}
          <button type="button" onClick={cancel}>{t('report.cancel')}</button>
        </p>
      )}
      <h3>{t('report.files')}</h3>
      <div className="row report-files">
        <button type="button" data-testid="export-png" disabled={off} onClick={() => void exportPng()}>{t('report.png')}</button>
        <button type="button" data-testid="export-csv" disabled={off} onClick={() => void exportTable('csv')}>{t('report.csv')}</button>
        <button type="button" data-testid="export-xlsx" disabled={off} onClick={() => void exportTable('xlsx')}>{t('report.xlsx')}</button>
        {EXPORT_LAYERS.map((id) => (
          <button key={id} type="button" data-testid={`export-geojson-${id}`} disabled={off} onClick={() => void exportLayer(id)}>
            {t('report.geojson', { layer: t(LAYER_KEY[id]) })}
          </button>
        ))}
        <button type="button" data-testid="export-gpkg" disabled={off} onClick={() => void exportGpkg()}>{t('report.gpkg')}</button>
      </div>
      {message && (
        <p className={message.kind === 'error' ? 'error' : 'muted'} role={message.kind === 'error' ? 'alert' : 'status'} data-testid="report-message">{message.text}</p>
      )}
      {printing && createPortal(
        <div className="report-print-root" data-testid="report-print-root">
          <ReportView doc={printing.doc} map={printing.map} paper={printing.paper} />
        </div>,
        document.body,
      )}
    </section>
  );
}
