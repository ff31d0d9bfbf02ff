/**
 * Water of an extract: lakes, river areas, reservoirs, multipolygon water relations, river/canal/stream lines and the
 * sea assembled from natural=coastline (src/core/water/coastline.ts), named from the harbour or marina it lies in.
 */
import type { Feature, FeatureCollection, LineString, MultiPolygon, Polygon, Position } from 'geojson';
import type { OsmData, OsmWay, Tags } from './types';
import type { Bbox } from './clip';
import { seaPolygons } from '../water/coastline';
import { closedWayPolygon, inIdOrder, relationPolygon, round6, wayRuns, waysIndex } from './shapes';

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
/** A relation extractWater turns into an area (a lake, a riverbank, a harbour): its far member ways are needed whole. */
export const isWaterRelation = (t: Tags): boolean => t.type === 'multipolygon' && (isWaterArea(t) || isHarbour(t));
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
  const isWaterWay = (t: Tags) => isWaterArea(t) || isHarbour(t) || WATER_LINES.has(t.waterway) || t.natural === 'coastline';
  // only the water ways are sorted (by id, as before): a city's road ways are skipped at once
  for (const w of inIdOrder(osm.ways.filter((x) => isWaterWay(x.tags)))) {
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
  const rels = inIdOrder(osm.relations.filter((r) => r.tags.type === 'multipolygon' && (isWaterArea(r.tags) || isHarbour(r.tags))));
  const ways = rels.length ? waysIndex(osm) : new Map<number, OsmWay>(); // the id → way map only when a water relation needs it
  for (const r of rels) {
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

