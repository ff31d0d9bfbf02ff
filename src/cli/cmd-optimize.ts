/**
 * `planner optimize` (issue #12): where should the next stations go, and how few are enough? The same core as the
 * app's panel: demand along the roads (or a file), candidates on suitable road nodes (or a file), the coverage
 * matrix from the road network (straight-line estimate without one, labelled so), greedy + swap, and with --exact
 * the MIP solved by HiGHS (WebAssembly). --write-lp writes the model as CPLEX LP text for any other solver.
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import Papa from 'papaparse';
import type { FeatureCollection, Point } from 'geojson';
import { parseSitingRules, type PoiProps } from '../core/siting';
import { plannerError, toErrorInfo, type Lang, type PlannerErrorInfo } from '../core/errors';
import { decodeGraph } from '../core/graph';
import { parseProfile } from '../core/profile';
import { parseRoadRules } from '../core/roadRules';
import { Router } from '../core/router';
import { placeStations } from '../core/scenario/io';
import { parseStandard } from '../core/compliance/standards';
import { unionAll } from '../core/compliance/districts';
import { exitCodeOf, fileFailure } from '../core/compliance/cli';
import type { AreaGeometry } from '../core/types';
import {
  areaCandidates, areaDemand, buildMip, coverageCurve, importedCandidates, importedDemand, mergeDemand, modelObjectiveOf, MODEL_KINDS, networkMatrix, sitedRoadCandidates,
  roadDemand, scoreSites, sitingHook, solveExactGuarded, solveHeuristic, stationCandidates, straightLineMatrix, writeLp,
  type Candidate, type CoverageMatrix, type CurvePoint, type Demand, type DemandPoint, type ModelKind, type Solution,
} from '../core/optimize/index';
import { fmtMmss } from '../core/format';
import { choiceOption, langOption, numberOption } from './options';
import { nodeSolveLp } from './highsNode';

export const usage = `  planner optimize     --place <id> --model lscp|mclp|pmedian|pcenter|backup [--k 3] [--minutes 4] [--backup-minutes 8]
                       [--fixed existing|all] [--candidates file.csv|.geojson] [--demand file.csv|.geojson] [--spacing 200]
                       [--siting off|exclude|flag] [--reverse] [--exact] [--time-limit 60] [--write-lp f.lp] [--json] [--lang zh|en]
    选址优化：现有站固定；--fixed existing 时规划站也可被选（并与最优方案比较），all 时规划站也固定。无路网的地点按直线距离估算。
    / siting optimizer: existing stations fixed; with --fixed existing planned stations are candidates too (and compared
    with the best), with all they are fixed. Places without roads run as a straight-line estimate.
    --demand / --candidates：CSV（lon,lat[,weight][,id,name] 列）或 GeoJSON 点（properties.weight）；需求点文件必须有 weight
    / CSV (columns lon,lat[,weight][,id,name]) or GeoJSON points (properties.weight); a demand file must have weights.
    --siting：建标152 选址检查（距人员密集场所出入口 ≥ 50 m、危险品 ≥ 300 m）不通过的候选点排除或标记 / candidates failing the
    建标152 siting checklist (≥ 50 m from crowd exits, ≥ 300 m from hazchem) are excluded or flagged. --reverse: 需求点 → 站
    (不计转向限制) / demand → station (turn restrictions not modelled).`;

const repoRoot = resolve(fileURLToPath(new URL('.', import.meta.url)), '../..');

const errorLine = (e: PlannerErrorInfo, lang: Lang): string => `${lang === 'zh' ? '错误' : 'error'} [${e.code}]${lang === 'zh' ? '：' : ': '}${lang === 'zh' ? e.zh : e.en}${e.file ? ` (${e.file})` : ''}`;

function readText(path: string, what: { zh: string; en: string }): string {
  try {
    return readFileSync(path, 'utf8');
  } catch (e) {
    throw fileFailure(e, path, what);
  }
}

function readJsonFile(path: string, what: { zh: string; en: string }): unknown {
  const text = readText(path, what);
  try {
    return JSON.parse(text);
  } catch (e) {
    throw plannerError('bad-json', `${what.zh}文件不是有效的 JSON`, `the ${what.en} file is not valid JSON`, { file: path, detail: (e as Error).message });
  }
}

interface PointRow { lon: number; lat: number; weight?: number; id?: string; name?: string }

const pick = (r: Record<string, unknown>, names: string[]): unknown => {
  for (const k of Object.keys(r)) if (names.includes(k.trim().toLowerCase())) return r[k];
  return undefined;
};

/** Points of a CSV (lon/lng/longitude/经度, lat/latitude/纬度, weight/权重, id, name) or GeoJSON file. */
export function readPoints(path: string, what: { zh: string; en: string }): PointRow[] {
  const text = readText(path, what);
  const rows: PointRow[] = [];
  const num = (v: unknown): number => (typeof v === 'number' ? v : typeof v === 'string' && v.trim() !== '' ? Number(v) : NaN);
  if (/\.(geo)?json$/i.test(path) || text.trimStart().startsWith('{')) {
    const fc = readJsonFile(path, what) as FeatureCollection;
    if (fc?.type !== 'FeatureCollection' || !Array.isArray(fc.features))
      throw plannerError('bad-points-file', `${what.zh}文件不是 GeoJSON FeatureCollection`, `the ${what.en} file is not a GeoJSON FeatureCollection`, { file: path });
    for (const f of fc.features) {
      if (f?.geometry?.type !== 'Point') continue;
      const p = (f.properties ?? {}) as Record<string, unknown>, w = pick(p, ['weight', '权重']);
      rows.push({ lon: f.geometry.coordinates[0], lat: f.geometry.coordinates[1], weight: w === undefined ? undefined : num(w), id: p.id === undefined ? undefined : String(p.id), name: typeof p.name === 'string' ? p.name : undefined });
    }
  } else {
    const parsed = Papa.parse<Record<string, string>>(text.replace(/^\uFEFF/, ''), { header: true, skipEmptyLines: true });
    for (const r of parsed.data) {
      const w = pick(r, ['weight', '权重']);
      rows.push({ lon: num(pick(r, ['lon', 'lng', 'longitude', 'x', '经度'])), lat: num(pick(r, ['lat', 'latitude', 'y', '纬度'])), weight: w === undefined ? undefined : num(w), id: pick(r, ['id']) as string | undefined, name: pick(r, ['name', '名称']) as string | undefined });
    }
  }
  if (rows.length === 0) throw plannerError('empty-points-file', `${what.zh}文件中没有点`, `the ${what.en} file has no points`, { file: path });
  return rows;
}

