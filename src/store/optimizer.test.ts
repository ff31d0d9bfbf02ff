import { beforeEach, describe, expect, it } from 'vitest';
import type { Feature, FeatureCollection } from 'geojson';
import { initialState, useStore } from './index';
import { duplicateActive, initScenario, redoScenario, switchScenario, undoScenario } from './scenario';
import { PUBLISHED_ID } from './scenario';
import { addedRanks, addSuggestions, cancelOptimizer, newRunId, optimizeRequestFor, resetOptimizer, runOptimizer, selectSuggestedSites, setOptimizerSettings, suggestionId } from './optimizer';
import { setPlannerClient } from '../data/planner';
import type { PlannerClient, Stale } from '../worker/client';
import type { OptimizeProgress, OptimizeRequest, OptimizeResult } from '../worker/optimizeProtocol';
import { parseCandidateList, parseDemandList } from '../data/candidateList';
import { useWaterNotice } from './water';

const st = (id: string, status: 'existing' | 'planned', lon: number): Feature => ({
  type: 'Feature', geometry: { type: 'Point', coordinates: [lon, 22] },
  properties: { kind: 'station', id, name: id, stationClass: '一级', status, position: 'approximate', source: 'test' },
});
const fc = (features: Feature[]): FeatureCollection => ({ type: 'FeatureCollection', features });
const boundary = fc([{ type: 'Feature', properties: {}, geometry: { type: 'Polygon', coordinates: [[[111.9, 21.9], [112.4, 21.9], [112.4, 22.2], [111.9, 22.2], [111.9, 21.9]]] } }]);
const data = { facilities: fc([st('e1', 'existing', 112)]), plan: fc([st('p1', 'planned', 112.1), st('p2', 'planned', 112.2)]), boundary };
const S = () => useStore.getState();

const result = (runId: string): OptimizeResult => ({
  runId, placeId: 'p', model: 'mclp', minutes: 4, mode: 'network',
  demand: { points: 10, total: 10, unit: 'km', uncoverable: 1, coveredByFixed: 4 }, candidates: 5,
  sites: [1, 2, 3].map((rank) => ({ rank, candidateId: `c${rank}`, lon: 112 + rank / 100, lat: 22.05, gain: 4 - rank, shareAfter: 0.5 })),
  curve: [{ k: 0, covered: 4, share: 0.4 }], exact: { status: 'not-run' }, seconds: 0.1, warnings: [],
});

/** A client whose optimize calls wait until released (the rest is never called here). */
function fakeClient() {
  const calls: { req: OptimizeRequest; onProgress?: (p: OptimizeProgress) => void; resolve: (v: OptimizeResult | Stale) => void }[] = [];
  const state = { cancelled: 0 };
  const client = {
    optimize: (req: OptimizeRequest, onProgress?: (p: OptimizeProgress) => void) => new Promise<OptimizeResult | Stale>((resolve) => calls.push({ req, onProgress, resolve })),
    cancelOptimize: () => { state.cancelled++; const c = calls[calls.length - 1]; c?.resolve({ stale: true }); },
  } as unknown as PlannerClient;
  return { client, calls, state };
}

const tick = () => new Promise((r) => setTimeout(r, 0));

beforeEach(async () => {
  useStore.setState({ ...initialState(), placeId: 'p', placeData: data, places: [] }, false);
  await initScenario('p', data);
});

