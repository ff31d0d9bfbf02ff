/**
 * `planner check --place <id> [--standard <preset>] [--districts towns|auto|<file.geojson>] [--scenario <file.geojson>]
 *  [--stations all|existing] [--peak] [--turns on|off] [--vehicle <id>] [--table] [--lang zh|en]` — the compliance
 * check (JSON by default, --table for a text table) on built place data, under the road rules
 * (geodata/profiles/road-rules.json) for a vehicle. With a network it also gives the data card (road-km each rule
 * closes for the vehicle, in --lang), and with a --vehicle other than the rules' default the stations whose verdict
 * or worst time changes against the default vehicle (both evaluated). File access goes through `io` (paths relative to the
 * repository root), so this stays pure and testable. A --districts file goes through the district-file check
 * (districtFile.ts, the same as the app's import): its notes (CRS converted, polygons repaired, features not used) lead
 * the report's issues; src/cli wires it to the file system. Errors are PlannerErrors;
 * runCheck prints them as one line `错误 [code]：…` (or `error [code]: …` with --lang en).
 */
import { vehicleDiff } from './vehicleDiff';
import type { Feature, FeatureCollection } from 'geojson';
import { decodeGraph } from '../graph';
import { errorText, plannerError, toErrorInfo, type Lang } from '../errors';
import { parseProfile, type SpeedProfile } from '../profile';
import { profileWithTurns, Router } from '../router';
import type { RoadGraph } from '../graph';
import { closureRows, parseRoadRules, vehicleById, type RoadRules } from '../roadRules';
import type { AreaCollection, AreaGeometry, PlaceMeta } from '../types';
import { unionAll } from './districts';
import { checkDistrictFile, type DistrictFileNote } from './districtFile';
import { bboxOf } from './geom';
import { evaluatePlace, type DistrictsInput, type EvaluateInput } from './evaluate';
import { fromRouter } from './network';
import { placeBarriers } from './barriers';
import type { PlaceReport } from './report';
import { activeStations, placeStations, scenarioFromGeoJSON } from '../scenario';
import { DEFAULT_STANDARD_ID, STANDARD_IDS, parseStandard } from './standards';
import { cardRowText, placeCard, type PlaceCard } from '../placeCard';
import { fmtKm2, fmtMmss, fmtShare } from '../format';

export interface CheckIO {
  /** Reads a text file (path relative to the repository root); rejects when missing. */
  readText(path: string): Promise<string>;
  readBytes(path: string): Promise<ArrayBuffer>;
  exists(path: string): Promise<boolean>;
}

export interface CheckResult {
  /** 0 = evaluated (whatever the verdicts), 2 = bad arguments (usage), 1 = bad data or input (exitCodeOf). */
  code: number;
  stdout: string;
  stderr: string;
  report?: PlaceReport;
  /** The road rules' data card of the vehicle (null without a network). */
  card?: DataCard | null;
  /** With a non-default --vehicle: the stations whose verdict or worst time differs from the default vehicle's. */
  changes?: VehicleChanges | null;
  /** The place's data card (layers, sources, what is missing: `dataGaps`). */
  place?: PlaceCard;
}

/** Road-km each rule closes (and nodes it blocks) for a vehicle, labelled in one language. */
export interface DataCard {
  vehicleId: string;
  vehicle: string;
  rows: { rule: string; label: string; km: number; nodes: number }[];
}

/** Stations (= their districts) whose result changes when `vehicleId` replaces the default vehicle. */
export interface VehicleChanges {
  vehicleId: string;
  defaultVehicleId: string;
  changed: {
    stationId: string; name: string; verdict: [string, string]; worstEdgeSeconds: [number | null, number | null];
    shareWithinLimit: [number | null, number | null]; unreachableEdgePoints: [number | null, number | null];
  }[];
}

export interface CheckArgs {
  place: string;
  standard: string;
  districts: string;
  /** A scenario file (GeoJSON exported by the app) whose active stations replace the place's own. */
  scenario?: string;
  stations: 'all' | 'existing';
  peak: boolean;
  /** Obey turn restrictions (--turns on, the default) or ignore them (--turns off). */
  turns: boolean;
  /** The road rules' vehicle (default: the rules' default vehicle). */
  vehicle?: string;
  /** --max-snap-from: a station further than this from any road is off the network (metres; default 500). */
  offNetworkM?: number;
  json: boolean;
  lang: Lang;
}

