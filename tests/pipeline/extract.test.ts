import { describe, expect, it } from 'vitest';
import * as turf from '@turf/turf';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import type { Polygon } from 'geojson';
import { assembleRings, extractAdminAreas, extractFacilities, extractPois, extractWater } from '../../src/core/osm/extract';
import { readOsm } from '../../src/core/osm/read';
import type { OsmData } from '../../src/core/osm/types';
import { bytes } from './tiny';

const MONACO = 'fallback_monaco_osrm-testdata_2016.osm.pbf';
const monaco = readOsm(new Uint8Array(readFileSync(resolve(__dirname, '../../geodata/raw', MONACO))), MONACO);

describe('extractors on the real Monaco extract', () => {
  it('finds exactly its 3 real fire stations, with the class marked as assumed', () => {
    const stations = extractFacilities(monaco).features.filter((f) => f.properties.kind === 'station');
    expect(stations.map((f) => f.properties.id)).toEqual(['osm-node-1866465411', 'osm-node-1866523017', 'osm-node-3781320822']);
    expect(stations.map((f) => f.properties.name)).toEqual(['Caserne de Fontvieille', 'Caserne de la Condamine', '未命名（OSM 节点 3781320822）']);
    for (const s of stations) {
      expect(s.properties).toMatchObject({ stationClass: '一级', classAssumed: true, status: 'existing', position: 'from-data', source: 'OpenStreetMap' });
      expect(s.geometry.coordinates).toEqual([s.properties.lon, s.properties.lat]);
    }
  });

  it('finds the hydrant', () => {
    const hydrants = extractFacilities(monaco).features.filter((f) => f.properties.kind === 'hydrant');
    expect(hydrants.length).toBeGreaterThanOrEqual(1);
    expect(hydrants[0].properties).toMatchObject({ id: 'osm-node-4035229341', hydrantType: 'pillar' });
  });

  it('assembles the 9 quarters (admin_level 10) and the Monaco commune (admin_level 8)', () => {
    const quarters = extractAdminAreas(monaco, 10).features;
    expect(quarters.map((f) => f.properties.name).sort()).toEqual(
      ['Fontvieille', 'Jardin Exotique', 'La Condamine', 'La Rousse', 'Larvotto', 'Les Monegetti', 'Monaco-Ville', 'Monte-Carlo', 'Sainte-Dévote']);
    const commune = extractAdminAreas(monaco, 8).features.find((f) => f.properties.name === 'Monaco');
    expect(commune).toBeDefined();
    const km2 = turf.area(commune!) / 1e6;
    expect(km2).toBeGreaterThan(1.9); // Monaco: about 2 km²
    expect(km2).toBeLessThan(2.6);
    const quartersKm2 = quarters.reduce((s, q) => s + turf.area(q), 0) / 1e6;
    expect(quartersKm2 / km2).toBeGreaterThan(0.9);
    // an incomplete relation (France, admin_level 2, clipped by the extract) is left out rather than half-drawn
    expect(extractAdminAreas(monaco, 2).features).toEqual([]);
  });

  it('finds coastline and siting POIs', () => {
    const water = extractWater(monaco).features;
    expect(water.some((f) => f.properties.kind === 'coastline')).toBe(true);
    const pois = extractPois(monaco).features;
    expect(pois.some((p) => p.properties.kind === 'hospital' && p.properties.name === 'Centre Cardio Thoracique de Monaco')).toBe(true);
    expect(pois.some((p) => p.properties.kind === 'hospital' && p.properties.name === 'Institut Monégasque de Médecine du Sport')).toBe(true);
    // node 2287695176 is tagged amenity=hospital but is a pharmacy (issue 14)
    expect(pois.some((p) => p.properties.name === 'Farmacy des Anglais')).toBe(false);
  });
});

describe('extractors on the real Nanshan extract', () => {
  const NANSHAN = 'shenzhen_nanshan_xili_overpass_2021-03-17.osm';
  const osm = readOsm(new Uint8Array(readFileSync(resolve(__dirname, '../../geodata/raw', NANSHAN))), NANSHAN);

  it('does not draw the incomplete 街道 relations', () => {
    const relations = osm.relations.filter((r) => r.tags.boundary === 'administrative' && r.tags.admin_level === '8');
    expect(relations.map((r) => r.tags.name).sort()).toEqual(['南头街道', '桃源街道', '沙河街道', '粤海街道', '西丽街道']);
    expect(extractAdminAreas(osm, 8).features).toEqual([]);
  });

  it('finds the schools, kindergarten and fuel stations tagged in the file', () => {
    const count = (k: string) => extractPois(osm).features.filter((p) => p.properties.kind === k).length;
    // grep -c of amenity=school / kindergarten / fuel in the raw file: 6, 1, 3
    expect([count('school'), count('kindergarten'), count('fuel')]).toEqual([6, 1, 3]);
  });
});

