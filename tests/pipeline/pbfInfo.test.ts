/**
 * The Info check of ways and relations (pbfFast infoOk, a plain loop over the fields) against the field walk it
 * replaced (eachField with a callback, kept here as the reference): the same answer on random Info messages — known
 * and unknown fields, every wire type, timestamps around the largest date, lengths past the end, cut short — and on
 * random bytes, each placed inside a larger buffer.
 */
import { describe, expect, it } from 'vitest';
import { infoOk } from '../../src/core/osm/pbfFast';
import { Cursor, eachField } from '../../src/core/osm/pbfWire';
import { Rng } from '../fuzz/gen';

const MAX_DATE_MS = 8.64e15;
/** The check as it was written before (reference). */
function infoOkBefore(c: Cursor, s: number, e: number, dg: number): boolean {
  return eachField(c, s, e, (n, wire, v) => {
    if (n > 6) return true;
    if (wire !== 0) return false;
    return n !== 2 || v === 0 || Math.abs(v * dg) <= MAX_DATE_MS;
  });
}

const varint = (v: number): number[] => {
  const out: number[] = [];
  let x = v;
  while (x > 127) { out.push((x % 128) | 128); x = Math.floor(x / 128); }
  out.push(x);
  return out;
};

function randomInfo(rng: Rng): number[] {
  const out: number[] = [];
  const fields = rng.int(8);
  for (let f = 0; f < fields; f++) {
    const n = rng.pick([0, 1, 2, 2, 3, 4, 5, 6, 7, 8, 15, 16, 300]);
    const wire = rng.pick([0, 0, 0, 2, 2, 1, 5, 3]);
    out.push(...varint(n * 8 + wire));
    if (wire === 0) out.push(...varint(rng.pick([0, 1, rng.int(1e9), 8.64e12, 8.64e12 + 1, 8.64e15, 2 ** 40, 2 ** 49 - 1])));
    else if (wire === 2) {
      const len = rng.pick([0, 1, 3, rng.int(40)]);
      out.push(...varint(len));
      for (let k = 0; k < len; k++) out.push(rng.int(256));
    } else out.push(rng.int(256));
  }
  if (rng.chance(0.2)) out.length = rng.int(out.length + 1);
  if (rng.chance(0.1)) out.push(...Array.from({ length: 10 }, () => 0x80 | rng.int(128)));
  return out;
}

describe('infoOk answers as the field walk with a callback did', () => {
  it('20 000 random Info messages and random byte strings, inside larger buffers, for several date granularities', () => {
    let accepted = 0, refused = 0;
    for (let seed = 1; seed <= 20_000; seed++) {
      const rng = new Rng(seed);
      const body = rng.chance(0.15) ? Array.from({ length: rng.int(30) }, () => rng.int(256)) : randomInfo(rng);
      const before = Array.from({ length: rng.int(4) }, () => rng.int(256)), after = Array.from({ length: rng.int(4) }, () => rng.int(256));
      const b = Uint8Array.from([...before, ...body, ...after]);
      const dg = rng.pick([1000, 1, 1_000_000, 2 ** 31]);
      const s = before.length, e = s + body.length;
      const got = infoOk(new Cursor(b), s, e, dg), want = infoOkBefore(new Cursor(b), s, e, dg);
      expect(got, `seed ${seed}`).toBe(want);
      if (want) accepted++; else refused++;
    }
    expect(accepted).toBeGreaterThan(2000);
    expect(refused).toBeGreaterThan(2000);
  });
});
