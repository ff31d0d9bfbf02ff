/**
 * The offline map style: our own GeoJSON sources and layer specs as data. No remote tiles, sprites or glyphs:
 * labels are drawn by MapLibre with local fonts (no `glyphs` URL), symbols are circles or canvas images.
 */
import type { ExpressionSpecification, LayerSpecification, SourceSpecification, StyleSpecification } from 'maplibre-gl';
import type { Lang } from '../i18n';
import type { LayerId } from '../store';

export const FONT = ['WenQuanYi Zen Hei'];
export const LOCAL_CJK_FONT = "'WenQuanYi Zen Hei', 'Noto Sans CJK SC', 'Microsoft YaHei', 'PingFang SC', sans-serif";

/** Fill colour per station class (legend reads the same table). */
export const CLASS_COLOURS: Record<string, string> = {
  '特勤': '#6a1b9a',
  '一级': '#c62828',
  '二级': '#ef6c00',
  '小型': '#c79100',
  '乡镇一级': '#ad1457',
  '乡镇二级': '#00838f',
};
export const DEFAULT_STATION_COLOUR = '#b71c1c';

export const ROAD_STYLE: { cls: string[]; colour: string; width: number; group: 'major' | 'minor' | 'local' }[] = [
  { cls: ['motorway', 'motorway_link'], colour: '#e0533a', width: 4, group: 'major' },
  { cls: ['trunk', 'trunk_link'], colour: '#ef8a4c', width: 3.6, group: 'major' },
  { cls: ['primary', 'primary_link'], colour: '#f4b349', width: 3.2, group: 'major' },
  { cls: ['secondary', 'secondary_link'], colour: '#f7d774', width: 2.6, group: 'minor' },
  { cls: ['tertiary', 'tertiary_link'], colour: '#fffbe6', width: 2.2, group: 'minor' },
  { cls: ['unclassified', 'residential', 'living_street'], colour: '#ffffff', width: 1.6, group: 'local' },
  { cls: ['service', 'track'], colour: '#ffffff', width: 1, group: 'local' },
];

/** Isochrone bands in minutes of travel and their colours (4 min = the standard's limit). */
export const BAND_COLOURS: Record<number, string> = { 2: '#1b7837', 3: '#5aae61', 4: '#a6dba0', 6: '#f4a582' };

/** Compliance verdict colours (legend reads the same table). */
export const VERDICT_COLOURS: Record<'pass' | 'fail' | 'no-district', string> = { pass: '#2e7d32', fail: '#c62828', 'no-district': '#757575' };
/**
 * Issue 14: a failing district and the area a station does not reach in time were the same pink. A failing
 * district is now a red outline over a faint red wash; the not-reached area is orange, clearly another hue (the
 * legend's swatches should read these two). Block interiors have no roads and stay uncoloured (legend note).
 */
export const FAIL_DISTRICT_FILL_OPACITY = 0.05;
export const POCKET_COLOUR = '#f57c00';
export const POCKET_FILL_OPACITY = 0.4;
/** A barrier a district straddles (dashed; the legend reads it too). */
export const BARRIER_COLOUR = '#ff8f00';
/** Road rules for the chosen vehicle (issue #17): a road closed to it (dashed) and a barrier that blocks it (dot). */
export const ROAD_RULE_COLOURS = { closed: '#d81b60', limit: '#8e24aa', barrier: '#212121', barrierRing: '#ffd600' };

/** Hydrant audit: a road stretch beyond the hydrants' protection radius (dashed; the legend reads it too). */
export const HYDRANT_GAP_COLOUR = '#e53935';

export const COLOURS = {
  background: '#f3f0e8',
  water: '#a9d3e4',
  /** The sea, assembled from the OSM coastline (a little deeper than inland water). */
  sea: '#8fc3dc',
  rail: '#55514b',
  waterLine: '#6fa8c6',
  boundary: '#4a2377',
  district: '#7c6a9c',
  hydrant: '#1565c0',
  intake: '#00838f',
  estimate: '#d84315',
  route: '#0d47a1',
  poi: '#7b1fa2',
  poiHazard: '#212121',
};

