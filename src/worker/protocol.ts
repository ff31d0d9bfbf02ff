/**
 * The one typed protocol between the UI and the planner worker (exposed with comlink).
 * Every request is plain data; graph buffers cross as transferables. Results are GeoJSON + tables.
 * Errors are thrown as PlannerErrorInfo-shaped messages ({ code, zh, en }).
 */
import type { FeatureCollection } from 'geojson';
import type { LonLat, Station } from '../core/types';
import type { GraphSummary, SnapSummary } from '../core/router';

export interface PlannerErrorInfo {
  code: string;
  zh: string;
  en: string;
}

/** A loaded graph: counts, bbox, drivable km (each road once), weak components and the largest one's node share. */
export type GraphInfo = GraphSummary & { placeId: string };

export interface ProgressInfo {
  phase: 'read' | 'parse' | 'build' | 'store';
  done: number;
  total: number;
}

export interface ImportResult {
  /** The built graph, transferred back so the main thread can keep it (IndexedDB). */
  graph: ArrayBuffer;
  /** Roads for display (LineStrings with class and name). */
  roads: FeatureCollection;
  /** Fire stations and hydrants found in the extract (position "from-data"). */
  facilities: FeatureCollection;
  info: GraphInfo;
  warnings: PlannerErrorInfo[];
}

/**
 * Where a point landed on the network: distanceM from the requested point, `far` when over 300 m off the network,
 * `isolated` when the snapped road is cut off from the main network (a small piece or a one-way pocket).
 */
export type SnapInfo = SnapSummary;

export interface IsochroneRequest {
  placeId: string;
  stations: Pick<Station, 'id' | 'name' | 'lon' | 'lat'>[];
  /** Travel-time cutoffs in minutes (turnout excluded), ascending, e.g. [2, 3, 4, 6]. */
  bandsMin: number[];
  /** Half-width of the corridor around reached roads for the polygon, metres. */
  corridorM?: number;
  /** Return the reached road pieces as `lines` (default true; large for many stations — pass false if unused). */
  lines?: boolean;
}

export interface IsochroneResult {
  /** Reached road segments cut exactly at the cutoff: LineStrings with { band, stationId, seconds }. */
  lines: FeatureCollection;
  /** One (Multi)Polygon per band, dissolved over all requested stations: { band, minutes, areaKm2, roadKm }. */
  polygons: FeatureCollection;
  snaps: Record<string, SnapInfo>;
  profileName: string;
}

export interface RouteRequest {
  placeId: string;
  /** Candidate stations: the route starts at the one reaching `to` fastest (by travel time). */
  stations: Pick<Station, 'id' | 'name' | 'lon' | 'lat'>[];
  to: LonLat;
  lang: 'zh-Hans' | 'en';
}

export interface RouteStepText {
  text: string;
  distanceM: number;
  durationS: number;
}

export interface RouteResult {
  stationId: string;
  /** OSRM v5-shaped route: { distance, duration, geometry, legs: [{ steps: [...] }] }. */
  route: unknown;
  steps: RouteStepText[];
  travelSeconds: number;
  /** turnout + travel, seconds. */
  responseSeconds: number;
  snapFrom: SnapInfo;
  snapTo: SnapInfo;
  profileName: string;
}

/** Speed profile (geodata/profiles/fire-engine.json); see src/core/profile.ts for the full type. */
export type ProfileInput = unknown;

export interface PlannerWorkerApi {
  /** Takes ownership of the graph buffer (transferred). */
  loadGraph(placeId: string, graph: ArrayBuffer): Promise<GraphInfo>;
  /**
   * Builds a graph from an OSM extract (.osm.pbf / .osm / Overpass .json) in the worker. With `clipTo` (the place's
   * bbox) the extract is cut to it plus 2 km, and an extract with no road there is refused (code 'no-overlap').
   */
  importOsm(placeId: string, bytes: ArrayBuffer, fileName: string, onProgress?: (p: ProgressInfo) => void, clipTo?: [number, number, number, number]): Promise<ImportResult>;
  setProfile(profile: ProfileInput, peak: boolean): Promise<void>;
  snap(placeId: string, point: LonLat): Promise<SnapInfo>;
  isochrone(req: IsochroneRequest): Promise<IsochroneResult>;
  route(req: RouteRequest): Promise<RouteResult>;
  /** Compliance evaluation (issue 5); request/result types in src/core/compliance. */
  evaluate(req: unknown): Promise<unknown>;
}
