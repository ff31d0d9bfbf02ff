/**
 * Browser drag bench (issue #14): the built app in headless Debian chromium (SwiftShader WebGL) on the 上海 sample, on
 * the 规划 / Plan tab; one example site is dragged with the mouse around a ~200 m circle, one step at a time: each step
 * moves the mouse, waits for that step's live verdicts, two animation frames and the map idle, and reads the main thread's task
 * time from the DevTools protocol (Performance.getMetrics: TaskDuration is all work on the page's main thread, our
 * code, React, MapLibre's main-thread part, style/layout/paint; ScriptDuration the JavaScript of it; the worker's
 * computation and GPU rasterisation run elsewhere and are excluded). A second pass runs under the CPU profiler and
 * splits the script time by owner (./dragProfile.ts: our src/, React, MapLibre, other libraries, GC, through the
 * build's hidden source maps). A third counts the bytes handed to the map per step (the JSON of every setData /
 * updateData, counted by the map sync when window.__planner.countBytes is set). The same three passes run first on
 * `?perf=before` (src/map/perfBaseline.ts: the behaviour before the drag work) unless BENCH_DRAG_BEFORE=0.
 * After the last drop, what the map holds and draws of the drag-changed sources is compared between the two (source
 * features as JSON, distinct rendered property sets per layer), and the isochrone's tiling error is measured.
 * BENCH_PROFILE=<file>.cpuprofile keeps the last profile for DevTools; BENCH_DEBUG=1 prints each step's events (map
 * renders with MapLibre's dirty flags, source data / tile events, store changes) and MapLibre's render / draw /
 * placement ms per step.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { preview } from 'vite';
import type { BenchSection } from './sections';
import { splitProfile, WHO, type CpuProfile, type SourceMap, type Who } from './dragProfile';
import { LIVE_MAXZOOM } from '../../src/map/liveSource';

const root = join(import.meta.dirname, '../..');
const STEPS = Number(process.env.BENCH_DRAG_STEPS) || 24;

type Pass = 'timed' | 'profiled' | 'bytes';
interface StepStats { mainMs: number[]; scriptMs: number[]; layoutMs: number[]; bytes: number[]; renders: number; split?: Record<Who, number>; bySource?: Record<string, number> }

/** One drag around the circle: per step the main thread's task / script / style+layout time, bytes, map renders. */
async function dragPass(page: Page, pass: Pass): Promise<StepStats> {
  const countBytes = pass === 'bytes';
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
  const out: StepStats = { mainMs: [], scriptMs: [], layoutMs: [], bytes: [], renders: 0 };
  // (as a string: tsx would wrap named functions in a helper the page does not have)
  const settle = () => page.evaluate(`new Promise((resolve) => {
    const s = window.__planner.store;
    function done() {
      const c = s.getState().compliance;
      return c.report && !c.busy && !s.getState().iso.busy && window.__benchReport !== c.report;
    }
    // then two frames, and the map idle (its sources updated and re-tiled: the step's map work is in the step)
    function finish() {
      window.__benchReport = s.getState().compliance.report;
      const t0 = performance.now();
      function idle() {
        if (window.__planner.map.loaded() || performance.now() - t0 > 5000) resolve(0);
        else requestAnimationFrame(idle);
      }
      requestAnimationFrame(() => requestAnimationFrame(idle));
    }
    if (done()) return finish();
    const un = s.subscribe(() => { if (done()) { un(); finish(); } });
  })`);
  await settle();
  await page.evaluate(`(() => {
    window.__renders = 0;
    if (!window.__countingRenders) window.__planner.map.on('render', () => { window.__renders++; });
    window.__countingRenders = true;
    if (!window.__eventLog) {
      window.__eventLog = [];
      window.__planner.map.on('render', () => window.__eventLog.push('R'));
      // main-thread ms inside a few MapLibre methods (internals of the pinned version; BENCH_DEBUG only, a closer look)
      window.__inner = {};
      const timeIn = (obj, name, label) => {
        if (!${process.env.BENCH_DEBUG ? 'true' : 'false'}) return;
        const f = obj && obj[name];
        if (typeof f !== 'function') return;
        obj[name] = function (...a) { const t = performance.now(); try { return f.apply(this, a); } finally { window.__inner[label] = (window.__inner[label] || 0) + performance.now() - t; } };
      };
      const m = window.__planner.map;
      timeIn(m, '_render', 'render');
      const r0 = m._render;
      if (${process.env.BENCH_DEBUG ? 'true' : 'false'}) m._render = function (...a) { const out = r0.apply(this, a); window.__eventLog.push('[' + (m._sourcesDirty ? 's' : '') + (m._styleDirty ? 'y' : '') + (m._placementDirty ? 'p' : '') + (m._frameRequest ? 'f' : '') + ']'); return out; };
      timeIn(m.painter, 'render', 'draw');
      timeIn(m.style, '_updatePlacement', 'placement');
      timeIn(m.style, '_updateSources', 'updateSources');
      timeIn(m.style, 'update', 'styleUpdate');
      window.__planner.store.subscribe((s, p) => {
        if (s.compliance.busy !== p.compliance.busy) window.__eventLog.push(s.compliance.busy ? 'C+' : 'C-');
        if (s.iso.busy !== p.iso.busy) window.__eventLog.push(s.iso.busy ? 'I+' : 'I-');
        if (s.scenario !== p.scenario) window.__eventLog.push('S');
      });
      window.__planner.map.on('sourcedata', (e) => { if (e.sourceDataType !== 'metadata') window.__eventLog.push((e.tile ? 't:' : 'd:') + e.sourceId); });
    }
  })()`);
  const profiling = pass === 'profiled';
  if (profiling) { await cdp.send('Profiler.enable'); await cdp.send('Profiler.start'); }
  for (let i = 1; i <= STEPS; i++) {
    const b0 = await page.evaluate(() => (window as unknown as { __planner: { countBytes?: number | null } }).__planner.countBytes ?? 0);
    if (process.env.BENCH_DEBUG) await page.evaluate('window.__eventLog.length = 0');
    const t0 = await metrics();
    const p = at(i);
    await page.mouse.move(p.x, p.y);
    await settle();
    const t1 = await metrics();
    if (process.env.BENCH_DEBUG && pass === 'timed') console.error(`step ${i}:`, await page.evaluate('window.__eventLog.splice(0).join(" ")'));
    const b1 = await page.evaluate(() => (window as unknown as { __planner: { countBytes?: number | null } }).__planner.countBytes ?? 0);
    out.mainMs.push(t1.task - t0.task);
    out.scriptMs.push(t1.script - t0.script);
    out.layoutMs.push(t1.layout - t0.layout);
    out.bytes.push(b1 - b0);
  }
  if (profiling) {
    const { profile } = (await cdp.send('Profiler.stop')) as { profile: CpuProfile };
    const file = process.env.BENCH_PROFILE;
    if (file?.endsWith('.cpuprofile')) writeFileSync(file, JSON.stringify(profile)); // for DevTools / a closer look
    const byFile = process.env.BENCH_DEBUG ? new Map<string, number>() : undefined;
    out.split = splitProfile(profile, sourceMapOf, byFile);
    if (byFile) console.error([...byFile].sort((a, b) => b[1] - a[1]).slice(0, 25).map(([f, ms]) => `${(ms / STEPS).toFixed(2)} ms/step ${f}`).join('\n'));
  }
  out.renders = Number(await page.evaluate('window.__renders')) / STEPS;
  if (process.env.BENCH_DEBUG) console.error(`${pass} inner ms/step:`, await page.evaluate(`JSON.stringify(Object.fromEntries(Object.entries(window.__inner).map(([k, v]) => [k, +(v / ${STEPS}).toFixed(2)])))`));
  if (process.env.BENCH_DEBUG) await page.evaluate('window.__inner = {}');
  if (process.env.BENCH_DEBUG) console.error(await page.evaluate(`(() => { const s = window.__planner.store.getState(); return JSON.stringify({ dragging: s.dragging, iso: s.iso.stationIds, bands: s.iso.bandsMin, lines: s.iso.result && s.iso.result.lines.features.length, polys: s.iso.result && s.iso.result.polygons.features.length }); })()`));
  // the bytes by source of the steps (before the drop hands over its full results)
  if (countBytes) out.bySource = await page.evaluate(() => ({ ...(window as unknown as { __planner: { bytesBySource?: Record<string, number> } }).__planner.bytesBySource }));
  await page.mouse.up();
  await cdp.detach();
  return out;
}

