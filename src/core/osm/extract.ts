/**
 * Pure extractors from OsmData to GeoJSON: display roads, fire facilities, water, admin areas and siting POIs.
 * Output order is deterministic (by OSM type and id); coordinates are rounded to 6 decimals (~0.1 m).
 */
import type { Feature, FeatureCollection, LineString, Point, Position } from 'geojson';
import { isDrivableWay, onewayDirection } from '../buildGraph';
import type { AreaCollection, AreaFeature, StationClass } from '../types';
import type { OsmData, OsmNode, OsmWay, Tags } from './types';
import { NodeStore } from './nodeStore';
import { byId, inIdOrder, relationPolygon, ringCentroid, round6, SharedPositions, sharedWayRuns, wayCoords, wayRuns, waysIndex } from './shapes';

export { assembleRings, relationPolygon, round6 } from './shapes';
export { extractWater, extractWaterWithStats, type WaterOptions, type WaterProps } from './water';

// ---------------------------------------------------------------- roads

export interface RoadProps {
  cls: string;
  name: string;
  nameEn: string;
  /** 1 forward only, -1 backward only, 0 both ways (same rule as the graph). */
  oneway: 1 | -1 | 0;
}

/**
 * One LineString per run of present nodes of each drivable way, by way id. A node shared by several ways (a junction)
 * is one position array in all of them (SharedPositions): on a city's network that saves a large part of the
 * layer's memory and build time; the coordinates are the same as wayRuns gives. Ways with the same class, names and
 * direction share one properties object (a city's street is many ways). Positions and properties are read-only for
 * every consumer (the map, the report, the place card and IndexedDB read or copy them, never modify them).
 */
export function extractRoads(osm: OsmData): FeatureCollection<LineString, RoadProps> {
  const features: Feature<LineString, RoadProps>[] = [];
  const at = new SharedPositions(osm);
  const shared = new Map<string, RoadProps[]>(); // by name (the tag strings of a PBF block are one string each)
  const runs: Position[][] = [];
  let props: RoadProps | null = null;
  for (const w of inIdOrder(osm.ways.filter((x) => isDrivableWay(x.tags)))) {
    runs.length = 0;
    if (sharedWayRuns(at, w, runs) === 0) continue;
    const t = w.tags;
    const cls = t.highway, name = t.name ?? t.ref ?? '', nameEn = t['name:en'] ?? '', oneway = onewayDirection(t);
    if (!props || props.name !== name || props.cls !== cls || props.nameEn !== nameEn || props.oneway !== oneway) {
      let same = shared.get(name);
      if (!same) shared.set(name, (same = []));
      props = same.find((p) => p.cls === cls && p.nameEn === nameEn && p.oneway === oneway) ?? null;
      if (!props) same.push((props = { cls, name, nameEn, oneway }));
    }
    for (const coords of runs) features.push({ type: 'Feature', properties: props, geometry: { type: 'LineString', coordinates: coords } });
  }
  return { type: 'FeatureCollection', features };
}


/** Point of an OSM element: the node, the centroid of a way, or of a relation's outer ring. */
interface Located { type: 'node' | 'way' | 'relation'; id: number; tags: Tags; at: Position }

function locatedElements(osm: OsmData, match: (t: Tags) => boolean): Located[] {
  const out: Located[] = [];
  const nodes: OsmNode[] = [];
  const all = osm.nodes;
  // a NodeStore (PBF) lists its tagged nodes: the untagged million are not made into objects
  const tagged = all instanceof NodeStore ? all.taggedPositions().map((k) => all.nodeAt(k)) : all.values();
  for (const n of tagged) if (n.tags && match(n.tags)) nodes.push(n);
  inIdOrder(nodes);
  for (const n of nodes) out.push({ type: 'node', id: n.id, tags: n.tags as Tags, at: [round6(n.lon), round6(n.lat)] });
  for (const w of inIdOrder(osm.ways.filter((x) => match(x.tags)))) {
    const c = wayCoords(osm, w);
    if (c.length === 0) continue;
    out.push({ type: 'way', id: w.id, tags: w.tags, at: c.length > 2 ? ringCentroid(c) : c[0] });
  }
  const rels = inIdOrder(osm.relations.filter((x) => match(x.tags)));
  const ways = rels.length ? waysIndex(osm) : new Map<number, OsmWay>(); // the id → way map only when a relation needs it
  for (const r of rels) {
    const g = relationPolygon(osm, r, ways);
    if (!g) continue;
    const ring = g.type === 'Polygon' ? g.coordinates[0] : g.coordinates[0][0];
    out.push({ type: 'relation', id: r.id, tags: r.tags, at: ringCentroid(ring) });
  }
  return out;
}

