/**
 * `planner report --place <id> [--scenario file] [--paper a4|a3] [--lang zh|en] --out report.pdf`: the printable
 * report as PDF. The document is built here (src/core/report, the same compliance check as `planner check`), the
 * built app's report.html (dist/; built with `vite build` first when missing, said on stderr) is served on
 * 127.0.0.1, Debian chromium (playwright-core; CHROMIUM_PATH or /usr/bin/chromium) draws the map and prints the
 * page. Nothing but 127.0.0.1 is loaded.
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { plannerError, toErrorInfo, type Lang } from '../core/errors';
import { exitCodeOf, fileFailure, type CheckIO } from '../core/compliance/cli';
import { STANDARD_IDS } from '../core/compliance/standards';
import { buildReport } from '../core/report/build';
import { reportInputFromPlace } from '../core/report/fromPlace';
import type { HydrantAuditSummary, ReportDocument } from '../core/report/types';
import { choiceOption, numberOption } from './options';
import { serveStatic } from './staticServer';
import { errorLine } from './main';

export const usage = `  planner report       --place <id> --out report.pdf [--paper a4|a3] [--lang zh|en] [--scenario file.geojson]
                       [--standard <id>] [--peak] [--turns on|off] [--vehicle <id>] [--hydrant-audit summary.json] [--timeout 120] [--dist dir]
                       打印报告 PDF（A4 纵向或 A3 横向），需要 Debian chromium（或 CHROMIUM_PATH）；没有 dist/ 时先运行 vite build
                       / the printable report as PDF (A4 portrait or A3 landscape) through Debian chromium (or CHROMIUM_PATH); runs vite build first when dist/ is missing`;

const repoRoot = resolve(fileURLToPath(new URL('.', import.meta.url)), '../..');

const io: CheckIO = {
  readText: (p) => readFile(resolve(repoRoot, p), 'utf8'),
  readBytes: async (p) => { const b = await readFile(resolve(repoRoot, p)); return b.buffer.slice(b.byteOffset, b.byteOffset + b.byteLength) as ArrayBuffer; },
  exists: async (p) => existsSync(resolve(repoRoot, p)),
};

export interface ReportArgs {
  place: string;
  out: string;
  paper: 'a4' | 'a3';
  lang: Lang;
  scenario?: string;
  standard?: string;
  peak: boolean;
  turns: boolean;
  vehicle?: string;
  hydrantAudit?: string;
  timeoutS: number;
  dist: string;
}

export function parseReportArgs(argv: string[]): ReportArgs {
  let o;
  try {
    o = parseArgs({
      args: argv, allowPositionals: false, strict: true,
      options: {
        place: { type: 'string' }, out: { type: 'string' }, paper: { type: 'string' }, lang: { type: 'string' }, scenario: { type: 'string' },
        standard: { type: 'string' }, peak: { type: 'boolean' }, turns: { type: 'string' }, vehicle: { type: 'string' },
        'hydrant-audit': { type: 'string' }, timeout: { type: 'string' }, dist: { type: 'string' },
      },
    }).values;
  } catch (e) {
    throw plannerError('bad-arguments', '参数错误', 'bad arguments', { detail: (e as Error).message });
  }
  if (!o.place) throw plannerError('missing-option', '缺少 --place（例如 nanshan）', 'missing --place (e.g. nanshan)');
  if (!/^[a-z0-9-]+$/.test(o.place)) throw plannerError('bad-option', `地点编号无效：${o.place}`, `invalid place id: ${o.place}`);
  if (o.standard !== undefined && !(STANDARD_IDS as readonly string[]).includes(o.standard))
    throw plannerError('bad-option', `未知标准「${o.standard}」（可用 ${STANDARD_IDS.join('、')}）`, `unknown standard "${o.standard}" (one of ${STANDARD_IDS.join(', ')})`);
  if (!o.out) throw plannerError('missing-option', '缺少 --out（输出的 PDF 文件）', 'missing --out (the PDF file to write)');
  return {
    place: o.place,
    out: resolve(process.cwd(), o.out),
    paper: choiceOption('paper', o.paper, ['a4', 'a3'] as const, 'a4'),
    lang: choiceOption('lang', o.lang, ['zh', 'en'] as const, 'zh'),
    ...(o.scenario ? { scenario: resolve(process.cwd(), o.scenario) } : {}),
    ...(o.standard ? { standard: o.standard } : {}),
    peak: !!o.peak,
    turns: choiceOption('turns', o.turns, ['on', 'off'] as const, 'on') === 'on',
    ...(o.vehicle ? { vehicle: o.vehicle } : {}),
    ...(o['hydrant-audit'] ? { hydrantAudit: resolve(process.cwd(), o['hydrant-audit']) } : {}),
    timeoutS: o.timeout === undefined ? 120 : numberOption('timeout', o.timeout, 5, 3600, { zh: '秒', en: 'seconds' }),
    dist: resolve(process.cwd(), o.dist ?? resolve(repoRoot, 'dist')),
  };
}

/** A hydrant audit summary file ({ protectedShare, gapsKm, spacingViolations, hydrants }), checked. */
export function readHydrantAudit(path: string): HydrantAuditSummary {
  let v: unknown;
  try {
    v = JSON.parse(readFileSync(path, 'utf8'));
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code) throw fileFailure(e, path, { zh: '消火栓核查摘要', en: 'hydrant audit summary' });
    throw plannerError('bad-json', '消火栓核查摘要不是有效的 JSON', 'the hydrant audit summary is not valid JSON', { file: path, detail: (e as Error).message });
  }
  const o = (typeof v === 'object' && v !== null ? v : {}) as Record<string, unknown>;
  const n = (k: string, max: number) => typeof o[k] === 'number' && Number.isFinite(o[k]) && (o[k] as number) >= 0 && (o[k] as number) <= max;
  if (!n('protectedShare', 1) || !n('gapsKm', 1e6) || !n('spacingViolations', 1e9) || !n('hydrants', 1e9))
    throw plannerError('bad-hydrant-audit', '消火栓核查摘要应有 protectedShare（0–1）、gapsKm、spacingViolations、hydrants 四个非负数',
      'the hydrant audit summary needs protectedShare (0–1), gapsKm, spacingViolations and hydrants as non-negative numbers', { file: path });
  return { protectedShare: o.protectedShare as number, gapsKm: o.gapsKm as number, spacingViolations: o.spacingViolations as number, hydrants: o.hydrants as number };
}

