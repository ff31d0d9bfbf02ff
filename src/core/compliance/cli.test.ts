import { describe, expect, it } from 'vitest';
import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { parseCheckArgs, runCheck, type CheckIO } from './cli';
import { PlannerError } from '../errors';

const root = resolve(__dirname, '../../..');
const io: CheckIO = {
  readText: async (p) => readFileSync(resolve(root, p), 'utf8'),
  readBytes: async (p) => {
    const b = readFileSync(resolve(root, p));
    return b.buffer.slice(b.byteOffset, b.byteOffset + b.byteLength) as ArrayBuffer;
  },
  exists: async (p) => existsSync(resolve(root, p)),
};

describe('planner check arguments', () => {
  /** The PlannerError a call throws. */
  const thrown = (f: () => unknown): PlannerError => {
    try {
      f();
    } catch (e) {
      return e as PlannerError;
    }
    throw new Error('did not throw');
  };
  it('parses options and rejects bad ones with a code and both languages', () => {
    expect(parseCheckArgs(['--place', 'monaco', '--standard', 'nfpa1710', '--districts', 'towns', '--json'])).toMatchObject({ place: 'monaco', standard: 'nfpa1710', districts: 'towns', json: true, turns: true, lang: 'zh' });
    expect(parseCheckArgs(['--place', 'monaco', '--turns', 'off', '--lang', 'en'])).toMatchObject({ turns: false, lang: 'en' });
    const std = thrown(() => parseCheckArgs(['--place', 'monaco', '--standard', 'x']));
    expect(std).toBeInstanceOf(PlannerError);
    expect(std.code).toBe('bad-arguments');
    expect(std.zh).toMatch(/^未知标准「x」/);
    expect(std.en).toMatch(/^unknown standard "x"/);
    expect(thrown(() => parseCheckArgs([])).zh).toMatch(/必须指定 --place/);
    expect(thrown(() => parseCheckArgs(['--place'])).en).toBe('--place needs a value');
    expect(thrown(() => parseCheckArgs(['--place', 'monaco', '--turns', 'maybe'])).en).toBe('--turns must be one of on, off, got "maybe"');
  });
  it('returns code 2, one error line in the chosen language and the usage for bad arguments', async () => {
    const r = await runCheck(['--bogus'], io);
    expect(r.code).toBe(2);
    expect(r.stderr.split('\n')[0]).toBe('错误 [bad-arguments]：未知选项 --bogus');
    expect(r.stderr).toContain('用法');
    const en = await runCheck(['--bogus', '--lang', 'en'], io);
    expect(en.stderr.split('\n')[0]).toBe('error [bad-arguments]: unknown option --bogus');
    const r2 = await runCheck(['--place', 'atlantis'], io);
    expect(r2.code).toBe(2);
    expect(r2.stderr).toBe('错误 [unknown-place]：未找到地点「atlantis」（文件：public/data/atlantis/place.json）\n');
    const r3 = await runCheck(['--place', 'atlantis', '--lang', 'en'], io);
    expect(r3.stderr).toBe('error [unknown-place]: place "atlantis" not found (file: public/data/atlantis/place.json)\n');
  });
});

describe('planner check on plan places without a network (straight-line estimate)', () => {
  it('qingxi: every station result is an estimate; towns mode keeps 清溪镇 only', async () => {
    const r = await runCheck(['--place', 'qingxi', '--districts', 'towns'], io);
    expect(r.stderr).toBe('');
    const rep = r.report!;
    expect(rep.mode).toBe('straight-line-estimate');
    expect(rep.stations.every((s) => s.mode === 'straight-line-estimate' && s.label.en === 'estimate — no road network')).toBe(true);
    expect(r.stdout).toContain('估算 — 无路网');
    // one town, one team: 清溪镇 (about 141 km²) goes to one station, the rest have no district
    const withDistrict = rep.stations.filter((s) => s.verdict !== 'no-district');
    expect(withDistrict).toHaveLength(1);
    expect(withDistrict[0].districtAreaKm2!).toBeGreaterThan(120);
    expect(withDistrict[0].verdict).toBe('fail');
  });
  it('yangdong auto: districts tile the 阳东区 planning area', async () => {
    const r = await runCheck(['--place', 'yangdong', '--json'], io);
    const rep = r.report!;
    const sum = rep.districts.features.reduce((a, f) => a + f.properties.areaKm2, 0);
    expect(sum).toBeGreaterThan(1600);
    expect(JSON.parse(r.stdout).summary).toEqual(rep.summary);
    expect(rep.summary.text_zh).toMatch(/^\d+ \/ \d+ 站满足 建标152-2017/);
  });
});

describe('planner check on a network sample with a river (GB 51080 §4.1.3)', () => {
  it('nanshan: the table names the river a district straddles and the road reached only across it', async () => {
    const r = await runCheck(['--place', 'nanshan', '--table'], io);
    expect(r.code).toBe(0);
    const hits = r.report!.stations.flatMap((s) => s.barriers.map((b) => ({ s, b })));
    expect(hits.length).toBeGreaterThan(0);
    for (const { s, b } of hits) {
      expect(b.name).toBe('大沙河');
      expect(b.roadOnlyAcrossM).toBeGreaterThan(0);
      const row = r.stdout.split('\n').find((l) => l.includes(s.name))!;
      expect(row).toContain(`大沙河 ${Math.round(b.lengthInsideM)} m (${(b.roadOnlyAcrossM! / 1000).toFixed(1)} km)`);
    }
  });
});
