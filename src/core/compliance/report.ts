/** Result types of the compliance evaluation. Plain data only (structured-clone and JSON safe: no Infinity). */
import type { FeatureCollection, LineString, MultiLineString, MultiPolygon, Polygon } from 'geojson';
import type { FacilityStatus, LonLat, PositionQuality, StationClass } from '../types';
import type { Bilingual, Citation } from './standards';
import type { DistrictSource, Issue } from './districts';

export type EvalMode = 'network' | 'straight-line-estimate';

/** Label carried by every straight-line result. */
export const ESTIMATE_LABEL: Bilingual = { zh: '估算 — 无路网', en: 'estimate — no road network' };
export const NETWORK_LABEL: Bilingual = { zh: '路网计算', en: 'computed on the road network' };

export type Verdict = 'pass' | 'fail' | 'no-district';

/** What a reason line is about (stable codes: each names the real cause behind its numbers). */
export type ReasonCode =
  | 'no-district' | 'station-no-road' | 'station-far' | 'station-moved' | 'edge-untested' | 'edge-within' | 'edge-share'
  | 'edge-over-limit' | 'edge-unreachable' | 'edge-no-road-access' | 'area-over' | 'barriers';

/** One line of a verdict's explanation. */
export interface Reason extends Bilingual {
  code: ReasonCode;
}

/** Where the station was put on the road network (network mode). moved / movedM / reason come from the snapper when it tells them. */
export interface StationSnapReport {
  /** Metres from the station to the road point it starts from. */
  distanceM: number;
  /** The station was put on a road other than the nearest one. */
  moved?: boolean;
  /** Metres between the nearest road point and the chosen one. */
  movedM?: number;
  reason?: { code: string; zh: string; en: string };
}

export interface CoverageReport {
  /** Share of the district's road length reached within the travel limit by its own station (null: no roads / estimate). */
  roadShare: number | null;
  roadKm: number;
  /** Share of the district area within reach (network: within corridorM of a reached road; estimate: within the radius). */
  areaShare: number;
  /** Parts of the district not reached in time by its own station, polygons with { areaKm2 }. */
  pockets: FeatureCollection<Polygon | MultiPolygon, { areaKm2: number }>;
  pocketsKm2: number;
  /** Road length (network) or area (estimate) reached in time only by another station (second-due). */
  secondDue: { stationId: string; roadKm: number; areaKm2: number }[];
}

export interface BarrierHit {
  kind: string;
  name: string;
  /** Length of the barrier inside the district, metres. */
  lengthInsideM: number;
  /** Road inside the district the station reaches only across this barrier, metres (null: straight-line estimate or no station road). */
  roadOnlyAcrossM: number | null;
  geometry: MultiLineString;
}

export interface StationReport {
  id: string;
  name: string;
  nameEn?: string;
  stationClass: StationClass;
  status: FacilityStatus;
  /** Copied from the station so every view can label approximate / example sites. */
  position: PositionQuality;
  example: boolean;
  mode: EvalMode;
  label: Bilingual;
  verdict: Verdict;
  /** Why the verdict is what it is, one line per reason. */
  reasons: Reason[];
  districtSource: DistrictSource | null;
  districtAreaKm2: number | null;
  areaLimitKm2: number | null;
  areaExcessKm2: number | null;
  areaOk: boolean | null;
  /** The station's turnout (its own turnoutS, else the standard's). */
  turnoutSeconds: number;
  /** Travel budget to the district edge: the standard's response time (turnout + travel) minus the station's turnout. */
  travelLimitSeconds: number;
  /** Worst travel time to the district edge (seconds); null when no edge point is reached at all. */
  worstEdgeSeconds: number | null;
  /** turnout + worst travel. */
  worstResponseSeconds: number | null;
  /** Road point (network) or boundary point (estimate) of the worst time: the route target. */
  worstPoint: LonLat | null;
  /** The district-edge point the worst road point stands for. */
  worstEdgePoint: LonLat | null;
  /** Edge points with a road nearby that the station cannot reach at all. */
  unreachableEdgePoints: number;
  /** Tested edge points (samples and road crossings) reached, but later than travelLimitSeconds. */
  overLimitEdgePoints: number;
  /** Share of the accessible edge length within the travel limit (null: no accessible edge). */
  shareWithinLimit: number | null;
  requiredShare: number;
  edgeLengthM: number;
  noRoadAccessM: number;
  /** Metres from the station to the road it starts on (network mode). */
  stationSnapM: number | null;
  /** The station's road point (network mode; null without one). */
  snap: StationSnapReport | null;
  clauses: Citation[];
  failingEdges: FeatureCollection<LineString, { stationId: string; maxSeconds: number | null; lengthM: number }>;
  noAccessEdges: FeatureCollection<LineString, { stationId: string; lengthM: number }>;
  coverage: CoverageReport | null;
  barriers: BarrierHit[];
}

export interface PlaceReport {
  placeId: string;
  mode: EvalMode;
  label: Bilingual;
  standard: { id: string; name: Bilingual; short: Bilingual; citations: Citation[] };
  /** Settings the numbers depend on (shown with the result). */
  settings: {
    turnoutS: number;
    travelLimitS: number;
    requiredShare: number;
    sampleStepM: number;
    roadSearchM: number;
    corridorM: number;
    speedKmh: number | null;
    curvature: number | null;
    profileName: string | null;
    districtsMode: 'towns' | 'auto' | 'given';
  };
  stations: StationReport[];
  districts: FeatureCollection<Polygon | MultiPolygon, { stationId: string; stationName: string; areaKm2: number; source: DistrictSource; verdict: Verdict }>;
  issues: Issue[];
  summary: { total: number; passing: number; failing: number; noDistrict: number; text_zh: string; text_en: string };
}
