/**
 * report.html: the printable report alone, for `planner report` (src/cli/cmd-report.ts). The CLI loads the page,
 * hands it the document with `window.__plannerReport.show({ doc, paper })` and waits for `window.__reportReady`
 * (the map drawn and its image decoded; `window.__reportError` on failure), then prints it to PDF.
 */
import { createRoot } from 'react-dom/client';
import * as maplibregl from 'maplibre-gl';
import workerUrl from 'maplibre-gl/dist/maplibre-gl-worker.mjs?url';
import 'maplibre-gl/dist/maplibre-gl.css';
import './report.css';
import type { ReportDocument } from '../../core/report/types';
import { MAP_SIZE, pageCss, ReportView, type Paper } from './ReportView';
import { renderReportMap, type MapImage } from './reportMap';

declare global {
  interface Window {
    __plannerReport?: { show(input: { doc: ReportDocument; paper: Paper; pixelRatio?: number }): Promise<void> };
    __reportReady?: boolean;
    __reportError?: string;
  }
}

maplibregl.setWorkerUrl(workerUrl);
const root = createRoot(document.getElementById('report')!);

async function show({ doc, paper, pixelRatio }: { doc: ReportDocument; paper: Paper; pixelRatio?: number }): Promise<void> {
  window.__reportReady = false;
  window.__reportError = undefined;
  document.documentElement.lang = doc.lang === 'en' ? 'en' : 'zh-CN';
  document.title = `${doc.title} — ${doc.placeName}`;
  const style = document.getElementById('page-size') ?? document.head.appendChild(Object.assign(document.createElement('style'), { id: 'page-size' }));
  style.textContent = pageCss(paper);
  let map: MapImage | null = null;
  try {
    map = await renderReportMap(doc.map, { ...MAP_SIZE[paper], pixelRatio: pixelRatio ?? 2 });
  } catch (e) {
    window.__reportError = `map: ${e instanceof Error ? e.message : String(e)}`;
  }
  root.render(<ReportView doc={doc} map={map} paper={paper} />);
  await new Promise((r) => requestAnimationFrame(() => setTimeout(r, 0)));
  const img = document.querySelector<HTMLImageElement>('[data-testid="report-map-img"]');
  if (img) await img.decode().catch(() => undefined);
  await document.fonts.ready;
  window.__reportReady = true;
}

window.__plannerReport = { show };