interface PlaceMeta { hasNetwork?: boolean; bbox?: [number, number, number, number]; files: Record<string, string | undefined> }

const fmt = (x: number, d = 1) => (Math.round(x * 10 ** d) / 10 ** d).toFixed(d);

export async function run(argv: string[]): Promise<number> {
  let lang: Lang = argv[argv.indexOf('--lang') + 1] === 'en' || argv.includes('--lang=en') ? 'en' : 'zh';
  try {
    let parsed;
    try {
      // A negative number after an option is its value (--k -1 → --k=-1), so it fails as a bad value, not as an unknown flag.
      const args = argv.map((a, i) => (/^-\d/.test(a) && /^--[a-z-]+$/.test(argv[i - 1] ?? '') ? null : /^--[a-z-]+$/.test(a) && /^-\d/.test(argv[i + 1] ?? '') ? `${a}=${argv[i + 1]}` : a)).filter((a): a is string => a !== null);
      parsed = parseArgs({
        args, allowPositionals: false, strict: true,
        options: {
          place: { type: 'string' }, model: { type: 'string' }, k: { type: 'string' }, minutes: { type: 'string' }, 'backup-minutes': { type: 'string' },
          fixed: { type: 'string' }, candidates: { type: 'string' }, demand: { type: 'string' }, spacing: { type: 'string' }, reverse: { type: 'boolean' },
          exact: { type: 'boolean' }, 'time-limit': { type: 'string' }, 'write-lp': { type: 'string' }, json: { type: 'boolean' }, lang: { type: 'string' },
          'data-dir': { type: 'string' }, siting: { type: 'string' },
        },
      });
    } catch (e) {
      throw plannerError('bad-arguments', '参数错误', 'bad arguments', { detail: (e as Error).message });
    }
    const o = parsed.values;
    lang = langOption(o.lang);
    const out = await optimize(o as Record<string, string | boolean | undefined>, lang);
    process.stdout.write(out);
    return 0;
  } catch (e) {
    const info = toErrorInfo(e);
    process.stderr.write(errorLine(info, lang) + '\n');
    return exitCodeOf(info.code);
  }
}

