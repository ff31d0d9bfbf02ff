/**
 * What a Router takes and answers (router.ts): station points, snap summaries, times, isochrones, routes, the
 * network summary, options and the road rules applied. Types only.
 */
import type { FeatureCollection, LineString } from 'geojson';
import type { LonLat } from './types';
import type { RoadRules, RuleClosures, Vehicle } from './roadRules';
import type { SnapReason } from './snap';
import type { OsrmRoute } from './route';

export interface SitePoint {
  id: string;
  name?: string;
  lon: number;
  lat: number;
  /** Turnout seconds of this station (routes pick the fastest response); default: the profile's turnout. */
  turnoutS?: number;
}

export interface SnapSummary {
  lon: number;
  lat: number;
  distanceM: number;
  /** Further than SNAP_FLAG_M (50 m) from the road it was put on; `note` says so in both languages. */
  far: boolean;
  note?: { zh: string; en: string };
  /** The point's nearest road is further than the router's limit: it was left out and has no time (isochrone, route). */
  offNetwork?: boolean;
  isolated: boolean;
  roadName: string;
  /** Put on a road other than the nearest one (that one could not serve: see Snap.reason). */
  moved: boolean;
  /** Metres between the nearest road point and the one used (0 when not moved), to 0.1 m. */
  movedM: number;
  reason?: SnapReason;
}

export interface TimesResult {
  from: SnapSummary;
  results: { to: LonLat; seconds: number | null; meters: number | null; snap: SnapSummary }[];
}

export interface IsochroneOutput {
  /** Reached road pieces; each piece once, in the first band reaching it: { band (minutes), stationId, seconds }.
   *  Empty when called with { lines: false }. */
  lines: FeatureCollection<LineString>;
  /** One (Multi)Polygon per band that reaches anything: { band, minutes, areaKm2, roadKm }. */
  polygons: FeatureCollection;
  snaps: Record<string, SnapSummary>;
  profileName: string;
}

export interface RouteOutput {
  stationId: string;
  route: OsrmRoute;
  steps: { text: string; distanceM: number; durationS: number }[];
  travelSeconds: number;
  responseSeconds: number;
  snapFrom: SnapSummary;
  snapTo: SnapSummary;
  profileName: string;
}

export interface GraphSummary {
  nodeCount: number;
  edgeCount: number;
  bbox: [number, number, number, number];
  roadKm: number;
  components: number;
  largestComponentShare: number;
}

export interface RouterOptions {
  /** The road rules (parsed geodata/profiles/road-rules.json); absent or null: the builder's flags only. */
  roadRules?: RoadRules | null;
  /** The vehicle of the rules: its id, or the vehicle itself (e.g. with a planner's figures, withFigures); default: the rules' defaultVehicle. */
  vehicleId?: string | Vehicle;
  /** Metres beyond which a point is off the road network, per role (default OFF_NETWORK_M: starts 500, destinations 300). */
  offNetworkM?: Partial<OffNetworkLimits>;
}

/** Off-network limits (metres): stations and route origins ('start'), destinations. */
export type OffNetworkLimits = Record<'start' | 'destination', number>;

/** The road rules applied by a router: the rules, the vehicle, and their closures on the router's graph. */
export interface AppliedRules {
  rules: RoadRules;
  vehicle: Vehicle;
  closures: RuleClosures;
}
