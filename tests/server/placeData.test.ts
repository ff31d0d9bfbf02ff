/** The box a server check covers, from a place's built data (public/data). */
import { describe, expect, it } from 'vitest';
import { checkArea, coordinatesOf, corners, placeOwnStations } from '../../src/server/placeData';
import { placeJson } from '../support/place';

describe('placeData', () => {
  it('collects coordinates of any GeoJSON depth and their box', () => {
    const fc = { type: 'FeatureCollection', features: [
      { type: 'Feature', geometry: { type: 'Point', coordinates: [1, 2] } },
      { type: 'Feature', geometry: { type: 'MultiPolygon', coordinates: [[[[3, -1], [0, 5], [3, -1]]]] } },
      { type: 'Feature', geometry: null },
    ] };
    expect(coordinatesOf(fc)).toEqual([[1, 2], [3, -1], [0, 5], [3, -1]]);
    expect(corners(coordinatesOf(fc))).toEqual([[0, -1], [3, 5]]);
    expect(corners([])).toBeNull();
  });

  it("Monaco's check area holds its planning area and its stations; an unknown place has none", async () => {
    const area = (await checkArea('monaco', null))!;
    const boundary = corners(coordinatesOf(placeJson('monaco', 'boundary.geojson')))!;
    expect(area[0][0]).toBeLessThanOrEqual(boundary[0][0]);
    expect(area[1][1]).toBeGreaterThanOrEqual(boundary[1][1]);
    const stations = await placeOwnStations('monaco');
    expect(stations.length).toBe(3);
    for (const s of stations) expect(s.lon >= area[0][0] && s.lon <= area[1][0] && s.lat >= area[0][1] && s.lat <= area[1][1]).toBe(true);
    expect(await checkArea('no-such-place', null)).toBeNull();
    expect(await placeOwnStations('no-such-place')).toEqual([]);
  });
});
