/**
 * The importers under fuzz, each with its seeds (small real files, or excerpts of them) and its mutation families.
 * `runCase(i, seed)` re-creates case i from its number and judges the importer's answer:
 *   refused  — a PlannerError (or, for scenario files, an { ok: false } result): fine;
 *   accepted — fine when the independent check (checks.ts) finds the input/output valid, else a silent acceptance;
 *   crash    — anything else thrown.
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { PlannerError } from '../../src/core/errors';
import { readOsm } from '../../src/core/osm/read';
import { buildGraph } from '../../src/core/buildGraph';
import type { OsmData } from '../../src/core/osm/types';
import { parseDistrictFile } from '../../src/data/districtImport';
import { checkPlace, parseCheckArgs, type CheckIO } from '../../src/core/compliance/cli';
import { placeStations, scenarioFromGeoJSON, scenarioToGeoJSON } from '../../src/core/scenario/io';
import { districtFileProblem, graphProblem, osmDataProblem, scenarioDocProblem, scenarioProblem } from './checks';
import { deepArrayText, mapPositions, mutateBytes, mutateJson, mutateText, Rng, swapNumber, toJsonText, toMercator, truncate, HOSTILE_NUMBER_TEXT } from './gen';
import { denseTagLoop, pbfFile, primitiveBlock, type PbfOptions } from './pbf';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const text = (p: string) => readFileSync(resolve(root, p), 'utf8');

export type Verdict = { kind: 'refused' | 'accepted' } | { kind: 'crash' | 'silent'; category: string; detail: string };
export interface Target {
  name: string;
  weight: number;
  run(rng: Rng): Promise<{ verdict: Verdict; input: string }>;
}

// ------------------------------------------------------------------ seeds (built once per process)

const OSM_FILE = 'geodata/raw/shenzhen_nanshan_xili_overpass_2021-03-17.osm';
const xmlText = text(OSM_FILE);
/** A real excerpt: a few drivable ways of the Xili extract with their nodes. */
function excerpt(): OsmData {
  const all = readOsm(new TextEncoder().encode(xmlText), OSM_FILE);
  const ways = all.ways.filter((w) => w.tags.highway && w.nodes.length <= 8 && w.nodes.every((r) => all.nodes.has(r))).slice(0, 5);
  const nodes = new Map(ways.flatMap((w) => w.nodes.map((r) => [r, all.nodes.get(r)!] as const)));
  return { nodes, ways, relations: [] };
}
const EX = excerpt();
const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;');
const exNodes = [...EX.nodes.values()];
const SEED_XML = [
  '<?xml version="1.0" encoding="UTF-8"?>', '<osm version="0.6" generator="Overpass API (excerpt)">',
  ...exNodes.map((n) => `  <node id="${n.id}" lat="${n.lat}" lon="${n.lon}"/>`),
  ...EX.ways.flatMap((w) => [`  <way id="${w.id}">`, ...w.nodes.map((r) => `    <nd ref="${r}"/>`), ...Object.entries(w.tags).map(([k, v]) => `    <tag k="${esc(k)}" v="${esc(v)}"/>`), '  </way>']),
  '</osm>', '',
].join('\n');
/** The real file's first lines, closed. */
const HEAD_XML = xmlText.slice(0, xmlText.lastIndexOf('\n', 6000)) + '\n</osm>\n';
const SEED_JSON = { version: 0.6, elements: [...exNodes.map((n) => ({ type: 'node', id: n.id, lat: n.lat, lon: n.lon })), ...EX.ways.map((w) => ({ type: 'way', id: w.id, nodes: w.nodes, tags: w.tags }))] };
const pbfNodes = () => exNodes.map((n) => ({ id: n.id, lat: n.lat, lon: n.lon, tags: n.tags }));
const pbfWays = () => EX.ways.map((w) => ({ id: w.id, refs: [...w.nodes], tags: { ...w.tags } }));