const today = (): string => {
  const d = new Date();
  return `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}-${String(d.getDate()).padStart(2, '0')}`;
};

/** The built app, built now when dist/report.html is missing (said on stderr). */
async function ensureDist(dist: string, lang: Lang): Promise<void> {
  if (existsSync(resolve(dist, 'report.html'))) return;
  process.stderr.write(lang === 'zh' ? `未找到已构建的应用（${dist}），正在运行 vite build…\n` : `no built app in ${dist}: running vite build first…\n`);
  const { build } = await import('vite');
  try {
    await build({ root: repoRoot, logLevel: 'warn', build: { outDir: dist, emptyOutDir: true } });
  } catch (e) {
    throw plannerError('build-failed', '构建应用失败（vite build）', 'building the app failed (vite build)', { detail: (e as Error).message });
  }
  if (!existsSync(resolve(dist, 'report.html'))) throw plannerError('build-failed', '构建后仍没有 report.html', 'report.html is missing after the build', { file: dist });
}

function chromiumPath(): string {
  const p = process.env.CHROMIUM_PATH || '/usr/bin/chromium';
  if (!existsSync(p))
    throw plannerError('no-chromium', `找不到 Chromium：请安装 chromium（Debian：apt-get install chromium fonts-wqy-zenhei），或用 CHROMIUM_PATH 指定`,
      'Chromium not found: install chromium (Debian: apt-get install chromium fonts-wqy-zenhei) or set CHROMIUM_PATH', { file: p });
  return p;
}

