/**
 * planner CLI: the same src/core routing on Node, JSON (or CSV) on stdout; errors on stderr as one line in the
 * chosen language with a stable code, and a non-zero exit (see USAGE).
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { decodeGraph } from '../core/graph';
import { errorText, isErrorInfo, plannerError, PlannerError, toErrorInfo, type Lang, type PlannerErrorInfo } from '../core/errors';
import { parseProfile } from '../core/profile';
import { parseRoadRules, vehicleById, type RoadRules } from '../core/roadRules';
import { profileWithTurns, Router, type SitePoint, type SnapSummary } from '../core/router';
import type { LonLat } from '../core/types';
import { exitCodeOf, fileFailure, runCheck, type CheckIO } from '../core/compliance/cli';
import { bandsOption, choiceOption, langOption, numberOption, pointOption } from './options';
import { COMMANDS } from './commands';

export const USAGE = `用法 / usage:
  planner times        --place <id> --from LON,LAT --to LON,LAT [--to …]
  planner isochrone    --place <id> --from LON,LAT [--from …] [--minutes 4] [--bands 2,3,4] [--corridor 50] [--lines]
  planner route        --place <id> --from LON,LAT [--from …] --to LON,LAT
  planner export-graph --place <id> [--restrictions FILE]
  planner check        --place <id> [--standard jianbiao152-2017|gb51080-2015|nfpa1710|agbf|custom] [--districts towns|auto|file.geojson] [--scenario file.geojson]
                       [--stations all|existing] [--peak] [--turns on|off] [--vehicle <id>] [--json|--table] [--lang zh|en]
times / isochrone / route / export-graph 的选项 / options:
  --vehicle water-tender|aerial-platform (道路通行规则的车辆 / the road rules' vehicle, default water-tender)
  --rules file.json (道路通行规则 / road rules, default geodata/profiles/road-rules.json)
  --lang zh|en (默认 zh：错误信息与路线指引的语言 / language of messages and route instructions, default zh)
  --crs wgs84|gcj02 (输入坐标 / input coordinates)  --peak  --turns on|off (转向限制 / turn restrictions; default: as the profile says, on)
  --profile file.json  --graph file.bin  --data-dir dir
  --max-snap-from M (默认 500) / --max-snap-to M (默认 300)：出发点 / 目的地距最近道路超过 M 米即拒绝 / refuse a start / destination
                       further than M metres from any road (defaults 500 / 300; 1–100000)
--minutes、--bands 每段 0.1–120 分钟、最多 255 段 / each band 0.1–120 min, at most 255; --corridor 5–1000 m.
times 的秒数精确到 0.001 s；export-graph 输出完整精度（id = 有向边序号 + 1），--restrictions 另写出 pgr_trsp 的转向限制
(id,cost,path) / times gives seconds to 0.001 s; export-graph writes full precision (id = directed edge + 1) and
--restrictions FILE the turn restrictions for pgr_trsp (id,cost,path).
吸附点被移到其他道路时输出 moved、movedM（米）与 reason；距道路超过 50 m 时 far = true 并附 note
/ a snapped point put on another road carries moved, movedM, reason; one over 50 m from its road far = true and a note.
数值只接受普通小数（不接受 0x10、1e3）；每个选项只能出现一次（--from、--to 除外）
/ numbers are plain decimals (no 0x10, 1e3); each option at most once (but --from, --to).
出错时 stderr 输出一行「错误 [代码]：信息」（--lang en：「error [code]: message」），退出码 2 = 用法错误，1 = 数据或输入错误
/ on error stderr gets one line "错误 [code]：…" (or "error [code]: …" with --lang en); exit 2 = usage, 1 = data or input.`;

const repoRoot = resolve(fileURLToPath(new URL('.', import.meta.url)), '../..');

/** Usage errors exit with 2, data and input errors with 1 (one table with `check`). */
export { exitCodeOf };

/** Options that may be given more than once. */
const REPEATABLE: ReadonlySet<string> = new Set(['from', 'to']);

/** The error line of the CLI. */
export const errorLine = (e: PlannerErrorInfo, lang: Lang): string => `${lang === 'zh' ? '错误' : 'error'} [${e.code}]${lang === 'zh' ? '：' : ': '}${errorText(e, lang)}`;

