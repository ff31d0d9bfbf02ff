/**
 * Hand-made tiny OSM networks (test fixtures, not real places), written as OSM XML and as Overpass JSON, and the
 * pipeline tests' check of a bilingual error naming its file.
 *
 *   1 ── 2 ── 3 ══ 9        way 10 residential 1-2-3 (two-way); way 14 primary 8-9, node 8 duplicates node 3
 *        │    ┊             way 11 residential 2→4 (oneway=yes), node 4 is a dead end
 *        4    5             way 12 footway 3-5 (not drivable)
 *   6 ── 7                  way 13 service 6-7: a disconnected piece
 */
import { expect } from 'vitest';
import { isErrorInfo, type PlannerErrorInfo } from '../../src/core/errors';

export const TINY_NODES: [number, number, number][] = [
  [1, 0.0, 0.0], [2, 0.001, 0.0], [3, 0.002, 0.0], [4, 0.001, -0.001], [5, 0.002, -0.001],
  [6, 0.01, 0.01], [7, 0.011, 0.01], [8, 0.002, 0.0], [9, 0.003, 0.0],
];
export const TINY_WAYS: { id: number; nodes: number[]; tags: Record<string, string> }[] = [
  { id: 10, nodes: [1, 2, 3], tags: { highway: 'residential', name: '一路 & 二路' } },
  { id: 11, nodes: [2, 4], tags: { highway: 'residential', oneway: 'yes' } },
  { id: 12, nodes: [3, 5], tags: { highway: 'footway' } },
  { id: 13, nodes: [6, 7], tags: { highway: 'service' } },
  { id: 14, nodes: [8, 9], tags: { highway: 'primary', 'name:en': 'Main Road' } },
];

const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;');

export function tinyXml(): string {
  const lines = ['<?xml version="1.0" encoding="UTF-8"?>', '<osm version="0.6" generator="hand-made test">'];
  for (const [id, lon, lat] of TINY_NODES) lines.push(`  <node id="${id}" lat="${lat}" lon="${lon}"/>`);
  for (const w of TINY_WAYS) {
    lines.push(`  <way id="${w.id}">`);
    for (const n of w.nodes) lines.push(`    <nd ref="${n}"/>`);
    for (const [k, v] of Object.entries(w.tags)) lines.push(`    <tag k="${esc(k)}" v="${esc(v)}"/>`);
    lines.push('  </way>');
  }
  lines.push('</osm>', '');
  return lines.join('\n');
}

export function tinyJson(): string {
  return JSON.stringify({
    version: 0.6,
    elements: [
      ...TINY_NODES.map(([id, lon, lat]) => ({ type: 'node', id, lat, lon })),
      ...TINY_WAYS.map((w) => ({ type: 'way', ...w })),
    ],
  });
}

export const bytes = (s: string) => new TextEncoder().encode(s);

/**
 * Expects `run` to throw a bilingual error that names the file: a PlannerError whose `zh` is Chinese and whose `en`
 * matches `en`, each naming the file in its text or in `file` (an older error class with one "zh / en" message is
 * checked the same way on its message).
 */
export function expectFileError(run: () => unknown, fileName: string, en: RegExp): void {
  let err: unknown = null;
  try { run(); } catch (e) { err = e; }
  expect(isErrorInfo(err), `not a PlannerError: ${String(err)}`).toBe(true);
  const info = err as PlannerErrorInfo;
  expect(`${info.zh} ${info.file ?? ''}`).toContain(fileName);
  expect(info.zh).toMatch(/[\u4e00-\u9fff]/);
  expect(`${info.en} ${info.file ?? ''}`).toContain(fileName);
  expect(`${info.en} ${info.detail ?? ''}`).toMatch(en);
}
