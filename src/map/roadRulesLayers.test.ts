import { describe, expect, it } from 'vitest';
import type { FeatureCollection } from 'geojson';
import { sourceData } from './sources';
import { buildLayers, LAYER_GROUPS } from './style';
import { initialState, type PlannerState } from '../store';

const features: FeatureCollection = {
  type: 'FeatureCollection',
  features: [
    { type: 'Feature', geometry: { type: 'Point', coordinates: [7.42, 43.73] }, properties: { kind: 'barrier', rule: 'barrier', zh: '路障：bollard', en: 'barrier: bollard' } },
    { type: 'Feature', geometry: { type: 'LineString', coordinates: [[7.42, 43.73], [7.421, 43.731]] }, properties: { kind: 'closed', rule: 'maxweight', zh: '限重 3.5 吨 < 车重 18 吨', en: 'weight limit 3.5 t < 18 t' } },
  ],
};
const info = { placeId: 'monaco', vehicleId: 'water-tender', vehicles: [], rows: [], features };
const ready = (version: string): PlannerState => ({
  ...initialState(), placeId: 'monaco',
  network: { placeId: 'monaco', status: 'ready', source: 'embedded', info: { version } as NonNullable<PlannerState['network']>['info'] },
  roadRules: { placeId: 'monaco', version: 'monaco#1', vehicleId: 'water-tender', busy: false, info },
});

describe('road-rule closures on the map', () => {
  it('draws the closures of the network shown, and nothing for another load of it or without a network', () => {
    expect(sourceData(ready('monaco#1'))['road-rules']).toBe(features);
    expect(sourceData(ready('monaco#2'))['road-rules'].features).toHaveLength(0);
    expect(sourceData({ ...ready('monaco#1'), network: null })['road-rules'].features).toHaveLength(0);
  });

  it('has a dashed line for closed roads and a circle for barriers, both under the roadRules toggle', () => {
    const layers = buildLayers('zh');
    const line = layers.find((l) => l.id === 'rules-closed-line');
    const dot = layers.find((l) => l.id === 'rules-barrier-circle');
    expect(line?.type).toBe('line');
    expect((line as { paint: Record<string, unknown> }).paint['line-dasharray']).toEqual([2, 1.5]);
    expect(dot?.type).toBe('circle');
    expect(LAYER_GROUPS.roadRules).toEqual(['rules-limit-line', 'rules-closed-line', 'rules-barrier-circle']);
    expect(layers.find((l) => l.id === 'rules-limit-line')?.type).toBe('line');
    // Above the roads, below the stations.
    const at = (id: string) => layers.findIndex((l) => l.id === id);
    expect(at('rules-closed-line')).toBeGreaterThan(at('roads-line'));
    expect(at('rules-barrier-circle')).toBeLessThan(at('stations-existing'));
  });
});