/** The whole command; returns stdout text. Throws PlannerError. */
export async function optimize(o: Record<string, string | boolean | undefined>, lang: Lang): Promise<string> {
  const str = (k: string) => (typeof o[k] === 'string' ? (o[k] as string) : undefined);
  if (!str('place')) throw plannerError('missing-option', '缺少 --place（例如 shanghai、nanshan）', 'missing --place (e.g. shanghai, nanshan)');
  const place = str('place')!;
  if (!/^[a-z0-9_-]+$/i.test(place)) throw plannerError('bad-option', `地点编号无效：${place}`, `invalid place id: ${place}`);
  if (!str('model')) throw plannerError('missing-option', '缺少 --model（lscp、mclp、pmedian、pcenter 或 backup）', 'missing --model (lscp, mclp, pmedian, pcenter or backup)');
  const model = choiceOption('model', str('model'), MODEL_KINDS, 'mclp') as ModelKind;
  const k = str('k') !== undefined ? numberOption('k', str('k')!, 0, 500, { zh: '个', en: 'stations' }) : 3;
  if (!Number.isInteger(k)) throw plannerError('bad-option', `--k 必须是整数，收到「${str('k')}」`, `--k must be a whole number, got "${str('k')}"`);
  const minutes = numberOption('minutes', str('minutes') ?? '4', 0.5, 60, { zh: '分钟', en: 'minutes' });
  const backupMin = model === 'backup' ? numberOption('backup-minutes', str('backup-minutes') ?? '8', minutes, 120, { zh: '分钟', en: 'minutes' }) : null;
  const fixedMode = choiceOption('fixed', str('fixed'), ['existing', 'all'] as const, 'all');
  const spacing = numberOption('spacing', str('spacing') ?? '200', 20, 10_000, { zh: '米', en: 'metres' });
  const siting = choiceOption('siting', str('siting'), ['off', 'exclude', 'flag'] as const, 'off');
  const timeLimit = numberOption('time-limit', str('time-limit') ?? '60', 1, 3600, { zh: '秒', en: 'seconds' });

  const dataDir = resolve(str('data-dir') ?? resolve(repoRoot, 'public/data'), place);
  const metaPath = resolve(dataDir, 'place.json');
  let meta: PlaceMeta;
  try {
    meta = JSON.parse(readFileSync(metaPath, 'utf8')) as PlaceMeta;
  } catch {
    throw plannerError('unknown-place', `未找到地点「${place}」`, `place "${place}" not found`, { file: metaPath });
  }
  const placeFile = (name: string): unknown => (meta.files[name] ? readJsonFile(resolve(dataDir, meta.files[name]!), { zh: name, en: name }) : null);
  const stations = [...placeStations(placeFile('facilities') as FeatureCollection | null), ...placeStations(placeFile('plan') as FeatureCollection | null)];
  const fixedCands = stationCandidates(stations.map((s) => ({ id: s.id, name: s.name, lon: s.lon, lat: s.lat, planned: s.status !== 'existing' })), fixedMode === 'all' ? 'fixed' : 'free');

  // Demand and candidates from files when given (read before the heavy work, so a bad file fails fast).
  let fileDemand: DemandPoint[] | null = null;
  if (str('demand')) {
    const rows = readPoints(str('demand')!, { zh: '需求点', en: 'demand' });
    if (rows.every((r) => r.weight === undefined))
      throw plannerError('demand-no-weight', '需求点文件没有权重列（weight / 权重）', 'the demand file has no weight column (weight)', { file: str('demand') });
    fileDemand = rows.map((r) => ({ lon: r.lon, lat: r.lat, weight: r.weight ?? NaN }));
  }
  const fileCands = str('candidates') ? importedCandidates(readPoints(str('candidates')!, { zh: '候选站点', en: 'candidates' })) : null;

  const limitS = minutes * 60, backupS = backupMin === null ? null : backupMin * 60;
  const horizonS = model === 'pmedian' || model === 'pcenter' ? 2 * limitS : Math.max(limitS, backupS ?? 0);
  const estimate = !(meta.hasNetwork && meta.files.graph);
  let demand: Demand, cands: Candidate[], matrix: CoverageMatrix, excludedBySiting = 0;
  const std = parseStandard(readJsonFile(resolve(repoRoot, 'geodata/standards/jianbiao152-2017.json'), { zh: '标准', en: 'standard' }));
  if (!estimate) {
    const bytes = readFileSync(resolve(dataDir, meta.files.graph!));
    const graph = decodeGraph(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer);
    const profile = parseProfile(readJsonFile(resolve(repoRoot, 'geodata/profiles/fire-engine.json'), { zh: '速度配置', en: 'speed profile' }));
    const rules = parseRoadRules(readJsonFile(resolve(repoRoot, 'geodata/profiles/road-rules.json'), { zh: '道路通行规则', en: 'road rules' }), 'geodata/profiles/road-rules.json');
    const router = new Router(graph, profile, false, { roadRules: rules });
    demand = fileDemand ? importedDemand(fileDemand) : roadDemand(graph, { seconds: router.seconds });
    const sitingOpts = siting === 'off' ? {} : { siting: sitingHookOf(dataDir, meta), sitingMode: siting };
    // The checklist as the app applies it (one core function): failing nodes dropped, then thinned.
    const sited = fileCands ? { candidates: fileCands, excluded: 0 } : sitedRoadCandidates(graph, { spacingM: spacing, seconds: router.seconds, usable: router.mainNetwork, ...sitingOpts });
    cands = sited.candidates;
    excludedBySiting = sited.excluded;
    if (cands.length === 0) throw plannerError('no-candidates', '候选站点为空：没有可供选择的新站址', 'the candidate set is empty: there is no new site to choose from');
    matrix = networkMatrix(router, demand, [...fixedCands, ...cands], { limitS, backupLimitS: backupS, horizonS, direction: o.reverse ? 'demand-to-station' : 'station-to-demand' });
  } else {
    const boundary = placeFile('boundary') as FeatureCollection | null;
    const area = unionAll((boundary?.features ?? []).filter((f) => f.geometry?.type === 'Polygon' || f.geometry?.type === 'MultiPolygon').map((f) => f.geometry as AreaGeometry));
    if (!area && !fileDemand) throw plannerError('no-planning-area', `${place}：没有规划范围，无法估算`, `${place}: no planning area to estimate on`);
    demand = fileDemand ? importedDemand(fileDemand) : areaDemand(area!, Math.max(spacing, 200));
    cands = fileCands ?? areaCandidates(area!, Math.max(spacing, 500));
    if (cands.length === 0) throw plannerError('no-candidates', '候选站点为空：没有可供选择的新站址', 'the candidate set is empty: there is no new site to choose from');
    matrix = straightLineMatrix(demand, [...fixedCands, ...cands], { limitS, backupLimitS: backupS, horizonS, speedKmh: std.straightLine.speedKmh.value, curvature: std.straightLine.curvature.value });
  }

  const merged = mergeDemand(matrix, model);
  const opts = { model, k };
  const heuristic = solveHeuristic(merged, opts);
  let exact: Solution | null = null;
  const mip = str('write-lp') ? buildMip(merged, opts) : null;
  if (str('write-lp')) {
    try {
      writeFileSync(str('write-lp')!, writeLp(mip!));
    } catch (e) {
      throw plannerError('file-unwritable', '无法写入 LP 文件', 'cannot write the LP file', { file: str('write-lp'), detail: (e as Error).message });
    }
  }
  // A failed or aborted exact run keeps the heuristic answer; the JSON / text say what became of the exact run.
  let exactFailure: PlannerErrorInfo | null = null;
  if (o.exact) {
    try {
      // The engine first: HiGHS models over what HiGHS (WebAssembly) holds are refused before they are built; a big
      // MCLP goes to the Lagrangian branch and bound, which needs neither the MIP nor HiGHS.
      exact = await solveExactGuarded(merged, opts, nodeSolveLp, { timeLimitS: timeLimit, ...(mip ? { mip } : {}) });
    } catch (e) {
      exactFailure = exactFailureOf(e);
    }
  }
  const curve = model === 'mclp' || model === 'lscp' ? coverageCurve(merged, 10) : null;
  const unitLabel = demand.unit === 'm' ? { zh: '米道路', en: 'm of road' } : demand.unit === 'm2' ? { zh: '平方米', en: 'm²' } : { zh: '权重', en: 'weight' };
  const result = {
    ...optimizeResult({
      place, model, k, minutes, backupMinutes: backupMin, fixed: fixedMode,
      mode: estimate ? 'straight-line-estimate' : 'network',
      ...(estimate ? { estimateNote: lang === 'zh' ? '估算 — 无路网：按直线距离 × 曲折系数 ÷ 估算车速' : 'estimate — no road network: straight-line distance × curvature ÷ estimate speed' } : {}),
      demand, matrix, merged, newCandidates: cands.length, excludedBySiting, heuristic, exact, exactFailure, curve,
    }, (f) => ({ message: lang === 'zh' ? f.zh : f.en })),
    ...(str('write-lp') ? { lpFile: str('write-lp') } : {}),
  };
  const { plan, notReached } = result;
  if (o.json) return JSON.stringify(result) + '\n';
  const zh = lang === 'zh', L: string[] = [];
  if (estimate) L.push(zh ? '【估算 — 无路网】按直线距离估算行车时间' : '[ESTIMATE — no road network] travel times from straight-line distance');
  L.push(zh ? `模型 ${model}，${minutes} 分钟行车，需求 ${result.demand.points} 点（合并为 ${merged.demandCount}），候选 ${cands.length} 处，固定站 ${result.candidates.fixed} 座`
    : `model ${model}, ${minutes} min travel, ${result.demand.points} demand points (merged to ${merged.demandCount}), ${cands.length} candidates, ${result.candidates.fixed} fixed stations`);
  L.push(zh ? `方法：${result.method}${exact?.exact ? `（${exact.exact.status}，界 ${fmt(exact.exact.bound ?? NaN, 3)}，间隙 ${fmt(100 * (exact.exact.gap ?? NaN), 2)} %）` : ''}`
    : `method: ${result.method}${exact?.exact ? ` (${exact.exact.status}, bound ${fmt(exact.exact.bound ?? NaN, 3)}, gap ${fmt(100 * (exact.exact.gap ?? NaN), 2)} %)` : ''}`);
  if (excludedBySiting) L.push(zh ? `另有 ${excludedBySiting} 处候选点因未通过选址检查（建标152）被排除` : `${excludedBySiting} more candidates were left out for failing the siting checklist (建标152)`);
  const warn = zh ? '  ⚠ 选址检查未通过（建标152）' : '  ⚠ fails the siting checklist (建标152)';
  const u = zh ? unitLabel.zh : unitLabel.en;
  const gainUnit = model === 'pmedian' ? (zh ? `${u}·秒（节省）` : `${u}·s saved`) : model === 'pcenter' ? (zh ? '秒（最差时间缩短）' : 's off the worst time') : u;
  result.sites.forEach((s, i) => L.push(`  ${i + 1}. ${s.id} ${s.lon.toFixed(6)},${s.lat.toFixed(6)}  +${fmt(s.gain)} ${gainUnit}${'flagged' in s && s.flagged ? warn : ''}`));
  L.push(zh ? `覆盖 ${fmt(100 * result.coveredShare)} %（${fmt(result.coveredWeight)} / ${fmt(result.demand.totalWeight)} ${unitLabel.zh}）；任何站址都无法覆盖：${fmt(result.uncoverableWeight)}`
    : `covered ${fmt(100 * result.coveredShare)} % (${fmt(result.coveredWeight)} / ${fmt(result.demand.totalWeight)} ${unitLabel.en}); not coverable by any site: ${fmt(result.uncoverableWeight)}`);
  if (model === 'pmedian') L.push(zh ? `加权平均行车时间 ${fmt(result.weightedTimeS / Math.max(result.demand.totalWeight, 1e-9))} 秒（${minutes * 2} 分钟内无站可达按 ${fmt(2 * horizonS, 0)} 秒计）`
    : `weighted mean travel time ${fmt(result.weightedTimeS / Math.max(result.demand.totalWeight, 1e-9))} s (demand no station reaches within ${minutes * 2} min counts ${fmt(2 * horizonS, 0)} s)`);
  if (exactFailure) L.push(zh ? `精确求解未完成 [${exactFailure.code}]：${exactFailure.zh}；以上为启发式结果` : `exact run did not finish [${exactFailure.code}]: ${exactFailure.en}; the answer above is the heuristic one`);
  if (model === 'pcenter') {
    L.push(notReached
      ? zh ? `最差行车时间：${fmtMmss(notReached.withinS)} 内无法到达（${notReached.points} 个需求点）` : `worst travel time: not reached within ${fmtMmss(notReached.withinS)} (${notReached.points} points)`
      : zh ? `最差行车时间 ${fmt(result.worstTimeS!)} 秒` : `worst travel time ${fmt(result.worstTimeS!)} s`);
  }
  if (model === 'backup') L.push(zh ? `${backupMin} 分钟内有两座站可达：${fmt(result.backupWeight ?? 0)} ${u}` : `reached by two stations within ${backupMin} min: ${fmt(result.backupWeight ?? 0)} ${u}`);
  if (plan) L.push(zh ? `规划的 ${plan.sites} 处新站覆盖 ${fmt(100 * plan.planCoveredShare)} %；最优的 ${plan.sites} 处覆盖 ${fmt(100 * plan.bestCoveredShare)} %`
    : `the plan's ${plan.sites} new sites cover ${fmt(100 * plan.planCoveredShare)} %; the best ${plan.sites} cover ${fmt(100 * plan.bestCoveredShare)} %`);
  if (curve) L.push((zh ? '覆盖率曲线 k=0…: ' : 'coverage curve k=0…: ') + curve.map((p) => `${fmt(100 * p.coveredShare)}%`).join(' '));
  if (str('write-lp')) L.push((zh ? 'LP 文件：' : 'LP file: ') + str('write-lp'));
  return L.join('\n') + '\n';
}

