import * as turf from '@turf/turf';
import type { Polygon, Position } from 'geojson';
import { describe, expect, it } from 'vitest';
import { joinCoastline, seaPolygons, signedArea, type Box } from './coastline';

// Hand-made cases in a 1° × 1° box at the equator (turf areas in m², compared as shares of the box).
const BOX: Box = [0, 0, 1, 1];
const boxArea = turf.area(turf.bboxPolygon(BOX));
const seaShare = (sea: Polygon[]) => sea.reduce((s, g) => s + turf.area(g), 0) / boxArea;
const isSea = (sea: Polygon[], p: Position) => sea.some((g) => turf.booleanPointInPolygon(p, g));

function expectValid(sea: Polygon[]) {
  for (const g of sea) {
    g.coordinates.forEach((ring, i) => {
      expect(ring.length).toBeGreaterThanOrEqual(4);
      expect(ring[0]).toEqual(ring[ring.length - 1]);
      // outer counter-clockwise, holes clockwise
      expect(Math.sign(signedArea(ring))).toBe(i === 0 ? 1 : -1);
      // no repeated vertex except the closing one (no self-touching)
      const keys = ring.slice(0, -1).map((p) => `${p[0]},${p[1]}`);
      expect(new Set(keys).size).toBe(keys.length);
    });
    expect(turf.kinks(turf.polygon(g.coordinates)).features).toHaveLength(0);
  }
}