/** The build's source map of a script served from dist/ (built with hidden source maps), else undefined. */
function sourceMapOf(url: string): SourceMap | undefined {
  const file = join(root, 'dist', new URL(url).pathname + '.map');
  return existsSync(file) ? (JSON.parse(readFileSync(file, 'utf8')) as SourceMap) : undefined;
}

const median = (a: number[]) => [...a].sort((x, y) => x - y)[Math.floor(a.length / 2)];
const p95 = (a: number[]) => [...a].sort((x, y) => x - y)[Math.min(a.length - 1, Math.round(0.95 * (a.length - 1)))];

/** The live parts (src/map/liveSource.ts) and the sources beside them: one source each with ?perf=before; now a part is read from 'live' (by its tag) when it has no source of its own. */
const PARTS = ['iso-polygons', 'iso-lines', 'cmp-districts', 'cmp-pockets', 'cmp-failing', 'cmp-noaccess', 'cmp-barriers', 'cmp-worst', 'cmp-focus', 'facilities'];

/**
 * What the map holds and draws once the drop has settled: per former source, its features' JSON (ids and the live
 * tag left out), sorted; per layer drawing them, the distinct property sets of its rendered features.
 */
async function afterDrop(page: Page): Promise<{ sources: Record<string, string[]>; rendered: Record<string, string[]> }> {
  await page.waitForFunction(() => {
    const w = window as unknown as { __planner: { map: { loaded(): boolean }; store: { getState(): { dragging: boolean; compliance: { busy: boolean }; iso: { busy: boolean } } } } };
    const s = w.__planner.store.getState();
    return !s.dragging && !s.compliance.busy && !s.iso.busy && w.__planner.map.loaded();
  }, null, { timeout: 30_000, polling: 100 });
  await page.evaluate('new Promise((r) => window.__planner.map.once("idle", r) && window.__planner.map.triggerRepaint())');
  return page.evaluate(`(async () => {
    const map = window.__planner.map;
    const parts = ${JSON.stringify(PARTS)};
    const clean = (f) => { const { src, ...properties } = f.properties || {}; return JSON.stringify({ geometry: f.geometry, properties }); };
    const sources = {};
    const live = map.getSource('live') ? (await map.getSource('live').getData()).features : null;
    for (const p of parts) {
      const fs = live && !map.getSource(p) ? live.filter((f) => f.properties.src === p) : (await map.getSource(p).getData()).features;
      sources[p] = fs.map(clean).sort();
    }
    const rendered = {};
    for (const l of map.getStyle().layers) {
      const src = l.source === 'live' ? 'live' : l.source;
      if (!src || (src !== 'live' && !parts.includes(src))) continue;
      const props = map.queryRenderedFeatures({ layers: [l.id] }).map((f) => { const { src, ...p } = f.properties; return JSON.stringify(p); });
      rendered[l.id] = [...new Set(props)].sort();
    }
    return { sources, rendered };
  })()`);
}

