/**
 * The barrier check's road metres do not depend on the order in which the spatial index returns its hits (that order
 * follows how the tree was packed): with every search answered in reverse, the same metres to the last bit, on 南山
 * (a river and a railway crossing its roads) for stations across the place.
 */
import type { FeatureCollection } from 'geojson';
import { describe, expect, it } from 'vitest';
import { roadOnlyAcrossM } from '../../src/core/compliance/barrierAccess';
import { barrierLines, placeBarriers } from '../../src/core/compliance/barriers';
import { unionAll } from '../../src/core/compliance/districts';
import { fromRouter, prepareNetwork, snapTo, type Net } from '../../src/core/compliance/network';
import type { AreaGeometry } from '../../src/core/types';
import { placeJson, placeRouter } from '../support/place';

describe('road reached only across a barrier', () => {
  it('南山: the same metres whatever order the index gives its hits in', () => {
    const router = placeRouter('nanshan');
    const net = prepareNetwork({ ...fromRouter(router) });
    const index = net.spatial.index!;
    const reversed: Net = {
      ...net,
      spatial: { ...net.spatial, index: Object.assign(Object.create(index) as typeof index, { search: (...a: Parameters<typeof index.search>) => index.search(...a).reverse() }) },
    };
    const fc = (f: string) => placeJson('nanshan', f) as FeatureCollection | null;
    const area = unionAll(fc('boundary.geojson')!.features.map((f) => f.geometry as AreaGeometry))!;
    const lines = barrierLines(placeBarriers(fc('water.geojson'), fc('rail.geojson')));
    const groups = new Map<string, typeof lines>();
    for (const l of lines) groups.set(`${l.kind}:${l.name}`, [...(groups.get(`${l.kind}:${l.name}`) ?? []), l]);
    const [w, s, e, n] = router.graph.bbox;
    let positive = 0;
    for (let i = 0; i < 5; i++) {
      const at = snapTo(net, w + ((e - w) * (i + 0.5)) / 5, s + ((n - s) * (i + 0.5)) / 5);
      if (!at) continue;
      for (const group of groups.values()) {
        const a = roadOnlyAcrossM(net, at, area, group, false), b = roadOnlyAcrossM(reversed, at, area, group, false);
        expect(b).toBe(a);
        if (a > 0) positive++;
      }
    }
    expect(positive).toBeGreaterThan(0);
  });
});
