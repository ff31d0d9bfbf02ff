/** Test helper: a seeded random grid road network (~100 m blocks) with some one-ways and missing links. */
import { ROAD_CLASSES } from './roadClass';
import type { OsmData, OsmWay } from './osm/types';

export interface GridOptions {
  /** Share of links left out. */
  dropRate: number;
  /** Share of links tagged oneway=yes. */
  onewayRate: number;
  /** First road-class index drawn (1 skips motorways). */
  firstClass: number;
  /** Number of road classes drawn from firstClass on. */
  classCount: number;
  /** Shape points added along each link (slightly off the straight line), 0 when absent. */
  shapePoints?: number;
}

export function randomGrid(seed: number, nx: number, ny: number, o: GridOptions): OsmData {
  let s = seed >>> 0;
  const rnd = () => ((s = (s * 1664525 + 1013904223) >>> 0) / 2 ** 32);
  const nodes = new Map<number, { id: number; lon: number; lat: number }>();
  const id = (i: number, j: number) => j * nx + i + 1;
  for (let j = 0; j < ny; j++) for (let i = 0; i < nx; i++) nodes.set(id(i, j), { id: id(i, j), lon: 114 + i * 0.001 + (rnd() - 0.5) * 3e-4, lat: 22.5 + j * 0.0009 + (rnd() - 0.5) * 3e-4 });
  const ways: OsmWay[] = [];
  const add = (a: number, b: number) => {
    if (rnd() < o.dropRate) return;
    const tags: Record<string, string> = { highway: ROAD_CLASSES[o.firstClass + Math.floor(rnd() * o.classCount)] };
    if (rnd() < o.onewayRate) tags.oneway = 'yes';
    const list = [a];
    const k = o.shapePoints ?? 0, pa = nodes.get(a)!, pb = nodes.get(b)!;
    for (let i = 1; i <= k; i++) {
      const sid = 1_000_000 + nodes.size;
      nodes.set(sid, { id: sid, lon: pa.lon + (i / (k + 1)) * (pb.lon - pa.lon) + (rnd() - 0.5) * 1e-4, lat: pa.lat + (i / (k + 1)) * (pb.lat - pa.lat) + (rnd() - 0.5) * 1e-4 });
      list.push(sid);
    }
    list.push(b);
    ways.push({ id: ways.length + 1, nodes: list, tags });
  };
  for (let j = 0; j < ny; j++) for (let i = 0; i < nx; i++) {
    if (i + 1 < nx) add(id(i, j), id(i + 1, j));
    if (j + 1 < ny) add(id(i, j), id(i, j + 1));
  }
  return { nodes, ways, relations: [] };
}
