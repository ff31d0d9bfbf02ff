/**
 * planner CLI: the same src/core routing on Node, JSON (or CSV) on stdout, bilingual errors on stderr.
 *
 *   planner times        --place <id> --from LON,LAT --to LON,LAT [--to …]
 *   planner isochrone    --place <id> --from LON,LAT [--from …] --minutes 4 [--bands 2,3,4] [--corridor 50] [--lines]
 *   planner route        --place <id> --from LON,LAT [--from …] --to LON,LAT [--lang zh-Hans|en]
 *   planner export-graph --place <id>
 *   planner check        --place <id> [--standard <preset>] [--districts towns|auto|file.geojson] [--scenario file.geojson]
 *                        [--stations all|existing] [--peak] [--json|--table]
 * Options of times / isochrone / route / export-graph: --crs wgs84|gcj02 (input coordinates), --peak, --profile file.json,
 * --graph file.bin, --data-dir dir
 */
import { existsSync, readFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { convertPosition } from '../core/crs';
import { decodeGraph } from '../core/graph';
import { parseProfile } from '../core/profile';
import { Router, RoutingError, type SitePoint } from '../core/router';
import type { LonLat } from '../core/types';
import { runCheck, type CheckIO } from '../core/compliance/cli';

export class CliError extends Error {
  constructor(public zh: string, public en: string, public exitCode = 1) {
    super(`${en} / ${zh}`);
  }
}

const USAGE = `用法 / usage:
  planner times        --place <id> --from LON,LAT --to LON,LAT [--to …]
  planner isochrone    --place <id> --from LON,LAT [--from …] --minutes 4 [--bands 2,3,4] [--corridor 50] [--lines]
  planner route        --place <id> --from LON,LAT [--from …] --to LON,LAT [--lang zh-Hans|en]
  planner export-graph --place <id>
  planner check        --place <id> [--standard jianbiao152-2017|gb51080-2015|nfpa1710|agbf|custom] [--districts towns|auto|file.geojson] [--scenario file.geojson]
                       [--stations all|existing] [--peak] [--json|--table]
times / isochrone / route / export-graph 的选项 / options: --crs wgs84|gcj02  --peak  --profile file.json  --graph file.bin  --data-dir dir`;

const repoRoot = resolve(fileURLToPath(new URL('.', import.meta.url)), '../..');

function parsePoint(s: string, crs: string): LonLat {
  const m = /^\s*(-?\d+(?:\.\d+)?)\s*,\s*(-?\d+(?:\.\d+)?)\s*$/.exec(s);
  if (!m) throw new CliError(`坐标格式应为 经度,纬度（例如 113.93,22.54），收到「${s}」`, `coordinates must be LON,LAT (e.g. 113.93,22.54), got "${s}"`, 2);
  const p: LonLat = [Number(m[1]), Number(m[2])];
  if (Math.abs(p[0]) > 180 || Math.abs(p[1]) > 90) throw new CliError(`坐标超出范围：${s}（经度在前）`, `coordinate out of range: ${s} (longitude first)`, 2);
  if (crs === 'gcj02') {
    const w = convertPosition(p, 'GCJ02', 'WGS84');
    return [Math.round(w[0] * 1e7) / 1e7, Math.round(w[1] * 1e7) / 1e7];
  }
  return p;
}

function readJson(path: string, what: { zh: string; en: string }): unknown {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch {
    throw new CliError(`无法读取${what.zh}文件：${path}`, `cannot read ${what.en} file: ${path}`);
  }
  try {
    return JSON.parse(text);
  } catch (e) {
    throw new CliError(`${what.zh}文件不是有效的 JSON：${path}`, `${what.en} file is not valid JSON: ${path} (${(e as Error).message})`);
  }
}

/** Runs one command; returns the text for stdout. */
export function run(argv: string[]): string {
  let parsed;
  try {
    parsed = parseArgs({
      args: argv,
      allowPositionals: true,
      options: {
        place: { type: 'string' }, from: { type: 'string', multiple: true }, to: { type: 'string', multiple: true },
        minutes: { type: 'string' }, bands: { type: 'string' }, corridor: { type: 'string' }, lines: { type: 'boolean' },
        lang: { type: 'string' }, crs: { type: 'string' }, peak: { type: 'boolean' }, profile: { type: 'string' },
        graph: { type: 'string' }, 'data-dir': { type: 'string' }, help: { type: 'boolean', short: 'h' },
      },
    });
  } catch (e) {
    throw new CliError(`参数错误：${(e as Error).message}\n${USAGE}`, `bad arguments: ${(e as Error).message}`, 2);
  }
  const { values: o, positionals } = parsed;
  const cmd = positionals[0];
  if (o.help || !cmd) return USAGE + '\n';
  if (!['times', 'isochrone', 'route', 'export-graph'].includes(cmd)) throw new CliError(`未知命令「${cmd}」\n${USAGE}`, `unknown command "${cmd}"`, 2);
  const crs = (o.crs ?? 'wgs84').toLowerCase();
  if (crs !== 'wgs84' && crs !== 'gcj02') throw new CliError(`不支持的坐标系「${o.crs}」（可用 wgs84、gcj02）`, `unsupported CRS "${o.crs}" (use wgs84 or gcj02)`, 2);

  // Graph
  let graphPath = o.graph;
  if (!graphPath) {
    if (!o.place) throw new CliError(`缺少 --place（例如 nanshan、shanghai）\n${USAGE}`, 'missing --place (e.g. nanshan, shanghai)', 2);
    if (!/^[a-z0-9_-]+$/i.test(o.place)) throw new CliError(`地点编号无效：${o.place}`, `invalid place id: ${o.place}`, 2);
    graphPath = resolve(o['data-dir'] ?? resolve(repoRoot, 'public/data'), o.place, 'graph.bin');
  }
  let bytes: Buffer;
  try {
    bytes = readFileSync(graphPath);
  } catch {
    throw new CliError(`找不到路网文件 ${graphPath}（该地点没有路网，或尚未运行 npm run geodata）`, `road graph not found: ${graphPath} (the place has no network, or run npm run geodata first)`);
  }
  const graph = decodeGraph(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer);
  const profile = parseProfile(readJson(o.profile ?? resolve(repoRoot, 'geodata/profiles/fire-engine.json'), { zh: '速度配置', en: 'speed profile' }));
  const router = new Router(graph, profile, !!o.peak);

  if (cmd === 'export-graph') return router.exportCsv();

  const froms = (o.from ?? []).map((s) => parsePoint(s, crs));
  const tos = (o.to ?? []).map((s) => parsePoint(s, crs));
  if (!froms.length) throw new CliError('缺少 --from 经度,纬度', 'missing --from LON,LAT', 2);
  const stations: SitePoint[] = froms.map((p, i) => ({ id: `from-${i + 1}`, lon: p[0], lat: p[1] }));

  if (cmd === 'times') {
    if (!tos.length) throw new CliError('缺少 --to 经度,纬度', 'missing --to LON,LAT', 2);
    const r = router.times(froms[0], tos);
    return json({
      from: { lon: r.from.lon, lat: r.from.lat, snapDistanceM: r.from.distanceM, far: r.from.far, isolated: r.from.isolated },
      results: r.results.map((x) => ({ to: x.to, seconds: x.seconds, meters: x.meters, snapDistanceM: x.snap.distanceM })),
      profile: router.profileName,
      note: 'travel time only, turnout excluded / 仅行车时间，不含出动时间',
    });
  }
  if (cmd === 'isochrone') {
    const minutes = o.minutes !== undefined ? Number(o.minutes) : undefined;
    const bands = o.bands ? o.bands.split(',').map(Number) : [];
    if (minutes !== undefined) bands.push(minutes);
    if (!bands.length) bands.push(4);
    if (bands.some((b) => !Number.isFinite(b))) throw new CliError(`时间分段无效：${o.bands ?? ''} ${o.minutes ?? ''}`, `invalid --bands/--minutes: ${o.bands ?? ''} ${o.minutes ?? ''}`, 2);
    const corridor = o.corridor !== undefined ? Number(o.corridor) : undefined;
    if (corridor !== undefined && !(corridor >= 5 && corridor <= 1000)) throw new CliError('--corridor 应为 5–1000 米', '--corridor must be 5–1000 metres', 2);
    const out = router.isochrone(stations, bands, { corridorM: corridor, lines: !!o.lines });
    const features = [...out.polygons.features, ...(o.lines ? out.lines.features : [])];
    return json({ type: 'FeatureCollection', properties: { profile: out.profileName, snaps: out.snaps, note: 'travel time only, turnout excluded / 仅行车时间，不含出动时间' }, features });
  }
  // route
  if (tos.length !== 1) throw new CliError('route 需要且只需要一个 --to', 'route needs exactly one --to', 2);
  const lang = o.lang ?? 'zh-Hans';
  if (lang !== 'zh-Hans' && lang !== 'en') throw new CliError(`不支持的语言「${lang}」（可用 zh-Hans、en）`, `unsupported language "${lang}" (use zh-Hans or en)`, 2);
  const r = router.route(stations, tos[0], lang);
  r.route.legs[0].steps.forEach((s, i) => { (s as unknown as { instruction: string }).instruction = r.steps[i].text; });
  return json({ code: 'Ok', from: r.stationId, travelSeconds: r.travelSeconds, responseSeconds: r.responseSeconds, snapFrom: r.snapFrom, snapTo: r.snapTo, profile: r.profileName, routes: [r.route] });
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

function main(): void {
  // A closed pipe (e.g. `| head`) is not an error.
  process.stdout.on('error', (e: NodeJS.ErrnoException) => { if (e.code === 'EPIPE') process.exit(0); else throw e; });
  if (process.argv[2] === 'check') {
    void check(process.argv.slice(3));
    return;
  }
  try {
    process.stdout.write(run(process.argv.slice(2)));
  } catch (e) {
    let zh: string, en: string, code = 1;
    if (e instanceof CliError) ({ zh, en, exitCode: code } = e);
    else if (e instanceof RoutingError) ({ zh, en } = e);
    else {
      const msg = e instanceof Error ? e.message : String(e);
      const i = msg.indexOf(' / ');
      [zh, en] = i >= 0 ? [msg.slice(0, i), msg.slice(i + 3)] : [msg, msg];
    }
    process.stderr.write(`错误：${zh}\nerror: ${en}\n`);
    process.exitCode = code;
  }
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) main();
