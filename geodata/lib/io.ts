/** File helpers for the geodata pipeline: checksums, deterministic JSON, atomic output. Errors are PlannerErrors. */
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import type { Feature, FeatureCollection } from 'geojson';
import { plannerError } from '../../src/core/errors';


export const sha256 = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');

/** Reads a raw input; a missing file is a clear error that says how to fix it. */
export function readRaw(rawDir: string, file: string): Uint8Array {
  const path = join(rawDir, file);
  if (!existsSync(path)) {
    throw plannerError('raw-missing', `缺少原始数据文件「${file}」（先运行 npm run geodata -- --copy-raw）`,
      `missing raw input file "${file}" (run npm run geodata -- --copy-raw first)`, { file });
  }
  return new Uint8Array(readFileSync(path));
}

export function parseJson(bytes: Uint8Array, file: string): unknown {
  try {
    return JSON.parse(new TextDecoder('utf-8').decode(bytes));
  } catch (err) {
    throw plannerError('bad-json', `文件「${file}」不是有效的 JSON`, `file "${file}" is not valid JSON`, { file, detail: (err as Error).message });
  }
}

/** Checks raw files against CHECKSUMS.sha256 when that list exists in the raw folder. */
export function verifyChecksums(rawDir: string, files: string[]): void {
  const listPath = join(rawDir, 'CHECKSUMS.sha256');
  if (!existsSync(listPath)) return;
  const expected = new Map<string, string>();
  for (const line of readFileSync(listPath, 'utf8').split('\n')) {
    const m = /^([0-9a-f]{64})\s+\*?(.+)$/.exec(line.trim());
    if (m) expected.set(m[2], m[1]);
  }
  for (const f of files) {
    const want = expected.get(f);
    if (!want || !existsSync(join(rawDir, f))) continue;
    if (sha256(readFileSync(join(rawDir, f))) !== want) {
      throw plannerError('raw-checksum', `原始数据文件「${f}」与 CHECKSUMS.sha256 不符（文件被改动？用 --copy-raw 重新导入）`,
        `raw input "${f}" does not match CHECKSUMS.sha256 (changed? re-import with --copy-raw)`, { file: f });
    }
  }
}

/** GeoJSON text with one feature per line: compact, yet readable in diffs. */
export function featureCollectionText(fc: FeatureCollection | { type: 'FeatureCollection'; features: Feature[] }): string {
  if (fc.features.length === 0) return '{"type":"FeatureCollection","features":[]}\n';
  return `{"type":"FeatureCollection","features":[\n${fc.features.map((f) => JSON.stringify(f)).join(',\n')}\n]}\n`;
}

export const jsonText = (v: unknown) => `${JSON.stringify(v, null, 2)}\n`;

export function writeText(path: string, text: string | Uint8Array): void {
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, text);
}

/**
 * Replaces `target` (a folder or a file) with `staged` by renames; the previous version stays until the new one
 * is in place. The staged path must be on the same file system (a sibling).
 */
export function swapInto(staged: string, target: string): void {
  const old = join(dirname(target), `.${basename(target)}.old-${process.pid}`);
  rmSync(old, { recursive: true, force: true });
  const had = existsSync(target);
  if (had) renameSync(target, old);
  try {
    renameSync(staged, target);
  } catch (err) {
    if (had) renameSync(old, target);
    throw err;
  }
  rmSync(old, { recursive: true, force: true });
}
