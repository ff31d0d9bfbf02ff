import { describe, expect, it } from 'vitest';
import type { TFunction } from 'i18next';
import { plannerError } from '../core/errors';
import { errorMsg, mmss, msgText } from './msg';

describe('mmss', () => {
  it('rounds to the whole second before splitting minutes (map labels and the table agree)', () => {
    expect(mmss(299.6)).toBe('5:00');
    expect(mmss(299.4)).toBe('4:59');
    expect(mmss(530)).toBe('8:50');
    expect(mmss(7.2)).toBe('0:07');
  });
});

describe('errors shown in one language', () => {
  const t = ((key: string, p?: Record<string, unknown>) => `${key}${p && Object.keys(p).length ? JSON.stringify(p) : ''}`) as unknown as TFunction;

  it('an error keeps its fields and is shown in the UI language with its file and detail, never both languages', () => {
    const m = errorMsg(plannerError('bad-json', '「d.geojson」不是有效的 JSON', '"d.geojson" is not valid JSON', { file: 'd.geojson', detail: 'Unexpected end of JSON input' }));
    expect(m).toEqual({ key: 'errors.generic', code: 'bad-json', zh: '「d.geojson」不是有效的 JSON', en: '"d.geojson" is not valid JSON', file: 'd.geojson', detail: 'Unexpected end of JSON input' });
    expect(msgText(t, 'zh', m)).toBe('「d.geojson」不是有效的 JSON：Unexpected end of JSON input');
    expect(msgText(t, 'en', m)).toBe('"d.geojson" is not valid JSON: Unexpected end of JSON input');
  });

  it('worker error data and unexpected exceptions become messages too; plain i18n messages use their key', () => {
    expect(msgText(t, 'en', errorMsg({ code: 'no-graph', zh: '尚未加载路网', en: 'no road graph loaded', file: 'g.bin' }))).toBe('no road graph loaded (file: g.bin)');
    const bug = errorMsg(new TypeError('x is undefined'));
    expect(bug.code).toBe('internal');
    expect(msgText(t, 'zh', bug)).toBe('内部错误：x is undefined');
    expect(msgText(t, 'en', { key: 'importer.cancelled' })).toBe('importer.cancelled');
    expect(msgText(t, 'en', { key: 'importer.done', params: { km: 3 }, detail: 'x' })).toBe('importer.done{"km":3} (x)');
  });
});
