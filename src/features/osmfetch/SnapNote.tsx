/**
 * Once a place runs on roads, how far each approximate plan site was put to reach its road (the compliance report's
 * station snaps): "near" sites are named with their distance, a site put on another road than the nearest says so.
 */
import { useTranslation } from 'react-i18next';
import { useStore } from '../../store';

export function SnapNote() {
  const { t } = useTranslation();
  const lang = useStore((s) => s.lang);
  const report = useStore((s) => s.compliance.report);
  const placeId = useStore((s) => s.placeId);
  if (!report || report.placeId !== placeId || report.mode !== 'network') return null;
  // a site already on its road (under 1 m) needs no line
  const sites = report.stations.filter((s) => s.position === 'approximate' && s.snap && (s.snap.distanceM >= 1 || s.snap.moved));
  if (!sites.length) return null;
  return (
    <div className="osmfetch-snaps" data-testid="osmfetch-snaps">
      <p className="muted">{t('osmfetch.snapsTitle')}</p>
      <ul>
        {sites.map((s) => (
          <li key={s.id} data-testid="osmfetch-snap">
            {lang === 'en' && s.nameEn ? s.nameEn : s.name}: {t('osmfetch.snapM', { m: Math.round(s.snap!.distanceM) })}
            {s.snap!.moved ? ` — ${t('osmfetch.snapMoved', { m: Math.round(s.snap!.movedM ?? 0), reason: s.snap!.reason ? (lang === 'en' ? s.snap!.reason.en : s.snap!.reason.zh) : '' })}` : ''}
          </li>
        ))}
      </ul>
    </div>
  );
}
