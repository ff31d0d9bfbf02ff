/**
 * The part of a stored graph that a request needs: rows of graph_edges (every directed edge with its nodes) turned
 * back into our graph format, nodes renumbered in their old order, turn restrictions kept when all their edges are
 * there. Pure: rows in, RoadGraph out.
 */
import { decodeGraph, encodeGraph, type GraphNames, type RoadGraph } from '../core/graph';

export interface EdgeRow {
  idx: number; source: number; target: number; length_m: number; name_id: number; road_class: number; flags: number; maxspeed: number;
  edge_facts: number; source_lon: number; source_lat: number; target_lon: number; target_lat: number; source_facts: number; target_facts: number;
}

export interface GraphMeta { names: GraphNames; facts: Record<string, string>[]; restr_first: number[]; restr_edges: number[] }

export function subgraph(rowsIn: readonly EdgeRow[], meta: GraphMeta): RoadGraph {
  // Sorted by edge index, the sources come in ascending order (our CSR), so renumbered nodes keep them grouped.
  const rows = [...rowsIn].sort((a, b) => a.idx - b.idx);
  const node = new Map<number, { lon: number; lat: number; facts: number }>();
  for (const r of rows) {
    node.set(r.source, { lon: r.source_lon, lat: r.source_lat, facts: r.source_facts });
    node.set(r.target, { lon: r.target_lon, lat: r.target_lat, facts: r.target_facts });
  }
  const old = [...node.keys()].sort((a, b) => a - b);
  const id = new Map(old.map((o, i) => [o, i]));
  const n = old.length, m = rows.length;
  const lon = new Int32Array(n), lat = new Int32Array(n), nodeFacts = new Uint32Array(n);
  old.forEach((o, i) => { const x = node.get(o)!; lon[i] = x.lon; lat[i] = x.lat; nodeFacts[i] = x.facts; });
  const firstEdge = new Uint32Array(n + 1), target = new Uint32Array(m), lengthM = new Float32Array(m), nameId = new Uint32Array(m);
  const roadClass = new Uint8Array(m), flags = new Uint8Array(m), maxspeed = new Uint8Array(m), edgeFacts = new Uint32Array(m);
  const edgeOf = new Map<number, number>();
  rows.forEach((r, e) => {
    firstEdge[id.get(r.source)! + 1]++;
    target[e] = id.get(r.target)!;
    lengthM[e] = r.length_m; nameId[e] = r.name_id; roadClass[e] = r.road_class; flags[e] = r.flags; maxspeed[e] = r.maxspeed; edgeFacts[e] = r.edge_facts;
    edgeOf.set(r.idx, e);
  });
  for (let i = 0; i < n; i++) firstEdge[i + 1] += firstEdge[i];
  const first = [0], seq: number[] = [];
  for (let k = 0; k + 1 < meta.restr_first.length; k++) {
    const s = meta.restr_edges.slice(meta.restr_first[k], meta.restr_first[k + 1]).map((e) => edgeOf.get(e));
    if (s.every((e) => e !== undefined)) { seq.push(...(s as number[])); first.push(seq.length); }
  }
  return decodeGraph(encodeGraph({
    lon, lat, firstEdge, target, lengthM, nameId, roadClass, flags, maxspeed, names: meta.names,
    restrFirst: Uint32Array.from(first), restrEdges: Uint32Array.from(seq), edgeFacts, nodeFacts, facts: meta.facts,
  }));
}
