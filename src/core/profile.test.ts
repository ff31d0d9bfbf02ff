import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { edgeSeconds, parseProfile, ProfileError, turnRules, validateProfile, withProfileValues } from './profile';
import { PlannerError } from './errors';
import { buildGraph } from './buildGraph';
import { EdgeFlag } from './graph';
import { ROAD_CLASSES, SPEED_CLASSES } from './roadClass';
import type { OsmData } from './osm/types';

const raw = JSON.parse(readFileSync(new URL('../../geodata/profiles/fire-engine.json', import.meta.url), 'utf8'));

describe('fire-engine profile data', () => {
  it('is valid and covers every road class with a note', () => {
    expect(validateProfile(raw)).toEqual([]);
    const p = parseProfile(raw);
    for (const c of SPEED_CLASSES) {
      expect(p.speedsKmh[c].value).toBeGreaterThan(0);
      expect(p.speedsKmh[c].assumption ?? p.speedsKmh[c].source).toBeTruthy();
    }
    expect(p.turnoutSeconds.value).toBe(60);
    expect(p.turnoutSeconds.source).toMatch(/建标152/);
    expect(p.allowEmergencyOnly.value).toBe(true);
    expect(p.noAccess.value).toBe('forbidden');
  });
  it('reports every problem in Chinese and English', () => {
    const bad = structuredClone(raw);
    bad.speedsKmh.primary.value = -5;
    delete bad.speedsKmh.track;
    bad.oneway.value = 'sometimes';
    const issues = validateProfile(bad);
    expect(issues.map((i) => i.path).sort()).toEqual(['oneway', 'speedsKmh.primary', 'speedsKmh.track']);
    for (const i of issues) {
      expect(i.zh).toMatch(/[\u4e00-\u9fff]/);
      expect(i.en).toMatch(/[a-z]/);
    }
    expect(() => parseProfile(bad)).toThrow(ProfileError);
    expect(validateProfile('nonsense')[0].en).toMatch(/JSON object/);
  });
});

describe('turn fields', () => {
  it('the file obeys restrictions with penalties off, each value with its note', () => {
    const p = parseProfile(structuredClone(raw));
    expect(turnRules(p)).toEqual({ restrictions: true, uTurnSeconds: 0, leftTurnSeconds: 0, rightTurnSeconds: 0 });
    for (const k of ['turnRestrictions', 'uTurnSeconds', 'leftTurnSeconds', 'rightTurnSeconds'] as const) expect(p[k].assumption ?? p[k].source).toBeTruthy();
  });
  it('a profile saved before them still parses, with restrictions obeyed and no penalties', () => {
    const old = structuredClone(raw);
    for (const k of ['turnRestrictions', 'uTurnSeconds', 'leftTurnSeconds', 'rightTurnSeconds']) delete old[k];
    expect(validateProfile(old)).toEqual([]);
    expect(turnRules(parseProfile(old))).toEqual({ restrictions: true, uTurnSeconds: 0, leftTurnSeconds: 0, rightTurnSeconds: 0 });
  });
  it('checks them when present; ignore + penalties via withProfileValues', () => {
    const bad = structuredClone(raw);
    bad.turnRestrictions.value = 'sometimes';
    bad.leftTurnSeconds.value = -3;
    bad.uTurnSeconds = 12;
    expect(validateProfile(bad).map((i) => i.path).sort()).toEqual(['leftTurnSeconds', 'turnRestrictions', 'uTurnSeconds']);
    const q = withProfileValues(parseProfile(structuredClone(raw)), { turnRestrictions: 'ignore', uTurnSeconds: 30, leftTurnSeconds: 8 });
    expect(turnRules(q)).toEqual({ restrictions: false, uTurnSeconds: 30, leftTurnSeconds: 8, rightTurnSeconds: 0 });
  });
  it('an invalid profile throws a PlannerError with code bad-profile, the issues, zh and en apart', () => {
    const bad = structuredClone(raw);
    bad.peakFactor.value = 9;
    try {
      parseProfile(bad);
      expect.unreachable();
    } catch (e) {
      expect(e).toBeInstanceOf(PlannerError);
      const err = e as ProfileError;
      expect(err.code).toBe('bad-profile');
      expect(err.issues.map((i) => i.path)).toEqual(['peakFactor']);
      expect(err.zh).toMatch(/速度配置无效/);
      expect(err.en).toMatch(/^invalid speed profile/);
      expect(err.en).not.toMatch(/[\u4e00-\u9fff]/);
      expect(err.detail).toBe('peakFactor');
    }
  });
});

describe('edgeSeconds', () => {
  // Three 2-node ways in a row along the equator, each 0.001° = 111.195 m.
  const osm: OsmData = {
    nodes: new Map([0, 1, 2, 3].map((i) => [i + 1, { id: i + 1, lon: i * 0.001, lat: 0 }])),
    ways: [
      { id: 1, nodes: [1, 2], tags: { highway: 'primary', oneway: 'yes' } },
      { id: 2, nodes: [2, 3], tags: { highway: 'service', access: 'private' } },
      { id: 3, nodes: [3, 4], tags: { highway: 'residential', access: 'no', emergency: 'yes', maxspeed: '10' } },
    ],
    relations: [],
  };
  const { graph } = buildGraph(osm);
  const p = parseProfile(raw);
  const sec = edgeSeconds(graph, p);
  const len = graph.lengthM[0];
  const by = (flag: number) => [...Array(graph.edgeCount).keys()].filter((e) => graph.flags[e] & flag);
  it('derives seconds from length and class speed', () => {
    const e = [...Array(graph.edgeCount).keys()].find((i) => graph.roadClass[i] === ROAD_CLASSES.indexOf('primary') && !(graph.flags[i] & EdgeFlag.AgainstOneway))!;
    expect(sec[e]).toBeCloseTo(len / (p.speedsKmh.primary.value / 3.6), 3);
  });
  it('forbids no-access roads and one-way contraflow in obey mode', () => {
    for (const e of by(EdgeFlag.NoAccess)) expect(sec[e]).toBe(Infinity);
    for (const e of by(EdgeFlag.AgainstOneway)) expect(sec[e]).toBe(Infinity);
  });
  it('caps emergency-only roads at their maxspeed and honours allowEmergencyOnly', () => {
    for (const e of by(EdgeFlag.EmergencyOnly)) expect(sec[e]).toBeCloseTo(graph.lengthM[e] / (10 / 3.6), 3);
    const closed = structuredClone(p);
    closed.allowEmergencyOnly.value = false;
    const sec2 = edgeSeconds(graph, closed);
    for (const e of by(EdgeFlag.EmergencyOnly)) expect(sec2[e]).toBe(Infinity);
  });
  it('applies the contraflow penalty and the peak factor', () => {
    const cf = edgeSeconds(graph, withProfileValues(p, { oneway: 'contraflow' }));
    const [against] = by(EdgeFlag.AgainstOneway);
    const fwd = [...Array(graph.edgeCount).keys()].find((e) => graph.target[e] !== graph.target[against] && graph.roadClass[e] === graph.roadClass[against])!;
    expect(cf[against]).toBeCloseTo(cf[fwd] * p.contraflowPenalty.value, 3);
    const peak = edgeSeconds(graph, p, { peak: true });
    expect(peak[fwd]).toBeCloseTo(sec[fwd] / p.peakFactor.value, 3);
  });
});
