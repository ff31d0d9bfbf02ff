import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { buildGraph } from './buildGraph';
import { parseProfile } from './profile';
import { Router } from './router';
import type { OsmData } from './osm/types';

const profile = parseProfile(JSON.parse(readFileSync(new URL('../../geodata/profiles/fire-engine.json', import.meta.url), 'utf8')));
const r0 = 0.0004;
// Roundabout (counter-clockwise W→S→E→N) with four arms; a north street turning off the east arm.
const pts: Record<number, [number, number]> = {
  1: [114 - 0.004, 22.5], 2: [114 - r0, 22.5], 3: [114, 22.5 - r0], 4: [114 + r0, 22.5], 5: [114, 22.5 + r0],
  6: [114, 22.496], 7: [114.004, 22.5], 8: [114, 22.504], 9: [114.004, 22.503], 10: [114.008, 22.5],
};
const osm: OsmData = {
  nodes: new Map(Object.entries(pts).map(([k, [lon, lat]]) => [Number(k), { id: Number(k), lon, lat }])),
  ways: [
    { id: 1, nodes: [1, 2], tags: { highway: 'primary', name: '西路', 'name:en': 'West Road' } },
    { id: 2, nodes: [2, 3, 4, 5, 2], tags: { highway: 'primary', junction: 'roundabout' } },
    { id: 3, nodes: [3, 6], tags: { highway: 'secondary', name: '南路', 'name:en': 'South Road' } },
    { id: 4, nodes: [4, 7, 10], tags: { highway: 'primary', name: '东路', 'name:en': 'East Road' } },
    { id: 5, nodes: [5, 8], tags: { highway: 'secondary', name: '北路', 'name:en': 'North Road' } },
    { id: 6, nodes: [7, 9], tags: { highway: 'tertiary', name: '东一街', 'name:en': 'East 1st Street' } },
  ],
  relations: [],
};
const router = new Router(buildGraph(osm).graph, profile);
const station = [{ id: 'st', name: '西站', lon: 114 - 0.0038, lat: 22.5001 }];

describe('OSRM-shaped routes', () => {
  it('takes the 2nd exit of the roundabout, then turns left into a side street', () => {
    const res = router.route(station, [114.004, 22.5025], 'en', 'Fire scene');
    const steps = res.route.legs[0].steps;
    expect(steps.map((s) => s.maneuver.type)).toEqual(['depart', 'roundabout', 'exit roundabout', 'turn', 'arrive']);
    expect(steps[1].maneuver.exit).toBe(2);
    expect(steps[3].maneuver.modifier).toBe('left');
    expect(steps[3].name).toBe('East 1st Street');
    expect(res.steps[1].text).toBe('Enter the roundabout and take the 2nd exit onto East Road');
    expect(res.steps[3].text).toMatch(/Turn left onto East 1st Street/);
    expect(res.steps[4].text).toMatch(/Fire scene/);
  });
  it('gives Chinese text and consistent totals', () => {
    const res = router.route(station, [114.004, 22.5025], 'zh-Hans');
    expect(res.steps[0].text).toMatch(/西路/);
    expect(res.steps[3].text).toBe('左转，驶入东一街');
    const steps = res.route.legs[0].steps;
    const sum = steps.reduce((a, s) => a + s.duration, 0);
    expect(sum).toBeCloseTo(res.route.duration, 0);
    expect(res.route.distance).toBeCloseTo(steps.reduce((a, s) => a + s.distance, 0), 0);
    const coords = res.route.geometry.coordinates;
    expect(coords[0][0]).toBeCloseTo(res.snapFrom.lon, 6);
    expect(coords[coords.length - 1][1]).toBeCloseTo(res.snapTo.lat, 6);
    expect(res.responseSeconds - res.travelSeconds).toBeCloseTo(60, 5);
    for (const s of steps) expect(s.mode).toBe('driving');
  });
  it('needs no maneuver along one named road', () => {
    const res = router.route([{ id: 'e', lon: 114.0045, lat: 22.5 }], [114.0075, 22.5], 'zh-Hans');
    expect(res.route.legs[0].steps.map((s) => s.maneuver.type)).toEqual(['depart', 'arrive']);
    expect(res.route.distance).toBeCloseTo(308.4, 0);
  });
});

describe('routes pick the fastest response, turnout included', () => {
  // Scene on East 1st Street (node 9). West station: 4 roundabout-side arms away; East station: at the end of East Road.
  const west = { id: 'w', name: '西站', lon: 114 - 0.0038, lat: 22.5001 };
  const east = { id: 'e', name: '东站', lon: 114.0078, lat: 22.5001 };
  const scene: [number, number] = [114.004, 22.5025];
  it('the nearer station wins with equal turnouts; a long turnout hands the call to the other', () => {
    const equal = router.route([west, east], scene, 'en');
    const travelEast = router.route([east], scene, 'en').travelSeconds, travelWest = router.route([west], scene, 'en').travelSeconds;
    expect(travelEast).toBeLessThan(travelWest);
    expect(equal.stationId).toBe('e');
    expect(equal.responseSeconds).toBeCloseTo(travelEast + 60, 1);
    // East needs 5 minutes to turn out: west responds sooner although it drives longer.
    const slow = router.route([west, { ...east, turnoutS: 300 }], scene, 'en');
    expect(slow.stationId).toBe('w');
    expect(slow.travelSeconds).toBeCloseTo(travelWest, 1);
    expect(slow.responseSeconds).toBeCloseTo(travelWest + 60, 1);
    const own = router.route([{ ...west, turnoutS: 90 }, { ...east, turnoutS: 300 }], scene, 'en');
    expect(own.stationId).toBe('w');
    expect(own.responseSeconds).toBeCloseTo(travelWest + 90, 1);
  });
});
