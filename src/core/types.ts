/** Domain types shared by core, worker, CLI and UI. Plain data only (structured-clone safe). */
import type { Feature, FeatureCollection, MultiPolygon, Polygon } from 'geojson';

export type LonLat = [number, number];

export type StationClass = '一级' | '二级' | '小型' | '乡镇一级' | '乡镇二级' | '特勤';
export type FacilityStatus = 'existing' | 'planned' | 'proposed';
/** How trustworthy a position is: surveyed, read from OSM data, placed approximately, or set by the user. */
export type PositionQuality = 'surveyed' | 'from-data' | 'approximate' | 'user';

export interface Station {
  id: string;
  name: string;
  nameEn?: string;
  stationClass: StationClass;
  status: FacilityStatus;
  /** Year the station enters service (planned) — undefined for existing ones. */
  phase?: number;
  position: PositionQuality;
  /** An example site on a sample place, not a real or planned station (labelled 示例 everywhere). */
  example?: boolean;
  source: string;
  lon: number;
  lat: number;
  /** Turnout (出动) time of this station, seconds; when absent the standard's (建标152-2017: 60 s). */
  turnoutS?: number;
}

export interface Hydrant {
  id: string;
  /** A fire hydrant (消火栓) or a water intake for fire engines (取水点: suction point, tank, pond access). */
  kind: 'hydrant' | 'water-intake';
  status: FacilityStatus;
  phase?: number;
  position: PositionQuality;
  source: string;
  lon: number;
  lat: number;
  name?: string;
  /** Finer type as given by the data (OSM fire_hydrant:type / emergency value, or the imported type column). */
  subtype?: string;
  diameterMm?: number;
  pressureMPa?: number;
  /** Year built or put in service. */
  year?: number;
  /** False when the data marks it out of service (损坏 / 停用); undefined when the data does not say. */
  inService?: boolean;
  /** An example or generated item, not real inventory (labelled so everywhere). */
  example?: boolean;
}

export type AreaGeometry = Polygon | MultiPolygon;
export type AreaFeature = Feature<AreaGeometry, { id: string; name: string; nameEn?: string; [k: string]: unknown }>;
export type AreaCollection = FeatureCollection<AreaGeometry, AreaFeature['properties']>;


/** Summary of one place, written by the pipeline as public/data/<id>/place.json. */
export interface PlaceMeta {
  id: string;
  name: string;
  nameEn: string;
  group: 'plan' | 'sample';
  /** [minLon, minLat, maxLon, maxLat] of the planning area, WGS84. */
  bbox: [number, number, number, number];
  center: LonLat;
  zoom: number;
  /** Whether graph.bin exists (else the straight-line estimate applies until an OSM extract is loaded). */
  hasNetwork: boolean;
  files: Partial<Record<'boundary' | 'districts' | 'graph' | 'roads' | 'water' | 'rail' | 'facilities' | 'plan' | 'pois', string>>;
  /** Human-readable source and licence lines shown in the app's attribution. */
  attribution: string[];
  notes: string[];
  population?: { value: number; year: number; source: string };
  stats?: Record<string, number>;
}
