import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import type { LineString, Point } from 'geojson';
import { createPlannerApi } from './api';

const root = resolve(__dirname, '../..');
const monaco = () => {
  const b = readFileSync(resolve(root, 'public/data/monaco/graph.bin'));
  return b.buffer.slice(b.byteOffset, b.byteOffset + b.byteLength) as ArrayBuffer;
};
/** Haversine metres between two lon/lat points. */
const metres = (a: number[], b: number[]) => {
  const r = Math.PI / 180;
  const h = Math.sin(((b[1] - a[1]) * r) / 2) ** 2 + Math.cos(a[1] * r) * Math.cos(b[1] * r) * Math.sin(((b[0] - a[0]) * r) / 2) ** 2;
  return 2 * 6371008.8 * Math.asin(Math.sqrt(h));
};

describe('worker road rules (setVehicle, roadRules) on Monaco', () => {
  it('lists the closures of the default vehicle: rows, one point per blocking node, one line per closed segment', async () => {
    const api = createPlannerApi();
    await api.loadGraph('monaco', monaco());
    const info = await api.roadRules('monaco');
    expect(info.vehicleId).toBe('water-tender');
    expect(info.vehicles.map((v) => v.id)).toEqual(['water-tender', 'aerial-platform']);
    expect(info.vehicles[0]).toMatchObject({ name: '水罐消防车', heightM: 3.4, weightT: 18 });
    const nodes = info.rows.reduce((n, r) => n + r.nodes, 0);
    const points = info.features.features.filter((f) => f.properties?.kind === 'barrier');
    expect(points.length).toBe(nodes);
    expect(points.length).toBeGreaterThan(0);
    for (const p of points) {
      expect((p.geometry as Point).coordinates[0]).toBeGreaterThan(7.3);
      expect(p.properties?.zh).toMatch(/[\u4e00-\u9fff]/);
      expect(p.properties?.en).toMatch(/[a-z]/);
    }
    // The drawn closed segments add up to the rows' closed road-km (each segment once).
    const lines = info.features.features.filter((f) => f.properties?.kind === 'closed');
    const drawnKm = lines.reduce((s, f) => {
      const c = (f.geometry as LineString).coordinates;
      return s + c.slice(1).reduce((m, p, i) => m + metres(c[i], p), 0) / 1000;
    }, 0);
    const rowKm = info.rows.filter((r) => r.rule !== 'emergency-only').reduce((s, r) => s + r.km, 0);
    expect(rowKm).toBeGreaterThan(1);
    expect(Math.abs(drawnKm - rowKm) / rowKm).toBeLessThan(0.02);
    const weight = lines.find((f) => f.properties?.rule === 'maxweight');
    expect(weight?.properties?.en).toMatch(/\d/); // the limit against the vehicle, e.g. "weight limit 3.5 t < 18 t"
  });

  it('switches the vehicle and refuses an unknown one', async () => {
    const api = createPlannerApi();
    await api.loadGraph('monaco', monaco());
    await api.setVehicle('aerial-platform');
    expect((await api.roadRules('monaco')).vehicleId).toBe('aerial-platform');
    await expect(api.setVehicle('hovercraft')).rejects.toMatchObject({ code: 'unknown-vehicle', en: expect.stringContaining('hovercraft') });
    expect((await api.roadRules('monaco')).vehicleId).toBe('aerial-platform');
    await expect(api.roadRules('nowhere')).rejects.toMatchObject({ code: 'no-graph' });
  });

  it("a planner's figures for the tender: raising its height over Monaco's 4.3 m limit closes that road, lowering it opens it again; so does its weight against the 3.5 t limit", async () => {
    const api = createPlannerApi();
    await api.loadGraph('monaco', monaco());
    const tender = { heightM: 3.4, widthM: 2.5, lengthM: 8.5, weightT: 18, axleLoadT: 11.5 };
    const km = async (rule: string) => Math.round(((await api.roadRules('monaco')).rows.find((r) => r.rule === rule)?.km ?? 0) * 1000);
    expect(await km('maxheight')).toBe(0); // the file's tender (3.4 m) passes under every height limit
    expect(await km('maxweight')).toBe(416); // 18 t on a 3.5 t road

    await api.setVehicle('water-tender', { ...tender, heightM: 4.4 });
    expect(await km('maxheight')).toBe(611);
    const info = await api.roadRules('monaco');
    expect(info.vehicle).toMatchObject({ id: 'water-tender', heightM: 4.4 });
    expect(info.edited).toBe(true);
    const lines = info.features.features.filter((f) => f.properties?.rule === 'maxheight');
    expect(lines.length).toBeGreaterThan(0);
    expect(lines.every((f) => f.properties?.en === 'height limit 4.3 m < vehicle height 4.4 m')).toBe(true);

    await api.setVehicle('water-tender', { ...tender, heightM: 4.3 }); // exactly the limit: passes
    expect(await km('maxheight')).toBe(0);
    await api.setVehicle('water-tender', { ...tender, weightT: 3.5 });
    expect(await km('maxweight')).toBe(0);
    await api.setVehicle('water-tender', { ...tender, weightT: 3.6 });
    expect(await km('maxweight')).toBe(416);
    await api.setVehicle('water-tender', null); // back to the file's figures
    expect(await api.roadRules('monaco')).toMatchObject({ edited: false, vehicle: { heightM: 3.4, weightT: 18 } });
  });

  it('refuses bad figures naming each bad field, and keeps the vehicle it had', async () => {
    const api = createPlannerApi();
    await api.loadGraph('monaco', monaco());
    await api.setVehicle('aerial-platform', { heightM: 4.4, widthM: 2.5, lengthM: 11.5, weightT: 25, axleLoadT: 9 });
    const bad = { heightM: 0, widthM: 2.5, lengthM: Number.NaN, weightT: 25, axleLoadT: 90 };
    const err = await api.setVehicle('water-tender', bad).then(() => null, (e: unknown) => e as { code: string; zh: string; en: string; detail: string });
    expect(err).toMatchObject({ code: 'bad-vehicle-figures', detail: 'heightM, lengthM, axleLoadT' });
    expect(err?.en).toContain('height must be between 1 and 6 m (got 0 m)');
    expect(err?.en).toContain('axle load must be between 0.5 and 40 t (got 90 t)');
    expect(err?.zh).toContain('车长须在 2–30 m 之间');
    expect((await api.roadRules('monaco')).vehicle).toMatchObject({ id: 'aerial-platform', heightM: 4.4 });
  });
});
