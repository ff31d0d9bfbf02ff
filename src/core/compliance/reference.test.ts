/**
 * The evaluator's shortcuts (edge times taken from the multi-source run, station runs grown only as far as the
 * edge needs, shape points contracted) must not change any result: the full report equals the reference mode's
 * (every station's run over its whole network, every edge time from it) on the real samples.
 */
import { describe, expect, it } from 'vitest';
import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { decodeGraph } from '../graph';
import { parseProfile } from '../profile';
import { Router } from '../router';
import type { AreaCollection, AreaGeometry, Station } from '../types';
import { unionAll } from './districts';
import { placeBarriers } from './barriers';
import { createEvaluator } from './evaluator';
import type { DistrictsInput } from './input';
import { fromRouter } from './network';
import { parseStandard } from './standards';

const root = resolve(__dirname, '../../..');
const json = (p: string) => JSON.parse(readFileSync(resolve(root, p), 'utf8'));
const profile = parseProfile(json('geodata/profiles/fire-engine.json'));
const standard = parseStandard(json('geodata/standards/jianbiao152-2017.json'));

function place(id: string) {
  const buf = readFileSync(resolve(root, 'public/data', id, 'graph.bin'));
  const router = new Router(decodeGraph(buf.buffer.slice(buf.byteOffset, buf.byteOffset + buf.byteLength) as ArrayBuffer), profile);
  const file = ['plan.geojson', 'facilities.geojson'].map((f) => resolve(root, 'public/data', id, f)).find((f) => existsSync(f) && JSON.parse(readFileSync(f, 'utf8')).features.some((x: { properties: { kind: string } }) => x.properties.kind === 'station'))!;
  const stations: Station[] = JSON.parse(readFileSync(file, 'utf8')).features
    .filter((f: { properties: { kind: string } }) => f.properties.kind === 'station')
    .map((f: { properties: Station; geometry: { coordinates: number[] } }) => ({ ...f.properties, lon: f.geometry.coordinates[0], lat: f.geometry.coordinates[1] }));
  const area = unionAll(json(`public/data/${id}/boundary.geojson`).features.map((f: { geometry: AreaGeometry }) => f.geometry))!;
  const optional = (f: string) => (existsSync(resolve(root, 'public/data', id, f)) ? json(`public/data/${id}/${f}`) : null);
  // As the app and the CLI: water and surface railways.
  const barriers = placeBarriers(optional('water.geojson'), optional('rail.geojson'));
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
    const towns = json('public/data/monaco/districts.geojson') as AreaCollection;
    expect(p.report({ mode: 'towns', towns }, false, true)).toEqual(p.report({ mode: 'towns', towns }, true, true));
  });
});