const roadColour: ExpressionSpecification = [
  'match', ['get', 'cls'],
  ...ROAD_STYLE.flatMap((r) => [r.cls, r.colour]),
  '#ffffff',
] as unknown as ExpressionSpecification;

const roadWidthByClass: ExpressionSpecification = [
  'interpolate', ['exponential', 1.6], ['zoom'],
  10, ['match', ['get', 'cls'], ...ROAD_STYLE.flatMap((r) => [r.cls, r.width * 0.35]), 0.4],
  14, ['match', ['get', 'cls'], ...ROAD_STYLE.flatMap((r) => [r.cls, r.width]), 1],
  18, ['match', ['get', 'cls'], ...ROAD_STYLE.flatMap((r) => [r.cls, r.width * 4]), 4],
] as unknown as ExpressionSpecification;

/** Label text for the current language: English name where there is one, else the original name. */
export function nameField(lang: Lang): ExpressionSpecification {
  return lang === 'en' ? ['coalesce', ['get', 'nameEn'], ['get', 'name'], ''] : ['coalesce', ['get', 'name'], ''];
}
export function labelField(lang: Lang): ExpressionSpecification {
  return ['coalesce', ['get', lang === 'en' ? 'label_en' : 'label_zh'], ''];
}

const EMPTY: SourceSpecification = { type: 'geojson', data: { type: 'FeatureCollection', features: [] } };

export const SOURCE_IDS = ['boundary', 'districts', 'water', 'rail', 'roads', 'facilities', 'pois', 'estimate', 'iso-polygons', 'iso-lines', 'route', 'route-ends',
  'cmp-districts', 'cmp-pockets', 'cmp-failing', 'cmp-noaccess', 'cmp-barriers', 'cmp-worst', 'cmp-focus', 'scn-compare', 'road-rules',
  'hyd-gaps', 'hyd-proposed', 'opt-sites'] as const;
export type SourceId = (typeof SOURCE_IDS)[number];

const isStation: ExpressionSpecification = ['==', ['get', 'kind'], 'station'];
const isExisting: ExpressionSpecification = ['==', ['get', 'status'], 'existing'];
const stationFill: ExpressionSpecification = [
  'match', ['get', 'stationClass'], ...Object.entries(CLASS_COLOURS).flat(), DEFAULT_STATION_COLOUR,
] as unknown as ExpressionSpecification;

