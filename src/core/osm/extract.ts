/**
 * Pure extractors from OsmData to GeoJSON: display roads, fire facilities, water, admin areas and siting POIs.
 * Output order is deterministic (by OSM type and id); coordinates are rounded to 6 decimals (~0.1 m).
 */
import type { Feature, FeatureCollection, LineString, MultiPolygon, Point, Polygon, Position } from 'geojson';
import { isDrivableWay, onewayDirection } from '../buildGraph';
import type { AreaCollection, AreaFeature, StationClass } from '../types';
import type { OsmData, OsmNode, OsmRelation, OsmWay, Tags } from './types';
import type { Bbox } from './clip';
import { seaPolygons } from '../water/coastline';

export const round6 = (v: number) => Math.round(v * 1e6) / 1e6;

const byId = <T extends { id: number }>(a: T, b: T) => a.id - b.id;

/** Coordinates of a way's nodes; missing nodes (clipped extract) are skipped. */
function wayCoords(osm: OsmData, w: OsmWay): Position[] {
  const out: Position[] = [];
  for (const ref of w.nodes) {
    const n = osm.nodes.get(ref);
    if (n) out.push([round6(n.lon), round6(n.lat)]);
  }
  return out;
}

/** Runs of consecutive present nodes (a way cut at the extract border becomes several lines). */
function wayRuns(osm: OsmData, w: OsmWay): Position[][] {
  const runs: Position[][] = [];
  let cur: Position[] = [];
  for (const ref of w.nodes) {
    const n = osm.nodes.get(ref);
    if (!n) {
      if (cur.length > 1) runs.push(cur);
      cur = [];
      continue;
    }
    const x = round6(n.lon), y = round6(n.lat);
    const last = cur.length ? cur[cur.length - 1] : null;
    if (!last || last[0] !== x || last[1] !== y) cur.push([x, y]);
  }
  if (cur.length > 1) runs.push(cur);
  return runs;
}

// ---------------------------------------------------------------- roads

export interface RoadProps {
  cls: string;
  name: string;
  nameEn: string;
  /** 1 forward only, -1 backward only, 0 both ways (same rule as the graph). */
  oneway: 1 | -1 | 0;
}

export function extractRoads(osm: OsmData): FeatureCollection<LineString, RoadProps> {
  const features: Feature<LineString, RoadProps>[] = [];
  for (const w of osm.ways.filter((x) => isDrivableWay(x.tags)).sort(byId)) {
    const props: RoadProps = {
      cls: w.tags.highway,
      name: w.tags.name ?? w.tags.ref ?? '',
      nameEn: w.tags['name:en'] ?? '',
      oneway: onewayDirection(w.tags),
    };
    for (const coords of wayRuns(osm, w)) features.push({ type: 'Feature', properties: { ...props }, geometry: { type: 'LineString', coordinates: coords } });
  }
  return { type: 'FeatureCollection', features };
}

// ---------------------------------------------------------------- geometry helpers

const ringArea = (r: Position[]) => {
  let a = 0;
  for (let i = 0, j = r.length - 1; i < r.length; j = i++) a += (r[j][0] - r[i][0]) * (r[j][1] + r[i][1]);
  return a / 2; // > 0 counter-clockwise
};

function pointInRing(p: Position, r: Position[]): boolean {
  let inside = false;
  for (let i = 0, j = r.length - 1; i < r.length; j = i++) {
    const [xi, yi] = r[i], [xj, yj] = r[j];
    if (yi > p[1] !== yj > p[1] && p[0] < ((xj - xi) * (p[1] - yi)) / (yj - yi) + xi) inside = !inside;
  }
  return inside;
}

