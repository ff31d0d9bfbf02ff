/**
 * OSM turn restrictions (relations type=restriction) as forbidden sequences of directed graph edges.
 *
 * What applies to a fire engine (a decision, documented here and in the README):
 *  - `restriction=*` and the motor-vehicle variants `restriction:motor_vehicle`, `restriction:motorcar`,
 *    `restriction:vehicle` apply. Restrictions only for other vehicle kinds (`restriction:hgv`, `:bus`, `:bicycle` …)
 *    do not: a fire engine is an emergency vehicle, not a goods vehicle or bus, and those signs address other traffic.
 *  - `except=*` naming emergency vehicles (`emergency`, `fire_engine`, `emergency_vehicle`) → the restriction is skipped.
 *  - `restriction:conditional` is ignored (skipped when it is the only restriction key, counted when it is beside a
 *    plain `restriction`, which then applies unconditionally); so are the old `day_on`/`hour_on` style conditions.
 * Members: one or more `from` ways, a `via` node or a chain of `via` ways, one or more `to` ways (several only for
 * `no_*`, as in no_entry / no_exit). The from-edge is the edge of the from-way arriving at the via point; when a way
 * passes through the via point instead of ending there (invalid in OSM, frequent in real data), the arriving edge that
 * does not run against a one-way is taken; a `no_u_turn` onto the same way forbids the U-turn from each side; else the
 * one pair of edges whose turn angle fits the restriction's direction (left / right / straight on / U-turn) is taken;
 * anything still ambiguous (e.g. no_entry on a two-way way passing through) is skipped and counted. Via-way chains
 * must join end to end. `only_*` becomes the `no_*` sequences it implies: every other edge
 * leaving the last via point, including the U-turn back onto the from-way.
 */
import { EdgeFlag } from '../graph';
import type { OsmMember, OsmRelation, Tags } from './types';

/** Why a restriction relation was not used. */
export type RestrictionSkip =
  | 'conditional' | 'otherVehicle' | 'exceptEmergency' | 'unknownKind' | 'badMembers' | 'missingMember' | 'notConnected' | 'ambiguous';

export const RESTRICTION_SKIPS: readonly RestrictionSkip[] = [
  'conditional', 'otherVehicle', 'exceptEmergency', 'unknownKind', 'badMembers', 'missingMember', 'notConnected', 'ambiguous',
];

export interface RestrictionStats {
  /** Relations of type restriction in the data. */
  restrictionsRead: number;
  /** Relations that gave at least one forbidden sequence. */
  restrictionsUsed: number;
  /** Relations not used, by reason (restrictionsRead = restrictionsUsed + the sum of these). */
  restrictionsSkipped: Record<RestrictionSkip, number>;
  /** Used relations that also carry `restriction:conditional`, whose condition was ignored. */
  restrictionConditionsIgnored: number;
  /** Used relations whose from- or to-way passes through the via node, resolved by the turn angle. */
  restrictionsResolvedByAngle: number;
  /** Forbidden edge sequences stored (after removing duplicates). */
  restrictionSequences: number;
}

/** The graph as far as restrictions need it: directed edges of every way segment and the CSR adjacency. */
export interface RestrictionInput {
  /** Segments of each used way in way order: segment i joins segA[i] → segB[i]; a way's segments are consecutive. */
  waySegments: ReadonlyMap<number, { first: number; count: number }>;
  segA: ArrayLike<number>;
  segB: ArrayLike<number>;
  /** Directed edge of segment i along the way (segA → segB) and against it. */
  fwd: Uint32Array;
  bwd: Uint32Array;
  /** The other directed edge of the same segment (fwd[i] ↔ bwd[i]). */
  twin: Uint32Array;
  /** OSM node id → graph node. */
  nodeOf: { has(id: number): boolean; get(id: number): number | undefined };
  firstEdge: Uint32Array;
  target: Uint32Array;
  flags: Uint8Array;
  /** Node coordinates in 1e-7 degrees (turn angles). */
  lon: ArrayLike<number>;
  lat: ArrayLike<number>;
}

