/**
 * The shape of GET /api/places/:id/bundle, shared by the server (placeBundle.ts builds it) and the app's client
 * (src/data/server.ts reads it). Types only: the app imports it with `import type`, so no server code reaches the
 * browser.
 */
import type { FeatureCollection } from 'geojson';

/** Where the boundary comes from: the place's built data on the server, the union of its districts, or nowhere. */
export type BoundarySource = 'built' | 'districts' | 'none';

/**
 * What the app needs to open a place that exists only on the server: the place, its network's version, the
 * boundary (see boundarySource), districts, stations, hydrants, roads drawn from the stored graph, and water /
 * railways when the server has them built.
 */
export interface PlaceBundle {
  place: { id: string; name: string; bbox: [number, number, number, number] | null; center: [number, number] | null };
  network: { version: number; source: string; nodeCount: number; edgeCount: number; updatedAt: string } | null;
  boundary: FeatureCollection;
  boundarySource: BoundarySource;
  districts: FeatureCollection;
  stations: FeatureCollection;
  hydrants: FeatureCollection;
  /** One LineString per road segment of the graph (both directions once; oneway 1 = only the drawn direction). */
  roads: FeatureCollection;
  water?: FeatureCollection;
  rail?: FeatureCollection;
}