const point = <P>(at: Position, properties: P): Feature<Point, P> => ({ type: 'Feature', properties, geometry: { type: 'Point', coordinates: at } });

// ---------------------------------------------------------------- facilities

const STATION_CLASSES: ReadonlySet<string> = new Set<StationClass>(['一级', '二级', '小型', '乡镇一级', '乡镇二级', '特勤']);
const SOURCE_OSM = 'OpenStreetMap';

export interface FacilityProps {
  kind: 'station' | 'hydrant' | 'water-intake';
  id: string;
  name?: string;
  nameEn?: string;
  stationClass?: StationClass;
  /** The class is not in OSM; 一级 is assumed until the user sets it. */
  classAssumed?: boolean;
  hydrantType?: string;
  status: 'existing';
  position: 'from-data';
  source: string;
  lon: number;
  lat: number;
}

const ELEMENT_WORD = { node: ['节点', 'node'], way: ['路径', 'way'], relation: ['关系', 'relation'] } as const;

/**
 * What to call a fire station OSM gives no name: "未命名（OSM 节点 123）" / "unnamed (OSM node 123)", with its
 * operator and ref first when tagged: "未命名（Sapeurs Pompiers Monaco，编号 3，OSM 节点 123）".
 */
export function unnamedStation(type: 'node' | 'way' | 'relation', id: number | string, tags: Tags = {}): { zh: string; en: string } {
  const [wz, we] = ELEMENT_WORD[type];
  const op = tags.operator?.trim();
  const ref = tags.ref?.trim();
  const zh = [op, ref && `编号 ${ref}`, `OSM ${wz} ${id}`].filter(Boolean).join('，');
  const en = [op, ref && `ref ${ref}`, `OSM ${we} ${id}`].filter(Boolean).join(', ');
  return { zh: `未命名（${zh}）`, en: `unnamed (${en})` };
}

export function extractFacilities(osm: OsmData): FeatureCollection<Point, FacilityProps> {
  const isStation = (t: Tags) => t.amenity === 'fire_station';
  const isHydrant = (t: Tags) => t.emergency === 'fire_hydrant';
  const isIntake = (t: Tags) => t.emergency === 'water_tank' || t.emergency === 'suction_point';
  const features: Feature<Point, FacilityProps>[] = [];
  for (const e of locatedElements(osm, (t) => isStation(t) || isHydrant(t) || isIntake(t))) {
    const base = { id: `osm-${e.type}-${e.id}`, status: 'existing' as const, position: 'from-data' as const, source: SOURCE_OSM, lon: e.at[0], lat: e.at[1] };
    if (isStation(e.tags)) {
      const tagged = e.tags['fire_station:class'] ?? e.tags['fire_station:level'];
      const known = tagged !== undefined && STATION_CLASSES.has(tagged);
      const name = e.tags.name ?? e.tags['name:zh'] ?? '';
      const unnamed = name ? undefined : unnamedStation(e.type, e.id, e.tags);
      features.push(point(e.at, {
        kind: 'station', ...base,
        name: name || unnamed!.zh,
        nameEn: e.tags['name:en'] ?? (name || unnamed!.en),
        stationClass: known ? (tagged as StationClass) : '一级',
        ...(known ? {} : { classAssumed: true }),
      }));
    } else {
      const props: FacilityProps = { kind: isHydrant(e.tags) ? 'hydrant' : 'water-intake', ...base };
      const type = e.tags['fire_hydrant:type'] ?? e.tags['water_tank:type'];
      if (type) props.hydrantType = type;
      if (e.tags.name) props.name = e.tags.name;
      features.push(point(e.at, props));
    }
  }
  return { type: 'FeatureCollection', features };
}

// ---------------------------------------------------------------- railways

export interface RailProps { kind: 'railway'; railway: string; name: string }
const RAIL: ReadonlySet<string> = new Set(['rail', 'light_rail', 'narrow_gauge']);

/**
 * Surface railway lines (GB 51080-2015 §4.1.3 barriers): rail, light rail and narrow gauge; lines in tunnels,
 * disused or abandoned ones and subways are left out, since engines cross above them.
 */