/** The 建标152 siting hook from the place's pois.geojson (none: every site 'no-data') and geodata/standards/siting.json. */
function sitingHookOf(dataDir: string, meta: PlaceMeta): ReturnType<typeof sitingHook> {
  const parsed = parseSitingRules(readJsonFile(resolve(repoRoot, 'geodata/standards/siting.json'), { zh: '选址规则', en: 'siting rules' }));
  if (!parsed.ok) throw plannerError('bad-siting-rules', parsed.issues.map((i) => i.zh).join('；'), parsed.issues.map((i) => i.en).join('; '));
  const poisPath = resolve(dataDir, meta.files.pois ?? 'pois.geojson');
  const pois = existsSync(poisPath) ? (readJsonFile(poisPath, { zh: '兴趣点', en: 'POI' }) as FeatureCollection<Point, PoiProps>) : null;
  return sitingHook(pois, { rules: parsed.rules, ...(meta.bbox ? { coverage: meta.bbox } : {}) });
}

/** A candidate as the JSON answer shows it (also the server's optimizer, src/server/optimize.ts). */
export const site = (c: Candidate) => ({ id: c.id, ...(c.name ? { name: c.name } : {}), kind: c.kind, lon: Math.round(c.lon * 1e7) / 1e7, lat: Math.round(c.lat * 1e7) / 1e7, ...(c.siting ? { siting: c.siting } : {}), ...(c.flagged ? { flagged: true } : {}) });
export const relGap = (h: number, e: number) => (e === 0 ? (h === 0 ? 0 : null) : Math.abs(h - e) / Math.abs(e));

