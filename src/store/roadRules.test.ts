import { afterEach, describe, expect, it } from 'vitest';
import type { Feature, FeatureCollection } from 'geojson';
import type { PlaceReport, StationReport } from '../core/compliance/report';
import type { EvaluateRequest } from '../worker/protocol';
import { setPlannerClient, type PlannerClient } from '../data/planner';
import { initialState, useStore } from './index';
import { vehicleDiff } from '../core/compliance/vehicleDiff';
import { chooseVehicle, currentBase, DEFAULT_VEHICLE_ID, editVehicle, figuresOfInfo, initVehicleEdits, loadSavedVehicleEdits, selectVehicleId, vehicleChoices, vehicleLabel, vehicleOf, VEHICLES } from './roadRules';
import { selectLiveKey } from './verdictKey';
import type { VehicleFigures } from '../core/roadRules';
import { runCompliance } from './compliance';

const station = (id: string, verdict: StationReport['verdict'], worst: number | null, share: number | null = 1, unreachable = 0): StationReport =>
  ({ id, name: `站${id}`, nameEn: `S${id}`, verdict, worstResponseSeconds: worst, shareWithinLimit: share, unreachableEdgePoints: unreachable } as StationReport);
const report = (stations: StationReport[]): PlaceReport => ({ stations } as PlaceReport);

describe('vehicleDiff: what changes against the default vehicle, by station id', () => {
  it('counts verdict and worst-time changes and keeps unchanged stations out', () => {
    const base = report([station('a', 'pass', 280), station('b', 'pass', 250), station('c', 'fail', 400), station('gone', 'pass', 100)]);
    const now = report([station('a', 'fail', 310), station('b', 'pass', 250.4), station('c', 'fail', 460), station('new', 'no-district', null)]);
    const d = vehicleDiff(base, now);
    expect(d.changes.map((c) => c.id)).toEqual(['a', 'c', 'new', 'gone']);
    expect(d.verdicts).toBe(3); // a pass→fail, new (none→no-district), gone (pass→none)
    expect(d.times).toBe(3); // a +30 s, c +60 s, gone reached only before; new has no time on either side; b (+0.4 s) is no change
    expect(d.changes[0]).toMatchObject({ before: { verdict: 'pass', worstS: 280 }, after: { verdict: 'fail', worstS: 310 }, verdictChanged: true, timeChanged: true });
    expect(d.changes[1]).toMatchObject({ verdictChanged: false, timeChanged: true });
  });

  it('is empty for the same report', () => {
    const r = report([station('a', 'pass', 280), station('b', 'fail', null)]);
    expect(vehicleDiff(r, r)).toEqual({ changes: [], verdicts: 0, times: 0, edges: 0 });
  });

  it('names a station that keeps its verdict and worst time but loses edge points to the vehicle (a pocket under a height limit)', () => {
    const base = report([station('a', 'fail', 320, 0.95, 0)]);
    const now = report([station('a', 'fail', 320, 0.9, 12)]);
    const d = vehicleDiff(base, now);
    expect([d.verdicts, d.times, d.edges]).toEqual([0, 0, 1]);
    expect(d.changes[0]).toMatchObject({ id: 'a', edgeChanged: true, before: { share: 0.95, unreachable: 0 }, after: { share: 0.9, unreachable: 12 } });
  });
});

/** A fake worker client: the worst time of station 'a' depends on the vehicle set (the ladder truck is slower). */
function fakeClient() {
  const calls: string[] = [];
  const cur = { vehicle: DEFAULT_VEHICLE_ID };
  const evaluate = async (req: EvaluateRequest): Promise<PlaceReport> => {
    calls.push(`evaluate:${cur.vehicle}`);
    const slow = cur.vehicle !== DEFAULT_VEHICLE_ID;
    return report(req.stations.map((s) => station(s.id, slow && s.id === 'a' ? 'fail' : 'pass', slow && s.id === 'a' ? 330 : 270)));
  };
  const client = {
    setVehicle: async (id: string) => {
      if (!VEHICLES.some((v) => v.id === id)) throw { code: 'unknown-vehicle', zh: `未知车辆 ${id}`, en: `unknown vehicle ${id}` };
      calls.push(`setVehicle:${id}`);
      cur.vehicle = id;
    },
    evaluate,
    analyse: async (req: EvaluateRequest) => { calls.push('analyse'); return evaluate(req); },
    roadRules: async () => { throw { code: 'no-graph', zh: '无路网', en: 'no graph' }; },
  } as unknown as PlannerClient;
  return { client, calls, cur };
}

