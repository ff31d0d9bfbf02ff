import { describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import gcoord from 'gcoord';
import { run } from './main';
import { placeRouter } from '../../tests/support/place';

const bin = fileURLToPath(new URL('../../bin/planner.mjs', import.meta.url));
const router = placeRouter('nanshan');
const from = [113.9386, 22.5439] as [number, number];
const to = [113.95, 22.55] as [number, number];

describe('planner CLI', () => {
  it('bin/planner.mjs prints travel times as JSON that match the core', () => {
    const p = spawnSync(process.execPath, [bin, 'times', '--place', 'nanshan', '--from', from.join(','), '--to', to.join(',')], { encoding: 'utf8' });
    expect(p.status).toBe(0);
    const out = JSON.parse(p.stdout);
    const ref = router.times(from, [to]);
    expect(out.from.snapDistanceM).toBe(ref.from.distanceM);
    expect(out.results[0].to).toEqual(to);
    expect(out.results[0].seconds).toBe(ref.results[0].seconds);
    expect(out.results[0].meters).toBe(ref.results[0].meters);
  });
  it('fails with a bilingual message and a non-zero exit code', () => {
    const p = spawnSync(process.execPath, [bin, 'times', '--place', 'nanshan', '--from', '22.54'], { encoding: 'utf8' });
    expect(p.status).toBe(2);
    expect(p.stdout).toBe('');
    expect(p.stderr).toMatch(/错误：坐标格式/);
    expect(p.stderr).toMatch(/error: coordinates must be LON,LAT/);
  });
  it('converts GCJ-02 input and routes with Chinese instructions', () => {
    const gf = gcoord.transform(from, gcoord.WGS84, gcoord.GCJ02) as number[];
    const gt = gcoord.transform(to, gcoord.WGS84, gcoord.GCJ02) as number[];
    const a = JSON.parse(run(['times', '--place', 'nanshan', '--from', gf.join(','), '--to', gt.join(','), '--crs', 'gcj02']));
    expect(a.results[0].to[0]).toBeCloseTo(to[0], 6);
    const b = JSON.parse(run(['times', '--place', 'nanshan', '--from', from.join(','), '--to', to.join(',')]));
    expect(a.results[0].seconds).toBeCloseTo(b.results[0].seconds, 0);
    const r = JSON.parse(run(['route', '--place', 'nanshan', '--from', from.join(','), '--to', to.join(','), '--lang', 'zh-Hans']));
    const steps = r.routes[0].legs[0].steps;
    expect(steps[0].maneuver.type).toBe('depart');
    expect(steps.at(-1).instruction).toMatch(/到达/);
    expect(r.responseSeconds - r.travelSeconds).toBe(60);
  });
  it('isochrone bands nest and export-graph lists usable edges', () => {
    const fc = JSON.parse(run(['isochrone', '--place', 'nanshan', '--from', from.join(','), '--minutes', '4', '--bands', '2,3']));
    expect(fc.features.map((f: { properties: { minutes: number } }) => f.properties.minutes)).toEqual([2, 3, 4]);
    const areas = fc.features.map((f: { properties: { areaKm2: number } }) => f.properties.areaKm2);
    expect(areas[0]).toBeLessThan(areas[1]);
    expect(areas[1]).toBeLessThan(areas[2]);
    const csv = run(['export-graph', '--place', 'nanshan', '--peak']).trim().split('\n');
    expect(csv[0]).toBe('source,target,seconds,meters,source_lon,source_lat,target_lon,target_lat');
    const usable = Array.from(router.seconds).filter((s) => s < Infinity).length;
    expect(csv.length - 1).toBe(usable);
  });
});
