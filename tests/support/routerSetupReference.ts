/**
 * Test support: the router set-up's computations as they were before issue #11's router work (travel seconds per
 * edge, the rule flags, the weak components), kept only to compare the faster versions with
 * (tests/pipeline/routerSame.test.ts).
 */
import { EdgeFlag, type RoadGraph } from '../../src/core/graph';
import type { EdgeSecondsOptions, SpeedProfile } from '../../src/core/profile';
import { ROAD_CLASSES, SPEED_CLASSES } from '../../src/core/roadClass';
import { CLOSED_BASE, ONEWAY_AGAINST, ONEWAY_ALLOWED, RULE_EMERGENCY_ONLY, type RuleClosures } from '../../src/core/roadRulesGraph';
import type { Components } from '../../src/core/components';

export function referenceEdgeSeconds(graph: RoadGraph, profile: SpeedProfile, opts: EdgeSecondsOptions = {}): Float32Array {
  const factor = opts.peak ? profile.peakFactor.value : 1;
  const mps = new Float64Array(ROAD_CLASSES.length); // 0 (no speed: ferry) → Infinity seconds
  SPEED_CLASSES.forEach((c, i) => { mps[i] = (profile.speedsKmh[c].value * factor) / 3.6; });
  const fixed = opts.fixedSeconds;
  const cap = profile.capAtMaxspeed.value;
  const contraflow = profile.oneway.value === 'contraflow';
  const penalty = profile.contraflowPenalty.value;
  const allowEmergency = profile.allowEmergencyOnly.value;
  const out = new Float32Array(graph.edgeCount);
  const { lengthM, roadClass, flags, maxspeed } = graph;
  for (let e = 0; e < graph.edgeCount; e++) {
    const f = flags[e];
    if (f & EdgeFlag.NoAccess || (f & EdgeFlag.EmergencyOnly && !allowEmergency) || (f & EdgeFlag.AgainstOneway && !contraflow)) {
      out[e] = Infinity;
      continue;
    }
    let s: number;
    if (fixed && fixed[e] > 0) s = fixed[e];
    else {
      let v = mps[roadClass[e]] ?? 0;
      if (cap && maxspeed[e] > 0) v = Math.min(v, (maxspeed[e] * factor) / 3.6);
      s = v > 0 ? lengthM[e] / v : Infinity;
    }
    if (f & EdgeFlag.AgainstOneway) s *= penalty;
    out[e] = s;
  }
  return out;
}

export function referenceRuleFlags(graph: RoadGraph, c: RuleClosures): Uint8Array {
  const flags = Uint8Array.from(graph.flags);
  const hasFacts = !!graph.edgeFacts && graph.edgeFacts.length === graph.edgeCount;
  const ACCESS = hasFacts ? EdgeFlag.NoAccess | EdgeFlag.EmergencyOnly : 0;
  for (let v = 0; v < graph.nodeCount; v++) {
    for (let e = graph.firstEdge[v]; e < graph.firstEdge[v + 1]; e++) {
      let f = flags[e] & ~ACCESS;
      const code = Math.max(c.edge[e], c.node[v]);
      if (code >= CLOSED_BASE) f |= EdgeFlag.NoAccess;
      else if (code === RULE_EMERGENCY_ONLY) f |= EdgeFlag.EmergencyOnly;
      if (c.oneway[e] === ONEWAY_AGAINST) f |= EdgeFlag.AgainstOneway;
      else if (c.oneway[e] === ONEWAY_ALLOWED) f &= ~EdgeFlag.AgainstOneway;
      flags[e] = f;
    }
  }
  return flags;
}

export function referenceComponents(graph: RoadGraph, minNodes?: number): Components {
  const n = graph.nodeCount;
  const parent = new Uint32Array(n);
  for (let i = 0; i < n; i++) parent[i] = i;
  const find = (x: number): number => {
    while (parent[x] !== x) {
      parent[x] = parent[parent[x]];
      x = parent[x];
    }
    return x;
  };
  // the root of a set is always its least node (the larger root goes under the smaller), so u's root is kept
  // across its edges instead of found again for each
  const { firstEdge, target, flags } = graph;
  for (let u = 0; u < n; u++) {
    let a = find(u);
    for (let e = firstEdge[u], end = firstEdge[u + 1]; e < end; e++) {
      if (flags[e] & EdgeFlag.NoAccess) continue;
      const b = find(target[e]);
      if (a < b) parent[b] = a;
      else if (b < a) { parent[a] = b; a = b; }
    }
  }
  const rootSize = new Uint32Array(n);
  for (let i = 0; i < n; i++) rootSize[find(i)]++;
  const roots: number[] = [];
  for (let i = 0; i < n; i++) if (rootSize[i] > 0) roots.push(i);
  roots.sort((a, b) => rootSize[b] - rootSize[a] || a - b);
  const rootId = new Uint32Array(n);
  roots.forEach((r, k) => { rootId[r] = k; });
  const id = new Uint32Array(n);
  for (let i = 0; i < n; i++) id[i] = rootId[find(i)];
  const size = Uint32Array.from(roots.map((r) => rootSize[r]));
  return { id, size, count: roots.length, isolatedBelow: minNodes ?? Math.max(20, Math.ceil(n * 0.02)) };
}