const USAGE = {
  zh: '用法：planner check --place <地点> [--standard 标准] [--districts auto|towns|文件.geojson] [--scenario 文件.geojson] [--stations all|existing] [--peak] [--turns on|off] [--vehicle 车辆] [--max-snap-from 米（默认 500）] [--json|--table] [--lang zh|en]',
  en: 'usage: planner check --place <id> [--standard jianbiao152-2017|gb51080-2015|nfpa1710|agbf|custom] [--districts auto|towns|<file.geojson>] [--scenario file.geojson] [--stations all|existing] [--peak] [--turns on|off] [--vehicle <id>] [--max-snap-from metres (default 500)] [--json|--table] [--lang zh|en]',
};

/** Error codes of a wrong command line (exit 2); every other error is one of data or input (exit 1). */
const USAGE_CODES: ReadonlySet<string> = new Set(['bad-arguments', 'bad-option', 'bad-coordinate', 'bad-band-count', 'unknown-command', 'missing-command', 'missing-option', 'duplicate-option', 'unknown-vehicle']);

/** The planner CLI's exit code for an error code: 2 = usage, 1 = data or input. */
export const exitCodeOf = (code: string): number => (USAGE_CODES.has(code) ? 2 : 1);

/**
 * A file that cannot be read, as a PlannerError naming it: not found, a directory, or unreadable (the system's
 * message as the detail) — never a raw ENOENT / EISDIR.
 */
export function fileFailure(e: unknown, file: string, what: { zh: string; en: string } = { zh: '', en: '' }): Error {
  const errno = (e as { code?: unknown } | null)?.code;
  const detail = e instanceof Error ? e.message : String(e);
  const en = what.en ? `${what.en} file` : 'file';
  if (errno === 'ENOENT') return plannerError('file-not-found', `找不到${what.zh}文件`, `${en} not found`, { file });
  if (errno === 'EISDIR') return plannerError('file-is-directory', `${what.zh}文件路径是一个目录，不是文件`, `the ${en} path is a directory, not a file`, { file });
  return plannerError('file-unreadable', `无法读取${what.zh}文件`, `cannot read the ${en}`, { file, detail });
}

/** A bad argument; the message names the option. */
const badArg = (zh: string, en: string) => plannerError('bad-arguments', zh, en);

/** Parses argv after the `check` word. Throws PlannerError (code bad-arguments; the message names the option). */
export function parseCheckArgs(argv: string[]): CheckArgs {
  const a: CheckArgs = { place: '', standard: DEFAULT_STANDARD_ID, districts: 'auto', stations: 'all', peak: false, turns: true, json: true, lang: 'zh' };
  const seen = new Set<string>();
  for (let i = 0; i < argv.length; i++) {
    const k = argv[i];
    // Each option once: a second --place would silently replace the first (--json/--table count as one).
    const slot = k === '--table' ? '--json' : k;
    if (seen.has(slot)) throw plannerError('duplicate-option', `选项 ${k} 重复出现`, `option ${k} given more than once`);
    seen.add(slot);
    const val = () => {
      const v = argv[++i];
      if (v === undefined || v.startsWith('--')) throw badArg(`${k} 缺少参数值`, `${k} needs a value`);
      return v;
    };
    const choice = <T extends string>(words: readonly T[]): T => {
      const v = val();
      if (!(words as readonly string[]).includes(v)) throw badArg(`${k} 只能是 ${words.join('、')}，收到「${v}」`, `${k} must be one of ${words.join(', ')}, got "${v}"`);
      return v as T;
    };
    if (k === '--place') a.place = val();
    else if (k === '--standard') a.standard = val();
    else if (k === '--districts') a.districts = val();
    else if (k === '--scenario') a.scenario = val();
    else if (k === '--stations') a.stations = choice(['all', 'existing'] as const);
    else if (k === '--turns') a.turns = choice(['on', 'off'] as const) === 'on';
    else if (k === '--lang') a.lang = choice(['zh', 'en'] as const);
    else if (k === '--vehicle') a.vehicle = val();
    else if (k === '--max-snap-from') {
      const v = val();
      if (!/^(?:\d+(?:\.\d*)?|\.\d+)$/.test(v) || !(Number(v) >= 1 && Number(v) <= 100_000))
        throw plannerError('bad-option', `--max-snap-from 应为 1–100000 米的数，收到「${v}」`, `--max-snap-from must be a number from 1 to 100000 metres, got "${v}"`);
      a.offNetworkM = Number(v);
    }
    else if (k === '--peak') a.peak = true;
    else if (k === '--json') a.json = true;
    else if (k === '--table') a.json = false;
    else throw badArg(`未知选项 ${k}`, `unknown option ${k}`);
  }
  if (!a.place || !/^[a-z0-9-]+$/.test(a.place)) throw badArg('必须指定 --place <地点编号>（如 monaco）', '--place <id> is required (e.g. monaco)');
  if (!(STANDARD_IDS as readonly string[]).includes(a.standard))
    throw badArg(`未知标准「${a.standard}」（可用 ${STANDARD_IDS.join('、')}）`, `unknown standard "${a.standard}" (one of ${STANDARD_IDS.join(', ')})`);
  return a;
}

