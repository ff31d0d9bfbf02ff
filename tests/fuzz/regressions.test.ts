import { describe, expect, it } from 'vitest';
import { scenarioFromGeoJSON } from '../../src/core/scenario/io';
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
});
