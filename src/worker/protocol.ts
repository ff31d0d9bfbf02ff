/**
 * The one typed protocol between the UI (store, via the worker client), the planner worker and the CLI: a message
 * map from request name to its parameters and result (PlannerRequests), declared once; the worker API and the
 * client are derived from it. Every request is plain data; graph buffers cross as transferables. Results are
 * GeoJSON + tables. Every failure crosses as a plain PlannerErrorInfo { code, zh, en, file?, detail? }.
 */
import type { FeatureCollection } from 'geojson';
import type { LonLat, Station } from '../core/types';
import type { GraphSummary, RouteOutput, SnapSummary } from '../core/router';
import type { EvaluateRequest } from '../core/compliance/evaluate';
import type { PlaceReport } from '../core/compliance/report';
import type { SpeedProfile } from '../core/profile';
import type { PlannerErrorInfo } from '../core/errors';
import type { ClosureRow } from '../core/roadRulesGraph';
import type { VehicleFigures } from '../core/roadRules';
import type { PackedRoads } from '../core/osm/roadPack';
export type { VehicleFigures };
import type { HydrantFilePreview, HydrantFileRead, ReadProgress } from '../data/hydrantFiles';
import type { ColumnMapping, CrsSuggestion } from '../core/hydrants/import';
export type { HydrantFilePreview, HydrantFileRead, ReadProgress, ColumnMapping, CrsSuggestion };

/** The place a hydrant list is checked against: its bbox [w, s, e, n] and its boundary rings ((Multi)Polygon coordinates). */
export interface HydrantArea {
  bbox: [number, number, number, number];
  boundary?: number[][][][];
}
import type { AuditHydrant, HydrantAuditView } from '../core/hydrants/audit';
import type { AuditArea } from '../core/hydrants/network';
import type { StretchRow } from '../core/hydrants/export';
import type { SuggestResult } from '../core/hydrants/suggest';
export type { AuditHydrant, HydrantAuditView, AuditArea, StretchRow, SuggestResult };

export type { PlannerErrorInfo } from '../core/errors';
export type { EvaluateRequest } from '../core/compliance/evaluate';
export type { PlaceReport } from '../core/compliance/report';
export type { SpeedProfile } from '../core/profile';
export type { ClosureRow } from '../core/roadRulesGraph';
import type { OptimizeProgressFn, OptimizeRequest, OptimizeResult } from './optimizeProtocol';
export type * from './optimizeProtocol';

/**
 * A loaded graph: counts, bbox, drivable km (each road once), weak components and the largest one's node share,
 * and `version`, which names this load of this place's graph (a new load, e.g. an imported extract, gets a new
 * one): the network part of the verdict key.
 */
export type GraphInfo = GraphSummary & { placeId: string; version: string };

export interface ProgressInfo {
  /** read → parse (XML/JSON, bytes) or decode (PBF, blocks n of N) → clip → build (graph) → layers (roads, facilities) → store */
  phase: 'read' | 'parse' | 'build' | 'store' | 'decode' | 'clip' | 'layers';
  done: number;
  total: number;
}

export interface ImportResult {
  /** The built graph, transferred back so the main thread can keep it (IndexedDB). */
  graph: ArrayBuffer;
  /** Roads for display (LineStrings with class and name). */
  roads: FeatureCollection;
  /**
   * From the worker only: the roads packed in typed arrays (transferred, not cloned) with `roads` left empty; the
   * client (worker/client.ts) unpacks them into `roads`, so the app never sees this field.
   */
  roadsPacked?: PackedRoads;
  /** Fire stations and hydrants found in the extract (position "from-data"). */
  facilities: FeatureCollection;
  /** Water of the extract (areas, the sea from the coastline within the place's bbox + 2 km, lines) and its surface railways. */
  water?: FeatureCollection;
  rail?: FeatureCollection;
  info: GraphInfo;
  warnings: PlannerErrorInfo[];
}