describe('optimizer store', () => {
  it('builds the worker request from the panel: existing fixed, the plan freed and compared (or all fixed)', () => {
    setOptimizerSettings({ k: 2, minutes: 3.5, spacingM: 300 });
    const r = optimizeRequestFor(S(), 'r1')!;
    expect(r).toMatchObject({ runId: 'r1', placeId: 'p', model: 'mclp', k: 2, minutes: 3.5, candidates: { kind: 'thinned', spacingM: 300 }, weight: 'length', curveMaxK: 10 });
    expect(r.fixed.map((x) => x.id)).toEqual(['e1']);
    expect(r.planned.map((x) => x.id)).toEqual(['p1', 'p2']);
    expect(r.boundary).toHaveLength(1);
    expect(r.straightLine).toEqual({ speedKmh: 30, curvature: 1.4 });
    expect(r.demandPoints).toBeUndefined();
    S().set({ optimizer: { ...S().optimizer, demandList: { fileName: 'p.csv', points: [{ lon: 112, lat: 22, weight: 5 }] } } });
    setOptimizerSettings({ demand: 'file' });
    expect(optimizeRequestFor(S(), 'r3')!.demandPoints).toEqual([{ lon: 112, lat: 22, weight: 5 }]);
    S().set({ placeData: { ...data, districts: fc([{ type: 'Feature', properties: { name: 'D1' }, geometry: boundary.features[0].geometry }]) } });
    setOptimizerSettings({ candidates: 'areas', areaIds: [0] });
    expect(optimizeRequestFor(S(), 'r4')!.candidates).toEqual({ kind: 'areas', spacingM: 300, areas: [boundary.features[0].geometry] });
    setOptimizerSettings({ candidates: 'thinned' });
    setOptimizerSettings({ fixed: 'all', model: 'lscp' });
    const all = optimizeRequestFor(S(), 'r2')!;
    expect(all.fixed.map((x) => x.id)).toEqual(['e1', 'p1', 'p2']);
    expect(all.planned).toEqual([]);
    expect(all.model).toBe('lscp');
  });

  it('adding all suggestions is one undo step; the map marks added sites hollow', () => {
    S().set({ optimizer: { ...S().optimizer, status: 'done', result: result('opt-9') } });
    expect(selectSuggestedSites(S()).features.map((f) => f.properties?.added)).toEqual([false, false, false]);
    addSuggestions(result('opt-9').sites);
    const proposed = () => S().scenario!.present.stations.filter((x) => x.status === 'proposed');
    expect(proposed().map((x) => [x.name, x.nameEn])).toEqual([['建议 1', 'Suggested 1'], ['建议 2', 'Suggested 2'], ['建议 3', 'Suggested 3']]);
    expect([...addedRanks(S())]).toEqual([1, 2, 3]);
    expect(selectSuggestedSites(S()).features.map((f) => f.properties?.added)).toEqual([true, true, true]);
    undoScenario();
    expect(proposed()).toEqual([]);
    expect(addedRanks(S()).size).toBe(0);
    redoScenario();
    expect(proposed()).toHaveLength(3);
    // adding one more time is refused per station (same id): nothing is doubled
    addSuggestions(result('opt-9').sites.slice(0, 1));
    expect(proposed()).toHaveLength(3);
  });

  it('suggestions in water are not added: the refusal names each with its water, the others are added (issue #11)', () => {
    // suggestion 2 (112.02, 22.05) lies in a river area, suggestion 3 (112.03, 22.05) in the sea; 1 (112.01) is on land
    const box = (x: number, name: string, kind: string) => ({ type: 'Feature' as const, properties: { kind, name },
      geometry: { type: 'Polygon' as const, coordinates: [[[x - 0.004, 22.04], [x + 0.004, 22.04], [x + 0.004, 22.06], [x - 0.004, 22.06], [x - 0.004, 22.04]]] } });
    const water = fc([box(112.02, '那龙河', 'riverbank'), box(112.03, '', 'sea')]);
    S().set({ placeData: { ...data, water }, optimizer: { ...S().optimizer, status: 'done', result: result('opt-7') } });
    useWaterNotice.setState({ refusal: null });
    const proposed = () => S().scenario!.present.stations.filter((x) => x.status === 'proposed');
    addSuggestions(result('opt-7').sites);
    expect(proposed().map((x) => x.name)).toEqual(['建议 1']);
    const r = useWaterNotice.getState().refusal!;
    expect(r.code).toBe('site-in-water');
    expect(r.zh).toBe('站点位于水域内，不能设站，未加入：建议 2（那龙河）、建议 3（海域）；其余 1 个已加入');
    expect(r.en).toBe('The site is in water; a station cannot stand there. Not added: Suggested 2 (那龙河), Suggested 3 (the sea). The other one was added');
    expect([...addedRanks(S())]).toEqual([1]);
    // only water suggestions: the scenario is left exactly as it was
    const before = S().scenario;
    addSuggestions(result('opt-7').sites.slice(2));
    expect(S().scenario).toBe(before);
    expect(useWaterNotice.getState().refusal!.zh).toContain('未加入：建议 3（海域）；未作任何修改');
    // a fetched extract's water counts for its place (the place's own data has none here)
    S().set({ placeData: data, imported: { placeId: 'p', roads: fc([]), facilities: fc([]), water } });
    addSuggestions(result('opt-7').sites.slice(1, 2));
    expect(proposed()).toHaveLength(1);
    expect(useWaterNotice.getState().refusal!.zh).toContain('建议 2（那龙河）');
    // on land again: added, and the notice goes away
    S().set({ imported: null });
    addSuggestions(result('opt-7').sites.slice(1, 2));
    expect(proposed().map((x) => x.name)).toEqual(['建议 1', '建议 2']);
    expect(useWaterNotice.getState().refusal).toBeNull();
  });

  it('a newer run wins over a stale one; cancel leaves the state "cancelled" and drops the late answer', async () => {
    const f = fakeClient();
    setPlannerClient(f.client);
    const first = runOptimizer();
    await tick();
    const second = runOptimizer();
    await tick();
    expect(f.calls).toHaveLength(2);
    f.calls[0].onProgress?.({ runId: f.calls[0].req.runId, phase: 'matrix', done: 5, total: 10 });
    expect(S().optimizer.progress).toBeUndefined(); // the old run's progress is not shown
    f.calls[1].onProgress?.({ runId: f.calls[1].req.runId, phase: 'matrix', done: 3, total: 10 });
    expect(S().optimizer.progress?.done).toBe(3);
    f.calls[0].resolve(result(f.calls[0].req.runId));
    expect(await first).toBeNull();
    expect(S().optimizer.status).toBe('running');
    f.calls[1].resolve(result(f.calls[1].req.runId));
    expect((await second)?.runId).toBe(f.calls[1].req.runId);
    expect(S().optimizer.status).toBe('done');
    const third = runOptimizer();
    await tick();
    await cancelOptimizer();
    expect(f.state.cancelled).toBe(1);
    expect(await third).toBeNull();
    expect(S().optimizer.status).toBe('cancelled');
    expect(S().optimizer.result?.runId).toBe(f.calls[1].req.runId);
    setPlannerClient(null);
  });
});

