/** `planner optimize`: output on real places (network and straight-line estimate), LP file, and its refusals. */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { run } from '../../src/cli/cmd-optimize';

const dir = mkdtempSync(join(tmpdir(), 'planner-opt-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
let out = '', err = '';
beforeEach(() => {
  out = ''; err = '';
  vi.spyOn(process.stdout, 'write').mockImplementation((s) => { out += String(s); return true; });
  vi.spyOn(process.stderr, 'write').mockImplementation((s) => { err += String(s); return true; });
});
afterEach(() => vi.restoreAllMocks());

describe('planner optimize', () => {
  it('南山 LSCP --exact: optimal, covers everything coverable, writes an LP file glpsol agrees with', async () => {
    const lp = join(dir, 'ns.lp');
    expect(await run(['--place', 'nanshan', '--model', 'lscp', '--exact', '--write-lp', lp, '--json'])).toBe(0);
    const r = JSON.parse(out);
    expect(r.mode).toBe('network');
    expect(r.exact.optimal).toBe(true);
    expect(r.sites.length).toBe(r.objective);
    expect(r.coveredWeight).toBeCloseTo(r.demand.totalWeight - r.uncoverableWeight, 3);
    expect(r.uncoverablePoints).toBeGreaterThan(0); // real data: roads cut by the extract's edge, reported not dropped
    expect(r.greedy.objective).toBeGreaterThanOrEqual(r.objective);
    const text = readFileSync(lp, 'utf8');
    expect(text).toMatch(/^\\ model lscp/);
    if (existsSync('/usr/bin/glpsol')) {
      execFileSync('glpsol', ['--lp', lp, '-o', join(dir, 'g.txt')], { stdio: 'pipe' });
      expect(Number(/Objective:\s+\S+\s*=\s*(\S+)/.exec(readFileSync(join(dir, 'g.txt'), 'utf8'))![1])).toBe(r.objective);
    }
  });

  it('南山 MCLP k = 2 in English text: the ranked sites with their gain and the curve', async () => {
    expect(await run(['--place', 'nanshan', '--model', 'mclp', '--k', '2', '--lang', 'en'])).toBe(0);
    expect(out).toMatch(/method: greedy\+swap/);
    expect(out).toMatch(/ {2}1\. n\d+ [\d.]+,[\d.]+ {2}\+[\d.]+ m of road/);
    expect(out).toMatch(/coverage curve k=0…: /);
  });

  it('清溪镇 (no roads): a straight-line estimate, labelled, comparing the plan’s new sites with the best', async () => {
    expect(await run(['--place', 'qingxi', '--model', 'mclp', '--k', '2', '--fixed', 'existing', '--json', '--lang', 'en'])).toBe(0);
    const r = JSON.parse(out);
    expect(r.mode).toBe('straight-line-estimate');
    expect(r.estimateNote).toMatch(/estimate/);
    expect(r.plan.sites).toBeGreaterThan(0);
    expect(r.plan.bestCoveredShare).toBeGreaterThanOrEqual(r.plan.planCoveredShare - 1e-9);
    out = '';
    expect(await run(['--place', 'qingxi', '--model', 'mclp', '--k', '1'])).toBe(0);
    expect(out).toMatch(/^【估算 — 无路网】/);
  });

  it('imported demand and candidates (CSV) are used as given', async () => {
    writeFileSync(join(dir, 'd.csv'), 'lon,lat,weight\n113.9386,22.5439,5\n113.95,22.55,3\n');
    writeFileSync(join(dir, 'c.geojson'), JSON.stringify({ type: 'FeatureCollection', features: [{ type: 'Feature', properties: { id: 'A' }, geometry: { type: 'Point', coordinates: [113.9386, 22.5439] } }] }));
    expect(await run(['--place', 'nanshan', '--model', 'mclp', '--k', '1', '--demand', join(dir, 'd.csv'), '--candidates', join(dir, 'c.geojson'), '--json'])).toBe(0);
    const r = JSON.parse(out);
    expect(r.demand).toMatchObject({ source: 'imported', points: 2, totalWeight: 8 });
    expect(r.candidates.new).toBe(1);
  });

  it.each([
    [['--place', 'nanshan', '--model', 'mclp', '--k', '-1'], 2, 'bad-option'],
    [['--place', 'nanshan', '--model', 'mclp', '--k', '1.5'], 2, 'bad-option'],
    [['--place', 'nanshan', '--model', 'best'], 2, 'bad-option'],
    [['--place', 'nanshan'], 2, 'missing-option'],
    [['--place', 'nowhere', '--model', 'mclp'], 1, 'unknown-place'],
  ])('refuses %j with exit %i (%s), zh and en', async (args, code, errCode) => {
    expect(await run(args)).toBe(code);
    expect(err).toMatch(new RegExp(`^错误 \\[${errCode}\\]：`));
    err = '';
    expect(await run([...args, '--lang', 'en'])).toBe(code);
    expect(err).toMatch(new RegExp(`^error \\[${errCode}\\]: `));
  });

  it('refuses an empty candidate file and a demand file without weights (exit 1)', async () => {
    writeFileSync(join(dir, 'empty.csv'), 'lon,lat\n');
    writeFileSync(join(dir, 'noweight.csv'), 'lon,lat\n113.94,22.54\n');
    expect(await run(['--place', 'nanshan', '--model', 'mclp', '--candidates', join(dir, 'empty.csv'), '--lang', 'en'])).toBe(1);
    expect(err).toMatch(/empty-points-file.*candidates file has no points/);
    err = '';
    expect(await run(['--place', 'nanshan', '--model', 'mclp', '--demand', join(dir, 'noweight.csv'), '--lang', 'en'])).toBe(1);
    expect(err).toMatch(/demand-no-weight/);
  });
});
