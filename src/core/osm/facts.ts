/**
 * Raw road-rule facts: the OSM tags of ways and nodes that the road rules read at load time (issue #17: store the
 * raw facts compactly, apply the rules at load). Each distinct tag set is stored once in a table (index 0 = {}),
 * with its keys sorted so that the table, and the graph file, are the same for the same data.
 */
import type { Tags } from './types';

const FACT_BASES = ['access', 'motor_vehicle', 'motorcar', 'vehicle', 'emergency', 'fire_engine', 'hgv', 'oneway', 'maxheight', 'maxwidth',
  'maxweight', 'maxlength', 'maxaxleload', 'construction', 'smoothness', 'service', 'route', 'duration', 'junction', 'ref'];
/** Way tag keys the road rules read (with any `:suffix`, e.g. access:forward, maxweight:conditional). */
export const FACT_KEY = new RegExp(`^(${FACT_BASES.join('|')})(:.*)?$`);
const FACT_BASE_SET: ReadonlySet<string> = new Set(FACT_BASES);
/** FACT_KEY.test(k), the regular expression only for keys with a suffix (a set lookup is several times faster). */
const isFactKey = (k: string): boolean => FACT_BASE_SET.has(k) || (k.includes(':') && FACT_KEY.test(k));

/** Node tag keys that make a node a fact carrier (besides `barrier`): access for some vehicle. */
const NODE_ACCESS_KEY = /^(access|motor_vehicle|motorcar|vehicle|emergency|fire_engine|hgv)(:.*)?$/;

/** Facts of a way: the FACT_KEY tags, plus highway=construction; null when there are none. */
export function wayFacts(tags: Tags): Tags | null {
  // the matching keys picked first, only they sorted (most ways have none: no array, no sort, no object; tags are
  // plain objects, so for-in gives the own keys)
  let keys: string[] | null = null;
  // ('highway' is no fact key: tested first, as every road has it)
  for (const k in tags) if (k === 'highway' ? tags[k] === 'construction' : isFactKey(k)) (keys ??= []).push(k);
  if (!keys) return null;
  const out: Tags = {};
  for (const k of keys.sort()) out[k] = tags[k];
  return out;
}

/**
 * Facts of a node on the road: nodes with `barrier=*` or an access tag carry their barrier and FACT_KEY tags (a
 * hydrant's `emergency=fire_hydrant` alone is kept too; the rules ignore values they do not know). Null otherwise.
 */
export function nodeFacts(tags: Tags | undefined): Tags | null {
  if (!tags) return null;
  const keys = Object.keys(tags);
  if (tags.barrier === undefined && !keys.some((k) => NODE_ACCESS_KEY.test(k))) return null;
  const out: Tags = {};
  for (const k of keys.sort()) if (k === 'barrier' || isFactKey(k)) out[k] = tags[k];
  return out;
}

/** A table of distinct fact sets, owned by one build. */
export class FactTable {
  readonly list: Tags[] = [{}];
  private readonly index = new Map<string, number>([['{}', 0]]);

  /** Index of a fact set (0 for null or empty), adding it when new. Keys must already be sorted. */
  add(f: Tags | null): number {
    if (!f) return 0;
    const key = JSON.stringify(f);
    let i = this.index.get(key);
    if (i === undefined) {
      i = this.list.length;
      this.list.push(f);
      this.index.set(key, i);
    }
    return i;
  }
}
