/**
 * The text readers of OSM data: OSM XML (own scanner) and Overpass JSON, each reporting the elements it skips as
 * malformed with their lines (readOsm in read.ts sniffs the format and calls them). Pure.
 */
import { plannerError, shortJson, type PlannerError } from '../errors';
import { malformedCollector, type MalformedReport, type Problem } from './malformed';
import type { OsmData, OsmMember, OsmNode, OsmRelation, OsmWay, Tags } from './types';
import { scanXml, type XmlTag } from './xml';

/** What a reader returns: the data and the malformed elements it skipped (XML, Overpass JSON; none for PBF). */
export type OsmRead = OsmData & { malformed: MalformedReport };
export type ProgressFn = (done: number, total: number) => void;

/** A file that cannot be read as OSM data: PlannerError code 'bad-osm', both messages name the file. */
export const osmReadError = (fileName: string, zh: string, en: string): PlannerError =>
  plannerError('bad-osm', `无法读取 OSM 文件「${fileName}」：${zh}`, `Cannot read OSM file "${fileName}": ${en}`, { file: fileName });

/** OSM data being read by a text reader: its nodes in a Map it fills. */
export type MapData = OsmData & { nodes: Map<number, OsmNode> };
export const emptyData = (): MapData => ({ nodes: new Map(), ways: [], relations: [] });
const hasKeys = (t: Tags | undefined): t is Tags => !!t && Object.keys(t).length > 0;

// ---------------------------------------------------------------- XML

