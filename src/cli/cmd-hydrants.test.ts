/**
 * `planner hydrants`: the audit's figures on the command line, and --import with --crs auto on points placed on
 * 南山's real road nodes (example points, not real hydrants) shifted into GCJ-02 and BD-09, with bad rows.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import gcoord from 'gcoord';
import { afterAll, describe, expect, it } from 'vitest';
import { placeGraph } from '../../tests/support/place';

const bin = fileURLToPath(new URL('../../bin/planner.mjs', import.meta.url));
const planner = (...args: string[]) => spawnSync(process.execPath, [bin, 'hydrants', ...args], { encoding: 'utf8' });
const dir = mkdtempSync(join(tmpdir(), 'hydrants-cli-'));
afterAll(() => rmSync(dir, { recursive: true }));

/** Five example points on road nodes of 南山 in the given CRS, then a bad, a blank, a swapped and an outside row. */
function csv(crs: 'GCJ02' | 'BD09'): string {
  const g = placeGraph('nanshan');
  const lines = ['编号,名称,经度,纬度,类型'];
  for (let k = 0; k < 5; k++) {
    const i = Math.floor(((k + 0.5) / 5) * g.nodeCount);
    const [x, y] = gcoord.transform([g.lon[i] / 1e7, g.lat[i] / 1e7], gcoord.WGS84, gcoord[crs]) as [number, number];
    lines.push(`E${k},示例点 ${k},${x.toFixed(7)},${y.toFixed(7)},${k === 4 ? '取水点' : '市政消火栓'}`);
  }
  lines.push('B1,坏行,abc,22.5,市政消火栓', '', 'S1,写反,22.5400000,113.9400000,市政消火栓', 'O1,外地,116.4,39.9,市政消火栓');
  const f = join(dir, `${crs}.csv`);
  writeFileSync(f, lines.join('\n') + '\n');
  return f;
}

/** GBK bytes of a string, by reversing the platform's GB18030 decoder over the two-byte codes (ASCII as is). */
function gbk(text: string): Uint8Array {
  const dec = new TextDecoder('gb18030'), table = new Map<string, [number, number]>();
  for (let a = 0x81; a <= 0xfe; a++) for (let b = 0x40; b <= 0xfe; b++) if (b !== 0x7f) table.set(dec.decode(new Uint8Array([a, b])), [a, b]);
  const out: number[] = [];
  for (const ch of text) {
    if (ch.charCodeAt(0) < 0x80) out.push(ch.charCodeAt(0));
    else out.push(...table.get(ch)!);
  }
  return Uint8Array.from(out);
}