const PLACE = 'yangdong';
const placeMeta = JSON.parse(text(`public/data/${PLACE}/place.json`)) as { bbox: [number, number, number, number] };
const stations = placeStations(JSON.parse(text(`public/data/${PLACE}/plan.geojson`)));
const st0 = stations[0];
const square = (lon: number, lat: number, d: number) => [[[lon - d, lat - d], [lon + d, lat - d], [lon + d, lat + d], [lon - d, lat + d], [lon - d, lat - d]]];
const DISTRICT_SEEDS: unknown[] = [
  JSON.parse(text(`public/data/${PLACE}/districts.geojson`)),
  { type: 'FeatureCollection', features: stations.slice(0, 3).map((s) => ({ type: 'Feature', properties: { stationId: s.id }, geometry: { type: 'Polygon', coordinates: square(s.lon, s.lat, 0.02) } })) },
  { type: 'Feature', properties: { stationId: st0.id }, geometry: { type: 'MultiPolygon', coordinates: [square(st0.lon, st0.lat, 0.03), square(st0.lon + 0.1, st0.lat, 0.01)] } },
];
const SCENARIO_SEED = scenarioToGeoJSON({
  id: 'scn-fuzz', name: '方案 A', placeId: PLACE, createdAt: '2026-01-01T00:00:00.000Z', updatedAt: '2026-01-02T00:00:00.000Z',
  stations: stations.slice(0, 4), removedIds: stations.slice(0, 1).map((s) => s.id), settings: { standardId: 'jianbiao152-2017', peak: false, districtsMode: 'auto' },
});

// ------------------------------------------------------------------ shared mutation families

/** Deep nesting put where a value is expected (text level: JSON.parse copes, a recursive walker may not). */
function deepInJson(rng: Rng, t: string): string {
  const keys = [...t.matchAll(/"(coordinates|geometry|name|id|lat|lon|nodes|tags|elements|features|properties|removedIds|settings)":/g)];
  if (!keys.length) return deepArrayText(rng.pick([1000, 100000]));
  const k = rng.pick(keys);
  const at = (k.index ?? 0) + k[0].length;
  return t.slice(0, at) + deepArrayText(rng.pick([100, 5000, 100000]), rng.pick(['0', '[0,0]', '"x"'])) + ',"_":' + t.slice(at);
}

/** Mutated JSON text of a seed object: structural, text, truncation, swapped axes, metres, deep nesting, hostile numbers. */
function jsonCase(rng: Rng, seed: unknown, geo: boolean): string {
  const base = () => toJsonText(seed);
  switch (rng.int(geo ? 9 : 7)) {
    case 0: case 1: case 2: return toJsonText(mutateJson(rng, seed));
    case 3: return mutateText(rng, base());
    case 4: return truncate(rng, base());
    case 5: return deepInJson(rng, base());
    case 6: return swapNumber(rng, swapNumber(rng, base()));
    case 7: return toJsonText(mapPositions(seed, (x, y) => [y, x]));
    default: {
      const m = mapPositions(seed, (x, y) => toMercator(x, y)) as Record<string, unknown>;
      if (rng.chance(0.5)) m.crs = { type: 'name', properties: { name: rng.pick(['EPSG:3857', 'urn:ogc:def:crs:EPSG::3857', 'EPSG:4326']) } };
      return toJsonText(m);
    }
  }
}

const preview = (s: string | Uint8Array) => (typeof s === 'string' ? JSON.stringify(s.length > 300 ? `${s.slice(0, 150)} … ${s.slice(-150)}` : s) + ` (${s.length} chars)` : `${Buffer.from(s.slice(0, 48)).toString('hex')}… (${s.length} bytes)`);

/** Runs an importer step: a PlannerError is a refusal, anything else thrown a crash. */
async function attempt<T>(step: string, f: () => T | Promise<T>): Promise<{ ok: true; value: T } | { ok: false; verdict: Verdict }> {
  try {
    return { ok: true, value: await f() };
  } catch (e) {
    if (e instanceof PlannerError) return { ok: false, verdict: { kind: 'refused' } };
    const err = e as Error;
    const msg = String(err?.message ?? e);
    return { ok: false, verdict: { kind: 'crash', category: `${step}: ${err?.name ?? typeof e}: ${msg.replace(/\d+/g, 'N').replace(/"[^"]*"/g, '"…"').slice(0, 70)}`, detail: process.env.FUZZ_STACK ? String(err?.stack) : msg.slice(0, 300) } };
  }
}

