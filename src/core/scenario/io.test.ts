import { describe, expect, it } from 'vitest';
import { scenarioFileName, scenarioFromDoc, scenarioFromGeoJSON, scenarioToGeoJSON, stationsFromFeatures, SCENARIO_FORMAT, SCENARIO_FORMAT_VERSION } from './io';
import { addStation, deleteStation, moveStation, updateSettings } from './ops';
import { makeScenario, T1 } from './fixtures';

const edited = () => {
  let s = makeScenario();
  s = addStation(s, { lon: 114.2012345678901, lat: 22.8598765432101, id: 'u1', name: '拟建 "站" <script>alert(1)</script>', nameEn: 'Site & co' }, T1);
  s = moveStation(s, 'pl-1', 114.19, 22.84, T1);
  s = deleteStation(s, 'ex-1', T1);
  return updateSettings(s, { peak: true, districtsMode: 'voronoi' }, T1);
};
const errorsOf = (text: string) => {
  const r = scenarioFromGeoJSON(text, 'plan.geojson');
  if (r.ok) throw new Error('expected an error');
  return r.errors;
};
const doc = () => JSON.parse(JSON.stringify(scenarioToGeoJSON(edited())));

describe('scenario GeoJSON export', () => {
  it('writes Points with our properties and a planner member with format + version', () => {
    const g = scenarioToGeoJSON(edited());
    expect(g.type).toBe('FeatureCollection');
    expect(g.planner).toMatchObject({ format: SCENARIO_FORMAT, version: SCENARIO_FORMAT_VERSION, crs: 'EPSG:4326', id: 'scn-a', name: '方案A', placeId: 'qingxi', removedIds: ['ex-1'] });
    expect(g.features).toHaveLength(3);
    expect(g.features[2].geometry.coordinates).toEqual([114.2012345678901, 22.8598765432101]);
    expect(g.features[0].properties).toMatchObject({ id: 'ex-1', removed: true, stationClass: '一级', status: 'existing' });
    expect(g.features[1].properties).toMatchObject({ removed: false, position: 'user', phase: 2022 });
    expect(scenarioFileName({ ...edited(), name: 'a/b:c' })).toBe('qingxi-a_b_c.planner.geojson');
  });
});

describe('scenario GeoJSON import', () => {
  it('round trip export → text → import gives the same scenario (text kept verbatim)', () => {
    const s = edited();
    const r = scenarioFromGeoJSON(JSON.stringify(scenarioToGeoJSON(s), null, 2), 'a.geojson');
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.scenario).toStrictEqual(s);
    expect(r.scenario.stations[2].name).toBe('拟建 "站" <script>alert(1)</script>');
    expect(r.warnings).toEqual([]);
  });

  it('accepts a UTF-8 BOM', () => {
    expect(scenarioFromGeoJSON('\ufeff' + JSON.stringify(scenarioToGeoJSON(edited())), 'a').ok).toBe(true);
  });

  it('not JSON → bilingual error naming the file', () => {
    const [e] = errorsOf('{"type": "FeatureCollection", ');
    expect(e.code).toBe('not-json');
    expect(e.zh).toContain('「plan.geojson」不是有效的 JSON');
    expect(e.en).toContain('"plan.geojson" is not valid JSON');
  });

  it('not a FeatureCollection / not our scenario format', () => {
    expect(errorsOf('[1,2]')[0].code).toBe('not-geojson');
    expect(errorsOf('{"type":"FeatureCollection","features":[]}')[0].code).toBe('not-scenario');
    const d = doc();
    d.planner.format = 'something-else';
    expect(errorsOf(JSON.stringify(d))[0].code).toBe('not-scenario');
  });

  it('wrong format version', () => {
    const d = doc();
    d.planner.version = 2;
    const [e] = errorsOf(JSON.stringify(d));
    expect(e.code).toBe('newer-version');
    expect(e.zh).toContain('版本为 2');
    expect(e.en).toContain('format version 2');
    d.planner.version = '1';
    expect(errorsOf(JSON.stringify(d))[0].code).toBe('bad-version');
  });

  it('coordinates out of range, projected (metres), non-numeric, or a non-WGS84 crs', () => {
    const d = doc();
    d.features[0].geometry.coordinates = [114.2, 95];
    d.features[1].geometry.coordinates = [12712345.6, 2612345.7];
    d.features[2].geometry.coordinates = ['114.2', 22.8];
    const errs = errorsOf(JSON.stringify(d));
    expect(errs.map((e) => e.code)).toEqual(['out-of-range', 'not-wgs84', 'bad-coordinates']);
    expect(errs[0].zh).toContain('第 1 个站点');
    expect(errs[1].en).toContain('station #2: coordinates [12712345.6,2612345.7] look projected');
    const g = doc();
    g.planner.crs = 'GCJ-02';
    const [c] = errorsOf(JSON.stringify(g));
    expect(c.code).toBe('not-wgs84');
    expect(c.zh).toContain('GCJ-02');
    const h = doc();
    h.crs = { type: 'name', properties: { name: 'urn:ogc:def:crs:EPSG::3857' } };
    expect(errorsOf(JSON.stringify(h))[0].code).toBe('not-wgs84');
    const ok = doc();
    ok.crs = { type: 'name', properties: { name: 'urn:ogc:def:crs:OGC:1.3:CRS84' } };
    expect(scenarioFromGeoJSON(JSON.stringify(ok), 'x').ok).toBe(true);
  });

  it('unknown station class, bad status, duplicate id, non-text name — all listed', () => {
    const d = doc();
    d.features[0].properties.stationClass = '三级';
    d.features[1].properties.status = 'built';
    d.features[2].properties.id = 'ex-1';
    d.features[2].properties.name = 42;
    const errs = errorsOf(JSON.stringify(d));
    expect(errs.map((e) => e.code)).toEqual(['unknown-class', 'bad-field', 'duplicate-id', 'bad-field']);
    expect(errs[0].zh).toContain('未知的站点等级：三级');
    expect(errs[0].en).toContain('unknown station class: 三级');
  });

  it('bad metadata and too many errors are reported, capped', () => {
    const d = doc();
    d.planner.settings = { peak: 'yes' };
    d.planner.removedIds = [1];
    expect(errorsOf(JSON.stringify(d)).map((e) => e.code)).toEqual(['bad-field', 'bad-field']);
    const many = doc();
    many.features = Array.from({ length: 40 }, () => ({ type: 'Feature', geometry: { type: 'Point', coordinates: [0, 99] }, properties: {} }));
    const errs = errorsOf(JSON.stringify(many));
    expect(errs).toHaveLength(21);
    expect(errs[20].code).toBe('more-errors');
  });

  it('warns (keeps) switched-off ids without a station', () => {
    const d = doc();
    d.planner.removedIds = ['ex-1', 'ghost'];
    const r = scenarioFromGeoJSON(JSON.stringify(d), 'x');
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.scenario.removedIds).toEqual(['ex-1', 'ghost']);
    expect(r.warnings.map((w) => w.code)).toEqual(['unknown-removed']);
  });

  it('never throws on junk input', () => {
    for (const junk of ['', 'null', '"x"', '{"type":"FeatureCollection","features":[null],"planner":{"format":"fire-station-planner/scenario","version":1}}', '{"type":"FeatureCollection","features":{}}'])
      expect(scenarioFromGeoJSON(junk, 'j').ok).toBe(false);
    expect(scenarioFromGeoJSON(undefined as never, 'j').ok).toBe(false);
  });
});

