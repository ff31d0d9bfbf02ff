import { beforeEach, describe, expect, it } from 'vitest';
import type { Feature, FeatureCollection } from 'geojson';
import { initialState, useStore } from './index';
import { initScenario } from './scenario';
import { optimizeRequestFor } from './optimizer';

const fc = (features: Feature[]): FeatureCollection => ({ type: 'FeatureCollection', features });
const square = (x: number, kind: string, name = ''): Feature => ({
  type: 'Feature', properties: { kind, name }, geometry: { type: 'Polygon', coordinates: [[[x, 22], [x + 0.01, 22], [x + 0.01, 22.01], [x, 22.01], [x, 22]]] },
});
const water = fc([
  square(112, 'sea'), square(112.1, 'reservoir'), square(112.2, 'harbour', 'Port'),
  { type: 'Feature', properties: { kind: 'river', name: 'R' }, geometry: { type: 'LineString', coordinates: [[112, 22], [112.3, 22.1]] } },
]);
const data = { facilities: fc([]), plan: fc([]), water };
const S = () => useStore.getState();

beforeEach(async () => {
  useStore.setState({ ...initialState(), placeId: 'p', placeData: data, places: [] }, false);
  await initScenario('p', data);
});

describe('optimizer request: the place\'s water goes with the run', () => {
  it('carries only the water polygons (no river lines, no harbour names), under one key per water collection', () => {
    const a = optimizeRequestFor(S(), 'r1')!, b = optimizeRequestFor(S(), 'r2')!;
    expect(a.water!.areas.features.map((f) => f.properties?.kind)).toEqual(['sea', 'reservoir']);
    expect(b.water!.key).toBe(a.water!.key);
    S().set({ placeData: { ...data, water: fc([square(113, 'water')]) } });
    const c = optimizeRequestFor(S(), 'r3')!;
    expect(c.water!.key).not.toBe(a.water!.key);
    expect(c.water!.areas.features).toHaveLength(1);
    S().set({ placeData: { ...data, water: fc([]) } });
    expect(optimizeRequestFor(S(), 'r4')!.water).toBeUndefined();
  });
});