function readJson(path: string, what: { zh: string; en: string }): unknown {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (e) {
    throw fileFailure(e, path, what);
  }
  try {
    return JSON.parse(text);
  } catch (e) {
    throw plannerError('bad-json', `${what.zh}文件不是有效的 JSON`, `the ${what.en} file is not valid JSON`, { file: path, detail: (e as Error).message });
  }
}

/** The road rules (default geodata/profiles/road-rules.json), validated. */
function loadRules(file: string | undefined): RoadRules {
  const path = file ?? resolve(repoRoot, 'geodata/profiles/road-rules.json');
  return parseRoadRules(readJson(path, { zh: '道路通行规则', en: 'road rules' }), path);
}

const missing = (opt: string, zh: string, en: string) => plannerError('missing-option', `缺少 ${opt}${zh}`, `missing ${opt}${en}`);

/** A snap as the CLI prints it: the reason's message and the far note in one language. */
type CliSnap = Omit<SnapSummary, 'reason' | 'note'> & { reason?: { code: string; message: string }; note?: string };
function snapOut(s: SnapSummary, lang: Lang): CliSnap {
  const { reason, note, ...rest } = s;
  const out: CliSnap = rest;
  if (note) out.note = lang === 'zh' ? note.zh : note.en;
  if (reason) out.reason = { code: reason.code, message: lang === 'zh' ? reason.zh : reason.en };
  return out;
}

/** Runs f; a PlannerError it throws without a file gets `file` (e.g. an invalid profile names its file). */
function withFile<T>(file: string, f: () => T): T {
  try {
    return f();
  } catch (e) {
    if (isErrorInfo(e) && !e.file) throw new PlannerError({ ...toErrorInfo(e), file });
    throw e;
  }
}

