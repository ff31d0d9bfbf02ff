/**
 * The side panel's task tabs (数据 / 检验 / 规划 / 方案 / 报告) as data: their ids in order, and how the chosen tab is
 * kept in the URL hash (`#tab=check`, other hash parts left alone) with localStorage as the fallback.
 */
export const TAB_IDS = ['data', 'check', 'plan', 'scenarios', 'report'] as const;
export type TabId = (typeof TAB_IDS)[number];

export const isTabId = (v: unknown): v is TabId => typeof v === 'string' && (TAB_IDS as readonly string[]).includes(v);

/** The tab named in a URL hash (`#tab=plan` or `#place=x&tab=plan`), else null. */
export function tabFromHash(hash: string): TabId | null {
  for (const part of hash.replace(/^#/, '').split('&')) {
    const [k, v] = part.split('=');
    if (k === 'tab' && isTabId(v)) return v;
  }
  return null;
}

/** The hash with its `tab=` part set to `tab` (added when missing; every other part kept in its place). */
export function hashWithTab(hash: string, tab: TabId): string {
  const parts = hash.replace(/^#/, '').split('&').filter((p) => p !== '');
  const i = parts.findIndex((p) => p.split('=')[0] === 'tab');
  if (i >= 0) parts[i] = `tab=${tab}`;
  else parts.push(`tab=${tab}`);
  return `#${parts.join('&')}`;
}

/** The tab to open: the hash's, else the stored one, else the first. */
export function initialTab(hash: string, stored: string | null): TabId {
  return tabFromHash(hash) ?? (isTabId(stored) ? stored : TAB_IDS[0]);
}

/** The tab a key press on the tab list moves to (arrows wrap; Home / End), or null for any other key. */
export function tabForKey(current: TabId, key: string): TabId | null {
  const i = TAB_IDS.indexOf(current), n = TAB_IDS.length;
  switch (key) {
    case 'ArrowRight':
    case 'ArrowDown':
      return TAB_IDS[(i + 1) % n];
    case 'ArrowLeft':
    case 'ArrowUp':
      return TAB_IDS[(i - 1 + n) % n];
    case 'Home':
      return TAB_IDS[0];
    case 'End':
      return TAB_IDS[n - 1];
    default:
      return null;
  }
}

export const TAB_STORAGE_KEY = 'fire-planner-tab';
