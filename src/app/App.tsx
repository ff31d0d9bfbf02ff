/** App shell: full-screen map with its legend, collapsible left panel of task tabs (./Tabs, ./panels), attribution and network info. */
import { useEffect } from 'react';
import { useTranslation } from 'react-i18next';
import { useStore } from '../store';
import { initPlaces } from '../store/actions';
import { redoScenario, startPlacing, undoScenario } from '../store/scenario';
import { MapView } from '../map/MapView';
import { Legend } from '../features/legend/Legend';
import { Popups } from '../features/popups/Popups';
import { Attribution } from '../features/attribution/Attribution';
import { NetInfo } from '../features/netinfo/NetInfo';
import { SwipeView } from '../features/compare/SwipeView';
import { Tabs } from './Tabs';

export function App() {
  const { t, i18n } = useTranslation();
  const lang = useStore((s) => s.lang);
  const setLang = useStore((s) => s.setLang);
  const open = useStore((s) => s.panelOpen);
  const toggle = useStore((s) => s.togglePanel);

  useEffect(() => {
    void initPlaces();
    const onKey = (e: KeyboardEvent) => {
      const s = useStore.getState();
      if (e.key === 'Escape') {
        if (s.placing) startPlacing(null);
        else if (s.selection) s.select(null);
        return;
      }
      const inField = e.target instanceof HTMLElement && /^(INPUT|SELECT|TEXTAREA)$/.test(e.target.tagName);
      if (!inField && (e.ctrlKey || e.metaKey) && e.key.toLowerCase() === 'z') {
        e.preventDefault();
        if (e.shiftKey) redoScenario();
        else undoScenario();
      }
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, []);

  useEffect(() => {
    if (i18n.language !== lang) void i18n.changeLanguage(lang);
    document.documentElement.lang = lang === 'en' ? 'en' : 'zh-CN';
  }, [lang, i18n]);

  useEffect(() => {
    document.title = t('app.title');
  }, [t]);

  return (
    <div className={`app${open ? '' : ' collapsed'}`}>
      <MapView />
      <SwipeView />
      <aside className="panel" id="side-panel" aria-label={t('app.title')} hidden={!open}>
        <header className="panel-head">
          <div>
            <h1>{t('app.title')}</h1>
            <p className="muted">{t('app.subtitle')}</p>
          </div>
          <button type="button" data-testid="lang-toggle" aria-label={t('app.langLabel')} onClick={() => setLang(lang === 'zh' ? 'en' : 'zh')}>
            {t('app.lang')}
          </button>
        </header>
        <Tabs />
      </aside>
      <button
        type="button"
        className="panel-toggle"
        data-testid="panel-toggle"
        aria-controls="side-panel"
        aria-expanded={open}
        title={open ? t('app.panelClose') : t('app.panelOpen')}
        aria-label={open ? t('app.panelClose') : t('app.panelOpen')}
        onClick={toggle}
      >
        {open ? '‹' : '›'}
      </button>
      <NetInfo />
      <Attribution />
      <Popups />
      <Legend />
    </div>
  );
}