/**
 * How far tiling moves the isochrone's vertices: each vertex of the source's polygons (after the drop: all bands,
 * full precision) in the view against the nearest vertex of the same band as MapLibre tiled it (querySourceFeatures
 * at the current zoom), in metres; max and count. Vertices that tiling cut away at a tile edge have a neighbour tile's copy.
 */
async function tilingError(page: Page): Promise<{ maxM: number; n: number }> {
  return page.evaluate(`(async () => {
    const map = window.__planner.map;
    const live = !!map.getSource('live');
    const id = live ? 'live' : 'iso-polygons';
    const isIso = (f) => !live || f.properties.src === 'iso-polygons';
    const verts = (g) => (g.type === 'Polygon' ? g.coordinates.flat() : g.type === 'MultiPolygon' ? g.coordinates.flat(2) : []);
    const src = (await map.getSource(id).getData()).features.filter(isIso);
    const tiled = map.querySourceFeatures(id).filter(isIso);
    let maxM = 0, n = 0;
    const bounds = map.getBounds();
    for (const f of src) {
      const mine = tiled.filter((t) => t.properties.minutes === f.properties.minutes).flatMap((t) => verts(t.geometry));
      const ky = 111320, kx = 111320 * Math.cos((f.geometry.type === 'Polygon' ? f.geometry.coordinates[0][0][1] : 31) * Math.PI / 180);
      for (const v of verts(f.geometry)) {
        if (!bounds.contains(v)) continue; // tiles are loaded for the view only
        let best = Infinity;
        for (const w of mine) { const d = ((v[0] - w[0]) * kx) ** 2 + ((v[1] - w[1]) * ky) ** 2; if (d < best) best = d; }
        if (best < Infinity) { maxM = Math.max(maxM, Math.sqrt(best)); n++; }
      }
    }
    return { maxM, n };
  })()`);
}

