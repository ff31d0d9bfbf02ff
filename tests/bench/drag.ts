/**
 * Browser drag bench (issue #14): the built app in headless Debian chromium (SwiftShader WebGL) on the 上海 sample;
 * one example site is dragged with the mouse around a ~200 m circle, one step at a time: each step moves the mouse,
 * waits for that step's live verdicts and two animation frames, and reads the main thread's task time from the
 * DevTools protocol (Performance.getMetrics TaskDuration, all work on the page's main thread: our code, React,
 * MapLibre's main-thread part, style/layout/paint; the worker's computation and GPU rasterisation run elsewhere and
 * are excluded). A second pass counts the bytes handed to the map per step (the JSON of every setData / updateData,
 * counted by the map sync when window.__planner.countBytes is set).
 */
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { chromium, type Page } from 'playwright-core';
import { preview } from 'vite';
import type { BenchSection } from './sections';

const root = join(import.meta.dirname, '../..');
const STEPS = 24;

interface StepStats { mainMs: number[]; scriptMs: number[]; layoutMs: number[]; bytes: number[] }

async function dragPass(page: Page, countBytes: boolean): Promise<StepStats> {
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('Performance.enable');
  const metrics = async () => {
    const m = (await cdp.send('Performance.getMetrics')) as { metrics: { name: string; value: number }[] };
    const v = (name: string) => (m.metrics.find((x) => x.name === name)?.value ?? 0) * 1000;
    return { task: v('TaskDuration'), script: v('ScriptDuration'), layout: v('LayoutDuration') + v('RecalcStyleDuration') };
  };
  const centre = await page.evaluate(() => {
    const w = window as unknown as { __planner: { store: { getState(): { scenario: { present: { stations: { id: string; lon: number; lat: number; status: string }[] } } } }; map: { project(p: [number, number]): { x: number; y: number } } } };
    const st = w.__planner.store.getState().scenario.present.stations.find((s) => s.status === 'proposed' || s.status === 'planned')!;
    const p = w.__planner.map.project([st.lon, st.lat]);
    const q = w.__planner.map.project([st.lon + 0.002, st.lat]); // ≈ 190 m east at 31°N
    return { x: p.x, y: p.y, r: q.x - p.x };
  });
  const box = (await page.locator('.maplibregl-canvas').boundingBox())!;
  const at = (i: number) => ({ x: box.x + centre.x + centre.r * Math.sin((i / STEPS) * 2 * Math.PI), y: box.y + centre.y - centre.r * (1 - Math.cos((i / STEPS) * 2 * Math.PI)) });
  await page.evaluate((on) => { (window as unknown as { __planner: { countBytes?: number | null } }).__planner.countBytes = on ? 0 : null; }, countBytes);
  await page.mouse.move(box.x + centre.x, box.y + centre.y);
  await page.mouse.down();
  await page.mouse.move(box.x + centre.x + 8, box.y + centre.y); // past the 5-pixel tremble threshold
  const out: StepStats = { mainMs: [], scriptMs: [], layoutMs: [], bytes: [] };
  // (as a string: tsx would wrap named functions in a helper the page does not have)
  const settle = () => page.evaluate(`new Promise((resolve) => {
    const s = window.__planner.store;
    function done() {
      const c = s.getState().compliance;
      return c.report && !c.busy && window.__benchReport !== c.report;
    }
    function finish() {
      window.__benchReport = s.getState().compliance.report;
      requestAnimationFrame(() => requestAnimationFrame(() => resolve(0)));
    }
    if (done()) return finish();
    const un = s.subscribe(() => { if (done()) { un(); finish(); } });
  })`);
  await settle();
  const profiling = process.env.BENCH_PROFILE && !countBytes;
  if (profiling) { await cdp.send('Profiler.enable'); await cdp.send('Profiler.start'); }
  for (let i = 1; i <= STEPS; i++) {
    const b0 = await page.evaluate(() => (window as unknown as { __planner: { countBytes?: number | null } }).__planner.countBytes ?? 0);
    const t0 = await metrics();
    const p = at(i);
    await page.mouse.move(p.x, p.y);
    await settle();
    const t1 = await metrics();
    const b1 = await page.evaluate(() => (window as unknown as { __planner: { countBytes?: number | null } }).__planner.countBytes ?? 0);
    out.mainMs.push(t1.task - t0.task);
    out.scriptMs.push(t1.script - t0.script);
    out.layoutMs.push(t1.layout - t0.layout);
    out.bytes.push(b1 - b0);
  }
  if (profiling) {
    const { profile } = (await cdp.send('Profiler.stop')) as { profile: { nodes: { id: number; callFrame: { functionName: string; url: string; lineNumber: number } }[]; samples: number[]; timeDeltas: number[] } };
    const byNode = new Map(profile.nodes.map((n) => [n.id, n]));
    const self = new Map<string, number>();
    profile.samples.forEach((id, k) => {
      const n = byNode.get(id)!;
      const key = `${n.callFrame.functionName || '(anon)'} ${n.callFrame.url.split('/').pop()}:${n.callFrame.lineNumber}`;
      self.set(key, (self.get(key) ?? 0) + profile.timeDeltas[k] / 1000);
    });
    console.error([...self].sort((a, b) => b[1] - a[1]).slice(0, 25).map(([k, v]) => `${v.toFixed(0)} ms ${k}`).join('\n'));
  }
  if (process.env.BENCH_DEBUG) console.error(await page.evaluate(`(() => { const s = window.__planner.store.getState(); return JSON.stringify({ dragging: s.dragging, iso: s.iso.stationIds, bands: s.iso.bandsMin, lines: s.iso.result && s.iso.result.lines.features.length, polys: s.iso.result && s.iso.result.polygons.features.length }); })()`));
  await page.mouse.up();
  await cdp.detach();
  return out;
}

