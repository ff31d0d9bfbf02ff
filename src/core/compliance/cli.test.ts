import { describe, expect, it } from 'vitest';
import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { parseCheckArgs, runCheck, type CheckIO } from './cli';

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
  it('parses options and rejects bad ones in both languages', () => {
    expect(parseCheckArgs(['--place', 'monaco', '--standard', 'nfpa1710', '--districts', 'towns', '--json'])).toMatchObject({ place: 'monaco', standard: 'nfpa1710', districts: 'towns', json: true });
    expect(() => parseCheckArgs(['--place', 'monaco', '--standard', 'x'])).toThrow(/unknown standard.*未知标准/);
    expect(() => parseCheckArgs([])).toThrow(/--place.*必须/);
    expect(() => parseCheckArgs(['--place'])).toThrow(/needs a value/);
  });
  it('returns code 2 and the usage for bad arguments, and a message for an unknown place', async () => {
    const r = await runCheck(['--bogus'], io);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('用法');
    const r2 = await runCheck(['--place', 'atlantis'], io);
    expect(r2.code).toBe(2);
    expect(r2.stderr).toContain('未找到地点');
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
