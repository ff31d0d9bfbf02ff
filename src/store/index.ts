/**
 * The one zustand store, made of small slices. Derived values live in selectors.ts (memoised),
 * never as stored copies. Async work (data loading, worker calls) goes through src/data.
 */
import { create } from 'zustand';
import type { FeatureCollection } from 'geojson';
import type { LonLat, PlaceMeta } from '../core/types';
import type { GraphInfo, IsochroneResult, ProgressInfo, RoadRulesInfo, RouteResult, VehicleFigures } from '../worker/protocol';
import type { PlaceReport } from '../core/compliance/report';
import type { History, Scenario } from '../core/scenario';
import type { Hydrant, StationClass } from '../core/types';
import type { PlaceData } from '../data/places';
import type { DistrictImport } from '../data/districtImport';
import type { SnapInfo } from '../worker/protocol';
import type { Lang } from '../i18n';
import type { MsgLike as Msg } from '../i18n/msg';
import { initialOptimizer, type OptimizerState } from './optimizerState';
import { freezable } from './freeze';

/**
 * A message: an i18n key with params, or an error's own fields (code, zh, en, file; see errorMsg in i18n/msg);
 * `detail` is untranslated technical text (shown as text only). The UI shows it with msgText in its language.
 */
export type { MsgLike as Msg } from '../i18n/msg';

export type LayerId =
  | 'boundary' | 'districts' | 'water' | 'rail' | 'roads' | 'stations' | 'plan' | 'hydrants' | 'pois' | 'estimate' | 'isochrone' | 'route' | 'compliance' | 'roadRules';

/** Isochrone bands, minutes of travel (4 = the 建标152-2017 travel limit). */
export const BANDS_MIN = [2, 3, 4, 6];

export const LAYER_IDS: LayerId[] = ['boundary', 'districts', 'water', 'rail', 'roads', 'stations', 'plan', 'hydrants', 'pois', 'estimate', 'isochrone', 'route', 'compliance', 'roadRules'];

export type Selection =
  | { kind: 'station' | 'hydrant' | 'water-intake' | 'district' | 'poi' | 'road-rule'; props: Record<string, unknown>; lngLat: LonLat }
  | { kind: 'point'; lngLat: LonLat };

export interface NetworkState {
  placeId: string;
  status: 'loading' | 'ready' | 'error';
  source: 'embedded' | 'imported';
  info?: GraphInfo;
  fileName?: string;
  error?: Msg;
}

export interface ImportedLayers {
  placeId: string;
  roads: FeatureCollection;
  facilities: FeatureCollection;
  /** The extract's water (with the sea) and surface railways (kept in IndexedDB with the import since issue #11). */
  water?: FeatureCollection;
  rail?: FeatureCollection;
}

export interface ImportState {
  status: 'idle' | 'running' | 'done' | 'error' | 'cancelled';
  fileName?: string;
  progress?: ProgressInfo;
  message?: Msg;
  warnings?: Msg[];
}

export interface IsoState {
  /** Station ids the isochrone is for (one, or all when `all`). */
  stationIds: string[];
  all: boolean;
  busy: boolean;
  /** Bands shown (minutes); BANDS_MIN when unset. */
  bandsMin?: number[];
  result?: IsochroneResult;
  error?: Msg;
}

export interface RouteState {
  to?: LonLat;
  /** Only these stations are candidate origins (e.g. the route to a district's worst point); all when unset. */
  onlyIds?: string[];
  busy: boolean;
  result?: RouteResult;
  error?: Msg;
}

export type DistrictMode = 'auto' | 'towns' | 'given' | 'imported';

/** District polygons imported by the planner (GeoJSON kept as read) and the station assigned to each feature. */
export type ImportedDistricts = DistrictImport;

export interface ComplianceState {
  standardId: string;
  /** null: chosen from the data (given districts when the place has them, else automatic). */
  districtMode: DistrictMode | null;
  busy: boolean;
  report?: PlaceReport;
  /** Verdict key (store/verdictKey.ts) of the report shown or being computed. */
  reportKey?: string;
  error?: Msg;
  /** Station highlighted in the table / on the map. */
  focusId?: string;
  /** Imported district polygons of the current place (mode 'imported'). */
  imported?: ImportedDistricts;
  importError?: Msg;
}

