/** The per-station compliance table: sortable by any column (header buttons, aria-sort), rows open a station. */
import { useState, type KeyboardEvent } from 'react';
import { useTranslation } from 'react-i18next';
import type { PlaceReport, StationReport } from '../../core/compliance/report';
import { VERDICT_COLOURS } from '../../map/style';
import { mmss } from '../../i18n/msg';
import { fmtKm2, fmtMmss } from '../../core/format';

export type SortKey = 'name' | 'class' | 'status' | 'area' | 'worst' | 'verdict' | 'clause';
const KEYS: SortKey[] = ['name', 'class', 'status', 'area', 'worst', 'verdict', 'clause'];
const VERDICT_ORDER = { fail: 0, 'no-district': 1, pass: 2 } as const;

/** Short clause names of a station's citations ("建标152-2017", "GB 51080-2015 §4.1.3"), without repeats. */
export function clauseShort(r: StationReport, lang: 'zh' | 'en'): string {
  const heads = r.clauses.map((c) => {
    const text = lang === 'en' ? c.en : c.zh;
    const cut = text.search(/[：:]/);
    return (cut > 0 ? text.slice(0, cut) : text).trim() + (c.assumption ? '*' : '');
  });
  return [...new Set(heads)].join('; ');
}

export function ComplianceTable({ report, lang, focusId, onOpen, onClose }: { report: PlaceReport; lang: 'zh' | 'en'; focusId?: string; onOpen: (r: StationReport) => void; onClose?: () => void }) {
  const { t } = useTranslation();
  const [sort, setSort] = useState<{ key: SortKey; dir: 1 | -1 } | null>(null);
  const est = report.mode === 'straight-line-estimate';
  const name = (r: StationReport) => ((lang === 'en' && r.nameEn) || r.name);

  const value = (r: StationReport, k: SortKey): string | number | null => {
    switch (k) {
      case 'name': return name(r);
      case 'class': return r.stationClass;
      case 'status': return r.status;
      case 'area': return r.districtAreaKm2;
      case 'worst': return r.worstResponseSeconds;
      case 'verdict': return VERDICT_ORDER[r.verdict];
      case 'clause': return clauseShort(r, lang);
    }
  };
  const rows = [...report.stations];
  if (sort) {
    rows.sort((a, b) => {
      const x = value(a, sort.key), y = value(b, sort.key);
      if (x === null || y === null) return x === y ? 0 : x === null ? 1 : -1; // missing values last either way
      const c = typeof x === 'number' && typeof y === 'number' ? x - y : String(x).localeCompare(String(y), lang === 'en' ? 'en' : 'zh-CN');
      return c * sort.dir;
    });
  }
  const click = (k: SortKey) => setSort((s) => (s && s.key === k ? { key: k, dir: s.dir === 1 ? -1 : 1 } : { key: k, dir: 1 }));
  const ariaSort = (k: SortKey) => (sort?.key === k ? (sort.dir === 1 ? 'ascending' : 'descending') : 'none');
  // The row's card floats beside the table (FocusCard), level with the row: Enter / Space open it, Esc closes it.
  const key = (r: StationReport) => (e: KeyboardEvent) => {
    if (e.key === 'Enter' || e.key === ' ') {
      e.preventDefault();
      onOpen(r);
    } else if (e.key === 'Escape' && focusId) {
      e.preventDefault();
      e.stopPropagation();
      onClose?.();
    }
  };

  return (
    <div className="table-wrap">
      <table className={`cmp-table${lang === 'en' ? ' en' : ''}`} data-testid="compliance-table">
        <caption className="sr-only">{t('compliance.tableCaption')}</caption>
        <thead>
          <tr>
            {KEYS.map((k) => (
              <th key={k} scope="col" aria-sort={ariaSort(k)}>
                <button type="button" className="th-sort" data-testid={`sort-${k}`} onClick={() => click(k)} title={t('compliance.sortBy', { col: t(`compliance.col.${k}`) })}>
                  {t(`compliance.col.${k}`)}
                  <span aria-hidden="true" className="sort-mark">{sort?.key === k ? (sort.dir === 1 ? '▲' : '▼') : '↕'}</span>
                </button>
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {rows.map((r) => (
            <tr
              key={r.id}
              tabIndex={0}
              data-station={r.id}
              data-verdict={r.verdict}
              data-worst={r.worstResponseSeconds ?? ''}
              className={focusId === r.id ? 'focus' : undefined}
              aria-current={focusId === r.id ? 'true' : undefined}
              onClick={() => onOpen(r)}
              onKeyDown={key(r)}
              title={t('compliance.focus')}
            >
              <td className="c-name">
                {r.position === 'approximate' ? (lang === 'en' ? '≈ ' : '约 ') : ''}
                {name(r)}
                {r.example ? <span className="tag">{t('compliance.example')}</span> : null}
              </td>
              <td className={lang === 'en' ? 'c-wrap' : 'c-short'} title={t(`station.${r.stationClass}`, { defaultValue: r.stationClass })}>{lang === 'en' ? t(`station.${r.stationClass}`, { defaultValue: r.stationClass }).replace(/ station$/, '') : r.stationClass}</td>
              <td className="c-short">{t(`status.${r.status}`)}</td>
              <td className={`num${r.areaOk === false ? ' bad' : ''}`}>
                {fmtKm2(r.districtAreaKm2, 'up')} / {fmtKm2(r.areaLimitKm2)}
                {r.areaOk === false ? ' ⚠' : ''}
              </td>
              <td className="num" data-testid="worst-cell">
                {r.worstResponseSeconds === null ? (
                  '—'
                ) : (
                  <>
                    <strong>{est ? (lang === 'en' ? '≈' : '约') : ''}{fmtMmss(r.worstResponseSeconds, 'up')}</strong>
                    <br />
                    <span className="muted">{t('compliance.travelShort', { t: fmtMmss(r.worstEdgeSeconds ?? r.worstResponseSeconds - r.turnoutSeconds, 'up') })}</span>
                  </>
                )}
                {est && <span className="est-mini">{t('compliance.estShort')}</span>}
                <br />
                <span
                  className="muted"
                  data-testid="turnout-cell"
                  data-turnout={r.turnoutSeconds}
                  title={r.turnoutSeconds !== report.settings.turnoutS
                    ? t('compliance.turnoutOwn', { s: r.turnoutSeconds, std: report.settings.turnoutS, limit: r.travelLimitSeconds })
                    : t('compliance.turnoutStd', { s: r.turnoutSeconds })}
                >
                  {t('compliance.turnoutShort', { t: mmss(r.turnoutSeconds) })}{r.turnoutSeconds !== report.settings.turnoutS ? '*' : ''}
                </span>
              </td>
              <td>
                <span className="badge" style={{ background: VERDICT_COLOURS[r.verdict] }}>{t(`compliance.${r.verdict}`)}</span>
              </td>
              <td className="c-clause" title={r.clauses.map((c) => (lang === 'en' ? c.en : c.zh)).join('\n')}>{clauseShort(r, lang)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
