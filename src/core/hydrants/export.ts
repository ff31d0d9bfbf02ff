/**
 * The audit as files: gap lines for the map, CSV and GeoJSON per hydrant and per road stretch (one straight
 * segment of the graph). Pure: strings and GeoJSON out; src/data does the download.
 */
import type { Feature, FeatureCollection, LineString, Point } from 'geojson';
import { round7 } from '../geo';
import { edgeLabel } from '../route';
import type { HydrantAudit, HydrantAuditView, HydrantRow } from './audit';
import type { HoseNetwork } from './network';

const r1 = (v: number) => Math.round(v * 10) / 10;

/** The gap pieces as LineStrings { lengthM, road } (cut at the exact point where the protection radius is passed). */
export function gapFeatures(net: HoseNetwork, a: HydrantAudit): FeatureCollection<LineString, { lengthM: number; road: string }> {
  const features: Feature<LineString, { lengthM: number; road: string }>[] = [];
  for (let i = 0; i < a.gapSeg.length; i++) {
    const s = a.gapSeg[i], from = a.gapFrom[i], to = a.gapTo[i];
    const p = net.pointAt(s, from), q = net.pointAt(s, to);
    features.push({
      type: 'Feature',
      properties: { lengthM: r1(to - from), road: edgeLabel(net.view.graph, net.segEdge[s], 'zh-Hans') },
      geometry: { type: 'LineString', coordinates: [[round7(p[0]), round7(p[1])], [round7(q[0]), round7(q[1])]] },
    });
  }
  return { type: 'FeatureCollection', features };
}

export interface StretchRow {
  /** Segment number in the graph's segment order (stable for one graph). */
  id: number;
  road: string;
  lengthM: number;
  protectedM: number;
  /** Largest distance along the roads to a hydrant (null: part of it is beyond the protection radius). */
  maxDistM: number | null;
  coords: [[number, number], [number, number]];
}

export function stretchRows(net: HoseNetwork, a: HydrantAudit): StretchRow[] {
  return Array.from(net.segLen, (L, s) => {
    const p = net.pointAt(s, 0), q = net.pointAt(s, L);
    return {
      id: s, road: edgeLabel(net.view.graph, net.segEdge[s], 'zh-Hans'), lengthM: r1(L), protectedM: r1(a.segProtectedM[s]),
      maxDistM: Number.isFinite(a.segMaxM[s]) ? r1(a.segMaxM[s]) : null,
      coords: [[round7(p[0]), round7(p[1])], [round7(q[0]), round7(q[1])]],
    };
  });
}

/** A CSV cell: quoted when needed; text that a spreadsheet would run as a formula gets a leading apostrophe. */
export function csvCell(v: unknown): string {
  if (v === null || v === undefined || (typeof v === 'number' && !Number.isFinite(v))) return '';
  let t = String(v);
  if (typeof v === 'string' && /^[=+\-@\t\r]/.test(t)) t = `'${t}`;
  return /[",\n\r]/.test(t) ? `"${t.replace(/"/g, '""')}"` : t;
}

const csv = (header: string[], rows: unknown[][]) => [header, ...rows].map((r) => r.map(csvCell).join(',')).join('\r\n') + '\r\n';

export function hydrantsCsv(a: Pick<HydrantAuditView, 'hydrants'>): string {
  return csv(['id', 'kind', 'name', 'lon', 'lat', 'road_lon', 'road_lat', 'off_road_m', 'far_from_road', 'problem', 'nearest_hydrant_m', 'spacing_ok', 'station_travel_s', 'example'],
    a.hydrants.map((h: HydrantRow) => [h.id, h.kind, h.name ?? '', h.lon, h.lat, h.roadLon, h.roadLat, h.offRoadM, h.far, h.problem ?? '', h.nearestM, h.spacingOk, h.stationS ?? null, h.example ?? false]));
}

export function stretchesCsv(rows: readonly StretchRow[]): string {
  return csv(['id', 'road', 'length_m', 'protected_m', 'max_distance_m', 'lon1', 'lat1', 'lon2', 'lat2'],
    rows.map((r) => [r.id, r.road, r.lengthM, r.protectedM, r.maxDistM, r.coords[0][0], r.coords[0][1], r.coords[1][0], r.coords[1][1]]));
}

/** One GeoJSON of the audit: hydrant Points (their row) and road-stretch LineStrings (their row), with the settings. */
export function auditGeojson(a: HydrantAuditView, stretches: readonly StretchRow[]): FeatureCollection<Point | LineString> & { audit: object } {
  const points: Feature<Point>[] = a.hydrants.map((h) => ({ type: 'Feature', properties: { layer: 'hydrant', ...h, offRoadM: Number.isFinite(h.offRoadM) ? h.offRoadM : null }, geometry: { type: 'Point', coordinates: [h.lon, h.lat] } }));
  const lines: Feature<LineString>[] = stretches.map(({ coords, ...r }) => ({ type: 'Feature', properties: { layer: 'road-stretch', ...r }, geometry: { type: 'LineString', coordinates: coords } }));
  return { type: 'FeatureCollection', audit: { standard: a.standard, settings: a.settings, figures: a.figures, clauses: a.clauses }, features: [...points, ...lines] };
}
