/** Place switcher: plan places and road-network samples; choosing one flies the map there. */
import { useTranslation } from 'react-i18next';
import { useStore } from '../../store';
import { choosePlace } from '../../store/actions';
import { msgText } from '../../i18n/msg';
import { openServerPlace, roleOn, useServer } from '../../store/server';

export function PlaceSwitcher() {
  const { t } = useTranslation();
  const places = useStore((s) => s.places);
  const placeId = useStore((s) => s.placeId);
  const lang = useStore((s) => s.lang);
  const error = useStore((s) => s.placesError);
  const loading = useStore((s) => s.placeLoading);
  const place = places.find((p) => p.id === placeId);
  // Connected to a team server: its places with the user's role; those this app has no map data of, listed apart
  // (choosing one downloads its map data from the server: store/server.ts openServerPlace).
  const srv = useServer();
  const own = (p: (typeof places)[number]) => (lang === 'en' ? p.nameEn || p.name : p.name);
  const label = (p: (typeof places)[number]) => {
    const role = roleOn(p.id, srv);
    return role ? t('server.inList', { name: own(p), role: t(`server.role.${role}`) }) : own(p);
  };
  const serverOnly = srv.status === 'online' || srv.status === 'offline' ? srv.places.filter((p) => !places.some((x) => x.id === p.id)) : [];
  const groups = [
    { id: 'plan', title: t('places.groupPlan') },
    { id: 'sample', title: t('places.groupSample') },
  ] as const;
  return (
    <section className="section" aria-labelledby="places-title">
      <h2 id="places-title">{t('places.title')}</h2>
      <select
        data-testid="place-select"
        aria-label={t('places.choose')}
        value={placeId ?? ''}
        onChange={(e) => void (e.target.value.startsWith('server:') ? openServerPlace(e.target.value.slice(7)) : choosePlace(e.target.value))}
        disabled={!places.length}
      >
        {!placeId && <option value="">{t('places.choose')}</option>}
        {groups.map((g) => {
          const items = places.filter((p) => p.group === g.id);
          return items.length ? (
            <optgroup key={g.id} label={g.title}>
              {items.map((p) => (
                <option key={p.id} value={p.id}>{label(p)}</option>
              ))}
            </optgroup>
          ) : null;
        })}
        {serverOnly.length > 0 && (
          <optgroup label={t('server.onlyOnServer')}>
            {serverOnly.map((p) => (
              <option key={p.id} value={`server:${p.id}`} disabled={srv.status !== 'online' || srv.busy}>{p.name}</option>
            ))}
          </optgroup>
        )}
      </select>
      {place && place.notes.length > 0 && (
        <details className="notes">
          <summary>{t('places.notes')}</summary>
          <ul>
            {place.notes.map((n, i) => (
              <li key={i}>{n}</li>
            ))}
          </ul>
        </details>
      )}
      {loading && <p className="muted">{t('app.loading')}</p>}
      {error && (
        <p className="error" role="alert">{t(error.key)}{error.zh !== undefined ? ` — ${msgText(t, lang, error)}` : error.detail ? ` — ${error.detail}` : ''}</p>
      )}
    </section>
  );
}