/**
 * Where a point landed on the network: distanceM from the requested point, `far` when over 300 m off the network,
 * `isolated` when the snapped road is cut off from the main network (a small piece or a one-way pocket).
 */
export type SnapInfo = SnapSummary;

export type SiteInput = Pick<Station, 'id' | 'name' | 'lon' | 'lat' | 'turnoutS'>;

export interface IsochroneRequest {
  placeId: string;
  stations: SiteInput[];
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
  stations: SiteInput[];
  to: LonLat;
  lang: 'zh-Hans' | 'en';
}

export type RouteStepText = RouteOutput['steps'][number];

/**
 * The fastest station's route: `route` is OSRM v5-shaped ({ distance, duration, geometry, legs: [{ steps }] }),
 * travelSeconds the drive, responseSeconds turnout + drive.
 */
export type RouteResult = RouteOutput;

/** A vehicle of the road rules (geodata/profiles/road-rules.json): metres and tonnes. */
export interface VehicleInfo { id: string; name: string; nameEn: string; heightM: number; widthM: number; weightT: number; lengthM: number; axleLoadT: number }

/** What the road rules close on a place's network for the current vehicle. */
export interface RoadRulesInfo {
  placeId: string;
  /** The current vehicle (setVehicle; default: the rules' default vehicle). */
  vehicleId: string;
  /** The current vehicle's figures as applied (a planner's edit when `edited`). */
  vehicle?: VehicleInfo;
  edited?: boolean;
  vehicles: VehicleInfo[];
  /** Road-km closed and nodes blocked per rule (core/roadRulesGraph closureRows), then emergency-only roads. */
  rows: ClosureRow[];
  /**
   * Point per blocking node {kind:'barrier', rule, zh, en}; LineString per closed road stretch {kind:'closed', rule,
   * zh, en, lengthM} (consecutive segments of a way merged); zh/en = the reason, e.g. 限高 2.2 米 < 车高 3.4 米.
   */
  features: FeatureCollection;
}

/** Bbox [west, south, east, north] an imported extract is cut to (plus 2 km). */
export type ClipBox = [number, number, number, number];

/** Hydrant audit (issue #13) of the hydrants given (place data + inventory + scenario) on a loaded place's network. */
export interface HydrantAuditRequest {
  placeId: string;
  hydrants: AuditHydrant[];
  /** Districts / towns for the per-area table, and a key naming them (the worker keeps their road split per key). */
  areas?: AuditArea[];
  areasKey?: string;
  /** Stations whose travel time to each water intake is reported (turnout excluded). */
  stations?: SiteInput[];
  /** Also return every road stretch's row (for the CSV / GeoJSON export; large). */
  stretches?: boolean;
}

export interface HydrantAuditResult {
  audit: HydrantAuditView;
  /** Gap pieces (LineStrings { lengthM, road }) for the map. */
  gaps: FeatureCollection;
  stretches?: StretchRow[];
}

export interface HydrantSuggestRequest {
  placeId: string;
  /** Hydrants already there (as for the audit). */
  hydrants: AuditHydrant[];
  count: number;
  /** The place's districts (as for the audit): suggestions stay inside them and count their roads only. */
  areas?: AuditArea[];
  areasKey?: string;
}

