import { describe, expect, it } from 'vitest';
import { area, booleanEqual, polygon } from '@turf/turf';
import type { Position } from 'geojson';
import { thinPolygons, thinRing } from './thin';

describe('isochrone polygons thinned for the map during a drag', () => {
  it('rounds to 1e-6° and drops vertices where the ring goes straight on, keeping the shape', () => {
    // a square 121.0–121.01 × 31.0–31.01 with extra points along its edges (one at a corner's start)
    const ring: Position[] = [[121.005, 31], [121.01, 31], [121.01, 31.004], [121.01, 31.01], [121.0, 31.01], [121.0, 31.0], [121.00200000004, 31.0], [121.005, 31]];
    const thin = thinRing(ring);
    expect(thin).toEqual([[121.01, 31], [121.01, 31.01], [121.0, 31.01], [121.0, 31.0], [121.01, 31]]);
    expect(booleanEqual(polygon([thin]), polygon([[[121, 31], [121.01, 31], [121.01, 31.01], [121, 31.01], [121, 31]]]))).toBe(true);
  });

  it('keeps a turn back (a spike) and a real corner, and moves no vertex more than 0.5e-6°', () => {
    const ring: Position[] = [[121, 31], [121.002, 31], [121.001, 31], [121.001, 31.001], [121.00012345678, 31.00087654321], [121, 31]];
    const thin = thinRing(ring);
    expect(thin.length).toBe(ring.length); // nothing straight here
    thin.forEach((p, i) => {
      expect(Math.abs(p[0] - ring[i][0])).toBeLessThanOrEqual(0.5e-6 + 1e-12);
      expect(Math.abs(p[1] - ring[i][1])).toBeLessThanOrEqual(0.5e-6 + 1e-12);
    });
  });

  it('thins polygons and multipolygons and leaves other features alone; the area stays within a rounding error', () => {
    const circle: Position[] = Array.from({ length: 200 }, (_, i) => [121.4 + 0.01 * Math.cos((i / 200) * 2 * Math.PI), 31.2 + 0.01 * Math.sin((i / 200) * 2 * Math.PI)]);
    circle.push(circle[0]);
    const fc = thinPolygons({
      type: 'FeatureCollection',
      features: [
        { type: 'Feature', properties: { minutes: 4 }, geometry: { type: 'Polygon', coordinates: [circle] } },
        { type: 'Feature', properties: {}, geometry: { type: 'MultiPolygon', coordinates: [[circle]] } },
        { type: 'Feature', properties: {}, geometry: { type: 'Point', coordinates: [121.123456789, 31] } },
      ],
    });
    const a0 = area(polygon([circle]));
    const a1 = area(fc.features[0] as Parameters<typeof area>[0]);
    expect(Math.abs(a1 - a0) / a0).toBeLessThan(1e-5);
    expect(fc.features[0].properties).toEqual({ minutes: 4 });
    expect(fc.features[1].geometry.type).toBe('MultiPolygon');
    expect(fc.features[2].geometry).toEqual({ type: 'Point', coordinates: [121.123456789, 31] });
    expect(JSON.stringify(fc.features[0].geometry).length).toBeLessThan(JSON.stringify({ type: 'Polygon', coordinates: [circle] }).length * 0.75);
  });
});
