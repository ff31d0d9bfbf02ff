/** Golden fixtures (tests/fixtures/compliance): tiny hand-solved worlds; the hand calculation is in each expected file. */
import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { fixtureSeconds, graphFromRoads, M, pt, worldInput, type FixtureInput } from './fixtureWorld';
import { parseStandard } from './standards';
import { evaluatePlace } from './evaluate';
import { areaKm2, pointInArea } from './geom';
import { copyRun, labelledRoadPoints, prepareNetwork, snapTo } from './network';
import type { StationReport } from './report';

const dir = resolve(__dirname, '../../../tests/fixtures/compliance');
const read = (f: string) => JSON.parse(readFileSync(resolve(dir, f), 'utf8'));
function loadFixture(name: string) {
  const fixture = read(`${name}.input.json`) as FixtureInput;
  const standard = parseStandard(JSON.parse(readFileSync(resolve(__dirname, `../../../geodata/standards/${fixture.standard}.json`), 'utf8')));
  return { input: worldInput(name, fixture, standard), fixture, expected: read(`${name}.expected.json`) };
}

const toM = (p: [number, number] | null) => p && [Math.round(p[0] * M), Math.round(p[1] * M)];

/** The report fields an expected file names, in the same shape (counts for feature lists). */
function pick(s: StationReport, want: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const k of Object.keys(want)) {
    if (k === 'failingEdges') out[k] = s.failingEdges.features.length;
    else if (k === 'failingLengthM') out[k] = Math.round(s.failingEdges.features.reduce((a, f) => a + f.properties.lengthM, 0));
    else if (k === 'noAccessEdges') out[k] = s.noAccessEdges.features.length;
    else if (k === 'noAccessLengthM') out[k] = s.noAccessEdges.features.map((f) => Math.round(f.properties.lengthM));
    else if (k === 'worstEdgePoint') out[k] = toM(s.worstEdgePoint);
    else if (k === 'barriers') out[k] = s.barriers.map((b) => ({ kind: b.kind, name: b.name, lengthInsideM: Math.round(b.lengthInsideM), roadOnlyAcrossM: b.roadOnlyAcrossM === null ? null : Math.round(b.roadOnlyAcrossM) }));
    else if (k === 'secondDue') out[k] = (s.coverage?.secondDue ?? []).map((d) => ({ stationId: d.stationId, roadKm: d.roadKm }));
    else if (k === 'coverage' && s.coverage)
      out[k] = { roadShare: s.coverage.roadShare, roadKm: s.coverage.roadKm, areaShare: s.coverage.areaShare, pocketsKm2: s.coverage.pocketsKm2, pockets: s.coverage.pockets.features.length };
    else out[k] = (s as unknown as Record<string, unknown>)[k];
  }
  return out;
}

/** Numbers compare within a tolerance by kind: seconds ±0.5 s, metres ±1 m, shares/km² ±0.002. */
function close(actual: unknown, expected: unknown, key = ''): void {
  if (typeof expected === 'number') {
    const tol = /Seconds/.test(key) ? 0.5 : /M$/.test(key) ? 1 : /Point/.test(key) ? 1 : 0.002;
    expect(typeof actual, key).toBe('number');
    expect(Math.abs((actual as number) - expected), `${key}: ${actual} vs ${expected}`).toBeLessThanOrEqual(tol);
  } else if (Array.isArray(expected)) {
    expect(Array.isArray(actual), key).toBe(true);
    expect((actual as unknown[]).length, key).toBe(expected.length);
    expected.forEach((e, i) => close((actual as unknown[])[i], e, key));
  } else if (expected && typeof expected === 'object') {
    for (const [k, v] of Object.entries(expected)) close((actual as Record<string, unknown>)[k], v, k);
  } else expect(actual, key).toEqual(expected);
}

describe.each(['grid-pass', 'corner-fail', 'no-access', 'barrier', 'tie', 'second-due'])('fixture %s', (name) => {
  const { input, expected } = loadFixture(name);
  const report = evaluatePlace(input);

  it('matches the hand calculation', () => {
    expect(report.mode).toBe('network');
    for (const [id, want] of Object.entries(expected.stations as Record<string, Record<string, unknown>>)) {
      const s = report.stations.find((x) => x.id === id)!;
      close(pick(s, want), want);
    }
    close(report.summary, expected.summary);
  });

  it('is plain data (structured clone and JSON round-trip unchanged)', () => {
    expect(structuredClone(report)).toEqual(report);
    expect(JSON.parse(JSON.stringify(report))).toEqual(report);
  });

  it('reports worst times equal to a fresh single-source run to the worst point', () => {
    const net = prepareNetwork(input.network!);
    for (const s of report.stations) {
      if (s.worstPoint === null) continue;
      const st = input.stations.find((x) => x.id === s.id)!;
      const src = snapTo(net, st.lon, st.lat)!;
      net.paths.run([src]);
      const to = snapTo(net, s.worstPoint[0], s.worstPoint[1])!;
      expect(to.distanceM).toBeLessThan(0.05);
      const t = Math.min(net.paths.time(to.u) + to.t * net.seconds[to.edge], to.reverse >= 0 ? net.paths.time(to.v) + (1 - to.t) * net.seconds[to.reverse] : Infinity);
      expect(Math.abs(t - s.worstEdgeSeconds!)).toBeLessThan(0.1);
    }
  });
});

