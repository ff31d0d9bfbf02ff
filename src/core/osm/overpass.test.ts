import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { AnswerScanner, buildOverpassQuery, classifyAnswer, overpassBbox, QUERY_GROUPS, type AnswerTally } from './overpass';
import { readOsm } from './read';
import { isDrivableWay } from '../buildGraph';

const QINGXI: [number, number, number, number] = [114.097874, 22.770355, 114.231242, 22.907147];

/** Brackets, parentheses and quotes balanced outside comments and strings. */
function balanced(q: string): boolean {
  const stack: string[] = [];
  const pairs: Record<string, string> = { ')': '(', ']': '[', '}': '{' };
  for (const line of q.split('\n')) {
    const code = line.replace(/^\s*\/\/.*$/, '');
    let inStr = false;
    for (const ch of code) {
      if (ch === '"') inStr = !inStr;
      else if (inStr) continue;
      else if ('([{'.includes(ch)) stack.push(ch);
      else if (ch in pairs && stack.pop() !== pairs[ch]) return false;
    }
    if (inStr) return false;
  }
  return stack.length === 0;
}

describe('buildOverpassQuery', () => {
  const q = buildOverpassQuery(QINGXI);
  const code = q.split('\n').filter((l) => !/^\s*\/\//.test(l));

  it('is balanced and every statement ends with a semicolon', () => {
    expect(balanced(q)).toBe(true);
    expect(balanced('way["a"~"b";')).toBe(false); // the checker can fail
    for (const l of code.map((x) => x.trim()).filter((x) => x && x !== '(')) expect(l.endsWith(';')).toBe(true);
  });

  it('asks for XML with a timeout, a memory limit and the bbox + 2 km as south,west,north,east', () => {
    expect(code[0]).toMatch(/^\[out:xml\]\[timeout:\d+\]\[maxsize:\d+\]\[bbox:[-\d.,]+\];$/);
    const [s, w, n, e] = /\[bbox:([^\]]+)\]/.exec(code[0])![1].split(',').map(Number);
    expect(s).toBeLessThan(n);
    expect(w).toBeLessThan(e);
    // 2 km is 0.018° of latitude and ~0.0195° of longitude at 22.8°N
    expect(QINGXI[1] - s).toBeCloseTo(2000 / 111_000, 3);
    expect(n - QINGXI[3]).toBeCloseTo(2000 / 111_000, 3);
    expect(QINGXI[0] - w).toBeCloseTo(2000 / (111_320 * Math.cos((22.838 * Math.PI) / 180)), 3);
    expect(overpassBbox(QINGXI, 0)).toBe('22.770355,114.097874,22.907147,114.231242');
  });

  it('holds every feature group and ends with the recursion and out body', () => {
    for (const g of QUERY_GROUPS) expect(q).toContain(`// ${g}`);
    for (const needle of [
      'way["highway"~"^(motorway|trunk|primary|secondary|tertiary|unclassified|residential|service|living_street|track|motorway_link',
      'relation["type"~"^restriction', 'way["natural"="water"]', 'way["waterway"]', 'way["natural"="coastline"]',
      'relation["type"="multipolygon"]["water"]', 'way["railway"', 'nwr["amenity"="fire_station"]',
      'fire_hydrant|suction_point|water_tank', 'school|kindergarten|hospital|fuel', 'shop"~"^(mall|department_store)$',
      'leisure"="stadium"', 'industrial"="chemical"', 'way["route"="ferry"]',
    ]) expect(q).toContain(needle);
    expect(code.slice(-3)).toEqual(['(._;>;);', 'out body;', '']);
  });
});

/** Whether one statement of the query (`way["k"="v"]["k2"~"re"]["k3"];`, `nwr…`, `relation…`) selects an element. */
function selects(statement: string, type: 'way' | 'relation' | 'node', tags: Record<string, string>): boolean {
  const m = /^(nwr|way|relation|node)((?:\[[^\]]*\])+);$/.exec(statement.trim());
  if (!m || (m[1] !== 'nwr' && m[1] !== type)) return false;
  return [...m[2].matchAll(/\["([^"]+)"(?:(=|~)"([^"]*)")?\]/g)].every(([, k, op, v]) => {
    const have = tags[k];
    if (have === undefined) return false;
    return !op || (op === '=' ? have === v : new RegExp(v).test(have));
  });
}