describe('candidate list files', () => {
  it('reads CSV with lon / lat (or 经度 / 纬度) and GeoJSON points; refuses bad rows with their numbers', () => {
    expect(parseCandidateList('name,lon,lat\nA,113.9,22.5\nB,113.95,22.55\n', 'c.csv')).toEqual([
      { id: 'list-1', lon: 113.9, lat: 22.5, name: 'A' }, { id: 'list-2', lon: 113.95, lat: 22.55, name: 'B' }]);
    expect(parseCandidateList('经度,纬度\n113.9,22.5\n', 'c.csv')).toHaveLength(1);
    expect(() => parseCandidateList('lon,lat\n113.9,22.5\nx,22\n', 'c.csv')).toThrow(/row 3|第 3 行/);
    expect(() => parseCandidateList('a,b\n1,2\n', 'c.csv')).toThrow();
    const gj = JSON.stringify(fc([{ type: 'Feature', properties: { name: '候选' }, geometry: { type: 'Point', coordinates: [113.9, 22.5] } }]));
    expect(parseCandidateList(gj, 'c.geojson')).toEqual([{ id: 'list-1', lon: 113.9, lat: 22.5, name: '候选' }]);
    expect(() => parseCandidateList('{"type":"FeatureCollection","features":[]}', 'e.geojson')).toThrow();
  });

  it('demand files need a weight column; bad weights are refused with their rows', () => {
    expect(parseDemandList('lon,lat,population\n113.9,22.5,120\n113.91,22.5,0\n', 'pop.csv')).toEqual([{ lon: 113.9, lat: 22.5, weight: 120 }, { lon: 113.91, lat: 22.5, weight: 0 }]);
    expect(() => parseDemandList('lon,lat\n113.9,22.5\n', 'pop.csv')).toThrow(expect.objectContaining({ code: 'demand-no-weight' }));
    expect(() => parseDemandList('lon,lat,weight\n113.9,22.5,-3\n113.9,22.5,x\n', 'pop.csv')).toThrow(expect.objectContaining({ code: 'bad-points', en: expect.stringContaining('row 2, 3') }));
    const gj = JSON.stringify(fc([{ type: 'Feature', properties: { 人口: 35 }, geometry: { type: 'Point', coordinates: [113.9, 22.5] } }]));
    expect(parseDemandList(gj, 'p.geojson')).toEqual([{ lon: 113.9, lat: 22.5, weight: 35 }]);
    expect(() => parseDemandList(JSON.stringify(fc([{ type: 'Feature', properties: {}, geometry: { type: 'Point', coordinates: [113.9, 22.5] } }])), 'p.geojson')).toThrow(expect.objectContaining({ code: 'demand-no-weight' }));
  });
});