/** The --lang of an argv that may not parse (for its error line). */
function langOf(argv: string[]): Lang {
  const i = argv.indexOf('--lang');
  return i >= 0 && argv[i + 1] === 'en' ? 'en' : 'zh';
}

/** One error line: `错误 [code]：message` / `error [code]: message`. */
const errorLine = (e: unknown, lang: Lang): string => {
  const info = toErrorInfo(e);
  return `${lang === 'zh' ? '错误' : 'error'} [${info.code}]${lang === 'zh' ? '：' : ': '}${errorText(info, lang)}\n`;
};

const isArea = (f: Feature): boolean => f.geometry?.type === 'Polygon' || f.geometry?.type === 'MultiPolygon';

/** A JSON file read through the check's I/O: 'bad-json' or the file's own failure (missing, unreadable). */
export async function readJson<T = any>(io: CheckIO, path: string): Promise<T> {
  let text: string;
  try {
    text = await io.readText(path);
  } catch (e) {
    throw fileFailure(e, path);
  }
  try {
    return JSON.parse(text) as T;
  } catch (e) {
    throw plannerError('bad-json', '文件不是有效的 JSON', 'the file is not valid JSON', { file: path, detail: (e as Error).message });
  }
}

/** Runs the check and renders it (text table, or the full report with --json). Never throws. */
export async function runCheck(argv: string[], io: CheckIO): Promise<CheckResult> {
  if (argv.length === 1 && (argv[0] === '--help' || argv[0] === '-h')) return { code: 0, stdout: `${USAGE.zh}\n${USAGE.en}\n`, stderr: '' };
  let args: CheckArgs;
  try {
    args = parseCheckArgs(argv);
  } catch (e) {
    const lang = langOf(argv);
    return { code: exitCodeOf(toErrorInfo(e).code), stdout: '', stderr: errorLine(e, lang) + USAGE[lang] + '\n' };
  }
  try {
    const { report, card, changes, place } = await checkPlaceWithRules(args, io);
    const stdout = args.json
      ? JSON.stringify({ ...report, ...(card ? { roadRules: card } : {}), ...(changes ? { vehicleChanges: changes } : {}), dataGaps: place.dataGaps, dataCard: place.rows }, null, 1) + '\n'
      : renderText(report, place.dataGaps) + renderCard(card, changes, args.lang) + renderPlaceCard(place, args.lang);
    return { code: 0, stdout, stderr: '', report, card, changes, place };
  } catch (e) {
    return { code: exitCodeOf(toErrorInfo(e).code), stdout: '', stderr: errorLine(e, args.lang) };
  }
}

/** Loads a built place (public/data/<id>/) and evaluates it (for the default vehicle unless args.vehicle). */
export async function checkPlace(args: CheckArgs, io: CheckIO): Promise<PlaceReport> {
  return (await checkPlaceWithRules(args, io)).report;
}

/** The place's check input without its network, and what its network needs (null: no network). */
interface Loaded {
  input: Omit<EvaluateInput, 'network'>;
  net: { graph: RoadGraph; profile: SpeedProfile; rules: RoadRules } | null;
  /** The --districts file's notes (conversions, repairs, features not used). */
  fileNotes: DistrictFileNote[];
  /** The place's data card (what each layer holds, what is missing). */
  place: PlaceCard;
}