/** A whole number as OSM writes ids and refs (no exponent, hex or fraction). */
const osmId = (v: string | undefined): number | undefined => (v !== undefined && /^-?\d{1,16}$/.test(v) && Number.isSafeInteger(Number(v)) ? Number(v) : undefined);
/** A decimal degree value within ±limit. */
const degree = (v: string | undefined, limit: number): number | undefined => {
  if (v === undefined || !/^[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?$/.test(v)) return undefined;
  const x = Number(v);
  return Math.abs(x) <= limit ? x : undefined;
};

const CHILD_OF: Record<string, 'node' | 'way' | 'relation' | 'any'> = { tag: 'any', nd: 'way', member: 'relation' };
const bad = (zh: string, en: string): Problem => ({ zh, en });

interface OpenElement {
  kind: 'node' | 'way' | 'relation';
  start: number;
  a: Record<string, string>;
  tags: Tags;
  nodes: number[];
  members: OsmMember[];
  /** The first thing wrong with the element and where. */
  problem?: Problem & { at: number };
}

/** Problem of a `<tag>`, `<nd>` or `<member>` inside `el`, or null when it is fine (and has been added to `el`). */
function addChild(el: OpenElement, t: XmlTag): Problem | null {
  const what = `<${t.name}>`;
  if (t.problem) return bad(`${what} 损坏：${t.problem.zh}`, `broken ${what}: ${t.problem.en}`);
  const place = CHILD_OF[t.name];
  if (place !== 'any' && place !== el.kind) return bad(`${el.kind} 中不应有 ${what}`, `${what} inside a ${el.kind}`);
  const a = t.attrs;
  if (t.name === 'tag') {
    if (a.k === undefined || a.v === undefined) return bad(`${what} 缺少 k 或 v`, `${what} without k or v`);
    if (Object.prototype.hasOwnProperty.call(el.tags, a.k)) return bad(`标签键「${a.k}」重复`, `duplicate tag key "${a.k}"`);
    el.tags[a.k] = a.v;
  } else if (t.name === 'nd') {
    const ref = osmId(a.ref);
    if (ref === undefined) return bad(`${what} 的 ref「${a.ref ?? ''}」不是有效编号`, `${what} ref "${a.ref ?? ''}" is not a valid id`);
    el.nodes.push(ref);
  } else {
    const ref = osmId(a.ref);
    if (a.type !== 'node' && a.type !== 'way' && a.type !== 'relation') return bad(`${what} 的 type「${a.type ?? ''}」无效`, `${what} type "${a.type ?? ''}" is not node, way or relation`);
    if (ref === undefined) return bad(`${what} 的 ref「${a.ref ?? ''}」不是有效编号`, `${what} ref "${a.ref ?? ''}" is not a valid id`);
    el.members.push({ type: a.type, ref, role: a.role ?? '' });
  }
  return null;
}

export function readXml(text: string, fileName: string, onProgress?: ProgressFn): OsmRead {
  const start = /<osm[\s>]/.exec(text.slice(0, 4096));
  if (!start) {
    const hint = /<(gpx|kml|svg|html)[\s>]/i.exec(text.slice(0, 4096));
    throw osmReadError(fileName, hint ? `这是 ${hint[1].toUpperCase()} 文件，不是 OSM XML` : '缺少 <osm> 根元素，不是 OSM XML',
      hint ? `this is a ${hint[1].toUpperCase()} file, not OSM XML` : 'no <osm> root element; not OSM XML');
  }
  if (!/<\/osm\s*>\s*$/.test(text.slice(-64))) throw osmReadError(fileName, '文件被截断（缺少 </osm> 结尾）', 'the file is truncated (no closing </osm>)');
  const data = emptyData();
  const skipped = malformedCollector(text);
  const open: { el: OpenElement | null } = { el: null };
  let steps = 0;

  const finish = () => {
    const el = open.el;
    if (!el) return;
    open.el = null;
    const { kind, a, tags } = el;
    const id = osmId(a.id);
    if (a.action === 'delete' || a.visible === 'false') if (!el.problem) return; // deleted in the file (JOSM, history)
    let problem: (Problem & { at: number }) | undefined = el.problem;
    const p = (zh: string, en: string) => ({ zh, en, at: el.start });
    if (!problem && id === undefined) problem = p(`<${kind}> 的 id「${a.id ?? ''}」不是有效编号`, `<${kind}> id "${a.id ?? ''}" is not a valid id`);
    let lon: number | undefined, lat: number | undefined;
    if (!problem && kind === 'node') {
      lat = degree(a.lat, 90);
      lon = degree(a.lon, 180);
      if (lat === undefined || lon === undefined) problem = p(`坐标无效（lat「${a.lat ?? ''}」，lon「${a.lon ?? ''}」）`, `invalid coordinates (lat "${a.lat ?? ''}", lon "${a.lon ?? ''}")`);
    }
    if (!problem && kind === 'way' && el.nodes.length === 0) problem = p('没有 <nd> 节点', 'no <nd> nodes');
    if (problem) return skipped.add(kind, problem.at, problem, id);
    if (kind === 'node') {
      const n: OsmNode = { id: id as number, lon: lon as number, lat: lat as number };
      if (hasKeys(tags)) n.tags = tags;
      data.nodes.set(n.id, n);
    } else if (kind === 'way') data.ways.push({ id: id as number, nodes: el.nodes, tags });
    else data.relations.push({ id: id as number, members: el.members, tags });
  };

  scanXml(text, (t) => {
    const el = open.el;
    if (t.name === 'node' || t.name === 'way' || t.name === 'relation') {
      finish();
      if (t.closing) return;
      open.el = { kind: t.name, start: t.start, a: t.attrs, tags: {}, nodes: [], members: [] };
      if (t.problem) open.el.problem = { zh: `<${t.name}> 标签损坏：${t.problem.zh}`, en: `broken <${t.name}> tag: ${t.problem.en}`, at: t.start };
      if (t.selfClosing) finish();
      if (++steps % 20000 === 0) onProgress?.(t.start, text.length);
    } else if (t.name in CHILD_OF || t.name === '') {
      if (t.closing) return;
      if (!el) {
        const what = t.name ? `<${t.name}>` : '<';
        return skipped.add('other', t.start, t.name ? bad(`${what} 不在任何 node/way/relation 之内`, `${what} outside any node, way or relation`) : bad(t.problem?.zh ?? '', t.problem?.en ?? ''));
      }
      if (el.problem) return;
      const problem = t.name ? addChild(el, t) : bad(`多余的 <`, 'stray <');
      if (problem) el.problem = { ...problem, at: t.start };
    }
  });
  finish();
  return { ...data, malformed: skipped.report() };
}

// ---------------------------------------------------------------- Overpass JSON

/** Overpass element types that are not map data ("out count", areas): ignored without a report. */
const NOT_MAP_DATA: ReadonlySet<string> = new Set(['area', 'count']);

/**
 * Offsets of the values of the top-level "elements" array (one linear scan that skips strings), to give a skipped
 * element its line. Only called when something was skipped.
 */
export function jsonElementOffsets(text: string): number[] {
  const out: number[] = [];
  const n = text.length;
  let depth = 0, key = '', inside = false, expect = false;
  for (let i = 0; i < n; i++) {
    const c = text.charCodeAt(i);
    if (c <= 0x20 || c === 0x3a /* : */) continue;
    const valueStart = inside && depth === 2 && expect;
    if (valueStart) { out.push(i); expect = false; }
    if (c === 0x22 /* " */) {
      let j = i + 1;
      while (j < n && text.charCodeAt(j) !== 0x22) j += text.charCodeAt(j) === 0x5c ? 2 : 1;
      if (depth === 1) key = text.slice(i + 1, j);
      i = j;
    } else if (c === 0x7b || c === 0x5b /* { [ */) {
      depth++;
      if (c === 0x5b && depth === 2 && key === 'elements' && !inside && out.length === 0) { inside = true; expect = true; }
    } else if (c === 0x7d || c === 0x5d /* } ] */) {
      depth--;
      if (inside && depth === 1) return out;
    } else if (c === 0x2c /* , */ && inside && depth === 2) expect = true;
  }
  return out;
}

interface JsonElement {
  type?: string;
  id?: number;
  lat?: number;
  lon?: number;
  nodes?: number[];
  /** Overpass `out geom`: way node positions, aligned with `nodes`. */
  geometry?: ({ lat?: number; lon?: number } | null)[];
  members?: { type?: string; ref?: number; role?: string }[];
  tags?: Tags;
}

const isId = (v: unknown): v is number => typeof v === 'number' && Number.isSafeInteger(v);
const isTags = (v: unknown): v is Tags => !!v && typeof v === 'object' && !Array.isArray(v) && Object.values(v).every((x) => typeof x === 'string');

/** Why an Overpass JSON element cannot be used, or null when it can. */
function jsonProblem(e: unknown): Problem | null {
  if (!e || typeof e !== 'object' || Array.isArray(e)) return bad('不是对象', 'not an object');
  const el = e as Record<string, unknown>;
  if (el.type !== 'node' && el.type !== 'way' && el.type !== 'relation') return bad(`type ${shortJson(el.type, 40)} 无效`, `type ${shortJson(el.type, 40)} is not node, way or relation`);
  if (el.id === undefined) return bad('缺少 id', 'no id');
  if (!isId(el.id)) return bad(`id ${shortJson(el.id)} 不是有效编号`, `id ${shortJson(el.id)} is not a valid id`);
  if (el.tags !== undefined && !isTags(el.tags)) return bad('tags 不是「键: 字符串值」对象', 'tags is not an object of string values');
  if (el.type === 'node') {
    const ok = typeof el.lat === 'number' && typeof el.lon === 'number' && Math.abs(el.lat) <= 90 && Math.abs(el.lon) <= 180;
    if (!ok) return bad(`坐标无效（lat ${(el.lat === undefined ? '缺失' : shortJson(el.lat, 40))}，lon ${(el.lon === undefined ? '缺失' : shortJson(el.lon, 40))}）`, `invalid coordinates (lat ${(el.lat === undefined ? 'missing' : shortJson(el.lat, 40))}, lon ${(el.lon === undefined ? 'missing' : shortJson(el.lon, 40))})`);
  } else if (el.type === 'way') {
    if (!Array.isArray(el.nodes) || el.nodes.length === 0) return bad('nodes 不是非空的编号列表', 'nodes is not a non-empty list of ids');
    const i = el.nodes.findIndex((r) => !isId(r));
    if (i >= 0) return bad(`nodes[${i}]「${shortJson(el.nodes[i])}」不是有效编号`, `nodes[${i}] ${shortJson(el.nodes[i])} is not a valid id`);
  } else {
    if (!Array.isArray(el.members)) return bad('members 不是列表', 'members is not a list');
    const i = el.members.findIndex((m) => !m || typeof m !== 'object' || !['node', 'way', 'relation'].includes((m as { type?: unknown }).type as string) || !isId((m as { ref?: unknown }).ref)
      || !['string', 'undefined'].includes(typeof (m as { role?: unknown }).role));
    if (i >= 0) return bad(`members[${i}] 无效（需要 type、ref 与 role）`, `members[${i}] is invalid (type, ref and role needed)`);
  }
  return null;
}

export function readOverpassJson(text: string, fileName: string): OsmRead {
  let doc: { elements?: unknown; type?: unknown; remark?: unknown };
  try {
    doc = JSON.parse(text);
  } catch (err) {
    throw osmReadError(fileName, `JSON 语法错误（${(err as Error).message}）`, `invalid JSON (${(err as Error).message})`);
  }
  if (!doc || typeof doc !== 'object') throw osmReadError(fileName, 'JSON 内容不是对象', 'the JSON is not an object');
  if (!Array.isArray(doc.elements)) {
    const geo = doc.type === 'FeatureCollection' || doc.type === 'Feature';
    throw osmReadError(fileName,
      geo ? '这是 GeoJSON，不是 Overpass JSON（需要 elements 数组）' : '缺少 elements 数组，不是 Overpass JSON',
      geo ? 'this is GeoJSON, not Overpass JSON (an "elements" array is needed)' : 'no "elements" array; not Overpass JSON');
  }
  const data = emptyData();
  const problems: { index: number; kind: 'node' | 'way' | 'relation' | 'other'; id?: number; problem: Problem }[] = [];
  (doc.elements as unknown[]).forEach((raw, index) => {
    if (raw && typeof raw === 'object' && NOT_MAP_DATA.has((raw as { type?: string }).type as string)) return;
    const problem = jsonProblem(raw);
    if (problem) {
      const r = (raw ?? {}) as { type?: unknown; id?: unknown };
      const kind = r.type === 'node' || r.type === 'way' || r.type === 'relation' ? r.type : 'other';
      problems.push({ index, kind, ...(isId(r.id) ? { id: r.id } : {}), problem });
      return;
    }
    const e = raw as JsonElement & { id: number };
    const tags = e.tags ?? {};
    if (e.type === 'node') {
      const n: OsmNode = { id: e.id, lon: e.lon as number, lat: e.lat as number };
      if (hasKeys(tags)) n.tags = tags;
      data.nodes.set(e.id, n);
    } else if (e.type === 'way') {
      const nodes = e.nodes as number[];
      const way: OsmWay = { id: e.id, nodes, tags };
      data.ways.push(way);
      if (Array.isArray(e.geometry) && e.geometry.length === nodes.length) {
        e.geometry.forEach((p, i) => {
          const id = nodes[i];
          if (p && typeof p.lat === 'number' && typeof p.lon === 'number' && Math.abs(p.lat) <= 90 && Math.abs(p.lon) <= 180 && !data.nodes.has(id)) data.nodes.set(id, { id, lon: p.lon, lat: p.lat });
        });
      }
    } else {
      const members: OsmMember[] = (e.members ?? []).map((mb) => ({ type: mb.type as OsmMember['type'], ref: mb.ref as number, role: mb.role ?? '' }));
      const rel: OsmRelation = { id: e.id, members, tags };
      data.relations.push(rel);
    }
  });
  const skipped = malformedCollector(text);
  if (problems.length) {
    const offsets = jsonElementOffsets(text);
    for (const p of problems) skipped.add(p.kind, offsets[p.index] ?? 0, p.problem, p.id, p.index + 1);
  }
  if (data.nodes.size === 0 && data.ways.length === 0 && typeof doc.remark === 'string') {
    throw osmReadError(fileName, `Overpass 返回了错误：${doc.remark}`, `Overpass returned an error: ${doc.remark}`);
  }
  return { ...data, malformed: skipped.report() };
}
