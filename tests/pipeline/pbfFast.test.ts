/**
 * The fast PBF block decoder (src/core/osm/pbfFast.ts) against tiny-osmpbf, the reference: it takes every block of
 * the shipped PBF samples and of a synthetic grid and decodes them to exactly what tiny-osmpbf decodes; on thousands
 * of damaged files (the fuzz suite's PBF mutations, same seeds every run) readPbf answers exactly as with tiny-osmpbf
 * alone — the same data, or the same error in both languages.
 */
import { describe, expect, it } from 'vitest';
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { inflateSync } from 'node:zlib';
import { readPbf, splitPbf } from '../../src/core/osm/pbf';
import { decodePrimitiveBlock } from '../../src/core/osm/pbfFast';
import type { OsmData } from '../../src/core/osm/types';
import { mutateBytes, Rng, truncate } from '../fuzz/gen';
import { pbfFile, primitiveBlock, type PbfNode, type PbfWay } from '../fuzz/pbf';
import { gridExtract, writePbf } from '../support/pbfWriter';

const root = resolve(__dirname, '../..');
const raw = (f: string) => new Uint8Array(readFileSync(join(root, 'geodata/raw', f)));
const dump = (d: OsmData) => JSON.stringify({ nodes: [...d.nodes.entries()], ways: d.ways, relations: d.relations });
const sha = (s: string) => createHash('sha256').update(s).digest('hex');

/** Uncompressed content of each data block (node's zlib: independent of the app's inflater). */
function dataBlocks(file: Uint8Array): Uint8Array[] {
  const blocks = splitPbf(file);
  if (!Array.isArray(blocks)) throw new Error(blocks.en);
  return blocks.slice(1).map(({ blob }) => {
    const f: Record<number, Uint8Array> = {};
    let p = 0;
    const v = () => { let x = 0, m = 1, b; do { b = blob[p++]; x += (b & 127) * m; m *= 128; } while (b & 128); return x; };
    while (p < blob.length) { const k = v(); if (k % 8 === 0) v(); else { const n = v(); f[Math.floor(k / 8)] = blob.subarray(p, p + n); p += n; } }
    return f[3] ? new Uint8Array(inflateSync(f[3])) : f[1];
  });
}

const grid = () => { const g = gridExtract(60); return writePbf({ nodes: g.nodes, ways: g.ways }, { perBlock: 1000 }); };
const FILES: [string, () => Uint8Array][] = [
  ['Monaco', () => raw('fallback_monaco_osrm-testdata_2016.osm.pbf')],
  ['Andorra', () => raw('andorra_graphhopper-testdata_2013.osm.pbf')],
  ['synthetic 60 × 60 grid (SYNTHETIC)', grid],
];

describe('the fast decoder reads real files as tiny-osmpbf does', () => {
  for (const [name, bytes] of FILES) {
    it(`${name}: every block taken by the fast decoder, the data identical to tiny-osmpbf's`, () => {
      const file = bytes();
      const blocks = dataBlocks(file);
      expect(blocks.length).toBeGreaterThan(1);
      for (const b of blocks) expect(decodePrimitiveBlock(b)).not.toBeNull();
      const fast = readPbf(file, name), ref = readPbf(file, name, undefined, { reference: true });
      expect(fast.nodes.size).toBeGreaterThan(1000);
      expect(fast.ways.length).toBeGreaterThan(100);
      expect(sha(dump(fast))).toBe(sha(dump(ref)));
    }, 60_000);
  }
});

/** What readPbf answers: a hash of the data, or the error's code and both messages. */
function answer(file: Uint8Array, reference: boolean): string {
  try {
    return sha(dump(readPbf(file, 'fuzz.osm.pbf', undefined, { reference, maxNodes: 40 })));
  } catch (err) {
    const e = err as { code?: string; zh?: string; en?: string; message?: string };
    return `${e.code ?? 'thrown'} | ${e.zh ?? ''} | ${e.en ?? e.message ?? String(err)}`;
  }
}

describe('on damaged files readPbf answers exactly as with tiny-osmpbf alone', () => {
  it('3000 mutated files (the fuzz suite PBF mutations, fixed seeds)', () => {
    const src = readPbf(raw('fallback_monaco_osrm-testdata_2016.osm.pbf'), 'monaco');
    const ways: PbfWay[] = src.ways.filter((w) => w.nodes.length > 1).slice(0, 6).map((w) => ({ id: w.id, refs: w.nodes.slice(0, 5), tags: { ...w.tags } }));
    const nodes: PbfNode[] = [...new Set(ways.flatMap((w) => w.refs))].map((id) => { const n = src.nodes.get(id)!; return { id, lat: n.lat, lon: n.lon, tags: n.tags }; });
    nodes[0].tags = { highway: 'traffic_signals', name: '路口 Ω' };
    let accepted = 0, refused = 0, fastTaken = 0;
    for (let seed = 1; seed <= 3000; seed++) {
      const rng = new Rng(seed);
      const zlib = rng.chance(0.4);
      let file: Uint8Array;
      switch (rng.int(5)) {
        case 0: file = mutateBytes(rng, pbfFile([primitiveBlock(nodes, ways)], zlib)); break;
        case 1: file = truncate(rng, pbfFile([primitiveBlock(nodes, ways)], zlib)); break;
        case 2: case 3: { const b = mutateBytes(rng, primitiveBlock(nodes, ways)); if (decodePrimitiveBlock(b)) fastTaken++; file = pbfFile([b], zlib); break; }
        default: {
          const b = mutateBytes(rng, primitiveBlock(nodes.slice(0, 3), ways.slice(0, 1), { granularity: rng.pick([100, 1, 2 ** 31]) }));
          if (decodePrimitiveBlock(b)) fastTaken++;
          file = pbfFile([primitiveBlock(nodes, ways), b], zlib);
        }
      }
      const want = answer(file, true);
      expect(answer(file, false), `seed ${seed}`).toBe(want);
      if (want.includes('|')) refused++; else accepted++;
    }
    // both kinds of answer are exercised, and the fast decoder takes many of the damaged blocks itself
    expect(accepted).toBeGreaterThan(150);
    expect(refused).toBeGreaterThan(1000);
    expect(fastTaken).toBeGreaterThan(100);
    if (process.env.PBF_FAST_COUNTS) console.log({ accepted, refused, fastTaken });
  }, 120_000);
});
