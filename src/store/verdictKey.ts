/**
 * The verdict key of the store: what a compliance report depends on — place, network version, speed profile,
 * peak, road-rules vehicle, standard, districts, stations and settings — as one string (core verdictKey). The live check, the
 * before / after panel and the comparison key their reports with it, so any change (an edited speed profile, an
 * imported network, a moved station) gives a new key and a recomputed report, and an unchanged key reuses one.
 */
import { verdictKey } from '../core/compliance/cache';
import type { Station } from '../core/types';
import type { PlannerState } from './index';
import { districtMode, importedHere, plainStation, standardId } from './compliance';
import { selectNetworkReady, selectRoutingStations } from './selectors';
import { selectVehicleFigures } from './roadRules';

export interface AnalysisSettings {
  /** Coverage (reached road / area, pockets) computed too. */
  coverage: boolean;
}

/**
 * The key of a report of these stations under the current state (stations null: the key of the settings alone,
 * which changes whenever any report's inputs other than its stations change).
 */
export function verdictKeyOf(s: PlannerState, stations: Station[] | null, settings: AnalysisSettings): string {
  const imported = importedHere(s);
  const net = selectNetworkReady(s) ? s.network?.info?.version ?? 'network' : null;
  return verdictKey({
    placeId: s.placeId ?? null,
    networkVersion: net,
    // the edited profile JSON; null = the default profile file
    profile: s.profileJson ?? null,
    peak: s.peak,
    // the road rules' vehicle (state field `vehicleId` of the UI's slice; null/absent = the rules' default vehicle)
    vehicleId: s.vehicleId ?? null,
    // the planner's figures of that vehicle (null: the rules file's)
    vehicleFigures: selectVehicleFigures(s),
    standard: standardId(s),
    districts: { mode: districtMode(s), imported: imported ? { file: imported.fileName, assign: imported.assign } : null },
    stations: stations ? stations.map(plainStation) : null,
    settings,
  });
}

/** The live check's key: the open scenario's stations shown, with coverage when the network is loaded. */
export const selectLiveKey = (s: PlannerState): string => verdictKeyOf(s, selectRoutingStations(s), { coverage: selectNetworkReady(s) });

/** Selector: the key of everything but the stations (components re-run their analyses when it changes). */
export const selectSettingsKey = (s: PlannerState): string => verdictKeyOf(s, null, { coverage: false });
