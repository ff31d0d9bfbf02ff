import { afterEach, describe, expect, it } from 'vitest';
import type { Feature, FeatureCollection } from 'geojson';
import type { PlaceReport, StationReport } from '../core/compliance/report';
import type { EvaluateRequest } from '../worker/protocol';
import { setPlannerClient, type PlannerClient } from '../data/planner';
import { initialState, useStore } from './index';
import { vehicleDiff } from './vehicleDiff';
import { chooseVehicle, currentBase, DEFAULT_VEHICLE_ID, selectVehicleId, VEHICLES } from './roadRules';
import { runCompliance } from './compliance';

const station = (id: string, verdict: StationReport['verdict'], worst: number | null): StationReport =>
  ({ id, name: `站${id}`, nameEn: `S${id}`, verdict, worstResponseSeconds: worst } as StationReport);
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
    expect(vehicleDiff(r, r)).toEqual({ changes: [], verdicts: 0, times: 0 });
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