describe('stationsFromFeatures (place data → scenario stations)', () => {
  it('reads the stations of the built plan and facility files, passing over hydrants', async () => {
    const { readFileSync, existsSync } = await import('node:fs');
    const { resolve } = await import('node:path');
    const root = resolve(__dirname, '../../..');
    const file = (p: string) => JSON.parse(readFileSync(resolve(root, p), 'utf8'));
    expect(existsSync(resolve(root, 'public/data/qingxi/plan.geojson'))).toBe(true);
    const plan = file('public/data/qingxi/plan.geojson');
    const nStations = plan.features.filter((f: { properties: { kind: string } }) => f.properties.kind === 'station').length;
    const r = stationsFromFeatures(plan);
    expect(r.skipped).toEqual([]);
    expect(r.stations).toHaveLength(nStations);
    expect(r.stations.length).toBeGreaterThan(0);
    for (const s of r.stations) expect(['existing', 'planned', 'proposed']).toContain(s.status);
    const monaco = stationsFromFeatures(file('public/data/monaco/facilities.geojson'));
    expect(monaco.skipped).toEqual([]);
    expect(monaco.stations.every((s) => s.position === 'from-data' && s.status === 'existing')).toBe(true);
  });
  it('skips invalid features with messages', () => {
    const r = stationsFromFeatures({ type: 'FeatureCollection', features: [
      { type: 'Feature', geometry: { type: 'Point', coordinates: [1, 2] }, properties: { kind: 'hydrant', id: 'h' } },
      { type: 'Feature', geometry: { type: 'Point', coordinates: [1, 2] }, properties: { kind: 'station', id: 's', name: 'S', stationClass: '四级', status: 'existing', position: 'from-data' } },
      { type: 'Feature', geometry: { type: 'Point', coordinates: [1, 2] }, properties: { kind: 'station', id: 't', name: 'T', stationClass: '二级', status: 'existing', position: 'from-data' } },
    ] });
    expect(r.stations.map((s) => s.id)).toEqual(['t']);
    expect(r.skipped.map((m) => m.code)).toEqual(['unknown-class']);
    expect(stationsFromFeatures(null).skipped[0].code).toBe('not-geojson');
  });
});

describe('scenarioFromDoc (stored objects)', () => {
  it('accepts the exported object itself and rejects a damaged one', () => {
    const s = edited();
    const r = scenarioFromDoc(scenarioToGeoJSON(s), 'IndexedDB');
    expect(r.ok && r.scenario).toStrictEqual(s);
    const bad = scenarioFromDoc({ ...scenarioToGeoJSON(s), planner: { ...scenarioToGeoJSON(s).planner, version: 9 } }, 'IndexedDB');
    expect(bad.ok).toBe(false);
    if (!bad.ok) expect(bad.errors[0].en).toContain('"IndexedDB" has format version 9');
  });
});
