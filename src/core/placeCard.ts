/**
 * A place's data card: what each data layer holds (roads km, water, railways, stations, hydrants, POIs), where it
 * comes from and when, and what is missing. Pure: from the place's meta (place.json) and layers, or from an imported
 * extract (its file name and import date). A layer is "missing" when the data have no feature of it at all (no file,
 * or an empty one): an extract fetched with roads only says nothing about water, so the barrier check must not read
 * an empty layer as "no barrier". `dataGaps` lists the missing layers the barrier check needs (water, railways).
 */
import type { FeatureCollection, Geometry, Position } from 'geojson';
import * as turf from '@turf/turf';
import { haversineM } from './geo';
import type { PlaceMeta } from './types';

export type CardLayer = 'roads' | 'water' | 'rail' | 'stations' | 'hydrants' | 'pois';

export interface CardRow {
  layer: CardLayer;
  /** No feature of this layer in the data. */
  missing: boolean;
  /** The figures of the layer (units in the names). */
  values: {
    km?: number;
    areaKm2?: number;
    lineKm?: number;
    sea?: boolean;
    existing?: number;
    planned?: number;
    example?: number;
    hydrants?: number;
    intakes?: number;
    count?: number;
  };
  /** Source file (or data set) of the layer; '' when unknown. */
  source: string;
  /** Date of the data: YYYY-MM-DD, YYYY, or '' when unknown. */
  date: string;
}

export interface DataGap {
  layer: 'water' | 'rail';
  code: 'water-data-missing' | 'rail-data-missing';
  zh: string;
  en: string;
}

export interface PlaceCard {
  placeId: string;
  rows: CardRow[];
  dataGaps: DataGap[];
}

export interface CardInput {
  meta: Pick<PlaceMeta, 'id' | 'notes' | 'attribution'>;
  layers: Partial<Record<'roads' | 'water' | 'rail' | 'facilities' | 'plan' | 'pois', FeatureCollection | null>>;
  /** An imported OSM extract replacing the place's own OSM layers (file name and import date, ISO). */
  imported?: { fileName: string; importedAt: string } | null;
}

export const GAP_TEXT: Record<DataGap['layer'], Omit<DataGap, 'layer'>> = {
  water: { code: 'water-data-missing', zh: '水系数据缺失 — 障碍检查不完整', en: 'Water data missing — barrier check incomplete' },
  rail: { code: 'rail-data-missing', zh: '铁路数据缺失 — 障碍检查不完整', en: 'Railway data missing — barrier check incomplete' },
};

const WATER_AREAS: ReadonlySet<string> = new Set(['water', 'riverbank', 'reservoir']);
const WATER_LINES: ReadonlySet<string> = new Set(['river', 'canal', 'stream']);

function linesOf(g: Geometry | null): Position[][] {
  if (!g) return [];
  if (g.type === 'LineString') return [g.coordinates];
  if (g.type === 'MultiLineString') return g.coordinates;
  return [];
}

const lineKm = (fc: FeatureCollection | null | undefined, keep: (p: Record<string, unknown>) => boolean): number => {
  let m = 0;
  for (const f of fc?.features ?? []) {
    if (!keep((f.properties ?? {}) as Record<string, unknown>)) continue;
    for (const l of linesOf(f.geometry)) for (let i = 1; i < l.length; i++) m += haversineM(l[i - 1][0], l[i - 1][1], l[i][0], l[i][1]);
  }
  return Math.round(m / 100) / 10;
};

const kindOf = (p: Record<string, unknown>) => String(p.kind ?? '');

