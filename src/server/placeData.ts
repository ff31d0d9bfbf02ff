/**
 * What the server reads of a place's built data (public/data/<id>/, as `planner check` does): the corners of the
 * area a check covers — the planning area and the stations (the scenario's, else the place's facilities and plan).
 */
import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import type { FeatureCollection } from 'geojson';
import { repoRoot } from './network';
import { placeStations } from '../core/scenario/io';
import type { Station } from '../core/types';

type LonLat = [number, number];

/** Every [lon, lat] pair inside a GeoJSON value (coordinates of any depth). */
export function coordinatesOf(v: unknown, out: LonLat[] = []): LonLat[] {
  if (Array.isArray(v)) {
    if (v.length >= 2 && typeof v[0] === 'number' && typeof v[1] === 'number') {
      if (Number.isFinite(v[0]) && Number.isFinite(v[1])) out.push([v[0], v[1]]);
    } else for (const x of v) coordinatesOf(x, out);
  } else if (v && typeof v === 'object') {
    const o = v as { coordinates?: unknown; geometry?: unknown; features?: unknown; geometries?: unknown };
    for (const x of [o.coordinates, o.geometry, o.features, o.geometries]) if (x !== undefined) coordinatesOf(x, out);
  }
  return out;
}

/** The two corners of the points' box (null: no point). */
export function corners(points: readonly LonLat[]): LonLat[] | null {
  if (!points.length) return null;
  const xs = points.map((p) => p[0]), ys = points.map((p) => p[1]);
  return [[Math.min(...xs), Math.min(...ys)], [Math.max(...xs), Math.max(...ys)]];
}

/**
 * The box a check of the place covers: its planning area (boundary) and stations. Null when the place's data cannot
 * be read (the check itself then says what is missing, on the whole network).
 */
export async function checkArea(placeId: string, scenario: object | null): Promise<LonLat[] | null> {
  const dir = resolve(repoRoot, 'public/data', placeId);
  try {
    const meta = JSON.parse(await readFile(resolve(dir, 'place.json'), 'utf8')) as { files?: Record<string, string | undefined> };
    const read = async (name: string) => (meta.files?.[name] ? JSON.parse(await readFile(resolve(dir, meta.files[name]!), 'utf8')) : null);
    const points = coordinatesOf(await read('boundary'));
    if (!points.length) return null;
    if (scenario) coordinatesOf(scenario, points);
    else for (const f of ['facilities', 'plan']) coordinatesOf(await read(f), points);
    return corners(points);
  } catch {
    return null;
  }
}

/** The place's own stations (facilities + plan of its built data), as `planner optimize` reads them; [] without data. */
export async function placeOwnStations(placeId: string): Promise<Station[]> {
  const dir = resolve(repoRoot, 'public/data', placeId);
  let meta: { files?: Record<string, string | undefined> };
  try {
    meta = JSON.parse(await readFile(resolve(dir, 'place.json'), 'utf8'));
  } catch {
    return [];
  }
  const read = async (name: string) => (meta.files?.[name] ? (JSON.parse(await readFile(resolve(dir, meta.files[name]!), 'utf8')) as FeatureCollection) : null);
  return [...placeStations(await read('facilities')), ...placeStations(await read('plan'))];
}
