import { describe, expect, it } from 'vitest';
import type { Feature, FeatureCollection } from 'geojson';
import { featureFilter, validateStyleMin } from '@maplibre/maplibre-gl-style-spec';
import type { FilterSpecification } from 'maplibre-gl';
import { buildStyle, SOURCE_IDS, type SourceId } from './style';
import { LIVE_MAXZOOM, LIVE_PARTS, LIVE_SOURCE, LIVE_TAG, liveMerger, livePart, liveStyle, type LivePart } from './liveSource';
import { withDraggedFade } from './dragHold';

const fc = (features: Feature[]): FeatureCollection => ({ type: 'FeatureCollection', features });
const pt = (x: number, props: Record<string, unknown>): Feature => ({ type: 'Feature', properties: props, geometry: { type: 'Point', coordinates: [121 + x, 31] } });
const NONE = fc([]);
const parts = (over: Partial<Record<LivePart, FeatureCollection>> = {}) =>
  Object.fromEntries(LIVE_PARTS.map((p) => [p, over[p] ?? NONE])) as Record<LivePart, FeatureCollection>;

describe('one live source for what a drag changes', () => {
  const plain = buildStyle('zh');
  const live = withDraggedFade(liveStyle(plain));

  it('is a valid style: the parts’ sources replaced by one, tiled to LIVE_MAXZOOM; every layer kept, in order', () => {
    expect(validateStyleMin(live as Parameters<typeof validateStyleMin>[0])).toEqual([]);
    for (const p of LIVE_PARTS) expect(live.sources[p]).toBeUndefined();
    expect((live.sources[LIVE_SOURCE] as { maxzoom?: number }).maxzoom).toBe(LIVE_MAXZOOM);
    for (const id of SOURCE_IDS) if (!(LIVE_PARTS as readonly SourceId[]).includes(id)) expect(live.sources[id]).toEqual(plain.sources[id]);
    expect(live.layers.map((l) => l.id)).toEqual(plain.layers.map((l) => l.id));
    live.layers.forEach((l, i) => {
      const was = plain.layers[i] as { source?: string; paint?: object; layout?: object };
      const now = l as { source?: string; paint?: object; layout?: object };
      expect(now.source).toBe(was.source && (LIVE_PARTS as readonly string[]).includes(was.source) ? LIVE_SOURCE : was.source);
      expect(now.layout).toEqual(was.layout);
    });
  });

  it('a feature of a part is drawn by exactly the layers that drew it from its own source', () => {
    // one feature per part, with the properties the layers' own filters read
    const samples: [LivePart, Feature][] = [
      ['iso-polygons', { type: 'Feature', properties: { minutes: 4 }, geometry: { type: 'Polygon', coordinates: [[[121, 31], [121.01, 31], [121.01, 31.01], [121, 31]]] } }],
      ['cmp-failing', { type: 'Feature', properties: {}, geometry: { type: 'LineString', coordinates: [[121, 31], [121.01, 31]] } }],
      ['cmp-worst', pt(0, { stationId: 'a', label_zh: '5:01' })],
      ['cmp-districts', { type: 'Feature', properties: { verdict: 'fail' }, geometry: { type: 'Polygon', coordinates: [[[121, 31], [121.01, 31], [121.01, 31.01], [121, 31]]] } }],
    ];
    const zoom = { zoom: 14 };
    const drawing = (layers: typeof plain.layers, source: string, f: Feature) =>
      layers
        .filter((l) => 'source' in l && l.source === source)
        .filter((l) => !('filter' in l) || !l.filter || featureFilter(l.filter as FilterSpecification, `layers[${layers.indexOf(l)}].filter`).filter(zoom, { type: f.geometry.type === 'Point' ? 1 : f.geometry.type === 'LineString' ? 2 : 3, properties: f.properties ?? {} } as never))
        .map((l) => l.id);
    for (const [part, f] of samples) {
      const merged = liveMerger()(parts({ [part]: fc([f]) }));
      const before = drawing(plain.layers, part, f);
      expect(before.length).toBeGreaterThan(0);
      expect(drawing(live.layers, LIVE_SOURCE, merged.features[0])).toEqual(before);
    }
  });

  it('leaves the barriers and the focused station on their own sources, tiled to z18 as before, same layers and order', () => {
    const own = ['cmp-barriers', 'cmp-focus'];
    for (const id of own) {
      expect((LIVE_PARTS as readonly string[]).includes(id)).toBe(false);
      expect(live.sources[id]).toEqual(plain.sources[id]);
      expect((live.sources[id] as { maxzoom?: number }).maxzoom ?? 18).toBe(18); // MapLibre's default
    }
    const on = (layers: typeof plain.layers) => layers.filter((l) => 'source' in l && own.includes(l.source as string)).map((l) => [l.id, (l as { source: string }).source, layers.indexOf(l)]);
    expect(on(live.layers)).toEqual(on(plain.layers));
    expect(on(live.layers).map((x) => x[0])).toEqual(['cmp-barriers-line', 'cmp-focus-line', 'cmp-focus-failing-casing', 'cmp-focus-failing', 'cmp-focus-barrier']);
    for (const l of live.layers) if (own.includes(l.id)) expect((l as { filter?: unknown }).filter).toEqual((plain.layers.find((x) => x.id === l.id) as { filter?: unknown }).filter);
  });

  it('merges the parts with a tag, gives them back unchanged, and reuses what did not change', () => {
    const merge = liveMerger();
    const iso = fc([pt(0, { minutes: 4 })]);
    const pockets = fc([pt(1, { areaKm2: 0.2 }), pt(2, { areaKm2: 0.1 })]);
    const a = merge(parts({ 'iso-polygons': iso, 'cmp-pockets': pockets }));
    expect(a.features.map((f) => f.properties?.[LIVE_TAG])).toEqual(['iso-polygons', 'cmp-pockets', 'cmp-pockets']);
    expect(livePart(a, 'cmp-pockets')).toEqual(pockets.features);
    expect(livePart(a, 'iso-polygons')).toEqual(iso.features);
    expect(livePart(a, 'cmp-worst')).toEqual([]);
    // the same parts: the same collection; a changed part: the others keep their tagged objects
    expect(merge(parts({ 'iso-polygons': iso, 'cmp-pockets': pockets }))).toBe(a);
    const b = merge(parts({ 'iso-polygons': fc([pt(5, { minutes: 4 })]), 'cmp-pockets': pockets }));
    expect(b).not.toBe(a);
    expect(b.features[1]).toBe(a.features[1]);
    expect(b.features[0]).not.toBe(a.features[0]);
  });

  it('fades the dragged station’s start by feature-state only', () => {
    const l = live.layers.find((x) => x.id === 'stations-planned') as { paint: Record<string, unknown> };
    expect(JSON.stringify(l.paint['circle-opacity'])).toContain('feature-state');
    const p = plain.layers.find((x) => x.id === 'stations-planned') as { paint: Record<string, unknown> };
    expect(l.paint['circle-color']).toEqual(p.paint['circle-color']);
  });
});