describe('seaPolygons', () => {
  it('a straight coast across the box: land on the left (north), the sea on the right (south)', () => {
    const r = seaPolygons([[[-0.5, 0.5], [1.5, 0.5]]], BOX);
    expectValid(r.sea);
    expect(r.sea).toHaveLength(1);
    expect(seaShare(r.sea)).toBeCloseTo(0.5, 3);
    expect(isSea(r.sea, [0.5, 0.2])).toBe(true);
    expect(isSea(r.sea, [0.5, 0.8])).toBe(false);
    expect(r.danglingEnds).toBe(0);
  });

  it('the same coast drawn the other way round puts the sea in the north', () => {
    const r = seaPolygons([[[1.5, 0.5], [-0.5, 0.5]]], BOX);
    expect(isSea(r.sea, [0.5, 0.8])).toBe(true);
    expect(isSea(r.sea, [0.5, 0.2])).toBe(false);
  });

  it('a wiggly coast in several ways given in any order', () => {
    const line: Position[] = [[-0.2, 0.3]];
    for (let i = 1; i <= 12; i++) line.push([i / 10, i % 2 ? 0.6 : 0.3]);
    line.push([1.3, 0.3]);
    const parts = [line.slice(0, 5), line.slice(4, 9), line.slice(8)];
    const r = seaPolygons([parts[2], parts[0], parts[1]], BOX);
    expectValid(r.sea);
    expect(r.sea).toHaveLength(1);
    expect(joinCoastline([parts[2], parts[0], parts[1]])).toHaveLength(1);
    expect(isSea(r.sea, [0.1, 0.55])).toBe(true); // the line peaks at y 0.6 at x = 0.1: below it is sea
    expect(isSea(r.sea, [0.2, 0.4])).toBe(false); // the line dips to y 0.3 at x = 0.2: above it is land
    expect(isSea(r.sea, [0.5, 0.1])).toBe(true);
    expect(isSea(r.sea, [0.5, 0.9])).toBe(false);
    // the area under the line: x 0–0.1 from y 0.5 to 0.6 (0.055) + nine zig-zag segments of mean height 0.45
    expect(seaShare(r.sea)).toBeCloseTo(0.055 + 0.405, 3);
  });

  it('two coast pieces entering and leaving the box: a peninsula of sea between two headlands', () => {
    // Coast 1 comes from the west and leaves through the south (land north and east of it: the sea is the
    // south-west corner); coast 2 comes in through the south and leaves east (the sea is the south-east corner).
    const c1: Position[] = [[-0.5, 0.5], [0.3, 0.5], [0.3, -0.5]];
    const c2: Position[] = [[0.7, -0.5], [0.7, 0.5], [1.5, 0.5]];
    const r = seaPolygons([c2, c1], BOX);
    expectValid(r.sea);
    expect(isSea(r.sea, [0.1, 0.2])).toBe(true);
    expect(isSea(r.sea, [0.9, 0.2])).toBe(true);
    expect(isSea(r.sea, [0.5, 0.2])).toBe(false); // a spit of land between them
    expect(isSea(r.sea, [0.5, 0.8])).toBe(false);
    expect(r.sea).toHaveLength(2);
    expect(seaShare(r.sea)).toBeCloseTo(0.15 + 0.15, 3);
  });

  it('an island (closed counter-clockwise ring) is a hole in the sea', () => {
    const coast: Position[] = [[-0.5, 0.8], [1.5, 0.8]]; // sea south of 0.8
    const island: Position[] = [[0.4, 0.3], [0.6, 0.3], [0.6, 0.5], [0.4, 0.5], [0.4, 0.3]];
    const r = seaPolygons([island, coast], BOX);
    expectValid(r.sea);
    expect(r.sea).toHaveLength(1);
    expect(r.sea[0].coordinates).toHaveLength(2);
    expect(isSea(r.sea, [0.5, 0.4])).toBe(false);
    expect(isSea(r.sea, [0.2, 0.4])).toBe(true);
    expect(seaShare(r.sea)).toBeCloseTo(0.8 - 0.04, 3);
  });

  it('only an island in the box: the sea is all around it', () => {
    const island: Position[] = [[0.4, 0.4], [0.6, 0.4], [0.6, 0.6], [0.4, 0.6], [0.4, 0.4]];
    const r = seaPolygons([island], BOX);
    expectValid(r.sea);
    expect(seaShare(r.sea)).toBeCloseTo(0.96, 3);
    expect(isSea(r.sea, [0.5, 0.5])).toBe(false);
    expect(isSea(r.sea, [0.1, 0.1])).toBe(true);
  });

  it('no coastline: the box is land', () => {
    expect(seaPolygons([], BOX).sea).toEqual([]);
  });

  it('an island crossing the box edge is cut and joined along the boundary', () => {
    const island: Position[] = [[0.8, 0.4], [1.2, 0.4], [1.2, 0.6], [0.8, 0.6], [0.8, 0.4]];
    const r = seaPolygons([island], BOX);
    expectValid(r.sea);
    expect(isSea(r.sea, [0.9, 0.5])).toBe(false);
    expect(isSea(r.sea, [0.5, 0.5])).toBe(true);
    expect(seaShare(r.sea)).toBeCloseTo(1 - 0.04, 3);
  });

  it('a harbour: a bay cut into the land is sea, the quay beside it is land', () => {
    // Coast west → east at y = 0.3 with a rectangular basin going north to y = 0.7 between x = 0.4 and 0.6,
    // entered through a 0.1 wide mouth between two breakwaters (x 0.45 – 0.55).
    const coast: Position[] = [[-0.5, 0.3], [0.45, 0.3], [0.45, 0.35], [0.4, 0.35], [0.4, 0.7], [0.6, 0.7], [0.6, 0.35], [0.55, 0.35], [0.55, 0.3], [1.5, 0.3]];
    const r = seaPolygons([coast], BOX);
    expectValid(r.sea);
    expect(isSea(r.sea, [0.5, 0.6])).toBe(true); // in the basin
    expect(isSea(r.sea, [0.3, 0.6])).toBe(false); // quay west of the basin
    expect(isSea(r.sea, [0.7, 0.5])).toBe(false);
    expect(isSea(r.sea, [0.5, 0.1])).toBe(true);
    // the open sea below 0.3, the basin 0.4–0.6 × 0.35–0.7 and its mouth 0.45–0.55 × 0.3–0.35
    expect(seaShare(r.sea)).toBeCloseTo(0.3 + 0.2 * 0.35 + 0.1 * 0.05, 3);
  });

  it('a coast cut inside the box (incomplete extract) is carried on to the nearest boundary and counted', () => {
    const r = seaPolygons([[[-0.5, 0.5], [0.95, 0.5]]], BOX);
    expect(r.danglingEnds).toBe(1);
    expectValid(r.sea);
    expect(seaShare(r.sea)).toBeCloseTo(0.5, 3);
  });

  it('a clockwise closed ring inside the box is enclosed sea (a lagoon)', () => {
    const lagoon: Position[] = [[0.4, 0.4], [0.4, 0.6], [0.6, 0.6], [0.6, 0.4], [0.4, 0.4]];
    const r = seaPolygons([lagoon], BOX);
    expectValid(r.sea);
    expect(isSea(r.sea, [0.5, 0.5])).toBe(true);
    expect(isSea(r.sea, [0.1, 0.1])).toBe(false);
  });
});
