import { describe, expect, it } from 'vitest';
import { changesFromPublished, compareScenarios, importAsNew, mergeImport } from './compare';
import { addStation, createScenario, deleteStation, duplicateScenario, moveStation, renameStation, setStationClass } from './ops';
import { makeScenario, T0, T1 } from './fixtures';

const M_PER_DEG = (6371008.8 * Math.PI) / 180;

describe('compareScenarios', () => {
  const a = addStation(makeScenario(), { lon: 114.2, lat: 22.85, id: 'u-old', name: '旧建议站' }, T1);
  let b = duplicateScenario(a, { id: 'scn-b', now: T1 });
  b = moveStation(b, 'pl-1', 114.18, 22.83 + 0.005, T1); // due north: 0.005° = 555.98 m
  b = setStationClass(b, 'ex-1', '特勤', T1);
  b = renameStation(b, 'ex-1', '示例特勤站', T1);
  b = deleteStation(b, 'u-old', T1);
  b = addStation(b, { lon: 114.21, lat: 22.86, id: 'u-new', name: '新建议站' }, T1);

  it('lists added, removed, moved (with distance), class and name changes in a fixed order', () => {
    const rows = compareScenarios(a, b);
    expect(rows.map((r) => [r.change, r.stationId])).toEqual([
      ['added', 'u-new'], ['removed', 'u-old'], ['moved', 'pl-1'], ['class', 'ex-1'], ['renamed', 'ex-1'],
    ]);
    const moved = rows[2];
    expect(moved.distanceM).toBeCloseTo(0.005 * M_PER_DEG, 6);
    expect(moved.zh).toBe('示例规划站 移动 556 m');
    expect(rows[3]).toMatchObject({ classA: '一级', classB: '特勤', en: 'Example existing station class: Class 1 → Special service' });
    expect(rows[1].zh).toBe('删除 旧建议站');
    expect(compareScenarios(a, a)).toEqual([]);
  });

  it('switching off a plan item shows as removed ("switched off"); sub-metre jitter is not a move', () => {
    const off = deleteStation(a, 'pl-1', T1);
    const rows = compareScenarios(a, off);
    expect(rows.map((r) => [r.change, r.stationId, r.en])).toEqual([['removed', 'pl-1', 'Switched off 示例规划站']]);
    const jitter = moveStation(a, 'pl-1', 114.18, 22.83 + 0.5 / M_PER_DEG, T1);
    expect(compareScenarios(a, jitter)).toEqual([]);
  });

  it('adds verdict changes when both compliance reports are given', () => {
    const ra = { stations: [{ id: 'ex-1', verdict: 'fail', worstResponseSeconds: 412, districtAreaKm2: 9.1 }, { id: 'pl-1', verdict: 'pass', worstResponseSeconds: 280, districtAreaKm2: 2 }, { id: 'u-old', verdict: 'fail', worstResponseSeconds: 500 }] };
    const rb = { stations: [{ id: 'ex-1', verdict: 'pass', worstResponseSeconds: 295, districtAreaKm2: 6.5 }, { id: 'pl-1', verdict: 'pass', worstResponseSeconds: 270, districtAreaKm2: 2.1 }, { id: 'u-new', verdict: 'pass', worstResponseSeconds: 240, districtAreaKm2: 3 }] };
    const rows = compareScenarios(a, b, ra, rb);
    const v = rows.filter((r) => r.change === 'verdict');
    expect(v).toHaveLength(1);
    expect(v[0]).toMatchObject({ stationId: 'ex-1', verdictA: 'fail', verdictB: 'pass', worstResponseSecondsA: 412, worstResponseSecondsB: 295, districtAreaKm2A: 9.1, districtAreaKm2B: 6.5 });
    expect(rows.find((r) => r.change === 'added')).toMatchObject({ verdictB: 'pass', worstResponseSecondsB: 240 });
    expect(rows.find((r) => r.change === 'removed')).toMatchObject({ verdictA: 'fail', worstResponseSecondsA: 500, districtAreaKm2A: null });
    expect(compareScenarios(a, b, ra).some((r) => r.change === 'verdict')).toBe(false);
  });
});

