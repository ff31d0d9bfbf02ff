/**
 * Overpass API, the pure part: the one query that fetches everything a place needs (roads with the tags the
 * importer and the road rules read, turn restrictions, water, railways, fire stations, hydrants and water intakes,
 * the siting check's POIs) and the classification of an answer (HTTP status + the start and end of the body +
 * what a line scan of the XML counted). The network part is src/data/overpass.ts.
 */
import { growBbox, type Bbox } from './clip';
import { SPEED_CLASSES } from '../roadClass';

/** Margin around the place's boundary bbox, metres (the same 2 km the import clips to). */
export const QUERY_MARGIN_M = 2000;
/** Server-side limits written into the query: seconds, bytes of server memory. */
export const QUERY_TIMEOUT_S = 180;
export const QUERY_MAXSIZE_BYTES = 1024 * 1024 * 1024;

const r6 = (v: number) => Math.round(v * 1e6) / 1e6;

/** The query's bbox as Overpass writes it: south,west,north,east (the place bbox + margin, 6 decimals). */
export function overpassBbox(bbox: Bbox, marginM = QUERY_MARGIN_M): string {
  const [w, s, e, n] = growBbox(bbox, marginM);
  return [r6(s), r6(w), r6(n), r6(e)].join(',');
}

/** Regex alternative of values, anchored: ^(a|b|c)$ */
const oneOf = (values: readonly string[]) => `^(${values.join('|')})$`;

/**
 * The statements of the union, one feature group each (the comment says what reads it). Ways carry all their tags
 * in `out body`, so access, oneway, maxspeed, maxheight/maxweight/maxwidth … come with them; barrier nodes come
 * with the ways' nodes through `>`.
 */
const GROUPS: readonly { group: string; lines: readonly string[] }[] = [
  { group: 'roads (buildGraph, road rules)', lines: [`way["highway"~"${oneOf(SPEED_CLASSES)}"];`, 'way["route"="ferry"];'] },
  { group: 'turn restrictions (osm/restrictions.ts)', lines: ['relation["type"~"^restriction(:.+)?$"];'] },
  {
    group: 'water and coast (extractWater)',
    lines: [
      'way["natural"="water"];', 'relation["natural"="water"];', 'way["waterway"];', 'relation["waterway"];',
      'way["landuse"="reservoir"];', 'relation["landuse"="reservoir"];', 'way["natural"="coastline"];',
      'relation["type"="multipolygon"]["water"];',
      // harbour and marina areas name the sea inside them (extractWater's isHarbour)
      'way["landuse"="harbour"];', 'relation["landuse"="harbour"];', 'way["leisure"="marina"];', 'relation["leisure"="marina"];',
      'way["harbour"="yes"];', 'relation["harbour"="yes"];',
    ],
  },
  { group: 'railways (extractRailways)', lines: ['way["railway"~"^(rail|light_rail|narrow_gauge|subway|tram)$"];'] },
  { group: 'fire stations (extractFacilities)', lines: ['nwr["amenity"="fire_station"];'] },
  { group: 'hydrants and water intakes (extractFacilities)', lines: ['nwr["emergency"~"^(fire_hydrant|suction_point|water_tank|fire_water_pond)$"];'] },
  {
    group: 'siting POIs (extractPois, geodata/standards/siting.json)',
    lines: [
      'nwr["amenity"~"^(school|kindergarten|hospital|fuel)$"];', 'nwr["healthcare"="hospital"];',
      'nwr["shop"~"^(mall|department_store)$"];', 'nwr["leisure"="stadium"];', 'nwr["building"="stadium"];',
      'nwr["industrial"="chemical"];', 'nwr["product"="chemicals"];', 'nwr["hazard"="chemical"];',
      'nwr["man_made"="storage_tank"]["content"~"^(gas|oil)$"];',
    ],
  },
];

/** The feature groups of the query, by name (for the dialog and the tests). */
export const QUERY_GROUPS: readonly string[] = GROUPS.map((g) => g.group);

/**
 * The Overpass QL query for a place: XML out, server timeout and memory limit, the place's bbox + 2 km as the global
 * bbox, the union of every feature group, then everything they reference (`(._;>;);` — a way's nodes, a relation's
 * members) and `out body;` (all tags, no metadata).
 */
