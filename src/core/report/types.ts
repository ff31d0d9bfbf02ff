/**
 * The printable report as a typed document: sections of blocks whose every figure is already formatted (one
 * language, src/core/format.ts). The report view renders it as HTML; the exports read its verdict table.
 * Plain data only (JSON safe): the CLI hands it to the browser page as JSON.
 */
import type { FeatureCollection, Geometry } from 'geojson';
import type { EvalMode } from '../compliance/report';
import type { Lang } from '../errors';

/** Key figures of the hydrant audit (another module computes them); shown when given. */
export interface HydrantAuditSummary {
  /** Share 0…1 of the area (or road) within protection reach of a working hydrant. */
  protectedShare: number;
  /** Length of road without hydrant protection, km. */
  gapsKm: number;
  /** Pairs of neighbouring hydrants further apart than the standard's spacing. */
  spacingViolations: number;
  /** Hydrants audited. */
  hydrants: number;
}

export type ReportBlock =
  | { kind: 'paragraph'; text: string; tone?: 'note' | 'warning' }
  | { kind: 'facts'; rows: { label: string; value: string }[] }
  | { kind: 'table'; id: string; columns: string[]; rows: string[][]; caption?: string }
  | { kind: 'list'; items: string[] }
  | { kind: 'map'; caption: string; missing: string; legend: { colour: string; label: string; shape: 'fill' | 'line' | 'dot' }[] }
  | { kind: 'stations'; items: StationDetail[] };

/** One station's verdict with its reasons and the clauses behind it. */
export interface StationDetail {
  id: string;
  name: string;
  verdict: string;
  pass: boolean | null;
  reasons: string[];
  clauses: string[];
}

export interface ReportSection {
  id: string;
  title: string;
  blocks: ReportBlock[];
}

/** What the map of the report shows (WGS84 GeoJSON; properties read by the report map's style). */
export interface ReportMapData {
  bbox: [number, number, number, number];
  boundary: FeatureCollection | null;
  /** Districts with { verdict: 'pass' | 'fail' | 'no-district', label }. */
  districts: FeatureCollection;
  /** Points with { name, verdict, kind: 'existing' | 'planned' | 'proposed' }. */
  stations: FeatureCollection;
  /** District-edge stretches beyond the travel limit (LineString, { stationId, lengthM }). */
  failing: FeatureCollection;
  /** Rivers, railways, motorways a district straddles (MultiLineString, { name, kind }). */
  barriers: FeatureCollection<Geometry>;
  /** Context: the place's roads and water (null: not given). */
  roads?: FeatureCollection | null;
  water?: FeatureCollection | null;
}

export interface ReportDocument {
  lang: Lang;
  title: string;
  placeId: string;
  placeName: string;
  /** Date the report was made (YYYY-MM-DD, given by the caller). */
  date: string;
  mode: EvalMode;
  modeLabel: string;
  sections: ReportSection[];
  /** The per-station verdict table (also a `table` block, id 'verdicts'): what CSV / XLSX exports carry. */
  verdicts: { columns: string[]; rows: string[][] };
  map: ReportMapData;
  /** Footer line: sources and attribution in short. */
  footer: string;
}
