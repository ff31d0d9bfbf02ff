import { describe, expect, it } from 'vitest';
import type { FillLayerSpecification } from 'maplibre-gl';
import { buildLayers, VERDICT_COLOURS } from './style';

/** The colour a fill shows over a white map, for a feature with the given verdict. */
function shown(layer: FillLayerSpecification, verdict: string): [number, number, number] {
  const pick = (v: unknown): unknown => {
    if (!Array.isArray(v) || v[0] !== 'match') return v;
    const i = v.indexOf(verdict, 2);
    return i > 0 && i % 2 === 0 ? v[i + 1] : v[v.length - 1];
  };
  const hex = pick(layer.paint?.['fill-color']) as string;
  const a = Number(pick(layer.paint?.['fill-opacity'] ?? 1));
  const c = [1, 3, 5].map((i) => parseInt(hex.slice(i, i + 2), 16));
  return c.map((x) => 255 * (1 - a) + x * a) as [number, number, number];
}
function hue([r, g, b]: number[]): number {
  const max = Math.max(r, g, b), min = Math.min(r, g, b), d = max - min;
  if (d === 0) return 0;
  const h = max === r ? ((g - b) / d) % 6 : max === g ? (b - r) / d + 2 : (r - g) / d + 4;
  return (h * 60 + 360) % 360;
}

describe('failing district vs not reached in time (issue 14)', () => {
  const layers = buildLayers('zh');
  const fill = (id: string) => layers.find((l) => l.id === id) as FillLayerSpecification;

  it('are clearly different colours on the map', () => {
    const district = shown(fill('cmp-districts-fill'), 'fail');
    const pocket = shown(fill('cmp-pockets-fill'), 'fail');
    const dist = Math.hypot(district[0] - pocket[0], district[1] - pocket[1], district[2] - pocket[2]);
    expect(dist).toBeGreaterThan(60); // the old pair (same red at 13 % and 22 %) was 28 apart
    const dh = Math.abs(hue(district) - hue(pocket));
    expect(Math.min(dh, 360 - dh)).toBeGreaterThan(20);
  });

  it('a failing district is marked by a thicker red outline', () => {
    const line = layers.find((l) => l.id === 'cmp-districts-line');
    const paint = (line as { paint: Record<string, unknown> }).paint;
    expect(paint['line-color']).toContain(VERDICT_COLOURS.fail);
    expect(paint['line-width']).toEqual(['match', ['get', 'verdict'], 'fail', 3, 1.5]);
  });
});