/** Where two after-drop states differ (empty: the same). */
function differences(a: Awaited<ReturnType<typeof afterDrop>>, b: Awaited<ReturnType<typeof afterDrop>>): string[] {
  const out: string[] = [];
  for (const [kind, x, y] of [['source', a.sources, b.sources], ['layer', a.rendered, b.rendered]] as const)
    for (const k of new Set([...Object.keys(x), ...Object.keys(y)])) if (JSON.stringify(x[k] ?? []) !== JSON.stringify(y[k] ?? [])) out.push(`${kind} ${k}: ${(x[k] ?? []).length} vs ${(y[k] ?? []).length}`);
  return out;
}

interface Measured { timed: StepStats; profiled: StepStats; bytes: StepStats; perSource: string; dropped: Awaited<ReturnType<typeof afterDrop>>; tiling: { maxM: number; n: number } }

/** Opens the app on 上海 (the 规划 tab), zooms to the dragged site and runs the three passes. */
async function measure(browser: Browser, base: string, before: boolean): Promise<Measured> {
  const page = await browser.newPage({ viewport: { width: 1440, height: 900 } });
  try {
    await page.route('**/*', (r) => (new URL(r.request().url()).hostname === '127.0.0.1' ? r.continue() : r.abort()));
    await page.goto(`${base}?place=shanghai${before ? '&perf=before' : ''}#tab=plan`);
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
    const timed = await dragPass(page, 'timed');
    const profiled = await dragPass(page, 'profiled');
    const bytes = await dragPass(page, 'bytes');
    const bySource = bytes.bySource ?? {};
    const dropped = await afterDrop(page);
    const tiling = await tilingError(page);
    const perSource = Object.entries(bySource).sort((a, b) => b[1] - a[1]).map(([k, v]) => `${k} ${(v / 1024 / (STEPS + 1)).toFixed(1)}`).join(', ');
    const label = before ? 'before' : 'now';
    console.error(`drag ${label}: script ${median(timed.scriptMs).toFixed(1)} ms/step median, ${timed.renders.toFixed(1)} renders/step; profile ${WHO.map((w) => `${w} ${(profiled.split![w] / STEPS).toFixed(1)}`).join(', ')} ms/step`);
    return { timed, profiled, bytes, perSource, dropped, tiling };
  } finally {
    await page.close();
  }
}

