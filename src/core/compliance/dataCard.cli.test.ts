import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCheck, type CheckIO } from './cli';

const root = resolve(__dirname, '../../..');
const io: CheckIO = {
  readText: async (p) => readFileSync(resolve(root, p), 'utf8'),
  readBytes: async (p) => {
    const b = readFileSync(resolve(root, p));
    return b.buffer.slice(b.byteOffset, b.byteOffset + b.byteLength) as ArrayBuffer;
  },
  exists: async (p) => existsSync(resolve(root, p)),
};

describe('planner check: data card and data gaps', () => {
  it('上海 JSON: dataGaps names the missing water and railways; dataCard has a row per layer', async () => {
    const r = await runCheck(['--place', 'shanghai', '--json'], io);
    expect(r.code).toBe(0);
    const out = JSON.parse(r.stdout);
    expect(out.dataGaps.map((g: { code: string }) => g.code)).toEqual(['water-data-missing', 'rail-data-missing']);
    expect(out.dataGaps[0]).toMatchObject({ zh: '水系数据缺失 — 障碍检查不完整', en: 'Water data missing — barrier check incomplete' });
    expect(out.dataCard.map((x: { layer: string }) => x.layer)).toEqual(['roads', 'water', 'rail', 'stations', 'hydrants', 'pois']);
    expect(out.dataCard.find((x: { layer: string }) => x.layer === 'water').missing).toBe(true);
  });

  it('上海 table: no district says "no barrier"; the card and the gap lines in the chosen language', async () => {
    const zh = await runCheck(['--place', 'shanghai', '--table'], io);
    const rows = zh.stdout.split('\n').filter((l) => l.startsWith('[示例]'));
    expect(rows).toHaveLength(20);
    for (const l of rows) expect(l).toMatch(/\? 水系、铁路数据缺失 \/ water, rail data missing$/);
    expect(zh.stdout).toContain('数据卡：各图层内容、来源与日期');
    expect(zh.stdout).toMatch(/水系\s+缺失\s+—/);
    expect(zh.stdout).toContain('  ! 水系数据缺失 — 障碍检查不完整');
    expect(zh.stdout).toContain('  ! 铁路数据缺失 — 障碍检查不完整');
    const en = await runCheck(['--place', 'shanghai', '--table', '--lang', 'en'], io);
    expect(en.stdout).toContain('  ! Water data missing — barrier check incomplete');
    expect(en.stdout).toMatch(/Roads \(drivable\)\s+975\.\d km\s+shanghai_center_overpass_2025-08-09\.osm \(2025-08-09\)/);
  });

  it('Monaco: no gaps; the card says the sea is there', async () => {
    const r = await runCheck(['--place', 'monaco', '--table', '--lang', 'en'], io);
    expect(r.code).toBe(0);
    expect(r.place!.dataGaps).toEqual([]);
    expect(r.stdout).toMatch(/Water\s+areas [\d.]+ km², lines [\d.]+ km, sea: yes\s+fallback_monaco_osrm-testdata_2016\.osm\.pbf \(2016\)/);
    expect(r.stdout).not.toContain('data missing');
    // Port Hercule cuts into La Condamine's district: the sea is a barrier there, and only there
    const withSea = r.report!.stations.filter((s) => s.barriers.some((b) => b.kind === 'sea')).map((s) => s.name);
    expect(withSea).toEqual(['Caserne de la Condamine']);
  });
});
