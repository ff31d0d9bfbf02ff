/**
 * One graph + one speed profile = one Router: travel seconds, spatial index, components and search buffers are
 * built once, then snaps, travel times, isochrones and routes reuse them. Used by the worker, the CLI and the
 * bench alike.
 */
import type { Feature, FeatureCollection, LineString } from 'geojson';
import type { RoadGraph } from './graph';
import type { LonLat } from './types';
import { edgeSeconds, turnRules, type SpeedProfile } from './profile';
import { buildSpatialIndex, type SpatialIndex } from './spatial';
import { computeComponents, mainStrongComponent, type Components } from './components';
import { FAR_SNAP_M, snapPoint, type Snap } from './snap';
import { ShortestPaths } from './dijkstra';
import { IsochroneBuilder, type IsochroneOptions } from './isochrone';
import { buildOsrmRoute, edgeName, instructionTexts, pathTo, pointAt, type OsrmRoute, type RouteLang } from './route';
import { round7 } from './geo';

/** An error with a machine code and a message in Chinese and English. */
export class RoutingError extends Error {
  constructor(public code: string, public zh: string, public en: string) {
    super(`${en} / ${zh}`);
  }
}

export interface SitePoint {
  id: string;
  name?: string;
  lon: number;
  lat: number;
}

export interface SnapSummary {
  lon: number;
  lat: number;
  distanceM: number;
  far: boolean;
  isolated: boolean;
  roadName: string;
}

export interface TimesResult {
  from: SnapSummary;
  results: { to: LonLat; seconds: number | null; meters: number | null; snap: SnapSummary }[];
}

export interface IsochroneOutput {
  /** Reached road pieces; each piece once, in the first band reaching it: { band (minutes), stationId, seconds }.
   *  Empty when called with { lines: false }. */
  lines: FeatureCollection<LineString>;
  /** One (Multi)Polygon per band that reaches anything: { band, minutes, areaKm2, roadKm }. */
  polygons: FeatureCollection;
  snaps: Record<string, SnapSummary>;
  profileName: string;
}

export interface RouteOutput {
  stationId: string;
  route: OsrmRoute;
  steps: { text: string; distanceM: number; durationS: number }[];
  travelSeconds: number;
  responseSeconds: number;
  snapFrom: SnapSummary;
  snapTo: SnapSummary;
  profileName: string;
}

export interface GraphSummary {
  nodeCount: number;
  edgeCount: number;
  bbox: [number, number, number, number];
  roadKm: number;
  components: number;
  largestComponentShare: number;
}

export class Router {
  readonly spatial: SpatialIndex;
  readonly components: Components;
  seconds!: Float32Array;
  /** Nodes of the largest strongly connected network under the current profile. */
  mainNetwork!: Uint8Array;
  paths!: ShortestPaths;
  private iso!: IsochroneBuilder;

  constructor(readonly graph: RoadGraph, public profile: SpeedProfile, public peak = false) {
    this.spatial = buildSpatialIndex(graph);
    this.components = computeComponents(graph);
    this.setProfile(profile, peak);
  }

  /** Re-derives travel seconds (no graph rebuild). */
  setProfile(profile: SpeedProfile, peak: boolean): void {
    this.profile = profile;
    this.peak = peak;
    this.seconds = edgeSeconds(this.graph, profile, { peak });
    this.mainNetwork = mainStrongComponent(this.graph, this.seconds, this.spatial.source);
    this.paths = new ShortestPaths(this.graph, this.seconds, turnRules(profile));
    this.iso = new IsochroneBuilder(this.graph, this.spatial, this.paths);
  }

  get profileName(): string {
    return `${this.profile.name}（${this.peak ? '高峰' : '平峰'}） / ${this.profile.nameEn} (${this.peak ? 'peak' : 'off-peak'})`;
  }

  snap(lon: number, lat: number): Snap {
    return this.snapChecked(lon, lat, 0);
  }

  private snapChecked(lon: number, lat: number, preferMainM: number): Snap {
    if (!Number.isFinite(lon) || !Number.isFinite(lat) || Math.abs(lon) > 180 || Math.abs(lat) > 90)
      throw new RoutingError('bad-coordinate', `坐标无效：${lon}, ${lat}`, `invalid coordinate: ${lon}, ${lat}`);
    const s = snapPoint(this.graph, this.spatial, this.seconds, this.components, lon, lat, this.mainNetwork, preferMainM);
    if (!s) throw new RoutingError('no-network', '路网为空，无法吸附到道路', 'the road network is empty; cannot snap to a road');
    return s;
  }

  /**
   * Snap for a station (a start point): a road of the main strongly connected network within FAR_SNAP_M is taken
   * over a nearer one-way pocket at the extract's border that a fire engine could not drive out of.
   */
  snapStation(lon: number, lat: number): Snap {
    return this.snapChecked(lon, lat, FAR_SNAP_M);
  }

  summary(s: Snap, lang: RouteLang = 'zh-Hans'): SnapSummary {
    return { lon: round7(s.lon), lat: round7(s.lat), distanceM: Math.round(s.distanceM * 10) / 10, far: s.far, isolated: s.isolated, roadName: edgeName(this.graph, s.edge, lang) };
  }