/** Area-weighted centroid of a ring (vertex mean for degenerate rings). */
function ringCentroid(r: Position[]): Position {
  let a = 0, cx = 0, cy = 0;
  const [ox, oy] = r[0];
  for (let i = 0, j = r.length - 1; i < r.length; j = i++) {
    const x0 = r[j][0] - ox, y0 = r[j][1] - oy, x1 = r[i][0] - ox, y1 = r[i][1] - oy;
    const f = x0 * y1 - x1 * y0;
    a += f; cx += (x0 + x1) * f; cy += (y0 + y1) * f;
  }
  if (Math.abs(a) < 1e-14) {
    const n = r.length;
    return [round6(r.reduce((s, p) => s + p[0], 0) / n), round6(r.reduce((s, p) => s + p[1], 0) / n)];
  }
  return [round6(ox + cx / (3 * a)), round6(oy + cy / (3 * a))];
}

/**
 * Joins way node lists end to end into closed rings. Returns the rings (as node-id lists, first = last)
 * and how many pieces could not be closed.
 */
export function assembleRings(pieces: number[][]): { rings: number[][]; open: number } {
  const left = pieces.filter((p) => p.length > 1).map((p) => p.slice());
  const rings: number[][] = [];
  let open = 0;
  while (left.length) {
    let ring = left.shift() as number[];
    let grown = true;
    while (ring[0] !== ring[ring.length - 1] && grown) {
      grown = false;
      const end = ring[ring.length - 1];
      for (let i = 0; i < left.length; i++) {
        const p = left[i];
        if (p[0] === end) ring = ring.concat(p.slice(1));
        else if (p[p.length - 1] === end) ring = ring.concat(p.slice(0, -1).reverse());
        else if (p[p.length - 1] === ring[0]) ring = p.slice(0, -1).concat(ring);
        else if (p[0] === ring[0]) ring = p.slice(1).reverse().concat(ring);
        else continue;
        left.splice(i, 1);
        grown = true;
        break;
      }
    }
    if (ring.length >= 4 && ring[0] === ring[ring.length - 1]) rings.push(ring);
    else open++;
  }
  return { rings, open };
}

function ringCoords(osm: OsmData, ids: number[]): Position[] | null {
  const out: Position[] = [];
  for (const id of ids) {
    const n = osm.nodes.get(id);
    if (!n) return null;
    out.push([round6(n.lon), round6(n.lat)]);
  }
  return out;
}

/** Outer rings counter-clockwise, holes clockwise (RFC 7946); each hole goes to the outer ring containing it. */
function buildPolygons(outers: Position[][], inners: Position[][]): Position[][][] {
  const polys = outers.map((r) => [ringArea(r) < 0 ? r.slice().reverse() : r]);
  for (const h of inners) {
    const hole = ringArea(h) > 0 ? h.slice().reverse() : h;
    const owner = polys.find((p) => pointInRing(hole[0], p[0]));
    if (owner) owner.push(hole);
  }
  return polys;
}

/**
 * Polygon geometry of a multipolygon/boundary relation from its member ways.
 * Returns null when a ring cannot be closed or a node is missing (incomplete extract).
 */
export function relationPolygon(osm: OsmData, rel: OsmRelation, waysById: Map<number, OsmWay>): Polygon | MultiPolygon | null {
  const outer: number[][] = [], inner: number[][] = [];
  for (const m of rel.members) {
    if (m.type !== 'way') continue;
    const w = waysById.get(m.ref);
    if (!w) return null;
    if (m.role === 'inner') inner.push(w.nodes);
    else if (m.role === 'outer' || m.role === '') outer.push(w.nodes);
  }
  const o = assembleRings(outer), i = assembleRings(inner);
  if (o.open > 0 || o.rings.length === 0) return null;
  const oc = o.rings.map((r) => ringCoords(osm, r));
  const ic = i.rings.map((r) => ringCoords(osm, r));
  if (oc.some((r) => !r)) return null;
  const polys = buildPolygons(oc as Position[][], ic.filter((r): r is Position[] => !!r));
  return polys.length === 1 ? { type: 'Polygon', coordinates: polys[0] } : { type: 'MultiPolygon', coordinates: polys };
}

const closedWayPolygon = (osm: OsmData, w: OsmWay): Polygon | null => {
  if (w.nodes.length < 4 || w.nodes[0] !== w.nodes[w.nodes.length - 1]) return null;
  const r = ringCoords(osm, w.nodes);
  return r ? { type: 'Polygon', coordinates: buildPolygons([r], [])[0] } : null;
};