const pt = (id: string, lon: number): Feature => ({
  type: 'Feature', geometry: { type: 'Point', coordinates: [lon, 22.05] },
  properties: { kind: 'station', id, name: id, stationClass: '一级', status: 'existing', position: 'from-data', source: 't' },
});
const fc = (features: Feature[]): FeatureCollection => ({ type: 'FeatureCollection', features });
const boundary = fc([{ type: 'Feature', geometry: { type: 'Polygon', coordinates: [[[112, 22], [112.2, 22], [112.2, 22.1], [112, 22.1], [112, 22]]] }, properties: {} }]);

describe('choosing a vehicle in the store', () => {
  afterEach(() => {
    setPlannerClient(null);
    useStore.setState(initialState());
  });

  it('sends it to the worker, re-runs the live check and keeps the default vehicle report to compare with', async () => {
    const { client, calls } = fakeClient();
    setPlannerClient(client);
    useStore.setState({ ...initialState(), placeId: 'p', placeData: { boundary, facilities: fc([pt('a', 112.05), pt('b', 112.15)]) } });
    await runCompliance();
    expect(useStore.getState().vehicleBase?.report.stations.map((s) => s.verdict)).toEqual(['pass', 'pass']);

    await chooseVehicle('aerial-platform');
    const s = useStore.getState();
    expect(selectVehicleId(s)).toBe('aerial-platform');
    expect(s.vehicleBusy).toBe(false);
    expect(calls).toEqual(['evaluate:water-tender', 'setVehicle:aerial-platform', 'evaluate:aerial-platform']);
    expect(s.compliance.report?.stations.map((x) => x.verdict)).toEqual(['fail', 'pass']);
    const base = currentBase(s);
    expect(base).toBeDefined();
    const d = vehicleDiff(base!, s.compliance.report!);
    expect(d).toMatchObject({ verdicts: 1, times: 1 });
    expect(d.changes[0]).toMatchObject({ id: 'a', before: { verdict: 'pass', worstS: 270 }, after: { verdict: 'fail', worstS: 330 } });

    await chooseVehicle(DEFAULT_VEHICLE_ID);
    expect(useStore.getState().vehicleId).toBeNull();
    expect(useStore.getState().compliance.report?.stations.map((x) => x.verdict)).toEqual(['pass', 'pass']);
  });

  it('computes the default report first when there is none for these stations, and reports an unknown vehicle', async () => {
    const { client, calls, cur } = fakeClient();
    setPlannerClient(client);
    useStore.setState({ ...initialState(), placeId: 'p', placeData: { boundary, facilities: fc([pt('a', 112.05)]) } });
    await chooseVehicle('aerial-platform');
    // The default report first (worker and store still on the default vehicle), then the switch and the live check.
    expect(calls).toEqual(['analyse', 'evaluate:water-tender', 'setVehicle:aerial-platform', 'evaluate:aerial-platform']);
    expect(cur.vehicle).toBe('aerial-platform');
    expect(currentBase(useStore.getState())?.stations[0]).toMatchObject({ verdict: 'pass', worstResponseSeconds: 270 });

    await chooseVehicle('hovercraft');
    expect(useStore.getState().vehicleError).toMatchObject({ code: 'unknown-vehicle' });
    expect(selectVehicleId(useStore.getState())).toBe('aerial-platform');
  });
});

