/**
 * tiny-osmpbf, the reference PBF decoder, on one block at a time: it decodes blocks the fast decoder (pbfFast.ts)
 * does not take on, after the structural checks of pbfBlockFault (it loops forever on some damage). It reads whole
 * files only, so one block is wrapped with the file's header block into a small two-block file. Pure.
 */
import tinyOsmPbf from 'tiny-osmpbf';
import type { Tags } from './types';

/** One element as tiny-osmpbf hands it over. */
export type TinyElement = Parameters<Parameters<typeof tinyOsmPbf>[1] & object>[0];

const varintBytes = (v: number) => {
  const out: number[] = [];
  while (v > 127) { out.push((v % 128) | 128); v = Math.floor(v / 128); }
  out.push(v);
  return out;
};
const bytesField = (field: number, data: Uint8Array) => [...varintBytes(field * 8 + 2), ...varintBytes(data.length)];

/** The framed, uncompressed header block followed by one framed data block: a small PBF file for tiny-osmpbf. */
function twoBlockFile(head: Uint8Array, content: Uint8Array): Uint8Array<ArrayBuffer> {
  const frame = (type: string, c: Uint8Array) => {
    const blobHead = bytesField(1, c), blobTail = [16, ...varintBytes(c.length)];
    const blobLen = blobHead.length + c.length + blobTail.length;
    const typeBytes = new TextEncoder().encode(type);
    const header = [...bytesField(1, typeBytes), ...typeBytes, 24, ...varintBytes(blobLen)];
    return { header, blobHead, blobTail, length: 4 + header.length + blobLen, c };
  };
  const parts = [frame('OSMHeader', head), frame('OSMData', content)];
  const out = new Uint8Array(parts[0].length + parts[1].length);
  const view = new DataView(out.buffer);
  let p = 0;
  for (const f of parts) {
    view.setUint32(p, f.header.length, false);
    p += 4;
    for (const piece of [f.header, f.blobHead, f.c, f.blobTail]) {
      out.set(piece, p);
      p += piece.length;
    }
  }
  return out;
}

/**
 * tiny-osmpbf is CommonJS written for Node: it calls `new Buffer(…)` and assigns an undeclared `pbf` variable.
 * In a browser worker (strict ESM bundle) both would throw, so minimal stand-ins are installed for the duration of
 * the (synchronous) call and removed again, so that no other library sees a fake Buffer.
 */
export function withPbfGlobals<T>(run: () => T): T {
  const g = globalThis as Record<string, unknown>;
  const addBuffer = typeof g.Buffer === 'undefined';
  const addPbf = !('pbf' in g);
  if (addBuffer) {
    const decoder = new TextDecoder('utf-8');
    g.Buffer = class Uint8Buffer extends Uint8Array {
      toString(): string {
        return decoder.decode(this);
      }
    };
  }
  if (addPbf) g.pbf = undefined;
  try {
    return run();
  } finally {
    if (addBuffer) delete g.Buffer;
    if (addPbf) delete g.pbf;
  }
}

/**
 * Whether tiny-osmpbf accepts the file's header block (required features, structure): it reads it with every block.
 * Tried with an OSMData block holding only an empty string table (read without a single element).
 */
export function headerAccepted(head: Uint8Array): boolean {
  return withPbfGlobals(() => {
    try {
      tinyOsmPbf(twoBlockFile(head, Uint8Array.of(0x0a, 0x00)).buffer, () => {});
      return true;
    } catch {
      return false;
    }
  });
}

/** Decodes one data block (its uncompressed content) with tiny-osmpbf, handing each element to `handle`. */
export function tinyBlock(head: Uint8Array, content: Uint8Array, handle: (e: TinyElement) => void): void {
  withPbfGlobals(() => tinyOsmPbf(twoBlockFile(head, content).buffer, handle));
}

/** Whether a tag object has a key (without listing its keys: called for every node). */
export const hasKeys = (t: Tags | undefined): t is Tags => {
  if (t) for (const k in t) if (Object.prototype.hasOwnProperty.call(t, k)) return true;
  return false;
};