async function judgeOsm(bytes: Uint8Array, fileName: string): Promise<Verdict> {
  const read = await attempt('readOsm', () => readOsm(bytes, fileName));
  if (!read.ok) return read.verdict;
  const bad = osmDataProblem(read.value);
  if (bad) return { kind: 'silent', category: `readOsm accepts: ${bad}`, detail: bad };
  const built = await attempt('buildGraph', () => buildGraph(read.value));
  if (!built.ok) return built.verdict;
  const gbad = graphProblem(built.value.graph);
  return gbad ? { kind: 'silent', category: `buildGraph: ${gbad}`, detail: gbad } : { kind: 'accepted' };
}

const enc = (s: string) => new TextEncoder().encode(s);

// ------------------------------------------------------------------ targets

const osmXml: Target = {
  name: 'osm-xml', weight: 25,
  async run(rng) {
    const seed = rng.chance(0.75) ? SEED_XML : HEAD_XML;
    let t: string;
    switch (rng.int(7)) {
      case 0: case 1: t = mutateText(rng, seed); break;
      case 2: t = truncate(rng, seed); break;
      case 3: t = seed.replace(/lat="([^"]*)" lon="([^"]*)"/g, (m, a, b) => (rng.chance(0.3) ? `lat="${b}" lon="${a}"` : m)); break;
      case 4: { const attr = rng.pick(['lat', 'lon', 'id', 'ref']); t = seed.replace(new RegExp(`${attr}="[^"]*"`), `${attr}="${rng.pick(HOSTILE_NUMBER_TEXT)}"`); break; }
      case 5: t = seed.replace('</osm>', `${'<way id="1">'.repeat(rng.pick([10, 3000]))}${'<nd ref="1"/>'.repeat(50)}</osm>`); break;
      default: t = seed.replace(/<(\/?)(node|way|tag|nd)\b/, rng.pick(['<$1$2 ', '<$1X$2', '<$1$2$2', '<$1 $2'])); t = mutateText(rng, t);
    }
    const bytes = rng.chance(0.05) ? mutateBytes(rng, enc(t)) : enc(t);
    return { verdict: await judgeOsm(bytes, 'fuzz.osm'), input: preview(bytes.length < 20000 ? new TextDecoder().decode(bytes) : bytes) };
  },
};

const osmJson: Target = {
  name: 'osm-json', weight: 20,
  async run(rng) {
    const t = jsonCase(rng, SEED_JSON, false);
    return { verdict: await judgeOsm(enc(t), 'fuzz.json'), input: preview(t) };
  },
};

const osmPbf: Target = {
  name: 'osm-pbf', weight: 20,
  async run(rng) {
    const zlib = rng.chance(0.4);
    const nodes = pbfNodes(), ways = pbfWays();
    let bytes: Uint8Array;
    switch (rng.int(6)) {
      case 0: bytes = mutateBytes(rng, pbfFile([primitiveBlock(nodes, ways)], zlib)); break;
      case 1: bytes = truncate(rng, pbfFile([primitiveBlock(nodes, ways)], zlib)); break;
      case 2: case 3: bytes = pbfFile([mutateBytes(rng, primitiveBlock(nodes, ways))], zlib); break;
      case 4: {
        const o: PbfOptions = {};
        const what = rng.int(5);
        if (what === 0) o.granularity = rng.pick([1, 1e6, 2 ** 31, 2 ** 40]);
        else if (what === 1) o.latOffset = rng.pick([1e12, 2 ** 52, 9e10]);
        else if (what === 2) nodes[rng.int(nodes.length)].lat = rng.pick([95, -91, 1e6, 2 ** 40]);
        else if (what === 3) nodes.forEach((n) => { [n.lat, n.lon] = [n.lon, n.lat]; });
        else ways[rng.int(ways.length)].refs.push(rng.pick([2 ** 60, -1, 0]));
        bytes = pbfFile([primitiveBlock(nodes, ways, o)], zlib);
        break;
      }
      default: bytes = pbfFile([primitiveBlock(nodes, ways), mutateBytes(rng, primitiveBlock(nodes.slice(0, 3), ways.slice(0, 1)))], zlib);
    }
    if (process.env.FUZZ_DUMP) writeFileSync(process.env.FUZZ_DUMP, bytes); // to look into one case
    // A file that would send tiny-osmpbf into its endless loop (predicted here independently) must be refused by the
    // importer's block check (osm/pbfGuard.ts); a case the check misses shows up as a hang.
    const verdict = await judgeOsm(bytes, 'fuzz.osm.pbf');
    if (denseTagLoop(bytes) && verdict.kind !== 'refused' && verdict.kind !== 'crash')
      return { verdict: { kind: 'silent', category: 'readOsm accepts a block that loops tiny-osmpbf', detail: '' }, input: preview(bytes) };
    return { verdict, input: preview(bytes) };
  },
};

