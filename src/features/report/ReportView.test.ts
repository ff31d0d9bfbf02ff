/** The report view's HTML (server-rendered): every section, the verdict table, names as text (never HTML). */
import { describe, expect, it } from 'vitest';
import { createElement } from 'react';
import { renderToStaticMarkup } from 'react-dom/server';
import { nodeCheckIO } from '../../../tests/support/nodeCheckIO';
import { reportInputFromPlace } from '../../core/report/fromPlace';
import { buildReport } from '../../core/report/build';
import { pageCss, ReportView } from './ReportView';

describe('ReportView', async () => {
  const input = await reportInputFromPlace({ place: 'nanshan', lang: 'en', date: '2026-12-05' }, nodeCheckIO);
  const evil = '<img src=x onerror=alert(1)>';
  input.report = { ...input.report, stations: input.report.stations.map((s, i) => (i === 0 ? { ...s, name: evil, nameEn: evil } : s)) };
  const doc = buildReport(input);
  const map = { dataUrl: 'data:image/png;base64,AAAA', width: 900, height: 470, labels: [{ x: 0.5, y: 0.5, text: evil }] };
  const html = renderToStaticMarkup(createElement(ReportView, { doc, map, paper: 'a3' }));

  it('renders the title, every section and one table row per station', () => {
    expect(html).toContain('<h1>Fire-station coverage report</h1>');
    for (const s of doc.sections) expect(html).toContain(`<h2>${s.title}</h2>`);
    const table = html.slice(html.indexOf('data-table="verdicts"'));
    expect(table.slice(0, table.indexOf('</table>')).match(/<tr>/g)?.length).toBe(1 + 4);
    expect(html).toContain('paper-a3');
    expect(html).toContain('src="data:image/png;base64,AAAA"');
  });

  it('imported names are text', () => {
    expect(html).not.toContain('<img src=x');
    expect(html).toContain('&lt;img src=x onerror=alert(1)&gt;');
  });

  it('without a map image it says so', () => {
    const none = renderToStaticMarkup(createElement(ReportView, { doc, map: null, paper: 'a4' }));
    expect(none).toContain('The map could not be drawn');
    expect(none).not.toContain('report-map-img');
  });

  it('page rules per paper', () => {
    expect(pageCss('a4')).toContain('size: A4 portrait');
    expect(pageCss('a3')).toContain('size: A3 landscape');
  });
});