/** Layer specs, bottom to top (LABEL_LAYERS are the text layers whose field follows the language). */
export function buildLayers(lang: Lang): LayerSpecification[] {
  return [
    { id: 'background', type: 'background', paint: { 'background-color': COLOURS.background } },
    { id: 'boundary-fill', type: 'fill', source: 'boundary', paint: { 'fill-color': '#ffffff', 'fill-opacity': 0.55 } },
    // The sea from the coastline (kind 'sea') under inland water; harbour areas only name the sea and are not drawn.
    { id: 'sea-fill', type: 'fill', source: 'water', filter: ['==', ['get', 'kind'], 'sea'], paint: { 'fill-color': COLOURS.sea } },
    { id: 'water-fill', type: 'fill', source: 'water', filter: ['all', ['in', ['geometry-type'], ['literal', ['Polygon', 'MultiPolygon']]], ['!', ['in', ['get', 'kind'], ['literal', ['sea', 'harbour']]]]], paint: { 'fill-color': COLOURS.water } },
    { id: 'water-line', type: 'line', source: 'water', filter: ['in', ['geometry-type'], ['literal', ['LineString', 'MultiLineString']]], paint: { 'line-color': COLOURS.waterLine, 'line-width': ['interpolate', ['linear'], ['zoom'], 10, 0.8, 16, 3] } },
    // Surface railways (barriers of GB 51080 §4.1.3): a dark line with white ties.
    { id: 'rail-line', type: 'line', source: 'rail', paint: { 'line-color': COLOURS.rail, 'line-width': ['interpolate', ['linear'], ['zoom'], 10, 1, 16, 3] } },
    { id: 'rail-ties', type: 'line', source: 'rail', minzoom: 12, paint: { 'line-color': '#ffffff', 'line-width': ['interpolate', ['linear'], ['zoom'], 12, 0.8, 16, 1.6], 'line-dasharray': [2, 3] } },
    { id: 'districts-fill', type: 'fill', source: 'districts', paint: { 'fill-color': COLOURS.district, 'fill-opacity': 0.04 } },
    {
      id: 'cmp-districts-fill', type: 'fill', source: 'cmp-districts',
      paint: { 'fill-color': ['match', ['get', 'verdict'], 'pass', VERDICT_COLOURS.pass, 'fail', VERDICT_COLOURS.fail, VERDICT_COLOURS['no-district']], 'fill-opacity': ['match', ['get', 'verdict'], 'fail', FAIL_DISTRICT_FILL_OPACITY, 0.13] },
    },
    { id: 'cmp-pockets-fill', type: 'fill', source: 'cmp-pockets', paint: { 'fill-color': POCKET_COLOUR, 'fill-opacity': POCKET_FILL_OPACITY } },
    { id: 'estimate-fill', type: 'fill', source: 'estimate', paint: { 'fill-color': COLOURS.estimate, 'fill-opacity': 0.07 } },
    { id: 'estimate-line', type: 'line', source: 'estimate', paint: { 'line-color': COLOURS.estimate, 'line-width': 1.5, 'line-dasharray': [3, 2], 'line-opacity': 0.8 } },
    { id: 'roads-casing', type: 'line', source: 'roads', layout: { 'line-cap': 'round', 'line-join': 'round' }, paint: { 'line-color': '#a59f94', 'line-gap-width': roadWidthByClass, 'line-width': 0.7 } },
    { id: 'roads-line', type: 'line', source: 'roads', layout: { 'line-cap': 'round', 'line-join': 'round' }, paint: { 'line-color': roadColour, 'line-width': roadWidthByClass } },
    { id: 'iso-fill-6', type: 'fill', source: 'iso-polygons', filter: ['==', ['get', 'minutes'], 6], paint: { 'fill-color': BAND_COLOURS[6], 'fill-opacity': 0.35 } },
    { id: 'iso-fill-4', type: 'fill', source: 'iso-polygons', filter: ['==', ['get', 'minutes'], 4], paint: { 'fill-color': BAND_COLOURS[4], 'fill-opacity': 0.45 } },
    { id: 'iso-fill-3', type: 'fill', source: 'iso-polygons', filter: ['==', ['get', 'minutes'], 3], paint: { 'fill-color': BAND_COLOURS[3], 'fill-opacity': 0.45 } },
    { id: 'iso-fill-2', type: 'fill', source: 'iso-polygons', filter: ['==', ['get', 'minutes'], 2], paint: { 'fill-color': BAND_COLOURS[2], 'fill-opacity': 0.45 } },
    { id: 'iso-outline-4', type: 'line', source: 'iso-polygons', filter: ['==', ['get', 'minutes'], 4], paint: { 'line-color': '#1b5e20', 'line-width': 2 } },
    {
      id: 'iso-lines', type: 'line', source: 'iso-lines',
      paint: {
        'line-color': ['step', ['coalesce', ['get', 'seconds'], 0], BAND_COLOURS[2], 120, BAND_COLOURS[3], 180, BAND_COLOURS[4], 240, BAND_COLOURS[6]],
        'line-width': ['interpolate', ['linear'], ['zoom'], 11, 1.5, 16, 4],
      },
    },
    {
      id: 'cmp-districts-line', type: 'line', source: 'cmp-districts',
      paint: { 'line-color': ['match', ['get', 'verdict'], 'pass', VERDICT_COLOURS.pass, 'fail', VERDICT_COLOURS.fail, VERDICT_COLOURS['no-district']], 'line-width': ['match', ['get', 'verdict'], 'fail', 3, 1.5], 'line-opacity': 0.8 },
    },
    { id: 'cmp-noaccess-line', type: 'line', source: 'cmp-noaccess', paint: { 'line-color': '#616161', 'line-width': 3, 'line-dasharray': [1, 1.5] } },
    { id: 'cmp-failing-line', type: 'line', source: 'cmp-failing', layout: { 'line-cap': 'round' }, paint: { 'line-color': '#d50000', 'line-width': 4.5 } },
    // Barriers a district straddles (GB 51080 §4.1.3): the part of the river, railway or motorway inside it.
    { id: 'cmp-barriers-line', type: 'line', source: 'cmp-barriers', layout: { 'line-cap': 'round', 'line-join': 'round' }, paint: { 'line-color': BARRIER_COLOUR, 'line-width': 5, 'line-opacity': 0.85, 'line-dasharray': [2, 1] } },
    // Road rules for the chosen vehicle: size / weight limits it passes (thin dots), roads closed to it (dashed) and
    // the barriers that block it (small dots).
    {
      id: 'rules-limit-line', type: 'line', source: 'road-rules', filter: ['==', ['get', 'kind'], 'limit'], layout: { 'line-cap': 'round' },
      paint: { 'line-color': ROAD_RULE_COLOURS.limit, 'line-width': ['interpolate', ['linear'], ['zoom'], 12, 1.5, 16, 3], 'line-dasharray': [0.5, 2] },
    },
    {
      id: 'rules-closed-line', type: 'line', source: 'road-rules', filter: ['==', ['get', 'kind'], 'closed'],
      paint: { 'line-color': ROAD_RULE_COLOURS.closed, 'line-width': ['interpolate', ['linear'], ['zoom'], 12, 2, 16, 4], 'line-dasharray': [2, 1.5] },
    },
    {
      id: 'rules-barrier-circle', type: 'circle', source: 'road-rules', filter: ['==', ['get', 'kind'], 'barrier'],
      paint: { 'circle-radius': ['interpolate', ['linear'], ['zoom'], 12, 3.5, 16, 6], 'circle-color': ROAD_RULE_COLOURS.barrier, 'circle-stroke-color': ROAD_RULE_COLOURS.barrierRing, 'circle-stroke-width': 2 },
    },
    { id: 'districts-line', type: 'line', source: 'districts', paint: { 'line-color': COLOURS.district, 'line-width': 1.2, 'line-dasharray': [4, 2] } },
    { id: 'boundary-line', type: 'line', source: 'boundary', paint: { 'line-color': COLOURS.boundary, 'line-width': 2.5, 'line-dasharray': [6, 2, 1, 2] } },
    // The station opened in the compliance table: its district outline and its failing edge stretches, on top.
    { id: 'cmp-focus-line', type: 'line', source: 'cmp-focus', filter: ['==', ['get', 'part'], 'district'], paint: { 'line-color': '#212121', 'line-width': 3.5 } },
    { id: 'cmp-focus-failing-casing', type: 'line', source: 'cmp-focus', filter: ['==', ['get', 'part'], 'failing'], layout: { 'line-cap': 'round' }, paint: { 'line-color': '#ffffff', 'line-width': 9 } },
    { id: 'cmp-focus-failing', type: 'line', source: 'cmp-focus', filter: ['==', ['get', 'part'], 'failing'], layout: { 'line-cap': 'round' }, paint: { 'line-color': '#d50000', 'line-width': 6 } },
    { id: 'cmp-focus-barrier', type: 'line', source: 'cmp-focus', filter: ['==', ['get', 'part'], 'barrier'], layout: { 'line-cap': 'round', 'line-join': 'round' }, paint: { 'line-color': BARRIER_COLOUR, 'line-width': 7, 'line-dasharray': [2, 1] } },
    { id: 'route-casing', type: 'line', source: 'route', layout: { 'line-cap': 'round', 'line-join': 'round' }, paint: { 'line-color': '#ffffff', 'line-width': 8 } },
    { id: 'route-line', type: 'line', source: 'route', layout: { 'line-cap': 'round', 'line-join': 'round' }, paint: { 'line-color': COLOURS.route, 'line-width': 4.5 } },
    { id: 'route-ends', type: 'circle', source: 'route-ends', paint: { 'circle-radius': 6, 'circle-color': ['match', ['get', 'end'], 'to', '#ffffff', COLOURS.route], 'circle-stroke-color': COLOURS.route, 'circle-stroke-width': 3 } },
    {
      id: 'cmp-worst', type: 'circle', source: 'cmp-worst',
      paint: { 'circle-radius': 6, 'circle-color': '#ffffff', 'circle-stroke-color': '#d50000', 'circle-stroke-width': 3 },
    },
    {
      id: 'cmp-worst-label', type: 'symbol', source: 'cmp-worst',
      layout: { 'text-field': labelField(lang), 'text-font': FONT, 'text-size': 12, 'text-variable-anchor': ['left', 'right', 'top', 'bottom'], 'text-radial-offset': 0.9 },
      paint: { 'text-color': '#b71c1c', 'text-halo-color': '#ffffff', 'text-halo-width': 2 },
    },
    {
      id: 'roads-label', type: 'symbol', source: 'roads', minzoom: 13,
      layout: { 'symbol-placement': 'line', 'text-field': nameField(lang), 'text-font': FONT, 'text-size': 12, 'text-max-angle': 40, 'symbol-spacing': 320 },
      paint: { 'text-color': '#3d3a35', 'text-halo-color': '#ffffff', 'text-halo-width': 1.6 },
    },
    {
      id: 'water-label', type: 'symbol', source: 'water', minzoom: 12,
      layout: { 'symbol-placement': 'line', 'text-field': nameField(lang), 'text-font': FONT, 'text-size': 11 },
      paint: { 'text-color': '#2f6f93', 'text-halo-color': '#ffffff', 'text-halo-width': 1.2 },
    },
    {
      id: 'districts-label', type: 'symbol', source: 'districts',
      layout: { 'text-field': nameField(lang), 'text-font': FONT, 'text-size': ['interpolate', ['linear'], ['zoom'], 9, 12, 14, 16], 'text-padding': 4, 'text-variable-anchor': ['bottom', 'top', 'left', 'right'], 'text-radial-offset': 1.4 },
      paint: { 'text-color': '#4b3d66', 'text-halo-color': '#ffffff', 'text-halo-width': 2 },
    },
    {
      id: 'pois-circle', type: 'circle', source: 'pois',
      paint: {
        'circle-radius': 4,
        'circle-color': ['match', ['get', 'kind'], ['fuel', 'chemical'], COLOURS.poiHazard, COLOURS.poi],
        'circle-stroke-color': '#ffffff', 'circle-stroke-width': 1,
      },
    },
    {
      id: 'hydrants-circle', type: 'circle', source: 'facilities', filter: ['==', ['get', 'kind'], 'hydrant'],
      paint: {
        'circle-radius': ['interpolate', ['linear'], ['zoom'], 11, 2.5, 16, 5],
        'circle-color': ['case', isExisting, COLOURS.hydrant, '#ffffff'],
        'circle-stroke-color': COLOURS.hydrant, 'circle-stroke-width': 1.5,
      },
    },
    {
      id: 'intakes-symbol', type: 'symbol', source: 'facilities', filter: ['==', ['get', 'kind'], 'water-intake'],
      layout: { 'icon-image': 'intake', 'icon-allow-overlap': true },
    },
    // Hydrant audit (issue #13): road stretches beyond the protection radius, and the scenario's added hydrants.
    {
      id: 'hyd-gaps-line', type: 'line', source: 'hyd-gaps', layout: { 'line-cap': 'butt' },
      paint: { 'line-color': HYDRANT_GAP_COLOUR, 'line-width': ['interpolate', ['linear'], ['zoom'], 11, 1.5, 16, 4], 'line-dasharray': [2, 1], 'line-opacity': 0.85 },
    },
    {
      id: 'hyd-proposed-circle', type: 'circle', source: 'hyd-proposed',
      paint: {
        'circle-radius': ['interpolate', ['linear'], ['zoom'], 11, 4, 16, 7],
        'circle-color': ['case', ['==', ['get', 'kind'], 'water-intake'], COLOURS.intake, COLOURS.hydrant],
        'circle-stroke-color': '#ffffff', 'circle-stroke-width': 2,
      },
    },
    ...(['existing', 'planned'] as const).map((st): LayerSpecification => ({
      id: `approx-ring-${st}`, type: 'symbol', source: 'facilities',
      filter: ['all', isStation, st === 'existing' ? isExisting : ['!', isExisting],
        ['any', ['==', ['get', 'position'], 'approximate'], ['==', ['get', 'example'], true]]],
      layout: { 'icon-image': 'approx-ring', 'icon-allow-overlap': true, 'icon-ignore-placement': true },
    })),
    {
      id: 'stations-existing', type: 'circle', source: 'facilities', filter: ['all', isStation, isExisting],
      paint: { 'circle-radius': 8, 'circle-color': stationFill, 'circle-stroke-color': '#ffffff', 'circle-stroke-width': 2.5 },
    },
    {
      id: 'stations-planned', type: 'circle', source: 'facilities', filter: ['all', isStation, ['!', isExisting]],
      paint: { 'circle-radius': 7, 'circle-color': '#ffffff', 'circle-stroke-color': stationFill, 'circle-stroke-width': 4 },
    },
    // Scenario comparison (shown only while the planner asks for it): A = solid blue dot, B = orange ring.
    { id: 'scn-compare-a', type: 'circle', source: 'scn-compare', filter: ['==', ['get', 'side'], 'A'], paint: { 'circle-radius': 5, 'circle-color': '#1565c0', 'circle-stroke-color': '#ffffff', 'circle-stroke-width': 1.5 } },
    { id: 'scn-compare-b', type: 'circle', source: 'scn-compare', filter: ['==', ['get', 'side'], 'B'], paint: { 'circle-radius': 11, 'circle-color': 'rgba(0,0,0,0)', 'circle-stroke-color': '#ef6c00', 'circle-stroke-width': 3 } },
    ...(['existing', 'planned'] as const).map((st): LayerSpecification => ({
      id: `stations-label-${st}`, type: 'symbol', source: 'facilities',
      filter: ['all', isStation, st === 'existing' ? isExisting : ['!', isExisting]],
      layout: {
        'text-field': labelField(lang), 'text-font': FONT, 'text-size': ['interpolate', ['linear'], ['zoom'], 9, 11.5, 13, 13],
        'text-variable-anchor': ['top', 'bottom', 'right', 'left'], 'text-radial-offset': 1.1, 'text-justify': 'auto', 'text-max-width': 12,
      },
      paint: { 'text-color': st === 'existing' ? '#7f0000' : '#4a148c', 'text-halo-color': '#ffffff', 'text-halo-width': 2 },
    })),
    // Siting optimizer (issue #12): suggested sites as numbered markers (rank); hollow once added to the scenario.
    {
      id: 'opt-sites-circle', type: 'circle', source: 'opt-sites',
      paint: { 'circle-radius': 11, 'circle-color': ['case', ['==', ['get', 'added'], true], '#ffffff', OPT_COLOUR], 'circle-stroke-color': OPT_COLOUR, 'circle-stroke-width': 2.5 },
    },
    {
      id: 'opt-sites-label', type: 'symbol', source: 'opt-sites',
      layout: { 'text-field': ['to-string', ['get', 'rank']], 'text-font': FONT, 'text-size': 13, 'text-allow-overlap': true, 'text-ignore-placement': true },
      paint: { 'text-color': ['case', ['==', ['get', 'added'], true], OPT_COLOUR, '#ffffff'] },
    },
  ];
}

