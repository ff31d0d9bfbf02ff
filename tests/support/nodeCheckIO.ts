/** A CheckIO over the repository's files (paths relative to the repository root, absolute paths as they are). */
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import type { CheckIO } from '../../src/core/compliance/cli';
import { repoRoot } from './place';

export const nodeCheckIO: CheckIO = {
  readText: (p) => readFile(resolve(repoRoot, p), 'utf8'),
  readBytes: async (p) => { const b = await readFile(resolve(repoRoot, p)); return b.buffer.slice(b.byteOffset, b.byteOffset + b.byteLength) as ArrayBuffer; },
  exists: async (p) => existsSync(resolve(repoRoot, p)),
};