/** Runs one command; returns the text for stdout. Throws PlannerError. */
export function run(argv: string[]): string {
  let parsed;
  try {
    parsed = parseArgs({
      args: argv,
      allowPositionals: true,
      tokens: true,
      options: {
        place: { type: 'string' }, from: { type: 'string', multiple: true }, to: { type: 'string', multiple: true },
        minutes: { type: 'string' }, bands: { type: 'string' }, corridor: { type: 'string' }, lines: { type: 'boolean' },
        lang: { type: 'string' }, crs: { type: 'string' }, peak: { type: 'boolean' }, profile: { type: 'string' },
        graph: { type: 'string' }, 'data-dir': { type: 'string' }, help: { type: 'boolean', short: 'h' },
        turns: { type: 'string' }, restrictions: { type: 'string' }, vehicle: { type: 'string' }, rules: { type: 'string' },
        'max-snap-from': { type: 'string' }, 'max-snap-to': { type: 'string' },
      },
    });
  } catch (e) {
    throw plannerError('bad-arguments', '参数错误', 'bad arguments', { detail: (e as Error).message });
  }
  const { values: o, positionals, tokens } = parsed;
  const seen = new Set<string>();
  for (const t of tokens) {
    if (t.kind !== 'option' || REPEATABLE.has(t.name)) continue;
    if (seen.has(t.name)) throw plannerError('duplicate-option', `选项 --${t.name} 重复出现`, `option --${t.name} given more than once`);
    seen.add(t.name);
  }
  const cmd = positionals[0];
  const lang = langOption(o.lang);
  if (o.help) return USAGE + '\n';
  if (!cmd) throw plannerError('missing-command', '缺少命令（times、isochrone、route、export-graph 或 check）', 'no command given (times, isochrone, route, export-graph or check)');
  if (positionals.length > 1) throw plannerError('bad-arguments', `多余的参数「${positionals[1]}」`, `unexpected argument "${positionals[1]}"`);
  if (!['times', 'isochrone', 'route', 'export-graph'].includes(cmd)) throw plannerError('unknown-command', `未知命令「${cmd}」`, `unknown command "${cmd}"`);
  const crs = choiceOption('crs', o.crs?.toLowerCase(), ['wgs84', 'gcj02'] as const, 'wgs84');
  // --turns overrides the profile's turnRestrictions; without it the profile (default: obey) decides.
  const turns = o.turns === undefined ? null : choiceOption('turns', o.turns, ['on', 'off'] as const, 'on');
  // Every option is checked before the graph is read.
  const froms = (o.from ?? []).map((s) => pointOption('from', s, crs));
  const tos = (o.to ?? []).map((s) => pointOption('to', s, crs));
  const bands = cmd === 'isochrone' ? bandsOption(o.bands, o.minutes) : [];
  const corridor = o.corridor !== undefined ? numberOption('corridor', o.corridor, 5, 1000, { zh: '米', en: 'metres' }) : undefined;
  const metres = { zh: '米', en: 'metres' };
  const offNetworkM = {
    ...(o['max-snap-from'] !== undefined ? { start: numberOption('max-snap-from', o['max-snap-from'], 1, 100_000, metres) } : {}),
    ...(o['max-snap-to'] !== undefined ? { destination: numberOption('max-snap-to', o['max-snap-to'], 1, 100_000, metres) } : {}),
  };
  const rules = loadRules(o.rules);
  const vehicle = vehicleById(rules, o.vehicle).id;

  // Graph
  let graphPath = o.graph;
  if (!graphPath) {
    if (!o.place) throw missing('--place', '（例如 nanshan、shanghai）', ' (e.g. nanshan, shanghai)');
    if (!/^[a-z0-9_-]+$/i.test(o.place)) throw plannerError('bad-option', `地点编号无效：${o.place}`, `invalid place id: ${o.place}`);
    graphPath = resolve(o['data-dir'] ?? resolve(repoRoot, 'public/data'), o.place, 'graph.bin');
  }
  let bytes: Buffer;
  try {
    bytes = readFileSync(graphPath);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw fileFailure(e, graphPath, { zh: '路网', en: 'road graph' });
    throw plannerError('graph-not-found', '找不到路网文件（该地点没有路网，或尚未运行 npm run geodata）', 'road graph not found (the place has no network, or run npm run geodata first)', { file: graphPath });
  }
  let graph;
  try {
    graph = decodeGraph(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer);
  } catch (e) {
    throw plannerError('bad-graph', '路网文件无法读取', 'the road graph file cannot be read', { file: graphPath, detail: (e as Error).message });
  }
  const profilePath = o.profile ?? resolve(repoRoot, 'geodata/profiles/fire-engine.json');
  const fileProfile = withFile(profilePath, () => parseProfile(readJson(profilePath, { zh: '速度配置', en: 'speed profile' })));
  const profile = turns === null ? fileProfile : profileWithTurns(fileProfile, turns === 'on');
  const obey = profile.turnRestrictions.value === 'obey';
  const router = new Router(graph, profile, !!o.peak, { roadRules: rules, vehicleId: vehicle, offNetworkM });

  if (cmd === 'export-graph') {
    if (o.restrictions) {
      try {
        writeFileSync(o.restrictions, router.exportRestrictionsCsv(obey));
      } catch (e) {
        // A directory or a missing folder is said in words; anything else keeps the system's message as the detail.
        const errno = (e as NodeJS.ErrnoException).code;
        const why = errno === 'EISDIR' ? { zh: '（该路径是一个目录）', en: ' (the path is a directory)' } : errno === 'ENOENT' ? { zh: '（所在文件夹不存在）', en: ' (its folder does not exist)' } : null;
        throw plannerError('file-unwritable', `无法写入转向限制文件${why?.zh ?? ''}`, `cannot write the turn-restrictions file${why?.en ?? ''}`, { file: o.restrictions, ...(why ? {} : { detail: (e as Error).message }) });
      }
    }
    return router.exportCsv();
  }

  if (!froms.length) throw missing('--from', ' 经度,纬度', ' LON,LAT');
  const stations: SitePoint[] = froms.map((p: LonLat, i) => ({ id: `from-${i + 1}`, lon: p[0], lat: p[1] }));
  // The CLI refuses any start off the road network (the app leaves such stations out instead).
  const nth = (i: number, n: number) => (n > 1 ? { zh: `第 ${i + 1} 个 --from`, en: `--from ${i + 1}` } : { zh: '--from', en: '--from' });
  if (cmd !== 'times') froms.forEach((p, i) => router.placed(p[0], p[1], 'start', nth(i, froms.length)));

  if (cmd === 'times') {
    if (!tos.length) throw missing('--to', ' 经度,纬度', ' LON,LAT');
    if (froms.length > 1) throw plannerError('bad-option', 'times 只接受一个 --from（出发点）', 'times takes one --from (the start point)');
    const r = router.times(froms[0], tos);
    const { lon, lat, distanceM, far, isolated, ...moved } = snapOut(r.from, lang);
    return json({
      from: { lon, lat, snapDistanceM: distanceM, far, isolated, ...moved },
      results: r.results.map((x) => {
        const s = snapOut(x.snap, lang);
        return { to: x.to, seconds: x.seconds, meters: x.meters, snapDistanceM: s.distanceM, far: s.far, ...(s.note ? { note: s.note } : {}), isolated: s.isolated, moved: s.moved, movedM: s.movedM, ...(s.reason ? { reason: s.reason } : {}) };
      }),
      profile: router.profileName,
      vehicle,
      note: lang === 'zh' ? '仅行车时间，不含出动时间' : 'travel time only, turnout excluded',
    });
  }
  if (cmd === 'isochrone') {
    const out = router.isochrone(stations, bands, { corridorM: corridor, lines: !!o.lines });
    const features = [...out.polygons.features, ...(o.lines ? out.lines.features : [])];
    const snaps = Object.fromEntries(Object.entries(out.snaps).map(([k, s]) => [k, snapOut(s, lang)]));
    return json({ type: 'FeatureCollection', properties: { profile: out.profileName, vehicle, snaps, note: lang === 'zh' ? '仅行车时间，不含出动时间' : 'travel time only, turnout excluded' }, features });
  }
  // route
  if (tos.length !== 1) throw plannerError('bad-option', 'route 需要且只需要一个 --to', 'route needs exactly one --to');
  const routeLang = lang === 'zh' ? 'zh-Hans' : 'en';
  const r = router.route(stations, tos[0], routeLang);
  r.route.legs[0].steps.forEach((s, i) => { (s as unknown as { instruction: string }).instruction = r.steps[i].text; });
  return json({ code: 'Ok', from: r.stationId, travelSeconds: r.travelSeconds, responseSeconds: r.responseSeconds, snapFrom: snapOut(r.snapFrom, lang), snapTo: snapOut(r.snapTo, lang), profile: r.profileName, vehicle, routes: [r.route] });
}

