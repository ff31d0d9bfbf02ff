import { describe, expect, it } from 'vitest';
import { readOsm } from '../../src/core/osm/read';
import { scenarioFromGeoJSON } from '../../src/core/scenario/io';
import { pbfFile, primitiveBlock } from './pbf';
import { deepArrayText } from './gen';

// Cases the fuzz suite found, kept as plain tests (each failed before its fix).
describe('fuzz regressions', () => {
  it('scenario file with a deeply nested value where text or coordinates belong: refused with a message, not a stack overflow', () => {
    const deep = deepArrayText(100000);
    const doc = (name: string, coords: string) => `{"type":"FeatureCollection","planner":{"format":"fire-station-planner/scenario","version":1,"id":"s","name":${name},"placeId":"p","createdAt":"a","updatedAt":"b","removedIds":[],"settings":{"standardId":"x","peak":false,"districtsMode":"auto"}},"features":[{"type":"Feature","geometry":{"type":"Point","coordinates":${coords}},"properties":{"id":"a","name":"n","stationClass":"一级","status":"existing","position":"surveyed"}}]}`;
    const byName = scenarioFromGeoJSON(doc(deep, '[112,22]'), 'deep.geojson');
    expect(byName.ok).toBe(false);
    if (!byName.ok) expect(byName.errors[0].en).toBe('scenario metadata field name must be text (got […])');
    const byCoords = scenarioFromGeoJSON(doc('"n"', deep), 'deep.geojson');
    expect(byCoords.ok).toBe(false);
    if (!byCoords.ok) expect(byCoords.errors[0].code).toBe('bad-coordinates');
  });

  it('a PBF block whose dense node tags never end is refused as damaged (tiny-osmpbf would loop forever)', () => {
    const nodes = [{ id: 1, lat: 22.5, lon: 113.9, tags: { a: 'b' } }, { id: 2, lat: 22.51, lon: 113.91 }];
    const block = primitiveBlock(nodes, []);
    const at = block.findIndex((b, i) => b === 0x52 && block[i + 1] === 4 && block[i + 2] === 1 && block[i + 3] === 2 && block[i + 4] === 0 && block[i + 5] === 0);
    const bad = Uint8Array.from(block);
    bad.set([0x52, 4, 1, 2, 0, 3], at); // keys_vals [1, 2, 0, 3]: node 2's tag list has no 0 key
    expect(() => readOsm(pbfFile([bad]), 'loop.osm.pbf')).toThrow(expect.objectContaining({ code: 'bad-osm', en: expect.stringContaining('a dense node tag list has no end') }));
    expect(readOsm(pbfFile([block]), 'ok.osm.pbf').nodes.size).toBe(2);
  });
  it('Overpass JSON and district files with deeply nested values get a message, not a stack overflow', () => {
    const deep = deepArrayText(100000);
    expect(() => readOsm(new TextEncoder().encode(`{"elements":[{"type":${deep},"id":1}]}`), 'deep.json')).toThrow(expect.objectContaining({ code: 'bad-osm' }));
  });
});