/** Colour of the optimizer's suggested sites (map markers, legend, chart). */
export const OPT_COLOUR = '#e65100';

/** Which map layers each toggle controls. */
export const LAYER_GROUPS: Record<LayerId, string[]> = {
  boundary: ['boundary-fill', 'boundary-line'],
  districts: ['districts-fill', 'districts-line', 'districts-label'],
  water: ['sea-fill', 'water-fill', 'water-line', 'water-label'],
  rail: ['rail-line', 'rail-ties'],
  roads: ['roads-casing', 'roads-line', 'roads-label'],
  stations: ['stations-existing', 'approx-ring-existing', 'stations-label-existing'],
  plan: ['stations-planned', 'approx-ring-planned', 'stations-label-planned'],
  hydrants: ['hydrants-circle', 'intakes-symbol', 'hyd-gaps-line', 'hyd-proposed-circle'],
  pois: ['pois-circle'],
  estimate: ['estimate-fill', 'estimate-line'],
  isochrone: ['iso-fill-6', 'iso-fill-4', 'iso-fill-3', 'iso-fill-2', 'iso-outline-4', 'iso-lines'],
  route: ['route-casing', 'route-line', 'route-ends'],
  compliance: ['cmp-districts-fill', 'cmp-pockets-fill', 'cmp-districts-line', 'cmp-noaccess-line', 'cmp-failing-line', 'cmp-barriers-line', 'cmp-worst', 'cmp-worst-label', 'cmp-focus-line', 'cmp-focus-failing-casing', 'cmp-focus-failing', 'cmp-focus-barrier'],
  roadRules: ['rules-limit-line', 'rules-closed-line', 'rules-barrier-circle'],
};

