/**
 * Fixture worlds for the compliance tests (tests/fixtures/compliance/*.input.json): tiny networks written in metres
 * east/north of (0°, 0°) so they can be solved by hand. One degree = 111194.93 m at the equator (R = 6371 km).
 * Pure (no file access): tests read the JSON and pass it in.
 */
import type { FeatureCollection, Polygon } from 'geojson';
import { buildGraph } from '../buildGraph';
import { EdgeFlag, type RoadGraph } from '../graph';
import type { OsmData, OsmNode, OsmWay } from '../osm/types';
import { roadClassName } from '../roadClass';
import type { AreaCollection, Station } from '../types';
import type { EvaluateInput } from './evaluate';
import type { Standard } from './standards';

export const M = 111194.93;
/** Metres → lon/lat, rounded to the graph’s 1e-7° grid so stations sit exactly on nodes (exact ties stay ties). */
export const pt = ([x, y]: number[]): [number, number] => [Math.round((x / M) * 1e7) / 1e7 + 0, Math.round((y / M) * 1e7) / 1e7 + 0];
const ring = (xy: number[][]): Polygon => ({ type: 'Polygon', coordinates: [[...xy.map(pt), pt(xy[0])]] });

export interface FixtureInput {
  note: string;
  speedsMps: Record<string, number>;
  roads: { highway: string; xy: number[][]; oneway?: string; name?: string; tunnel?: string }[];
  stations: { id: string; name: string; stationClass: Station['stationClass']; xy: number[] }[];
  area: number[][];
  districts: { mode: 'given'; polygons: { stationId: string; ring: number[][] }[] } | { mode: 'auto'; cellM?: number };
  barriers?: { kind: string; name: string; xy: number[][] }[];
  standard: string;
  options?: EvaluateInput['options'];
}

export function graphFromRoads(roads: FixtureInput['roads']): RoadGraph {
  const nodes = new Map<number, OsmNode>();
  const byKey = new Map<string, number>();
  const ways: OsmWay[] = roads.map((r, i) => ({
    id: i + 1,
    nodes: r.xy.map((p) => {
      const key = p.join(',');
      let id = byKey.get(key);
      if (id === undefined) {
        id = byKey.size + 1;
        byKey.set(key, id);
        const [lon, lat] = pt(p);
        nodes.set(id, { id, lon, lat });
      }
      return id;
    }),
    tags: { highway: r.highway, ...(r.oneway ? { oneway: r.oneway } : {}), ...(r.name ? { name: r.name } : {}), ...(r.tunnel ? { tunnel: r.tunnel } : {}) },
  }));
  const osm: OsmData = { nodes, ways, relations: [] };
  return buildGraph(osm).graph;
}

/** Edge seconds = length ÷ the fixture's speed for the road class; against a one-way = unusable. */
export function fixtureSeconds(g: RoadGraph, speeds: Record<string, number>): Float32Array {
  const out = new Float32Array(g.edgeCount);
  for (let e = 0; e < g.edgeCount; e++)
    out[e] = g.flags[e] & EdgeFlag.AgainstOneway ? Infinity : g.lengthM[e] / speeds[roadClassName(g.roadClass[e])];
  return out;
}

/** The evaluatePlace input of a fixture world (`standard` = the parsed preset the fixture names). */
export function worldInput(name: string, fixture: FixtureInput, standard: Standard): EvaluateInput {
  const graph = fixture.roads.length ? graphFromRoads(fixture.roads) : null;
  const stations: Station[] = fixture.stations.map((s) => {
    const [lon, lat] = pt(s.xy);
    return { id: s.id, name: s.name, stationClass: s.stationClass, status: 'existing', position: 'user', example: true, source: 'test fixture', lon, lat };
  });
  const d = fixture.districts;
  const polygons: AreaCollection | null = d.mode === 'given'
    ? { type: 'FeatureCollection', features: d.polygons.map((p, i) => ({ type: 'Feature', geometry: ring(p.ring), properties: { id: `d${i}`, name: `d${i}`, stationId: p.stationId } })) }
    : null;
  const barriers: FeatureCollection | undefined = fixture.barriers && {
    type: 'FeatureCollection',
    features: fixture.barriers.map((b) => ({ type: 'Feature', geometry: { type: 'LineString', coordinates: b.xy.map(pt) }, properties: { kind: b.kind, name: b.name } })),
  };
  const input: EvaluateInput = {
    placeId: name,
    stations,
    planningArea: ring(fixture.area),
    districts: polygons ? { mode: 'given', polygons } : { mode: 'auto', cellM: (d as { cellM?: number }).cellM },
    network: graph ? { graph, seconds: fixtureSeconds(graph, fixture.speedsMps), profileName: 'fixture' } : null,
    standard,
    barriers,
    options: fixture.options,
  };
  return input;
}
