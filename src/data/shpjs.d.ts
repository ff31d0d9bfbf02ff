/** The part of shpjs (6.x) the hydrant import uses: a zipped Shapefile → GeoJSON, reprojected with its .prj. */
declare module 'shpjs' {
  import type { FeatureCollection } from 'geojson';
  export function parseZip(buffer: ArrayBuffer, whiteList?: string[]): Promise<FeatureCollection | FeatureCollection[]>;
}