/** The message map: request name → parameters → result. PlannerWorkerApi and the client follow from it. */
export interface PlannerRequests {
  /** Takes ownership of the graph buffer (transferred). */
  loadGraph: { params: [placeId: string, graph: ArrayBuffer]; result: GraphInfo };
  /**
   * Builds a graph from an OSM extract (.osm.pbf / .osm / Overpass .json) in the worker. With `clipTo` (the place's
   * bbox) the extract is cut to it plus 2 km, and an extract with no road there is refused (code 'no-overlap').
   */
  importOsm: { params: [placeId: string, bytes: ArrayBuffer, fileName: string, onProgress?: (p: ProgressInfo) => void, clipTo?: ClipBox]; result: ImportResult };
  /** The speed profile and peak flag for every later call; the worker validates the profile ('bad-profile'). */
  setProfile: { params: [profile: SpeedProfile, peak: boolean]; result: void };
  /**
   * The vehicle of the road rules for every later call and every loaded place (like setProfile); an unknown id is
   * refused with 'unknown-vehicle'. `figures` (a planner's height, width, length, laden mass, axle load; null: the
   * file's) replace the vehicle's; bad ones are refused with 'bad-vehicle-figures' listing each field. A route the vehicle cannot drive is refused with 'route-closed-by-rule'.
   */
  setVehicle: { params: [vehicleId: string, figures?: VehicleFigures | null]; result: void };
  /** The road rules' closures on a loaded place for the current vehicle: data-card rows and map features. */
  roadRules: { params: [placeId: string]; result: RoadRulesInfo };
  snap: { params: [placeId: string, point: LonLat]; result: SnapInfo };
  isochrone: { params: [req: IsochroneRequest]; result: IsochroneResult };
  route: { params: [req: RouteRequest]; result: RouteResult };
  /** Compliance (src/core/compliance): on the place's network when loaded, else by the straight-line estimate. */
  evaluate: { params: [req: EvaluateRequest]; result: PlaceReport };
  /** Hydrant import (issue #13): a file's header, first rows and guessed column mapping ('unsupported-file', 'bad-xlsx' …). */
  previewHydrants: { params: [file: Blob, fileName: string, sheet?: string]; result: HydrantFilePreview };
  /** Every row of a hydrant file with the mapping: raw records + rejected rows; onProgress resolving true cancels ('cancelled'). */
  readHydrants: { params: [file: Blob, fileName: string, mapping: ColumnMapping, onProgress?: (p: ReadProgress) => boolean | void | Promise<boolean | void>, sheet?: string]; result: HydrantFileRead };
  /** The CRS suggestion for points as read (x, y): by the median distance to the place's roads when loaded, else by the share inside the place (weak). */
  suggestHydrantCrs: { params: [placeId: string, points: { x: number; y: number }[], area: HydrantArea]; result: CrsSuggestion | null };
  /** Hydrant audit along the roads (GB 50974-2014 §7.2); 'no-graph' when the place has no network loaded. */
  'hydrants:audit': { params: [req: HydrantAuditRequest]; result: HydrantAuditResult };
  /** Greedy "suggest N hydrants" (1–500) on top of the given ones. */
  'hydrants:suggest': { params: [req: HydrantSuggestRequest]; result: SuggestResult };
  /**
   * Siting optimizer (issue #12): coverage matrix, greedy + swap, curve, exact MIP (HiGHS) within the time limit; on
   * the place's network when loaded, else by the straight-line estimate. `onProgress` returning true cancels the run
   * ('optimize-cancelled').
   */
  optimize: { params: [req: OptimizeRequest, onProgress?: OptimizeProgressFn]; result: OptimizeResult };
}

export type RequestName = keyof PlannerRequests;
export type RequestParams<K extends RequestName> = PlannerRequests[K]['params'];
export type RequestResult<K extends RequestName> = PlannerRequests[K]['result'];

/** The worker's API: one async function per request of the map. */
export type PlannerWorkerApi = { [K in RequestName]: (...params: RequestParams<K>) => Promise<RequestResult<K>> };

/**
 * The client's queues, one per purpose: each keeps at most one request in flight and only its latest waiting one,
 * so a newer request supersedes (makes stale) an older one of the same queue only. The live check, scenario
 * analyses (before / after, compare; one queue per slot), isochrones, routes and snaps never drop each other's work.
 */
export type QueueName = 'live' | `scenario:${string}` | `isochrone:${string}` | 'route' | 'snap' | `hydrants:${string}` | 'optimize';
