/** Road classes kept in the graph. The numeric code is stored per edge (Uint8). */
export const ROAD_CLASSES = [
  'motorway', 'trunk', 'primary', 'secondary', 'tertiary', 'unclassified', 'residential',
  'service', 'living_street', 'track',
  'motorway_link', 'trunk_link', 'primary_link', 'secondary_link', 'tertiary_link',
] as const;
export type RoadClass = (typeof ROAD_CLASSES)[number];

const CODE: ReadonlyMap<string, number> = new Map<string, number>(ROAD_CLASSES.map((c, i) => [c, i]));

/** Code of an OSM highway value, or -1 when fire engines do not use that kind of way. */
export function roadClassCode(highway: string | undefined): number {
  if (!highway) return -1;
  return CODE.get(highway) ?? -1;
}

export function roadClassName(code: number): RoadClass {
  return ROAD_CLASSES[code];
}

/** Classes treated as barriers inside a district (GB 51080-2015 §4.1.3): grade-separated expressways. */
export const BARRIER_CLASSES: ReadonlySet<RoadClass> = new Set(['motorway', 'motorway_link']);
