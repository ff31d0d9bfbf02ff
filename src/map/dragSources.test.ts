import { describe, expect, it } from 'vitest';
import { buildStyle, DRAG_SOURCE_MAXZOOM } from './style';

describe('sources a drag changes every step', () => {
  it('are tiled only up to zoom 12; the others keep MapLibre’s default', () => {
    const style = buildStyle('zh');
    for (const id of ['iso-polygons', 'cmp-pockets', 'cmp-failing', 'cmp-worst']) expect((style.sources[id] as { maxzoom?: number }).maxzoom).toBe(12);
    for (const id of ['roads', 'facilities', 'districts', 'water']) expect((style.sources[id] as { maxzoom?: number }).maxzoom).toBeUndefined();
    expect(Object.keys(DRAG_SOURCE_MAXZOOM).every((id) => id in style.sources)).toBe(true);
  });

});
