/**
 * The one zustand store, made of small slices. Derived values live in selectors.ts (memoised),
 * never as stored copies. Async work (data loading, worker calls) goes through src/data.
 */
import { create } from 'zustand';
import type { FeatureCollection } from 'geojson';
import type { LonLat, PlaceMeta } from '../core/types';
import type { GraphInfo, IsochroneResult, ProgressInfo, RouteResult } from '../worker/protocol';
import type { PlaceReport } from '../core/compliance/report';
import type { History, Scenario } from '../core/scenario';
import type { StationClass } from '../core/types';
import type { PlaceData } from '../data/places';
import type { Lang } from '../i18n';

/** A bilingual message; `detail` is untranslated technical text (shown as text only). */
export interface Msg {
  key: string;
  params?: Record<string, string | number>;
  detail?: string;
  zh?: string;
  en?: string;
}

export type LayerId =
  | 'boundary' | 'districts' | 'water' | 'roads' | 'stations' | 'plan' | 'hydrants' | 'pois' | 'estimate' | 'isochrone' | 'route' | 'compliance';

/** Isochrone bands, minutes of travel (4 = the 建标152-2017 travel limit). */
export const BANDS_MIN = [2, 3, 4, 6];

export const LAYER_IDS: LayerId[] = ['boundary', 'districts', 'water', 'roads', 'stations', 'plan', 'hydrants', 'pois', 'estimate', 'isochrone', 'route', 'compliance'];

export type Selection =
  | { kind: 'station' | 'hydrant' | 'water-intake' | 'district' | 'poi'; props: Record<string, unknown>; lngLat: LonLat }
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
  result?: IsochroneResult;
  error?: Msg;
}

export interface RouteState {
  to?: LonLat;
  busy: boolean;
  result?: RouteResult;
  error?: Msg;
}

export type DistrictMode = 'auto' | 'towns' | 'given';

export interface ComplianceState {
  standardId: string;
  /** null: chosen from the data (given districts when the place has them, else automatic). */
  districtMode: DistrictMode | null;
  busy: boolean;
  report?: PlaceReport;
  error?: Msg;
  /** Station highlighted in the table / on the map. */
  focusId?: string;
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
  compliance: ComplianceState;
  /** The planner's variant of the current place's stations, with undo history (null until the place loads). */
  scenario: History<Scenario> | null;
  /** Class of the station the next map click adds (null: not placing). */
  placing: StationClass | null;
  /** A station is being dragged (heavy re-computation waits for the drop). */
  dragging: boolean;
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
  layers: { boundary: true, districts: true, water: true, roads: true, stations: true, plan: true, hydrants: true, pois: false, estimate: true, isochrone: true, route: true, compliance: true },
  selection: null,
  iso: { stationIds: [], all: false, busy: false },
  route: { busy: false },
  peak: false,
  profileName: '',
  compliance: { standardId: '', districtMode: null, busy: false },
  scenario: null,
  placing: null,
  dragging: false,
});

export const useStore = create<PlannerStore>()((set) => ({
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
}));

export type StoreApi = typeof useStore;
