/**
 * Splits a DevTools CPU profile of the drag bench into who spent the main thread's script time: our code (src/),
 * React (react, react-dom, scheduler, zustand, i18next), MapLibre (maplibre-gl) or other libraries. A sample's self
 * time goes to the original source of its frame, read through the build's source maps (the bundle is minified); a
 * native frame (postMessage, a WebGL call) goes to the nearest JavaScript caller. Samples with no JavaScript on the
 * stack ((program), (idle)) are not script time; the garbage collector is its own row.
 */

export type Who = 'ours' | 'react' | 'maplibre' | 'other' | 'gc';
export const WHO: readonly Who[] = ['ours', 'react', 'maplibre', 'other', 'gc'];

export interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number; columnNumber: number };
  children?: number[];
}
export interface CpuProfile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
}

const B64 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
const B64_VALUE = new Map([...B64].map((c, i) => [c, i]));

/** One source-map segment list per generated line: [generated column, source index] pairs, sorted by column. */
export type LineSegments = [number, number][][];

/** Decodes a source map's `mappings` (base-64 VLQ) into generated column → source index, line by line. */
export function decodeMappings(mappings: string): LineSegments {
  const lines: LineSegments = [];
  let source = 0;
  for (const line of mappings.split(';')) {
    const segs: [number, number][] = [];
    let col = 0;
    for (const seg of line.split(',')) {
      if (!seg) continue;
      const fields: number[] = [];
      let value = 0;
      let shift = 0;
      for (const ch of seg) {
        const digit = B64_VALUE.get(ch);
        if (digit === undefined) throw new Error(`bad VLQ character ${ch}`);
        value += (digit & 31) << shift;
        if (digit & 32) shift += 5;
        else {
          fields.push(value & 1 ? -(value >>> 1) : value >>> 1);
          value = 0;
          shift = 0;
        }
      }
      col += fields[0];
      if (fields.length >= 4) {
        source += fields[1];
        segs.push([col, source]);
      }
    }
    lines.push(segs);
  }
  return lines;
}

/** The source index of a generated (0-based) line and column: the last segment at or before the column, or -1. */
export function sourceIndexAt(lines: LineSegments, line: number, column: number): number {
  const segs = lines[line];
  if (!segs?.length || segs[0][0] > column) return -1;
  let lo = 0;
  let hi = segs.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (segs[mid][0] <= column) lo = mid;
    else hi = mid - 1;
  }
  return segs[lo][1];
}

/** Whose code a source path is. */
export function whoOf(source: string): Who {
  if (/node_modules\/maplibre-gl\//.test(source)) return 'maplibre';
  if (/node_modules\/(react|react-dom|scheduler|zustand|use-sync-external-store|react-i18next|i18next)\//.test(source)) return 'react';
  if (/node_modules\//.test(source)) return 'other';
  if (/(^|\/)src\//.test(source)) return 'ours';
  return 'other';
}

export interface SourceMap {
  sources: string[];
  mappings: string;
}

/**
 * Self time (ms) per owner over a profile. `maps` gives the source map of a script URL (undefined: a script without
 * one, counted as 'other'). Frames are looked up once per node.
 */
export function splitProfile(profile: CpuProfile, maps: (url: string) => SourceMap | undefined, byFile?: Map<string, number>): Record<Who, number> {
  const decoded = new Map<string, { map: SourceMap; lines: LineSegments } | null>();
  const mapOf = (url: string) => {
    if (!decoded.has(url)) {
      const m = maps(url);
      decoded.set(url, m ? { map: m, lines: decodeMappings(m.mappings) } : null);
    }
    return decoded.get(url);
  };
  const parent = new Map<number, number>();
  for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const ownerCache = new Map<number, Who | null>();
  const fileOf = new Map<number, string>();
  const owner = (id: number): Who | null => {
    const hit = ownerCache.get(id);
    if (hit !== undefined) return hit;
    const n = byId.get(id)!;
    const { url, lineNumber, columnNumber, functionName } = n.callFrame;
    let who: Who | null;
    if (functionName === '(garbage collector)') who = 'gc';
    else if (url) {
      const m = mapOf(url);
      const i = m ? sourceIndexAt(m.lines, lineNumber, columnNumber) : -1;
      who = m && i >= 0 ? whoOf(m.map.sources[i] ?? '') : 'other';
      fileOf.set(id, m && i >= 0 ? `${m.map.sources[i]}` : url);
    } else {
      const p = parent.get(id);
      who = p === undefined ? null : owner(p);
    }
    ownerCache.set(id, who);
    return who;
  };
  const out: Record<Who, number> = { ours: 0, react: 0, maplibre: 0, other: 0, gc: 0 };
  profile.samples.forEach((id, k) => {
    const who = owner(id);
    if (who) out[who] += profile.timeDeltas[k] / 1000;
    if (who && byFile) {
      let f = id;
      while (!fileOf.has(f) && parent.has(f)) f = parent.get(f)!;
      const key = `${fileOf.get(f) ?? who} ${byId.get(id)!.callFrame.url ? '' : byId.get(id)!.callFrame.functionName}`;
      byFile.set(key, (byFile.get(key) ?? 0) + profile.timeDeltas[k] / 1000);
    }
  });
  return out;
}