/** The OSM file a built place's network comes from ("road network from <file>" in its notes), or ''. */
export function osmSourceOf(meta: Pick<PlaceMeta, 'notes'>): string {
  for (const n of meta.notes) {
    const m = /road network from (?:the user's OSM extract )?(\S+?)(?:,|$)/.exec(n);
    if (m) return m[1];
  }
  return '';
}

/** The date written in a file name: YYYY-MM-DD, else a year between 2000 and 2099, else ''. */
export function dateInName(name: string): string {
  const d = /(20\d\d-\d\d-\d\d)/.exec(name);
  if (d) return d[1];
  const y = /(?:^|[^0-9])(20\d\d)(?=[^0-9]|$)/.exec(name);
  return y ? y[1] : '';
}

/** The data card of a place. */
export function placeCard(input: CardInput): PlaceCard {
  const { layers } = input;
  const source = input.imported ? input.imported.fileName : osmSourceOf(input.meta);
  const date = input.imported ? input.imported.importedAt.slice(0, 10) : dateInName(source);
  const osm = { source, date };
  const facilities = layers.facilities?.features ?? [];
  const plan = layers.plan?.features ?? [];
  const count = (fs: typeof facilities, k: string) => fs.filter((f) => kindOf((f.properties ?? {}) as Record<string, unknown>) === k).length;

  const roadsKm = lineKm(layers.roads, (p) => p.cls !== 'ferry');
  const water = layers.water?.features ?? [];
  let areaM2 = 0;
  for (const f of water) if (WATER_AREAS.has(kindOf((f.properties ?? {}) as Record<string, unknown>)) && f.geometry) areaM2 += turf.area(f);
  const sea = water.some((f) => kindOf((f.properties ?? {}) as Record<string, unknown>) === 'sea');
  const waterLineKm = lineKm(layers.water, (p) => WATER_LINES.has(kindOf(p)));
  const waterUsable = water.some((f) => kindOf((f.properties ?? {}) as Record<string, unknown>) !== 'harbour');
  const railKm = lineKm(layers.rail, () => true);
  const existing = count(facilities, 'station');
  const planned = plan.filter((f) => f.properties?.kind === 'station' && !f.properties?.example).length;
  const example = plan.filter((f) => f.properties?.example === true).length;
  const hydrants = count(facilities, 'hydrant'), intakes = count(facilities, 'water-intake');
  const pois = layers.pois?.features.length ?? 0;

  const rows: CardRow[] = [
    { layer: 'roads', missing: !(layers.roads?.features.length), values: { km: roadsKm }, ...osm },
    { layer: 'water', missing: !waterUsable, values: { areaKm2: Math.round(areaM2 / 1e3) / 1e3, lineKm: waterLineKm, sea }, ...osm },
    { layer: 'rail', missing: !(layers.rail?.features.length), values: { km: railKm }, ...osm },
    { layer: 'stations', missing: existing + planned + example === 0, values: { existing, planned, example }, ...(existing ? osm : { source: '', date: '' }) },
    { layer: 'hydrants', missing: hydrants + intakes === 0, values: { hydrants, intakes }, ...osm },
    { layer: 'pois', missing: pois === 0, values: { count: pois }, ...osm },
  ];
  for (const r of rows) if (r.missing && r.layer !== 'stations') { r.source = ''; r.date = ''; }
  const dataGaps: DataGap[] = (['water', 'rail'] as const)
    .filter((l) => rows.find((r) => r.layer === l)!.missing)
    .map((layer) => ({ layer, ...GAP_TEXT[layer] }));
  return { placeId: input.meta.id, rows, dataGaps };
}

const LABEL: Record<CardLayer, [string, string]> = {
  roads: ['道路（可通行）', 'Roads (drivable)'],
  water: ['水系', 'Water'],
  rail: ['铁路', 'Railways'],
  stations: ['消防站', 'Fire stations'],
  hydrants: ['消火栓 + 取水点', 'Hydrants + water intakes'],
  pois: ['选址相关地点', 'Siting POIs'],
};

/** A row's label and figures as text in one language (the CLI table and the app use the same words). */
export function cardRowText(r: CardRow, lang: 'zh' | 'en'): { label: string; value: string; source: string } {
  const zh = lang === 'zh';
  const v = r.values;
  let value: string;
  if (r.missing) value = zh ? '缺失' : 'missing';
  else if (r.layer === 'roads' || r.layer === 'rail') value = `${v.km} km`;
  else if (r.layer === 'water')
    value = zh ? `面 ${v.areaKm2} km²，线 ${v.lineKm} km，海域：${v.sea ? '有' : '无'}` : `areas ${v.areaKm2} km², lines ${v.lineKm} km, sea: ${v.sea ? 'yes' : 'no'}`;
  else if (r.layer === 'stations')
    value = zh ? `现状 ${v.existing}，规划 ${v.planned}${v.example ? `，示例 ${v.example}` : ''}` : `existing ${v.existing}, planned ${v.planned}${v.example ? `, example ${v.example}` : ''}`;
  else if (r.layer === 'hydrants') value = zh ? `消火栓 ${v.hydrants}，取水点 ${v.intakes}` : `hydrants ${v.hydrants}, intakes ${v.intakes}`;
  else value = String(v.count);
  const source = r.source ? `${r.source}${r.date ? ` (${r.date})` : ''}` : '—';
  return { label: LABEL[r.layer][zh ? 0 : 1], value, source };
}
