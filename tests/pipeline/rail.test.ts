import { describe, expect, it } from 'vitest';
import { extractRailways } from '../../src/core/osm/extract';
import type { OsmData } from '../../src/core/osm/types';

describe('extractRailways', () => {
  it('keeps surface rail and light rail, drops tunnels, subways and disused lines', () => {
    const nodes = new Map([1, 2, 3, 4].map((id) => [id, { id, lon: 114 + id / 1000, lat: 22.8 }]));
    const way = (id: number, tags: Record<string, string>) => ({ id, nodes: [1, 2, 3, 4], tags });
    const osm: OsmData = {
      nodes,
      ways: [
        way(10, { railway: 'rail', name: '广深铁路' }),
        way(11, { railway: 'rail', tunnel: 'yes' }),
        way(12, { railway: 'subway' }),
        way(13, { railway: 'disused' }),
        way(14, { railway: 'light_rail', tunnel: 'no' }),
      ],
      relations: [],
    };
    const fc = extractRailways(osm);
    expect(fc.features.map((f) => [f.properties.railway, f.properties.name])).toEqual([['rail', '广深铁路'], ['light_rail', '']]);
    expect(fc.features[0].geometry.coordinates).toHaveLength(4);
  });
});
