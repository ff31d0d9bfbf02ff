/** planner report's parts that run without a browser: options, the hydrant-audit file, the static server. */
import { describe, expect, it } from 'vitest';
import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseReportArgs, readHydrantAudit } from './cmd-report';
import { fileFor, serveStatic } from './staticServer';

describe('planner report options', () => {
  it('defaults and choices', () => {
    const a = parseReportArgs(['--place', 'nanshan', '--out', 'r.pdf']);
    expect(a).toMatchObject({ place: 'nanshan', paper: 'a4', lang: 'zh', peak: false, turns: true, timeoutS: 120 });
    expect(a.out.endsWith('r.pdf')).toBe(true);
    expect(parseReportArgs(['--place', 'x', '--out', 'o.pdf', '--paper', 'a3', '--lang', 'en', '--turns', 'off', '--peak'])).toMatchObject({ paper: 'a3', lang: 'en', turns: false, peak: true });
  });
  it('refuses what it cannot do, naming the option', () => {
    expect(() => parseReportArgs(['--out', 'o.pdf'])).toThrow(expect.objectContaining({ code: 'missing-option', en: 'missing --place (e.g. nanshan)' }));
    expect(() => parseReportArgs(['--place', 'nanshan'])).toThrow(expect.objectContaining({ code: 'missing-option' }));
    expect(() => parseReportArgs(['--place', 'nanshan', '--out', 'o.pdf', '--paper', 'letter'])).toThrow(expect.objectContaining({ code: 'bad-option' }));
    expect(() => parseReportArgs(['--place', '../etc', '--out', 'o.pdf'])).toThrow(expect.objectContaining({ code: 'bad-option' }));
    expect(() => parseReportArgs(['--place', 'nanshan', '--out', 'o.pdf', '--timeout', '1'])).toThrow(expect.objectContaining({ code: 'bad-option' }));
    expect(() => parseReportArgs(['--place', 'nanshan', '--out', 'o.pdf', '--bogus'])).toThrow(expect.objectContaining({ code: 'bad-arguments' }));
    expect(() => parseReportArgs(['--place', 'nanshan', '--out', 'o.pdf', '--standard', 'iso9001'])).toThrow(expect.objectContaining({ code: 'bad-option' }));
    expect(parseReportArgs(['--place', 'nanshan', '--out', 'o.pdf', '--standard', 'nfpa1710']).standard).toBe('nfpa1710');
  });
});

describe('hydrant audit summary file', () => {
  const dir = mkdtempSync(join(tmpdir(), 'w8-audit-'));
  it('reads a valid one and refuses a bad one', () => {
    const ok = join(dir, 'ok.json');
    writeFileSync(ok, JSON.stringify({ protectedShare: 0.8, gapsKm: 3.2, spacingViolations: 4, hydrants: 90, extra: 'ignored' }));
    expect(readHydrantAudit(ok)).toEqual({ protectedShare: 0.8, gapsKm: 3.2, spacingViolations: 4, hydrants: 90 });
    const bad = join(dir, 'bad.json');
    writeFileSync(bad, JSON.stringify({ protectedShare: 1.5, gapsKm: 3, spacingViolations: 0, hydrants: 1 }));
    expect(() => readHydrantAudit(bad)).toThrow(expect.objectContaining({ code: 'bad-hydrant-audit' }));
    writeFileSync(bad, '{');
    expect(() => readHydrantAudit(bad)).toThrow(expect.objectContaining({ code: 'bad-json' }));
    expect(() => readHydrantAudit(join(dir, 'none.json'))).toThrow(expect.objectContaining({ code: 'file-not-found' }));
    rmSync(dir, { recursive: true, force: true });
  });
});

describe('static server for dist/', () => {
  const root = mkdtempSync(join(tmpdir(), 'w8-static-'));
  mkdirSync(join(root, 'assets'));
  writeFileSync(join(root, 'report.html'), '<p>报告</p>');
  writeFileSync(join(root, 'assets', 'a.js'), 'export {}');
  writeFileSync(join(tmpdir(), 'w8-outside.txt'), 'secret');

  it('keeps paths inside the root', () => {
    expect(fileFor(root, '/report.html')).toBe(join(root, 'report.html'));
    expect(fileFor(root, '/assets/a.js?v=1')).toBe(join(root, 'assets', 'a.js'));
    expect(fileFor(root, '/../w8-outside.txt')).toBeNull();
    expect(fileFor(root, '/%2e%2e/w8-outside.txt')).toBeNull();
    expect(fileFor(root, '/assets')).toBeNull();
    expect(fileFor(root, '/%E0%A4%A')).toBeNull();
  });

  it('serves on 127.0.0.1 with content types, 404 and 405, and closes', async () => {
    const s = await serveStatic(root);
    try {
      expect(s.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
      const r = await fetch(`${s.url}/report.html`);
      expect(r.status).toBe(200);
      expect(r.headers.get('content-type')).toBe('text/html; charset=utf-8');
      expect(await r.text()).toBe('<p>报告</p>');
      expect((await fetch(`${s.url}/assets/a.js`)).headers.get('content-type')).toContain('text/javascript');
      expect((await fetch(`${s.url}/nothing.html`)).status).toBe(404);
      expect((await fetch(`${s.url}/report.html`, { method: 'POST' })).status).toBe(405);
    } finally {
      await s.close();
    }
    await expect(fetch(`${s.url}/report.html`)).rejects.toThrow();
    rmSync(root, { recursive: true, force: true });
    rmSync(join(tmpdir(), 'w8-outside.txt'), { force: true });
  });
});