describe('fixture details', () => {
  it('corner-fail: the worst point is the corner’s road point and the failing piece wraps the NE corner', () => {
    const { input } = loadFixture('corner-fail');
    const s = evaluatePlace(input).stations[0];
    expect([[1000, 900], [900, 1000]]).toContainEqual(toM(s.worstPoint));
    const line = s.failingEdges.features[0].geometry.coordinates.map((p) => toM(p as [number, number]));
    expect(line[0]).toEqual([900, 350]);
    expect(line[line.length - 1]).toEqual([350, 900]);
    expect(line).toContainEqual([900, 900]);
    expect(s.reasons[0].zh).toContain('仅 84% 在 4:00 内可达') // 84.7 % rounded down to a whole percent (the one formatting rule);
  });

  it('tie: the tied road point goes to the first station and the districts split at x = 0, tiling the area', () => {
    const { input, expected } = loadFixture('tie');
    const net = prepareNetwork(input.network!);
    net.paths.run(input.stations.map((s) => snapTo(net, s.lon, s.lat)!));
    const run = copyRun(net);
    const pts = labelledRoadPoints(net, run, 25);
    const k = [...pts.lon].findIndex((lon, i) => Math.abs(lon) < 1e-9 && Math.abs(pts.lat[i]) < 1e-9);
    expect(input.stations[pts.label[k]].id).toBe(expected.tieNodeStation);
    const r = evaluatePlace(input);
    const [a, b] = r.districts.features;
    expect(pointInArea(a.geometry, ...pt([-30, 0]))).toBe(true);
    expect(pointInArea(b.geometry, ...pt([30, 0]))).toBe(true);
    expect(areaKm2(a.geometry) + areaKm2(b.geometry)).toBeCloseTo(areaKm2(input.planningArea), 4);
  });

  it('no-access + a tunnel just outside the east edge: edge points use surface roads, not the tunnel', () => {
    const { input, fixture } = loadFixture('no-access');
    // tunnel along x = 950 joined to the road y = 0 at (950, 0); without the rule, (900, 875) would take (950, 875): 95 + 87.5 s
    const roads = [
      { highway: 'residential', xy: [[-1000, 0], [0, 0], [950, 0], [1000, 0]] },
      fixture.roads[1],
      { highway: 'residential', tunnel: 'yes', xy: [[950, -1000], [950, 0], [950, 1000]] },
    ];
    const graph = graphFromRoads(roads);
    const r = evaluatePlace({ ...input, network: { graph, seconds: fixtureSeconds(graph, fixture.speedsMps) } });
    expect(r.stations[0].worstEdgeSeconds).toBeCloseTo(90, 0);
    expect(r.stations[0].noRoadAccessM).toBeCloseTo(4800, -1);
  });
});

describe('a station far off the network', () => {
  const { fixture, input } = loadFixture('grid-pass');
  const at = (xy: [number, number]) => evaluatePlace(worldInput('far', { ...fixture, stations: fixture.stations.map((s) => ({ ...s, xy })) }, input.standard));
  it('450 m from the nearest road (within the 500 m limit): computed from that road and flagged', () => {
    // grid-pass, with station A moved from the centre crossing to (500 m, 450 m): 450 m from the road y = 0.
    const report = at([500, 450]);
    const a = report.stations[0];
    expect(a.stationSnapM).toBeCloseTo(450, 0);
    expect(a.worstEdgeSeconds).not.toBeNull();
    expect(a.reasons.some((r) => r.code === 'station-no-road')).toBe(false);
    expect(report.issues.find((i) => i.code === 'station-far')?.en).toMatch(/: 450 m from the nearest road \(over 50 m\); computed from that road$/);
  });
  it('600 m from any road: off the network — fail with the distance named and no time', () => {
    // (500 m, 1600 m): 600 m north of the grid's top road y = 1000.
    const a = at([500, 1600]).stations[0];
    expect(a.verdict).toBe('fail');
    expect(a.stationSnapM).toBeCloseTo(600, 0);
    expect([a.worstEdgeSeconds, a.worstResponseSeconds, a.shareWithinLimit]).toEqual([null, null, null]);
    expect(a.reasons.map((r) => r.en)).toEqual(['off the road network: the station is 600 m from the nearest usable road (over 500 m); no travel time']);
  });
});