export async function run(): Promise<string> {
  if (!existsSync(join(root, 'dist/index.html')) || process.env.BENCH_BUILD !== '0') execFileSync('npx', ['vite', 'build', '--logLevel', 'warn', '--sourcemap', 'hidden'], { cwd: root, stdio: 'inherit' });
  const server = await preview({ root, preview: { host: '127.0.0.1', port: 4189, strictPort: false }, logLevel: 'warn' });
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM_PATH || '/usr/bin/chromium', headless: true,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--use-angle=swiftshader', '--enable-unsafe-swiftshader', '--no-first-run', '--disable-background-networking'],
  });
  try {
    const variants = process.env.BENCH_DRAG_BEFORE === '0' ? [false] : [true, false];
    const results = new Map<boolean, Measured>();
    for (const before of variants) results.set(before, await measure(browser, server.resolvedUrls!.local[0], before));
    const now = results.get(false)!;
    const old = results.get(true);
    const row = (label: string, pick: (m: Measured) => number[], target: string) => {
      const a = pick(now);
      return `| ${label} | ${old ? median(pick(old)).toFixed(1) : '—'} | ${median(a).toFixed(1)} | ${p95(a).toFixed(1)} | ${Math.max(...a).toFixed(1)} | ${target} |`;
    };
    const diff = old ? differences(old.dropped, now.dropped) : [];
    const nFeatures = Object.values(now.dropped.sources).reduce((n, a) => n + a.length, 0);
    const nDrawn = Object.values(now.dropped.rendered).reduce((n, a) => n + a.length, 0);
    const same = !old ? 'not compared (BENCH_DRAG_BEFORE=0)'
      : diff.length ? `**differs**: ${diff.join('; ')}`
      : `the same as \`?perf=before\` (${nFeatures} features of ${PARTS.length} former sources compared as JSON, ${nDrawn} distinct rendered property sets over ${Object.keys(now.dropped.rendered).length} layers)`;
    const splitRow = (w: Who, label: string) => `| ${label} | ${old?.profiled.split ? (old.profiled.split[w] / STEPS).toFixed(1) : '—'} | ${(now.profiled.split![w] / STEPS).toFixed(1)} | | | |`;
    return [
      '## Dragging a station in the browser (上海 sample, headless chromium)',
      '',
      `| per drag step | before (\`?perf=before\`), median | now, median | now, p95 | now, max | target |`,
      '|---|---:|---:|---:|---:|---|',
      row('main-thread script time (JS: our code, React, MapLibre), ms', (m) => m.timed.scriptMs, '≤ 16'),
      splitRow('ours', '  of which (CPU profile, mean): our code (src/), ms'),
      splitRow('react', '  React, react-dom, zustand, i18next, ms'),
      splitRow('maplibre', '  MapLibre (incl. its WebGL calls), ms'),
      splitRow('other', '  other libraries (comlink, turf …), ms'),
      splitRow('gc', '  garbage collection, ms'),
      `| map renders per step | ${old ? old.timed.renders.toFixed(1) : '—'} | ${now.timed.renders.toFixed(1)} | | | |`,
      row('main-thread style + layout, ms', (m) => m.timed.layoutMs, '—'),
      row('all main-thread tasks incl. WebGL in SwiftShader, ms', (m) => m.timed.mainMs, '(GPU work)'),
      row('bytes handed to the map, kB', (m) => m.bytes.bytes.map((b) => b / 1024), '≤ 50'),
      '',
      `${STEPS} steps of ~190 m around a circle on the 规划 / Plan tab, each waiting for its live answers, two frames and the map idle. Main-thread`,
      "time is the page's task time from the DevTools protocol (scripts, React, MapLibre on the main thread, style, layout and",
      "paint); the worker and GPU rasterisation (SwiftShader here, a real GPU on users' machines) are not in it. The split comes",
      'from a second pass under the CPU profiler (self time per original source file through the source maps; a native call',
      "such as a WebGL call counts for its JavaScript caller; the profiler's own overhead makes it larger than the script time).",
      'Bytes are the JSON handed to MapLibre (setData / updateData) in a third pass with counting on; per source, kB per step:',
      `${now.perSource || 'none'}. "before" is the same build with \`?perf=before\`: every store change synced to the map at once,`,
      'the hidden tabs\' panels re-rendered, no wait for a step\'s answers (src/map/dragHold.ts), label placement every frame',
      '(fadeDuration 0) and the drag-updated sources tiled to z18 (src/map/perfBaseline.ts). Steps wait for the map to be idle.',
      `After the drop, what the map holds and draws of the drag-changed sources and the facilities: ${same}.`,
      `Tiling error of the isochrone (vertex to nearest tiled vertex, after the drop at zoom 14): now (one live source to z${LIVE_MAXZOOM}) max ${now.tiling.maxM.toFixed(2)} m over ${now.tiling.n} vertices` +
        (old ? `; before (z18 tiles, simplified below it) max ${old.tiling.maxM.toFixed(2)} m over ${old.tiling.n}.` : '.'),
    ].join('\n');
  } finally {
    await browser.close();
    await server.close();
  }
}

const section: BenchSection = { name: 'drag', run };
export default section;
