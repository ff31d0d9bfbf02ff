/** GeoJSON for each map source, derived from the store (pure functions, memoised by input identity). */
import { circle } from '@turf/turf';
import type { Feature, FeatureCollection, Point } from 'geojson';
import type { PlannerState } from '../store';
import { selectFacilities, selectNetworkReady, selectRoads } from '../store/selectors';
import { estimateParams, estimateRadiusKm } from '../data/standards';
import type { SourceId } from './style';
import { mmss } from '../i18n/msg';
import type { PlaceReport } from '../core/compliance/report';
import type { Scenario } from '../core/scenario';
import { scenarioById } from '../store/scenario';
import { checkedStations } from '../store/scenarioAnalysis';
import { selectRail, selectWater } from '../store/water';
import { selectProposedHydrants } from '../store/hydrantAudit';
import { selectSuggestedSites } from '../store/optimizer';
import { unnamedStation } from '../core/osm/extract';

const EMPTY: FeatureCollection = { type: 'FeatureCollection', features: [] };

/** Station / facility labels in both languages: approximate ones get 约/≈, planned ones their year, examples 示例. */
export function facilityLabels(p: Record<string, unknown>): { label_zh: string; label_en: string; name?: string; nameEn?: string } {
  const legacy = legacyUnnamed(p);
  if (legacy) return { ...facilityLabels({ ...p, ...legacy }), ...legacy };
  const name = typeof p.name === 'string' ? p.name : '';
  const nameEn = typeof p.nameEn === 'string' && p.nameEn ? p.nameEn : name;
  const approx = p.position === 'approximate';
  const planned = p.status === 'planned' || p.status === 'proposed';
  const year = typeof p.phase === 'number' ? String(p.phase) : '';
  let zh = (approx ? '约 ' : '') + name;
  let en = (approx ? '≈ ' : '') + nameEn;
  if (planned) {
    zh += `\n${p.status === 'proposed' ? '拟建' : '规划'}${year ? ' ' + year : ''}`;
    en += `\n${p.status === 'proposed' ? 'proposed' : 'planned'}${year ? ' ' + year : ''}`;
  }
  if (p.example === true) {
    zh += '（示例）';
    en += ' (example)';
  }
  return { label_zh: zh, label_en: en };
}

/** A network imported before issue 14 named OSM stations without a name "未命名消防站": name them by their OSM element. */
function legacyUnnamed(p: Record<string, unknown>): { name: string; nameEn: string } | undefined {
  if (p.name !== '未命名消防站' || typeof p.id !== 'string') return undefined;
  const m = /^osm-(node|way|relation)-(\d+)$/.exec(p.id);
  if (!m) return undefined;
  const u = unnamedStation(m[1] as 'node' | 'way' | 'relation', m[2]);
  return { name: u.zh, nameEn: u.en };
}

let lastFacilities: FeatureCollection | undefined;
let lastLabelled: FeatureCollection = EMPTY;
function labelled(fc: FeatureCollection<Point, Record<string, unknown>>): FeatureCollection {
  if (fc === lastFacilities) return lastLabelled;
  lastFacilities = fc;
  lastLabelled = {
    type: 'FeatureCollection',
    features: fc.features.map((f) => ({ ...f, properties: { ...f.properties, ...facilityLabels(f.properties) } })),
  };
  return lastLabelled;
}

let lastEstimateInput: unknown;
let lastEstimate: FeatureCollection = EMPTY;
/** Straight-line estimate discs around every station (only while the place has no road network). */
function estimate(fc: FeatureCollection<Point, Record<string, unknown>>): FeatureCollection {
  if (fc === lastEstimateInput) return lastEstimate;
  lastEstimateInput = fc;
  const radiusKm = estimateRadiusKm(estimateParams());
  const features: Feature[] = fc.features
    .filter((f) => f.properties.kind === 'station')
    .map((f) => circle(f.geometry.coordinates, radiusKm, { steps: 64, units: 'kilometers', properties: { stationId: f.properties.id, radiusKm, estimate: true } }));
  lastEstimate = { type: 'FeatureCollection', features };
  return lastEstimate;
}

function routeGeometry(route: unknown): Feature | undefined {
  const g = (route as { geometry?: unknown } | undefined)?.geometry as { type?: string; coordinates?: unknown } | undefined;
  if (!g || (g.type !== 'LineString' && g.type !== 'MultiLineString')) return undefined;
  return { type: 'Feature', geometry: g as Feature['geometry'], properties: {} };
}

