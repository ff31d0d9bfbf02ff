import { describe, expect, it } from 'vitest';
import { createScenario } from './ops';
import { addHydrant, addHydrants, moveHydrant, removeHydrant, scenarioHydrants } from './hydrants';
import { scenarioFromGeoJSON, scenarioToGeoJSON } from './io';

const T = '2026-01-01T00:00:00.000Z';
const base = () => createScenario({ name: 'A', placeId: 'monaco', id: 'scn-1', now: T });

describe('scenario hydrants', () => {
  it('add, move and remove; an edit that does not apply returns the same object', () => {
    const s0 = base();
    expect(scenarioHydrants(s0)).toEqual([]);
    const s1 = addHydrant(s0, { lon: 7.42, lat: 43.73, id: 'h1' }, T);
    expect(s1.hydrants).toEqual([expect.objectContaining({ id: 'h1', kind: 'hydrant', status: 'proposed', position: 'user', name: '新增消火栓 1' })]);
    expect(addHydrant(s1, { lon: 7.42, lat: 43.73, id: 'h1' }, T)).toBe(s1);
    expect(addHydrant(s1, { lon: 999, lat: 43.73 }, T)).toBe(s1);
    const s2 = moveHydrant(s1, 'h1', 7.43, 43.74, T);
    expect(s2.hydrants![0]).toMatchObject({ lon: 7.43, lat: 43.74 });
    expect(moveHydrant(s2, 'h1', 7.43, 43.74, T)).toBe(s2);
    expect(moveHydrant(s2, 'nope', 7.4, 43.7, T)).toBe(s2);
    const s3 = removeHydrant(s2, 'h1', T);
    expect(s3.hydrants).toEqual([]);
    expect(removeHydrant(s3, 'h1', T)).toBe(s3);
    expect(s0.hydrants).toBeUndefined();
  });

  it('suggestions come in as one batch labelled 建议 / suggested; intakes too', () => {
    const s = addHydrants(base(), [{ lon: 7.41, lat: 43.73, suggested: true }, { lon: 7.42, lat: 43.73, suggested: true }, { lon: 7.43, lat: 43.73, kind: 'water-intake' }], T);
    expect(s.hydrants!.map((h) => h.name)).toEqual(['建议消火栓 1', '建议消火栓 2', '新增取水点 3']);
    expect(s.hydrants![0].source).toMatch(/suggested/);
    expect(s.hydrants![2].kind).toBe('water-intake');
  });

  it('scenario files keep the hydrants; files without them (older) read as none; bad entries are skipped with a message', () => {
    const s = addHydrant(base(), { lon: 7.42, lat: 43.73, id: 'h1', kind: 'water-intake' }, T);
    const back = scenarioFromGeoJSON(JSON.stringify(scenarioToGeoJSON(s)), 'a.geojson');
    expect(back.ok && back.scenario.hydrants).toEqual(s.hydrants);
    const old = scenarioToGeoJSON(base());
    expect('hydrants' in old.planner).toBe(false);
    const r = scenarioFromGeoJSON(JSON.stringify(old), 'old.geojson');
    expect(r.ok && r.scenario.hydrants).toBeUndefined();
    const bad = scenarioToGeoJSON(s) as unknown as { planner: { hydrants: unknown[] } };
    bad.planner.hydrants.push({ id: 'x', kind: 'tank', lon: 7, lat: 43 });
    const rb = scenarioFromGeoJSON(JSON.stringify(bad), 'bad.geojson');
    expect(rb.ok && rb.scenario.hydrants!.length).toBe(1);
    expect(rb.ok && rb.warnings.map((w) => w.code)).toContain('bad-hydrant');
  });
});