/** A report with the district file's notes first (they replace the evaluator's own 'not a polygon' issues). */
const withFileNotes = (r: PlaceReport, notes: DistrictFileNote[]): PlaceReport =>
  notes.length ? { ...r, issues: [...notes, ...r.issues.filter((i) => i.code !== 'district-not-polygon')] } : r;

/** The report, the data card and (with a non-default --vehicle) the changes against the default vehicle. */
export async function checkPlaceWithRules(args: CheckArgs, io: CheckIO): Promise<{ report: PlaceReport; card: DataCard | null; changes: VehicleChanges | null; place: PlaceCard }> {
  const { input, net, fileNotes, place } = await loadPlace(args, io);
  if (!net) return { report: withFileNotes(evaluatePlace({ ...input, network: null }), fileNotes), card: null, changes: null, place };
  const vehicle = vehicleById(net.rules, args.vehicle);
  const routerFor = (id: string) => new Router(net.graph, profileWithTurns(net.profile, args.turns), args.peak, { roadRules: net.rules, vehicleId: id });
  const router = routerFor(vehicle.id);
  const report = withFileNotes(evaluatePlace({ ...input, network: fromRouter(router) }), fileNotes);
  const card: DataCard = {
    vehicleId: vehicle.id, vehicle: args.lang === 'zh' ? vehicle.name : vehicle.nameEn,
    rows: closureRows(router.applied!.closures).map((r) => ({ rule: r.rule, label: args.lang === 'zh' ? r.zh : r.en, km: Math.round(r.km * 1000) / 1000, nodes: r.nodes })),
  };
  const def = vehicleById(net.rules);
  if (args.vehicle === undefined || def.id === vehicle.id) return { report, card, changes: null, place };
  const base = evaluatePlace({ ...input, network: fromRouter(routerFor(def.id)) });
  return { report, card, changes: vehicleChanges(base, report, def.id, vehicle.id), place };
}

/** Stations whose verdict, worst edge time or edge reach differs between two reports (vehicleDiff), for the CLI. */
export function vehicleChanges(base: PlaceReport, other: PlaceReport, defaultVehicleId: string, vehicleId: string): VehicleChanges {
  const changed = vehicleDiff(base, other).changes.map((c) => ({
    stationId: c.id, name: c.name,
    verdict: [c.before?.verdict ?? '—', c.after?.verdict ?? '—'] as [string, string],
    worstEdgeSeconds: [worstEdge(base, c.id), worstEdge(other, c.id)] as [number | null, number | null],
    shareWithinLimit: [c.before?.share ?? null, c.after?.share ?? null] as [number | null, number | null],
    unreachableEdgePoints: [c.before?.unreachable ?? null, c.after?.unreachable ?? null] as [number | null, number | null],
  }));
  return { vehicleId, defaultVehicleId, changed };
}

const worstEdge = (r: PlaceReport, id: string): number | null => r.stations.find((s) => s.id === id)?.worstEdgeSeconds ?? null;

