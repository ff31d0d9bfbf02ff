/**
 * A verdict-table row's card, floating beside the table over the map's left edge (issue #14: "the compliance table
 * row opens its card beside the table"): level with its row, kept inside the window. It takes the focus when opened;
 * Esc (or its × button) closes it and gives the focus back to the row.
 */
import { useLayoutEffect, useRef, useState, type KeyboardEvent } from 'react';
import { useTranslation } from 'react-i18next';
import type { PlaceReport, StationReport } from '../../core/compliance/report';
import type { RouteState } from '../../store';
import { fmtShare } from '../../core/format';
import { fmtDuration, msgText } from '../../i18n/msg';

/** Gap kept free above the card (the network banner) and below it (the attribution line), in px. */
const TOP_PX = 56;
const BOTTOM_PX = 30;

/** The table row of a station (for the card's height and to give the focus back). */
export const rowOf = (id: string): HTMLElement | null =>
  document.querySelector<HTMLElement>(`[data-testid="compliance-table"] tr[data-station="${CSS.escape(id)}"]`);

/** The card's top: level with its row, moved up or down to stay in the window. */
export function cardTop(rowTop: number | null, cardHeight: number, windowHeight: number): number {
  const want = rowTop === null ? TOP_PX : rowTop - 8;
  return Math.max(TOP_PX, Math.min(want, windowHeight - BOTTOM_PX - cardHeight));
}

export function FocusCard({ report, focused, route, lang, onClose }: {
  report: PlaceReport;
  focused: StationReport;
  route: RouteState;
  lang: 'zh' | 'en';
  onClose: (returnFocus: boolean) => void;
}) {
  const { t } = useTranslation();
  const ref = useRef<HTMLDivElement>(null);
  const [top, setTop] = useState<number>(TOP_PX);
  const L = (b: { zh: string; en: string }) => (lang === 'en' ? b.en : b.zh);
  const name = (lang === 'en' && focused.nameEn) || focused.name;

  // Placed level with its row when it opens (or another row is chosen); the focus moves into it.
  useLayoutEffect(() => {
    const el = ref.current;
    if (!el) return;
    const row = rowOf(focused.id);
    setTop(cardTop(row ? row.getBoundingClientRect().top : null, el.offsetHeight, window.innerHeight));
    el.focus({ preventScroll: true });
  }, [focused.id]);

  const onKey = (e: KeyboardEvent) => {
    if (e.key !== 'Escape') return;
    e.preventDefault();
    e.stopPropagation(); // the app's own Esc (clear the map selection) is not meant
    onClose(true);
  };

  return (
    <div
      ref={ref}
      className="focus-card floating"
      data-testid="compliance-focus"
      role="dialog"
      aria-modal="false"
      aria-labelledby="cmp-focus-title"
      tabIndex={-1}
      style={{ top }}
      onKeyDown={onKey}
    >
      <button type="button" className="card-x" aria-label={t('uiFixes.cardClose')} title={t('uiFixes.cardClose')} onClick={() => onClose(true)}>×</button>
      <h3 id="cmp-focus-title">{name} — {t(`compliance.${focused.verdict}`)}</h3>
      <p>
        {t('compliance.worst')}: {focused.worstResponseSeconds === null ? '—' : fmtDuration(t, focused.worstResponseSeconds)}
        {' · '}{t('compliance.share')}: {fmtShare(focused.shareWithinLimit)}
        {focused.stationSnapM !== null ? ` · ${t('compliance.snapM', { m: Math.round(focused.stationSnapM) })}` : ''}
      </p>
      <ul className="reasons">
        {focused.reasons.map((x, i) => <li key={i}>{L(x)}</li>)}
      </ul>
      <ul className="clauses">
        {focused.clauses.map((c) => <li key={c.key}>{L(c)}{c.assumption ? t('compliance.assumption') : ''}</li>)}
      </ul>
      {route.onlyIds?.[0] === focused.id && (
        <p data-testid="focus-route">
          {route.busy ? t('routing.computing') : route.result ? t('compliance.focusRoute', { t: fmtDuration(t, route.result.travelSeconds), r: fmtDuration(t, route.result.responseSeconds) }) : route.error ? msgText(t, lang, route.error) : ''}
        </p>
      )}
      {report.mode === 'network' && <p className="muted">{t('compliance.focusMap')}{focused.barriers.length > 0 ? t('compliance.focusMapBarrier') : ''}</p>}
      <p className="muted">{t('uiFixes.cardHint')}</p>
    </div>
  );
}
