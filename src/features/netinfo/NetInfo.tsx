/** One info line about the road network of the place: built-in, imported, or none (straight-line estimate). */
import { useTranslation } from 'react-i18next';
import { useStore } from '../../store';
import { selectPlace } from '../../store/selectors';
import { msgText } from '../../i18n/msg';

export function NetInfo() {
  const { t } = useTranslation();
  const place = useStore(selectPlace);
  const net = useStore((s) => s.network);
  const lang = useStore((s) => s.lang);
  if (!place) return null;
  let text: string;
  let cls = 'netinfo';
  if (net && net.placeId === place.id && net.status === 'ready' && net.info) {
    const p = { km: net.info.roadKm.toFixed(1), nodes: net.info.nodeCount.toLocaleString(), file: net.fileName ?? '' };
    text = t(net.source === 'imported' ? 'netinfo.imported' : 'netinfo.embedded', p);
  } else if (net && net.placeId === place.id && net.status === 'loading') {
    text = t('netinfo.loading');
  } else if (net && net.placeId === place.id && net.status === 'error') {
    text = `${t('netinfo.error')}: ${net.error ? msgText(t, lang, net.error) : ''}`;
    cls += ' warn';
  } else {
    text = t('netinfo.none');
    cls += ' warn';
  }
  return (
    <div className={cls} data-testid="netinfo" role="status">
      {text}
    </div>
  );
}
