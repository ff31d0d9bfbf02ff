// Issue 14 (report): the "导出报告 / Export report" button prints the report view (window.print recorded, not opened),
// and the exports download real files: CSV with a BOM equal to the table, a GeoPackage (an SQLite file), the map PNG.
import { readFileSync } from 'node:fs';
import { assert, openWithNetwork } from './helpers.mjs';

async function compliance(page) {
  await page.waitForFunction(() => {
    const c = window.__planner.store.getState().compliance;
    return !c.busy && c.report && c.report.mode === 'network';
  }, null, { timeout: 90_000 });
  return page.evaluate(() => window.__planner.store.getState().compliance.report);
}

/** Clicks an export button and returns the downloaded file's name and bytes. */
async function download(page, testId) {
  const [d] = await Promise.all([page.waitForEvent('download', { timeout: 60_000 }), page.click(`[data-testid="${testId}"]`)]);
  return { name: d.suggestedFilename(), bytes: readFileSync(await d.path()) };
}

export const tests = [
  {
    name: 'report: export report prints the report view (A3, English) with the map; CSV, GeoPackage and PNG download',
    async run({ page, base, shot }) {
      await openWithNetwork(page, base, 'nanshan');
      const rep = await compliance(page);
      // print() is recorded with what the report view holds at that moment (the view is removed when print() returns).
      await page.evaluate(() => {
        window.__printed = [];
        window.print = () => {
          const root = document.querySelector('[data-testid="report-print-root"]');
          const img = root && root.querySelector('[data-testid="report-map-img"]');
          window.__printed.push({ body: document.body.className, text: root ? root.textContent : '', img: img ? [img.naturalWidth, img.naturalHeight] : null,
            page: [...document.querySelectorAll('style')].map((s) => s.textContent).find((t) => t.includes('@page')) || '' });
        };
      });
      await page.selectOption('[data-testid="report-paper"]', 'a3');
      await page.selectOption('[data-testid="report-lang"]', 'en');
      await shot('report-panel');
      await page.click('[data-testid="report-export"]');
      await page.waitForFunction(() => window.__printed.length === 1, null, { timeout: 60_000 });
      const p = await page.evaluate(() => window.__printed[0]);
      assert(p.body.includes('printing-report'), 'print() was called without the report view in force');
      assert(p.page.includes('A3 landscape'), `page rule: ${p.page}`);
      assert(p.text.includes('Fire-station coverage report') && p.text.includes('Nanshan (Xili), Shenzhen'), 'title or place missing');
      for (const s of rep.stations) assert(p.text.includes(s.nameEn || s.name), `station ${s.name} missing from the report`);
      assert(p.img && p.img[0] >= 2000, `map image ${p.img} is not at print resolution`);
      await page.waitForFunction(() => !document.querySelector('[data-testid="report-print-root"]') && !document.body.classList.contains('printing-report'));

      const csv = await download(page, 'export-csv');
      assert(csv.name.endsWith('.csv') && csv.bytes[0] === 0xef && csv.bytes[1] === 0xbb && csv.bytes[2] === 0xbf, `CSV ${csv.name} has no UTF-8 BOM`);
      const lines = csv.bytes.toString('utf8').slice(1).trim().split('\r\n');
      assert(lines.length === rep.stations.length + 1 && lines[0].startsWith('Station,Class,Status,Verdict,Worst travel'), `CSV lines: ${lines.length}`);
      const gpkg = await download(page, 'export-gpkg');
      assert(gpkg.bytes.subarray(0, 15).toString('latin1') === 'SQLite format 3' && gpkg.bytes.readUInt32BE(68) === 0x47504b47, 'not a GeoPackage');
      const png = await download(page, 'export-png');
      assert(png.bytes.subarray(1, 4).toString('latin1') === 'PNG' && png.bytes.length > 50_000, `PNG ${png.bytes.length} bytes`);
      const msg = await page.textContent('[data-testid="report-message"]');
      assert(msg.includes(png.name), `no saved message: ${msg}`);
    },
  },
];