export function extractRailways(osm: OsmData): FeatureCollection<LineString, RailProps> {
  const features: Feature<LineString, RailProps>[] = [];
  // (filtered, then sorted: the same order as sorting all ways first, the sort being stable)
  for (const w of inIdOrder(osm.ways.filter((x) => RAIL.has(x.tags.railway) && !(x.tags.tunnel && x.tags.tunnel !== 'no')))) {
    for (const c of wayRuns(osm, w))
      features.push({ type: 'Feature', properties: { kind: 'railway', railway: w.tags.railway, name: w.tags.name ?? '' }, geometry: { type: 'LineString', coordinates: c } });
  }
  return { type: 'FeatureCollection', features };
}

// ---------------------------------------------------------------- admin areas

/** Areas of boundary=administrative relations at one admin_level whose rings close. */
export function extractAdminAreas(osm: OsmData, adminLevel: number): AreaCollection {
  const ways = waysIndex(osm);
  const features: AreaFeature[] = [];
  for (const r of [...osm.relations].sort(byId)) {
    if (r.tags.boundary !== 'administrative' || Number(r.tags.admin_level) !== adminLevel) continue;
    const g = relationPolygon(osm, r, ways);
    if (!g) continue;
    const name = r.tags.name ?? r.tags['name:zh'] ?? `${r.id}`;
    features.push({ type: 'Feature', properties: { id: `osm-relation-${r.id}`, name, nameEn: r.tags['name:en'] ?? name, adminLevel }, geometry: g });
  }
  return { type: 'FeatureCollection', features };
}

// ---------------------------------------------------------------- POIs

export type PoiKind = 'school' | 'kindergarten' | 'hospital' | 'mall' | 'stadium' | 'fuel' | 'chemical';

/** Siting-check category of a tagged element (places a fire station should keep distance from or serve). */
export function poiKind(t: Tags): PoiKind | null {
  if (t.amenity === 'kindergarten') return 'kindergarten';
  if (t.amenity === 'school') return 'school';
  if ((t.amenity === 'hospital' || t.healthcare === 'hospital') && !isPharmacy(t)) return 'hospital';
  if (t.shop === 'mall' || t.shop === 'department_store') return 'mall';
  if (t.leisure === 'stadium' || t.building === 'stadium') return 'stadium';
  if (t.amenity === 'fuel') return 'fuel';
  if (t.industrial === 'chemical' || t.product === 'chemicals' || t.hazard === 'chemical' || (t.man_made === 'storage_tank' && (t.content === 'gas' || t.content === 'oil'))) return 'chemical';
  return null;
}

/**
 * A pharmacy is not a hospital for the siting check: amenity=pharmacy, healthcare=pharmacy or shop=chemist, whatever
 * else it is tagged; or a name that says pharmacy as a whole word (Monaco's "Farmacy des Anglais" carries
 * amenity=hospital + emergency=no in the 2016 extract — a mis-tag the name gives away). The name is only believed
 * without strong hospital evidence (emergency=yes, or "hospital" / 医院 in the name): "Shenyang Pharmaceutical
 * University Hospital" is a hospital.
 */
const PHARMACY_NAME = /(?<![\p{L}\p{N}])(pharmacy|pharmacie|farmacia|farmacy|apotheke)(?![\p{L}\p{N}])|药店|药房|藥房|藥局/iu;
const HOSPITAL_NAME = /(?<![\p{L}\p{N}])(hospital|hospitalier|hôpital|hopital|ospedale|krankenhaus|klinikum)(?![\p{L}\p{N}])|医院|醫院/iu;
function isPharmacy(t: Tags): boolean {
  if (t.amenity === 'pharmacy' || t.healthcare === 'pharmacy' || t.shop === 'chemist') return true;
  const names = [t.name, t['name:en'], t['name:zh']].filter((n): n is string => n !== undefined);
  if (t.emergency === 'yes' || names.some((n) => HOSPITAL_NAME.test(n))) return false;
  return names.some((n) => PHARMACY_NAME.test(n));
}

export interface PoiProps { kind: PoiKind; id: string; name: string }

export function extractPois(osm: OsmData): FeatureCollection<Point, PoiProps> {
  const features = locatedElements(osm, (t) => poiKind(t) !== null)
    .map((e) => point(e.at, { kind: poiKind(e.tags) as PoiKind, id: `osm-${e.type}-${e.id}`, name: e.tags.name ?? '' }));
  return { type: 'FeatureCollection', features };
}