async function loadPlace(args: CheckArgs, io: CheckIO): Promise<Loaded> {
  const base = `public/data/${args.place}`;
  if (!(await io.exists(`${base}/place.json`))) throw plannerError('unknown-place', `未找到地点「${args.place}」`, `place "${args.place}" not found`, { file: `${base}/place.json` });
  const meta = (await readJson(io, `${base}/place.json`)) as PlaceMeta;
  const opt = async (name: keyof PlaceMeta['files']): Promise<any> => (meta.files[name] ? readJson(io, `${base}/${meta.files[name]}`) : null);
  const boundary = (await opt('boundary')) as FeatureCollection | null;
  const area = unionAll((boundary?.features ?? []).filter(isArea).map((f) => f.geometry as AreaGeometry));
  if (!area) throw plannerError('no-planning-area', `${args.place}：规划范围 boundary.geojson 中没有面`, `${args.place}: no planning-area polygon in boundary.geojson`, { file: `${base}/boundary.geojson` });
  const facilities = await opt('facilities'), planFc = await opt('plan');
  let stations = [...placeStations(facilities), ...placeStations(planFc)];
  if (args.scenario) {
    let text: string;
    try {
      text = await io.readText(args.scenario);
    } catch (e) {
      throw fileFailure(e, args.scenario, { zh: '方案', en: 'scenario' });
    }
    const parsed = scenarioFromGeoJSON(text, args.scenario);
    if (!parsed.ok) throw plannerError('bad-scenario', parsed.errors.map((m) => m.zh).join('；'), parsed.errors.map((m) => m.en).join('; '), { file: args.scenario });
    if (parsed.scenario.placeId !== args.place)
      throw plannerError('scenario-place-mismatch', `该方案属于「${parsed.scenario.placeId}」，不是「${args.place}」`, `the scenario is of "${parsed.scenario.placeId}", not "${args.place}"`, { file: args.scenario });
    stations = activeStations(parsed.scenario);
  }
  if (args.stations === 'existing') stations = stations.filter((s) => s.status === 'existing');
  if (!stations.length) throw plannerError('no-stations', `${args.place}：没有可检验的消防站`, `${args.place}: no stations to check`);
  const standard = parseStandard(await readJson(io, `geodata/standards/${args.standard}.json`));

  let districts: DistrictsInput;
  let fileNotes: DistrictFileNote[] = [];
  if (args.districts === 'auto') districts = { mode: 'auto' };
  else if (args.districts === 'towns') {
    const towns = (await opt('districts')) as AreaCollection | null;
    if (!towns) throw plannerError('no-towns', `${args.place}：没有镇街边界（districts.geojson），无法按镇划分`, `${args.place}: no districts.geojson for --districts towns`);
    districts = { mode: 'towns', towns };
  } else {
    const file = checkDistrictFile(await readJson(io, args.districts), args.districts, { placeBbox: bboxOf(area) });
    const ids = new Set(stations.map((s) => s.id));
    if (!file.fc.features.some((f, i) => file.usable[i] && ids.has(f.properties?.stationId)))
      throw plannerError('districts-no-station', `辖区面的 stationId 属性都不对应本方案的消防站（可用：${[...ids].slice(0, 5).join('、')}${ids.size > 5 ? '…' : ''}），无法检验任何辖区`,
        `no district polygon has a stationId property naming a station checked here (e.g. ${[...ids].slice(0, 5).join(', ')}${ids.size > 5 ? ', …' : ''}); no district could be checked`, { file: args.districts });
    districts = { mode: 'given', polygons: file.fc as AreaCollection };
    fileNotes = file.notes;
  }

  let net: Loaded['net'] = null;
  if (meta.hasNetwork && meta.files.graph) {
    const graph = decodeGraph(await io.readBytes(`${base}/${meta.files.graph}`));
    const profile = parseProfile(await readJson(io, 'geodata/profiles/fire-engine.json'));
    const rules = parseRoadRules(await readJson(io, 'geodata/profiles/road-rules.json'), 'geodata/profiles/road-rules.json');
    vehicleById(rules, args.vehicle); // an unknown --vehicle fails before anything is evaluated
    net = { graph, profile, rules };
  }
  // Barriers (GB 51080 §4.1.3): water and surface railways of the place.
  const water = (await opt('water')) as FeatureCollection | null;
  const rail = (await opt('rail')) as FeatureCollection | null;
  const options = args.offNetworkM !== undefined ? { options: { offNetworkM: args.offNetworkM } } : {};
  const place = placeCard({ meta, layers: { roads: await opt('roads'), water, rail, facilities, plan: planFc, pois: await opt('pois') } });
  return { input: { placeId: args.place, stations, planningArea: area, districts, standard, barriers: placeBarriers(water, rail), ...options }, net, fileNotes, place };
}

const pad = (s: string, n: number) => s + ' '.repeat(Math.max(0, n - [...s].reduce((w, ch) => w + (ch.charCodeAt(0) > 0x2e80 ? 2 : 1), 0)));

/**
 * Plain-text table of a report (Chinese and English). With `gaps` (layers the barrier check lacks), a district with
 * no barrier found says the check is incomplete instead of "—".
 */