  /** Travel seconds (turnout excluded) and metres from one point to many. Unreachable → null. */
  times(from: LonLat, to: LonLat[]): TimesResult {
    const src = this.snapStation(from[0], from[1]);
    this.paths.run([src]);
    return {
      from: this.summary(src),
      results: to.map((p) => {
        const t = this.snap(p[0], p[1]);
        const path = pathTo(this.graph, this.spatial, this.paths, [src], t);
        return { to: p, seconds: path ? round1(path.seconds) : null, meters: path ? round1(path.meters) : null, snap: this.summary(t) };
      }),
    };
  }

  /** Isochrone bands (minutes of travel, turnout excluded) from all stations at once (dissolved). */
  isochrone(stations: SitePoint[], bandsMin: number[], opts: IsochroneOptions & { lines?: boolean } = {}): IsochroneOutput {
    if (!stations.length) throw new RoutingError('no-stations', '没有消防站，无法计算等时圈', 'no stations given; cannot compute isochrones');
    const bands = [...new Set(bandsMin)].sort((a, b) => a - b);
    if (!bands.length || bands.some((b) => !Number.isFinite(b) || b <= 0 || b > 120))
      throw new RoutingError('bad-bands', `时间分段无效：${bandsMin.join(',')}（应为 0–120 分钟）`, `invalid time bands: ${bandsMin.join(',')} (expected 0–120 minutes)`);
    const snaps = stations.map((s) => this.snapStation(s.lon, s.lat));
    const cutoffs = bands.map((b) => b * 60);
    this.paths.run(snaps, cutoffs[cutoffs.length - 1]);
    const pieces = this.iso.pieces(snaps, cutoffs);
    const polys = this.iso.polygons(pieces, cutoffs.length, opts);
    const at = (e: number, f: number) => pointAt(this.graph, this.spatial, e, f);
    const lines: Feature<LineString>[] = opts.lines === false ? [] : pieces.map((p) => ({
      type: 'Feature',
      properties: { band: bands[p.band], stationId: stations[p.source]?.id ?? null, seconds: round1(p.seconds) },
      geometry: { type: 'LineString', coordinates: [at(p.edge, p.s0), at(p.edge, p.s1)] },
    }));
    const polygons: Feature[] = [];
    polys.forEach((p, k) => {
      if (p.polygon) polygons.push({ type: 'Feature', properties: { band: bands[k], minutes: bands[k], areaKm2: round3(p.areaKm2), roadKm: round3(p.roadKm) }, geometry: p.polygon });
    });
    const snapOut: Record<string, SnapSummary> = {};
    stations.forEach((s, i) => { snapOut[s.id] = this.summary(snaps[i]); });
    return { lines: { type: 'FeatureCollection', features: lines }, polygons: { type: 'FeatureCollection', features: polygons }, snaps: snapOut, profileName: this.profileName };
  }

  /** Fastest route to `to` from whichever station reaches it first, with instruction text. */
  route(stations: SitePoint[], to: LonLat, lang: RouteLang = 'zh-Hans', waypointName = ''): RouteOutput {
    if (!stations.length) throw new RoutingError('no-stations', '没有消防站，无法规划路线', 'no stations given; cannot plan a route');
    const snaps = stations.map((s) => this.snapStation(s.lon, s.lat));
    const target = this.snap(to[0], to[1]);
    this.paths.run(snaps, Infinity, [target.u, target.v]);
    const path = pathTo(this.graph, this.spatial, this.paths, snaps, target);
    if (!path)
      throw new RoutingError('unreachable', '目的地无法从任何消防站到达（路网不连通或单行限制）', 'the destination cannot be reached from any station (disconnected network or one-way restrictions)');
    const route = buildOsrmRoute(this.graph, this.spatial, this.seconds, path, lang);
    const texts = instructionTexts(route, lang, waypointName || (lang === 'en' ? 'the destination' : '目的地'));
    const steps = route.legs[0].steps.map((s, i) => ({ text: texts[i], distanceM: s.distance, durationS: s.duration }));
    return {
      stationId: stations[path.source].id, route, steps,
      travelSeconds: round1(path.seconds), responseSeconds: round1(path.seconds + this.profile.turnoutSeconds.value),
      snapFrom: this.summary(snaps[path.source], lang), snapTo: this.summary(target, lang), profileName: this.profileName,
    };
  }

  graphSummary(): GraphSummary {
    const g = this.graph;
    let m = 0;
    for (const e of this.spatial.segEdge) m += g.lengthM[e];
    return {
      nodeCount: g.nodeCount, edgeCount: g.edgeCount, bbox: g.bbox, roadKm: round3(m / 1000),
      components: this.components.count, largestComponentShare: g.nodeCount ? round3(this.components.size[0] / g.nodeCount) : 0,
    };
  }

  /** Every usable directed edge as CSV: source,target,seconds,meters,source_lon,source_lat,target_lon,target_lat. */
  exportCsv(): string {
    const g = this.graph, src = this.spatial.source;
    const rows = ['source,target,seconds,meters,source_lon,source_lat,target_lon,target_lat'];
    for (let e = 0; e < g.edgeCount; e++) {
      if (!(this.seconds[e] < Infinity)) continue;
      const a = src[e], b = g.target[e];
      rows.push(`${a},${b},${this.seconds[e].toFixed(2)},${g.lengthM[e].toFixed(2)},${g.lon[a] / 1e7},${g.lat[a] / 1e7},${g.lon[b] / 1e7},${g.lat[b] / 1e7}`);
    }
    return rows.join('\n') + '\n';
  }
}

const round1 = (v: number) => Math.round(v * 10) / 10;
const round3 = (v: number) => Math.round(v * 1000) / 1000;