/** One optimizer run's parts, as `planner optimize` and the server's optimizer (src/server/optimize.ts) both have them. */
export interface OptimizeRun {
  place: string;
  model: ModelKind;
  k: number;
  minutes: number;
  backupMinutes: number | null;
  fixed: 'existing' | 'all';
  /** 'network', or 'straight-line-estimate' with the note that says so. */
  mode: string;
  estimateNote?: string;
  demand: Demand;
  matrix: CoverageMatrix;
  merged: CoverageMatrix;
  /** How many new candidate sites there were (fixed stations apart), and how many the siting checklist left out. */
  newCandidates: number;
  excludedBySiting?: number;
  heuristic: Solution;
  exact: Solution | null;
  exactFailure: PlannerErrorInfo | null;
  curve: CurvePoint[] | null;
}

/**
 * The JSON answer of an optimizer run (`planner optimize --json`, and the server's `result`): the chosen sites and
 * the objectives on the unmerged matrix (exact times, not p-median / p-center's merged whole seconds), the greedy
 * answer beside the exact one, the plan's own new sites against the best as many, and for p-center the demand no
 * chosen site reaches within the horizon (scored with a penalty, never a time to show). `failureText`: how a failed
 * exact run's message is given (the CLI: in its language; the server: both).
 */
export function optimizeResult(r: OptimizeRun, failureText: (f: PlannerErrorInfo) => { message: string; messageZh?: string }) {
  const { model, k, matrix, heuristic, exact, exactFailure, curve } = r;
  const opts = { model, k };
  const best = exact ?? heuristic;
  const full = scoreSites(matrix, best.open);
  // The plan's own new sites (planned stations, free with --fixed existing) against the best as many.
  const plannedIdx = matrix.candidates.map((c, j) => (c.kind === 'planned' && !c.fixed ? j : -1)).filter((j) => j >= 0);
  let plan = null;
  if (plannedIdx.length) {
    const own = scoreSites(matrix, plannedIdx), top = solveHeuristic(mergeDemand(matrix, 'mclp'), { model: 'mclp', k: plannedIdx.length });
    plan = { sites: plannedIdx.length, planCoveredShare: own.coveredShare, bestCoveredShare: scoreSites(matrix, top.open).coveredShare, bestSites: top.open.map((j) => site(matrix.candidates[j])) };
  }
  const notReached = model === 'pcenter' ? notReachedBy(matrix, best.open) : null;
  return {
    place: r.place, model, k: model === 'lscp' ? null : k, minutes: r.minutes, backupMinutes: r.backupMinutes, fixed: r.fixed,
    mode: r.mode,
    ...(r.estimateNote ? { estimateNote: r.estimateNote } : {}),
    direction: matrix.direction,
    demand: { source: r.demand.source, points: r.demand.weight.length, merged: r.merged.demandCount, unit: r.demand.unit, totalWeight: full.totalWeight },
    candidates: { new: r.newCandidates, fixed: matrix.candidates.filter((c) => c.fixed).length, ...(r.excludedBySiting ? { excludedBySiting: r.excludedBySiting } : {}) },
    method: best.method,
    sites: best.picks.map((p) => ({ ...site(matrix.candidates[p.candidate]), gain: p.gain })),
    objective: modelObjectiveOf(matrix, opts, best.open),
    coveredWeight: full.coveredWeight, coveredShare: full.coveredShare,
    uncoverableWeight: full.uncoverableWeight, uncoverablePoints: countUncoverable(matrix),
    backupWeight: full.backupWeight, weightedTimeS: full.weightedTimeS, worstTimeS: notReached ? null : full.worstTimeS,
    greedy: { objective: modelObjectiveOf(matrix, opts, heuristic.open), sites: heuristic.open.map((j) => matrix.candidates[j].id) },
    ...(exact?.exact ? { exact: exact.exact, greedyGap: relGap(modelObjectiveOf(matrix, opts, heuristic.open), modelObjectiveOf(matrix, opts, exact.open)) } : {}),
    ...(exactFailure ? { exact: { status: 'failed', code: exactFailure.code, ...failureText(exactFailure), ...(exactFailure.detail ? { detail: exactFailure.detail } : {}) } } : {}),
    ...(notReached ? { notReached } : {}),
    ...(curve ? { curve: curve.map((p) => ({ k: p.k, coveredShare: p.coveredShare })) } : {}),
    ...(plan ? { plan } : {}),
  };
}

