/** Compliance check (district-edge response test, area, coverage, barriers) via the worker's `evaluate`. */
import type { FeatureCollection, MultiPolygon, Polygon, Position } from 'geojson';
import type { AreaCollection, AreaGeometry, Station } from '../core/types';
import type { EvaluateRequest } from '../core/compliance/evaluate';
import { placeBarriers } from '../core/compliance/barriers';
import { isStale, planner } from '../data/planner';
import { errorMsg } from '../i18n/msg';
import { standardChoices } from '../data/standards';
import { deleteDistrictImport, loadDistrictImport, MAX_DISTRICT_BYTES, parseDistrictFile, saveDistrictImport } from '../data/districtImport';
import { useStore, type DistrictMode, type ImportedDistricts, type PlannerState } from './index';
import { selectNetworkReady, selectPlace, selectRoutingStations } from './selectors';
import { verdictKeyOf } from './verdictKey';
import { noteLiveReport } from './roadRules';
import { selectRail, selectWater } from './water';

const get = () => useStore.getState();
let seq = 0;

function hasStationIds(fc: FeatureCollection | undefined): boolean {
  return !!fc && fc.features.length > 0 && fc.features.every((f) => typeof f.properties?.stationId === 'string');
}

/** District modes the data allows: given (polygons with a station id), towns (town polygons), automatic. */
export function districtModes(s: PlannerState): DistrictMode[] {
  const d = s.placeData.districts;
  const modes: DistrictMode[] = [];
  if (hasStationIds(d)) modes.push('given');
  modes.push('auto');
  if (d && d.features.length > 1 && !hasStationIds(d)) modes.push('towns');
  if (importedHere(s)) modes.push('imported');
  return modes;
}

export function districtMode(s: PlannerState): DistrictMode {
  const modes = districtModes(s);
  const chosen = s.compliance.districtMode;
  return chosen && modes.includes(chosen) ? chosen : modes[0];
}

export function standardId(s: PlannerState): string {
  const list = standardChoices();
  return list.find((c) => c.id === s.compliance.standardId)?.id ?? list[0]?.id ?? '';
}

/** The planning area as one geometry (all boundary polygons together). */
export function planningArea(fc: FeatureCollection | undefined): AreaGeometry | null {
  if (!fc) return null;
  const polys: Position[][][] = [];
  for (const f of fc.features) {
    const g = f.geometry as Polygon | MultiPolygon | null;
    if (g?.type === 'Polygon') polys.push(g.coordinates);
    else if (g?.type === 'MultiPolygon') polys.push(...g.coordinates);
  }
  if (!polys.length) return null;
  return polys.length === 1 ? { type: 'Polygon', coordinates: polys[0] } : { type: 'MultiPolygon', coordinates: polys };
}

/** A station as plain data (what the worker and the verdict key see). */
export function plainStation(st: Station): Station {
  const { id, name, nameEn, stationClass, status, phase, position, example, source, lon, lat } = st;
  return { id, name, ...(nameEn ? { nameEn } : {}), stationClass, status, ...(phase ? { phase } : {}), position, ...(example ? { example } : {}), source: String(source ?? ''), lon, lat };
}

/**
 * The worker's evaluate request for these stations under the current settings (standard, district mode, network,
 * barriers), or null when the place cannot be checked. Without a loaded network the worker uses the straight-line
 * estimate.
 */
export function evaluateRequestFor(s: PlannerState, stations: Station[], coverage: boolean): EvaluateRequest | null {
  const area = planningArea(s.placeData.boundary);
  const std = standardChoices().find((c) => c.id === standardId(s));
  if (!s.placeId || !area || !std) return null;
  const mode = districtMode(s);
  const districts = s.placeData.districts as AreaCollection | undefined;
  const imported = importedHere(s);
  return {
    placeId: selectNetworkReady(s) ? s.placeId : undefined,
    stations: stations.map(plainStation),
    planningArea: area,
    districts: mode === 'imported' && imported ? { mode: 'given', polygons: importedPolygons(imported) }
      : mode === 'given' && districts ? { mode: 'given', polygons: districts }
        : mode === 'towns' && districts ? { mode: 'towns', towns: districts } : { mode: 'auto' },
    standard: std.json,
    barriers: barrierLines({ water: selectWater(s) ?? undefined, rail: selectRail(s) ?? undefined }),
    options: { coverage },
  };
}

/**
 * The live check of the open scenario's stations. Its report carries its verdict key: a call whose key equals the
 * report's (nothing it depends on changed) returns at once.
 */
