/**
 * Clip while decoding (src/core/osm/pbfClip.ts) when no node of the file lies outside the box (a place's own
 * extract: pass 3 has nothing to fetch, and the kept ways' refs are not looked up): the data kept equals the
 * brute-force pre-clipped extract, also with ways that use nodes absent from the file, in a sorted and an unsorted
 * file, with tiny-osmpbf (the reference decoder) and without the block cache — and equals it too when one node is
 * moved outside the box (the refs then looked up and fetched). Grids are SYNTHETIC (tests/support/pbfWriter.ts).
 */
import { describe, expect, it } from 'vitest';
import { growBbox, type Bbox } from '../../src/core/osm/clip';
import { readPbf } from '../../src/core/osm/pbf';
import type { OsmData, OsmNode, OsmWay } from '../../src/core/osm/types';
import { gridExtract, writePbf } from '../support/pbfWriter';

const inBox = ([a, b, c, d]: Bbox, n: OsmNode) => n.lon >= a && n.lon <= c && n.lat >= b && n.lat <= d;

/** Brute force on the whole file read: nodes in the box, the ways using one, all those ways' nodes found in the file. */
function preClip(file: Uint8Array, box: Bbox) {
  const all = readPbf(file, 'all.osm.pbf');
  const nodes = [...all.nodes.values()], ways: OsmWay[] = all.ways;
  const inside = new Set(nodes.filter((n) => inBox(box, n)).map((n) => n.id));
  const kept = ways.filter((w) => w.nodes.some((r) => inside.has(r)));
  const keep = new Set([...inside, ...kept.flatMap((w) => w.nodes)]);
  return { nodes: nodes.filter((n) => keep.has(n.id)).sort((x, y) => x.id - y.id), ways: kept };
}
const got = (d: OsmData) => ({ nodes: [...d.nodes.values()].sort((x, y) => x.id - y.id), ways: d.ways });

describe('clip while decoding a file wholly inside the box', () => {
  const g = gridExtract(40);
  const nodes = [...g.nodes], ways = [...g.ways];
  const maxId = Math.max(...nodes.map((n) => n.id));
  // ways using nodes the file lacks: one wholly, one in part (kept: it touches the box)
  ways.push({ id: 9_000_001, nodes: [maxId + 10, maxId + 11], tags: { highway: 'residential' } });
  ways.push({ id: 9_000_002, nodes: [nodes[5].id, maxId + 12, nodes[6].id], tags: { highway: 'service' } });
  const box = growBbox(g.bbox, 2000);

  it('keeps what the brute force keeps: every node, the ways touching them, absent refs left absent', () => {
    const files: [string, Uint8Array][] = [
      ['sorted', writePbf({ nodes, ways }, { perBlock: 300 })],
      ['unsorted', writePbf({ nodes, ways }, { perBlock: 300, kindsOrder: ['ways', 'nodes', 'relations'] })],
    ];
    for (const [name, file] of files) {
      const want = preClip(file, box);
      expect(want.nodes.length).toBe(nodes.length);
      expect(want.ways.length).toBe(ways.length - 1);
      for (const opts of [{}, { reference: true }, { cacheNodes: 0 }]) {
        const blocks: number[] = [];
        const d = readPbf(file, `${name}.osm.pbf`, undefined, { clip: box, ...opts, onBlock: (_done, total) => blocks.push(total) });
        expect(got(d), `${name} ${JSON.stringify(opts)}`).toEqual(want);
        expect(Math.max(...blocks)).toBe(Math.min(...blocks) + (name === 'unsorted' ? Math.ceil(ways.length / 300) : 0));
      }
    }
  });

  it('one node moved outside the box: its way still comes whole (the refs looked up and fetched)', () => {
    const moved = nodes.map((n, i) => (i === 7 ? { ...n, lon: box[2] + 0.5 } : n));
    const file = writePbf({ nodes: moved, ways }, { perBlock: 300 });
    const want = preClip(file, box);
    expect(want.nodes.some((n) => !inBox(box, n))).toBe(true);
    for (const opts of [{}, { cacheNodes: 0 }]) expect(got(readPbf(file, 'moved.osm.pbf', undefined, { clip: box, ...opts }))).toEqual(want);
  });
});