describe('ring assembly on hand-made data', () => {
  // A 4×4 square split into two open ways (one drawn backwards) with a closed 1×1 hole.
  const coords: Record<number, [number, number]> = { 1: [0, 0], 2: [0.004, 0], 3: [0.004, 0.004], 4: [0, 0.004], 5: [0.001, 0.001], 6: [0.002, 0.001], 7: [0.002, 0.002], 8: [0.001, 0.002] };
  const osm: OsmData = {
    nodes: new Map(Object.entries(coords).map(([id, [lon, lat]]) => [Number(id), { id: Number(id), lon, lat }])),
    ways: [
      { id: 1, nodes: [1, 2, 3], tags: {} },
      { id: 2, nodes: [1, 4, 3], tags: {} },
      { id: 3, nodes: [5, 6, 7, 8, 5], tags: {} },
    ],
    relations: [
      { id: 100, tags: { type: 'multipolygon', natural: 'water', name: '湖' }, members: [{ type: 'way', ref: 1, role: 'outer' }, { type: 'way', ref: 2, role: 'outer' }, { type: 'way', ref: 3, role: 'inner' }] },
      { id: 101, tags: { type: 'boundary', boundary: 'administrative', admin_level: '10', name: '甲' }, members: [{ type: 'way', ref: 1, role: 'outer' }, { type: 'way', ref: 2, role: 'outer' }] },
      { id: 102, tags: { type: 'boundary', boundary: 'administrative', admin_level: '10', name: '乙（不完整）' }, members: [{ type: 'way', ref: 1, role: 'outer' }, { type: 'way', ref: 99, role: 'outer' }] },
    ],
  };

  it('joins open ways into closed rings', () => {
    expect(assembleRings([[1, 2, 3], [1, 4, 3]])).toEqual({ rings: [[1, 2, 3, 4, 1]], open: 0 });
    expect(assembleRings([[1, 2, 3], [3, 4]]).open).toBe(1);
  });

  it('builds a polygon with its hole, outer ring counter-clockwise', () => {
    const lake = extractWater(osm).features;
    expect(lake.length).toBe(1);
    const g = lake[0].geometry as Polygon;
    expect(g.coordinates.length).toBe(2);
    expect(turf.booleanClockwise(g.coordinates[0])).toBe(false);
    expect(turf.booleanClockwise(g.coordinates[1])).toBe(true);
    const ratio = turf.area(lake[0]) / turf.area(turf.polygon([g.coordinates[0]]));
    expect(ratio).toBeCloseTo(15 / 16, 3);
  });

  it('keeps complete admin relations only', () => {
    expect(extractAdminAreas(osm, 10).features.map((f) => f.properties)).toEqual([{ id: 'osm-relation-101', name: '甲', nameEn: '甲', adminLevel: 10 }]);
  });

  it('stations drawn as building outlines become centroid points', () => {
    const xml = `<osm version="0.6">
      <node id="1" lat="0" lon="0"/><node id="2" lat="0" lon="0.002"/><node id="3" lat="0.002" lon="0.002"/><node id="4" lat="0.002" lon="0"/>
      <way id="7"><nd ref="1"/><nd ref="2"/><nd ref="3"/><nd ref="4"/><nd ref="1"/><tag k="amenity" v="fire_station"/><tag k="name" v="城东消防站"/><tag k="name:en" v="East Fire Station"/></way>
      <node id="9" lat="0.01" lon="0.01"><tag k="emergency" v="suction_point"/></node>
    </osm>`;
    const f = extractFacilities(readOsm(bytes(xml), 'outline.osm')).features;
    expect(f.map((x) => [x.properties.kind, x.properties.id, x.geometry.coordinates])).toEqual([
      ['water-intake', 'osm-node-9', [0.01, 0.01]],
      ['station', 'osm-way-7', [0.001, 0.001]],
    ]);
    expect(f[1].properties.nameEn).toBe('East Fire Station');
  });
});