let lastRouteKey: unknown[] = [];
let lastRoute: { line: FeatureCollection; ends: FeatureCollection } = { line: EMPTY, ends: EMPTY };
function routeSources(s: PlannerState, facilities: FeatureCollection<Point, Record<string, unknown>>) {
  const key = [s.route.result, s.route.to, facilities];
  if (key.every((k, i) => k === lastRouteKey[i])) return lastRoute;
  lastRouteKey = key;
  const route = s.route.result;
  const line = route ? routeGeometry(route.route) : undefined;
  const from = route ? facilities.features.find((f) => f.properties.id === route.stationId) : undefined;
  const ends: Feature[] = [];
  if (route && from) ends.push({ type: 'Feature', geometry: from.geometry, properties: { end: 'from' } });
  if (route && s.route.to) ends.push({ type: 'Feature', geometry: { type: 'Point', coordinates: s.route.to }, properties: { end: 'to' } });
  lastRoute = { line: line ? { type: 'FeatureCollection', features: [line] } : EMPTY, ends: ends.length ? { type: 'FeatureCollection', features: ends } : EMPTY };
  return lastRoute;
}

type CmpSources = Pick<Record<SourceId, FeatureCollection>, 'cmp-districts' | 'cmp-pockets' | 'cmp-failing' | 'cmp-noaccess' | 'cmp-barriers' | 'cmp-worst'>;
const NO_CMP: CmpSources = { 'cmp-districts': EMPTY, 'cmp-pockets': EMPTY, 'cmp-failing': EMPTY, 'cmp-noaccess': EMPTY, 'cmp-barriers': EMPTY, 'cmp-worst': EMPTY };

/** A station's barrier crossings as line features (what the district straddles, GB 51080 §4.1.3). */
const barrierFeatures = (r: PlaceReport['stations'][number], part?: string): Feature[] =>
  r.barriers.map((b) => ({ type: 'Feature', geometry: b.geometry, properties: { stationId: r.id, kind: b.kind, name: b.name, lengthM: b.lengthInsideM, ...(part ? { part } : {}) } }));
let lastReport: PlaceReport | undefined;
let lastCmp: CmpSources = NO_CMP;


/** Compliance result on the map: districts by verdict, failing / no-access edge parts, pockets, worst points. */
function complianceSources(report: PlaceReport | undefined): CmpSources {
  if (report === lastReport) return lastCmp;
  lastReport = report;
  if (!report) return (lastCmp = NO_CMP);
  const fc = (features: Feature[]): FeatureCollection => ({ type: 'FeatureCollection', features });
  const est = report.mode === 'straight-line-estimate';
  lastCmp = {
    'cmp-districts': report.districts as FeatureCollection,
    'cmp-pockets': fc(report.stations.flatMap((r) => (r.coverage?.pockets.features ?? []) as Feature[])),
    'cmp-failing': fc(report.stations.flatMap((r) => r.failingEdges.features as Feature[])),
    'cmp-noaccess': fc(report.stations.flatMap((r) => r.noAccessEdges.features as Feature[])),
    'cmp-barriers': fc(report.stations.flatMap((r) => barrierFeatures(r))),
    'cmp-worst': fc(
      report.stations
        .filter((r) => r.verdict === 'fail' && r.worstEdgePoint && r.worstResponseSeconds !== null)
        .map((r) => ({
          type: 'Feature',
          geometry: { type: 'Point', coordinates: r.worstEdgePoint! },
          properties: {
            stationId: r.id,
            label_zh: `${est ? '约 ' : ''}${mmss(r.worstResponseSeconds!)}（${r.name}）`,
            label_en: `${est ? '≈ ' : ''}${mmss(r.worstResponseSeconds!)} (${r.nameEn ?? r.name})`,
          },
        })),
    ),
  };
  return lastCmp;
}

let lastFocusKey: unknown[] = [];
let lastFocus: FeatureCollection = EMPTY;
/** The station opened in the compliance table: its district (part 'district'), failing edge stretches (part 'failing') and barriers (part 'barrier'). */
function focusSource(report: PlaceReport | undefined, focusId: string | undefined): FeatureCollection {
  if (report === lastFocusKey[0] && focusId === lastFocusKey[1]) return lastFocus;
  lastFocusKey = [report, focusId];
  const r = report && focusId ? report.stations.find((x) => x.id === focusId) : undefined;
  if (!report || !r) return (lastFocus = EMPTY);
  const features: Feature[] = [
    ...report.districts.features.filter((f) => f.properties.stationId === r.id).map((f) => ({ ...f, properties: { ...f.properties, part: 'district' } }) as Feature),
    ...r.failingEdges.features.map((f) => ({ ...f, properties: { ...f.properties, part: 'failing' } }) as Feature),
    ...barrierFeatures(r, 'barrier'),
  ];
  return (lastFocus = { type: 'FeatureCollection', features });
}

