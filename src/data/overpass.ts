/**
 * Overpass API, the network part: POST one query (form field `data=`), stream the answer with a reader (bytes
 * received reported as they come, cancel with an AbortSignal, a size cap), classify it (src/core/osm/overpass.ts)
 * and hand back a File that goes through the same import as a dropped file. Every failure is a PlannerError with
 * zh and en text; nothing is sent unless this is called (the dialog calls it on the user's click only).
 */
import endpointsJson from '../../geodata/overpass-endpoints.json';
import { plannerError, PlannerError } from '../core/errors';
import { AnswerScanner, classifyAnswer, type AnswerTally } from '../core/osm/overpass';

export interface OverpassEndpoint {
  id: string;
  name: string;
  nameEn: string;
  url: string;
  default?: boolean;
}

/** The public instances offered (geodata/overpass-endpoints.json); the first marked default is preselected. */
export const OVERPASS_ENDPOINTS: readonly OverpassEndpoint[] = endpointsJson.endpoints;
export const DEFAULT_ENDPOINT: OverpassEndpoint = OVERPASS_ENDPOINTS.find((e) => e.default) ?? OVERPASS_ENDPOINTS[0];

/** Default size cap of an answer, bytes (the browser import's own limit is the same order). */
export const DEFAULT_MAX_ANSWER_BYTES = 400 * 1024 * 1024;

const MB = (n: number) => (n / 1048576).toFixed(n < 1048576 ? 2 : 0);

/** A custom endpoint URL, checked: http or https with a host. Throws 'overpass-bad-url'. */
export function checkEndpointUrl(raw: string): URL {
  let u: URL | undefined;
  try {
    u = new URL(raw.trim());
  } catch {
    u = undefined;
  }
  if (!u || (u.protocol !== 'http:' && u.protocol !== 'https:') || !u.host)
    throw plannerError('overpass-bad-url', `服务器地址无效：「${raw}」（应为 http:// 或 https:// 开头的完整地址，例如 …/api/interpreter）`, `invalid server address: "${raw}" (a full http:// or https:// URL, e.g. …/api/interpreter)`);
  return u;
}

/** The file name a fetched answer gets: <place>-overpass-<YYYY-MM-DD>.osm */
export const overpassFileName = (placeId: string, date = new Date()) => `${placeId}-overpass-${date.toISOString().slice(0, 10)}.osm`;

export interface OverpassFetch {
  url: string;
  query: string;
  fileName: string;
  /** Abort the download when more than this many bytes arrive (default DEFAULT_MAX_ANSWER_BYTES). */
  maxBytes?: number;
  signal?: AbortSignal;
  /** Bytes received so far, called as chunks arrive. */
  onBytes?: (bytes: number) => void;
}

export interface OverpassResult {
  file: File;
  tally: AnswerTally;
}

const HEAD_CHARS = 4096;
const TAIL_CHARS = 4096;

function failure(kind: string, host: string, status: number, detail: string | undefined, maxBytes: number): PlannerError {
  const d = detail ? { detail } : {};
  switch (kind) {
    case 'busy':
      return plannerError('overpass-busy', `服务器 ${host} 繁忙（HTTP 429，请求过多）：请稍后再试，或换一个服务器`, `the server ${host} is busy (HTTP 429, too many requests): try again later or choose another server`, d);
    case 'timeout':
      return plannerError('overpass-timeout', `服务器 ${host} 查询超时（HTTP ${status}）：地区太大或服务器繁忙，请稍后再试或换一个服务器`, `the server ${host} timed out on the query (HTTP ${status}): the area is large or the server busy; try again later or choose another server`, d);
    case 'too-large':
      return plannerError('overpass-too-large', `返回数据太大（服务器内存或 ${MB(maxBytes)} MB 的上限）：请换一个较小的地区或自行下载区域文件后导入`, `the answer is too large (server memory or the ${MB(maxBytes)} MB cap): choose a smaller area, or download an extract and import it`, d);
    case 'no-roads':
      return plannerError('overpass-no-roads', `服务器 ${host} 的返回数据中没有道路：未作任何修改`, `the answer from ${host} holds no road: nothing was changed`, d);
    case 'http-error':
      return plannerError('overpass-http', `服务器 ${host} 返回错误 HTTP ${status}`, `the server ${host} answered with an error, HTTP ${status}`, d);
    default:
      return plannerError('overpass-broken', `服务器 ${host} 的返回内容不完整或不是 OSM 数据：未作任何修改`, `the answer from ${host} is incomplete or not OSM data: nothing was changed`, d);
  }
}

