/**
 * The printed report (issue 14): `planner report` for 南山 in Chinese on A4 portrait and in English on A3 landscape,
 * read back with poppler-utils — page count and size (pdfinfo), the title and station names (pdftotext), and the
 * map on page 1 not blank (pdftoppm -r 50 as PPM: the failing districts' pink fill and the red failing stretches are
 * there). The first run builds the app into a temporary dist (the CLI says so on stderr); the second reuses it.
 * Needs Debian chromium and poppler-utils (skipped with a note otherwise).
 */
import { describe, expect, it, afterAll } from 'vitest';
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { repoRoot } from '../support/place';

const chromium = process.env.CHROMIUM_PATH || '/usr/bin/chromium';
const poppler = spawnSync('pdfinfo', ['-v']).status === 0;
const ready = existsSync(chromium) && poppler;
if (!ready) console.warn('report test skipped: needs chromium and poppler-utils (pdfinfo, pdftotext, pdftoppm)');

const dir = mkdtempSync(join(tmpdir(), 'w8-report-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function planner(args: string[]) {
  return spawnSync(process.execPath, ['--import', 'tsx', join(repoRoot, 'src/cli/main.ts'), ...args], { cwd: repoRoot, encoding: 'utf8', timeout: 150_000 });
}

/** Pixels of a binary PPM (P6) image. */
function readPpm(buf: Buffer): { width: number; height: number; px: (x: number, y: number) => [number, number, number] } {
  const head = buf.subarray(0, 64).toString('latin1').match(/^P6\s+(\d+)\s+(\d+)\s+(\d+)\s/);
  if (!head) throw new Error('not a P6 PPM');
  const [all, w, h] = head;
  const width = Number(w), height = Number(h), off = Buffer.byteLength(all, 'latin1');
  return { width, height, px: (x, y) => { const i = off + (y * width + x) * 3; return [buf[i], buf[i + 1], buf[i + 2]]; } };
}

/** Page 1 at 50 dpi: distinct colours, non-white share, and pixels of the fail fill / failing-line colours. */
function page1Colours(pdf: string) {
  const img = readPpm(execFileSync('pdftoppm', ['-r', '50', '-f', '1', '-l', '1', '-singlefile', pdf], { maxBuffer: 64 << 20 }));
  const colours = new Set<number>();
  let nonWhite = 0, pink = 0, red = 0;
  for (let y = 0; y < img.height; y++) for (let x = 0; x < img.width; x++) {
    const [r, g, b] = img.px(x, y);
    colours.add((r >> 3) << 10 | (g >> 3) << 5 | (b >> 3));
    if (r < 245 || g < 245 || b < 245) nonWhite++;
    if (r > 225 && g > 190 && g < 225 && b > 185 && b < 225 && r - g > 15) pink++; // #d9534f at 22 % over the light grey
    if (r > 140 && g < 80 && b < 80) red++; // failing stretches #b00020
  }
  return { distinct: colours.size, nonWhite: nonWhite / (img.width * img.height), pink, red, width: img.width, height: img.height };
}

describe.skipIf(!ready)('planner report: the PDF of 南山', () => {
  const dist = join(dir, 'dist');

  it('zh, A4 portrait: builds the app first, ≥ 2 pages, Chinese title and station names, a drawn map', () => {
    const out = join(dir, 'nanshan-zh.pdf');
    const r = planner(['report', '--place', 'nanshan', '--lang', 'zh', '--paper', 'a4', '--out', out, '--dist', dist]);
    expect(r.stderr).toContain('正在运行 vite build');
    expect(r.status, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({ place: 'nanshan', paper: 'a4', lang: 'zh', stations: 4, mode: 'network' });
    const info = execFileSync('pdfinfo', [out], { encoding: 'utf8' });
    expect(Number(info.match(/Pages:\s+(\d+)/)![1])).toBeGreaterThanOrEqual(2);
    expect(info).toMatch(/Page size:\s+595\.\d+ x 841\.\d+ pts \(A4\)|Page size:\s+595\.\d+ x 842\.\d+ pts \(A4\)/);
    const text = execFileSync('pdftotext', ['-layout', out, '-'], { encoding: 'utf8' });
    expect(text).toContain('消防站辖区覆盖检验报告');
    expect(text).toContain('深圳南山（西丽）');
    for (const n of [1, 2, 3, 4]) expect(text).toContain(`示例站 ${n}`);
    expect(text).toContain('路网计算');
    expect(text).toContain('建标152-2017');
    expect(text).toMatch(/7:51\s+4:00\s+8:51/); // 示例站 1: worst travel 470.1 s, limit, response (m:ss, figures over a limit rounded up)
    const c = page1Colours(out);
    expect(c.width).toBeLessThan(c.height);
    expect(c.distinct).toBeGreaterThan(40);
    expect(c.pink).toBeGreaterThan(2000); // the failing districts' fill: a large area of the page
    expect(c.red).toBeGreaterThan(100); // the failing edge stretches
  }, 150_000);

  it('en, A3 landscape: reuses the build, English title and names, the map beside the summary', () => {
    const out = join(dir, 'nanshan-en.pdf');
    const r = planner(['report', '--place', 'nanshan', '--lang', 'en', '--paper', 'a3', '--out', out, '--dist', dist]);
    expect(r.status, r.stderr).toBe(0);
    expect(r.stderr).not.toContain('vite build');
    const info = execFileSync('pdfinfo', [out], { encoding: 'utf8' });
    expect(Number(info.match(/Pages:\s+(\d+)/)![1])).toBeGreaterThanOrEqual(2);
    expect(info).toMatch(/Page size:\s+1190\.\d+ x 841\.\d+ pts \(A3\)|Page size:\s+1191\.\d+ x 842\.\d+ pts \(A3\)/);
    const text = execFileSync('pdftotext', [out, '-'], { encoding: 'utf8' });
    expect(text).toContain('Fire-station coverage report');
    expect(text).toContain('Nanshan (Xili), Shenzhen');
    expect(text).toContain('Example site 1');
    expect(text).toContain('computed on the road network');
    const c = page1Colours(out);
    expect(c.width).toBeGreaterThan(c.height);
    expect(c.pink).toBeGreaterThan(2000);
    expect(c.red).toBeGreaterThan(100);
  }, 90_000);

  it('clear errors: unknown place (exit 1), bad paper (exit 2), no chromium (exit 1)', () => {
    const a = planner(['report', '--place', 'atlantis', '--out', join(dir, 'x.pdf'), '--dist', dist]);
    expect(a.status).toBe(1);
    expect(a.stderr).toContain('错误 [unknown-place]');
    const b = planner(['report', '--place', 'nanshan', '--paper', 'letter', '--lang', 'en', '--out', join(dir, 'x.pdf')]);
    expect(b.status).toBe(2);
    expect(b.stderr).toContain('error [bad-option]: --paper must be one of a4, a3');
    const c = spawnSync(process.execPath, ['--import', 'tsx', join(repoRoot, 'src/cli/main.ts'), 'report', '--place', 'nanshan', '--lang', 'en', '--out', join(dir, 'x.pdf'), '--dist', dist],
      { cwd: repoRoot, encoding: 'utf8', env: { ...process.env, CHROMIUM_PATH: join(dir, 'no-such-chromium') } });
    expect(c.status).toBe(1);
    expect(c.stderr).toContain('error [no-chromium]: Chromium not found: install chromium');
    expect(existsSync(join(dir, 'x.pdf'))).toBe(false);
  }, 60_000);
});
