/**
 * The per-place evaluator: results equal the one-shot evaluatePlace; after a site moves, the incremental result
 * equals a fresh evaluation while only some stations are recomputed; the worker's cache reuses evaluators.
 */
import { describe, expect, it } from 'vitest';
import type { FeatureCollection } from 'geojson';
import type { AreaGeometry, Station } from '../types';
import { placeJson, placeRouter, readJson } from '../../../tests/support/place';
import { unionAll } from './districts';
import { placeBarriers } from './barriers';
import { evaluatePlace } from './evaluate';
import { createEvaluator } from './evaluator';
import { EvaluatorCache, fingerprint } from './cache';
import { fromRouter } from './network';
import { parseStandard } from './standards';

const json = (file: string) => placeJson('monaco', file) as FeatureCollection;

describe('fingerprint', () => {
  it('tells different inputs apart and matches equal ones', () => {
    const a = { mode: 'auto', area: [[7.41, 43.72], [7.42, 43.73]] };
    expect(fingerprint(a)).toBe(fingerprint(structuredClone(a)));
    expect(fingerprint(a)).not.toBe(fingerprint({ mode: 'auto', area: [[7.41, 43.72], [7.42, 43.7300001]] }));
    expect(fingerprint({ x: 1 })).not.toBe(fingerprint({ x: '1' }));
    expect(fingerprint([1, [2]])).not.toBe(fingerprint([[1], 2]));
  });
});

describe('evaluator on Monaco (real OSM network)', () => {
  const router = placeRouter('monaco');
  const stations = json('facilities.geojson').features.filter((f) => f.properties?.kind === 'station').map((f) => f.properties as Station);
  const area = unionAll(json('boundary.geojson').features.map((f) => f.geometry as AreaGeometry))!;
  const stdJson = readJson('geodata/standards/jianbiao152-2017.json');
  const standard = parseStandard(stdJson);
  const base = { placeId: 'monaco', planningArea: area, districts: { mode: 'auto' as const }, network: fromRouter(router), standard, barriers: placeBarriers(json('water.geojson'), json('rail.geojson')) };
  // A made-up site (example) between the two real stations, to be dragged around.
  const site: Station = { id: 'example-site', name: '示例站点', stationClass: '二级', status: 'planned', position: 'user', example: true, source: 'test', lon: 7.4195, lat: 43.7338 };

  it('gives the one-shot result (coverage off) and keeps results when called again', () => {
    const ev = createEvaluator(base);
    const a = ev.evaluate(stations);
    expect(a).toEqual(evaluatePlace({ ...base, stations, options: { coverage: false } }));
    expect(ev.evaluate(stations)).toEqual(a);
    expect(ev.recomputed).toEqual([]);
  });

  it('after a site moves ~200 m: equals a fresh evaluation, recomputing only the affected stations', () => {
    const ev = createEvaluator(base);
    ev.evaluate([...stations, site]);
    const moved = { ...site, lon: site.lon + 0.0025 };
    const inc = ev.evaluate([...stations, moved]);
    expect(ev.recomputed).toContain('example-site');
    expect(ev.recomputed.length).toBeLessThan(stations.length + 1);
    expect(inc).toEqual(createEvaluator(base).evaluate([...stations, moved]));
    // Moving it back gives the first answer again.
    expect(ev.evaluate([...stations, site])).toEqual(createEvaluator(base).evaluate([...stations, site]));
  });

  it('EvaluatorCache reuses one evaluator per place + standard + districts and honours options.coverage', () => {
    const cache = new EvaluatorCache();
    const req = { placeId: 'monaco', planningArea: area, districts: { mode: 'auto' as const }, standard: stdJson, stations };
    const r1 = cache.evaluate(req, router);
    const r2 = cache.evaluate({ ...structuredClone(req), stations: [...stations, site] }, router);
    expect(cache.built).toBe(1);
    expect(r1.stations.every((s) => s.coverage === null)).toBe(true);
    expect(r2.stations).toHaveLength(stations.length + 1);
    const r3 = cache.evaluate({ ...req, districts: { mode: 'auto', cellM: 100 }, options: { coverage: true } }, router);
    expect(cache.built).toBe(2);
    expect(r3.stations.some((s) => s.coverage !== null)).toBe(true);
    expect(cache.evaluate({ ...req, overrides: { travelLimitS: 300 } }, router).settings.travelLimitS).toBe(300);
    expect(cache.built).toBe(3);
  });
});
