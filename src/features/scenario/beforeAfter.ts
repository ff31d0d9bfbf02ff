/**
 * Before / after: what a scenario changes against the plan as published, read from the two compliance reports.
 * Districts are matched by their station id (one district per station).
 */
import type { PlaceReport, StationReport } from '../../core/compliance/report';

export interface StationDelta {
  id: string;
  name: string;
  nameEn?: string;
  before: StationReport | null;
  after: StationReport | null;
}

export interface BeforeAfter {
  newlyPassing: StationDelta[];
  newlyFailing: StationDelta[];
  /** Worst response time changed by at least a second (stations in both reports). */
  worstChanged: (StationDelta & { deltaS: number })[];
  /** District area now within the class limit (was over it, or a new station's district that is within). */
  nowWithinArea: StationDelta[];
  /** Road km / area reached in time by each district's own station, summed over the place (null: no coverage in a report). */
  roadKm: [number, number] | null;
  areaKm2: [number, number] | null;
  passing: [number, number];
  total: [number, number];
}

/** Road km and area reached within the limit by the districts' own stations (null: the report has no coverage). */
function reached(r: PlaceReport): { roadKm: number | null; areaKm2: number } | null {
  let road = 0;
  let hasRoad = false;
  let area = 0;
  let any = false;
  for (const st of r.stations) {
    const c = st.coverage;
    if (!c) continue;
    any = true;
    if (c.roadShare !== null) {
      hasRoad = true;
      road += c.roadShare * c.roadKm;
    }
    area += c.areaShare * (st.districtAreaKm2 ?? 0);
  }
  return any ? { roadKm: hasRoad ? road : null, areaKm2: area } : null;
}

/**
 * `after` gives the verdicts (it may be the live report, updated while dragging); `afterCoverage` (default `after`)
 * the reached road / area — the live check runs without coverage, so a report with coverage can be passed apart.
 */
export function beforeAfter(before: PlaceReport, after: PlaceReport, afterCoverage: PlaceReport = after): BeforeAfter {
  const b = new Map(before.stations.map((x) => [x.id, x]));
  const a = new Map(after.stations.map((x) => [x.id, x]));
  const ids = [...new Set([...b.keys(), ...a.keys()])];
  const delta = (id: string): StationDelta => {
    const x = a.get(id) ?? b.get(id)!;
    return { id, name: x.name, nameEn: x.nameEn, before: b.get(id) ?? null, after: a.get(id) ?? null };
  };
  const out: BeforeAfter = {
    newlyPassing: [], newlyFailing: [], worstChanged: [], nowWithinArea: [],
    roadKm: null, areaKm2: null,
    passing: [before.summary.passing, after.summary.passing],
    total: [before.summary.total, after.summary.total],
  };
  for (const id of ids) {
    const x = b.get(id);
    const y = a.get(id);
    if (y?.verdict === 'pass' && x?.verdict !== 'pass') out.newlyPassing.push(delta(id));
    if (x?.verdict === 'pass' && y && y.verdict !== 'pass') out.newlyFailing.push(delta(id));
    if (x && y && x.worstResponseSeconds !== null && y.worstResponseSeconds !== null && Math.abs(y.worstResponseSeconds - x.worstResponseSeconds) >= 1)
      out.worstChanged.push({ ...delta(id), deltaS: y.worstResponseSeconds - x.worstResponseSeconds });
    // Stations already there whose district shrank under its class limit (a new site says nothing here).
    if (x?.areaOk === false && y?.areaOk === true) out.nowWithinArea.push(delta(id));
  }
  out.worstChanged.sort((p, q) => p.deltaS - q.deltaS);
  const rb = reached(before);
  const ra = reached(afterCoverage);
  if (rb && ra) {
    out.roadKm = rb.roadKm === null || ra.roadKm === null ? null : [rb.roadKm, ra.roadKm];
    out.areaKm2 = [rb.areaKm2, ra.areaKm2];
  }
  return out;
}