/** Id of the built-in scenario "规划原案 / plan as published" (the place data itself, read-only). */
export const PUBLISHED_ID = 'published';

/** An imported scenario waiting for the user's answer (same id or name as a stored one). */
export interface PendingImport {
  scenario: Scenario;
  conflictWith: { id: string; name: string };
  suggestedName: string;
  fileName: string;
}

export interface ScenarioIoState {
  status: 'idle' | 'error' | 'done' | 'ask';
  messages?: { zh: string; en: string }[];
  pending?: PendingImport;
}

/** A compliance report of a scenario's stations other than the live one (baseline, compare A / B). */
export interface SideReport {
  /** Verdict key (store/verdictKey.ts) of the report (or of the one being computed). */
  key: string;
  busy: boolean;
  report?: PlaceReport;
  error?: Msg;
}

export interface ScenarioCompareState {
  aId: string;
  bId: string;
  a?: SideReport;
  b?: SideReport;
  showOnMap: boolean;
  /** Which side the map shows (flip between A and B to see what moves), or a swipe view of B over the open scenario. */
  mapSide: 'both' | 'A' | 'B' | 'swipe';
  /** Swipe divider position, % of the map width. */
  split: number;
}

/** Road rules of the loaded network for one vehicle (issue #17): data-card rows and the map's closures. */
export interface RoadRulesState {
  placeId: string;
  /** Network version (GraphInfo.version) and vehicle these closures are for. */
  version: string;
  vehicleId: string;
  /** The planner's figures these closures are for (JSON; absent: the file's). */
  figures?: string;
  busy: boolean;
  info?: RoadRulesInfo;
  error?: Msg;
}

export interface PlannerState {
  lang: Lang;
  panelOpen: boolean;
  mapError: boolean;
  mapReady: boolean;
  places: PlaceMeta[];
  placesError?: Msg;
  placeId?: string;
  placeData: PlaceData;
  placeLoading: boolean;
  placeError?: Msg;
  network: NetworkState | null;
  imported: ImportedLayers | null;
  importState: ImportState;
  layers: Record<LayerId, boolean>;
  selection: Selection | null;
  iso: IsoState;
  route: RouteState;
  peak: boolean;
  profileName: string;
  /** The planner's edited speed profile JSON (null: the default profile file). */
  profileJson: unknown;
  compliance: ComplianceState;
  /** The planner's variant of the current place's stations, with undo history (null until the place loads). */
  scenario: History<Scenario> | null;
  /** Class of the station the next map click adds (null: not placing). */
  placing: StationClass | null;
  /** A station is being dragged (heavy re-computation waits for the drop). */
  dragging: boolean;
  /** User scenarios of the current place; the plan as published (PUBLISHED_ID) comes from the place data. */
  scenarios: Scenario[];
  activeScenarioId: string;
  /** Autosave to IndexedDB: time of the last successful save (ms), or the error. */
  scenarioSave: { status: 'idle' | 'pending' | 'saved' | 'error'; at?: number; error?: string };
  scenarioIo: ScenarioIoState;
  /** Plan timeline: the network as it stands in this year (null = every station of the scenario). */
  year: number | null;
  /** Compliance of the plan as published, for the before / after panel. */
  baseline: SideReport | null;
  /** The open scenario's compliance with coverage (reached road / area; the live check runs without coverage). */
  coverageNow: SideReport | null;
  compareScn: ScenarioCompareState;
  /** Nearest road to the selected proposed site (siting check: street frontage). */
  sitingRoad: { stationId: string; lon: number; lat: number; busy: boolean; snap?: SnapInfo | null; error?: Msg } | null;
  /** The fire engine routed and checked (road rules, issue #17); null = the rules' default vehicle. */
  vehicleId: string | null;
  /** A vehicle change is being applied (worker, comparison base, live check). */
  vehicleBusy?: boolean;
  vehicleError?: Msg;
  /** The default vehicle's live report and its key (store/roadRules.ts selectDefaultVehicleKey): what another vehicle is compared with. */
  vehicleBase: { key: string; report: PlaceReport } | null;
  /** The planner's figures per vehicle id (store/roadRules.ts editVehicle; absent: the rules file's), kept in localStorage. */
  vehicleEdits: Record<string, VehicleFigures>;
  roadRules: RoadRulesState | null;
  /** The hydrant inventory imported for the current place (issue #13: a water company's list), null: none. */
  hydrantInventory: HydrantInventory | null;
  /** The hydrant audit along the roads, suggestions and hydrant placing (store/hydrantAudit.ts); absent = not run. */
  hydrantAudit?: import('./hydrantAudit').HydrantAuditSlice;
  /** The siting optimizer's settings, run and result (store/optimizer.ts, issue #12). */
  optimizer: OptimizerState;
}