/**
 * Sends the query and reads the whole answer. Resolves with the answer as a File (only when it is complete OSM XML
 * with roads) and its counts; rejects with a PlannerError: overpass-bad-url, -unreachable, -cancelled, -busy,
 * -timeout, -too-large, -broken, -interrupted, -no-roads, -http.
 */
export async function fetchOverpass(req: OverpassFetch): Promise<OverpassResult> {
  const url = checkEndpointUrl(req.url);
  const host = url.host;
  const maxBytes = req.maxBytes ?? DEFAULT_MAX_ANSWER_BYTES;
  const ctl = new AbortController();
  const onAbort = () => ctl.abort();
  req.signal?.addEventListener('abort', onAbort);
  const cancelled = () => plannerError('overpass-cancelled', '已取消下载：未作任何修改', 'download cancelled: nothing was changed');
  try {
    if (req.signal?.aborted) throw cancelled();
    let res: Response;
    try {
      res = await fetch(url, {
        method: 'POST',
        body: new URLSearchParams({ data: req.query }),
        signal: ctl.signal,
      });
    } catch (e) {
      if (req.signal?.aborted) throw cancelled();
      const offline = typeof navigator !== 'undefined' && navigator.onLine === false;
      throw plannerError(
        'overpass-unreachable',
        offline ? `无法连接 ${host}：设备处于离线状态` : `无法连接 ${host}：网络不通、地址错误或服务器拒绝了跨域请求`,
        offline ? `cannot reach ${host}: the device is offline` : `cannot reach ${host}: no network, a wrong address, or the server refused the cross-origin request`,
        { detail: e instanceof Error ? e.message : String(e) },
      );
    }
    const scanner = new AnswerScanner();
    const decoder = new TextDecoder();
    const chunks: Uint8Array[] = [];
    let head = '', tail = '', bytes = 0;
    const reader = res.body?.getReader();
    if (reader) {
      for (;;) {
        let step: ReadableStreamReadResult<Uint8Array>;
        try {
          step = await reader.read();
        } catch (e) {
          if (req.signal?.aborted) throw cancelled();
          throw plannerError('overpass-interrupted', `与 ${host} 的连接在下载中断开（已收到 ${MB(bytes)} MB）：未作任何修改，请重试`, `the connection to ${host} broke during the download (${MB(bytes)} MB received): nothing was changed; try again`, { detail: e instanceof Error ? e.message : String(e) });
        }
        if (step.done) break;
        const chunk = step.value;
        bytes += chunk.byteLength;
        if (bytes > maxBytes) {
          ctl.abort();
          throw failure('too-large', host, res.status, `more than ${maxBytes} bytes`, maxBytes);
        }
        chunks.push(chunk);
        const text = decoder.decode(chunk, { stream: true });
        if (head.length < HEAD_CHARS) head += text.slice(0, HEAD_CHARS - head.length);
        tail = (tail + text).slice(-TAIL_CHARS);
        if (res.ok) scanner.push(text, chunk.byteLength);
        req.onBytes?.(bytes);
        if (!res.ok && bytes > HEAD_CHARS) {
          void reader.cancel().catch(() => undefined); // an error page: its start is enough
          break;
        }
      }
    }
    const rest = decoder.decode();
    tail = (tail + rest).slice(-TAIL_CHARS);
    scanner.push(rest);
    const tally = scanner.end();
    const verdict = classifyAnswer({ status: res.status, head, tail, tally });
    if (verdict.kind !== 'ok') throw failure(verdict.kind, host, res.status, verdict.detail, maxBytes);
    return { file: new File(chunks as BlobPart[], req.fileName, { type: 'application/xml' }), tally };
  } finally {
    req.signal?.removeEventListener('abort', onAbort);
  }
}