let lastCompareKey: unknown[] = [];
let lastCompare: FeatureCollection = EMPTY;
/** Both compared scenarios' stations (side A / B), while the comparison is shown on the map. */
function compareSource(s: PlannerState): FeatureCollection {
  const on = s.compareScn.showOnMap;
  const view = s.compareScn.mapSide;
  const a = on && (view === 'both' || view === 'A') ? scenarioById(s, s.compareScn.aId) : undefined;
  const b = on && (view === 'both' || view === 'B') ? scenarioById(s, s.compareScn.bId) : undefined;
  const key = [a, b, s.year, s.layers.stations, s.layers.plan];
  if (key.every((k, i) => k === lastCompareKey[i])) return lastCompare;
  lastCompareKey = key;
  const side = (scn: Scenario | undefined, tag: 'A' | 'B'): Feature[] =>
    scn ? checkedStations(s, scn).map((st) => ({ type: 'Feature', geometry: { type: 'Point', coordinates: [st.lon, st.lat] }, properties: { side: tag, id: st.id, name: st.name } })) : [];
  return (lastCompare = { type: 'FeatureCollection', features: [...side(a, 'A'), ...side(b, 'B')] });
}

/** The road rules' closures for the chosen vehicle, while they belong to the place and network shown. */
function roadRulesSource(s: PlannerState): FeatureCollection {
  const r = s.roadRules;
  return r?.info && r.placeId === s.placeId && r.version === s.network?.info?.version && selectNetworkReady(s) ? r.info.features : EMPTY;
}

let lastInvKey: unknown[] = [];
let lastWithInv: FeatureCollection<Point, Record<string, unknown>> | undefined;
/** The place's facilities plus the imported hydrant inventory of the place (issue #13; ids prefixed "inv:"), for display. */
function withInventory(fc: FeatureCollection<Point, Record<string, unknown>>, s: PlannerState): FeatureCollection<Point, Record<string, unknown>> {
  const inv = s.hydrantInventory && s.hydrantInventory.placeId === s.placeId ? s.hydrantInventory : null;
  if (!inv) return fc;
  if (lastWithInv && lastInvKey[0] === fc && lastInvKey[1] === inv) return lastWithInv;
  lastInvKey = [fc, inv];
  const extra: Feature<Point, Record<string, unknown>>[] = inv.hydrants.map((h, i) => ({
    type: 'Feature', id: fc.features.length + i, geometry: { type: 'Point', coordinates: [h.lon, h.lat] },
    properties: { ...h, id: `inv:${h.id}`, inventory: inv.fileName },
  }));
  return (lastWithInv = { type: 'FeatureCollection', features: [...fc.features, ...extra] });
}

let lastHydKey: unknown[] = [];
let lastHyd: FeatureCollection = EMPTY;
/** The open scenario's added hydrants / intakes (draggable), labelled like facilities. */
function proposedHydrants(s: PlannerState): FeatureCollection {
  const list = selectProposedHydrants(s);
  if (list === lastHydKey[0]) return lastHyd;
  lastHydKey = [list];
  return (lastHyd = { type: 'FeatureCollection', features: list.map((h) => ({ type: 'Feature', geometry: { type: 'Point', coordinates: [h.lon, h.lat] }, properties: { ...h, ...facilityLabels({ ...h }) } })) });
}

/** The hydrant audit's gaps, while they belong to the place and network shown. */
function hydrantGaps(s: PlannerState): FeatureCollection {
  const a = s.hydrantAudit;
  return a?.result && a.key?.startsWith(`${s.placeId}|${s.network?.info?.version ?? ''}|`) && selectNetworkReady(s) ? a.result.gaps : EMPTY;
}

export function sourceData(s: PlannerState): Record<SourceId, FeatureCollection> {
  const facilities = selectFacilities(s);
  const ready = selectNetworkReady(s);
  // while a station is dragged the last isochrone stays up until the next one arrives
  const iso = s.iso.result && (!s.iso.busy || s.dragging) ? s.iso.result : undefined;
  const route = routeSources(s, facilities);
  return {
    boundary: s.placeData.boundary ?? EMPTY,
    districts: s.placeData.districts ?? EMPTY,
    water: selectWater(s) ?? EMPTY,
    rail: selectRail(s) ?? EMPTY,
    roads: selectRoads(s) ?? EMPTY,
    facilities: labelled(withInventory(facilities, s)),
    pois: s.placeData.pois ?? EMPTY,
    estimate: ready ? EMPTY : estimate(facilities),
    'iso-polygons': iso?.polygons ?? EMPTY,
    'iso-lines': iso?.lines ?? EMPTY,
    route: route.line,
    'route-ends': route.ends,
    ...complianceSources(s.compliance.report),
    'cmp-focus': focusSource(s.compliance.report, s.compliance.focusId),
    'scn-compare': compareSource(s),
    'road-rules': roadRulesSource(s),
    'hyd-gaps': hydrantGaps(s),
    'hyd-proposed': proposedHydrants(s),
    'opt-sites': selectSuggestedSites(s),
  };
}
