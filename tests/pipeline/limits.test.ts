/**
 * Size limits of the OSM readers (issue #15): the PBF decompression budget and block-by-block decoding (memory
 * measured in a child process), the node limit, and the 512 MiB text limit of OSM XML / JSON.
 */
import { describe, expect, it } from 'vitest';
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { gzipSync } from 'node:zlib';
import { isErrorInfo, type PlannerErrorInfo } from '../../src/core/errors';
import { countXmlNodes, MAX_TEXT_BYTES, pbfBudget, readOsm } from '../../src/core/osm/read';
import { pipelineMaxNodes } from '../../geodata/lib/limits';
import { pbfBomb } from './pbfBomb';
import { bytes, tinyJson, tinyXml } from './tiny';

const MiB = 1024 * 1024;
const MONACO = resolve(__dirname, '../../geodata/raw/fallback_monaco_osrm-testdata_2016.osm.pbf');

/** Reads a crafted PBF in a fresh Node process; its outcome and peak resident memory (MiB). */
function readInChild(file: Uint8Array, budget?: number): { code?: string; en?: string; zh?: string; nodes?: number; crash?: string; maxRssMiB: number } {
  const dir = mkdtempSync(join(tmpdir(), 'pbf-bomb-'));
  try {
    writeFileSync(join(dir, 'bomb.osm.pbf'), file);
    const args = ['--import', 'tsx', resolve(__dirname, 'pbfBombChild.ts'), join(dir, 'bomb.osm.pbf')];
    if (budget !== undefined) args.push(String(budget));
    return JSON.parse(execFileSync(process.execPath, args, { cwd: resolve(__dirname, '../..'), encoding: 'utf8', maxBuffer: 1 << 20 }));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const caught = (run: () => unknown): PlannerErrorInfo => {
  try {
    run();
  } catch (e) {
    if (isErrorInfo(e)) return e;
    throw e;
  }
  throw new Error('no error thrown');
};

describe('PBF decompression budget', () => {
  it('is 16 times the file size, at least 64 MiB and at most 2 GiB', () => {
    expect(pbfBudget(1000)).toBe(64 * MiB);
    expect(pbfBudget(10 * MiB)).toBe(160 * MiB);
    expect(pbfBudget(100 * MiB)).toBe(1600 * MiB);
    expect(pbfBudget(400 * MiB)).toBe(2048 * MiB);
    // real extracts unpack to 2–3 times their size: Monaco (1.7 MB → 4.0 MiB) is far inside its budget
    expect(readOsm(new Uint8Array(readFileSync(MONACO)), 'monaco.osm.pbf', undefined, { pbfBudget: 4.5 * MiB }).nodes.size).toBe(180118);
    expect(caught(() => readOsm(new Uint8Array(readFileSync(MONACO)), 'monaco.osm.pbf', undefined, { pbfBudget: 3.9 * MiB })).code).toBe('pbf-too-large');
  });

  it('a 0.75 MB decompression bomb (768 MiB unpacked) is refused at once with a clear message, peak memory far under 512 MB', () => {
    const bomb = pbfBomb(24, 32 * MiB);
    expect(bomb.length).toBeLessThan(MiB);
    const r = readInChild(bomb);
    expect(r.crash).toBeUndefined();
    expect(r.code).toBe('pbf-too-large');
    expect(r.en).toContain('declares 768 MiB once decompressed, over the 64 MiB allowed');
    expect(r.en).toContain('bomb.osm.pbf');
    expect(r.zh).toContain('声明解压后共 768 MiB，超过允许的 64 MiB');
    expect(r.maxRssMiB).toBeLessThan(256);
  }, 60_000);

  it('blocks are decoded one at a time: 544 MiB of blocks read under a raised budget peak under 512 MB', () => {
    const r = readInChild(pbfBomb(17, 32 * MiB), 1024 * MiB);
    expect(r.crash).toBeUndefined();
    expect(r.code).toBeUndefined();
    expect(r.nodes).toBe(1);
    expect(r.maxRssMiB).toBeLessThan(512);
  }, 120_000);

  it('a block declaring more than the 32 MiB the format allows is refused before it is inflated', () => {
    const e = caught(() => readOsm(pbfBomb(1, 32 * MiB + 100), 'big-block.osm.pbf'));
    expect(e.code).toBe('bad-osm');
    expect(e.en).toMatch(/block 2 unpacks to 32 MiB, over the 32 MiB the PBF format allows/);
  });
});

describe('node limit (refused before the graph is built, never a V8 out-of-memory abort)', () => {
  it('PBF: reading stops at the limit with an error naming it', () => {
    const monaco = new Uint8Array(readFileSync(MONACO));
    const e = caught(() => readOsm(monaco, 'monaco.osm.pbf', undefined, { maxNodes: 100_000 }));
    expect(e.code).toBe('too-many-nodes');
    expect(e.en).toContain('more than 100,000 nodes');
    expect(e.zh).toContain('超过 100,000 个节点的上限');
    expect(readOsm(monaco, 'monaco.osm.pbf', undefined, { maxNodes: 180118 }).nodes.size).toBe(180118);
  });

  it('XML: nodes are counted in the bytes before parsing; JSON: checked after parsing', () => {
    const xml = bytes(tinyXml());
    expect(countXmlNodes(xml)).toBe(9);
    expect(countXmlNodes(bytes('<osm><node id="1"/><nodex/><node\n id="2">< node/><node></osm>'))).toBe(3);
    expect(caught(() => readOsm(xml, 'tiny.osm', undefined, { maxNodes: 8 })).code).toBe('too-many-nodes');
    expect(readOsm(xml, 'tiny.osm', undefined, { maxNodes: 9 }).nodes.size).toBe(9);
    expect(caught(() => readOsm(bytes(tinyJson()), 'tiny.json', undefined, { maxNodes: 8 })).code).toBe('too-many-nodes');
  });
});

describe('pipeline node limit', () => {
  it('is the free heap over 1 KiB per node: about 4.1 million nodes with Node\'s default 4 GiB heap (a 9 M-node extract is refused)', () => {
    expect(pipelineMaxNodes(4144 * MiB, 20 * MiB)).toBe((4144 - 64 - 20) * 1024);
    expect(pipelineMaxNodes(4144 * MiB, 20 * MiB)).toBeLessThan(9_000_000);
    expect(pipelineMaxNodes(50 * MiB, 20 * MiB)).toBe(0);
  });

  it('a build with too small a heap stops with exit 1 and a message naming the limit, not a V8 out-of-memory abort', () => {
    const dir = mkdtempSync(join(tmpdir(), 'heap-'));
    try {
      const r = spawnSync(process.execPath, ['--max-old-space-size=40', '--import', 'tsx', 'geodata/build.ts', '--place', 'monaco', '--out', join(dir, 'data')],
        { cwd: resolve(__dirname, '../..'), encoding: 'utf8', env: { ...process.env, LANG: 'en_US.UTF-8' } });
      expect(r.stderr).not.toContain('FATAL ERROR');
      expect(r.status).toBe(1);
      expect(r.stderr).toMatch(/has more than [\d,]+ nodes, the most this program can take/);
      expect(r.stderr).toContain('--max-old-space-size');
      expect(r.stderr).toContain('[too-many-nodes]');
      expect(existsSync(join(dir, 'data'))).toBe(false);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 60_000);
});

describe('OSM XML / JSON over 512 MiB', () => {
  it('is refused with a message naming the limit, not a bare V8 string error', () => {
    const big = new Uint8Array(MAX_TEXT_BYTES + 1); // zero pages: not touched beyond the first few bytes
    big.set(bytes('<?xml version="1.0"?><osm version="0.6">'));
    const e = caught(() => readOsm(big, 'planet.osm'));
    expect(e.code).toBe('text-too-large');
    expect(e.en).toContain('512 MiB limit');
    expect(e.en).toContain('planet.osm');
    expect(e.zh).toContain('512 MiB 上限');
  });

  it('a gzip file declaring more than 512 MiB of text is refused before it is unpacked', () => {
    const gz = new Uint8Array(gzipSync(bytes(tinyXml())));
    new DataView(gz.buffer).setUint32(gz.length - 4, 600 * MiB, true);
    const e = caught(() => readOsm(gz, 'huge.osm.gz'));
    expect(e.code).toBe('text-too-large');
    expect(e.en).toContain('600 MiB uncompressed');
  });
});
