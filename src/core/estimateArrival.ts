/**
 * Straight-line estimate of a fire engine's arrival at a point when there is no road network: the same model as the
 * compliance check's estimate mode — travel = great-circle distance × λ (road-network factor) ÷ mean speed — from the
 * station whose response (its turnout + that travel) is the shortest.
 */
import { haversineM } from './geo';

export interface EstimateStation {
  id: string;
  lon: number;
  lat: number;
  /** The station's own turnout in seconds; else `turnoutS` of the parameters. */
  turnoutS?: number;
}

export interface EstimateModel {
  speedKmh: number;
  lambda: number;
  turnoutS: number;
}

export interface ArrivalEstimate {
  stationId: string;
  distanceM: number;
  travelSeconds: number;
  responseSeconds: number;
  turnoutSeconds: number;
}

/** The fastest station's estimate to `to`, or null when no station has valid coordinates. */
export function estimateArrival(stations: readonly EstimateStation[], to: readonly [number, number], m: EstimateModel): ArrivalEstimate | null {
  const mps = m.speedKmh / 3.6;
  if (!(mps > 0) || !(m.lambda > 0)) return null;
  let best: ArrivalEstimate | null = null;
  for (const s of stations) {
    if (!Number.isFinite(s.lon) || !Number.isFinite(s.lat)) continue;
    const distanceM = haversineM(s.lon, s.lat, to[0], to[1]);
    const travelSeconds = (distanceM * m.lambda) / mps;
    const turnoutSeconds = s.turnoutS ?? m.turnoutS;
    const responseSeconds = travelSeconds + turnoutSeconds;
    if (!best || responseSeconds < best.responseSeconds) best = { stationId: s.id, distanceM, travelSeconds, responseSeconds, turnoutSeconds };
  }
  return best;
}