describe('the query selects what the extractors read', () => {
  const statements = buildOverpassQuery(QINGXI).split('\n').filter((l) => /^\s*(nwr|way|relation|node)\[/.test(l));
  const asked = (type: 'way' | 'relation', tags: Record<string, string>) => statements.some((s) => selects(s, type, tags));

  it('asks for the harbour and marina areas that name the sea (extractWater), as ways and as multipolygons', () => {
    for (const tags of [{ landuse: 'harbour' }, { leisure: 'marina' }, { harbour: 'yes' }] as Record<string, string>[]) {
      expect(asked('way', tags)).toBe(true);
      expect(asked('relation', { type: 'multipolygon', ...tags })).toBe(true);
    }
    // the matcher can say no
    expect(asked('way', { leisure: 'park' })).toBe(false);
    expect(asked('way', { harbour: 'no' })).toBe(false);
  });

  it('asks for water areas, river areas, reservoirs, waterways and the coastline', () => {
    for (const tags of [{ natural: 'water' }, { waterway: 'riverbank' }, { waterway: 'river' }, { landuse: 'reservoir' }, { natural: 'coastline' }] as Record<string, string>[]) {
      expect(asked('way', tags)).toBe(true);
    }
    expect(asked('relation', { type: 'multipolygon', water: 'river' })).toBe(true);
  });
});

const tally = (p: Partial<AnswerTally> = {}): AnswerTally => ({ nodes: 10, ways: 2, relations: 0, highways: 1, bytes: 100, ...p });
const HEAD = '<?xml version="1.0" encoding="UTF-8"?>\n<osm version="0.6" generator="Overpass API">\n<note>x</note>';
const TAIL = '  </way>\n\n</osm>\n';

describe('classifyAnswer', () => {
  it('ok for a complete XML answer with roads', () => {
    expect(classifyAnswer({ status: 200, head: HEAD, tail: TAIL, tally: tally() })).toEqual({ kind: 'ok' });
  });
  it('busy (429), timeout (504), too large (413), other HTTP errors', () => {
    expect(classifyAnswer({ status: 429, head: '<html><title>Too Many Requests</title>', tail: '' })).toEqual({ kind: 'busy', detail: 'Too Many Requests' });
    expect(classifyAnswer({ status: 504, head: '', tail: '' }).kind).toBe('timeout');
    expect(classifyAnswer({ status: 413, head: '', tail: '' }).kind).toBe('too-large');
    expect(classifyAnswer({ status: 500, head: '', tail: '' }).kind).toBe('http-error');
  });
  it('a 200 with a runtime-error remark is a timeout or too large, not a success', () => {
    const remark = (t: string) => `${HEAD}\n<remark> runtime error: ${t} </remark>\n`;
    const timedOut = classifyAnswer({ status: 200, head: remark('Query timed out in "query" at line 3 after 181 seconds.'), tail: '</osm>\n', tally: tally() });
    expect(timedOut.kind).toBe('timeout');
    expect(timedOut.detail).toContain('timed out');
    expect(classifyAnswer({ status: 200, head: HEAD, tail: '<remark> runtime error: Query run out of memory using about 2048 MB of RAM. </remark>\n</osm>\n', tally: tally() }).kind).toBe('too-large');
  });
  it('broken: an HTML page with status 200, a truncated body, not OSM at all', () => {
    expect(classifyAnswer({ status: 200, head: '<!DOCTYPE html><html><head><title>Error</title>', tail: '</html>', tally: tally() })).toEqual({ kind: 'broken', detail: 'Error' });
    expect(classifyAnswer({ status: 200, head: HEAD, tail: '<node id="1" lat="22.5" lo', tally: tally() }).kind).toBe('broken');
    expect(classifyAnswer({ status: 200, head: '{"elements":[]}', tail: '}', tally: tally() }).kind).toBe('broken');
  });
  it('no roads: a complete answer whose ways carry no drivable highway', () => {
    expect(classifyAnswer({ status: 200, head: HEAD, tail: TAIL, tally: tally({ highways: 0 }) })).toEqual({ kind: 'no-roads' });
  });
});

describe('AnswerScanner', () => {
  it('counts the shipped 南山 Overpass answer as readOsm does, whatever the chunk boundaries', () => {
    const buf = readFileSync(resolve(__dirname, '../../../geodata/raw/shenzhen_nanshan_xili_overpass_2021-03-17.osm'));
    const osm = readOsm(new Uint8Array(buf), 'nanshan.osm');
    const text = buf.toString('utf8');
    const sc = new AnswerScanner();
    for (let i = 0; i < text.length; i += 777) sc.push(text.slice(i, i + 777));
    const t = sc.end();
    expect(t.nodes).toBe(osm.nodes.size);
    expect(t.ways).toBe(osm.ways.length);
    expect(t.relations).toBe(osm.relations.length);
    // highways counted by class; isDrivableWay also drops area=yes, which the scan does not see
    const byClass = osm.ways.filter((w) => isDrivableWay(w.tags) || (w.tags.area === 'yes' && isDrivableWay({ ...w.tags, area: 'no' }))).filter((w) => w.tags.highway).length;
    expect(t.highways).toBe(byClass);
    expect(t.highways).toBeGreaterThan(100);
  });
});
