import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { run } from './cmd-fetch-osm';
import { runBuild } from '../../geodata/build';
import { readOsm } from '../core/osm/read';
// @ts-expect-error plain JavaScript test server
import { startOverpassServer } from '../../tests/support/overpassServer.mjs';

const root = resolve(__dirname, '../..');
const bin = fileURLToPath(new URL('../../bin/planner.mjs', import.meta.url));
const nanshan = readFileSync(resolve(root, 'geodata/raw/shenzhen_nanshan_xili_overpass_2021-03-17.osm'));
let server: { url: string; requests: { data: string | null }[]; close(): Promise<void> };
let work: string;
beforeAll(async () => {
  server = await startOverpassServer();
  work = mkdtempSync(join(tmpdir(), 'fetch-osm-'));
});
afterAll(async () => {
  await server.close();
  rmSync(work, { recursive: true, force: true });
});

async function cli(args: string[]) {
  let out = '', err = '';
  const code = await run(args, { out: (t) => { out += t; }, err: (t) => { err += t; }, cwd: work, now: new Date('2026-12-05T08:00:00Z') });
  return { code, out, err };
}
const at = (mode: string) => `${server.url}/${mode}/api/interpreter`;

describe('planner fetch-osm against the loopback server', () => {
  it('writes the answer to geodata/raw/<place>-overpass-<date>.osm and prints bytes and counts', async () => {
    const r = await cli(['--place', 'nanshan', '--endpoint', at('ok')]);
    expect(r.err).toBe('');
    expect(r.code).toBe(0);
    const o = JSON.parse(r.out);
    const osm = readOsm(new Uint8Array(nanshan), 'n.osm');
    const file = join(work, 'geodata/raw/nanshan-overpass-2026-12-05.osm');
    expect(o).toMatchObject({ place: 'nanshan', file, bytes: nanshan.length, nodes: osm.nodes.size, ways: osm.ways.length, relations: osm.relations.length });
    expect(readFileSync(file).equals(nanshan)).toBe(true);
    expect(o.highways).toBeGreaterThan(100);
    expect(o.highwaysInPlace).toBeGreaterThan(100);
    expect(server.requests[server.requests.length - 1].data).toContain('[bbox:');
  });

  it('the fetched 清溪镇 fixture goes through the pipeline\'s --osm: the place gets a network', async () => {
    const out = join(work, 'qingxi.osm');
    const r = await cli(['--place', 'qingxi', '--endpoint', at('qingxi'), '--out', 'qingxi.osm']);
    expect(r.code).toBe(0);
    expect(JSON.parse(r.out)).toMatchObject({ file: out, nodes: 19, ways: 12, highways: 12 });
    const metas = runBuild({ outDir: join(work, 'data'), place: 'qingxi', osm: out, log: () => undefined });
    const q = metas.find((m) => m.id === 'qingxi')!;
    expect(q.hasNetwork).toBe(true);
    expect(q.stats).toMatchObject({ graphNodes: 19 });
  });

  const failures: [string, string][] = [
    ['busy', 'overpass-busy'], ['timeout', 'overpass-timeout'], ['remark', 'overpass-timeout'], ['truncated', 'overpass-broken'],
    ['html', 'overpass-broken'], ['reset', 'overpass-interrupted'], ['noroads', 'overpass-no-roads'], ['foreign', 'no-overlap'],
  ];
  for (const [mode, code] of failures) {
    it(`${mode}: exit 1, one error line with code ${code}, no file written`, async () => {
      const file = `${mode}.osm`;
      const r = await cli(['--place', 'nanshan', '--endpoint', at(mode), '--out', file, '--lang', 'en']);
      expect(r.code).toBe(1);
      expect(r.out).toBe('');
      expect(r.err).toMatch(new RegExp(`^error \\[${code}\\]: .+\\n$`));
      expect(existsSync(join(work, file))).toBe(false);
    });
  }

  it('an answer over --max-mb: the error says the cap', async () => {
    const r = await cli(['--place', 'nanshan', '--endpoint', at('oversize'), '--max-mb', '2', '--out', 'big.osm']);
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/^错误 \[overpass-too-large\]：.*2 MB/);
  });

  it('usage errors exit 2; --print-query sends nothing', async () => {
    const before = server.requests.length;
    expect((await cli(['--endpoint', at('ok')])).err).toMatch(/\[missing-option\]/);
    expect((await cli(['--place', 'nanshan', '--endpoint', 'ftp://x'])).code).toBe(2);
    expect((await cli(['--place', 'nanshan', '--max-mb', '0'])).code).toBe(2);
    expect((await cli(['--place', 'nowhere', '--endpoint', at('ok')])).err).toMatch(/\[place-not-found\]/);
    const q = await cli(['--place', 'qingxi', '--print-query']);
    expect(q.code).toBe(0);
    expect(q.out).toMatch(/^\[out:xml\]/);
    expect(server.requests.length).toBe(before);
  });

  it('bin/planner.mjs runs the command (registered in commands.ts)', async () => {
    const p = spawn(process.execPath, [bin, 'fetch-osm', '--place', 'qingxi', '--print-query'], { cwd: root });
    let out = '';
    p.stdout.on('data', (c) => { out += c; });
    const code = await new Promise((ok) => p.on('close', ok));
    expect(code).toBe(0);
    expect(out).toContain('out body;');
  });
});
