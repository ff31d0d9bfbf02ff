/** The worker's hydrant requests on Monaco's real graph (in-process API): audit, gaps, stretches, suggestions, errors. */
import { describe, expect, it } from 'vitest';
import { booleanPointInPolygon } from '@turf/turf';
import { createPlannerApi } from './api';
import { placeGraphBytes, placeJson } from '../../tests/support/place';
import { auditAreas, facilityHydrants } from '../core/hydrants/data';
import type { AreaCollection } from '../core/types';
import type { FeatureCollection } from 'geojson';

describe('worker hydrants:audit / hydrants:suggest', () => {
  const api = createPlannerApi();
  const hydrants = facilityHydrants(placeJson('monaco', 'facilities.geojson') as FeatureCollection);
  const areas = auditAreas(placeJson('monaco', 'districts.geojson') as AreaCollection);

  it('refuses a place without a loaded network', async () => {
    await expect(api['hydrants:audit']({ placeId: 'monaco', hydrants })).rejects.toMatchObject({ code: 'no-graph' });
  });

  it('audits Monaco: 1 hydrant, 0 % protected, the whole network drawn as gaps; suggestions raise the share', async () => {
    await api.loadGraph('monaco', placeGraphBytes('monaco'));
    const r = await api['hydrants:audit']({ placeId: 'monaco', hydrants, areas, areasKey: 'districts', stretches: true });
    expect(r.audit.figures).toMatchObject({ hydrantsInData: 1, protectedKm: 0 });
    const gapKm = r.gaps.features.reduce((s, f) => s + (f.properties!.lengthM as number), 0) / 1000;
    expect(gapKm).toBeCloseTo(r.audit.figures.gapKm, 0);
    expect(r.stretches!.length).toBeGreaterThan(1000);
    expect(r.audit.areas.length).toBe(areas.length);
    const s = await api['hydrants:suggest']({ placeId: 'monaco', hydrants, count: 3 });
    expect(s.suggestions).toHaveLength(3);
    const after = await api['hydrants:audit']({ placeId: 'monaco', hydrants: [...hydrants, ...s.suggestions.map((p, i) => ({ id: `s${i}`, kind: 'hydrant' as const, lon: p.lon, lat: p.lat }))] });
    expect(after.audit.figures.protectedKm * 1000).toBeCloseTo(s.suggestions[2].protectedM, -1);
    await expect(api['hydrants:suggest']({ placeId: 'monaco', hydrants, count: 0 })).rejects.toMatchObject({ code: 'bad-request' });
  });

  it('suggestions with the districts stay inside Monaco (the graph runs on into France)', async () => {
    const s = await api['hydrants:suggest']({ placeId: 'monaco', hydrants, count: 10, areas, areasKey: 'districts' });
    expect(s.suggestions).toHaveLength(10);
    const inside = (lon: number, lat: number) => areas.some((a) => booleanPointInPolygon([lon, lat], a.geometry));
    for (const p of s.suggestions) expect(inside(p.lon, p.lat), `${p.lon},${p.lat}`).toBe(true);
  });
});
