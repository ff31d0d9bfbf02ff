import { describe, expect, it } from 'vitest';
import { durationSeconds, ferrySeconds, parseLength, parseWeight, streetLabel, streetName } from './roadRulesUnits';

describe('parseLength (maxheight, maxwidth, maxlength → metres)', () => {
  it.each([
    ['2.2', 2.2], ['2.2 m', 2.2], ['2.2m', 2.2], ['2,2', 2.2], [' 3.5 metres ', 3.5], ['4', 4],
    // 7 ft 6 in = 7 × 0.3048 + 6 × 0.0254 = 2.1336 + 0.1524 = 2.286 m
    ['7\'6"', 2.286], ['7 ft 6 in', 2.286], ['7\'', 2.1336], ['7ft', 2.1336], ['90"', 2.286],
  ])('%s → %f m', (v, m) => expect(parseLength(v)).toBeCloseTo(m, 6));
  it.each(['none', 'default', 'unsigned', 'no_sign', 'NONE'])('%s → no limit (Infinity)', (v) => expect(parseLength(v)).toBe(Infinity));
  it.each(['below_default', 'abc', '2.2 km', '', '3 m 20'])('%s → unreadable (NaN)', (v) => expect(parseLength(v)).toBeNaN());
  it('absent → NaN', () => expect(parseLength(undefined)).toBeNaN());
});

describe('parseWeight (maxweight, maxaxleload → tonnes)', () => {
  it.each([
    ['10', 10], ['10 t', 10], ['10t', 10], ['7.5', 7.5], ['5000 kg', 5], ['5000kg', 5],
    // US short ton = 2000 lb = 907.18474 kg; 8 st = 7.25747792 t
    ['8 st', 7.25747792], ['20000 lbs', 9.0718474], ['20000 lb', 9.0718474],
    // A thousands separator with kg / lb; a decimal comma with tonnes or no unit.
    ['20,000 kg', 20], ['40,000 lbs', 18.1436948], ['7,5', 7.5], ['7,5 t', 7.5],
  ])('%s → %f t', (v, t) => expect(parseWeight(v)).toBeCloseTo(t, 6));
  it.each(['none', 'default', 'unsigned'])('%s → no limit', (v) => expect(parseWeight(v)).toBe(Infinity));
  it.each(['ten', '10 furlongs', '-3', ''])('%s → unreadable', (v) => expect(parseWeight(v)).toBeNaN());
});

describe('durationSeconds / ferrySeconds', () => {
  it.each([
    ['00:15', 900], ['0:15', 900], ['1:30', 5400], ['1:30:00', 5400], ['00:00:45', 45], ['15', 900], ['7.5', 450],
    ['PT15M', 900], ['PT1H30M', 5400], ['PT45S', 45], ['pt2h', 7200],
  ])('%s → %i s', (v, s) => expect(durationSeconds(v)).toBe(s));
  it.each(['', 'PT', '0:75', 'abc', '1h'])('%s → NaN', (v) => expect(durationSeconds(v)).toBeNaN());
  it('reads the duration of a ferry way', () => {
    expect(ferrySeconds({ route: 'ferry', duration: '00:20' })).toBe(1200);
    expect(ferrySeconds({ route: 'ferry' })).toBeNaN();
  });
});

describe('streetName: name first, ref only as a reference', () => {
  it('keeps name and ref apart', () => {
    expect(streetName({ name: '人民路', ref: 'G325' })).toEqual({ name: '人民路', ref: 'G325' });
    expect(streetName({ ref: 'G325;S113' })).toEqual({ name: '', ref: 'G325 / S113' });
    expect(streetName({ name: ' 东风路 ' })).toEqual({ name: '东风路', ref: '' });
    expect(streetName({})).toEqual({ name: '', ref: '' });
  });
  it('labels: the ref is never shown as the name', () => {
    expect(streetLabel({ name: '人民路', ref: 'G325' }, 'zh')).toBe('人民路（G325）');
    expect(streetLabel({ name: '', ref: 'G325' }, 'zh')).toBe('未命名道路（G325）');
    expect(streetLabel({ name: '', ref: 'G325' }, 'en')).toBe('unnamed road (G325)');
    expect(streetLabel({ name: 'Renmin Lu', ref: '' }, 'en')).toBe('Renmin Lu');
    expect(streetLabel({ name: '', ref: '' }, 'en')).toBe('');
  });
});
