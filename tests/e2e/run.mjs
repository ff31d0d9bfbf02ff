// Browser end-to-end tests: the built app (vite preview on 127.0.0.1) in Debian chromium via playwright-core.
// Prints one line per test and a closing "N passed, N failed" line; exits non-zero on any failure.
import { chromium } from 'playwright-core';
import { preview } from 'vite';
import { mkdirSync, readdirSync, rmSync } from 'node:fs';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const shots = join(here, 'screenshots');
mkdirSync(shots, { recursive: true });
for (const f of readdirSync(shots)) if (f.startsWith('FAILED-')) rmSync(join(shots, f));
const only = process.argv[2];
// Every tests/e2e/*.spec.mjs exports `tests`: [{ name, run({ page, base, shot, errors }) }].
const tests = [];
for (const f of readdirSync(here).filter((n) => n.endsWith('.spec.mjs')).sort()) tests.push(...(await import(`./${f}`)).tests);

const server = await preview({ preview: { host: '127.0.0.1', port: 4179, strictPort: false }, logLevel: 'warn' });
const base = server.resolvedUrls.local[0];
const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM_PATH || '/usr/bin/chromium',
  headless: true,
  args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
    '--disable-component-update', '--disable-sync', '--use-angle=swiftshader', '--enable-unsafe-swiftshader'],
  // launch() starts chromium with a fresh temporary profile (user-data-dir) of its own.
});

let passed = 0, failed = 0;
const started = Date.now();
for (const t of tests) {
  if (only && !t.name.includes(only)) continue;
  // A fresh context per scenario: its own IndexedDB and storage, so no scenario sees another's imports or edits.
  const context = await browser.newContext({ viewport: { width: 1400, height: 900 }, acceptDownloads: true });
  const page = await context.newPage();
  const errors = [];
  page.on('pageerror', (e) => errors.push(String(e)));
  const t0 = Date.now();
  try {
    await Promise.race([
      t.run({ page, base, shot: (name) => page.screenshot({ path: join(shots, `${name}.png`) }), errors }),
      new Promise((_, rej) => setTimeout(() => rej(new Error('timed out after 120 s')), 120_000)),
    ]);
    if (errors.length) throw new Error(`page errors: ${errors.join(' | ')}`);
    passed++;
    console.log(`ok   ${t.name} (${Date.now() - t0} ms)`);
  } catch (e) {
    failed++;
    console.log(`FAIL ${t.name}: ${e && e.message ? e.message : e}`);
    await page.screenshot({ path: join(shots, `FAILED-${t.name.replace(/\W+/g, '_')}.png`) }).catch(() => {});
  }
  await context.close();
}
await browser.close();
await server.close();
console.log(`e2e finished in ${((Date.now() - started) / 1000).toFixed(1)} s; screenshots in tests/e2e/screenshots/`);
console.log(`${passed} passed, ${failed} failed`);
process.exit(failed ? 1 : 0);
