import { describe, expect, it } from 'vitest';
import { SourceMapGenerator } from 'source-map-js';
import { decodeMappings, sourceIndexAt, splitProfile, whoOf, type CpuProfile } from './dragProfile';

/** A source map made by an independent implementation (source-map-js, the one vite's toolchain ships). */
function makeMap() {
  const g = new SourceMapGenerator({ file: 'main.js' });
  const files = ['../../src/map/MapView.tsx', '../node_modules/maplibre-gl/dist/maplibre-gl.mjs', '../node_modules/react-dom/cjs/react-dom-client.production.js'];
  // line 1: columns 0 ours, 40 maplibre, 90 react; line 2 (after a long gap): column 5000 maplibre; line 3: 0 ours
  const at: [number, number, number][] = [[1, 0, 0], [1, 40, 1], [1, 90, 2], [2, 5000, 1], [3, 0, 0]];
  for (const [line, column, src] of at) g.addMapping({ generated: { line, column }, original: { line: 10 + column, column: 3 }, source: files[src] });
  return JSON.parse(g.toString()) as { sources: string[]; mappings: string };
}

describe('drag bench profile split', () => {
  it('decodes source-map VLQ the way source-map-js wrote it', () => {
    const map = makeMap();
    const lines = decodeMappings(map.mappings);
    const who = (line: number, col: number) => whoOf(map.sources[sourceIndexAt(lines, line, col)] ?? '');
    expect(who(0, 0)).toBe('ours');
    expect(who(0, 39)).toBe('ours');
    expect(who(0, 40)).toBe('maplibre');
    expect(who(0, 89)).toBe('maplibre');
    expect(who(0, 90)).toBe('react');
    expect(who(0, 100000)).toBe('react');
    expect(sourceIndexAt(lines, 1, 4999)).toBe(-1); // before the line's first segment
    expect(who(1, 5000)).toBe('maplibre');
    expect(who(2, 7)).toBe('ours');
    expect(sourceIndexAt(lines, 9, 0)).toBe(-1); // no such line
  });

  it('classifies library paths', () => {
    expect(whoOf('../../../main/node_modules/zustand/esm/react.mjs')).toBe('react');
    expect(whoOf('../node_modules/i18next/dist/esm/i18next.js')).toBe('react');
    expect(whoOf('../node_modules/comlink/dist/esm/comlink.mjs')).toBe('other');
    expect(whoOf('../../src/store/index.ts')).toBe('ours');
  });

  it('gives each sample to its frame, native calls to their JavaScript caller, and leaves out idle / program', () => {
    const map = makeMap();
    const url = 'http://127.0.0.1:4189/assets/main.js';
    const frame = (id: number, functionName: string, u: string, lineNumber: number, columnNumber: number, children: number[] = []) =>
      ({ id, callFrame: { functionName, url: u, lineNumber, columnNumber }, children });
    const profile: CpuProfile = {
      nodes: [
        frame(1, '(root)', '', -1, -1, [2, 3, 4, 5]),
        frame(2, '(program)', '', -1, -1),
        frame(3, '(idle)', '', -1, -1),
        frame(4, '(garbage collector)', '', -1, -1),
        frame(5, 'syncSources', url, 0, 10, [6]), // ours
        frame(6, 'render', url, 0, 50, [7]), // maplibre
        frame(7, 'drawElements', '', -1, -1), // native, called by maplibre
      ],
      samples: [2, 3, 4, 5, 6, 7, 7],
      timeDeltas: [1000, 2000, 3000, 4000, 5000, 6000, 7000],
    };
    const split = splitProfile(profile, (u) => (u === url ? map : undefined));
    expect(split).toEqual({ ours: 4, react: 0, maplibre: 18, other: 0, gc: 3 });
  });
});
