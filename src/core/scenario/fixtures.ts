/** Small scenario fixtures shared by the scenario tests (test-only; example stations, not real). */
import type { Station } from '../types';
import { createScenario } from './ops';

export const T0 = '2026-01-01T00:00:00.000Z';
export const T1 = '2026-01-02T00:00:00.000Z';

export const baseStations: Station[] = [
  { id: 'ex-1', name: '示例现状站', nameEn: 'Example existing station', stationClass: '一级', status: 'existing', position: 'approximate', example: true, source: 'test fixture', lon: 114.164, lat: 22.843 },
  { id: 'pl-1', name: '示例规划站', stationClass: '小型', status: 'planned', phase: 2022, position: 'approximate', example: true, source: 'test fixture', lon: 114.18, lat: 22.83 },
];

export const makeScenario = () => createScenario({ name: '方案A', placeId: 'qingxi', stations: baseStations, id: 'scn-a', now: T0 });
