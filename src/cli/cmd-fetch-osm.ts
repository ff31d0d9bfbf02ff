/**
 * `planner fetch-osm`: the place's Overpass query (src/core/osm/overpass.ts) sent to an endpoint, the answer
 * checked (complete OSM XML, roads inside the place) and written as an .osm file that `npm run geodata -- --place
 * <id> --osm <file>` and the app's import both take. `--print-query` prints the query and sends nothing.
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { isDrivableWay } from '../core/buildGraph';
import { plannerError, toErrorInfo, type Lang } from '../core/errors';
import { clipOsm, growBbox, type Bbox } from '../core/osm/clip';
import { buildOverpassQuery, QUERY_MARGIN_M } from '../core/osm/overpass';
import { readOsm } from '../core/osm/read';
import { exitCodeOf, fileFailure } from '../core/compliance/cli';
import { DEFAULT_ENDPOINT, DEFAULT_MAX_ANSWER_BYTES, checkEndpointUrl, fetchOverpass, overpassFileName } from '../data/overpass';
import { errorLine } from './main';
import { langOption, numberOption } from './options';

export const usage = `  planner fetch-osm    --place <id> [--endpoint URL] [--out file.osm] [--max-mb 400] [--print-query] [--lang zh|en]
                       从 OpenStreetMap（Overpass API）获取该地点的路网、水系、铁路、消防设施与选址 POI，写入 .osm 文件
                       （默认 geodata/raw/<地点>-overpass-<日期>.osm），随后可用 npm run geodata -- --place <id> --osm <文件>
                       / get the place's roads, water, railways, fire facilities and siting POIs from OpenStreetMap (Overpass
                       API) into an .osm file (default geodata/raw/<place>-overpass-<date>.osm) for npm run geodata -- --place <id> --osm <file>;
                       --print-query 只打印查询、不联网 / prints the query and sends nothing. Endpoints: geodata/overpass-endpoints.json`;

const repoRoot = resolve(fileURLToPath(new URL('.', import.meta.url)), '../..');

export interface FetchOsmIO {
  out(text: string): void;
  err(text: string): void;
  /** Where place.json files are read (default public/data of the repository). */
  dataDir?: string;
  /** Base of relative paths and of the default output (default the repository root). */
  cwd?: string;
  now?: Date;
}

const processIO: FetchOsmIO = { out: (t) => void process.stdout.write(t), err: (t) => void process.stderr.write(t) };

function placeBbox(dataDir: string, id: string): Bbox {
  if (!/^[a-z0-9_-]+$/i.test(id)) throw plannerError('bad-option', `地点编号无效：${id}`, `invalid place id: ${id}`);
  const file = resolve(dataDir, id, 'place.json');
  if (!existsSync(file)) throw plannerError('place-not-found', `没有编号为「${id}」的地点`, `no place with id "${id}"`, { file });
  let bbox: unknown;
  try {
    bbox = (JSON.parse(readFileSync(file, 'utf8')) as { bbox?: unknown }).bbox;
  } catch (e) {
    throw fileFailure(e, file, { zh: '地点信息', en: 'place summary' });
  }
  if (!Array.isArray(bbox) || bbox.length !== 4 || !bbox.every((v) => typeof v === 'number' && Number.isFinite(v)))
    throw plannerError('bad-place', '地点信息中没有有效的范围（bbox）', 'the place summary has no valid bbox', { file });
  return bbox as Bbox;
}

export async function run(argv: string[], io: FetchOsmIO = processIO): Promise<number> {
  let lang: Lang = 'zh';
  try {
    let parsed;
    try {
      parsed = parseArgs({
        args: argv,
        options: {
          place: { type: 'string' }, endpoint: { type: 'string' }, out: { type: 'string' }, lang: { type: 'string' },
          'max-mb': { type: 'string' }, 'print-query': { type: 'boolean' }, 'data-dir': { type: 'string' },
        },
      });
    } catch (e) {
      lang = argv.includes('en') && argv[argv.indexOf('en') - 1] === '--lang' ? 'en' : 'zh';
      throw plannerError('bad-arguments', '参数无效', 'invalid arguments', { detail: (e as Error).message });
    }
    const o = parsed.values;
    lang = langOption(o.lang);
    if (!o.place) throw plannerError('missing-option', '缺少 --place（例如 qingxi、yangdong）', 'missing --place (e.g. qingxi, yangdong)');
    const maxBytes = o['max-mb'] !== undefined ? numberOption('max-mb', o['max-mb'], 1, 4096, { zh: 'MB', en: 'MB' }) * 1048576 : DEFAULT_MAX_ANSWER_BYTES;
    const endpoint = o.endpoint ?? DEFAULT_ENDPOINT.url;
    try {
      checkEndpointUrl(endpoint);
    } catch (e) {
      io.err(errorLine(toErrorInfo(e), lang) + '\n');
      return 2;
    }
    const cwd = io.cwd ?? process.cwd();
    const bbox = placeBbox(o['data-dir'] ? resolve(cwd, o['data-dir']) : io.dataDir ?? resolve(repoRoot, 'public/data'), o.place);
    const query = buildOverpassQuery(bbox);
    if (o['print-query']) {
      io.out(query);
      return 0;
    }
    const outFile = o.out ? resolve(cwd, o.out) : resolve(io.cwd ?? repoRoot, 'geodata/raw', overpassFileName(o.place, io.now));
    const fileName = outFile.split(/[\\/]/).pop() ?? 'overpass.osm';
    const { file, tally } = await fetchOverpass({ url: endpoint, query, fileName, maxBytes });
    const bytes = new Uint8Array(await file.arrayBuffer());
    // The same test as the import: roads inside the place (bbox + 2 km), or nothing is written.
    const inPlace = clipOsm(readOsm(bytes, fileName), growBbox(bbox, QUERY_MARGIN_M)).ways.filter((w) => isDrivableWay(w.tags)).length;
    if (inPlace === 0)
      throw plannerError('no-overlap', `返回数据在「${o.place}」范围内没有道路（服务器返回了其他地区？）：未写入文件`, `the answer has no road within "${o.place}" (another area?): no file written`);
    try {
      mkdirSync(dirname(outFile), { recursive: true });
      writeFileSync(outFile, bytes);
    } catch (e) {
      throw plannerError('file-unwritable', '无法写入 OSM 文件', 'cannot write the OSM file', { file: outFile, detail: (e as Error).message });
    }
    io.out(JSON.stringify({
      place: o.place, endpoint, file: outFile, bytes: bytes.byteLength,
      nodes: tally.nodes, ways: tally.ways, relations: tally.relations, highways: tally.highways, highwaysInPlace: inPlace,
      next: `npm run geodata -- --place ${o.place} --osm ${outFile}`,
    }) + '\n');
    return 0;
  } catch (e) {
    const info = toErrorInfo(e);
    io.err(errorLine(info, lang) + '\n');
    return exitCodeOf(info.code);
  }
}
