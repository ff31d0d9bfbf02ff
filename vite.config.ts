import { cpSync, existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { defineConfig, type Plugin } from 'vitest/config';
import react from '@vitejs/plugin-react';
import { isLeftoverPath } from './geodata/lib/staging.ts';

/**
 * Copies public/ into the build output like vite's own copy (copyPublicDir, switched off below), but without the
 * leftovers of an interrupted `npm run geodata` (`.data.staging-<pid>`, `.<name>.old-<pid>`): they are tens of MB
 * of half-written data that must never ship. Files the bundle wrote win over public files of the same name, as in vite.
 */
export function publicWithoutLeftovers(): Plugin {
  const dirs = { publicDir: '', outDir: '' };
  return {
    name: 'public-without-leftovers',
    apply: 'build',
    configResolved(config) {
      dirs.publicDir = config.publicDir;
      dirs.outDir = resolve(config.root, config.build.outDir);
    },
    writeBundle() {
      if (!dirs.publicDir || !existsSync(dirs.publicDir)) return;
      cpSync(dirs.publicDir, dirs.outDir, { recursive: true, force: false, filter: (src) => !isLeftoverPath(dirs.publicDir, src) });
    },
  };
}

/**
 * The optional team server (`npm run server`) is reached through the app's own origin: the dev and preview servers
 * forward /api to it, so its SameSite=Strict session cookie is first-party and no CORS is needed. PLANNER_SERVER_URL
 * points elsewhere (default the server's own default address). The app sends nothing there unless the user connects.
 */
const apiProxy = { '/api': { target: process.env.PLANNER_SERVER_URL ?? 'http://127.0.0.1:8787' } };

export default defineConfig({
  plugins: [react(), publicWithoutLeftovers()],
  server: { host: '127.0.0.1', proxy: apiProxy },
  preview: { host: '127.0.0.1', proxy: apiProxy },
  worker: { format: 'es' },
  // maplibre-gl alone is about 800 kB minified; the app is one page and loads offline from the same host.
  // public/ is copied by publicWithoutLeftovers (above), not by vite.
  build: {
    chunkSizeWarningLimit: 2000, copyPublicDir: false,
    // report.html: the printable report alone, printed to PDF by `planner report` (src/features/report/page.tsx).
    rolldownOptions: { input: { main: resolve(import.meta.dirname, 'index.html'), report: resolve(import.meta.dirname, 'report.html') } },
  },
  test: {
    include: ['src/**/*.test.ts', 'tests/**/*.test.ts'],
    environment: 'node',
    testTimeout: 60_000,
  },
});
