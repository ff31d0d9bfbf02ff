import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import type { Station, StationClass } from './types';
import { indicatorSeries, indicatorsForYear, staffPerClassFrom, stationsInYear, targetsFromPlan, type PlanIndicatorRow } from './timeline';

const root = resolve(__dirname, '../..');
const readJson = (p: string) => JSON.parse(readFileSync(resolve(root, p), 'utf8'));

const st = (id: string, status: Station['status'], stationClass: StationClass, phase?: number): Station => ({
  id, name: id, stationClass, status, position: 'approximate', source: 'test', lon: 112, lat: 22, ...(phase === undefined ? {} : { phase }),
});

describe('stationsInYear', () => {
  const list = [st('e', 'existing', '一级'), st('p21', 'planned', '二级', 2021), st('p23', 'planned', '小型', 2023), st('pNone', 'planned', '二级'), st('u', 'proposed', '一级')];
  it('existing + planned with phase ≤ year; planned without a year and proposed left out by default', () => {
    expect(stationsInYear(list, 2020).map((s) => s.id)).toEqual(['e']);
    expect(stationsInYear(list, 2021).map((s) => s.id)).toEqual(['e', 'p21']);
    expect(stationsInYear(list, 2022).map((s) => s.id)).toEqual(['e', 'p21']);
    expect(stationsInYear(list, 2023).map((s) => s.id)).toEqual(['e', 'p21', 'p23']);
    expect(stationsInYear(list, 2030).map((s) => s.id)).toEqual(['e', 'p21', 'p23']);
  });
  it('includes proposed on request and skips switched-off ids', () => {
    expect(stationsInYear(list, 2023, { includeProposed: true, removedIds: ['p21'] }).map((s) => s.id)).toEqual(['e', 'p23', 'u']);
  });
});

describe('indicatorsForYear', () => {
  const list = [st('a', 'existing', '一级'), st('b', 'existing', '二级'), st('c', 'planned', '小型', 2024)];
  it('computes per-100k and per-mille values against targets', () => {
    const r = indicatorsForYear({ stations: list, population: 200_000, staffPerClass: { 一级: 40, 二级: 20, 小型: 15 }, year: 2024, targets: { stationsPer100k: { value: 1.5 }, firefightersPerMille: { value: 0.4 } } });
    expect(r.stationCount).toBe(3);
    expect(r.countByClass).toEqual({ 一级: 1, 二级: 1, 小型: 1 });
    expect(r.firefighters).toBe(75);
    expect(r.indicators[0].value).toBeCloseTo(1.5, 10); // 3 / 200000 × 100000
    expect(r.indicators[0].met).toBe(true);
    expect(r.indicators[1].value).toBeCloseTo(0.375, 10); // 75 / 200000 × 1000
    expect(r.indicators[1].met).toBe(false);
  });
  it('compares at 2-decimal precision: 1.699 shows as 1.70 and meets ≥ 1.70', () => {
    const stations = Array.from({ length: 1699 }, (_, i) => st(`s${i}`, 'existing', '一级'));
    const r = indicatorsForYear({ stations, population: 100_000_000, staffPerClass: {}, year: 2025, targets: { stationsPer100k: { value: 1.7 } } });
    expect(r.indicators[0].value).toBeCloseTo(1.699, 10);
    expect(r.indicators[0].met).toBe(true);
    const r2 = indicatorsForYear({ stations: stations.slice(0, 1694), population: 100_000_000, staffPerClass: {}, year: 2025, targets: { stationsPer100k: { value: 1.7 } } });
    expect(r2.indicators[0].met).toBe(false); // 1.694 → 1.69
  });
  it('unknown staff for a class in service → firefighter indicator null with the class named', () => {
    const r = indicatorsForYear({ stations: list, population: 200_000, staffPerClass: { 一级: 40 }, year: 2020, targets: { firefightersPerMille: { value: 0.4 } } });
    expect(r.missingStaff).toEqual(['二级']);
    expect(r.firefighters).toBeNull();
    expect(r.indicators[1]).toMatchObject({ value: null, met: null });
    expect(r.indicators[1].note_zh).toContain('二级');
    expect(r.indicators[0].value).toBeCloseTo(1.0, 10); // 2 stations in 2020
  });
});

// ---- The two real plans (geodata/plans/*.json, geodata/population.json, written by the plans-data helper) ----
interface PlanItem extends Partial<Station> { kind: string }
const planStations = (place: string): Station[] =>
  (readJson(`geodata/plans/${place}.json`).items as PlanItem[])
    .filter((i) => i.kind === 'station')
    .map((i) => ({ id: i.id!, name: i.name!, stationClass: i.stationClass!, status: i.status!, phase: i.phase, position: i.position!, source: i.source ?? '', lon: i.lon!, lat: i.lat! }));
const population = readJson('geodata/population.json');
/** Lower ends of the staffing ranges in population.json (editable assumptions). */
const staffMin = staffPerClassFrom(population.staffPerStationClass.classes, 'min');

