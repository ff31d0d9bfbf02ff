/**
 * The report document of real samples (public/data): 南山 (network, 4 example stations, all failing) in zh and en,
 * and 清溪镇 (straight-line estimate, plan timeline). Figures are checked against the PlaceReport they come from.
 */
import { describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { nodeCheckIO } from '../../../tests/support/nodeCheckIO';
import { addStation, createScenario, placeStations, scenarioToGeoJSON, setStationActive } from '../scenario';
import { placeJson } from '../../../tests/support/place';
import type { FeatureCollection } from 'geojson';
import { buildReport, verdictTable } from './build';
import { reportInputFromPlace } from './fromPlace';
import { fmtKm2, fmtMmss, pct } from '../format';
import type { PlaceReport, StationReport } from '../compliance/report';
import type { ReportBlock, ReportDocument } from './types';

const blocks = (d: ReportDocument, id: string): ReportBlock[] => d.sections.find((s) => s.id === id)?.blocks ?? [];
const allText = (d: ReportDocument) => JSON.stringify(d.sections);

describe('report of 南山 (road network)', async () => {
  const input = await reportInputFromPlace({ place: 'nanshan', lang: 'zh', date: '2026-12-05' }, nodeCheckIO);
  const zh = buildReport(input);
  const en = buildReport({ ...input, lang: 'en' });

  it('has the title, place, date, mode label and the sections in order', () => {
    expect(zh.title).toBe('消防站辖区覆盖检验报告');
    expect(zh.placeName).toBe('深圳南山（西丽）');
    expect(en.placeName).toBe('Nanshan (Xili), Shenzhen');
    expect(zh.modeLabel).toBe('路网计算');
    expect(en.modeLabel).toBe('computed on the road network');
    expect(zh.sections.map((s) => s.id)).toEqual(['overview', 'summary', 'map', 'stations', 'assumptions', 'sources']);
    expect(allText(zh)).toContain('2026-12-05');
  });

  it('one verdict row per station, figures by the formatting rule', () => {
    const r = input.report;
    expect(r.stations.length).toBe(4);
    expect(zh.verdicts.rows.length).toBe(4);
    r.stations.forEach((s, i) => {
      const row = zh.verdicts.rows[i];
      expect(row[0]).toBe(`${s.name}（示例）`);
      expect(row[3]).toBe(s.verdict === 'pass' ? '达标' : '不达标');
      expect(row[4]).toBe(fmtMmss(s.worstEdgeSeconds, 'up'));
      expect(row[4]).toMatch(/^\d+:\d\d$/);
      expect(row[7]).toBe(pct(s.shareWithinLimit));
      expect(row[7]).toMatch(/^\d+%$/);
      expect(row[8]).toBe(fmtKm2(s.districtAreaKm2, 'up'));
      expect(row[8]).toMatch(/^\d+\.\d\d$/);
    });
    // 示例站 1: worst travel 470.1 s (planner check --table) → 7:51 (rounded up: compared with a limit), over the 4:00 limit.
    expect(zh.verdicts.rows[0].slice(3, 6)).toEqual(['不达标', '7:51', '4:00']);
    expect(en.verdicts.rows[0][0]).toMatch(/\(example\)$/);
    expect(en.verdicts.columns[4]).toBe('Worst travel');
  });

  it('each station lists its reasons and clauses, barriers included', () => {
    const st = blocks(zh, 'stations').find((b) => b.kind === 'stations');
    expect(st?.kind).toBe('stations');
    if (st?.kind !== 'stations') return;
    expect(st.items.length).toBe(4);
    input.report.stations.forEach((s, i) => {
      const item = st.items[i];
      expect(item.pass).toBe(false);
      expect(item.reasons).toEqual(s.reasons.map((x) => x.zh));
      expect(item.reasons.length).toBeGreaterThan(0);
      expect(item.clauses.length).toBe(s.clauses.length);
      expect(item.clauses.some((c) => c.includes('建标152-2017'))).toBe(true);
    });
    // 示例站 1's and 4's districts straddle 大沙河: the barrier reason and GB 51080 §4.1.3.
    for (const i of [0, 3]) {
      expect(st.items[i].reasons.some((r) => r.includes('大沙河'))).toBe(true);
      expect(st.items[i].clauses.some((c) => c.includes('GB 51080-2015 §4.1.3'))).toBe(true);
    }
    expect(st.items[1].clauses.some((c) => c.includes('GB 51080'))).toBe(false);
  });

  it('summary, assumptions and sources', () => {
    const summary = blocks(zh, 'summary');
    expect(summary[0]).toEqual({ kind: 'paragraph', text: input.report.summary.text_zh });
    expect(allText(zh)).toContain('示例');
    const assumptions = JSON.stringify(blocks(en, 'assumptions'));
    expect(assumptions).toContain('Turnout 1:00');
    expect(assumptions).toContain('Peak speed = off-peak × 0.7');
    expect(assumptions).toMatch(/primary 40/);
    expect(JSON.stringify(blocks(en, 'sources'))).toContain('OpenStreetMap');
    // no hydrant section without an audit; no timeline without a plan
    expect(zh.sections.some((s) => s.id === 'hydrants' || s.id === 'timeline')).toBe(false);
  });

  it('the map data: every station, district by verdict, failing stretches, barriers', () => {
    expect(zh.map.stations.features.length).toBe(4);
    expect(zh.map.districts.features.length).toBe(4);
    expect(zh.map.districts.features.every((f) => f.properties?.verdict === 'fail')).toBe(true);
    const failing = input.report.stations.reduce((n, s) => n + s.failingEdges.features.length, 0);
    expect(failing).toBeGreaterThan(0);
    expect(zh.map.failing.features.length).toBe(failing);
    expect(zh.map.barriers.features.map((f) => f.properties?.name)).toEqual(['大沙河', '大沙河']);
    expect(zh.map.boundary?.features.length).toBeGreaterThan(0);
  });

  it('hydrant audit figures when given', () => {
    const d = buildReport({ ...input, lang: 'en', hydrants: { protectedShare: 0.8349, gapsKm: 12.345, spacingViolations: 7, hydrants: 120 } });
    const h = JSON.stringify(blocks(d, 'hydrants'));
    expect(h).toContain('"83%"'); // 83.49 % → 83 %
    expect(h).toContain('"12.3 km"');
    expect(h).toContain('"7"');
    expect(h).toContain('"120"');
  });

  it('the verdict table alone equals the document\'s', () => {
    expect(verdictTable(input.report, 'en')).toEqual(en.verdicts);
  });
});

describe('report of 清溪镇 (straight-line estimate, plan)', async () => {
  const input = await reportInputFromPlace({ place: 'qingxi', lang: 'zh', date: '2026-12-05' }, nodeCheckIO);
  const zh = buildReport(input);

  it('says it is an estimate, with speed and λ', () => {
    expect(zh.mode).toBe('straight-line-estimate');
    expect(zh.modeLabel).toBe('估算 — 无路网');
    const text = allText(zh);
    expect(text).toContain('直线估算');
    expect(text).toMatch(/λ 1\.4/);
  });

  it('has the plan indicators for 2025 against the targets', () => {
    const t = blocks(zh, 'timeline');
    const table = t.find((b) => b.kind === 'table');
    expect(table?.kind).toBe('table');
    if (table?.kind !== 'table') return;
    const ind = input.timeline!.indicators;
    expect(ind.year).toBe(2025);
    expect(table.rows[0][0]).toBe('每十万人拥有消防站');
    expect(table.rows[0][1]).toBe(`${(Math.round(ind.indicators[0].value! * 100) / 100).toFixed(2)} 座/10万人`);
  });

  it('unknown place is a clear error', async () => {
    await expect(reportInputFromPlace({ place: 'atlantis', lang: 'zh', date: '2026-12-05' }, nodeCheckIO)).rejects.toMatchObject({ code: 'unknown-place' });
  });
});

describe('report of a scenario file (as `planner report --scenario`)', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'w8-scn-'));
  const stations = [...placeStations(placeJson('nanshan', 'facilities.geojson') as FeatureCollection), ...placeStations(placeJson('nanshan', 'plan.geojson') as FeatureCollection)];
  let scn = createScenario({ name: '方案 <b>乙</b>', placeId: 'nanshan', stations, now: '2026-12-01T00:00:00.000Z' });
  scn = setStationActive(scn, stations[1].id, false, '2026-12-01T00:00:00.000Z');
  scn = addStation(scn, { lon: 113.94, lat: 22.545, name: '<img src=x>新站', id: 'user-new' }, '2026-12-01T00:00:00.000Z');
  const file = join(dir, 'scenario.geojson');
  writeFileSync(file, JSON.stringify(scenarioToGeoJSON(scn)));
  const input = await reportInputFromPlace({ place: 'nanshan', lang: 'zh', date: '2026-12-05', scenario: file }, nodeCheckIO);
  rmSync(dir, { recursive: true, force: true });
  const doc = buildReport(input);

  it('checks the scenario\'s active stations and names the scenario', () => {
    expect(input.report.stations.map((s) => s.id)).toEqual([stations[0].id, stations[2].id, stations[3].id, 'user-new']);
    expect(doc.map.stations.features.map((f) => f.properties?.id)).toEqual([stations[0].id, stations[2].id, stations[3].id, 'user-new']);
    const overview = blocks(doc, 'overview')[0];
    expect(overview.kind === 'facts' && overview.rows.find((r) => r.label === '方案')?.value).toBe('方案 <b>乙</b>');
  });

  it('a station without a district polygon: no district, its name kept as plain text', () => {
    const row = doc.verdicts.rows[3];
    expect(row[0]).toBe('<img src=x>新站');
    expect(row[3]).toBe('无辖区');
    expect(row[4]).toBe('—');
  });
});

describe('verdict table: figures compared with a limit round up', () => {
  it('240.4 s over a 240 s limit reads 4:01 / 4:00 (never 4:00 / 4:00); 7.001 km² over 7 reads 7.01 / 7.00', () => {
    const st = { name: '甲站', stationClass: '一级', status: 'existing', verdict: 'fail', position: 'exact', example: false, worstEdgeSeconds: 240.4, travelLimitSeconds: 240, worstResponseSeconds: 300.4, shareWithinLimit: 0.996, districtAreaKm2: 7.001, areaLimitKm2: 7 } as unknown as StationReport;
    const t = verdictTable({ stations: [st] } as unknown as PlaceReport, 'zh');
    expect(t.rows[0].slice(4)).toEqual(['4:01', '4:00', '5:01', '99%', '7.01', '7.00']);
    // an exact figure stays as it is
    const ok = verdictTable({ stations: [{ ...st, worstEdgeSeconds: 240, worstResponseSeconds: 300, districtAreaKm2: 7 }] } as unknown as PlaceReport, 'en');
    expect(ok.rows[0].slice(4, 7)).toEqual(['4:00', '4:00', '5:00']);
    expect(ok.rows[0][8]).toBe('7.00');
  });
});