export async function runCompliance(): Promise<void> {
  const s = get();
  // Coverage (pockets, second-due) costs time; the straight-line estimate of a whole district skips it.
  const stations = selectRoutingStations(s);
  const coverage = selectNetworkReady(s);
  const req = evaluateRequestFor(s, stations, coverage);
  if (!req) return;
  const key = verdictKeyOf(s, stations, { coverage }); // = selectLiveKey(s)
  const cur = s.compliance;
  if (cur.reportKey === key && (cur.busy || cur.report)) return;
  const my = ++seq;
  const placeId = s.placeId;
  s.set({ compliance: { ...cur, busy: true, error: undefined, reportKey: key } });
  try {
    const client = await planner();
    const res = await client.evaluate(req);
    if (my !== seq || isStale(res) || get().placeId !== placeId) return;
    get().set({ compliance: { ...get().compliance, busy: false, report: res, reportKey: key, error: undefined } });
    noteLiveReport(s, res);
  } catch (e) {
    if (my !== seq) return;
    get().set({ compliance: { ...get().compliance, busy: false, report: undefined, reportKey: undefined, error: errorMsg(e) } });
  }
}

const barrierMemo = new WeakMap<object, WeakMap<object, FeatureCollection>>();
/**
 * Barrier lines for the GB 51080 §4.1.3 check: water and surface railways of the place, merged once per loaded
 * place data (no new array on every check).
 */
export function barrierLines(d: PlannerState['placeData']): FeatureCollection | undefined {
  if (!d.rail || !d.water) return placeBarriers(d.water, d.rail);
  // keyed by both layers: an imported extract may replace the rail and keep the place's water (or the reverse)
  let byRail = barrierMemo.get(d.water);
  if (!byRail) barrierMemo.set(d.water, (byRail = new WeakMap()));
  let fc = byRail.get(d.rail);
  if (!fc) byRail.set(d.rail, (fc = placeBarriers(d.water, d.rail)!));
  return fc;
}

export function resetCompliance(): void {
  seq++;
  const c = get().compliance;
  get().set({ compliance: { standardId: c.standardId, districtMode: c.districtMode, busy: false } });
  const placeId = get().placeId;
  if (placeId) {
    void loadDistrictImport(placeId).then((rec) => {
      if (rec && get().placeId === placeId) patchCompliance({ imported: rec });
    });
  }
}

/** Sets some fields of the compliance state. */
export const patchCompliance = (p: Partial<PlannerState['compliance']>) => get().set({ compliance: { ...get().compliance, ...p } });

/** The imported districts of the current place, if any. */
export function importedHere(s: PlannerState): ImportedDistricts | undefined {
  const d = s.compliance.imported;
  return d && d.placeId === s.placeId ? d : undefined;
}

/** Polygons of an import with their assigned station as `stationId` (unassigned and non-polygon features left out). */
export function importedPolygons(d: ImportedDistricts): AreaCollection {
  const features = d.fc.features.flatMap((f, i) => {
    const sid = d.assign[i];
    const g = f?.geometry;
    if (!sid || !g || (g.type !== 'Polygon' && g.type !== 'MultiPolygon')) return [];
    const p = f.properties ?? {};
    const name = typeof p.name === 'string' ? p.name : `#${i + 1}`;
    return [{ type: 'Feature' as const, geometry: g, properties: { ...p, id: `imported-${i}`, name, stationId: sid } }];
  });
  return { type: 'FeatureCollection', features };
}

/** Reads a GeoJSON file of district polygons for the current place; on success switches to the imported mode. */
export async function importDistrictFile(file: File): Promise<void> {
  const s = get();
  const place = selectPlace(s);
  if (!place) return;
  if (file.size > MAX_DISTRICT_BYTES) {
    patchCompliance({ importError: { key: 'compliance.importTooBig', params: { name: file.name, mb: Math.round(file.size / 1048576), max: MAX_DISTRICT_BYTES / 1048576 } } });
    return;
  }
  try {
    const text = await file.text();
    const stations = selectRoutingStations(get()).map(({ id, name, lon, lat }) => ({ id, name, lon, lat }));
    const rec = parseDistrictFile(text, file.name, place.id, stations, place.bbox);
    if (get().placeId !== place.id) return;
    patchCompliance({ imported: rec, importError: undefined, districtMode: 'imported' });
    await saveDistrictImport(rec).catch(() => undefined);
  } catch (e) {
    patchCompliance({ importError: errorMsg(e) });
  }
}

/** Assigns one imported polygon (feature index) to a station (null: none) and re-checks. */
export function assignDistrict(index: number, stationId: string | null): void {
  const d = importedHere(get());
  if (!d) return;
  const rec = { ...d, assign: d.assign.map((a, i) => (i === index ? stationId : a)) };
  patchCompliance({ imported: rec });
  void saveDistrictImport(rec).catch(() => undefined);
  if (districtMode(get()) === 'imported') void runCompliance();
}

export async function clearImportedDistricts(): Promise<void> {
  const id = get().placeId;
  if (!id) return;
  await deleteDistrictImport(id);
  patchCompliance({ imported: undefined, importError: undefined, districtMode: null });
}
