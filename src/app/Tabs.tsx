/**
 * The side panel as task tabs: an ARIA tablist (arrow keys, Home / End, roving tabindex) over one panel per tab.
 * Every panel stays mounted (inactive ones hidden, with their DOM and state). While a station or hydrant is being
 * dragged, the panels nobody sees (a hidden tab's, or all while the side panel is closed) are frozen
 * (src/store/freeze.ts: no re-render per drag step) except the `live` ones (./panels); at the drop they re-render
 * once with the store as it is then.
 * The chosen tab is kept in the URL hash (`#tab=check`) and in localStorage. Each tab opens with its next step.
 */
import { useEffect, useRef, useState, type KeyboardEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { useStore } from '../store';
import { StoreFrozen } from '../store/freeze';
import { perfBaseline } from '../map/perfBaseline';
import { selectNetworkReady } from '../store/selectors';
import { TAB_IDS, TAB_STORAGE_KEY, hashWithTab, initialTab, tabForKey, tabFromHash, type TabId } from './tabs';
import { panelsOf } from './panels';

function storedTab(): string | null {
  try {
    return localStorage.getItem(TAB_STORAGE_KEY);
  } catch {
    return null;
  }
}

function keepTab(tab: TabId): void {
  try {
    localStorage.setItem(TAB_STORAGE_KEY, tab);
  } catch {
    /* storage refused (private mode): the hash still keeps it */
  }
  const next = hashWithTab(window.location.hash, tab);
  if (next !== window.location.hash) history.replaceState(null, '', `${window.location.pathname}${window.location.search}${next}`);
}

function NextStep({ tab, go }: { tab: TabId; go: (t: TabId) => void }) {
  const { t } = useTranslation();
  const ready = useStore(selectNetworkReady);
  const hint = tab === 'data' ? (ready ? 'layout.hint.dataReady' : 'layout.hint.dataNoRoads') : `layout.hint.${tab}`;
  const i = TAB_IDS.indexOf(tab);
  const next = i < TAB_IDS.length - 1 ? TAB_IDS[i + 1] : null;
  return (
    <div className="next-step" data-testid={`next-${tab}`}>
      <p>{t(hint)}</p>
      {next && (tab !== 'data' || ready) && (
        <button type="button" className="primary" data-testid={`next-btn-${tab}`} onClick={() => go(next)}>
          {t('layout.next', { tab: t(`layout.tab.${next}`) })}
        </button>
      )}
    </div>
  );
}

export function Tabs() {
  const { t } = useTranslation();
  const [tab, setTab] = useState<TabId>(() => initialTab(window.location.hash, storedTab()));
  const refs = useRef<Partial<Record<TabId, HTMLButtonElement | null>>>({});
  const open = useStore((s) => s.panelOpen);
  const [baseline] = useState(perfBaseline);
  const freeze = useStore((s) => s.dragging) && !baseline;

  useEffect(() => keepTab(tab), [tab]);
  useEffect(() => {
    const onHash = () => {
      const h = tabFromHash(window.location.hash);
      if (h) setTab(h);
    };
    window.addEventListener('hashchange', onHash);
    return () => window.removeEventListener('hashchange', onHash);
  }, []);

  const go = (next: TabId, focus = false) => {
    setTab(next);
    if (focus) refs.current[next]?.focus();
  };
  const onKey = (e: KeyboardEvent) => {
    const next = tabForKey(tab, e.key);
    if (!next) return;
    e.preventDefault();
    go(next, true);
  };

  return (
    <>
      <div role="tablist" aria-label={t('layout.tablist')} className="tabs" data-testid="tabs" onKeyDown={onKey}>
        {TAB_IDS.map((id) => (
          <button
            key={id}
            ref={(el) => { refs.current[id] = el; }}
            type="button"
            role="tab"
            id={`tab-${id}`}
            data-testid={`tab-${id}`}
            aria-selected={tab === id}
            aria-controls={`tabpanel-${id}`}
            tabIndex={tab === id ? 0 : -1}
            onClick={() => go(id)}
          >
            {t(`layout.tab.${id}`)}
          </button>
        ))}
      </div>
      {TAB_IDS.map((id) => {
        const unseen = freeze && (tab !== id || !open);
        return (
          <div key={id} role="tabpanel" id={`tabpanel-${id}`} aria-labelledby={`tab-${id}`} data-tab={id} data-frozen={unseen} hidden={tab !== id} className="tabpanel">
            <StoreFrozen.Provider value={unseen}>
              <NextStep tab={id} go={(n) => go(n)} />
            </StoreFrozen.Provider>
            {panelsOf(id).map(({ id: pid, Component, live }) => (
              <StoreFrozen.Provider key={pid} value={unseen && !live}>
                <Component />
              </StoreFrozen.Provider>
            ))}
          </div>
        );
      })}
    </>
  );
}
