/**
 * buildGraph stores each segment's length as Float32 through storedLength (series for the sine and arcsine of small
 * angles, checked against a margin), which must give exactly Math.fround of the haversine segmentLength (geo.ts
 * haversineM with per-node cosines) for every segment: short and long, near the poles and the antimeridian, one
 * coordinate apart, and on hand-built latitudes outside ±90° (which the readers refuse).
 */
import { describe, expect, it } from 'vitest';
import { buildGraph } from '../../src/core/buildGraph';
import { nodeGeometry, segmentLength, storedLength } from '../../src/core/segmentLength';
import { haversineM } from '../../src/core/geo';
import { rng } from '../../src/core/optimize/testMatrix';
import type { OsmData, OsmNode, OsmWay } from '../../src/core/osm/types';
import { buildGraphReference } from '../support/buildGraphReference';

/** Every segment i joins node 2i to node 2i+1 (coordinates × 1e7). */
function check(lon: Int32Array, lat: Int32Array): number {
  const { geo } = nodeGeometry(lon, lat);
  let bad = 0;
  for (let i = 0; i < lon.length; i += 2) {
    const want = Math.fround(segmentLength(i, i + 1, geo));
    if (!Object.is(storedLength(i, i + 1, geo), want)) bad++;
  }
  return bad;
}

function segments(count: number, seed: number, place: (r: () => number) => [number, number, number, number]) {
  const r = rng(seed), lon = new Int32Array(2 * count), lat = new Int32Array(2 * count);
  for (let i = 0; i < count; i++) [lon[2 * i], lat[2 * i], lon[2 * i + 1], lat[2 * i + 1]] = place(r);
  return { lon, lat };
}

describe('storedLength: Math.fround(segmentLength) bit for bit', () => {
  it('segmentLength is geo.ts haversineM', () => {
    const { lon, lat } = segments(2000, 3, (r) => [r() * 36e8 - 18e8, r() * 18e8 - 9e8, r() * 36e8 - 18e8, r() * 18e8 - 9e8].map(Math.round) as never);
    const { geo } = nodeGeometry(lon, lat);
    for (let i = 0; i < lon.length; i += 2) {
      expect(segmentLength(i, i + 1, geo)).toBe(haversineM(lon[i] / 1e7, lat[i] / 1e7, lon[i + 1] / 1e7, lat[i + 1] / 1e7));
    }
  });

  it('2 M random road segments (0–2 km, anywhere on earth) and 200 k of 1 cm to 20 km', () => {
    const short = segments(1_000_000, 11, (r) => {
      const x = Math.round(r() * 36e8 - 18e8), y = Math.round(r() * 17e8 - 8.5e8), d = 2e4 * r();
      return [x, y, x + Math.round((r() - 0.5) * d), y + Math.round((r() - 0.5) * d)];
    });
    expect(check(short.lon, short.lat)).toBe(0);
    const grid = segments(1_000_000, 12, (r) => {
      // axis-aligned, as on a grid (one of the sines is of 0)
      const x = Math.round(1.12e9 + r() * 1e7), y = Math.round(2.17e8 + r() * 1e7), d = Math.round(r() * 1e4);
      return r() < 0.5 ? [x, y, x + d, y] : [x, y, x, y + d];
    });
    expect(check(grid.lon, grid.lat)).toBe(0);
    const spread = segments(200_000, 13, (r) => {
      const x = Math.round(r() * 36e8 - 18e8), y = Math.round(r() * 18e8 - 9e8), d = Math.exp(r() * Math.log(2e6)); // 1e-7° … 0.2°
      return [x, y, x + Math.round((r() - 0.5) * d), y + Math.round((r() - 0.5) * d)];
    });
    expect(check(spread.lon, spread.lat)).toBe(0);
  });

  it('long segments, poles, the antimeridian, one unit apart, hand-built latitudes beyond ±90°', () => {
    const ends: [number, number, number, number][] = [
      [0, 0, 1, 0], [0, 0, 0, 1], [0, 9e8, 1, 9e8], [0, -9e8, 0, -8.99999999e8], [18e8, 0, -18e8, 0], [17.9999999e8, 5e8, -17.9999999e8, 5e8],
      [0, 0, 18e8, 0], [0, 9e8, 0, -9e8], [1.12e9, 2.17e8, 1.13e9, 2.18e8], [0, 9.5e8, 1, 9.5e8], [0, 8.9e8, 10, 9.1e8], [5, 18e8, 6, 18e8],
    ];
    const lon = Int32Array.from(ends.flatMap(([a, , c]) => [a, c])), lat = Int32Array.from(ends.flatMap(([, b, , d]) => [b, d]));
    expect(check(lon, lat)).toBe(0);
    const wild = segments(100_000, 14, (r) => [r() * 4e9 - 2e9, r() * 4e9 - 2e9, 0, 0].map(Math.round).map((v, i, a) => (i < 2 ? v : a[i - 2] + Math.round((r() - 0.5) * 3e4))) as never);
    expect(check(wild.lon, wild.lat)).toBe(0);
  });
});

describe('buildGraph on hand-built latitudes beyond ±90° (the readers refuse them): as the code before', () => {
  it('random ways over nodes at 80°/100°/180°… latitudes: same graph buffer and stats as tests/support/buildGraphReference.ts', () => {
    const lats = [0, 45, 80, 89.9999999, 90, 100, 135, 180, -80, -100, -180, 200];
    const lons = [0, 1e-7, 90, 180, -180];
    let dropped = 0;
    for (let seed = 1; seed <= 60; seed++) {
      const r = rng(100 + seed);
      const nodes = new Map<number, OsmNode>();
      for (let id = 1; id <= 30; id++) nodes.set(id, { id, lon: lons[Math.floor(r() * lons.length)], lat: lats[Math.floor(r() * lats.length)] });
      const ways: OsmWay[] = [];
      for (let w = 1; w <= 8; w++) ways.push({ id: w, nodes: Array.from({ length: 2 + Math.floor(r() * 5) }, () => 1 + Math.floor(r() * 30)), tags: { highway: 'residential' } });
      const osm: OsmData = { nodes, ways, relations: [] };
      const want = buildGraphReference(osm), got = buildGraph(osm);
      expect(got.stats).toEqual(want.stats);
      expect(Buffer.from(got.graph.buffer).equals(Buffer.from(want.graph.buffer))).toBe(true);
      dropped += got.stats.zeroLengthSegments;
    }
    // the drop of a segment of no length between different coordinates was met (cos 100° · cos 80° < 0)
    expect(dropped).toBeGreaterThan(0);
  });
});
