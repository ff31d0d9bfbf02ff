/**
 * How far around the planning area a partial network must reach for a compliance check on it to equal the check on
 * the whole network. A time T from a station only uses roads within T × (fastest speed) of it, and the check reads
 * times up to: each station's worst edge time (the edge test), its travel limit (the coverage share and the edge
 * points over the limit are decided by times up to the limit), and beyond that nothing. An edge point unreachable in
 * the part may be reached around it: then only the whole network decides (Infinity).
 */
export interface CheckedStation {
  worstEdgeSeconds: number | null;
  unreachableEdgePoints: number;
  travelLimitSeconds: number;
}

/** Metres around the area the answer may depend on: max(worst edge time, travel limit) × vmax + the snap margin. */
export function checkReachNeeded(stations: readonly CheckedStation[], vmaxMps: number, marginM: number): number {
  let seconds = 0;
  for (const s of stations) {
    if (s.unreachableEdgePoints > 0) return Infinity;
    seconds = Math.max(seconds, s.worstEdgeSeconds ?? 0, s.travelLimitSeconds);
  }
  return seconds * vmaxMps + marginM;
}