/** Text layers whose `text-field` depends on the language. */
export const LABEL_LAYERS: { id: string; field: (lang: Lang) => ExpressionSpecification }[] = [
  { id: 'roads-label', field: nameField },
  { id: 'water-label', field: nameField },
  { id: 'districts-label', field: nameField },
  { id: 'stations-label-existing', field: labelField },
  { id: 'stations-label-planned', field: labelField },
  { id: 'cmp-worst-label', field: labelField },
];

/**
 * Sources a station drag changes every step (issue #14): tiled only up to zoom 12 (512-px tiles, overzoomed beyond),
 * so a step re-tiles one to four tiles per source instead of ten or more at street zoom. Kept exact: geojson-vt does
 * not simplify at the source's maxzoom, and 8192 units per z12 tile still place a vertex within a pixel up to z16.
 */
export const DRAG_SOURCE_MAXZOOM: Partial<Record<SourceId, number>> = { 'iso-polygons': 12, 'iso-lines': 12, 'cmp-districts': 12, 'cmp-pockets': 12, 'cmp-failing': 12, 'cmp-noaccess': 12, 'cmp-worst': 12 };

/** `dragTiling: false` (the drag bench's `?perf=before` baseline) leaves every source at MapLibre's default maxzoom. */
export function buildStyle(lang: Lang, { dragTiling = true }: { dragTiling?: boolean } = {}): StyleSpecification {
  const maxzoom = (id: SourceId) => (dragTiling ? DRAG_SOURCE_MAXZOOM[id] : undefined);
  const sources = Object.fromEntries(SOURCE_IDS.map((id) => [id, maxzoom(id) ? { ...EMPTY, maxzoom: maxzoom(id) } : { ...EMPTY }])) as Record<string, SourceSpecification>;
  return { version: 8, name: 'fire-planner-offline', sources, layers: buildLayers(lang) };
}
