import { describe, expect, it } from 'vitest';
import { TAB_IDS, hashWithTab, initialTab, tabForKey, tabFromHash } from './tabs';
import { PANELS, panelsOf } from './panels';

describe('tab hash persistence', () => {
  it('reads the tab from the hash, alone or among other parts', () => {
    expect(tabFromHash('#tab=check')).toBe('check');
    expect(tabFromHash('#place=qingxi&tab=plan')).toBe('plan');
    expect(tabFromHash('#tab=nonsense')).toBeNull();
    expect(tabFromHash('')).toBeNull();
  });
  it('sets the tab in the hash and keeps the other parts in place', () => {
    expect(hashWithTab('', 'report')).toBe('#tab=report');
    expect(hashWithTab('#place=qingxi', 'check')).toBe('#place=qingxi&tab=check');
    expect(hashWithTab('#tab=data&x=1', 'plan')).toBe('#tab=plan&x=1');
    expect(tabFromHash(hashWithTab('#a=b', 'scenarios'))).toBe('scenarios');
  });
  it('opens the hash tab first, then the stored one, then the first tab', () => {
    expect(initialTab('#tab=plan', 'check')).toBe('plan');
    expect(initialTab('', 'check')).toBe('check');
    expect(initialTab('', 'garbage')).toBe('data');
    expect(initialTab('#tab=bad', null)).toBe('data');
  });
});

describe('tab keyboard', () => {
  it('arrows wrap round, Home / End jump, other keys do nothing', () => {
    expect(tabForKey('data', 'ArrowRight')).toBe('check');
    expect(tabForKey('report', 'ArrowRight')).toBe('data');
    expect(tabForKey('data', 'ArrowLeft')).toBe('report');
    expect(tabForKey('plan', 'Home')).toBe('data');
    expect(tabForKey('plan', 'End')).toBe('report');
    expect(tabForKey('plan', 'a')).toBeNull();
  });
});

describe('panel registry', () => {
  it('puts every panel in a known tab once, in order', () => {
    const ids = PANELS.map((p) => p.id);
    expect(new Set(ids).size).toBe(ids.length);
    for (const p of PANELS) expect(TAB_IDS).toContain(p.tab);
    expect(panelsOf('data').map((p) => p.id)).toEqual(['place', 'importer', 'osmfetch', 'hydrant-import', 'data-card', 'layers', 'server']);
    expect(panelsOf('check').map((p) => p.id)).toContain('compliance');
    expect(panelsOf('report').map((p) => p.id)).toEqual(['report']);
    expect(panelsOf('plan').map((p) => p.id)).toEqual(['scenario', 'siting', 'optimizer', 'timeline', 'hydrant-audit']);
  });
});

describe('panels frozen while dragging', () => {
  it('only the routing panel (its cards sit on the map) follows a drag from a hidden tab', () => {
    expect(PANELS.filter((p) => p.live).map((p) => p.id)).toEqual(['routing']);
  });
});
