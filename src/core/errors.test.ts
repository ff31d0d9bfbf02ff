import { describe, expect, it } from 'vitest';
import { errorText, isErrorInfo, plannerError, toErrorInfo } from './errors';

describe('PlannerError', () => {
  it('keeps code, both languages, file and detail, and turns into plain data', () => {
    const e = plannerError('bad-file', '文件无效', 'invalid file', { file: 'a.csv', detail: 'row 3' });
    expect(e).toBeInstanceOf(Error);
    expect(e.message).toBe('invalid file');
    const info = toErrorInfo(e);
    expect(info).toEqual({ code: 'bad-file', zh: '文件无效', en: 'invalid file', file: 'a.csv', detail: 'row 3' });
    expect(Object.getPrototypeOf(info)).toBe(Object.prototype);
    expect(structuredClone(info)).toEqual(info);
  });
  it('makes anything else an internal error with its message as detail', () => {
    expect(toErrorInfo(new TypeError('x is undefined'))).toEqual({ code: 'internal', zh: '内部错误', en: 'internal error', detail: 'x is undefined' });
    expect(toErrorInfo('boom').detail).toBe('boom');
    expect(isErrorInfo({ code: 'a', zh: 'b' })).toBe(false);
  });
  it('prints one language with file and detail', () => {
    const e = toErrorInfo(plannerError('bad-file', '文件无效', 'invalid file', { file: 'a.csv', detail: 'row 3' }));
    expect(errorText(e, 'zh')).toBe('文件无效（文件：a.csv）：row 3');
    expect(errorText(e, 'en')).toBe('invalid file (file: a.csv): row 3');
  });
});