export function buildOverpassQuery(bbox: Bbox, opts: { timeoutS?: number; maxsizeBytes?: number; marginM?: number } = {}): string {
  const head = `[out:xml][timeout:${opts.timeoutS ?? QUERY_TIMEOUT_S}][maxsize:${opts.maxsizeBytes ?? QUERY_MAXSIZE_BYTES}][bbox:${overpassBbox(bbox, opts.marginM)}];`;
  const body = GROUPS.flatMap((g) => [`  // ${g.group}`, ...g.lines.map((l) => `  ${l}`)]);
  return [head, '(', ...body, ');', '(._;>;);', 'out body;', ''].join('\n');
}

// ---------------------------------------------------------------- reading an answer

/** Counts of an Overpass XML answer, taken line by line as it streams (Overpass writes one element or tag a line). */
export interface AnswerTally {
  nodes: number;
  ways: number;
  relations: number;
  /** Ways whose highway value is a class the graph keeps (what can become a road). */
  highways: number;
  bytes: number;
}

const DRIVABLE: ReadonlySet<string> = new Set(SPEED_CLASSES);
const HIGHWAY_TAG = /<tag k="highway" v="([^"]*)"/;

/**
 * A line scanner for the streamed answer: feed it text chunks in order (a chunk may end mid-line), then `end()`.
 * Holds its own state; no global.
 */
export class AnswerScanner {
  readonly tally: AnswerTally = { nodes: 0, ways: 0, relations: 0, highways: 0, bytes: 0 };
  private rest = '';
  private inWay = false;
  private wayIsRoad = false;

  push(text: string, bytes = 0): void {
    this.tally.bytes += bytes;
    const lines = (this.rest + text).split('\n');
    this.rest = lines.pop() ?? '';
    for (const l of lines) this.line(l);
  }

  end(): AnswerTally {
    if (this.rest) this.line(this.rest);
    this.rest = '';
    return this.tally;
  }

  private line(raw: string): void {
    const l = raw.trimStart();
    if (l.startsWith('<node ')) this.tally.nodes++;
    else if (l.startsWith('<relation ')) this.tally.relations++;
    else if (l.startsWith('<way ')) {
      this.tally.ways++;
      this.inWay = !l.endsWith('/>');
      this.wayIsRoad = false;
    } else if (l.startsWith('</way>')) this.inWay = false;
    else if (this.inWay && !this.wayIsRoad && l.startsWith('<tag ')) {
      const m = HIGHWAY_TAG.exec(l);
      if (m && DRIVABLE.has(m[1])) {
        this.wayIsRoad = true;
        this.tally.highways++;
      }
    }
  }
}

export type AnswerKind = 'ok' | 'busy' | 'timeout' | 'too-large' | 'broken' | 'no-roads' | 'http-error';

export interface AnswerClass {
  kind: AnswerKind;
  /** The server's own words when it gave some (a remark, an HTML title), for the error's detail. */
  detail?: string;
}

const REMARK = /<remark>\s*([\s\S]*?)\s*<\/remark>/;
const HTML_TITLE = /<title>\s*([\s\S]*?)\s*<\/title>/i;

/**
 * What an Overpass answer is, from its HTTP status, the first and last few kilobytes of its body and (for a 200)
 * the scan's counts. Overpass answers a query that ran out of time or memory with HTTP 200 and a `<remark>` saying
 * "runtime error: … timed out" / "… out of memory", so a 200 is not yet a success.
 */
export function classifyAnswer(a: { status: number; head: string; tail: string; tally?: AnswerTally }): AnswerClass {
  const text = a.head + '\n' + a.tail;
  const remark = REMARK.exec(a.head) ?? REMARK.exec(a.tail);
  const html = /^\s*(<!doctype html|<html)/i.test(a.head);
  const said = remark?.[1] ?? HTML_TITLE.exec(text)?.[1];
  const withDetail = (kind: AnswerKind): AnswerClass => (said ? { kind, detail: said.slice(0, 300) } : { kind });
  if (a.status === 429) return withDetail('busy');
  if (a.status === 504) return withDetail('timeout');
  if (a.status === 413) return withDetail('too-large');
  if (a.status < 200 || a.status > 299) return withDetail('http-error');
  if (remark && /runtime error/i.test(remark[1])) {
    if (/out of memory|maxsize/i.test(remark[1])) return withDetail('too-large');
    if (/timed? ?out|timeout/i.test(remark[1])) return withDetail('timeout');
    return withDetail('broken');
  }
  if (html || !/^\s*(<\?xml[^>]*\?>\s*)?<osm[\s>]/.test(a.head)) return withDetail('broken');
  if (!/<\/osm>\s*$/.test(a.tail)) return { kind: 'broken', detail: 'truncated: no closing </osm>' };
  if (a.tally && a.tally.highways === 0) return { kind: 'no-roads' };
  return { kind: 'ok' };
}