/** An imported hydrant / water-intake list, already converted to WGS84 (kept in IndexedDB per place). */
export interface HydrantInventory {
  placeId: string;
  fileName: string;
  /** The coordinate system the file was read in (the user's choice or the road-fit suggestion). */
  crs: 'wgs84' | 'gcj02' | 'bd09';
  importedAt: string;
  hydrants: Hydrant[];
}

export interface PlannerActions {
  set: (patch: Partial<PlannerState>) => void;
  setLang: (lang: Lang) => void;
  togglePanel: () => void;
  setLayer: (id: LayerId, on: boolean) => void;
  select: (sel: Selection | null) => void;
}

export type PlannerStore = PlannerState & PlannerActions;

function initialLang(): Lang {
  try {
    const q = new URLSearchParams(window.location.search).get('lang');
    if (q === 'en' || q === 'zh') return q;
    const saved = localStorage.getItem('planner.lang');
    if (saved === 'en' || saved === 'zh') return saved;
  } catch {
    /* no storage: default */
  }
  return 'zh';
}

export const initialState = (): PlannerState => ({
  lang: initialLang(),
  panelOpen: true,
  mapError: false,
  mapReady: false,
  places: [],
  placeData: {},
  placeLoading: false,
  network: null,
  imported: null,
  importState: { status: 'idle' },
  layers: { boundary: true, districts: true, water: true, rail: true, roads: true, stations: true, plan: true, hydrants: true, pois: false, estimate: true, isochrone: true, route: true, compliance: true, roadRules: true },
  selection: null,
  iso: { stationIds: [], all: false, busy: false },
  route: { busy: false },
  peak: false,
  profileName: '',
  profileJson: null,
  compliance: { standardId: '', districtMode: null, busy: false },
  scenario: null,
  placing: null,
  dragging: false,
  scenarios: [],
  activeScenarioId: PUBLISHED_ID,
  scenarioSave: { status: 'idle' },
  scenarioIo: { status: 'idle' },
  year: null,
  baseline: null,
  coverageNow: null,
  compareScn: { aId: PUBLISHED_ID, bId: '', showOnMap: false, mapSide: 'both', split: 50 },
  sitingRoad: null,
  vehicleId: null,
  vehicleBase: null,
  vehicleEdits: {},
  roadRules: null,
  hydrantInventory: null,
  optimizer: initialOptimizer(),
});

// freezable: while a station is dragged, hidden side-panel tabs stop re-rendering per step (./freeze.ts, issue #14)
export const useStore = freezable(create<PlannerStore>()((set) => ({
  ...initialState(),
  set: (patch) => set(patch),
  setLang: (lang) => {
    try {
      localStorage.setItem('planner.lang', lang);
    } catch {
      /* ignore */
    }
    set({ lang });
  },
  togglePanel: () => set((s) => ({ panelOpen: !s.panelOpen })),
  setLayer: (id, on) => set((s) => ({ layers: { ...s.layers, [id]: on } })),
  select: (selection) => set({ selection }),
})));