/** Prints the document to a PDF file through report.html in headless chromium. */
export async function printReport(doc: ReportDocument, a: Pick<ReportArgs, 'paper' | 'out' | 'timeoutS' | 'dist'>): Promise<void> {
  const executablePath = chromiumPath();
  const server = await serveStatic(a.dist);
  const { chromium } = await import('playwright-core');
  let browser: Awaited<ReturnType<typeof chromium.launch>> | null = null;
  try {
    browser = await chromium.launch({
      executablePath, headless: true,
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
        '--disable-component-update', '--disable-sync', '--use-angle=swiftshader', '--enable-unsafe-swiftshader'],
    });
    const page = await browser.newPage({ viewport: { width: 1500, height: 1000 } });
    // Only the local server: nothing leaves the machine.
    await page.route('**/*', (route) => {
      const u = new URL(route.request().url());
      return u.hostname === '127.0.0.1' || u.protocol === 'data:' || u.protocol === 'blob:' ? route.continue() : route.abort();
    });
    const deadline = Date.now() + a.timeoutS * 1000;
    const left = () => Math.max(1000, deadline - Date.now());
    try {
      await page.goto(`${server.url}/report.html`, { timeout: left() });
      await page.waitForFunction(() => !!window.__plannerReport, null, { timeout: left() });
      await page.evaluate((input) => window.__plannerReport!.show(input), { doc, paper: a.paper, pixelRatio: 2 });
      await page.waitForFunction(() => window.__reportReady === true, null, { timeout: left() });
    } catch (e) {
      if ((e as Error).name === 'TimeoutError')
        throw plannerError('report-timeout', `报告页面在 ${a.timeoutS} 秒内未完成（地图绘制或加载超时）`, `the report page did not finish within ${a.timeoutS} s (map drawing or loading timed out)`, { detail: (e as Error).message.split('\n')[0] });
      throw e;
    }
    const mapError = await page.evaluate(() => window.__reportError ?? null);
    if (mapError) throw plannerError('report-map-failed', '报告地图未能绘制', 'the report map could not be drawn', { detail: mapError });
    const pdf = await page.pdf({
      format: a.paper === 'a4' ? 'A4' : 'A3', landscape: a.paper === 'a3', printBackground: true,
      margin: { top: '12mm', bottom: '14mm', left: '12mm', right: '12mm' },
      displayHeaderFooter: true, headerTemplate: '<span></span>',
      footerTemplate: `<div style="font-size:8px;width:100%;text-align:center;color:#666;font-family:'WenQuanYi Zen Hei',sans-serif">${escapeHtml(doc.placeName)} · <span class="pageNumber"></span> / <span class="totalPages"></span></div>`,
    });
    try {
      writeFileSync(a.out, pdf);
    } catch (e) {
      throw plannerError('file-unwritable', '无法写入 PDF 文件', 'cannot write the PDF file', { file: a.out, detail: (e as Error).message });
    }
  } finally {
    await browser?.close().catch(() => undefined);
    await server.close();
  }
}

/** The place name goes into chromium's footer template, which is HTML: escaped. */
const escapeHtml = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

export async function run(argv: string[]): Promise<number> {
  let lang: Lang = argv[argv.indexOf('--lang') + 1] === 'en' || argv.includes('--lang=en') ? 'en' : 'zh';
  try {
    const a = parseReportArgs(argv);
    lang = a.lang;
    const input = await reportInputFromPlace({
      place: a.place, lang: a.lang, date: today(), peak: a.peak, turns: a.turns,
      ...(a.scenario ? { scenario: a.scenario } : {}), ...(a.standard ? { standard: a.standard } : {}), ...(a.vehicle ? { vehicle: a.vehicle } : {}),
      hydrants: a.hydrantAudit ? readHydrantAudit(a.hydrantAudit) : null,
    }, io);
    const doc = buildReport(input);
    await ensureDist(a.dist, a.lang);
    await printReport(doc, a);
    process.stdout.write(JSON.stringify({ out: a.out, place: a.place, paper: a.paper, lang: a.lang, stations: input.report.stations.length, mode: input.report.mode }) + '\n');
    return 0;
  } catch (e) {
    const info = toErrorInfo(e);
    process.stderr.write(errorLine(info, lang) + '\n');
    return exitCodeOf(info.code);
  }
}
