import { describe, expect, it } from 'vitest';
import {
  activeStations, addStation, createScenario, deleteStation, duplicateScenario, moveStation, renameScenario, renameStation,
  removeScenario, setStationActive, setStationClass, updateSettings, upsertScenario,
} from './ops';
import { baseStations, makeScenario, T0, T1 } from './fixtures';

describe('scenario edits (immutable)', () => {
  it('createScenario copies the stations and fills defaults', () => {
    const s = makeScenario();
    expect(s).toMatchObject({ id: 'scn-a', name: '方案A', placeId: 'qingxi', createdAt: T0, updatedAt: T0, removedIds: [] });
    expect(s.settings).toEqual({ standardId: 'jianbiao152-2017', peak: false, districtsMode: 'auto' });
    expect(s.stations).toEqual(baseStations);
    expect(s.stations[0]).not.toBe(baseStations[0]);
    expect(createScenario({ name: '   ', placeId: 'x', now: T0 }).name).toBe('未命名方案');
    expect(createScenario({ name: 'a', placeId: 'x' }).id).toMatch(/^scn-/);
  });

  it('duplicateScenario: new id, "(副本)" name made unique, same content, original untouched', () => {
    const s = makeScenario();
    const d = duplicateScenario(s, { id: 'scn-b', now: T1 });
    expect(d).toMatchObject({ id: 'scn-b', name: '方案A (副本)', createdAt: T1, updatedAt: T1 });
    expect(d.stations).toEqual(s.stations);
    expect(duplicateScenario(s, { takenNames: ['方案A', '方案A (副本)'] }).name).toBe('方案A (副本) (2)');
    expect(duplicateScenario(s).id).not.toBe(s.id);
    expect(s.name).toBe('方案A');
  });

  it('renameScenario trims, refuses empty or over-long names (same object back)', () => {
    const s = makeScenario();
    const r = renameScenario(s, '  方案B ', T1);
    expect(r.name).toBe('方案B');
    expect(r.updatedAt).toBe(T1);
    expect(s.name).toBe('方案A');
    expect(renameScenario(s, '   ', T1)).toBe(s);
    expect(renameScenario(s, 'x'.repeat(201), T1)).toBe(s);
    expect(renameScenario(s, '方案A', T1)).toBe(s);
  });

  it('addStation: proposed, position user, default name and class; invalid coordinates ignored', () => {
    const s = makeScenario();
    const a = addStation(s, { lon: 114.2, lat: 22.85, id: 'u1' }, T1);
    expect(a.stations).toHaveLength(3);
    expect(a.stations[2]).toEqual({ id: 'u1', name: '建议站点 1', nameEn: 'Proposed site 1', stationClass: '一级', status: 'proposed', position: 'user', source: '用户添加 / added by the user', lon: 114.2, lat: 22.85 });
    const b = addStation(a, { lon: 114.21, lat: 22.86, id: 'u2', name: '<b>站</b>', stationClass: '二级' }, T1);
    expect(b.stations[3]).toMatchObject({ name: '<b>站</b>', stationClass: '二级' });
    expect(b.stations[3].nameEn).toBeUndefined();
    expect(s.stations).toHaveLength(2);
    expect(addStation(s, { lon: 200, lat: 22 })).toBe(s);
    expect(addStation(s, { lon: NaN, lat: 22 })).toBe(s);
    expect(addStation(a, { lon: 114, lat: 22, id: 'u1' })).toBe(a); // duplicate id
  });

  it('moveStation: planned/proposed move (position becomes user); existing stays', () => {
    const s = addStation(makeScenario(), { lon: 114.2, lat: 22.85, id: 'u1' }, T0);
    const m = moveStation(s, 'pl-1', 114.19, 22.84, T1);
    expect(m.stations[1]).toMatchObject({ lon: 114.19, lat: 22.84, position: 'user', status: 'planned' });
    expect(s.stations[1]).toMatchObject({ lon: 114.18, lat: 22.83, position: 'approximate' });
    expect(m.stations[0]).toBe(s.stations[0]); // untouched stations shared
    expect(moveStation(s, 'ex-1', 114.0, 22.0)).toBe(s);
    expect(moveStation(s, 'nope', 114.0, 22.0)).toBe(s);
    expect(moveStation(s, 'u1', 114.0, 95)).toBe(s);
  });

  it('renameStation and setStationClass', () => {
    const s = makeScenario();
    const r = renameStation(s, 'pl-1', '新名称', T1);
    expect(r.stations[1].name).toBe('新名称');
    expect(renameStation(s, 'pl-1', '')).toBe(s);
    const c = setStationClass(s, 'ex-1', '特勤', T1);
    expect(c.stations[0].stationClass).toBe('特勤');
    expect(setStationClass(s, 'ex-1', '三级' as never)).toBe(s);
    expect(setStationClass(s, 'ex-1', 'toString' as never)).toBe(s); // not fooled by Object.prototype
    expect(setStationClass(s, 'ex-1', '一级')).toBe(s);
  });

  it('deleteStation removes proposed ones; plan items are switched off instead (nothing lost)', () => {
    const s = addStation(makeScenario(), { lon: 114.2, lat: 22.85, id: 'u1' }, T0);
    const d1 = deleteStation(s, 'u1', T1);
    expect(d1.stations.map((x) => x.id)).toEqual(['ex-1', 'pl-1']);
    const d2 = deleteStation(s, 'pl-1', T1);
    expect(d2.stations).toHaveLength(3);
    expect(d2.removedIds).toEqual(['pl-1']);
    expect(activeStations(d2).map((x) => x.id)).toEqual(['ex-1', 'u1']);
    const back = setStationActive(d2, 'pl-1', true, T1);
    expect(back.removedIds).toEqual([]);
    expect(setStationActive(back, 'pl-1', true)).toBe(back);
    expect(deleteStation(s, 'nope')).toBe(s);
  });

  it('updateSettings changes only on a real change', () => {
    const s = makeScenario();
    expect(updateSettings(s, { peak: false })).toBe(s);
    expect(updateSettings(s, { peak: true }, T1).settings).toEqual({ ...s.settings, peak: true });
  });
});

describe('default names and scenario lists', () => {
  it('a new default name never repeats one in use', () => {
    let s = addStation(makeScenario(), { lon: 114.2, lat: 22.85, id: 'u1' }, T1);
    s = addStation(s, { lon: 114.21, lat: 22.85, id: 'u2' }, T1);
    s = deleteStation(s, 'u1', T1);
    s = addStation(s, { lon: 114.22, lat: 22.85, id: 'u3' }, T1);
    expect(s.stations.map((x) => x.name)).toEqual(['示例现状站', '示例规划站', '建议站点 2', '建议站点 3']);
  });
  it('upsertScenario / removeScenario', () => {
    const a = makeScenario();
    const b = duplicateScenario(a, { id: 'scn-b', now: T1 });
    let list = upsertScenario(upsertScenario([], a), b);
    expect(list.map((x) => x.id)).toEqual(['scn-a', 'scn-b']);
    const a2 = renameScenario(a, '改名', T1);
    list = upsertScenario(list, a2);
    expect(list.map((x) => x.name)).toEqual(['改名', '方案A (副本)']);
    expect(upsertScenario(list, a2)).toBe(list);
    expect(removeScenario(list, 'scn-a').map((x) => x.id)).toEqual(['scn-b']);
    expect(removeScenario(list, 'nope')).toBe(list);
  });
});
