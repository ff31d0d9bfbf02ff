import { afterEach, describe, expect, it, vi } from 'vitest';
import { PlannerError } from '../core/errors';
import { loadGraphBuffer, loadPlaces } from './places';
import type { PlaceMeta } from '../core/types';

const fail = async (p: Promise<unknown>): Promise<PlannerError> => {
  const e = await p.then(() => null, (x: unknown) => x);
  if (!(e instanceof PlannerError)) throw new Error(`expected a PlannerError, got ${String(e)}`);
  return e;
};

describe('data files that cannot be read are PlannerErrors naming the URL', () => {
  afterEach(() => vi.unstubAllGlobals());

  it('HTTP status, broken JSON, a list that is not a list, an unreachable server', async () => {
    vi.stubGlobal('fetch', async () => new Response('nope', { status: 404 }));
    const e404 = await fail(loadPlaces());
    expect(e404).toMatchObject({ code: 'data-http', file: '/data/places.json', detail: 'HTTP 404' });
    expect(e404.zh).toContain('/data/places.json');
    expect(e404.en).toBe('cannot read the data file "/data/places.json"');

    vi.stubGlobal('fetch', async () => new Response('{"broken', { status: 200 }));
    expect(await fail(loadPlaces())).toMatchObject({ code: 'bad-json', file: '/data/places.json' });

    vi.stubGlobal('fetch', async () => new Response('{"a": 1}', { status: 200 }));
    expect(await fail(loadPlaces())).toMatchObject({ code: 'bad-place-list', detail: 'not a list' });

    vi.stubGlobal('fetch', async () => { throw new TypeError('Failed to fetch'); });
    const place = { id: 'monaco', files: {} } as unknown as PlaceMeta;
    expect(await fail(loadGraphBuffer(place))).toMatchObject({ code: 'data-unreachable', file: '/data/monaco/graph.bin', detail: 'Failed to fetch' });
  });
});
