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
 * The last keys computed, each with what it was computed from: the parts read from the state (compared by identity)
 * and the station objects (compared one by one by identity; stations are never changed in place). Panels ask for
 * the key of an unchanged scenario on every store change (a drag step makes several); a hit costs a comparison of
 * the station references instead of a fingerprint of every station.
 */
interface KeyMemo { parts: unknown[]; stations: Station[] | null; key: string }
const MEMO_SIZE = 8;
const memo: KeyMemo[] = [];

const sameStations = (a: Station[] | null, b: Station[] | null): boolean =>
  a === b || (!!a && !!b && a.length === b.length && a.every((st, i) => st === b[i]));

/**
 * The key of a report of these stations under the current state (stations null: the key of the settings alone,
 * which changes whenever any report's inputs other than its stations change).
 */
export function verdictKeyOf(s: PlannerState, stations: Station[] | null, settings: AnalysisSettings): string {
  const imported = importedHere(s);
  const net = selectNetworkReady(s) ? s.network?.info?.version ?? 'network' : null;
  const parts = [s.placeId ?? null, net, s.profileJson ?? null, s.peak, s.vehicleId ?? null, selectVehicleFigures(s), standardId(s), districtMode(s), imported?.fileName ?? null, imported?.assign ?? null, JSON.stringify(settings)];
  // (the import's name and assignment, what the key is made of, not the import itself: a removed file's parsed
  // districts are not kept alive by the memo)
  const hit = memo.findIndex((m) => m.parts.every((x, i) => Object.is(x, parts[i])) && sameStations(m.stations, stations));
  if (hit >= 0) {
    const m = memo[hit];
    if (hit > 0) memo.unshift(...memo.splice(hit, 1));
    return m.key;
  }
  const key = verdictKey({
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
  memo.unshift({ parts, stations: stations ? [...stations] : null, key });
  if (memo.length > MEMO_SIZE) memo.pop();
  return key;
}

/** The live check's key: the open scenario's stations shown, with coverage when the network is loaded. */
export const selectLiveKey = (s: PlannerState): string => verdictKeyOf(s, selectRoutingStations(s), { coverage: selectNetworkReady(s) });

/** Selector: the key of everything but the stations (components re-run their analyses when it changes). */
export const selectSettingsKey = (s: PlannerState): string => verdictKeyOf(s, null, { coverage: false });
