/**
 * The report input of a built place (public/data/<id>/), as the CLI makes it: the compliance check of
 * compliance/cli.ts (same arguments, same files, same CheckIO), plus the place meta, the boundary, the speed
 * profile, the plan timeline (geodata/plans, geodata/population.json) and the sources. File access goes through `io`.
 */
import type { FeatureCollection } from 'geojson';
import { plannerError, type Lang } from '../errors';
import { checkPlaceWithRules, readJson, type CheckArgs, type CheckIO } from '../compliance/cli';
import { parseProfile } from '../profile';
import { parseRoadRules, vehicleById } from '../roadRules';
import { activeStations, placeStations, scenarioFromGeoJSON } from '../scenario';
import { indicatorsForYear, staffPerClassFrom, targetsFromPlan, type PlanIndicatorRow } from '../timeline';
import type { PlaceMeta, Station } from '../types';
import type { ReportInput } from './build';
import type { HydrantAuditSummary } from './types';

export interface PlaceReportArgs {
  place: string;
  lang: Lang;
  /** YYYY-MM-DD. */
  date: string;
  /** A scenario file (GeoJSON exported by the app), path as `io` reads it. */
  scenario?: string;
  standard?: string;
  peak?: boolean;
  turns?: boolean;
  vehicle?: string;
  /** Plan-timeline year (default: the plan's last year, 2025). */
  year?: number;
  hydrants?: HydrantAuditSummary | null;
}

const TIMELINE_LAST = 2025;

/** Everything buildReport needs for a built place. Throws PlannerError (unknown-place, bad-scenario, …). */
export async function reportInputFromPlace(a: PlaceReportArgs, io: CheckIO): Promise<ReportInput> {
  if (!/^[a-z0-9-]+$/.test(a.place) || !(await io.exists(`public/data/${a.place}/place.json`)))
    throw plannerError('unknown-place', `未找到地点「${a.place}」`, `place "${a.place}" not found`, { file: `public/data/${a.place}/place.json` });
  const base = `public/data/${a.place}`;
  const meta = await readJson<PlaceMeta>(io, `${base}/place.json`);
  const readFc = async (name: keyof PlaceMeta['files']) => (meta.files[name] ? readJson<FeatureCollection>(io, `${base}/${meta.files[name]}`) : null);
  // As the app chooses first: the place's districts when each names its station ('given'), else automatic.
  const given = await readFc('districts');
  const hasIds = !!given && given.features.length > 0 && given.features.every((f) => typeof f.properties?.stationId === 'string');
  const args: CheckArgs = {
    place: a.place, standard: a.standard ?? 'jianbiao152-2017', districts: hasIds ? `${base}/${meta.files.districts}` : 'auto', stations: 'all',
    peak: !!a.peak, turns: a.turns ?? true, json: true, lang: a.lang, ...(a.scenario ? { scenario: a.scenario } : {}), ...(a.vehicle ? { vehicle: a.vehicle } : {}),
  };
  const { report } = await checkPlaceWithRules(args, io);

  let stations: Station[] = [...placeStations(await readFc('facilities')), ...placeStations(await readFc('plan'))];
  let scenario: ReportInput['scenario'] = null;
  if (a.scenario) {
    const parsed = scenarioFromGeoJSON(await io.readText(a.scenario), a.scenario);
    if (parsed.ok) {
      stations = activeStations(parsed.scenario);
      scenario = { name: parsed.scenario.name, published: false };
    }
  }
  const ids = new Set(report.stations.map((s) => s.id));
  stations = stations.filter((s) => ids.has(s.id));

  let profile: ReportInput['profile'] = null;
  let vehicle: ReportInput['settings']['vehicle'] = null;
  if (report.mode === 'network') {
    profile = parseProfile(await readJson(io, 'geodata/profiles/fire-engine.json'));
    const v = vehicleById(parseRoadRules(await readJson(io, 'geodata/profiles/road-rules.json'), 'geodata/profiles/road-rules.json'), a.vehicle);
    vehicle = { name: v.name, nameEn: v.nameEn };
  }

  // Plan timeline: only for a place with a plan or with phased planned stations (as the app's timeline panel).
  let timeline: ReportInput['timeline'] = null;
  const planPath = `geodata/plans/${a.place}.json`;
  const plan = (await io.exists(planPath)) ? await readJson<{ planTitle?: string; planTitleEn?: string; indicators?: PlanIndicatorRow[] }>(io, planPath) : null;
  if (plan || stations.some((s) => s.status === 'planned' && s.phase !== undefined)) {
    const pop = await readJson<{ places?: Record<string, { value: number | null; source: string | null }>; staffPerStationClass?: { classes?: unknown } }>(io, 'geodata/population.json');
    const year = a.year ?? TIMELINE_LAST;
    const p = pop.places?.[a.place];
    timeline = {
      indicators: indicatorsForYear({
        stations, population: p?.value ?? meta.population?.value ?? null, staffPerClass: staffPerClassFrom(pop.staffPerStationClass?.classes, 'min'),
        year, includeProposed: true, targets: plan ? targetsFromPlan(plan.indicators ?? [], year) : undefined,
      }),
      planTitle: plan ? (a.lang === 'en' ? plan.planTitleEn || plan.planTitle : plan.planTitle) ?? null : null,
      populationSource: p?.source ?? meta.population?.source ?? null,
    };
  }

  return {
    lang: a.lang,
    date: a.date,
    place: { id: meta.id, name: meta.name, nameEn: meta.nameEn, bbox: meta.bbox, attribution: meta.attribution, notes: meta.notes },
    report,
    stations,
    boundary: await readFc('boundary'),
    roads: await readFc('roads'),
    water: await readFc('water'),
    scenario,
    settings: { peak: !!a.peak, turns: a.turns ?? true, vehicle },
    profile,
    timeline,
    hydrants: a.hydrants ?? null,
  };
}
