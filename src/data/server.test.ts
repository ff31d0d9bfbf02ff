import { describe, expect, it } from 'vitest';
import { conflictOf, isOffline, serverApi, type Fetch } from './server';

/** A stand-in server answering every request with one status and body; records what was asked. */
function answering(status: number, body: string | null) {
  const asked: { url: string; init: RequestInit }[] = [];
  const f: Fetch = async (url, init) => {
    asked.push({ url, init });
    return new Response(body, { status, headers: { 'content-type': 'application/json' } });
  };
  return { f, asked };
}

describe('team server client (src/data/server.ts)', () => {
  it('sends JSON with the session cookie (credentials include) to the same origin by default', async () => {
    const { f, asked } = answering(200, JSON.stringify({ id: '7', placeId: 'monaco', name: 'A', version: 3, savedAt: '2026-01-01T00:00:00Z', author: 'alice', body: {}, note: '' }));
    const out = await serverApi('', f).saveScenario('7', 2, { type: 'FeatureCollection' });
    expect(out.version).toBe(3);
    expect(asked[0].url).toBe('/api/scenarios/7');
    expect(asked[0].init).toMatchObject({ method: 'PUT', credentials: 'include', headers: { 'content-type': 'application/json' } });
    expect(JSON.parse(String(asked[0].init.body))).toEqual({ baseVersion: 2, body: { type: 'FeatureCollection' } });
    await serverApi('http://127.0.0.1:8787/', f).places().catch(() => undefined);
    expect(asked[1].url).toBe('http://127.0.0.1:8787/api/places');
  });

  it('no answer at all is server-offline, in both languages, naming the server', async () => {
    const f: Fetch = () => Promise.reject(new TypeError('fetch failed'));
    const e = await serverApi('http://127.0.0.1:9', f).me().catch((x) => x);
    expect(e).toMatchObject({ code: 'server-offline', zh: '无法连接服务器「http://127.0.0.1:9」', en: 'cannot reach the server "http://127.0.0.1:9"', detail: 'fetch failed' });
    expect(isOffline(e)).toBe(true);
  });

  it("a proxy's 502 / 504 in front of a stopped server is offline too", async () => {
    for (const status of [502, 503, 504]) {
      const e = await serverApi('', answering(status, null).f).health().catch((x) => x);
      expect(e.code).toBe('server-offline');
      expect(e.detail).toBe(`HTTP ${status}`);
    }
  });

  it("the server's own errors keep their code and texts (401, 403, 5xx)", async () => {
    const err = (code: string, zh: string, en: string) => JSON.stringify({ error: { code, zh, en } });
    expect(await serverApi('', answering(401, err('bad-login', '用户名或密码错误', 'wrong user name or password')).f).login('a', 'b').catch((x) => x))
      .toMatchObject({ code: 'bad-login', zh: '用户名或密码错误', en: 'wrong user name or password' });
    expect(await serverApi('', answering(403, err('forbidden', '无权', 'may not')).f).saveScenario('1', 1, {}).catch((x) => x)).toMatchObject({ code: 'forbidden' });
    expect(await serverApi('', answering(500, err('internal', '服务器内部错误', 'internal server error')).f).me().catch((x) => x)).toMatchObject({ code: 'internal', en: 'internal server error' });
    // without a body of ours: the status decides
    expect(await serverApi('', answering(401, '').f).me().catch((x) => x)).toMatchObject({ code: 'unauthenticated' });
    expect(await serverApi('', answering(403, 'no').f).me().catch((x) => x)).toMatchObject({ code: 'forbidden' });
    expect(await serverApi('', answering(500, 'oops').f).me().catch((x) => x)).toMatchObject({ code: 'server-error', zh: '服务器出错（HTTP 500）', en: 'the server failed (HTTP 500)' });
    expect(await serverApi('', answering(200, 'not json').f).me().catch((x) => x)).toMatchObject({ code: 'server-bad-answer' });
  });

  it('a 409 carries the version the server holds (conflictOf), other errors carry none', async () => {
    const current = { id: '7', placeId: 'monaco', name: 'A', version: 5, savedAt: '2026-01-01T00:00:00Z', author: 'bob', body: { type: 'FeatureCollection' }, note: '' };
    const body = JSON.stringify({ error: { code: 'version-conflict', zh: '冲突', en: 'conflict' }, current });
    const e = await serverApi('', answering(409, body).f).saveScenario('7', 3, {}).catch((x) => x);
    expect(e.code).toBe('version-conflict');
    expect(conflictOf(e)).toEqual(current);
    expect(conflictOf(await serverApi('', answering(403, '').f).me().catch((x) => x))).toBeNull();
    expect(conflictOf(null)).toBeNull();
  });
});