describe('optimizer store: the plan\'s own sites', () => {
  it('a chosen plan site is not added again', () => {
    const r = result('opt-7');
    r.sites[1] = { ...r.sites[1], planned: true, candidateId: 'p1' };
    S().set({ optimizer: { ...S().optimizer, status: 'done', result: r } });
    addSuggestions(r.sites);
    expect(S().scenario!.present.stations.filter((x) => x.status === 'proposed').map((x) => x.name)).toEqual(['建议 1', '建议 3']);
  });
});

describe('optimizer store: run ids, place and scenario switches (review of #12)', () => {
  it('run ids are unique across page loads (no counter from 0): an old session\'s suggestion does not block a new one', async () => {
    const f = fakeClient();
    setPlannerClient(f.client);
    const run = runOptimizer();
    await tick();
    const id = f.calls[0].req.runId;
    expect(id).not.toMatch(/^opt-\d+$/); // a per-load counter gave opt-1 every time
    expect(new Set(Array.from({ length: 50 }, newRunId)).size).toBe(50);
    // a scenario saved in an earlier session already holds that session's "opt-1" suggestions
    S().set({ optimizer: { ...S().optimizer, result: result('opt-1') } });
    addSuggestions(result('opt-1').sites.slice(0, 1));
    expect(S().scenario!.present.stations.map((x) => x.id)).toContain(suggestionId('opt-1', 1));
    f.calls[0].resolve(result(id));
    await run;
    addSuggestions(S().optimizer.result!.sites.slice(0, 1));
    expect(S().scenario!.present.stations.filter((x) => x.status === 'proposed').map((x) => x.id)).toEqual([suggestionId('opt-1', 1), suggestionId(id, 1)]);
    setPlannerClient(null);
  });

  it('a place switch (resetOptimizer) cancels the worker run in flight and drops its late answer', async () => {
    const f = fakeClient();
    setPlannerClient(f.client);
    const run = runOptimizer();
    await tick();
    resetOptimizer();
    await tick();
    expect(f.state.cancelled).toBe(1);
    expect(await run).toBeNull();
    expect(S().optimizer).toMatchObject({ status: 'idle', result: undefined, runId: undefined });
    resetOptimizer(); // nothing running: the worker is not asked again
    await tick();
    expect(f.state.cancelled).toBe(1);
    setPlannerClient(null);
  });

  it('switching scenarios forgets the result computed for the other one (no sites shown or added), and a run in flight', async () => {
    S().set({ optimizer: { ...S().optimizer, status: 'done', result: result('opt-a') } });
    expect(selectSuggestedSites(S()).features).toHaveLength(3);
    duplicateActive();
    expect(S().activeScenarioId).not.toBe(PUBLISHED_ID);
    expect(S().optimizer.result).toBeUndefined();
    expect(S().optimizer.status).toBe('idle');
    expect(selectSuggestedSites(S()).features).toHaveLength(0);
    addSuggestions(result('opt-a').sites);
    expect(S().scenario!.present.stations.filter((x) => x.status === 'proposed')).toEqual([]);
    const f = fakeClient();
    setPlannerClient(f.client);
    const run = runOptimizer();
    await tick();
    switchScenario(PUBLISHED_ID);
    await tick();
    expect(f.state.cancelled).toBe(1);
    expect(await run).toBeNull();
    expect(S().optimizer.result).toBeUndefined();
    setPlannerClient(null);
  });
});
