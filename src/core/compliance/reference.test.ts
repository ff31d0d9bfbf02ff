/**
 * The evaluator's shortcuts (edge times taken from the multi-source run, station runs grown only as far as the
 * edge needs, shape points contracted) must not change any result: the full report equals the reference mode's
 * (every station's run over its whole network, every edge time from it) on the real samples.
 */
import { describe, expect, it } from 'vitest';
import type { FeatureCollection } from 'geojson';
import type { AreaCollection, AreaGeometry } from '../types';
import { placeStations } from '../scenario';
import { placeJson, placeRouter, readJson } from '../../../tests/support/place';
import { unionAll } from './districts';
import { placeBarriers } from './barriers';
import { createEvaluator } from './evaluator';
import type { DistrictsInput } from './input';
import { fromRouter } from './network';
import { parseStandard } from './standards';

const standard = parseStandard(readJson('geodata/standards/jianbiao152-2017.json'));

function place(id: string) {
  const router = placeRouter(id);
  const fc = (f: string) => placeJson(id, f) as FeatureCollection | null;
  // The example sites where the place has a plan file (上海, 南山), else its real stations (Monaco).
  const planned = placeStations(fc('plan.geojson'));
  const stations = planned.length ? planned : placeStations(fc('facilities.geojson'));
  const area = unionAll(fc('boundary.geojson')!.features.map((f) => f.geometry as AreaGeometry))!;
  // As the app and the CLI: water and surface railways.
  const barriers = placeBarriers(fc('water.geojson'), fc('rail.geojson'));
  const report = (districts: DistrictsInput, referenceRuns: boolean, coverage = false) =>
    createEvaluator({ placeId: id, planningArea: area, districts, network: fromRouter(router), standard, barriers, options: { referenceRuns } })
      .evaluate(stations, { coverage });
  return { stations, report };
}

describe('evaluator shortcuts change nothing (reference mode: full single-source runs)', () => {
  it.each(['shanghai', 'nanshan', 'monaco'])('%s, automatic districts', (id) => {
    const p = place(id);
    expect(p.stations.length).toBeGreaterThanOrEqual(3);
    const fast = p.report({ mode: 'auto' }, false), ref = p.report({ mode: 'auto' }, true);
    expect(fast.stations.some((s) => s.worstEdgeSeconds !== null)).toBe(true);
    expect(fast).toEqual(ref);
  });

  it('monaco, town districts, with coverage', () => {
    const p = place('monaco');
    const towns = placeJson('monaco', 'districts.geojson') as AreaCollection;
    expect(p.report({ mode: 'towns', towns }, false, true)).toEqual(p.report({ mode: 'towns', towns }, true, true));
  });
});
