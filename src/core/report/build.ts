/**
 * Builds the printable report (ReportDocument) from what the app or the CLI already has: the place, the
 * compliance PlaceReport, the scenario, the settings, the speed profile, the plan timeline indicators, the
 * data sources and (optionally) the hydrant audit. Pure: the date comes in, nothing is read or fetched.
 */
import type { Feature, FeatureCollection } from 'geojson';
import type { Lang } from '../errors';
import type { PlaceReport, StationReport, Verdict } from '../compliance/report';
import type { SpeedProfile } from '../profile';
import type { YearIndicators } from '../timeline';
import type { Station, StationClass } from '../types';
import { fixed, fmtKm2, fmtMmss, km, km2, km2Unit, metres, mmss, pct, MISSING } from '../format';
import type { HydrantAuditSummary, ReportBlock, ReportDocument, ReportMapData, ReportSection, StationDetail } from './types';

export interface ReportInput {
  lang: Lang;
  /** YYYY-MM-DD. */
  date: string;
  place: { id: string; name: string; nameEn: string; bbox: [number, number, number, number]; attribution: string[]; notes: string[] };
  report: PlaceReport;
  /** The stations evaluated (positions for the map). */
  stations: Station[];
  /** Planning-area outline for the map (null: none). */
  boundary?: FeatureCollection | null;
  /** The place's roads and water, drawn thin and light under the results (optional). */
  roads?: FeatureCollection | null;
  water?: FeatureCollection | null;
  scenario?: { name: string; published: boolean } | null;
  settings: { peak: boolean; turns: boolean; vehicle: { name: string; nameEn: string } | null };
  /** The speed profile the network times use (null in the straight-line estimate). */
  profile?: Pick<SpeedProfile, 'name' | 'nameEn' | 'speedsKmh' | 'peakFactor' | 'turnoutSeconds' | 'oneway' | 'turnRestrictions'> | null;
  timeline?: { indicators: YearIndicators; planTitle?: string | null; populationSource?: string | null } | null;
  hydrants?: HydrantAuditSummary | null;
  /** Further source lines (e.g. the standard's file, the plan document). */
  sources?: string[];
}

type Two = readonly [zh: string, en: string];

const CLASS_EN: Record<StationClass, string> = {
  一级: 'Class I', 二级: 'Class II', 小型: 'Small', 乡镇一级: 'Town team I', 乡镇二级: 'Town team II', 特勤: 'Special service',
};
const STATUS: Record<string, Two> = { existing: ['现有', 'existing'], planned: ['规划', 'planned'], proposed: ['拟建', 'proposed'] };
const VERDICT: Record<Verdict, Two> = { pass: ['达标', 'meets'], fail: ['不达标', 'fails'], 'no-district': ['无辖区', 'no district'] };
const DISTRICTS_MODE: Record<string, Two> = {
  towns: ['按镇街边界', 'town boundaries'], auto: ['自动划分（路网最近站）', 'automatic (nearest station on the network)'], given: ['给定辖区', 'given districts'],
};

/** Map colours (the legend uses the same). */
export const REPORT_COLOURS = {
  pass: '#3a9d5d', fail: '#d9534f', none: '#9e9e9e', failing: '#b00020', barrier: '#f08c00', boundary: '#37474f', station: '#1f4e9c',
} as const;

function stationName(s: { name: string; nameEn?: string; example?: boolean; position?: string }, lang: Lang): string {
  const base = lang === 'en' ? s.nameEn || s.name : s.name;
  const tag = s.example ? (lang === 'en' ? ' (example)' : '（示例）') : s.position === 'approximate' ? (lang === 'en' ? ' (approx.)' : '（约）') : '';
  return base + tag;
}

/** The verdict table's columns and one row per station (figures by the one formatting rule). */
export function verdictTable(r: PlaceReport, lang: Lang): { columns: string[]; rows: string[][] } {
  const L = (t: Two) => (lang === 'en' ? t[1] : t[0]);
  const columns = [
    L(['消防站', 'Station']), L(['等级', 'Class']), L(['状态', 'Status']), L(['结论', 'Verdict']),
    L(['最长行车时间', 'Worst travel']), L(['行车时限', 'Travel limit']), L(['最长响应时间', 'Worst response']),
    L(['边缘达标比例', 'Edge within limit']), L(['辖区面积 km²', 'District km²']), L(['面积上限 km²', 'Area limit km²']),
  ];
  const rows = r.stations.map((s) => [
    stationName(s, lang),
    lang === 'en' ? CLASS_EN[s.stationClass] ?? s.stationClass : s.stationClass,
    L(STATUS[s.status] ?? [s.status, s.status]),
    L(VERDICT[s.verdict]),
    // Figures compared with a limit round up, so a failing row never reads "4:00 / 4:00" beside a reason saying 4:01.
    fmtMmss(s.worstEdgeSeconds, 'up'),
    mmss(s.travelLimitSeconds),
    fmtMmss(s.worstResponseSeconds, 'up'),
    pct(s.shareWithinLimit),
    fmtKm2(s.districtAreaKm2, 'up'),
    km2(s.areaLimitKm2),
  ]);
  return { columns, rows };
}