describe('planner hydrants', () => {
  it('Monaco: one hydrant in the data, 0 % protected, said in zh and en', () => {
    const zh = planner('--place', 'monaco');
    expect(zh.status).toBe(0);
    expect(zh.stdout).toContain('数据中有 1 个消火栓、0 个取水点——不是完整清单');
    expect(zh.stdout).toMatch(/150 m 保护半径内 0 km = 0 %/);
    expect(zh.stdout).toContain('§7.2.5');
    const en = planner('--place', 'monaco', '--json', '--lang', 'en');
    const r = JSON.parse(en.stdout);
    expect(r.audit.figures).toMatchObject({ hydrantsInData: 1, protectedKm: 0, farFromRoad: 1, spacingViolations: 1 });
    expect(r.audit.hydrants[0]).toMatchObject({ id: 'osm-node-4035229341', offRoadM: 187.1 });
    expect(r.audit.areas.length).toBeGreaterThan(5);
  });

  for (const crs of ['GCJ02', 'BD09'] as const)
    it(`--import with --crs auto picks ${crs} by the road fit and lists the rejected rows by line`, () => {
      const out = planner('--place', 'nanshan', '--import', csv(crs), '--json');
      expect(out.stderr).toBe('');
      const r = JSON.parse(out.stdout);
      expect(r.import.crs).toBe(crs.toLowerCase());
      expect(r.import.auto).toBe(true);
      const fit = Object.fromEntries(r.import.fits.map((x: { crs: string; medianM: number }) => [x.crs, x.medianM]));
      expect(fit[crs.toLowerCase()]).toBeLessThan(1);
      // Dense roads: a shifted point is still near some road, but much farther than the right reading.
      expect(fit.wgs84).toBeGreaterThan(10);
      expect(r.import.accepted).toBe(5);
      expect(r.import.rejected.map((x: { row: number; code: string }) => [x.row, x.code])).toEqual([[7, 'bad-coordinate'], [9, 'swapped-lat-lon'], [10, 'outside-place']]);
      expect(r.audit.figures).toMatchObject({ hydrantsInData: 4, intakesInData: 1 });
      expect(r.audit.figures.protectedKm).toBeGreaterThan(0.3);
    });

  it('text output names the chosen CRS and the rows; a place without roads and a bad option are refused', () => {
    const t = planner('--place', 'nanshan', '--import', csv('GCJ02'), '--lang', 'en');
    expect(t.stdout).toMatch(/CRS GCJ02 \(auto: best road fit, median distance to the nearest road WGS84 \d+(\.\d)? m, GCJ02 0(\.\d)? m/);
    expect(t.stdout).toContain('row 9: latitude and longitude look swapped');
    const y = planner('--place', 'yangdong');
    expect(y.status).toBe(1);
    expect(y.stderr).toMatch(/^错误 \[graph-not-found\]/);
    const b = planner('--place', 'monaco', '--crs', 'utm');
    expect(b.status).toBe(2);
    expect(b.stderr).toMatch(/^错误 \[bad-option\]/);
  });

  it('--import reads a GBK CSV (as Chinese Excel saves it) with the app importer: names, status words, unknown words listed', () => {
    const g = placeGraph('nanshan');
    const lines = ['编号,名称,经度,纬度,类型,状态,口径'];
    const status = ['正常', '不正常', '损坏', '完好', '待查'];
    for (let k = 0; k < 5; k++) {
      const i = Math.floor(((k + 0.5) / 5) * g.nodeCount);
      const [x, y] = gcoord.transform([g.lon[i] / 1e7, g.lat[i] / 1e7], gcoord.WGS84, gcoord.GCJ02) as [number, number];
      lines.push(`G${k},南山示例点${k},${x.toFixed(7)},${y.toFixed(7)},地上式消火栓,${status[k]},DN150`);
    }
    const f = join(dir, 'gbk.csv');
    writeFileSync(f, gbk(lines.join('\r\n') + '\r\n'));
    const out = planner('--place', 'nanshan', '--import', f, '--json');
    expect(out.stderr).toBe('');
    const r = JSON.parse(out.stdout);
    expect(r.import).toMatchObject({ format: 'csv', encoding: 'gb18030', crs: 'gcj02', swapped: false, rows: 5 });
    expect(r.import.mapping).toMatchObject({ id: '编号', name: '名称', lon: '经度', lat: '纬度', status: '状态' });
    const got = r.audit.hydrants.filter((h: { id: string }) => h.id.startsWith('G'));
    expect(r.import.accepted).toBe(5);
    expect(r.import.rejected).toEqual([]);
    expect(got.length).toBe(r.import.accepted);
    expect(got.every((h: { name: string }) => /^南山示例点\d$/.test(h.name))).toBe(true);
    // 不正常 and 损坏 are out of service; 待查 is an unknown word, listed.
    const oos = got.filter((h: { problem: string | null }) => h.problem === 'out-of-service').map((h: { id: string }) => h.id);
    expect(oos).toEqual(['G1', 'G2']);
    expect(r.audit.figures.outOfService).toBe(oos.length);
    expect(r.import.unknownStatus).toEqual([{ row: 6, value: '待查' }]);
    const zh = planner('--place', 'nanshan', '--import', f);
    expect(zh.stdout).toMatch(/导入「.*gbk\.csv」（CSV GB18030）：坐标系 GCJ02/);
  });
});