const waysIndex = (osm: OsmData) => new Map(osm.ways.map((w) => [w.id, w]));

/** Point of an OSM element: the node, the centroid of a way, or of a relation's outer ring. */
interface Located { type: 'node' | 'way' | 'relation'; id: number; tags: Tags; at: Position }

function locatedElements(osm: OsmData, match: (t: Tags) => boolean): Located[] {
  const out: Located[] = [];
  const nodes: OsmNode[] = [];
  for (const n of osm.nodes.values()) if (n.tags && match(n.tags)) nodes.push(n);
  nodes.sort(byId);
  for (const n of nodes) out.push({ type: 'node', id: n.id, tags: n.tags as Tags, at: [round6(n.lon), round6(n.lat)] });
  for (const w of osm.ways.filter((x) => match(x.tags)).sort(byId)) {
    const c = wayCoords(osm, w);
    if (c.length === 0) continue;
    out.push({ type: 'way', id: w.id, tags: w.tags, at: c.length > 2 ? ringCentroid(c) : c[0] });
  }
  const ways = waysIndex(osm);
  for (const r of osm.relations.filter((x) => match(x.tags)).sort(byId)) {
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

// ---------------------------------------------------------------- water

/**
 * Kinds of water features: areas ('water' lakes and ponds, 'riverbank' river areas, 'reservoir', 'sea' from the
 * coastline), lines ('river', 'canal', 'stream', 'coastline'), and 'harbour': a named marina or harbour area that only
 * names the sea inside it (it holds quays too, so it is not water itself and is not drawn as water).
 */
export interface WaterProps {
  kind: 'water' | 'riverbank' | 'reservoir' | 'sea' | 'harbour' | 'river' | 'canal' | 'stream' | 'coastline';
  name: string;
  nameEn?: string;
  /** The sea only: the box it was clipped to (its edges there are no coast). */
  box?: Bbox;
}

const isWaterArea = (t: Tags) => t.natural === 'water' || t.waterway === 'riverbank' || t.landuse === 'reservoir';
const isHarbour = (t: Tags) => t.leisure === 'marina' || t.landuse === 'harbour' || t.harbour === 'yes';
const areaKind = (t: Tags): WaterProps['kind'] =>
  t.waterway === 'riverbank' || t.water === 'river' || t.water === 'canal' ? 'riverbank'
    : t.landuse === 'reservoir' || t.water === 'reservoir' ? 'reservoir' : 'water';
const WATER_LINES: ReadonlySet<string> = new Set(['river', 'canal', 'stream']);

/** Name fields of a water feature: the local (or Chinese) name, and the English one when tagged. */
function waterNames(t: Tags): { name: string; nameEn?: string } {
  const name = t['name:zh'] ?? t.name ?? '';
  const en = t['name:en'] ?? (t.name !== name ? t.name : undefined);
  return en ? { name, nameEn: en } : { name };
}

export interface WaterOptions {
  /**
   * Clip box of the sea (the place's bbox + 2 km): natural=coastline is assembled into sea polygons inside it
   * (src/core/water/coastline.ts). Without a box no sea is made (the coastline stays a line).
   */
  seaBox?: Bbox;
  /**
   * Keep only features whose bounding box meets this box. Give the extract before clipping (clipOsm cuts the rings
   * of a lake or river area crossing the clip edge, which then cannot be closed) and the clip box here, so an area
   * crossing the edge is kept whole.
   */
  keepBox?: Bbox;
}

/**
 * Water of an extract: lake, river and reservoir areas (closed ways and multipolygon relations whose outer and
 * inner rings are joined from several ways), the sea assembled from the coastline within `seaBox`, harbour areas
 * that name the sea, and river, canal, stream and coastline lines. Areas whose rings cannot be closed (cut by the
 * extract's edge) are left out and counted in `stats.openAreas`.
 */
export function extractWaterWithStats(osm: OsmData, opts: WaterOptions = {}): { fc: FeatureCollection<Polygon | MultiPolygon | LineString, WaterProps>; stats: { openAreas: number; danglingCoastEnds: number; brokenSeaRings: number } } {
  const features: Feature<Polygon | MultiPolygon | LineString, WaterProps>[] = [];
  const coast: Position[][] = [];
  let openAreas = 0;
  for (const w of [...osm.ways].sort(byId)) {
    const names = waterNames(w.tags);
    if (isWaterArea(w.tags) || isHarbour(w.tags)) {
      const g = closedWayPolygon(osm, w);
      const kind = isWaterArea(w.tags) ? areaKind(w.tags) : 'harbour';
      if (g) features.push({ type: 'Feature', properties: { kind, ...names }, geometry: g });
      else if (kind !== 'harbour' && w.nodes[0] === w.nodes[w.nodes.length - 1]) openAreas++;
    } else if (WATER_LINES.has(w.tags.waterway) || w.tags.natural === 'coastline') {
      const kind = (w.tags.natural === 'coastline' ? 'coastline' : w.tags.waterway) as WaterProps['kind'];
      for (const c of wayRuns(osm, w)) {
        features.push({ type: 'Feature', properties: { kind, ...names }, geometry: { type: 'LineString', coordinates: c } });
        if (kind === 'coastline') coast.push(c);
      }
    }
  }
  const ways = waysIndex(osm);
  for (const r of [...osm.relations].sort(byId)) {
    if (r.tags.type !== 'multipolygon' || !(isWaterArea(r.tags) || isHarbour(r.tags))) continue;
    const g = relationPolygon(osm, r, ways);
    const kind = isWaterArea(r.tags) ? areaKind(r.tags) : 'harbour';
    if (g) features.push({ type: 'Feature', properties: { kind, ...waterNames(r.tags) }, geometry: g });
    else if (kind !== 'harbour') openAreas++;
  }
  if (opts.keepBox) {
    const [a, b, c, d] = opts.keepBox;
    const kept = features.filter((f) => {
      const [w, s, e, n] = geometryBbox(f.geometry);
      return w <= c && e >= a && s <= d && n >= b;
    });
    features.length = 0;
    features.push(...kept);
  }
  let danglingCoastEnds = 0, brokenSeaRings = 0;
  if (opts.seaBox) {
    const sea = seaPolygons(coast, opts.seaBox);
    danglingCoastEnds = sea.danglingEnds;
    brokenSeaRings = sea.brokenRings;
    for (const g of sea.sea) {
      const geometry: Polygon = { type: 'Polygon', coordinates: g.coordinates.map((ring) => ring.map((p) => [round6(p[0]), round6(p[1])])) };
      features.push({ type: 'Feature', properties: { kind: 'sea', name: '', box: opts.seaBox.map(round6) as Bbox }, geometry });
    }
  }
  return { fc: { type: 'FeatureCollection', features }, stats: { openAreas, danglingCoastEnds, brokenSeaRings } };
}

function geometryBbox(g: Polygon | MultiPolygon | LineString): Bbox {
  const pts: Position[] = g.type === 'LineString' ? g.coordinates : g.type === 'Polygon' ? g.coordinates[0] : g.coordinates.flatMap((p) => p[0]);
  let w = Infinity, s = Infinity, e = -Infinity, n = -Infinity;
  for (const [x, y] of pts) {
    if (x < w) w = x;
    if (x > e) e = x;
    if (y < s) s = y;
    if (y > n) n = y;
  }
  return [w, s, e, n];
}

/** The water features of an extract (see extractWaterWithStats). */
export function extractWater(osm: OsmData, opts: WaterOptions = {}): FeatureCollection<Polygon | MultiPolygon | LineString, WaterProps> {
  return extractWaterWithStats(osm, opts).fc;
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
  for (const w of osm.ways.filter((x) => RAIL.has(x.tags.railway) && !(x.tags.tunnel && x.tags.tunnel !== 'no')).sort(byId)) {
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
