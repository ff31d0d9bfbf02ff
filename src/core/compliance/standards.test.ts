import { PlannerError } from '../errors';
import { describe, expect, it } from 'vitest';
import { readFileSync, readdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { STANDARD_IDS, areaLimit, parseStandard, withOverrides } from './standards';

const dir = resolve(__dirname, '../../../geodata/standards');
const load = (id: string) => JSON.parse(readFileSync(join(dir, `${id}.json`), 'utf8')) as Record<string, any>;

describe('standards data', () => {
  it('has exactly the five presets, each valid, with one default', () => {
    // (siting.json beside them holds the siting-check rules of another module, not a response standard)
    const files = readdirSync(dir).filter((f) => f.endsWith('.json') && f !== 'siting.json').map((f) => f.replace(/\.json$/, '')).sort();
    expect(files).toEqual([...STANDARD_IDS].sort());
    const parsed = files.map((id) => parseStandard(load(id)));
    expect(parsed.filter((s) => s.default).map((s) => s.id)).toEqual(['jianbiao152-2017']);
    for (const s of parsed) expect(s.id).toBe(files[parsed.indexOf(s)]);
  });

  it('encodes 建标152-2017: 60 s + 240 s, area limits by class, near-suburb 15 km²', () => {
    const s = parseStandard(load('jianbiao152-2017'));
    expect(s.turnoutS.value + s.travelLimitS.value).toBe(300);
    expect(areaLimit(s, '一级')?.value).toBe(7);
    expect(areaLimit(s, '二级')?.value).toBe(4);
    expect(areaLimit(s, '小型')?.value).toBe(2);
    expect(areaLimit(s, '特勤')?.value).toBe(7);
    expect(areaLimit(s, '二级', true)?.value).toBe(15);
    // town teams are an assumption, and so are the straight-line speed and λ
    expect(areaLimit(s, '乡镇一级')?.assumption).toBe(true);
    expect(s.straightLine.speedKmh.assumption).toBe(true);
    expect(s.straightLine.curvature.value).toBeGreaterThanOrEqual(1.3);
    expect(s.straightLine.curvature.value).toBeLessThanOrEqual(1.5);
    expect(s.citations[s.travelLimitS.cite].zh).toContain('5分钟');
  });

  it('encodes NFPA 1710 (80 s + 240 s, 90 %) and AGBF (9.5 min, 95 %)', () => {
    const n = parseStandard(load('nfpa1710'));
    expect([n.turnoutS.value, n.travelLimitS.value, n.complianceShare.value]).toEqual([80, 240, 0.9]);
    expect(areaLimit(n, '一级')).toBeNull();
    const a = parseStandard(load('agbf'));
    expect(a.turnoutS.value + a.travelLimitS.value).toBe(570);
    expect(a.complianceShare.value).toBe(0.95);
    expect(a.travelLimitS.assumption).toBe(true);
  });

  it('rejects bad files with Chinese and English messages naming the field', () => {
    const bad = load('jianbiao152-2017');
    bad.travelLimitS.value = -5;
    expect(() => parseStandard(bad)).toThrow(expect.objectContaining({ code: 'bad-standard' }));
    try {
      parseStandard(bad);
    } catch (e) {
      const err = e as PlannerError;
      expect(err).toBeInstanceOf(PlannerError);
      expect(err.code).toBe('bad-standard');
      expect(err.en).toContain('travelLimitS');
      expect(err.zh).toContain('无效');
    }
    const noCite = load('gb51080-2015');
    noCite.areaLimitsKm2['一级'].cite = 'missing';
    expect(() => parseStandard(noCite)).toThrow(/citation "missing" not found/);
    const cls = load('gb51080-2015');
    cls.areaLimitsKm2['三级'] = { value: 1, cite: 'area' };
    expect(() => parseStandard(cls)).toThrow(expect.objectContaining({ code: 'bad-standard', zh: expect.stringContaining('未知站级') }));
    expect(() => parseStandard('x')).toThrow(/JSON/);
    const speed = load('custom');
    speed.straightLine.speedKmh.value = 50; // outside its own 30–35 range
    expect(() => parseStandard(speed)).toThrow(/30–35/);
  });

  it('applies user overrides as assumptions and validates them', () => {
    const s = parseStandard(load('custom'));
    const t = withOverrides(s, { travelLimitS: 300, areaLimitsKm2: { 二级: 5 } });
    expect(t.travelLimitS).toMatchObject({ value: 300, assumption: true });
    expect(t.areaLimitsKm2['二级']?.value).toBe(5);
    expect(s.travelLimitS.value).toBe(240);
    expect(() => withOverrides(s, { complianceShare: 2 })).toThrow(expect.objectContaining({ code: 'bad-standard' }));
  });
});
