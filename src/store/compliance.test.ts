import { describe, expect, it } from 'vitest';
import type { Feature, FeatureCollection } from 'geojson';
import { initialState, type ImportedDistricts, type PlannerState } from './index';
import { districtMode, districtModes, importedPolygons } from './compliance';

const square = (x: number, props: Record<string, unknown> = {}): Feature => ({
  type: 'Feature', properties: props,
  geometry: { type: 'Polygon', coordinates: [[[x, 22], [x + 0.01, 22], [x + 0.01, 22.01], [x, 22.01], [x, 22]]] },
});
const fc = (features: Feature[]): FeatureCollection => ({ type: 'FeatureCollection', features });

const imported: ImportedDistricts = {
  placeId: 'p', fileName: 'd.geojson', notes: [],
  fc: fc([square(113, { name: '东区', stationId: 'old' }), square(113.02), { type: 'Feature', properties: {}, geometry: { type: 'Point', coordinates: [113, 22] } }, square(113.04)]),
  assign: ['e1', 'p1', null, null],
};

describe('imported districts', () => {
  it('become a district mode of their place only, and the chosen mode', () => {
    const s: PlannerState = { ...initialState(), placeId: 'p', compliance: { ...initialState().compliance, imported, districtMode: 'imported' } };
    expect(districtModes(s)).toEqual(['auto', 'imported']);
    expect(districtMode(s)).toBe('imported');
    const other = { ...s, placeId: 'q' };
    expect(districtModes(other)).toEqual(['auto']);
    expect(districtMode(other)).toBe('auto');
  });

  it('are sent as polygons carrying the assigned station; unassigned and non-polygon features stay out', () => {
    const out = importedPolygons(imported);
    expect(out.features.map((f) => f.properties.stationId)).toEqual(['e1', 'p1']);
    expect(out.features[0].properties.name).toBe('东区');
    expect(out.features[1].properties.name).toBe('#2');
    expect(out.features[0].geometry).toEqual(imported.fc.features[0].geometry);
    // the import itself is not changed
    expect(imported.fc.features[0].properties?.stationId).toBe('old');
  });
});

describe('barrierLines (store): merged water + rail per pair of layers', () => {
  it('a new rail layer with the same water gives the new rail, not the merge made for the old one', async () => {
    const { barrierLines: merged } = await import('./compliance');
    const line = (kind: string, x: number) => ({ type: 'Feature' as const, properties: { kind }, geometry: { type: 'LineString' as const, coordinates: [[x, 0], [x, 1]] } });
    const water = { type: 'FeatureCollection' as const, features: [line('river', 0)] };
    const railA = { type: 'FeatureCollection' as const, features: [line('rail', 1)] };
    const railB = { type: 'FeatureCollection' as const, features: [line('rail', 2)] };
    const a = merged({ water, rail: railA } as never)!;
    expect(merged({ water, rail: railA } as never)).toBe(a); // merged once per pair
    const b = merged({ water, rail: railB } as never)!;
    expect(b.features.map((f) => f.geometry)).toEqual([water.features[0].geometry, railB.features[0].geometry]);
  });
});