const KINDS: ReadonlySet<string> = new Set([
  'no_left_turn', 'no_right_turn', 'no_straight_on', 'no_u_turn', 'no_entry', 'no_exit',
  'only_left_turn', 'only_right_turn', 'only_straight_on', 'only_u_turn',
]);
const MOTOR_KEYS = ['restriction', 'restriction:motor_vehicle', 'restriction:motorcar', 'restriction:vehicle'] as const;
const EMERGENCY_EXCEPT: ReadonlySet<string> = new Set(['emergency', 'fire_engine', 'emergency_vehicle', 'emergency_vehicles']);
const OLD_CONDITIONS = ['day_on', 'day_off', 'hour_on', 'hour_off'] as const;

export const isRestriction = (r: OsmRelation): boolean => r.tags.type === 'restriction' || (r.tags.type ?? '').startsWith('restriction:');

/** The restriction kind that applies to a fire engine, or why none does. */
export function restrictionKind(tags: Tags): { kind: string; conditionIgnored: boolean } | { skip: RestrictionSkip } {
  const except = (tags.except ?? '').split(';').map((s) => s.trim());
  if (except.some((e) => EMERGENCY_EXCEPT.has(e))) return { skip: 'exceptEmergency' };
  const typeVehicle = (tags.type ?? '').startsWith('restriction:') ? (tags.type as string).slice('restriction:'.length) : '';
  if (typeVehicle && !['motor_vehicle', 'motorcar', 'vehicle'].includes(typeVehicle)) return { skip: 'otherVehicle' };
  const key = MOTOR_KEYS.find((k) => tags[k] !== undefined);
  const keys = Object.keys(tags);
  if (key === undefined) {
    if (tags['restriction:conditional'] !== undefined) return { skip: 'conditional' };
    if (keys.some((k) => /^restriction:/.test(k))) return { skip: 'otherVehicle' };
    return { skip: 'unknownKind' };
  }
  if (OLD_CONDITIONS.some((k) => tags[k] !== undefined)) return { skip: 'conditional' };
  const kind = tags[key].trim();
  if (!KINDS.has(kind)) return { skip: 'unknownKind' };
  return { kind, conditionIgnored: tags['restriction:conditional'] !== undefined };
}

type Pick = number | RestrictionSkip;

/** Edges of `way` arriving at (into = true) or leaving graph node v. */
function wayEdgesAt(g: RestrictionInput, way: number, v: number, into: boolean): number[] {
  const s = g.waySegments.get(way) as { first: number; count: number };
  const out: number[] = [];
  for (let i = s.first; i < s.first + s.count; i++) {
    if (g.segB[i] === v) out.push(into ? g.fwd[i] : g.bwd[i]);
    if (g.segA[i] === v) out.push(into ? g.bwd[i] : g.fwd[i]);
  }
  return out;
}

/** The one edge among candidates: alone, or the only one not against a one-way. */
function pickOne(g: RestrictionInput, cands: number[]): Pick {
  if (cands.length === 0) return 'notConnected';
  if (cands.length === 1) return cands[0];
  const legal = cands.filter((e) => !(g.flags[e] & EdgeFlag.AgainstOneway));
  return legal.length === 1 ? legal[0] : 'ambiguous';
}

/** Turn angle in degrees from edge a into edge b (a's head = b's tail): 0 straight on, > 0 right, < 0 left. */
export function turnAngle(g: RestrictionInput, a: number, b: number): number {
  const bearing = (e: number) => {
    const v = g.target[e], u = g.target[g.twin[e]];
    const k = Math.cos((g.lat[u] / 1e7) * (Math.PI / 180));
    return (Math.atan2((g.lon[v] - g.lon[u]) * k, g.lat[v] - g.lat[u]) * 180) / Math.PI;
  };
  const t = bearing(b) - bearing(a);
  return t > 180 ? t - 360 : t <= -180 ? t + 360 : t;
}

/** Whether a turn angle fits the direction a restriction names (none for no_entry / no_exit). */
function fitsKind(kind: string, angle: number): boolean {
  if (kind.endsWith('left_turn')) return angle < -20 && angle > -170;
  if (kind.endsWith('right_turn')) return angle > 20 && angle < 170;
  if (kind.endsWith('straight_on')) return Math.abs(angle) < 60;
  if (kind.endsWith('u_turn')) return Math.abs(angle) > 150;
  return false;
}

