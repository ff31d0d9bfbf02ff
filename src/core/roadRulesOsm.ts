/**
 * The road rules on raw OSM data, way by way (no graph): which tags are road-rule facts, and how many road-km and
 * nodes each rule closes in an extract. An independent count for golden summaries of the samples and a cross-check
 * of ruleClosures on a graph built from the same extract (same set of ways as the graph builder keeps).
 */
import { haversineM } from './geo';
import type { OsmData, Tags } from './osm/types';
import { wayClassCode } from './roadClass';
import type { RoadRules, Vehicle } from './roadRules';
import { edgeAccess, nodePasses, RULE_CODES, type Access, type RuleCode } from './roadRulesAccess';

/** Tag keys the rules read (graph.ts: the facts the graph stores per way and node). */
export const RULE_FACT_KEY = /^(access|motor_vehicle|motorcar|vehicle|emergency|fire_engine|hgv|oneway|maxheight|maxwidth|maxweight|maxlength|maxaxleload|construction|smoothness|service|route|duration|junction|ref)(:.*)?$/;

/** The road-rule facts of a way's or node's tags (plus highway=construction, and barrier on nodes). */
export function ruleFacts(tags: Tags, node = false): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(tags))
    if (RULE_FACT_KEY.test(k) || (k === 'highway' && v === 'construction') || (node && k === 'barrier')) out[k] = v;
  return out;
}

export interface OsmRuleSummary {
  /** Drivable ways read (graph builder's set: a known highway class or a vehicle ferry, not an area). */
  ways: number;
  closedKm: Record<RuleCode, number>;
  emergencyOnlyKm: number;
  blockedNodes: Record<RuleCode, number>;
  blockedBarriers: Record<string, number>;
}

const zeros = (): Record<RuleCode, number> => Object.fromEntries(RULE_CODES.map((c) => [c, 0])) as Record<RuleCode, number>;
const bucket = (a: Access): RuleCode | 'emergency' | null => (!a.ok ? a.reason?.code ?? 'access' : a.emergencyOnly ? 'emergency' : null);

/**
 * Road-km each rule closes for the vehicle, counted like ruleClosures: a way closed the same way in both
 * directions counts once, otherwise each closed direction counts for its rule. Blocked nodes are counted once each.
 */
export function osmRuleSummary(osm: OsmData, rules: RoadRules, vehicle: Vehicle): OsmRuleSummary {
  const out: OsmRuleSummary = { ways: 0, closedKm: zeros(), emergencyOnlyKm: 0, blockedNodes: zeros(), blockedBarriers: {} };
  const seenNodes = new Set<number>();
  const add = (b: RuleCode | 'emergency' | null, km: number) => {
    if (b === 'emergency') out.emergencyOnlyKm += km;
    else if (b) out.closedKm[b] += km;
  };
  for (const w of osm.ways) {
    if (wayClassCode(w.tags) < 0 || w.tags.area === 'yes') continue;
    out.ways++;
    let m = 0;
    for (let i = 1; i < w.nodes.length; i++) {
      const a = osm.nodes.get(w.nodes[i - 1]), b = osm.nodes.get(w.nodes[i]);
      if (a && b) m += haversineM(a.lon, a.lat, b.lon, b.lat);
    }
    const facts = ruleFacts(w.tags);
    const f = bucket(edgeAccess(facts, true, rules, vehicle)), r = bucket(edgeAccess(facts, false, rules, vehicle));
    if (f === r) add(f, m / 1000);
    else { add(f, m / 1000); add(r, m / 1000); }
    for (const id of w.nodes) {
      const n = osm.nodes.get(id);
      if (!n?.tags || seenNodes.has(id)) continue;
      seenNodes.add(id);
      const nf = ruleFacts(n.tags, true);
      if (!Object.keys(nf).length) continue;
      const a = nodePasses(nf, rules, vehicle);
      if (a.ok) continue;
      out.blockedNodes[a.reason?.code ?? 'access']++;
      if (nf.barrier !== undefined) out.blockedBarriers[nf.barrier] = (out.blockedBarriers[nf.barrier] ?? 0) + 1;
    }
  }
  return out;
}