export function renderText(r: PlaceReport, gaps: readonly { layer: string }[] = []): string {
  const unknown = gaps.length ? `? ${gaps.map((g) => (g.layer === 'water' ? '水系' : '铁路')).join('、')}数据缺失 / ${gaps.map((g) => (g.layer === 'water' ? 'water' : 'rail')).join(', ')} data missing` : '—';
  const lines = [
    `${r.placeId} — ${r.standard.name.zh} / ${r.standard.name.en}`,
    `${r.label.zh} / ${r.label.en}${r.settings.profileName ? ` — ${r.settings.profileName}` : ''}`,
    '',
    `${pad('station 站', 34)} ${pad('verdict', 11)} ${pad('worst', 8)} ${pad('resp', 7)} ${pad('share', 7)} ${pad('km²', 7)} ${pad('limit', 6)} barriers 障碍 (road km only across 仅能跨越到达的道路)`,
  ];
  // A barrier: its name, metres inside the district and the road the station reaches only across it.
  const barrier = (b: PlaceReport['stations'][number]['barriers'][number]) =>
    `${b.name || b.kind} ${Math.round(b.lengthInsideM)} m${b.roadOnlyAcrossM ? ` (${(b.roadOnlyAcrossM / 1000).toFixed(1)} km)` : ''}`;
  for (const s of r.stations)
    lines.push(`${pad(`${s.example ? '[示例] ' : s.position === 'approximate' ? '≈ ' : ''}${s.name}`.slice(0, 16), 34)} ${pad(s.verdict, 11)} ${pad(fmtMmss(s.worstEdgeSeconds), 8)} ${pad(fmtMmss(s.worstResponseSeconds), 7)} ${pad(fmtShare(s.shareWithinLimit), 7)} ${pad(fmtKm2(s.districtAreaKm2), 7)} ${pad(s.areaLimitKm2 === null ? '—' : String(s.areaLimitKm2), 6)} ${s.barriers.map(barrier).join('; ') || unknown}`.trimEnd());
  lines.push('', r.summary.text_zh, r.summary.text_en);
  if (r.stations.some((s) => s.example || s.position === 'approximate'))
    lines.push('  [示例] = example site, not a real station / 示例站点，非真实消防站；≈ = approximate position / 近似位置');
  for (const c of r.standard.citations) lines.push(`  · ${c.zh}${c.assumption ? '（假设）' : ''}`);
  for (const i of r.issues) lines.push(`  ! ${i.zh} / ${i.en}`);
  return lines.join('\n') + '\n';
}

/** The data card and the vehicle changes as text in one language (empty without a network). */
export function renderCard(card: DataCard | null | undefined, changes: VehicleChanges | null | undefined, lang: Lang): string {
  if (!card) return '';
  const zh = lang === 'zh';
  const lines = ['', zh ? `道路通行规则（${card.vehicle}）：各规则封闭的道路` : `Road rules (${card.vehicle}): roads closed per rule`];
  if (!card.rows.length) lines.push(zh ? '  无封闭道路' : '  nothing closed');
  for (const r of card.rows)
    lines.push(`  ${pad(r.label, 30)} ${r.km.toFixed(2).padStart(8)} km${r.nodes ? (zh ? `，${r.nodes} 个节点` : `, ${r.nodes} node(s)`) : ''}`);
  if (changes) {
    lines.push(zh ? `与默认车辆（${changes.defaultVehicleId}）相比结论、最长时间或边缘可达情况变化的辖区：${changes.changed.length} 个` : `Districts whose verdict, worst time or edge reach changes against the default vehicle (${changes.defaultVehicleId}): ${changes.changed.length}`);
    const pct = fmtShare;
    for (const c of changes.changed)
      lines.push(`  ${c.stationId} ${c.name}: ${c.verdict[0]} → ${c.verdict[1]}, ${fmtMmss(c.worstEdgeSeconds[0])} → ${fmtMmss(c.worstEdgeSeconds[1])}, `
        + `${zh ? '边缘达标' : 'edge within limit'} ${pct(c.shareWithinLimit[0])} → ${pct(c.shareWithinLimit[1])}, ${zh ? '不可达点' : 'unreachable points'} ${c.unreachableEdgePoints[0] ?? '—'} → ${c.unreachableEdgePoints[1] ?? '—'}`);
  }
  return lines.join('\n') + '\n';
}

/** The place's data card as text in one language, with the missing layers the barrier check needs first. */
export function renderPlaceCard(card: PlaceCard, lang: Lang): string {
  const zh = lang === 'zh';
  const lines = ['', zh ? '数据卡：各图层内容、来源与日期' : 'Data card: what each layer holds, its source and date'];
  for (const r of card.rows) {
    const t = cardRowText(r, lang);
    lines.push(`  ${pad(t.label, 24)} ${pad(t.value, 44)} ${t.source}`.trimEnd());
  }
  for (const g of card.dataGaps) lines.push(`  ! ${zh ? g.zh : g.en}`);
  return lines.join('\n') + '\n';
}