function stationDetail(s: StationReport, lang: Lang): StationDetail {
  const en = lang === 'en';
  return {
    id: s.id,
    name: stationName(s, lang),
    verdict: en ? VERDICT[s.verdict][1] : VERDICT[s.verdict][0],
    pass: s.verdict === 'no-district' ? null : s.verdict === 'pass',
    reasons: s.reasons.map((x) => (en ? x.en : x.zh)),
    clauses: s.clauses.map((c) => `${en ? c.en : c.zh}${c.assumption ? (en ? ' (assumption)' : '（假设）') : ''}`),
  };
}

/** GeoJSON the report map draws (districts coloured by verdict, failing stretches, barriers, stations). */
export function reportMapData(input: Pick<ReportInput, 'report' | 'stations' | 'boundary' | 'roads' | 'water' | 'place' | 'lang'>): ReportMapData {
  const r = input.report;
  const verdictOf = new Map(r.stations.map((s) => [s.id, s.verdict]));
  const fc = (features: Feature[]): FeatureCollection => ({ type: 'FeatureCollection', features });
  const stations = input.stations.map((s): Feature => ({
    type: 'Feature',
    geometry: { type: 'Point', coordinates: [s.lon, s.lat] },
    properties: { id: s.id, name: stationName(s, input.lang), kind: s.status, verdict: verdictOf.get(s.id) ?? 'no-district' },
  }));
  const failing = r.stations.flatMap((s) => s.failingEdges.features.map((f): Feature => ({ type: 'Feature', geometry: f.geometry, properties: { stationId: s.id, lengthM: f.properties.lengthM } })));
  const barriers = r.stations.flatMap((s) => s.barriers.map((b): Feature => ({ type: 'Feature', geometry: b.geometry, properties: { stationId: s.id, name: b.name, kind: b.kind } })));
  const districts = r.districts.features.map((f): Feature => ({ type: 'Feature', geometry: f.geometry, properties: { stationId: f.properties.stationId, verdict: f.properties.verdict } }));
  // Only what the map draws of the context layers: geometry, no properties.
  const bare = (c: FeatureCollection | null | undefined) => (c ? fc(c.features.filter((f) => f.geometry).map((f): Feature => ({ type: 'Feature', geometry: f.geometry, properties: {} }))) : null);
  return {
    bbox: input.place.bbox, boundary: input.boundary ?? null, districts: fc(districts), stations: fc(stations), failing: fc(failing), barriers: fc(barriers),
    roads: bare(input.roads), water: bare(input.water),
  };
}