describe("editing a vehicle's figures in the store", () => {
  const stored = new Map<string, string>();
  const storage = { getItem: (k: string) => stored.get(k) ?? null, setItem: (k: string, v: string) => void stored.set(k, v), removeItem: (k: string) => void stored.delete(k) };
  afterEach(() => {
    setPlannerClient(null);
    useStore.setState(initialState());
    stored.clear();
    delete (globalThis as { localStorage?: unknown }).localStorage;
  });

  /** A fake worker: station 'a' fails once the tender is taller than 4.3 m (a height limit on its way). */
  function heightClient() {
    const calls: string[] = [];
    const cur = { id: DEFAULT_VEHICLE_ID, heightM: 3.4 };
    const client = {
      setVehicle: async (id: string, f?: VehicleFigures | null) => {
        calls.push(`setVehicle:${id}:${f ? f.heightM : 'file'}`);
        Object.assign(cur, { id, heightM: f?.heightM ?? VEHICLES.find((v) => v.id === id)!.heightM });
      },
      evaluate: async (req: EvaluateRequest): Promise<PlaceReport> => {
        calls.push(`evaluate:${cur.heightM}`);
        return report(req.stations.map((x) => station(x.id, x.id === 'a' && cur.heightM > 4.3 ? 'fail' : 'pass', x.id === 'a' && cur.heightM > 4.3 ? 330 : 270)));
      },
      analyse: async (req: EvaluateRequest) => (client as unknown as { evaluate: (r: EvaluateRequest) => Promise<PlaceReport> }).evaluate(req),
      roadRules: async () => { throw { code: 'no-graph', zh: '无路网', en: 'no graph' }; },
    } as unknown as PlannerClient;
    return { client, calls };
  }

  it('a new height changes the verdict key, goes to the worker and re-runs the check; the name says edited; reset goes back', async () => {
    (globalThis as { localStorage?: unknown }).localStorage = storage;
    const { client, calls } = heightClient();
    setPlannerClient(client);
    useStore.setState({ ...initialState(), placeId: 'p', placeData: { boundary, facilities: fc([pt('a', 112.05), pt('b', 112.15)]) } });
    await runCompliance();
    const key0 = selectLiveKey(useStore.getState());
    expect(useStore.getState().compliance.report?.stations.map((x) => x.verdict)).toEqual(['pass', 'pass']);

    const tender = figuresOfInfo(VEHICLES[0]);
    expect(await editVehicle(DEFAULT_VEHICLE_ID, { ...tender, heightM: 4.4 })).toEqual([]);
    const s = useStore.getState();
    expect(selectLiveKey(s)).not.toBe(key0);
    expect(calls).toEqual(['evaluate:3.4', 'setVehicle:water-tender:4.4', 'evaluate:4.4']);
    expect(s.compliance.report?.stations.map((x) => x.verdict)).toEqual(['fail', 'pass']);
    expect(vehicleOf(DEFAULT_VEHICLE_ID, s)).toMatchObject({ heightM: 4.4, edited: true, name: '水罐消防车（已修改）', nameEn: expect.stringMatching(/ \(edited\)$/) });
    expect(vehicleLabel(vehicleChoices(s)[0], 'zh')).toBe('水罐消防车（已修改）（高 4.4 m · 宽 2.5 m · 18 t）');
    expect(vehicleOf('aerial-platform', s)?.edited).toBe(false);
    expect(loadSavedVehicleEdits()).toEqual({ [DEFAULT_VEHICLE_ID]: { ...tender, heightM: 4.4 } }); // kept in the browser

    // Bad figures: one problem per field, nothing applied.
    const issues = await editVehicle(DEFAULT_VEHICLE_ID, { ...tender, heightM: 9, widthM: 0 });
    expect(issues.map((i) => i.key)).toEqual(['heightM', 'widthM']);
    expect(issues[0].en).toBe('height must be between 1 and 6 m (got 9 m)');
    expect(calls).toHaveLength(3);

    // Reset: the file's figures, the first key and verdicts again, nothing kept.
    expect(await editVehicle(DEFAULT_VEHICLE_ID, null)).toEqual([]);
    expect(selectLiveKey(useStore.getState())).toBe(key0);
    expect(calls.slice(3)).toEqual(['setVehicle:water-tender:file', 'evaluate:3.4']);
    expect(useStore.getState().compliance.report?.stations.map((x) => x.verdict)).toEqual(['pass', 'pass']);
    expect(vehicleOf(DEFAULT_VEHICLE_ID)?.edited).toBe(false);
    expect(stored.size).toBe(0);
  });

  it('editing a vehicle not in use only keeps its figures; choosing it sends them', async () => {
    const { client, calls } = heightClient();
    setPlannerClient(client);
    useStore.setState({ ...initialState(), placeId: 'p', placeData: { boundary, facilities: fc([pt('a', 112.05)]) } });
    const ladder = figuresOfInfo(VEHICLES[1]);
    await editVehicle('aerial-platform', { ...ladder, heightM: 4.2 });
    expect(calls).toEqual([]);
    await chooseVehicle('aerial-platform');
    expect(calls).toEqual(['evaluate:3.4', 'setVehicle:aerial-platform:4.2', 'evaluate:4.2']); // the default's base report, the switch, the check
    expect(useStore.getState().compliance.report?.stations[0].verdict).toBe('pass');
    await editVehicle('aerial-platform', { ...ladder, heightM: 4.5 });
    expect(calls.slice(3)).toEqual(['setVehicle:aerial-platform:4.5', 'evaluate:4.5']);
    expect(useStore.getState().compliance.report?.stations[0]).toMatchObject({ verdict: 'fail', worstResponseSeconds: 330 });
  });

  it('at start-up the saved figures come back (invalid entries and unknown vehicles dropped) and the edited default vehicle goes to the worker', async () => {
    (globalThis as { localStorage?: unknown }).localStorage = storage;
    const tender = figuresOfInfo(VEHICLES[0]);
    stored.set('planner.vehicles.v1', JSON.stringify({ 'water-tender': { ...tender, heightM: 2.2 }, 'aerial-platform': { ...tender, heightM: 99 }, hovercraft: tender }));
    const { client, calls } = heightClient();
    setPlannerClient(client);
    await initVehicleEdits();
    expect(useStore.getState().vehicleEdits).toEqual({ 'water-tender': { ...tender, heightM: 2.2 } });
    expect(calls).toEqual(['setVehicle:water-tender:2.2']);
  });
});

