import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MessageChannel, type MessagePort } from 'node:worker_threads';
import { expose, type Endpoint } from 'comlink';
import type { FeatureCollection } from 'geojson';
import { createPlannerApi } from '../worker/api';
import { createPlannerClient, type PlannerClient, type WorkerLike } from '../worker/client';
import { setPlannerClient } from '../data/planner';
import { placeGraphBytes, placeJson } from '../../tests/support/place';
import { initialState, useStore } from './index';
import { applyProfile, editsOf, defaultJson } from './profile';
import { ensureBaseline, ensureCompare } from './scenarioAnalysis';
import { selectSettingsKey, verdictKeyOf } from './verdictKey';
import { evaluateRequestFor, runCompliance } from './compliance';
import { selectRoutingStations } from './selectors';

/** The worker client on an in-process API behind a message channel, counting the scenario analyses sent. */
function inProcessClient(): { client: PlannerClient; analyses: string[]; live: number[] } {
  const { port1, port2 } = new MessageChannel();
  expose(createPlannerApi(), port1 as unknown as Endpoint);
  const w = Object.assign(port2 as unknown as WorkerLike, { terminate: () => { (port1 as MessagePort).close(); (port2 as MessagePort).close(); } });
  const inner = createPlannerClient({ createWorker: () => w });
  const analyses: string[] = [];
  const live: number[] = [];
  const client: PlannerClient = {
    ...inner,
    get restarts() { return inner.restarts; },
    analyse: (req, slot) => { analyses.push(slot); return inner.analyse(req, slot); },
    evaluate: (req) => { live.push(req.stations.length); return inner.evaluate(req); },
  };
  return { client, analyses, live };
}

const fc = (file: string) => placeJson('nanshan', file) as FeatureCollection;
const get = () => useStore.getState();
const worst = () => get().baseline?.report?.stations.map((s) => s.worstEdgeSeconds ?? NaN) ?? [];

describe('before / after and compare follow the verdict key', () => {
  const env = inProcessClient();
  beforeAll(async () => {
    setPlannerClient(env.client);
    const info = await env.client.loadGraph('nanshan', placeGraphBytes('nanshan'));
    useStore.setState({
      ...initialState(), placeId: 'nanshan',
      placeData: { boundary: fc('boundary.geojson'), districts: fc('districts.geojson'), facilities: fc('facilities.geojson'), plan: fc('plan.geojson'), water: fc('water.geojson') },
      network: { placeId: 'nanshan', status: 'ready', source: 'embedded', info },
    });
  });
  afterAll(() => {
    env.client.terminate();
    setPlannerClient(null);
  });

  it('computes the baseline once per key, and again after a speed-profile edit (slower: longer worst times)', async () => {
    await ensureBaseline();
    const first = get().baseline!;
    expect(first.busy).toBe(false);
    expect(first.error).toBeUndefined();
    expect(first.report!.summary.total).toBeGreaterThan(0);
    const before = worst();
    expect(before.every((t) => t > 0)).toBe(true);
    expect(env.analyses).toEqual(['baseline']);

    await ensureBaseline(); // nothing changed: same key, no new analysis
    expect(env.analyses).toEqual(['baseline']);

    const settings = selectSettingsKey(get());
    const e = editsOf(defaultJson());
    const slow = { ...e, speeds: Object.fromEntries(Object.entries(e.speeds).map(([k, v]) => [k, v / 2])) as typeof e.speeds };
    expect(await applyProfile(slow)).toEqual([]);
    expect(get().profileJson).not.toBeNull();
    expect(selectSettingsKey(get())).not.toBe(settings);

    await ensureBaseline();
    expect(env.analyses).toEqual(['baseline', 'baseline']);
    expect(get().baseline!.key).not.toBe(first.key);
    const after = worst();
    expect(after).toHaveLength(before.length);
    after.forEach((t, i) => expect(t).toBeGreaterThan(before[i]));

    // back to the default profile: the first key and the first report again
    expect(await applyProfile(null)).toEqual([]);
    await ensureBaseline();
    expect(get().baseline!.key).toBe(first.key);
    expect(worst()).toEqual(before);
  });

  it('peak changes the key too', () => {
    const s = get();
    const stations = selectRoutingStations(s);
    expect(verdictKeyOf({ ...s, peak: true }, stations, { coverage: true })).not.toBe(verdictKeyOf(s, stations, { coverage: true }));
    expect(verdictKeyOf(s, stations.slice(1), { coverage: true })).not.toBe(verdictKeyOf(s, stations, { coverage: true }));
  });

  it('the live check skips a request whose key it already holds; the comparison computes both sides', async () => {
    const n = env.live.length;
    await runCompliance();
    expect(env.live.length).toBe(n + 1);
    const report = get().compliance.report!;
    expect(report.summary.total).toBe(evaluateRequestFor(get(), selectRoutingStations(get()), true)!.stations.length);
    await runCompliance();
    expect(env.live.length).toBe(n + 1);
    expect(get().compliance.report).toBe(report);

    useStore.setState({ compareScn: { ...get().compareScn, aId: 'published', bId: 'published' } });
    await ensureCompare();
    const { a, b } = get().compareScn;
    expect(a?.report?.summary).toEqual(b?.report?.summary);
    expect(a?.key).toBe(b?.key);
    expect(env.analyses.filter((x) => x.startsWith('compare'))).toEqual(['compare-a', 'compare-b']);
  });
});