/** The whole report document in one language. */
export function buildReport(input: ReportInput): ReportDocument {
  const { lang, report: r } = input;
  const en = lang === 'en';
  const L = (zh: string, e: string) => (en ? e : zh);
  const placeName = en ? input.place.nameEn || input.place.name : input.place.name;
  const modeLabel = en ? r.label.en : r.label.zh;
  const estimate = r.mode === 'straight-line-estimate';
  const sections: ReportSection[] = [];

  // Overview: place, date, standard, settings, scenario.
  const s = r.settings;
  const facts: { label: string; value: string }[] = [
    { label: L('地点', 'Place'), value: placeName },
    { label: L('日期', 'Date'), value: input.date },
    { label: L('方案', 'Scenario'), value: input.scenario ? (input.scenario.published ? L('规划原案', 'plan as published') : input.scenario.name) : L('地点数据中的消防站', 'the stations of the place data') },
    { label: L('计算方式', 'Mode'), value: modeLabel },
    { label: L('标准', 'Standard'), value: en ? r.standard.name.en : r.standard.name.zh },
    { label: L('响应时间', 'Response time'), value: `${mmss(s.turnoutS)} ${L('出动', 'turnout')} + ${mmss(s.travelLimitS)} ${L('行车', 'travel')} = ${mmss(s.turnoutS + s.travelLimitS)}` },
    { label: L('边缘达标要求', 'Edge share required'), value: pct(s.requiredShare) },
    { label: L('辖区划分', 'Districts'), value: L(...(DISTRICTS_MODE[s.districtsMode] ?? [s.districtsMode, s.districtsMode])) },
  ];
  if (!estimate) {
    facts.push({ label: L('时段', 'Traffic'), value: input.settings.peak ? L('高峰', 'peak') : L('平峰', 'off-peak') });
    facts.push({ label: L('转向限制', 'Turn restrictions'), value: input.settings.turns ? L('遵守', 'obeyed') : L('忽略（应急假设）', 'ignored (emergency assumption)') });
    if (input.settings.vehicle) facts.push({ label: L('车辆', 'Vehicle'), value: en ? input.settings.vehicle.nameEn : input.settings.vehicle.name });
  }
  sections.push({ id: 'overview', title: L('概况与设置', 'Overview and settings'), blocks: [{ kind: 'facts', rows: facts }] });

  // Summary.
  const sum = r.summary;
  const summaryBlocks: ReportBlock[] = [
    { kind: 'paragraph', text: en ? sum.text_en : sum.text_zh },
    { kind: 'facts', rows: [
      { label: L('消防站', 'Stations'), value: String(sum.total) },
      { label: L('达标', 'Meet the standard'), value: String(sum.passing) },
      { label: L('不达标', 'Fail'), value: String(sum.failing) },
      { label: L('无辖区', 'No district'), value: String(sum.noDistrict) },
      { label: L('辖区总面积', 'Districts, total area'), value: km2Unit(r.stations.reduce((a, x) => a + (x.districtAreaKm2 ?? 0), 0)) },
    ] },
  ];
  if (estimate) summaryBlocks.push({ kind: 'paragraph', tone: 'warning', text: L('本报告为直线估算（无路网），不是路网计算结果；导入道路数据后结论可能改变。', 'This report is a straight-line estimate (no road network), not a network result; the verdicts may change once roads are loaded.') });
  if (r.stations.some((x) => x.example)) summaryBlocks.push({ kind: 'paragraph', tone: 'note', text: L('标注「示例」的站点为演示用示例，不是真实消防站。', 'Sites marked "example" are demonstration sites, not real fire stations.') });
  if (r.stations.some((x) => x.position === 'approximate')) summaryBlocks.push({ kind: 'paragraph', tone: 'note', text: L('标注「约」的站点位置为近似位置（规划未给出坐标）。', 'Sites marked "approx." are at approximate positions (the plan gives no coordinates).') });
  sections.push({ id: 'summary', title: L('结论摘要', 'Summary'), blocks: summaryBlocks });

  // Map.
  const legend: Extract<ReportBlock, { kind: 'map' }>['legend'] = [
    { colour: REPORT_COLOURS.pass, label: L('辖区：达标', 'District: meets the standard'), shape: 'fill' },
    { colour: REPORT_COLOURS.fail, label: L('辖区：不达标', 'District: fails'), shape: 'fill' },
    { colour: REPORT_COLOURS.failing, label: L('超时的辖区边缘', 'District edge beyond the travel limit'), shape: 'line' },
    { colour: REPORT_COLOURS.barrier, label: L('障碍（河流、铁路、高速公路）', 'Barrier (river, railway, motorway)'), shape: 'line' },
    { colour: REPORT_COLOURS.boundary, label: L('规划范围', 'Planning area'), shape: 'line' },
    { colour: REPORT_COLOURS.station, label: L('消防站', 'Fire station'), shape: 'dot' },
  ];
  sections.push({ id: 'map', title: L('地图', 'Map'), blocks: [{ kind: 'map', caption: `${placeName} — ${modeLabel}`, missing: L('地图未能绘制', 'The map could not be drawn'), legend }] });

  // Per-station verdicts.
  const verdicts = verdictTable(r, lang);
  sections.push({
    id: 'stations', title: L('各站检验结果', 'Verdict per station'),
    blocks: [
      { kind: 'table', id: 'verdicts', columns: verdicts.columns, rows: verdicts.rows, caption: L('时间格式为 分:秒；比例为整百分数；面积为 km²（两位小数）。', 'Times as m:ss; shares as whole percents; areas in km² (2 decimals).') },
      { kind: 'stations', items: r.stations.map((x) => stationDetail(x, lang)) },
    ],
  });

  // Plan timeline indicators.
  if (input.timeline) {
    const t = input.timeline.indicators;
    const rows = t.indicators.map((i) => [
      en ? i.label_en : i.label_zh,
      i.value === null ? MISSING : `${fixed(i.value, 2)} ${i.unit}`,
      i.target ? `≥ ${fixed(i.target.value, 2)} ${i.unit}${i.target.year ? ` (${i.target.year})` : ''}` : MISSING,
      i.met === null ? (en ? i.note_en : i.note_zh) ?? MISSING : i.met ? L('达到', 'met') : L('未达到', 'not met'),
    ]);
    const blocks: ReportBlock[] = [];
    if (input.timeline.planTitle) blocks.push({ kind: 'paragraph', text: input.timeline.planTitle });
    blocks.push({ kind: 'facts', rows: [
      { label: L('年份', 'Year'), value: String(t.year) },
      { label: L('在役消防站', 'Stations in service'), value: String(t.stationCount) },
      { label: L('常住人口', 'Resident population'), value: t.population === null ? MISSING : t.population.toLocaleString('en-US') },
    ] });
    blocks.push({ kind: 'table', id: 'indicators', columns: [L('指标', 'Indicator'), L('数值', 'Value'), L('规划目标', 'Plan target'), L('是否达到', 'Met')], rows });
    if (input.timeline.populationSource) blocks.push({ kind: 'paragraph', tone: 'note', text: `${L('人口来源', 'Population source')}: ${input.timeline.populationSource}` });
    sections.push({ id: 'timeline', title: L('规划指标', 'Plan indicators'), blocks });
  }

  // Hydrant audit.
  if (input.hydrants) {
    const h = input.hydrants;
    sections.push({ id: 'hydrants', title: L('消火栓核查', 'Hydrant audit'), blocks: [{ kind: 'facts', rows: [
      { label: L('核查的消火栓', 'Hydrants audited'), value: String(h.hydrants) },
      { label: L('受保护比例', 'Protected share'), value: pct(h.protectedShare) },
      { label: L('无消火栓保护的道路', 'Road without hydrant cover'), value: km(h.gapsKm) },
      { label: L('间距超标', 'Spacing violations'), value: String(h.spacingViolations) },
    ] }] });
  }

  // Assumptions: speeds, λ, turnout, sampling.
  const assumptions: string[] = [];
  assumptions.push(L(`出动时间 ${mmss(s.turnoutS)}（各站可另设）`, `Turnout ${mmss(s.turnoutS)} (a station may set its own)`));
  if (estimate) {
    assumptions.push(L(`直线估算：车速 ${s.speedKmh ?? MISSING} km/h，曲度系数 λ ${s.curvature ?? MISSING}（行车距离 = 直线距离 × λ）`,
      `Straight-line estimate: ${s.speedKmh ?? MISSING} km/h, curvature factor λ ${s.curvature ?? MISSING} (driving distance = straight distance × λ)`));
  } else if (input.profile) {
    const p = input.profile;
    const sp = Object.entries(p.speedsKmh).filter(([, v]) => v).map(([k, v]) => `${k} ${v!.value}`).join(', ');
    assumptions.push(L(`速度配置「${p.name}」（km/h）：${sp}`, `Speed profile "${p.nameEn || p.name}" (km/h): ${sp}`));
    assumptions.push(L(`高峰车速 = 平峰 × ${p.peakFactor.value}${input.settings.peak ? '（本报告采用高峰）' : ''}`, `Peak speed = off-peak × ${p.peakFactor.value}${input.settings.peak ? ' (this report uses peak)' : ''}`));
    assumptions.push(L(`单行道：${p.oneway.value === 'obey' ? '遵守' : '可逆行（有时间惩罚）'}`, `One-way roads: ${p.oneway.value === 'obey' ? 'obeyed' : 'contraflow allowed (time penalty)'}`));
  }
  assumptions.push(L(`辖区边缘每 ${metres(s.sampleStepM)} 取样，道路搜索半径 ${metres(s.roadSearchM)}`, `District edge sampled every ${metres(s.sampleStepM)}, road search radius ${metres(s.roadSearchM)}`));
  for (const c of r.standard.citations.filter((c) => c.assumption)) assumptions.push(`${en ? c.en : c.zh}${L('（假设）', ' (assumption)')}`);
  const notes = r.issues.map((i) => (en ? i.en : i.zh));
  sections.push({ id: 'assumptions', title: L('假设与说明', 'Assumptions and notes'), blocks: [{ kind: 'list', items: assumptions }, ...(notes.length ? [{ kind: 'list', items: notes } as ReportBlock] : [])] });

  // Sources and attribution.
  const sources = [...input.place.attribution, ...input.place.notes, ...(input.sources ?? []), ...r.standard.citations.filter((c) => !c.assumption).map((c) => (en ? c.en : c.zh))];
  sections.push({ id: 'sources', title: L('数据来源与署名', 'Data sources and attribution'), blocks: [{ kind: 'list', items: sources }] });

  return {
    lang,
    title: L('消防站辖区覆盖检验报告', 'Fire-station coverage report'),
    placeId: input.place.id,
    placeName,
    date: input.date,
    mode: r.mode,
    modeLabel,
    sections,
    verdicts,
    map: reportMapData(input),
    footer: `${placeName} · ${modeLabel} · ${input.place.attribution.join('; ')}`,
  };
}
