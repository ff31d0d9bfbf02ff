import { describe, expect, it } from 'vitest';
import { distance } from '@turf/turf';
import type { Feature, Polygon } from 'geojson';
import { facilityLabels, sourceData } from './sources';
import { initialState } from '../store';

describe('facility labels', () => {
  it('marks approximate positions, planned years and examples in both languages', () => {
    const l = facilityLabels({ name: '滨河消防站', nameEn: 'Binhe', status: 'planned', phase: 2025, position: 'approximate', example: true });
    expect(l.label_zh).toBe('约 滨河消防站\n规划 2025（示例）');
    expect(l.label_en).toBe('≈ Binhe\nplanned 2025 (example)');
  });
  it('leaves existing stations from data unmarked', () => {
    const l = facilityLabels({ name: 'Caserne', status: 'existing', position: 'from-data' });
    expect(l).toEqual({ label_zh: 'Caserne', label_en: 'Caserne' });
  });
});

describe('straight-line estimate', () => {
  const station = (id: string, lon: number, lat: number): Feature => ({
    type: 'Feature', geometry: { type: 'Point', coordinates: [lon, lat] },
    properties: { kind: 'station', id, name: id, stationClass: '一级', status: 'existing', position: 'approximate', source: 't' },
  });
  const state = { ...initialState(), placeId: 'p', placeData: { plan: { type: 'FeatureCollection' as const, features: [station('a', 112, 22), station('b', 112.1, 22.1)] } } };

  it('draws one disc per station with radius speed × 4 min ÷ λ (30 km/h, λ 1.4 → 1.43 km)', () => {
    const est = sourceData(state).estimate;
    expect(est.features).toHaveLength(2);
    const disc = est.features[0] as Feature<Polygon>;
    const r = distance([112, 22], disc.geometry.coordinates[0][0], { units: 'kilometers' });
    expect(r).toBeCloseTo((30 * 4) / 60 / 1.4, 2);
  });

  it('is not drawn once a road network is loaded', () => {
    const ready = { ...state, network: { placeId: 'p', status: 'ready' as const, source: 'embedded' as const } };
    expect(sourceData(ready).estimate.features).toHaveLength(0);
  });
});
