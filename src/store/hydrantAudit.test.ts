/**
 * The hydrant audit in the store (issue #13 review): what re-runs the audit (its key), the export's own queue, a
 * stale answer not leaving the panel busy, and "suggest N" dropping an answer for another place / scenario. The
 * worker is a fake client here (promises the test settles), so the store's own logic is what is tested.
 */
import { afterEach, describe, expect, it } from 'vitest';
import type { FeatureCollection } from 'geojson';
import { setPlannerClient, type PlannerClient } from '../data/planner';
import type { HydrantAuditRequest, HydrantAuditResult } from '../worker/protocol';
import { initialState, useStore, type HydrantInventory, type PlannerState } from './index';
import { auditKey, exportAudit, runHydrantAudit, suggestHydrants } from './hydrantAudit';

const facilities: FeatureCollection = {
  type: 'FeatureCollection',
  features: [
    { type: 'Feature', properties: { id: 'st1', kind: 'station', status: 'existing', stationClass: 'standard', name: '一站' }, geometry: { type: 'Point', coordinates: [7.42, 43.73] } },
  ],
};
const inventory = (h: Partial<HydrantInventory['hydrants'][number]> = {}): HydrantInventory => ({
  placeId: 'p', fileName: 'a.csv', crs: 'wgs84', importedAt: '2026-12-05T00:00:00.000Z',
  hydrants: [{ id: 'H1', kind: 'hydrant', status: 'existing', position: 'from-data', source: 'test', lon: 7.421, lat: 43.731, ...h }],
});

function base(): PlannerState {
  return {
    ...initialState(), placeId: 'p', placeData: { facilities } as PlannerState['placeData'],
    network: { placeId: 'p', status: 'ready', source: 'embedded', info: { version: 'v1' } as never },
    hydrantInventory: inventory(), hydrantAudit: undefined,
  };
}

/** A fake client: every call is recorded with the resolver of its answer. */
function fakeClient() {
  const calls: { kind: 'audit' | 'suggest'; req: unknown; queue?: string; resolve: (v: unknown) => void }[] = [];
  const pending = (kind: 'audit' | 'suggest', req: unknown, queue?: string) => new Promise((resolve) => calls.push({ kind, req, queue, resolve }));
  const client = {
    hydrantAudit: (req: HydrantAuditRequest, queue?: string) => pending('audit', req, queue),
    hydrantSuggest: (req: unknown) => pending('suggest', req),
  } as unknown as PlannerClient;
  setPlannerClient(client);
  return calls;
}
const result = (n: number) => ({ audit: { figures: { hydrantsInData: n } }, gaps: { type: 'FeatureCollection', features: [] } }) as unknown as HydrantAuditResult;
const tick = () => new Promise((r) => setTimeout(r, 0));

afterEach(() => {
  setPlannerClient(null);
  useStore.setState(initialState());
});

describe('hydrant audit key', () => {
  it('changes with a hydrant\'s in-service flag or kind, a station move, the network version and the vehicle\'s road-rule figures', () => {
    const s = base();
    const k = auditKey(s)!;
    expect(k).toBeTruthy();
    expect(auditKey({ ...s })).toBe(k);
    expect(auditKey({ ...s, hydrantInventory: inventory({ inService: false }) })).not.toBe(k);
    expect(auditKey({ ...s, hydrantInventory: inventory({ kind: 'water-intake' }) })).not.toBe(k);
    const moved = { ...facilities, features: [{ ...facilities.features[0], geometry: { type: 'Point' as const, coordinates: [7.425, 43.735] } }] };
    expect(auditKey({ ...s, placeData: { facilities: moved } as PlannerState['placeData'] })).not.toBe(k);
    expect(auditKey({ ...s, network: { ...s.network!, info: { version: 'v2' } as never } })).not.toBe(k);
    expect(auditKey({ ...s, vehicleEdits: { '': { widthM: 3 } as never } })).not.toBe(k);
    expect(auditKey({ ...s, peak: true })).not.toBe(k);
  });
});

describe('hydrant audit runs', () => {
  it('an export goes to its own queue; a stale live answer does not leave the panel busy', async () => {
    const calls = fakeClient();
    useStore.setState(base());
    const run = runHydrantAudit();
    await tick();
    expect(calls.map((c) => [c.kind, c.queue ?? 'hydrants:audit'])).toEqual([['audit', 'hydrants:audit']]);
    calls[0].resolve(result(1));
    await run;
    expect(useStore.getState().hydrantAudit).toMatchObject({ status: 'ready', result: { audit: { figures: { hydrantsInData: 1 } } } });
    const exp = exportAudit('stretches-csv');
    await tick();
    expect(calls[1]).toMatchObject({ kind: 'audit', queue: 'hydrants:export', req: { stretches: true } });
    calls[1].resolve({ stale: true });
    await exp;
    expect(useStore.getState().hydrantAudit?.exportBusy).toBe(false);
    // A forced re-run answered stale (superseded in the worker queue) with no newer run: back to 'ready', not stuck 'busy'.
    const again = runHydrantAudit(true);
    await tick();
    expect(useStore.getState().hydrantAudit?.status).toBe('busy');
    calls[2].resolve({ stale: true });
    await again;
    expect(useStore.getState().hydrantAudit).toMatchObject({ status: 'ready', result: { audit: { figures: { hydrantsInData: 1 } } } });
  });

  it('an older run\'s late answer never replaces a newer one\'s', async () => {
    const calls = fakeClient();
    useStore.setState(base());
    const a = runHydrantAudit();
    await tick();
    useStore.setState({ hydrantInventory: inventory({ inService: false }) });
    const b = runHydrantAudit();
    await tick();
    expect(calls).toHaveLength(2);
    calls[1].resolve(result(2));
    await b;
    calls[0].resolve(result(1));
    await a;
    expect(useStore.getState().hydrantAudit).toMatchObject({ status: 'ready', result: { audit: { figures: { hydrantsInData: 2 } } } });
  });
});

describe('suggest N hydrants', () => {
  const answer = { beforeM: 0, suggestions: [{ lon: 7.422, lat: 43.732, junction: true, gainM: 300, protectedM: 300, protectedShare: 0.1 }], exhausted: false, candidates: 9 };

  it('its answer is used when place and scenario are unchanged', async () => {
    const calls = fakeClient();
    useStore.setState(base());
    const p = suggestHydrants(1);
    await tick();
    const call = calls.find((c) => c.kind === 'suggest')!;
    // The districts go along, so the worker keeps suggestions inside the place.
    expect(call.req).toMatchObject({ placeId: 'p', count: 1, areas: [], areasKey: 'districts:0' });
    call.resolve(answer);
    await p;
    expect(useStore.getState().hydrantAudit?.suggest).toEqual({ busy: false, added: 1, exhausted: false });
  });

  for (const [what, change] of [['scenario', { activeScenarioId: 'other-scenario' }], ['place', { placeId: 'q' }]] as const)
    it(`its answer is dropped when the ${what} changed while it ran`, async () => {
      const calls = fakeClient();
      useStore.setState(base());
      const p = suggestHydrants(1);
      await tick();
      useStore.setState(change);
      calls.find((c) => c.kind === 'suggest')!.resolve(answer);
      await p;
      expect(useStore.getState().hydrantAudit?.suggest).toEqual({ busy: false });
    });
});
