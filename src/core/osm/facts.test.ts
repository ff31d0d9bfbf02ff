/**
 * wayFacts / nodeFacts pick the keys FACT_KEY matches (a set lookup first, the regular expression only for keys with
 * a suffix): the same picks as testing every key with the expression, on crafted keys and random tag sets.
 */
import { describe, expect, it } from 'vitest';
import { FACT_KEY, FactTable, nodeFacts, wayFacts } from './facts';
import { rng } from '../optimize/testMatrix';
import type { Tags } from './types';

/** wayFacts as written before: every key tested with FACT_KEY. */
function wayFactsByRegExp(tags: Tags): Tags | null {
  const keys = Object.keys(tags).filter((k) => FACT_KEY.test(k) || (k === 'highway' && tags[k] === 'construction')).sort();
  return keys.length ? Object.fromEntries(keys.map((k) => [k, tags[k]])) : null;
}

const KEYS = ['access', 'access:forward', 'access:', 'accessx', 'xaccess', 'Access', 'ref', 'ref:en', 'reference', 'oneway', 'oneway:bicycle',
  'maxweight:conditional', 'highway', 'name', 'name:en', 'service', 'route', 'route_master', 'duration', 'junction', 'hgv:conditional',
  'access:\n', 'access\n', ':access', 'motor_vehicle', 'motor_vehicle:backward', 'fire_engine', 'barrier', 'emergency', 'construction'];

describe('road-rule facts of ways and nodes', () => {
  it('wayFacts: the same keys as FACT_KEY tested on each (crafted keys, 3000 random tag sets)', () => {
    const r = rng(5);
    for (let i = 0; i < 3000; i++) {
      const tags: Tags = {};
      for (let k = 0; k < 1 + Math.floor(r() * 6); k++) tags[KEYS[Math.floor(r() * KEYS.length)]] = r() < 0.3 ? 'construction' : 'yes';
      expect(wayFacts(tags)).toEqual(wayFactsByRegExp(tags));
    }
    expect(wayFacts({ highway: 'residential', name: 'x' })).toBeNull();
    expect(wayFacts({ 'access:': 'no', accessx: 'no', 'maxweight:conditional': '3 @ wet', ref: 'G1' })).toEqual({ 'access:': 'no', 'maxweight:conditional': '3 @ wet', ref: 'G1' });
  });

  it('nodeFacts: barrier and access nodes keep barrier and the fact keys; others none', () => {
    expect(nodeFacts({ barrier: 'gate', name: 'x', 'access:forward': 'no', accessx: '1' })).toEqual({ 'access:forward': 'no', barrier: 'gate' });
    expect(nodeFacts({ highway: 'crossing' })).toBeNull();
    expect(nodeFacts({ emergency: 'fire_hydrant' })).toEqual({ emergency: 'fire_hydrant' });
  });

  it('FactTable numbers distinct fact sets from 1 in order of first use, 0 for none', () => {
    const t = new FactTable();
    expect([t.add(null), t.add({ access: 'no' }), t.add({ oneway: 'yes' }), t.add({ access: 'no' })]).toEqual([0, 1, 2, 1]);
    expect(t.list).toEqual([{}, { access: 'no' }, { oneway: 'yes' }]);
  });
});
