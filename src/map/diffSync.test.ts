import { describe, expect, it } from 'vitest';
import type { Feature, FeatureCollection } from 'geojson';
import { featurePrint, planUpdate, type SourceMirror } from './diffSync';

const pt = (x: number, y: number, props: Record<string, unknown> = {}): Feature => ({ type: 'Feature', properties: props, geometry: { type: 'Point', coordinates: [x, y] } });
const fc = (features: Feature[]): FeatureCollection => ({ type: 'FeatureCollection', features });

/** Applies an update to a map-side copy (id → feature), as MapLibre does. */
function apply(map: Map<number, Feature>, u: ReturnType<typeof planUpdate>): void {
  if (u.kind === 'set') {
    map.clear();
    for (const f of u.data.features) map.set(f.id as number, f);
  } else if (u.kind === 'diff') {
    for (const id of u.remove) expect(map.delete(id)).toBe(true);
    for (const f of u.add) {
      expect(map.has(f.id as number)).toBe(false);
      map.set(f.id as number, f);
    }
  }
}
const prints = (m: Map<number, Feature>) => [...m.values()].map(featurePrint).sort();

describe('partial map updates', () => {
  it('sends everything once, then only the features whose content changed, whatever objects they arrive in', () => {
    const map = new Map<number, Feature>();
    const a = fc([pt(1, 1, { id: 'a' }), pt(2, 2, { id: 'b' }), pt(3, 3, { id: 'c' }), pt(4, 4, { id: 'd' })]);
    let u = planUpdate(undefined, a);
    expect(u.kind).toBe('set');
    apply(map, u);
    let mirror: SourceMirror = u.mirror;
    // fresh objects, one station moved
    const b = fc([pt(1, 1, { id: 'a' }), pt(2.5, 2, { id: 'b' }), pt(3, 3, { id: 'c' }), pt(4, 4, { id: 'd' })]);
    u = planUpdate(mirror, structuredClone(b));
    expect(u.kind).toBe('diff');
    if (u.kind !== 'diff') return;
    expect(u.add.map((f) => f.properties?.id)).toEqual(['b']);
    expect(u.remove).toHaveLength(1);
    apply(map, u);
    mirror = u.mirror;
    expect(prints(map)).toEqual(b.features.map(featurePrint).sort());
    // nothing changed: nothing sent
    expect(planUpdate(mirror, structuredClone(b)).kind).toBe('none');
    // a property change is a change
    const c = fc([pt(1, 1, { id: 'a', verdict: 'fail' }), ...b.features.slice(1)]);
    u = planUpdate(mirror, c);
    apply(map, u);
    expect(prints(map)).toEqual(c.features.map(featurePrint).sort());
  });

  it('keeps duplicates apart and replaces the whole source when most of it changed', () => {
    const map = new Map<number, Feature>();
    const twice = fc([pt(1, 1), pt(1, 1), pt(2, 2)]);
    let u = planUpdate(undefined, twice);
    apply(map, u);
    u = planUpdate(u.mirror, fc([pt(1, 1), pt(2, 2)]));
    expect(u.kind).toBe('diff');
    apply(map, u);
    expect(map.size).toBe(2);
    const many = fc(Array.from({ length: 40 }, (_, i) => pt(i, i)));
    u = planUpdate(u.mirror, many);
    expect(u.kind).toBe('set');
    apply(map, u);
    u = planUpdate(u.mirror, fc(Array.from({ length: 40 }, (_, i) => pt(i + 0.5, i))));
    expect(u.kind).toBe('set');
    apply(map, u);
    expect(prints(map)).toEqual(Array.from({ length: 40 }, (_, i) => featurePrint(pt(i + 0.5, i))).sort());
  });

  it('sees sub-metre moves (1e-6°) and ignores float noise below 1e-7°', () => {
    const u = planUpdate(undefined, fc([pt(121.4733789, 31.2704034)]));
    expect(planUpdate(u.mirror, fc([pt(121.4733799, 31.2704034)])).kind).toBe('diff');
    expect(planUpdate(u.mirror, fc([pt(121.47337890000001, 31.2704034)])).kind).toBe('none');
  });
});

describe('feature fingerprints (flat loops over positions)', () => {
  const poly = (dx: number): Feature => ({ type: 'Feature', properties: { id: 'd1', verdict: 'pass' }, geometry: { type: 'Polygon', coordinates: [[[121.4, 31.2], [121.41 + dx, 31.2], [121.41, 31.21], [121.4, 31.2]]] } });
  it('equal content in fresh objects prints the same; a vertex moved by 1e-6° or a changed property does not', () => {
    const a = poly(0);
    expect(featurePrint(JSON.parse(JSON.stringify(a)) as Feature)).toBe(featurePrint(a));
    expect(featurePrint(poly(1e-6))).not.toBe(featurePrint(a));
    expect(featurePrint({ ...a, properties: { id: 'd1', verdict: 'fail' } })).not.toBe(featurePrint(a));
    // the nesting counts: one ring of four positions is not two rings of two
    const two: Feature = { ...a, geometry: { type: 'Polygon', coordinates: [[[121.4, 31.2], [121.41, 31.2]], [[121.41, 31.21], [121.4, 31.2]]] } };
    expect(featurePrint(two)).not.toBe(featurePrint(a));
  });
  it('malformed coordinates (deeper than the type says) are hashed by the generic walk, not thrown on', () => {
    const odd = { type: 'Feature', properties: {}, geometry: { type: 'LineString', coordinates: [[[1, 2]], [[3, 4]]] } } as unknown as Feature;
    const odd2 = { type: 'Feature', properties: {}, geometry: { type: 'LineString', coordinates: [[[1, 2]], [[3, 5]]] } } as unknown as Feature;
    expect(featurePrint(odd)).toBe(featurePrint(JSON.parse(JSON.stringify(odd)) as Feature));
    expect(featurePrint(odd)).not.toBe(featurePrint(odd2));
  });
});