describe('mergeImport', () => {
  const s = makeScenario();
  it('same id → conflict (ask the user), with a unique name for "keep both"', () => {
    const m = mergeImport([s], { ...s, updatedAt: T1 });
    expect(m).toEqual({ conflict: true, conflictWith: { id: 'scn-a', name: '方案A', updatedAt: s.updatedAt }, suggestedName: '方案A (2)' });
    const kept = importAsNew({ ...s }, m.suggestedName, { id: 'scn-new', now: T1 });
    expect(kept).toMatchObject({ id: 'scn-new', name: '方案A (2)', updatedAt: T1 });
    expect(mergeImport([s, kept], { ...s }).suggestedName).toBe('方案A (3)');
  });
  it('new id → no conflict; name kept unless taken', () => {
    expect(mergeImport([s], { ...s, id: 'other', name: '方案B' })).toEqual({ conflict: false, suggestedName: '方案B' });
    expect(mergeImport([s], { ...s, id: 'other' })).toEqual({ conflict: false, suggestedName: '方案A (2)' });
    expect(mergeImport([], s)).toEqual({ conflict: false, suggestedName: '方案A' });
  });
});

describe('compareScenarios settings rows', () => {
  it('lists changed settings first', () => {
    const a = makeScenario();
    const b = { ...a, settings: { ...a.settings, peak: true, districtsMode: 'voronoi' } };
    const rows = compareScenarios(a, moveStation(b, 'pl-1', 114.18, 22.84, T1));
    expect(rows.map((r) => [r.change, r.setting ?? r.stationId])).toEqual([['settings', 'peak'], ['settings', 'districtsMode'], ['moved', 'pl-1']]);
    expect(rows[0]).toMatchObject({ valueA: 'false', valueB: 'true', zh: '高峰时段：平峰 → 高峰', en: 'Peak hours: off-peak → peak' });
  });
});

describe('the change list with no edits (issue 14)', () => {
  // a sample place's published plan holds proposed example sites
  const example = (i: number) => ({ id: `example-shanghai-${i}`, name: `示例站 ${i}`, nameEn: `Example site ${i}`, stationClass: '一级' as const, status: 'proposed' as const, position: 'approximate' as const, example: true, source: 'generated', lon: 121.4 + i / 100, lat: 31.2 });
  const published = createScenario({ id: 'published', name: '规划原方案', placeId: 'shanghai', stations: Array.from({ length: 20 }, (_, i) => example(i + 1)), now: T0 });
  const fresh = createScenario({ name: '方案 1', placeId: 'shanghai', stations: published.stations, settings: { standardId: 'jianbiao152-2017', peak: false, districtsMode: 'given' }, now: T1 });

  it('lists no example site of the published plan as added', () => {
    expect(changesFromPublished(published, fresh)).toEqual([]);
    expect(compareScenarios(published, { ...fresh, settings: published.settings })).toEqual([]);
  });
  it('lists the user\'s own additions, moves and switch-offs', () => {
    let s = addStation(fresh, { lon: 121.5, lat: 31.25, id: 'u-1', name: '新站' }, T1);
    s = moveStation(s, 'example-shanghai-2', 121.43, 31.21, T1);
    s = deleteStation(s, 'example-shanghai-3', T1);
    expect(changesFromPublished(published, s).map((c) => [c.what, c.st.id]).sort()).toEqual([['added', 'u-1'], ['deleted', 'example-shanghai-3'], ['moved', 'example-shanghai-2']]);
  });
  it('settings rows use labels, not raw values', () => {
    const names = { 'jianbiao152-2017': { zh: '建标152-2017', en: 'Jianbiao 152-2017' }, 'nfpa1710-2020': { zh: 'NFPA 1710', en: 'NFPA 1710' } };
    const b = { ...published, id: 'b', settings: { standardId: 'nfpa1710-2020', peak: true, districtsMode: 'given' } };
    const rows = compareScenarios(published, b, undefined, undefined, 1, names);
    expect(rows.map((r) => r.en)).toEqual(['Standard: Jianbiao 152-2017 → NFPA 1710', 'Peak hours: off-peak → peak', 'District mode: automatic (fastest station) → given districts']);
    expect(rows.map((r) => r.zh)).toEqual(['标准：建标152-2017 → NFPA 1710', '高峰时段：平峰 → 高峰', '辖区划分方式：自动划分（最快到达） → 给定辖区']);
    expect(rows.every((r) => !/\b(auto|true|false)\b/.test(r.en + r.zh))).toBe(true);
  });
});