const json = (v: unknown) => JSON.stringify(v) + '\n';

/** `check` (issue 5): the compliance verdicts, run by src/core/compliance/cli.ts with file access from here. */
async function check(argv: string[]): Promise<void> {
  // The place data resolves against the repository; files the user names (made absolute below) stay as they are.
  const io: CheckIO = {
    readText: (p) => readFile(resolve(repoRoot, p), 'utf8'),
    readBytes: async (p) => { const b = await readFile(resolve(repoRoot, p)); return b.buffer.slice(b.byteOffset, b.byteOffset + b.byteLength) as ArrayBuffer; },
    exists: async (p) => existsSync(resolve(repoRoot, p)),
  };
  // Paths given by the user are relative to where they ran the command.
  const userFile = (a: string, i: number) => argv[i - 1] === '--scenario' || (argv[i - 1] === '--districts' && a !== 'auto' && a !== 'towns');
  const r = await runCheck(argv.map((a, i) => (userFile(a, i) ? resolve(process.cwd(), a) : a)), io);
  process.stdout.write(r.stdout);
  process.stderr.write(r.stderr);
  process.exitCode = r.code;
}

/** The --lang of an argv, read leniently (for the error line of a command whose arguments did not parse). */
function langOf(argv: string[]): Lang {
  const i = argv.indexOf('--lang');
  const v = i >= 0 ? argv[i + 1] : argv.find((a) => a.startsWith('--lang='))?.slice(7);
  return v === 'en' ? 'en' : 'zh';
}

function main(): void {
  // A closed pipe (e.g. `| head`) is not an error.
  process.stdout.on('error', (e: NodeJS.ErrnoException) => { if (e.code === 'EPIPE') process.exit(0); else throw e; });
  if (process.argv[2] === 'check') {
    void check(process.argv.slice(3));
    return;
  }
  const own = COMMANDS[process.argv[2] ?? ''];
  if (own) {
    void own().then((c) => c.run(process.argv.slice(3))).then((code) => { process.exitCode = code; });
    return;
  }
  const argv = process.argv.slice(2);
  try {
    process.stdout.write(run(argv));
  } catch (e) {
    const info = toErrorInfo(e);
    process.stderr.write(errorLine(info, langOf(argv)) + '\n');
    process.exitCode = exitCodeOf(info.code);
    if (info.code === 'missing-command') void printUsage();
  }
}

/** The main usage and each own command's usage, on stderr. */
async function printUsage(): Promise<void> {
  const own = await Promise.all(Object.values(COMMANDS).map((c) => c()));
  process.stderr.write([USAGE, ...own.map((c) => c.usage)].join('\n') + '\n');
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) main();
