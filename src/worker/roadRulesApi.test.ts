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
});
