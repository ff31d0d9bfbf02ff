// Loopback stand-in for an Overpass API instance (tests only): plain node http on 127.0.0.1, a free port, the CORS
// header the real service sends. POST <prefix>/api/interpreter answers with a recorded real answer or a failure,
// chosen by the path prefix (or the header x-overpass-mode):
//   /api/interpreter, /ok/…   the shipped 南山 Overpass answer (geodata/raw/shenzhen_nanshan_xili_overpass_2021-03-17.osm)
//   /qingxi/…                 the hand-made 清溪镇 test fixture (tests/fixtures/osm/qingxi-test-fixture.osm)
//   /foreign/…                a real answer for another area (the shipped 上海 Overpass file)
//   /busy/ 429 · /timeout/ 504 · /remark/ 200 with "runtime error: … timed out" · /memory/ 200 with "out of memory"
//   /truncated/ the answer cut at 60 % · /html/ an HTML page with status 200 · /oversize/ an endless stream
//   /reset/ the connection closed mid-answer · /noroads/ the 南山 answer with every highway tag renamed
// Run alone: `node tests/support/overpassServer.mjs` prints its URL (for trying the app by hand).
import { Buffer } from 'node:buffer';
import { createServer } from 'node:http';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, URLSearchParams } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
/** A raw file from geodata/raw, or from the shared checkout next to the repository. */
function raw(name) {
  const p = [join(root, 'geodata/raw', name), join(root, '../shared/geodata/raw', name)].find((f) => existsSync(f));
  if (!p) throw new Error(`missing raw file ${name}`);
  return readFileSync(p);
}
export const NANSHAN_FILE = 'shenzhen_nanshan_xili_overpass_2021-03-17.osm';
const XML_HEAD = '<?xml version="1.0" encoding="UTF-8"?>\n<osm version="0.6" generator="Overpass API 0.7.62 (loopback test stand-in)">\n<note>test stand-in</note>\n<meta osm_base="2026-01-01T00:00:00Z"/>\n\n';

/** Starts the server; resolves to { url, requests, close() }. `url` is the base, e.g. http://127.0.0.1:PORT */
export async function startOverpassServer() {
  const cache = new Map();
  const file = (key, make) => { if (!cache.has(key)) cache.set(key, make()); return cache.get(key); };
  const nanshan = () => file('nanshan', () => raw(NANSHAN_FILE));
  const requests = [];
  const server = createServer((req, res) => {
    // connection: close — a kept-alive socket closed by the server while the client reuses it (after a slow test on a
    // loaded machine) made a later request fail as "cannot reach"; one connection per request avoids that race.
    const cors = { 'access-control-allow-origin': '*', connection: 'close' };
    if (req.method === 'OPTIONS') {
      res.writeHead(204, { ...cors, 'access-control-allow-methods': 'GET, POST', 'access-control-allow-headers': 'content-type, x-overpass-mode' });
      res.end();
      return;
    }
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const m = /^\/(?:([a-z]+)\/)?api\/interpreter$/.exec(url.pathname);
    if (!m || req.method !== 'POST') {
      res.writeHead(404, { ...cors, 'content-type': 'text/plain' });
      res.end('not found');
      return;
    }
    const mode = String(req.headers['x-overpass-mode'] ?? m[1] ?? 'ok');
    const body = [];
    req.on('data', (c) => body.push(c));
    req.on('end', () => {
      const form = new URLSearchParams(Buffer.concat(body).toString('utf8'));
      requests.push({ mode, path: url.pathname, contentType: req.headers['content-type'], data: form.get('data') });
      const xml = (status, buf) => { res.writeHead(status, { ...cors, 'content-type': 'application/osm3s+xml' }); res.end(buf); };
      const html = (status, title) => {
        res.writeHead(status, { ...cors, 'content-type': 'text/html; charset=utf-8' });
        res.end(`<!DOCTYPE html>\n<html><head><title>${title}</title></head><body><h1>${title}</h1></body></html>\n`);
      };
      switch (mode) {
        case 'ok': return xml(200, nanshan());
        case 'qingxi': return xml(200, readFileSync(join(root, 'tests/fixtures/osm/qingxi-test-fixture.osm')));
        case 'foreign': return xml(200, file('shanghai', () => raw('shanghai_center_overpass_2025-08-09.osm')));
        case 'busy': return html(429, '429 Too Many Requests');
        case 'timeout': return html(504, '504 Gateway Timeout');
        case 'remark': return xml(200, XML_HEAD + '<remark> runtime error: Query timed out in "query" at line 3 after 181 seconds. </remark>\n\n</osm>\n');
        case 'memory': return xml(200, XML_HEAD + '<remark> runtime error: Query run out of memory using about 2048 MB of RAM. </remark>\n\n</osm>\n');
        case 'truncated': return xml(200, nanshan().subarray(0, Math.floor(nanshan().length * 0.6)));
        case 'html': return html(200, 'Service temporarily unavailable');
        case 'noroads': return xml(200, file('noroads', () => Buffer.from(nanshan().toString('utf8').replaceAll('<tag k="highway"', '<tag k="old_highway"'))));
        case 'reset': {
          // chunked (no connection: close), so the destroyed socket is a broken answer, not its end
          res.writeHead(200, { 'access-control-allow-origin': '*', 'content-type': 'application/osm3s+xml' });
          res.write(nanshan().subarray(0, 200_000), () => setTimeout(() => res.socket?.destroy(), 50));
          return undefined;
        }
        case 'oversize': {
          res.writeHead(200, { ...cors, 'content-type': 'application/osm3s+xml' });
          let sent = 0;
          const more = () => {
            while (sent < 200 && !res.destroyed) {
              sent++;
              if (!res.write(nanshan())) return void res.once('drain', more);
            }
            res.end();
          };
          res.on('close', () => { sent = 200; });
          more();
          return undefined;
        }
        default: return html(400, `unknown test mode ${mode}`);
      }
    });
  });
  await new Promise((ok) => server.listen(0, '127.0.0.1', ok));
  const { port } = server.address();
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    close: () => new Promise((ok) => { server.closeAllConnections?.(); server.close(() => ok()); }),
  };
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const s = await startOverpassServer();
  console.log(`${s.url}/api/interpreter (modes: /<mode>/api/interpreter)`);
}