/**
 * The exact run's failure as a status: the solver's own (solver-failed: nothing feasible within the time limit) or
 * solver-aborted for anything else (highs.js throws "RuntimeError: Aborted()" when the WebAssembly module gives up).
 */
export function exactFailureOf(e: unknown): PlannerErrorInfo {
  const info = toErrorInfo(e);
  if (info.code !== 'internal') return info;
  return {
    code: 'solver-aborted', zh: '精确求解器异常中止（模型可能过大）', en: 'the exact solver aborted (the model may be too large)',
    detail: info.detail ?? (e instanceof Error ? e.message : String(e)),
  };
}

/**
 * Demand (weight > 0) some candidate reaches within the horizon but no fixed or open site does: scoreSites counts
 * its penalty as the worst time. Null when there is none.
 */
export function notReachedBy(m: CoverageMatrix, open: readonly number[]): { withinS: number; points: number; weight: number } | null {
  const on = new Uint8Array(m.candidates.length), reached = new Uint8Array(m.demandCount), byOpen = new Uint8Array(m.demandCount);
  for (const j of open) on[j] = 1;
  m.candidates.forEach((c, j) => { if (c.fixed) on[j] = 1; });
  for (let c = 0; c < m.candidates.length; c++)
    for (let k = m.first[c]; k < m.first[c + 1]; k++) {
      if (m.time[k] > m.horizonS) continue;
      reached[m.dem[k]] = 1;
      if (on[c]) byOpen[m.dem[k]] = 1;
    }
  let points = 0, weight = 0;
  for (let i = 0; i < m.demandCount; i++) if (m.weight[i] > 0 && reached[i] && !byOpen[i]) { points++; weight += m.weight[i]; }
  return points ? { withinS: m.horizonS, points, weight } : null;
}

export function countUncoverable(m: CoverageMatrix): number {
  const any = new Uint8Array(m.demandCount);
  for (let k = 0; k < m.dem.length; k++) if (m.time[k] <= m.limitS) any[m.dem[k]] = 1;
  let n = 0;
  for (let i = 0; i < m.demandCount; i++) if (!any[i]) n++;
  return n;
}