describe('清溪镇 (qingxi) indicators from the plan data', () => {
  const stations = planStations('qingxi');
  const rows = readJson('geodata/plans/qingxi.json').indicators as PlanIndicatorRow[];
  const pop = population.places.qingxi.value as number; // 344300 (34.43万)
  const at = (year: number) => indicatorsForYear({ stations, population: pop, staffPerClass: staffMin, year, targets: targetsFromPlan(rows, year) });

  it('station counts by year: 3 existing, +2 in 2022, +1 in 2023', () => {
    expect(pop).toBe(344300);
    expect([2020, 2021, 2022, 2023, 2024, 2025].map((y) => at(y).stationCount)).toEqual([3, 3, 5, 6, 6, 6]);
  });
  it('2021: 3 / 34.43万 = 0.871 per 100k < 1.6 (2023 target); staff 30+15+15 = 60 → 0.174‰ < 0.35‰', () => {
    const r = at(2021);
    expect(r.indicators[0].value).toBeCloseTo(0.871333, 5);
    expect(r.indicators[0].target).toEqual({ value: 1.6, year: 2023 });
    expect(r.indicators[0].met).toBe(false);
    expect(r.firefighters).toBe(60);
    expect(r.indicators[1].value).toBeCloseTo(0.174267, 5);
    expect(r.indicators[1].target).toEqual({ value: 0.35, year: 2023 });
    expect(r.indicators[1].met).toBe(false);
  });
  it('2023: 6 stations = 1.743 per 100k ≥ 1.6 met; 60 + 3×15 = 105 staff = 0.305‰ < 0.35‰', () => {
    const r = at(2023);
    expect(r.countByClass).toEqual({ 一级: 1, 二级: 2, 小型: 3 });
    expect(r.indicators[0].value).toBeCloseTo(1.742666, 5);
    expect(r.indicators[0].met).toBe(true);
    expect(r.firefighters).toBe(105);
    expect(r.indicators[1].value).toBeCloseTo(0.304967, 5);
    expect(r.indicators[1].met).toBe(false);
  });
  it('series 2020–2025: stations-per-100k verdicts follow the targets in force', () => {
    const series = indicatorSeries({ stations, population: pop, staffPerClass: staffMin }, [2020, 2021, 2022, 2023, 2024, 2025], (y) => targetsFromPlan(rows, y));
    expect(series.map((r) => r.indicators[0].met)).toEqual([false, false, false, true, true, true]);
    expect(series.map((r) => r.indicators[0].target?.value)).toEqual([1.6, 1.6, 1.6, 1.6, 1.6, 1.7]);
  });
  it('2025: 1.743 ≥ 1.7 met; 0.305‰ < 0.4‰ not met', () => {
    const r = at(2025);
    expect(r.indicators[0].target).toEqual({ value: 1.7, year: 2025 });
    expect(r.indicators[0].met).toBe(true);
    expect(r.indicators[1].target).toEqual({ value: 0.4, year: 2025 });
    expect(r.indicators[1].met).toBe(false);
  });
});

describe('阳东区 (yangdong) indicators from the plan data', () => {
  const stations = planStations('yangdong');
  const rows = readJson('geodata/plans/yangdong.json').indicators as PlanIndicatorRow[];
  it('station counts by year: 1 existing; +2 (2021), +2 (2022), +3 (2023), +3 (2024), +2 (2025)', () => {
    expect(stations.length).toBe(13);
    expect([2020, 2021, 2022, 2023, 2024, 2025].map((y) => stationsInYear(stations, y).length)).toEqual([1, 3, 5, 8, 11, 13]);
  });
  it('no population in the plan → indicators are no-data, never a pass; staff still summed', () => {
    expect(population.places.yangdong.value).toBeNull();
    const r = indicatorsForYear({ stations, population: population.places.yangdong.value, staffPerClass: staffMin, year: 2025, targets: targetsFromPlan(rows, 2025) });
    expect(r.countByClass).toEqual({ 一级: 3, 乡镇一级: 3, 乡镇二级: 7 });
    expect(r.firefighters).toBe(205); // 3×30 + 3×15 + 7×10
    expect(r.indicators.map((i) => [i.value, i.met])).toEqual([[null, null], [null, null]]);
    expect(r.indicators[0].target).toEqual({ value: 1.7, year: 2025 });
    expect(r.indicators[1].target).toEqual({ value: 0.4, year: 2025 });
    expect(r.indicators[0].note_en).toMatch(/No resident population/);
  });
});

describe('staffPerClassFrom (population.json staffing ranges)', () => {
  it('takes the chosen end; a missing upper end stays null and blocks the firefighter indicator', () => {
    const classes = population.staffPerStationClass.classes;
    expect(staffPerClassFrom(classes, 'min')).toMatchObject({ 一级: 30, 二级: 15, 小型: 15, 特勤: 45, 乡镇一级: 15, 乡镇二级: 10 });
    const max = staffPerClassFrom(classes, 'max');
    expect(max).toMatchObject({ 一级: 45, 二级: 25, 小型: 15, 乡镇一级: null, 乡镇二级: null });
    const r = indicatorsForYear({ stations: planStations('yangdong'), population: 500_000, staffPerClass: max, year: 2022 });
    expect(r.missingStaff).toEqual(['乡镇一级', '乡镇二级']); // order of first appearance
    expect(r.indicators[1].value).toBeNull();
    expect(r.indicators[0].value).toBeCloseTo(1.0, 10); // 5 stations in 2022 / 500,000 × 100,000 (test population)
  });
});
