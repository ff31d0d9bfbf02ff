import { describe, expect, it } from 'vitest';
import { splitBilingual, toPlannerError } from './planner';

describe('worker errors in one language', () => {
  it('keeps bilingual error objects as they are', () => {
    expect(toPlannerError({ code: 'unreachable', zh: '无法到达', en: 'cannot be reached' })).toEqual({ code: 'unreachable', zh: '无法到达', en: 'cannot be reached' });
  });
  it('splits "English / 中文" and "中文 / English" texts of plain errors', () => {
    expect(toPlannerError(new Error('the destination cannot be reached / 目的地无法到达'))).toEqual({ code: 'error', zh: '目的地无法到达', en: 'the destination cannot be reached' });
    expect(splitBilingual('坐标无效 / invalid coordinate')).toEqual({ zh: '坐标无效', en: 'invalid coordinate' });
    expect(splitBilingual('HTTP 404')).toEqual({ zh: 'HTTP 404', en: 'HTTP 404' });
  });
});
