import { describe, expect, it } from 'vitest';
import fireEngine from '../../geodata/profiles/fire-engine.json';
import { validateProfile } from '../core/profile';
import { buildProfile, defaultJson, editsOf, profileIssues, sameEdits } from './profile';

type P = { name: string; nameEn: string; speedsKmh: Record<string, { value: number; assumption?: string }>; peakFactor: { value: number }; oneway: { value: string } };

describe('speed-profile edits', () => {
  it('reads the editable values of the profile file', () => {
    const e = editsOf(defaultJson());
    expect(e.speeds.primary).toBe(fireEngine.speedsKmh.primary.value);
    expect(e.peakFactor).toBe(fireEngine.peakFactor.value);
    expect(e.turnoutSeconds).toBe(fireEngine.turnoutSeconds.value);
    expect(e.oneway).toBe(fireEngine.oneway.value);
  });

  it('unchanged values give the default profile under its own name', () => {
    const p = buildProfile(editsOf(defaultJson())) as P;
    expect(p.name).toBe(fireEngine.name);
    expect(validateProfile(p)).toEqual([]);
  });

  it('an edit is applied, keeps the notes and is named as custom in both languages', () => {
    const e = editsOf(defaultJson());
    const edited = { ...e, speeds: { ...e.speeds, residential: 12 }, oneway: 'contraflow' as const, peakFactor: 0.5 };
    const p = buildProfile(edited) as P;
    expect(p.speedsKmh.residential.value).toBe(12);
    expect(p.speedsKmh.residential.assumption).toBe(fireEngine.speedsKmh.residential.assumption);
    expect(p.oneway.value).toBe('contraflow');
    expect(p.peakFactor.value).toBe(0.5);
    expect(p.name).toBe(`${fireEngine.name}（自定义）`);
    expect(p.nameEn).toBe(`${fireEngine.nameEn} (custom)`);
    expect(sameEdits(editsOf(p), edited)).toBe(true);
    expect(profileIssues(edited)).toEqual([]);
  });

  it('refuses impossible values with messages in Chinese and English', () => {
    const e = editsOf(defaultJson());
    const issues = profileIssues({ ...e, speeds: { ...e.speeds, residential: 0 }, turnoutSeconds: NaN });
    expect(issues.map((i) => i.path).sort()).toEqual(['speedsKmh.residential', 'turnoutSeconds']);
    for (const i of issues) {
      expect(i.zh).toMatch(/[\u4e00-\u9fff]/);
      expect(i.en).toMatch(/must be a number/);
    }
  });
});
