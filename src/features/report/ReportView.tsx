/**
 * The printable report: a ReportDocument as HTML (every text as React text, never HTML), with the map image and
 * the station names printed over it. The same component is shown by the app's print and by report.html (CLI).
 */
import type { ReportBlock, ReportDocument, ReportSection } from '../../core/report/types';
import type { MapImage } from './reportMap';

export type Paper = 'a4' | 'a3';

/** Map size in CSS pixels per paper (the image is pixelRatio times larger). */
export const MAP_SIZE: Record<Paper, { width: number; height: number }> = {
  a4: { width: 900, height: 470 },
  a3: { width: 1000, height: 820 },
};

/** The @page rule of a paper (injected while printing; the CLI's page.pdf gets the same format). */
export const pageCss = (paper: Paper): string => `@page { size: ${paper === 'a4' ? 'A4 portrait' : 'A3 landscape'}; margin: 12mm 12mm 14mm; }`;

function Block({ b, map }: { b: ReportBlock; map: MapImage | null }) {
  switch (b.kind) {
    case 'paragraph':
      return <p className={b.tone ? `rp-${b.tone}` : undefined}>{b.text}</p>;
    case 'facts':
      return (
        <dl className="rp-facts">
          {b.rows.map((r, i) => (
            <div key={i}><dt>{r.label}</dt><dd>{r.value}</dd></div>
          ))}
        </dl>
      );
    case 'list':
      return <ul className="rp-list">{b.items.map((x, i) => <li key={i}>{x}</li>)}</ul>;
    case 'table':
      return (
        <table className="rp-table" data-table={b.id}>
          {b.caption && <caption>{b.caption}</caption>}
          <thead><tr>{b.columns.map((c, i) => <th key={i} scope="col">{c}</th>)}</tr></thead>
          <tbody>{b.rows.map((r, i) => <tr key={i}>{r.map((c, j) => (j === 0 ? <th key={j} scope="row">{c}</th> : <td key={j}>{c}</td>))}</tr>)}</tbody>
        </table>
      );
    case 'stations':
      return (
        <div className="rp-station-list">
          {b.items.map((s) => (
            <div key={s.id} className="rp-station">
              <h3>
                {s.name} <span className={`rp-verdict ${s.pass === null ? 'none' : s.pass ? 'pass' : 'fail'}`}>{s.verdict}</span>
              </h3>
              <ul>{s.reasons.map((r, i) => <li key={i}>{r}</li>)}</ul>
              <ul className="rp-clauses">{s.clauses.map((c, i) => <li key={i}>{c}</li>)}</ul>
            </div>
          ))}
        </div>
      );
    case 'map':
      return (
        <figure className="rp-map">
          {map ? (
            <div className="rp-map-frame" style={{ aspectRatio: `${map.width} / ${map.height}` }}>
              <img src={map.dataUrl} alt={b.caption} data-testid="report-map-img" />
              {map.labels.map((l, i) => (
                <span key={i} className="rp-label" style={{ left: `${l.x * 100}%`, top: `${l.y * 100}%` }}>{l.text}</span>
              ))}
            </div>
          ) : (
            <p className="rp-warning">{b.missing}</p>
          )}
          <figcaption>
            {b.caption}
            <span className="rp-legend">
              {b.legend.map((l, i) => (
                <span key={i}><i className={`rp-key ${l.shape}`} style={{ background: l.shape === 'line' ? undefined : l.colour, borderColor: l.colour }} />{l.label}</span>
              ))}
            </span>
          </figcaption>
        </figure>
      );
  }
}

/** Overview, summary and map share the first page (side by side on A3 landscape). */
const FIRST_PAGE = new Set(['overview', 'summary', 'map']);

export function ReportView({ doc, map, paper }: { doc: ReportDocument; map: MapImage | null; paper: Paper }) {
  const section = (s: ReportSection) => (
    <section key={s.id} className={`rp-section rp-${s.id}`}>
      <h2>{s.title}</h2>
      {s.blocks.map((b, i) => <Block key={i} b={b} map={map} />)}
    </section>
  );
  const first = doc.sections.filter((s) => FIRST_PAGE.has(s.id));
  const rest = doc.sections.filter((s) => !FIRST_PAGE.has(s.id));
  return (
    <article className={`report-doc paper-${paper}`} lang={doc.lang === 'en' ? 'en' : 'zh-CN'} data-testid="report-doc">
      <header className="rp-head">
        <h1>{doc.title}</h1>
        <p>{doc.placeName} · {doc.date} · <strong>{doc.modeLabel}</strong></p>
      </header>
      <div className="rp-first">
        <div className="rp-first-text">{first.filter((s) => s.id !== 'map').map(section)}</div>
        {first.filter((s) => s.id === 'map').map(section)}
      </div>
      {rest.map(section)}
      <footer className="rp-foot">{doc.footer}</footer>
    </article>
  );
}