/**
 * From-edge and to-edge at a via node. A way ending there gives one candidate; a way passing through gives two, of
 * which the ones against a one-way are dropped; if still more than one pair remains, the pair whose turn angle fits
 * the restriction (left, right, straight on, U-turn) is taken when there is exactly one.
 */
function turnPair(g: RestrictionInput, kind: string, arriving: number[], leaving: number[]): { from: number; to: number; byAngle: boolean } | RestrictionSkip {
  const legal = (c: number[]) => (c.length > 1 ? c.filter((e) => !(g.flags[e] & EdgeFlag.AgainstOneway)) : c);
  const fs = legal(arriving), ts = legal(leaving);
  if (arriving.length === 0 || leaving.length === 0) return 'notConnected';
  if (fs.length === 1 && ts.length === 1) return { from: fs[0], to: ts[0], byAngle: false };
  const fits = fs.flatMap((f) => ts.filter((t) => fitsKind(kind, turnAngle(g, f, t))).map((t) => ({ from: f, to: t, byAngle: true })));
  return fits.length === 1 ? fits[0] : 'ambiguous';
}

/** Directed edges along a whole way from its end node `from` to its other end, or null when it is not a simple path. */
function wayPath(g: RestrictionInput, way: number, from: number): { edges: number[]; end: number } | null {
  const s = g.waySegments.get(way) as { first: number; count: number };
  const last = s.first + s.count - 1;
  for (let i = s.first; i < last; i++) if (g.segB[i] !== g.segA[i + 1]) return null; // cut at a missing node
  const a = g.segA[s.first], b = g.segB[last];
  if (a === b) return null; // a closed via way has no direction
  const edges: number[] = [];
  if (from === a) {
    for (let i = s.first; i <= last; i++) edges.push(g.fwd[i]);
    return { edges, end: b };
  }
  if (from === b) {
    for (let i = last; i >= s.first; i--) edges.push(g.bwd[i]);
    return { edges, end: a };
  }
  return null;
}

/** Via-way chain: from-edge, via edges and the node where the to-way must leave, or why it cannot be resolved. */
function viaChain(g: RestrictionInput, from: number, via: number[], to: number): { prefix: number[]; end: number; toEdge: number } | RestrictionSkip {
  const found: { prefix: number[]; end: number; toEdge: number }[] = [];
  let reason: RestrictionSkip = 'notConnected';
  const starts = new Set<number>();
  for (const w of via) {
    const s = g.waySegments.get(w) as { first: number; count: number };
    starts.add(g.segA[s.first]);
    starts.add(g.segB[s.first + s.count - 1]);
  }
  for (const x of [...starts].sort((p, q) => p - q)) {
    const f = pickOne(g, wayEdgesAt(g, from, x, true));
    if (typeof f !== 'number') { if (f === 'ambiguous') reason = f; continue; }
    const prefix = [f];
    const left = via.slice();
    let cur = x;
    while (left.length) {
      const i = left.findIndex((w) => wayPath(g, w, cur) !== null);
      if (i < 0) break;
      const p = wayPath(g, left[i], cur) as { edges: number[]; end: number };
      prefix.push(...p.edges);
      cur = p.end;
      left.splice(i, 1);
    }
    if (left.length) continue;
    const t = pickOne(g, wayEdgesAt(g, to, cur, false));
    if (typeof t !== 'number') { if (t === 'ambiguous') reason = t; continue; }
    found.push({ prefix, end: cur, toEdge: t });
  }
  if (found.length === 1) return found[0];
  return found.length > 1 ? 'ambiguous' : reason;
}

