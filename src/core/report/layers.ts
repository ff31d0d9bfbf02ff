/**
 * The three layers handed on as GeoJSON / GeoPackage: districts, stations and failing edge stretches, with the
 * figures of the verdict as plain numbers (seconds, km², shares 0…1) and the names as given — data for GIS
 * tools, not the formatted text of the printed report.
 */
import type { Feature, FeatureCollection, Geometry } from 'geojson';
import type { PlaceReport } from '../compliance/report';
import type { Station } from '../types';

export type ExportLayerId = 'districts' | 'stations' | 'failing';
export const EXPORT_LAYERS: readonly ExportLayerId[] = ['districts', 'stations', 'failing'];

export type ExportProps = Record<string, string | number | boolean | null>;
export type ExportLayers = Record<ExportLayerId, FeatureCollection<Geometry, ExportProps>>;

const r3 = (x: number | null | undefined): number | null => (typeof x === 'number' && Number.isFinite(x) ? Math.round(x * 1000) / 1000 : null);

export function exportLayers(report: PlaceReport, stations: Station[]): ExportLayers {
  const byId = new Map(report.stations.map((s) => [s.id, s]));
  const districts: Feature<Geometry, ExportProps>[] = report.districts.features.map((f) => ({
    type: 'Feature', geometry: f.geometry,
    properties: { station_id: f.properties.stationId, station_name: f.properties.stationName, verdict: f.properties.verdict, area_km2: r3(f.properties.areaKm2), source: f.properties.source },
  }));
  const pts: Feature<Geometry, ExportProps>[] = stations.map((s) => {
    const r = byId.get(s.id);
    return {
      type: 'Feature', geometry: { type: 'Point', coordinates: [s.lon, s.lat] },
      properties: {
        station_id: s.id, name: s.name, name_en: s.nameEn ?? null, class: s.stationClass, status: s.status, position: s.position, example: !!s.example,
        verdict: r?.verdict ?? 'no-district', worst_travel_s: r3(r?.worstEdgeSeconds), worst_response_s: r3(r?.worstResponseSeconds),
        travel_limit_s: r3(r?.travelLimitSeconds), share_within_limit: r3(r?.shareWithinLimit), district_km2: r3(r?.districtAreaKm2), mode: report.mode,
      },
    };
  });
  const failing: Feature<Geometry, ExportProps>[] = report.stations.flatMap((s) => s.failingEdges.features.map((f) => ({
    type: 'Feature' as const, geometry: f.geometry,
    properties: { station_id: s.id, station_name: s.name, max_travel_s: r3(f.properties.maxSeconds), length_m: r3(f.properties.lengthM) },
  })));
  const fc = (features: Feature<Geometry, ExportProps>[]): FeatureCollection<Geometry, ExportProps> => ({ type: 'FeatureCollection', features });
  return { districts: fc(districts), stations: fc(pts), failing: fc(failing) };
}