const median = (a: number[]) => [...a].sort((x, y) => x - y)[Math.floor(a.length / 2)];
const p95 = (a: number[]) => [...a].sort((x, y) => x - y)[Math.min(a.length - 1, Math.round(0.95 * (a.length - 1)))];

export async function run(): Promise<string> {
  if (!existsSync(join(root, 'dist/index.html')) || process.env.BENCH_BUILD !== '0') execFileSync('npx', ['vite', 'build', '--logLevel', 'warn'], { cwd: root, stdio: 'inherit' });
  const server = await preview({ root, preview: { host: '127.0.0.1', port: 4189, strictPort: false }, logLevel: 'warn' });
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM_PATH || '/usr/bin/chromium', headless: true,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--use-angle=swiftshader', '--enable-unsafe-swiftshader', '--no-first-run', '--disable-background-networking'],
  });
  try {
    const page = await browser.newPage({ viewport: { width: 1440, height: 900 } });
    await page.route('**/*', (r) => (new URL(r.request().url()).hostname === '127.0.0.1' ? r.continue() : r.abort()));
    if (process.env.BENCH_DEBUG) await page.addInitScript(`(() => {
      window.__pm = {};
      for (const C of [Worker, MessagePort]) {
        const orig = C.prototype.postMessage;
        C.prototype.postMessage = function (m, t) {
          const t0 = performance.now();
          const r = orig.call(this, m, t);
          const k = C.name + ':' + (m && (m.type || (m.value && m.value.name) || (m.path && m.path.join('.')) || Object.keys(m).slice(0, 3).join(',')));
          const e = window.__pm[k] || (window.__pm[k] = { n: 0, ms: 0 });
          e.n++; e.ms += performance.now() - t0;
          return r;
        };
      }
    })()`);
    await page.goto(`${server.resolvedUrls!.local[0]}?place=shanghai`);
    await page.waitForFunction(() => {
      const w = window as unknown as { __planner?: { map?: { loaded(): boolean }; store: { getState(): { network?: { status: string }; compliance: { report?: unknown; busy: boolean } } } } };
      const s = w.__planner?.store.getState();
      return w.__planner?.map?.loaded() && s?.network?.status === 'ready' && s.compliance.report && !s.compliance.busy;
    }, null, { timeout: 120_000 });
    // zoom to the dragged site so it can be grabbed (the whole place at 1440 px is ~20 m per pixel)
    await page.evaluate(() => new Promise<void>((resolve) => {
      const w = window as unknown as { __planner: { store: { getState(): { scenario: { present: { stations: { lon: number; lat: number; status: string }[] } } } }; map: { jumpTo(o: object): void; once(e: string, f: () => void): void } } };
      const st = w.__planner.store.getState().scenario.present.stations.find((s) => s.status === 'proposed' || s.status === 'planned')!;
      w.__planner.map.jumpTo({ center: [st.lon, st.lat], zoom: 14 });
      w.__planner.map.once('idle', () => resolve());
    }));
    if (process.env.BENCH_DEBUG) await page.evaluate('window.__pm = {}');
    const timed = await dragPass(page, false);
    if (process.env.BENCH_DEBUG) console.error(await page.evaluate('JSON.stringify(Object.entries(window.__pm).sort((a, b) => b[1].ms - a[1].ms).slice(0, 12))'));
    const counted = await dragPass(page, true);
    const kb = counted.bytes.map((b) => b / 1024);
    const bySource = await page.evaluate(() => (window as unknown as { __planner: { bytesBySource?: Record<string, number> } }).__planner.bytesBySource ?? {});
    const perSource = Object.entries(bySource).sort((a, b) => b[1] - a[1]).map(([k, v]) => `${k} ${(v / 1024 / (STEPS + 1)).toFixed(1)}`).join(', ');
    return [
      '## Dragging a station in the browser (上海 sample, headless chromium)',
      '',
      '| per drag step | median | p95 | max | target |',
      '|---|---:|---:|---:|---|',
      `| main-thread script time (JS: our code, React, MapLibre), ms | ${median(timed.scriptMs).toFixed(1)} | ${p95(timed.scriptMs).toFixed(1)} | ${Math.max(...timed.scriptMs).toFixed(1)} | ≤ 16 |`,
      `| main-thread style + layout, ms | ${median(timed.layoutMs).toFixed(1)} | ${p95(timed.layoutMs).toFixed(1)} | ${Math.max(...timed.layoutMs).toFixed(1)} | — |`,
      `| all main-thread tasks incl. WebGL in SwiftShader, ms | ${median(timed.mainMs).toFixed(1)} | ${p95(timed.mainMs).toFixed(1)} | ${Math.max(...timed.mainMs).toFixed(1)} | (GPU work) |`,
      `| bytes handed to the map, kB | ${median(kb).toFixed(1)} | ${p95(kb).toFixed(1)} | ${Math.max(...kb).toFixed(1)} | ≤ 50 |`,
      '',
      `${STEPS} steps of ~190 m around a circle, each waiting for its live verdicts and two frames. Main-thread time is the page's`,
      'task time from the DevTools protocol (scripts, React, MapLibre on the main thread, style, layout and paint); the worker',
      "and GPU rasterisation (SwiftShader here, a real GPU on users' machines) are not in it. Bytes are the JSON handed to",
      `MapLibre (setData / updateData) in a second pass with counting on; per source, kB per step: ${perSource || 'none'}.`,
    ].join('\n');
  } finally {
    await browser.close();
    await server.close();
  }
}

const section: BenchSection = { name: 'drag', run };
export default section;
