/**
 * The hydrant audit's queues on the client (issue #13 review): an export runs in its own queue 'hydrants:export', so
 * it never supersedes (makes stale) a waiting live audit, and a live audit never drops an export. Monaco's real
 * graph, the worker API in-process behind a MessageChannel.
 */
import { describe, expect, it } from 'vitest';
import { MessageChannel, type MessagePort } from 'node:worker_threads';
import { expose, type Endpoint } from 'comlink';
import { createPlannerApi } from './api';
import { createPlannerClient, isStale, type WorkerLike } from './client';
import { placeGraphBytes, placeJson } from '../../tests/support/place';
import { facilityHydrants } from '../core/hydrants/data';
import type { FeatureCollection } from 'geojson';

function worker(): WorkerLike {
  const { port1, port2 } = new MessageChannel();
  expose(createPlannerApi(), port1 as unknown as Endpoint);
  return Object.assign(port2 as unknown as WorkerLike, { terminate: () => { (port1 as MessagePort).close(); (port2 as MessagePort).close(); } });
}

describe('hydrant audit queues', () => {
  it('an export queued behind a live audit leaves the waiting audit alive, and is not dropped by a newer audit', async () => {
    const client = createPlannerClient({ createWorker: worker });
    try {
      const b = placeGraphBytes('monaco');
      await client.loadGraph('monaco', b);
      const hydrants = facilityHydrants(placeJson('monaco', 'facilities.geojson') as FeatureCollection);
      const req = { placeId: 'monaco', hydrants };
      const first = client.hydrantAudit(req); // in flight
      const waiting = client.hydrantAudit(req); // waits in 'hydrants:audit'
      const exported = client.hydrantAudit({ ...req, stretches: true }, 'hydrants:export');
      const newer = client.hydrantAudit(req); // supersedes `waiting` (same queue), not the export
      const [r1, r2, rx, r3] = await Promise.all([first, waiting, exported, newer]);
      expect(isStale(r1)).toBe(false);
      expect(isStale(r2)).toBe(true);
      expect(isStale(rx)).toBe(false);
      expect(isStale(r3)).toBe(false);
      if (!isStale(rx)) expect(rx.stretches!.length).toBeGreaterThan(1000);
    } finally {
      client.terminate();
    }
  });
});
