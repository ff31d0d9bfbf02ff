/**
 * Straight-line estimate mode (a place without a road network): demand = the centres of a square grid inside the
 * planning area (weight = the cell's square metres), candidates = grid points inside it at the candidate spacing.
 * Times come from straightLineMatrix. Every output of this mode is labelled an estimate.
 */
import type { AreaGeometry } from '../types';
import { bboxOf, pointInArea } from '../compliance/geom';
import { metresPerDegree } from '../geo';
import { plannerError } from '../errors';
import type { Candidate, Demand } from './types';

function grid(area: AreaGeometry, spacingM: number): { lon: number[]; lat: number[] } {
  if (!(spacingM > 0)) throw plannerError('bad-spacing', `网格间距必须大于 0（得到 ${spacingM}）`, `grid spacing must be above 0 (got ${spacingM})`);
  const [x0, y0, x1, y1] = bboxOf(area), { mx, my } = metresPerDegree((y0 + y1) / 2);
  const dx = spacingM / mx, dy = spacingM / my, lon: number[] = [], lat: number[] = [];
  if ((x1 - x0) / dx * ((y1 - y0) / dy) > 2e6) throw plannerError('grid-too-fine', `网格过密（间距 ${spacingM} m）`, `the grid is too fine (spacing ${spacingM} m)`);
  for (let y = y0 + dy / 2; y < y1; y += dy)
    for (let x = x0 + dx / 2; x < x1; x += dx) if (pointInArea(area, x, y)) { lon.push(x); lat.push(y); }
  return { lon, lat };
}

export function areaDemand(area: AreaGeometry, spacingM = 200): Demand {
  const g = grid(area, spacingM), n = g.lon.length;
  return {
    lon: Float64Array.from(g.lon), lat: Float64Array.from(g.lat), weight: new Float64Array(n).fill(spacingM * spacingM),
    edge: new Int32Array(n).fill(-1), t: new Float32Array(n), source: 'area-grid', unit: 'm2',
  };
}

export function areaCandidates(area: AreaGeometry, spacingM = 500, isExcluded?: (p: { lon: number; lat: number }) => boolean): Candidate[] {
  const g = grid(area, spacingM), out: Candidate[] = [];
  g.lon.forEach((lon, i) => {
    const lat = g.lat[i];
    if (!isExcluded?.({ lon, lat })) out.push({ id: `g${i}`, lon, lat, kind: 'new', fixed: false, node: -1 });
  });
  return out;
}
