/** Small geodesy helpers shared by core modules (WGS84, metres). */
export const EARTH_RADIUS_M = 6371008.8;
const RAD = Math.PI / 180;

/** Degrees rounded to 1e-7 (the graph's grid, about 1 cm), -0 as 0. */
export const round7 = (v: number): number => Math.round(v * 1e7) / 1e7 + 0;

/** Great-circle distance in metres (haversine). */
export function haversineM(lon1: number, lat1: number, lon2: number, lat2: number): number {
  const dLat = (lat2 - lat1) * RAD;
  const dLon = (lon2 - lon1) * RAD;
  const a = Math.sin(dLat / 2) ** 2 + Math.cos(lat1 * RAD) * Math.cos(lat2 * RAD) * Math.sin(dLon / 2) ** 2;
  return 2 * EARTH_RADIUS_M * Math.asin(Math.min(1, Math.sqrt(a)));
}

/** Metres per degree of longitude and latitude at a latitude (local equirectangular frame). */
export function metresPerDegree(lat: number): { mx: number; my: number } {
  const my = EARTH_RADIUS_M * RAD;
  return { mx: my * Math.cos(lat * RAD), my };
}

/** Initial bearing from point 1 to point 2, degrees clockwise from north in [0, 360). */
export function bearingDeg(lon1: number, lat1: number, lon2: number, lat2: number): number {
  const y = Math.sin((lon2 - lon1) * RAD) * Math.cos(lat2 * RAD);
  const x = Math.cos(lat1 * RAD) * Math.sin(lat2 * RAD) - Math.sin(lat1 * RAD) * Math.cos(lat2 * RAD) * Math.cos((lon2 - lon1) * RAD);
  return (Math.atan2(y, x) / RAD + 360) % 360;
}
