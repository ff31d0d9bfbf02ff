/** The report input of what the app shows now: the live compliance report, the open scenario, the settings. */
import { parseProfile } from '../../core/profile';
import type { ReportInput } from '../../core/report/build';
import type { HydrantAuditSummary } from '../../core/report/types';
import { indicatorsForYear, staffPerClassFrom, targetsFromPlan } from '../../core/timeline';
import type { Lang } from '../../core/errors';
import { defaultProfile } from '../../data/profile';
import { planFor, populationFor, staffTable } from '../../data/plans';
import { PUBLISHED_ID, type PlannerState } from '../../store';
import { selectPlace, selectRoads, selectRoutingStations, selectScenario } from '../../store/selectors';

const TIMELINE_LAST = 2025;

const isoDate = (d: Date) => `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}-${String(d.getDate()).padStart(2, '0')}`;

/** null while there is no place or no compliance report yet. */
export function reportInputFromState(s: PlannerState, lang: Lang, now: Date, hydrants: HydrantAuditSummary | null = null): ReportInput | null {
  const place = selectPlace(s);
  const report = s.compliance.report;
  if (!place || !report || report.placeId !== place.id) return null;
  const ids = new Set(report.stations.map((x) => x.id));
  const stations = selectRoutingStations(s).filter((x) => ids.has(x.id));
  const scenario = selectScenario(s);
  let profile: ReportInput['profile'] = null;
  if (report.mode === 'network') {
    try {
      profile = parseProfile(s.profileJson ?? defaultProfile()?.json);
    } catch {
      profile = null; // an unreadable profile: the report says less, the verdicts stay
    }
  }
  const v = s.roadRules?.info?.vehicle;
  const plan = planFor(place.id);
  let timeline: ReportInput['timeline'] = null;
  if (scenario && (plan || scenario.stations.some((x) => x.status === 'planned' && x.phase !== undefined))) {
    const year = s.year ?? TIMELINE_LAST;
    const pop = populationFor(place.id);
    timeline = {
      indicators: indicatorsForYear({
        stations: scenario.stations, removedIds: scenario.removedIds, includeProposed: true, population: pop.value ?? place.population?.value ?? null,
        staffPerClass: staffPerClassFrom(staffTable().classes, 'min'), year, targets: plan ? targetsFromPlan(plan.indicators, year) : undefined,
      }),
      planTitle: plan ? (lang === 'en' ? plan.titleEn || plan.title : plan.title) : null,
      populationSource: pop.source ?? place.population?.source ?? null,
    };
  }
  return {
    lang,
    date: isoDate(now),
    place: { id: place.id, name: place.name, nameEn: place.nameEn, bbox: place.bbox, attribution: place.attribution, notes: place.notes },
    report,
    stations,
    boundary: s.placeData.boundary ?? null,
    roads: selectRoads(s) ?? null,
    water: s.placeData.water ?? null,
    scenario: scenario ? { name: scenario.name, published: s.activeScenarioId === PUBLISHED_ID } : null,
    settings: { peak: s.peak, turns: profile ? profile.turnRestrictions.value === 'obey' : true, vehicle: v ? { name: v.name, nameEn: v.nameEn } : null },
    profile,
    timeline,
    hydrants,
  };
}
