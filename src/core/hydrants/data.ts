/** Hydrants and areas out of a place's data files (plain GeoJSON in, audit inputs out). */
import type { FeatureCollection, Point } from 'geojson';
import type { AreaCollection } from '../types';
import type { AuditHydrant } from './audit';
import type { AuditArea } from './network';

/** The hydrants and water intakes of a facilities.geojson (kind hydrant / water-intake). */
export function facilityHydrants(fc: FeatureCollection | null | undefined): AuditHydrant[] {
  if (!fc) return [];
  const out: AuditHydrant[] = [];
  for (const f of fc.features) {
    const p = (f.properties ?? {}) as Record<string, unknown>;
    if ((p.kind !== 'hydrant' && p.kind !== 'water-intake') || f.geometry?.type !== 'Point') continue;
    const [lon, lat] = (f.geometry as Point).coordinates;
    const h: AuditHydrant = { id: String(p.id ?? `${p.kind}-${out.length + 1}`), kind: p.kind, lon, lat };
    if (typeof p.name === 'string') h.name = p.name;
    if (p.inService === false) h.inService = false;
    if (p.example === true) h.example = true;
    out.push(h);
  }
  return out;
}

/** Districts or towns as audit areas. */
export const auditAreas = (ac: AreaCollection | null | undefined): AuditArea[] =>
  (ac?.features ?? []).map((f) => ({ id: String(f.properties.id), name: String(f.properties.name), ...(f.properties.nameEn ? { nameEn: String(f.properties.nameEn) } : {}), geometry: f.geometry }));
