import { describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import gcoord from 'gcoord';
import { run } from './main';
import { PlannerError } from '../core/errors';
import { pathTo } from '../core/route';
import { profileWithTurns } from '../core/router';
import { buildGraph } from '../core/buildGraph';
import type { OsmData } from '../core/osm/types';
import { fireEngineProfile, placeRouter } from '../../tests/support/place';

const bin = fileURLToPath(new URL('../../bin/planner.mjs', import.meta.url));
const router = placeRouter('nanshan');
const from = [113.9386, 22.5439] as [number, number];
const to = [113.95, 22.55] as [number, number];
const planner = (...args: string[]) => spawnSync(process.execPath, [bin, ...args], { encoding: 'utf8' });

/** The PlannerError run() throws for these arguments. */
function failure(args: string[]): PlannerError {
  try {
    run(args);
  } catch (e) {
    expect(e).toBeInstanceOf(PlannerError);
    return e as PlannerError;
  }
  throw new Error(`no error for ${args.join(' ')}`);
}

describe('planner CLI', () => {
  it('bin/planner.mjs prints travel times as JSON that match the core, to 0.001 s', () => {
    const p = planner('times', '--place', 'nanshan', '--from', from.join(','), '--to', to.join(','));
    expect(p.status).toBe(0);
    const out = JSON.parse(p.stdout);
    const src = router.snapStation(from[0], from[1]), dst = router.snap(to[0], to[1]);
    router.paths.run([src]);
    const path = pathTo(router.graph, router.spatial, router.paths, [src], dst)!;
    expect(out.from.snapDistanceM).toBe(Math.round(src.distanceM * 10) / 10);
    expect(out.from.moved).toBe(false);
    expect(out.results[0].to).toEqual(to);
    expect(out.results[0].seconds).toBe(Math.round(path.seconds * 1000) / 1000);
    expect(Math.abs(out.results[0].seconds - path.seconds)).toBeLessThanOrEqual(0.0005);
    expect(out.results[0].meters).toBe(Math.round(path.meters * 1000) / 1000);
  });
  it('times takes one start: a second --from is refused, not silently dropped', () => {
    expect(failure(['times', '--place', 'nanshan', '--from', from.join(','), '--from', to.join(','), '--to', to.join(',')]).code).toBe('bad-option');
  });
  it('fails with one line in the chosen language, a stable code and a non-zero exit code', () => {
    const p = planner('times', '--place', 'nanshan', '--from', '22.54');
    expect(p.status).toBe(2);
    expect(p.stdout).toBe('');
    expect(p.stderr).toBe('错误 [bad-coordinate]：--from 的坐标格式应为 经度,纬度（例如 113.93,22.54），收到「22.54」\n');
    const en = planner('times', '--place', 'nanshan', '--from', '22.54', '--lang', 'en');
    expect(en.status).toBe(2);
    expect(en.stderr).toBe('error [bad-coordinate]: --from coordinates must be LON,LAT (e.g. 113.93,22.54), got "22.54"\n');
    const missing = planner('times', '--place', 'atlantis', '--from', from.join(','), '--to', to.join(','), '--lang', 'en');
    expect(missing.status).toBe(1);
    expect(missing.stderr).toMatch(/^error \[graph-not-found\]: road graph not found .*\(file: .*atlantis.graph\.bin\)\n$/);
  });
  it('validates every numeric option and the band count, naming the option', () => {
    const base = ['isochrone', '--place', 'nanshan', '--from', from.join(',')];
    const cases: [string[], string, RegExp][] = [
      [['--corridor', '2'], 'bad-option', /^--corridor must be a number from 5 to 1000 metres, got "2"$/],
      [['--corridor', 'wide'], 'bad-option', /^--corridor must be/],
      [['--minutes', 'Infinity'], 'bad-option', /^--minutes must be a number from 0.1 to 120 minutes/],
      [['--minutes', ''], 'bad-option', /^--minutes needs a value \(a number from 0.1 to 120 minutes\), got an empty string$/],
      [['--minutes', '0x10'], 'bad-option', /^--minutes must be a number from 0.1 to 120 minutes, got "0x10"$/],
      [['--minutes', '1e1'], 'bad-option', /^--minutes must be/],
      [['--minutes', ' 4'], 'bad-option', /^--minutes must be/],
      [['--minutes', '+4'], 'bad-option', /^--minutes must be/],
      [['--corridor', '0b11'], 'bad-option', /^--corridor must be/],
      [['--max-snap-from', '1e3'], 'bad-option', /^--max-snap-from must be a number from 1 to 100000 metres/],
      [['--minutes', '121'], 'bad-option', /^--minutes must be/],
      [['--bands', '2,,3'], 'bad-option', /^--bands needs a value/],
      [['--bands=-1'], 'bad-option', /^--bands must be/],
      [['--bands', Array.from({ length: 256 }, (_, i) => ((i + 1) / 10).toFixed(1)).join(',')], 'bad-band-count', /^too many time bands: 256 \(at most 255\)$/],
      [['--turns', 'sometimes'], 'bad-option', /^--turns must be one of on, off, got "sometimes"$/],
      [['--crs', 'bd09'], 'bad-option', /^--crs must be one of wgs84, gcj02/],
      [['--lang', 'fr'], 'bad-option', /^--lang must be one of zh, en/],
    ];
    for (const [extra, code, en] of cases) {
      const e = failure([...base, ...extra]);
      expect(e.code).toBe(code);
      expect(e.en).toMatch(en);
      expect(e.zh).not.toBe(e.en);
    }
    expect(failure(['times', '--place', 'nanshan', '--from', '200,10', '--to', to.join(',')]).en).toMatch(/--from coordinate out of range/);
    // 12 distinct bands are fine (the same band twice counts once).
    const ok = JSON.parse(run([...base, '--bands', '1,1,2,3,4,5,6,7,8,9,10,11', '--minutes', '12']));
    expect(ok.features.length).toBe(12);
  });
  it('says when it moved a point, how far and why, in the chosen language', () => {
    // A start beside a one-way pocket and a destination beside a road the main network cannot enter (both on 南山).
    const start = '113.928612,22.5571218', dest = '113.9249902,22.54272';
    const zh = JSON.parse(run(['times', '--place', 'nanshan', '--from', start, '--to', dest]));
    expect(zh.from.moved).toBe(true);
    expect(zh.from.movedM).toBeCloseTo(20.9, 1);
    expect(zh.from.reason).toEqual({ code: 'start-cannot-leave', message: expect.stringMatching(/^最近的道路无法驶入主路网.*出发点已移到/) });
    expect(zh.results[0].moved).toBe(true);
    expect(zh.results[0].movedM).toBeCloseTo(29.9, 1);
    expect(zh.results[0].reason.code).toBe('destination-unreachable');
    const en = JSON.parse(run(['times', '--place', 'nanshan', '--from', start, '--to', dest, '--lang', 'en']));
    expect(en.from.reason.message).toMatch(/^the nearest road has no way to the main network/);
    expect(en.note).toBe('travel time only, turnout excluded');
    const r = JSON.parse(run(['route', '--place', 'nanshan', '--from', start, '--to', dest]));
    expect(r.snapFrom.moved).toBe(true);
    expect(r.snapFrom.reason.code).toBe('start-cannot-leave');
    expect(r.snapTo.moved).toBe(true);
    const iso = JSON.parse(run(['isochrone', '--place', 'nanshan', '--from', start, '--minutes', '2']));
    expect(iso.properties.snaps['from-1']).toMatchObject({ moved: true, reason: { code: 'start-cannot-leave' } });
  });
  it('converts GCJ-02 input and routes with Chinese or English instructions', () => {
    const gf = gcoord.transform(from, gcoord.WGS84, gcoord.GCJ02) as number[];
    const gt = gcoord.transform(to, gcoord.WGS84, gcoord.GCJ02) as number[];
    const a = JSON.parse(run(['times', '--place', 'nanshan', '--from', gf.join(','), '--to', gt.join(','), '--crs', 'gcj02']));
    expect(a.results[0].to[0]).toBeCloseTo(to[0], 6);
    const b = JSON.parse(run(['times', '--place', 'nanshan', '--from', from.join(','), '--to', to.join(',')]));
    expect(a.results[0].seconds).toBeCloseTo(b.results[0].seconds, 0);
    const r = JSON.parse(run(['route', '--place', 'nanshan', '--from', from.join(','), '--to', to.join(',')]));
    const steps = r.routes[0].legs[0].steps;
    expect(steps[0].maneuver.type).toBe('depart');
    expect(steps.at(-1).instruction).toMatch(/到达/);
    expect(r.responseSeconds - r.travelSeconds).toBe(60);
    const en = JSON.parse(run(['route', '--place', 'nanshan', '--from', from.join(','), '--to', to.join(','), '--lang', 'en']));
    expect(en.routes[0].legs[0].steps.at(-1).instruction).toMatch(/arrived|destination/i);
  });
  it('isochrone bands nest; export-graph lists usable edges at full precision', () => {
    const fc = JSON.parse(run(['isochrone', '--place', 'nanshan', '--from', from.join(','), '--minutes', '4', '--bands', '2,3']));
    expect(fc.features.map((f: { properties: { minutes: number } }) => f.properties.minutes)).toEqual([2, 3, 4]);
    const areas = fc.features.map((f: { properties: { areaKm2: number } }) => f.properties.areaKm2);
    expect(areas[0]).toBeLessThan(areas[1]);
    expect(areas[1]).toBeLessThan(areas[2]);
    const peak = placeRouter('nanshan', true);
    const csv = run(['export-graph', '--place', 'nanshan', '--peak']).trim().split('\n');
    expect(csv[0]).toBe('id,source,target,seconds,meters,source_lon,source_lat,target_lon,target_lat');
    const usable = Array.from(peak.seconds).filter((s) => s < Infinity).length;
    expect(csv.length - 1).toBe(usable);
    let fractional = 0;
    for (const row of csv.slice(1)) {
      const [id, s, t, sec, m] = row.split(',').map(Number);
      const e = id - 1;
      expect([s, t]).toEqual([peak.spatial.source[e], peak.graph.target[e]]);
      // The exact float32 values the engine sums, not rounded ones.
      expect(sec).toBe(peak.seconds[e]);
      expect(m).toBe(peak.graph.lengthM[e]);
      if (!Number.isInteger(sec * 100)) fractional++;
    }
    expect(fractional).toBeGreaterThan(usable / 2);
  });
  it('export-graph --restrictions writes the turn-restriction file; --turns sets the profile rule', () => {
    const dir = mkdtempSync(join(tmpdir(), 'planner-cli-'));
    try {
      const file = join(dir, 'restrictions.csv');
      run(['export-graph', '--place', 'monaco', '--restrictions', file]);
      expect(readFileSync(file, 'utf8').split('\n')[0]).toBe('id,cost,path');
      const nodir = failure(['export-graph', '--place', 'monaco', '--restrictions', join(dir, 'no/such/dir.csv')]);
      expect([nodir.code, nodir.en, nodir.detail]).toEqual(['file-unwritable', 'cannot write the turn-restrictions file (its folder does not exist)', undefined]);
      const isdir = failure(['export-graph', '--place', 'monaco', '--restrictions', dir]);
      expect([isdir.code, isdir.zh, isdir.file, isdir.detail]).toEqual(['file-unwritable', '无法写入转向限制文件（该路径是一个目录）', dir, undefined]);
      // Without --turns the profile decides; --turns overrides it.
      const ignoring = join(dir, 'ignore.json');
      writeFileSync(ignoring, JSON.stringify({ ...fireEngineProfile(), turnRestrictions: { value: 'ignore', assumption: 'test' } }));
      const rows = (args: string[]) => { run(['export-graph', '--place', 'monaco', '--restrictions', file, ...args]); return readFileSync(file, 'utf8').trim().split('\n').length - 1; };
      expect(rows([])).toBeGreaterThan(20);
      expect(rows(['--profile', ignoring])).toBe(0);
      expect(rows(['--profile', ignoring, '--turns', 'on'])).toBeGreaterThan(20);
      expect(rows(['--turns', 'off'])).toBe(0);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
    expect(profileWithTurns(fireEngineProfile(), true).turnRestrictions.value).toBe('obey');
    expect(profileWithTurns(fireEngineProfile(), false).turnRestrictions.value).toBe('ignore');
    const on = JSON.parse(run(['times', '--place', 'nanshan', '--from', from.join(','), '--to', to.join(',')]));
    const off = JSON.parse(run(['times', '--place', 'nanshan', '--from', from.join(','), '--to', to.join(','), '--turns', 'off']));
    expect(off.results[0].seconds).toBeLessThanOrEqual(on.results[0].seconds);
  });
  it('--vehicle: the ladder truck is refused under a low bridge the tender passes, naming the limit; unknown vehicles exit 2', () => {
    // A (0,0) — B (400 m east) — C (800 m east), B — C under maxheight 3.6 m: the tender (3.4 m) passes, the ladder (3.9 m) not.
    const M = 111194.93;
    const nodes = new Map([[1, 0], [2, 400], [3, 800]].map(([id, x]) => [id, { id, lon: x / M, lat: 0 }]));
    const osm: OsmData = { nodes, ways: [
      { id: 1, nodes: [1, 2], tags: { highway: 'residential' } },
      { id: 2, nodes: [2, 3], tags: { highway: 'residential', maxheight: '3.6', name: '桥下路', 'name:en': 'Underpass Road', ref: 'X1' } },
    ], relations: [] };
    const dir = mkdtempSync(join(tmpdir(), 'planner-vehicle-'));
    try {
      const file = join(dir, 'bridge.bin');
      writeFileSync(file, new Uint8Array(buildGraph(osm).graph.buffer));
      const args = (cmd: string, ...extra: string[]) => [cmd, '--graph', file, '--from', '0,0', '--to', `${700 / M},0`, ...extra];
      const t = JSON.parse(run(args('times')));
      const l = JSON.parse(run(args('times', '--vehicle', 'aerial-platform')));
      expect([t.vehicle, l.vehicle]).toEqual(['water-tender', 'aerial-platform']);
      expect(t.results[0]).toMatchObject({ seconds: expect.closeTo(126, 0), snapDistanceM: 0 }); // 700 m at 20 km/h
      expect(l.results[0]).toMatchObject({ seconds: expect.closeTo(72, 0), snapDistanceM: expect.closeTo(300, 0) }); // put at B
      expect(JSON.parse(run(args('route', '--lang', 'en'))).routes[0].legs[0].steps[1].instruction).toContain('Underpass Road (X1)');
      const refused = failure(args('route', '--vehicle', 'aerial-platform', '--lang', 'en'));
      expect(refused.code).toBe('route-closed-by-rule');
      expect(refused.en).toBe('route blocked by height limit 3.6 m < vehicle height 3.9 m at Underpass Road (X1) (0.00540, 0.00000)');
      const bad = planner(...args('times', '--vehicle', 'bicycle', '--lang', 'en'));
      expect(bad.status).toBe(2);
      expect(bad.stderr).toBe('error [unknown-vehicle]: unknown vehicle bicycle (known: water-tender, aerial-platform)\n');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
  it('refuses points off the road network with a bilingual error naming the point and the distance (exit 1)', () => {
    // Beijing on Monaco's graph: thousands of km from any road.
    const bj = planner('times', '--place', 'monaco', '--from', '116.39,39.9', '--to', '7.42,43.73', '--lang', 'en');
    expect(bj.status).toBe(1);
    expect(bj.stdout).toBe('');
    expect(bj.stderr).toMatch(/^error \[off-network\]: the start \(116\.39, 39\.9\) is off the road network: the nearest road is \d{4} km away \(limit 500 m\)\n$/);
    const e = failure(['isochrone', '--place', 'monaco', '--from', '7.42,43.73', '--from', '116.39,39.9']);
    expect(e.code).toBe('off-network');
    expect(e.zh).toMatch(/^第 2 个 --from \(116\.39, 39\.9\) 不在路网上：距最近道路 \d+ km，超过 500 m 的限值$/);
    expect(failure(['route', '--place', 'monaco', '--from', '116.39,39.9', '--to', '7.42,43.73']).code).toBe('off-network');
    // Swapped axes are named.
    const sw = failure(['times', '--place', 'monaco', '--from', '43.73,7.42', '--to', '7.42,43.73']);
    expect(sw.code).toBe('swapped-coordinate');
    expect(sw.en).toMatch(/read the other way round \(7\.42, 43\.73\) it lies on the network: latitude and longitude look swapped/);
    // (7.42, 43.73) is 124 m from Monaco's nearest road: flagged as a destination, refused under --max-snap-to 100.
    const ok = JSON.parse(run(['times', '--place', 'monaco', '--from', '7.4185,43.7299', '--to', '7.42,43.73', '--lang', 'en']));
    expect(ok.results[0]).toMatchObject({ snapDistanceM: 124, far: true, note: '124 m from the road (over 50 m); computed from that road' });
    expect(ok.from).toMatchObject({ far: false });
    expect(ok.from.note).toBeUndefined();
    const tight = failure(['times', '--place', 'monaco', '--from', '7.4185,43.7299', '--to', '7.42,43.73', '--max-snap-to', '100', '--lang', 'en']);
    expect(tight.en).toMatch(/^the destination \(7\.42, 43\.73\) is off the road network: the nearest road is 124 m away \(limit 100 m\)$/);
    expect(failure(['times', '--place', 'monaco', '--from', '7.42,43.73', '--to', '7.4185,43.7299', '--max-snap-from', '100']).code).toBe('off-network');
    const iso = JSON.parse(run(['isochrone', '--place', 'monaco', '--from', '7.42,43.73', '--minutes', '1']));
    expect(iso.properties.snaps['from-1']).toMatchObject({ far: true, note: '距道路 124 m（超过 50 m），按该道路计算' });
  });
  it('refuses an option given twice (exit 2), but --from and --to repeat', () => {
    const e = failure(['times', '--place', 'monaco', '--place', 'nanshan', '--from', from.join(','), '--to', to.join(',')]);
    expect(e.code).toBe('duplicate-option');
    expect([e.zh, e.en]).toEqual(['选项 --place 重复出现', 'option --place given more than once']);
    expect(failure(['isochrone', '--place', 'nanshan', '--from', from.join(','), '--minutes', '2', '--minutes=3']).code).toBe('duplicate-option');
    expect(JSON.parse(run(['times', '--place', 'nanshan', '--from', from.join(','), '--to', to.join(','), '--to', from.join(',')])).results).toHaveLength(2);
    const chk = planner('check', '--place', 'monaco', '--place', 'nanshan', '--lang', 'en');
    expect(chk.status).toBe(2);
    expect(chk.stderr).toMatch(/^error \[duplicate-option\]: option --place given more than once\nusage: planner check/);
  });
  it('no command: usage on stderr with exit 2; --help: usage on stdout with exit 0', () => {
    const none = planner();
    expect(none.status).toBe(2);
    expect(none.stdout).toBe('');
    expect(none.stderr).toMatch(/^错误 \[missing-command\]：缺少命令.*\n用法 \/ usage:\n {2}planner times/);
    const help = planner('--help');
    expect(help.status).toBe(0);
    expect(help.stdout).toMatch(/^用法 \/ usage:/);
    const chk = planner('check');
    expect(chk.status).toBe(2);
    expect(planner('check', '--help').status).toBe(0);
    expect(failure(['times', 'extra', '--place', 'nanshan']).code).toBe('bad-arguments');
  });
  it('missing files and directories are named PlannerErrors with exit 1, never raw ENOENT / EISDIR', () => {
    const dir = mkdtempSync(join(tmpdir(), 'planner-files-'));
    try {
      const base = ['times', '--place', 'nanshan', '--from', from.join(','), '--to', to.join(',')];
      const prof = failure([...base, '--profile', dir]);
      expect([prof.code, prof.file, prof.en]).toEqual(['file-is-directory', dir, 'the speed profile file path is a directory, not a file']);
      const rules = failure([...base, '--rules', join(dir, 'none.json')]);
      expect([rules.code, rules.file, rules.en, rules.zh]).toEqual(['file-not-found', join(dir, 'none.json'), 'road rules file not found', '找不到道路通行规则文件']);
      expect(failure(['times', '--graph', dir, '--from', from.join(','), '--to', to.join(',')]).code).toBe('file-is-directory');
      const scen = planner('check', '--place', 'monaco', '--scenario', join(dir, 'none.geojson'), '--lang', 'en');
      expect(scen.status).toBe(1);
      expect(scen.stderr).toBe(`error [file-not-found]: scenario file not found (file: ${join(dir, 'none.geojson')})\n`);
      const dist = planner('check', '--place', 'monaco', '--districts', dir);
      expect(dist.status).toBe(1);
      expect(dist.stderr).toBe(`错误 [file-is-directory]：文件路径是一个目录，不是文件（文件：${dir}）\n`);
      expect(planner('check', '--place', 'atlantis').status).toBe(1);
      // An invalid speed profile: Chinese in zh, English in en, and the file named.
      const bad = join(dir, 'profile.json');
      writeFileSync(bad, JSON.stringify({ name: 'x' }));
      const p = failure([...base, '--profile', bad]);
      expect(p.code).toBe('bad-profile');
      expect(p.file).toBe(bad);
      expect(p.zh).toMatch(/^速度配置无效：/);
      expect(p.en).toMatch(/^invalid speed profile: /);
      expect(p.en).not.toMatch(/[\u4e00-\u9fff]/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
