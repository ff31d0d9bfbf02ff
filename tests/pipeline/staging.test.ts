/**
 * Leftovers of an interrupted pipeline run (`public/.data.staging-<pid>`, `.<name>.old-<pid>`): removed by the next
 * run, ignored by git, never copied into dist/ by `vite build`.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { build, type PluginOption } from 'vite';
import { runBuild } from '../../geodata/build';
import { removeLeftovers } from '../../geodata/lib/staging';
import viteConfig from '../../vite.config';

const root = resolve(__dirname, '../..');
const work = mkdtempSync(join(tmpdir(), 'staging-test-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

/** The pid of a process that has already ended. */
const deadPid = () => spawnSync(process.execPath, ['-e', '']).pid as number;

function put(path: string, text = 'x'): void {
  mkdirSync(join(path, '..'), { recursive: true });
  writeFileSync(path, text);
}

describe('staging folders of an interrupted run', () => {
  it('the next pipeline run removes the dead runs\' folders, keeps a running build\'s and other outputs\' folders, and says so', () => {
    const dead = deadPid();
    const live = process.ppid; // a running process that is not this one
    const parent = join(work, 'run');
    const out = join(parent, 'data');
    put(join(parent, `.data.staging-${dead}`, 'monaco', 'graph.bin'));
    put(join(parent, `.data.old-${dead}`, 'places.json'));
    put(join(parent, `.data.staging-${live}`, 'places.json'));
    put(join(parent, `.other.staging-${dead}`, 'x.json'));
    put(join(out, `.places.json.old-${dead}`));
    put(join(out, `.monaco.old-${dead}`, 'graph.bin'));
    const lines: string[] = [];
    runBuild({ outDir: out, place: 'yangdong', log: (s) => lines.push(s) });
    expect(readdirSync(parent).sort()).toEqual([`.data.staging-${live}`, `.other.staging-${dead}`, 'data']);
    expect(readdirSync(out).sort()).toEqual(['places.json', 'yangdong']);
    const removed = lines.filter((l) => l.startsWith('removed ')).sort();
    expect(removed).toEqual([
      `removed ${join(parent, `.data.old-${dead}`)} (left by an interrupted run)`,
      `removed ${join(parent, `.data.staging-${dead}`)} (left by an interrupted run)`,
      `removed ${join(out, `.monaco.old-${dead}`)} (left by an interrupted run)`,
      `removed ${join(out, `.places.json.old-${dead}`)} (left by an interrupted run)`,
    ]);
  });

  it('a leftover older than 6 hours goes even when its pid is in use again', () => {
    const out = join(work, 'old', 'data');
    const path = join(work, 'old', `.data.staging-${process.ppid}`);
    put(join(path, 'a'));
    expect(removeLeftovers(out)).toEqual([]);
    const t = (Date.now() - 7 * 3600 * 1000) / 1000;
    utimesSync(path, t, t);
    expect(removeLeftovers(out)).toEqual([path]);
    expect(existsSync(path)).toBe(false);
  });

  it('git ignores them', () => {
    const ignored = (p: string) => spawnSync('git', ['check-ignore', '-q', '--no-index', p], { cwd: root }).status === 0;
    expect(ignored('public/.data.staging-4242/monaco/graph.bin')).toBe(true);
    expect(ignored('public/.data.old-4242/places.json')).toBe(true);
    expect(ignored('public/data/.places.json.old-4242')).toBe(true);
    expect(ignored('public/data/.monaco.old-4242/graph.bin')).toBe(true);
    expect(ignored('public/data/places.json')).toBe(false);
    expect(ignored('public/data/monaco/graph.bin')).toBe(false);
    expect(execFileSync('git', ['ls-files', 'public'], { cwd: root, encoding: 'utf8' })).not.toMatch(/\.(staging|old)-\d/);
  });

  it('vite build with the project\'s config copies public/ into dist/ without them', async () => {
    const app = join(work, 'app');
    put(join(app, 'index.html'), '<!doctype html><html><body><script type="module" src="./main.js"></script></body></html>');
    put(join(app, 'main.js'), 'console.log(1);\n');
    const pub = join(app, 'public');
    put(join(pub, 'favicon.svg'), '<svg/>');
    put(join(pub, 'data', 'places.json'), '[]');
    put(join(pub, 'data', 'monaco', 'graph.bin'), 'g');
    put(join(pub, 'data', `.places.json.old-77`), '[]');
    put(join(pub, 'data', '.monaco.old-77', 'graph.bin'), 'g');
    put(join(pub, '.data.staging-77', 'monaco', 'graph.bin'), 'g'.repeat(100_000));
    put(join(pub, '.data.old-77', 'places.json'), '[]');
    const cfg = viteConfig as { plugins: PluginOption[]; build: { copyPublicDir?: boolean } };
    const ours = cfg.plugins.filter((p) => !!p && typeof p === 'object' && 'name' in p && p.name === 'public-without-leftovers');
    expect(ours.length).toBe(1);
    const dist = join(app, 'dist');
    await build({
      configFile: false, root: app, publicDir: pub, logLevel: 'silent', plugins: ours,
      build: { outDir: dist, copyPublicDir: cfg.build.copyPublicDir },
    });
    const files = (dir: string, pre = ''): string[] => readdirSync(dir, { withFileTypes: true })
      .flatMap((d) => (d.isDirectory() ? files(join(dir, d.name), `${pre}${d.name}/`) : [`${pre}${d.name}`]));
    const got = files(dist).filter((f) => !f.startsWith('assets/')).sort();
    expect(got).toEqual(['data/monaco/graph.bin', 'data/places.json', 'favicon.svg', 'index.html']);
  });
});
