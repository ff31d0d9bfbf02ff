/** Always-visible data attribution: OpenStreetMap (ODbL) and the boundary sources of the current place. */
import { useTranslation } from 'react-i18next';
import { useStore } from '../../store';
import { selectPlace } from '../../store/selectors';

export function Attribution() {
  const { t } = useTranslation();
  const place = useStore(selectPlace);
  const lines = (place?.attribution ?? []).filter((l) => !/openstreetmap/i.test(l));
  return (
    <footer className="attribution" data-testid="attribution" aria-label={t('attribution.title')}>
      <span>{t('attribution.osm')}</span>
      {lines.map((l, i) => (
        <span key={i}> · {l}</span>
      ))}
    </footer>
  );
}