/** Forbidden sequences of one restriction relation, or why it is skipped. */
export function restrictionSequences(g: RestrictionInput, rel: OsmRelation, kind: string): { sequences: number[][]; byAngle: boolean } | RestrictionSkip {
  const role = (r: string) => rel.members.filter((m) => m.role === r);
  const froms = role('from'), vias = role('via'), tos = role('to');
  const only = kind.startsWith('only_');
  const isWay = (m: OsmMember) => m.type === 'way';
  if (froms.length === 0 || tos.length === 0 || vias.length === 0 || !froms.every(isWay) || !tos.every(isWay)) return 'badMembers';
  if (only && (froms.length > 1 || tos.length > 1)) return 'badMembers';
  const viaNode = vias.length === 1 && vias[0].type === 'node';
  if (!viaNode && !vias.every(isWay)) return 'badMembers';
  const ways = [...froms, ...tos, ...(viaNode ? [] : vias)];
  if (ways.some((m) => !g.waySegments.has(m.ref))) return 'missingMember';
  if (viaNode && !g.nodeOf.has(vias[0].ref)) return 'missingMember';

  const out: number[][] = [];
  let byAngle = false;
  for (const fm of froms) {
    for (const tm of tos) {
      let prefix: number[], end: number, toEdge: number;
      if (viaNode) {
        const v = g.nodeOf.get(vias[0].ref) as number;
        const arriving = wayEdgesAt(g, fm.ref, v, true);
        if (kind === 'no_u_turn' && fm.ref === tm.ref && arriving.length > 1) {
          // A way passing through the via node: no U-turn from either side.
          const legal = arriving.filter((e) => !(g.flags[e] & EdgeFlag.AgainstOneway));
          for (const e of legal) out.push([e, g.twin[e]]);
          continue;
        }
        const pair = turnPair(g, kind, arriving, wayEdgesAt(g, tm.ref, v, false));
        if (typeof pair === 'string') return pair;
        if (pair.byAngle) byAngle = true;
        prefix = [pair.from]; end = v; toEdge = pair.to;
      } else {
        const c = viaChain(g, fm.ref, vias.map((m) => m.ref), tm.ref);
        if (typeof c === 'string') return c;
        ({ prefix, end, toEdge } = c);
      }
      if (!only) out.push([...prefix, toEdge]);
      else for (let e = g.firstEdge[end]; e < g.firstEdge[end + 1]; e++) if (e !== toEdge) out.push([...prefix, e]);
    }
  }
  return out.length ? { sequences: out, byAngle } : 'notConnected';
}

/** Sorts sequences (lexicographically by edge ids) and removes duplicates. */
export function sortSequences(seqs: number[][]): number[][] {
  const sorted = seqs.slice().sort((a, b) => {
    for (let i = 0; i < Math.min(a.length, b.length); i++) if (a[i] !== b[i]) return a[i] - b[i];
    return a.length - b.length;
  });
  return sorted.filter((s, i) => i === 0 || s.length !== sorted[i - 1].length || s.some((e, j) => e !== sorted[i - 1][j]));
}

/** All turn restrictions of the data as CSR arrays, with counts. */
export function buildRestrictions(g: RestrictionInput, relations: OsmRelation[]): { restrFirst: Uint32Array; restrEdges: Uint32Array; stats: RestrictionStats } {
  const skipped = Object.fromEntries(RESTRICTION_SKIPS.map((k) => [k, 0])) as Record<RestrictionSkip, number>;
  const stats: RestrictionStats = { restrictionsRead: 0, restrictionsUsed: 0, restrictionsSkipped: skipped, restrictionConditionsIgnored: 0, restrictionsResolvedByAngle: 0, restrictionSequences: 0 };
  const all: number[][] = [];
  for (const rel of relations.filter(isRestriction).sort((a, b) => a.id - b.id)) {
    stats.restrictionsRead++;
    const k = restrictionKind(rel.tags);
    if ('skip' in k) { skipped[k.skip]++; continue; }
    const r = restrictionSequences(g, rel, k.kind);
    if (typeof r === 'string') { skipped[r]++; continue; }
    stats.restrictionsUsed++;
    if (k.conditionIgnored) stats.restrictionConditionsIgnored++;
    if (r.byAngle) stats.restrictionsResolvedByAngle++;
    all.push(...r.sequences);
  }
  const unique = sortSequences(all);
  stats.restrictionSequences = unique.length;
  const restrFirst = new Uint32Array(unique.length + 1);
  unique.forEach((s, i) => { restrFirst[i + 1] = restrFirst[i] + s.length; });
  const restrEdges = new Uint32Array(restrFirst[unique.length]);
  unique.forEach((s, i) => restrEdges.set(s, restrFirst[i]));
  return { restrFirst, restrEdges, stats };
}