function districtVerdict(inputText: string, accepted: { notes: unknown[] } | null): Verdict {
  let doc: unknown;
  try { doc = JSON.parse(inputText); } catch { return { kind: 'silent', category: 'accepts text that is not JSON', detail: '' }; }
  const bad = districtFileProblem(doc, placeMeta.bbox);
  if (!bad) return { kind: 'accepted' };
  // A file the importer repaired or converted says so in a note (a CRS converted, a ring closed, a crossing repaired,
  // a polygon left out): accepted with a note is not silent.
  if (accepted && accepted.notes.length) return { kind: 'accepted' };
  return { kind: 'silent', category: `accepts district file with ${bad}`, detail: bad };
}

const districtsApp: Target = {
  name: 'districts-app', weight: 15,
  async run(rng) {
    const t = jsonCase(rng, rng.pick(DISTRICT_SEEDS), true);
    const r = await attempt('parseDistrictFile', () => parseDistrictFile(t, 'fuzz.geojson', PLACE, stations, placeMeta.bbox));
    return { verdict: r.ok ? districtVerdict(t, r.value) : r.verdict, input: preview(t) };
  },
};

const diskCache = new Map<string, string>();
const districtsCli: Target = {
  name: 'districts-cli', weight: 5,
  async run(rng) {
    const t = jsonCase(rng, rng.pick(DISTRICT_SEEDS.slice(1)), true);
    const io: CheckIO = {
      readText: async (p) => (p === 'fuzz.geojson' ? t : diskCache.get(p) ?? (diskCache.set(p, text(p)), diskCache.get(p)!)),
      readBytes: async (p) => { const b = readFileSync(resolve(root, p)); return b.buffer.slice(b.byteOffset, b.byteOffset + b.byteLength) as ArrayBuffer; },
      exists: async (p) => existsSync(resolve(root, p)),
    };
    const r = await attempt('check --districts', () => checkPlace(parseCheckArgs(['--place', PLACE, '--districts', 'fuzz.geojson']), io));
    const notes = r.ok ? r.value.issues.filter((x) => /^(crs-|district-)/.test(x.code)) : [];
    return { verdict: r.ok ? districtVerdict(t, { notes }) : r.verdict, input: preview(t) };
  },
};

const scenario: Target = {
  name: 'scenario', weight: 15,
  async run(rng) {
    const t = rng.chance(0.05) ? '\ufeff' + jsonCase(rng, SCENARIO_SEED, true) : jsonCase(rng, SCENARIO_SEED, true);
    const r = await attempt('scenarioFromGeoJSON', () => scenarioFromGeoJSON(t, 'fuzz.planner.geojson'));
    if (!r.ok) return { verdict: r.verdict, input: preview(t) };
    if (!r.value.ok) return { verdict: { kind: 'refused' }, input: preview(t) };
    let doc: unknown = null;
    try { doc = JSON.parse(t.replace(/^\ufeff/, '')); } catch { /* accepted text that is not JSON: caught below */ }
    const bad = doc === null ? 'text that is not JSON' : scenarioProblem(r.value.scenario) ?? scenarioDocProblem(doc);
    return { verdict: bad ? { kind: 'silent', category: `accepts scenario with ${bad}`, detail: bad } : { kind: 'accepted' }, input: preview(t) };
  },
};

export const TARGETS: Target[] = [osmXml, osmJson, osmPbf, districtsApp, districtsCli, scenario];
const TOTAL = TARGETS.reduce((s, t) => s + t.weight, 0);

/** The target of case i (a fixed interleaving by weight). */
export function targetOf(i: number): Target {
  let k = i % TOTAL;
  for (const t of TARGETS) { if (k < t.weight) return t; k -= t.weight; }
  return TARGETS[0];
}

export async function runCase(i: number, seed: number): Promise<{ target: string; verdict: Verdict; input: string }> {
  const t = targetOf(i);
  const rng = new Rng(Math.imul(seed, 0x9e3779b1) ^ i);
  const { verdict, input } = await t.run(rng);
  return { target: t.name, verdict, input };
}
