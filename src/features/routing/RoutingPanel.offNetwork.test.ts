import { describe, expect, it } from 'vitest';
import { createElement } from 'react';
import { renderToStaticMarkup } from 'react-dom/server';
import { initI18n, i18next } from '../../i18n';
import { useStore } from '../../store';
import type { SnapInfo } from '../../worker/protocol';
import { RoutingPanel } from './RoutingPanel';

const snap = (over: Partial<SnapInfo>): SnapInfo => ({ lon: 7.42, lat: 43.73, distanceM: 3, far: false, isolated: false, roadName: 'Rue', moved: false, movedM: 0, ...over });

/** The panel's markup with the network ready and the given iso / route state, in a language. */
function panel(lang: 'zh' | 'en', state: Partial<ReturnType<typeof useStore.getState>>): string {
  initI18n(lang);
  void i18next.changeLanguage(lang);
  // A server render reads the store's initial state (useSyncExternalStore's server snapshot): this test file's own copy.
  Object.assign(useStore.getInitialState(), { lang, placeId: 'monaco', network: { placeId: 'monaco', status: 'ready' }, ...state });
  return renderToStaticMarkup(createElement(RoutingPanel));
}

describe('routing card: points off the road network', () => {
  it('a route refused as off-network says "off the road network" and shows no time', () => {
    const error = { code: 'off-network', zh: '目的地 (116.39, 39.9) 不在路网上：距最近道路 8759 km，超过 300 m 的限值', en: 'the destination (116.39, 39.9) is off the road network: the nearest road is 8759 km away (limit 300 m)' };
    const en = panel('en', { route: { busy: false, error } as never });
    expect(en).toContain('data-testid="route-off-network"');
    expect(en).toContain('Off the road network: </strong>the destination (116.39, 39.9) is off the road network');
    expect(en).not.toContain('data-testid="route-time"');
    const zh = panel('zh', { route: { busy: false, error } as never });
    expect(zh).toContain('不在路网上: </strong>目的地 (116.39, 39.9) 不在路网上');
    const swapped = panel('en', { route: { busy: false, error: { ...error, code: 'swapped-coordinate' } } as never });
    expect(swapped).toContain('data-testid="route-off-network"');
  });
  it('an isochrone station left out as off-network is named with its distance and no time', () => {
    const result = { polygons: { type: 'FeatureCollection', features: [] }, lines: { type: 'FeatureCollection', features: [] }, profileName: 'p / p', snaps: { a: snap({}), far: snap({ distanceM: 8759000, far: true, offNetwork: true }) } };
    const en = panel('en', { iso: { stationIds: ['a', 'far'], all: false, busy: false, result } as never, route: { busy: false } as never });
    expect(en).toContain('data-testid="iso-station-off-network"');
    expect(en).toMatch(/far: off the road network \(8759000 m from the nearest road\): no travel time, left out of the isochrone\./);
    const zh = panel('zh', { iso: { stationIds: ['a', 'far'], all: false, busy: false, error: { code: 'off-network', zh: '消防站「远」不在路网上', en: 'station "far" is off the road network' } } as never, route: { busy: false } as never });
    expect(zh).toContain('data-testid="iso-off-network"');
    expect(zh).toContain('不在路网上: </strong>消防站「远」不在路网上');
  });
});
