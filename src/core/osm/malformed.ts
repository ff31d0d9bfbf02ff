/**
 * Malformed OSM elements: what a reader skipped and why, with the line (XML, Overpass JSON) and the element's
 * place in the "elements" array (Overpass JSON), so that a broken road is reported, never silently dropped.
 */

/** 'other': a stray `<tag>`/`<nd>`/`<member>` or `<` outside any element, a JSON element without a usable type. */
export type MalformedKind = 'node' | 'way' | 'relation' | 'other';

export interface Problem { zh: string; en: string }

export interface MalformedElement extends Problem {
  kind: MalformedKind;
  /** The element's OSM id, when it could be read. */
  id?: number;
  /** 1-based line of the broken part. */
  line: number;
  /** Overpass JSON: 1-based position in the "elements" array. */
  element?: number;
}

export interface MalformedReport {
  /** Skipped elements by kind. */
  counts: Record<MalformedKind, number>;
  /** The first MALFORMED_EXAMPLES of each kind, in file order. */
  examples: MalformedElement[];
}

/** Examples kept per kind (the counts are complete). */
export const MALFORMED_EXAMPLES = 5;

export const malformedTotal = (r: MalformedReport): number => r.counts.node + r.counts.way + r.counts.relation + r.counts.other;

export const noMalformed = (): MalformedReport => ({ counts: { node: 0, way: 0, relation: 0, other: 0 }, examples: [] });

/**
 * Collects skipped elements by text offset; `report()` turns the offsets of the kept examples into line numbers
 * (one pass over the text). Call `add` in file order.
 */
export function malformedCollector(text: string) {
  const counts: MalformedReport['counts'] = { node: 0, way: 0, relation: 0, other: 0 };
  const kept: { e: Omit<MalformedElement, 'line'>; at: number }[] = [];
  return {
    add(kind: MalformedKind, at: number, problem: Problem, id?: number, element?: number): void {
      counts[kind]++;
      if (counts[kind] > MALFORMED_EXAMPLES) return;
      kept.push({ e: { kind, zh: problem.zh, en: problem.en, ...(id !== undefined ? { id } : {}), ...(element !== undefined ? { element } : {}) }, at });
    },
    count: () => counts.node + counts.way + counts.relation + counts.other,
    report(): MalformedReport {
      const order = kept.map((_k, i) => i).sort((a, b) => kept[a].at - kept[b].at);
      const lines: number[] = new Array(kept.length);
      let line = 1, pos = 0;
      for (const i of order) {
        for (let nl = text.indexOf('\n', pos); nl >= 0 && nl < kept[i].at; nl = text.indexOf('\n', nl + 1)) {
          line++;
          pos = nl + 1;
        }
        lines[i] = line;
      }
      return { counts: { ...counts }, examples: kept.map((k, i) => ({ ...k.e, line: lines[i] })) };
    },
  };
}

const NAMES: Record<MalformedKind, { zh: string; one: string; many: string }> = {
  node: { zh: '节点 (node)', one: 'node', many: 'nodes' },
  way: { zh: '线 (way)', one: 'way', many: 'ways' },
  relation: { zh: '关系 (relation)', one: 'relation', many: 'relations' },
  other: { zh: '其他元素', one: 'other element', many: 'other elements' },
};

/** How many examples of each kind a message names. */
const SHOWN = 3;

/**
 * "3 ways skipped: line 1203 (way 55: broken <tag> …), line 1290 (…), …; 1 node skipped: line 12 (…)", in both
 * languages; null when nothing was skipped.
 */
export function malformedMessage(r: MalformedReport): Problem | null {
  const zh: string[] = [], en: string[] = [];
  for (const kind of ['way', 'node', 'relation', 'other'] as const) {
    const n = r.counts[kind];
    if (n === 0) continue;
    const ex = r.examples.filter((e) => e.kind === kind).slice(0, SHOWN);
    const more = n > ex.length;
    const whoZh = (e: MalformedElement) => (e.id !== undefined ? `${e.kind} ${e.id}：` : '');
    const whoEn = (e: MalformedElement) => (e.id !== undefined ? `${e.kind} ${e.id}: ` : '');
    // (line 0: a binary file (PBF), where only the element's number means anything)
    const whereZh = (e: MalformedElement) => (e.line === 0 ? `第 ${e.element} 个元素` : e.element !== undefined ? `第 ${e.element} 个元素，第 ${e.line} 行` : `第 ${e.line} 行`);
    const whereEn = (e: MalformedElement) => (e.line === 0 ? `element ${e.element}` : e.element !== undefined ? `element ${e.element}, line ${e.line}` : `line ${e.line}`);
    zh.push(`跳过 ${n} 个损坏的${NAMES[kind].zh}：${ex.map((e) => `${whereZh(e)}（${whoZh(e)}${e.zh}）`).join('、')}${more ? ' 等' : ''}`);
    en.push(`${n} ${n === 1 ? NAMES[kind].one : NAMES[kind].many} skipped: ${ex.map((e) => `${whereEn(e)} (${whoEn(e)}${e.en})`).join(', ')}${more ? ', …' : ''}`);
  }
  return zh.length ? { zh: zh.join('；'), en: en.join('; ') } : null;
}
