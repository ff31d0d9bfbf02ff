/** Road classes with a speed in the speed profile: OSM highway values (codes 0–14, never renumbered). */
export const SPEED_CLASSES = [
  'motorway', 'trunk', 'primary', 'secondary', 'tertiary', 'unclassified', 'residential',
  'service', 'living_street', 'track',
  'motorway_link', 'trunk_link', 'primary_link', 'secondary_link', 'tertiary_link',
] as const;
export type SpeedClass = (typeof SPEED_CLASSES)[number];

/**
 * Road classes kept in the graph. The numeric code is stored per edge (Uint8); new classes are appended at the end
 * so stored codes never change. 'ferry' (route=ferry ways) has no road speed: its time comes from the road rules.
 */
export const ROAD_CLASSES = [...SPEED_CLASSES, 'ferry'] as const;
export type RoadClass = (typeof ROAD_CLASSES)[number];
export const FERRY_CLASS = ROAD_CLASSES.indexOf('ferry');

const CODE: ReadonlyMap<string, number> = new Map<string, number>(SPEED_CLASSES.map((c, i) => [c, i]));

/** Code of an OSM highway value, or -1 when fire engines do not use that kind of way (ferries: see wayClassCode). */
export function roadClassCode(highway: string | undefined): number {
  if (!highway) return -1;
  return CODE.get(highway) ?? -1;
}

/**
 * A vehicle ferry: route=ferry not closed to motor vehicles (motor_vehicle / motorcar = no). Whether a fire engine
 * takes it is the road rules' choice (ferry.allow), applied at load.
 */
export const isFerryWay = (tags: Readonly<Record<string, string>>): boolean =>
  tags.route === 'ferry' && tags.motor_vehicle !== 'no' && tags.motorcar !== 'no';

/** Class code of a way: its highway class, else FERRY_CLASS for a vehicle ferry, else -1. */
export function wayClassCode(tags: Readonly<Record<string, string>>): number {
  const c = roadClassCode(tags.highway);
  return c >= 0 ? c : isFerryWay(tags) ? FERRY_CLASS : -1;
}

export function roadClassName(code: number): RoadClass {
  return ROAD_CLASSES[code];
}

/** Classes treated as barriers inside a district (GB 51080-2015 §4.1.3): grade-separated expressways. */
export const BARRIER_CLASSES: ReadonlySet<RoadClass> = new Set(['motorway', 'motorway_link']);
