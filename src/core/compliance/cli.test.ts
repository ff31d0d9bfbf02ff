import { describe, expect, it } from 'vitest';
import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { parseCheckArgs, runCheck, type CheckIO } from './cli';
import { PlannerError } from '../errors';
import { buildGraph } from '../buildGraph';
import type { OsmData } from '../osm/types';
import { addStation, createScenario, placeStations, scenarioToGeoJSON } from '../scenario';

const root = resolve(__dirname, '../../..');
const io: CheckIO = {
  readText: async (p) => readFileSync(resolve(root, p), 'utf8'),
  readBytes: async (p) => {
    const b = readFileSync(resolve(root, p));
    return b.buffer.slice(b.byteOffset, b.byteOffset + b.byteLength) as ArrayBuffer;
  },
  exists: async (p) => existsSync(resolve(root, p)),
};

describe('planner check arguments', () => {
  /** The PlannerError a call throws. */
  const thrown = (f: () => unknown): PlannerError => {
    try {
      f();
    } catch (e) {
      return e as PlannerError;
    }
    throw new Error('did not throw');
  };
  it('parses options and rejects bad ones with a code and both languages', () => {
    expect(parseCheckArgs(['--place', 'monaco', '--standard', 'nfpa1710', '--districts', 'towns', '--json'])).toMatchObject({ place: 'monaco', standard: 'nfpa1710', districts: 'towns', json: true, turns: true, lang: 'zh' });
    expect(parseCheckArgs(['--place', 'monaco', '--turns', 'off', '--lang', 'en'])).toMatchObject({ turns: false, lang: 'en' });
    const std = thrown(() => parseCheckArgs(['--place', 'monaco', '--standard', 'x']));
    expect(std).toBeInstanceOf(PlannerError);
    expect(std.code).toBe('bad-arguments');
    expect(std.zh).toMatch(/^未知标准「x」/);
    expect(std.en).toMatch(/^unknown standard "x"/);
    expect(thrown(() => parseCheckArgs([])).zh).toMatch(/必须指定 --place/);
    expect(thrown(() => parseCheckArgs(['--place'])).en).toBe('--place needs a value');
    expect(thrown(() => parseCheckArgs(['--place', 'monaco', '--turns', 'maybe'])).en).toBe('--turns must be one of on, off, got "maybe"');
  });
  it('returns code 2 with the usage for bad arguments, code 1 for bad data (an unknown place), one error line in the chosen language', async () => {
    const r = await runCheck(['--bogus'], io);
    expect(r.code).toBe(2);
    expect(r.stderr.split('\n')[0]).toBe('错误 [bad-arguments]：未知选项 --bogus');
    expect(r.stderr).toContain('用法');
    const en = await runCheck(['--bogus', '--lang', 'en'], io);
    expect(en.stderr.split('\n')[0]).toBe('error [bad-arguments]: unknown option --bogus');
    const r2 = await runCheck(['--place', 'atlantis'], io);
    expect(r2.code).toBe(1);
    expect(r2.stderr).toBe('错误 [unknown-place]：未找到地点「atlantis」（文件：public/data/atlantis/place.json）\n');
    const r3 = await runCheck(['--place', 'atlantis', '--lang', 'en'], io);
    expect(r3.stderr).toBe('error [unknown-place]: place "atlantis" not found (file: public/data/atlantis/place.json)\n');
  });
});

describe('planner check on plan places without a network (straight-line estimate)', () => {
  it('qingxi: every station result is an estimate; towns mode keeps 清溪镇 only', async () => {
    const r = await runCheck(['--place', 'qingxi', '--districts', 'towns'], io);
    expect(r.stderr).toBe('');
    const rep = r.report!;
    expect(rep.mode).toBe('straight-line-estimate');
    expect(rep.stations.every((s) => s.mode === 'straight-line-estimate' && s.label.en === 'estimate — no road network')).toBe(true);
    expect(r.stdout).toContain('估算 — 无路网');
    // one town, one team: 清溪镇 (about 141 km²) goes to one station, the rest have no district
    const withDistrict = rep.stations.filter((s) => s.verdict !== 'no-district');
    expect(withDistrict).toHaveLength(1);
    expect(withDistrict[0].districtAreaKm2!).toBeGreaterThan(120);
    expect(withDistrict[0].verdict).toBe('fail');
  });
  it('yangdong auto: districts tile the 阳东区 planning area', async () => {
    const r = await runCheck(['--place', 'yangdong', '--json'], io);
    const rep = r.report!;
    const sum = rep.districts.features.reduce((a, f) => a + f.properties.areaKm2, 0);
    expect(sum).toBeGreaterThan(1600);
    expect(JSON.parse(r.stdout).summary).toEqual(rep.summary);
    expect(rep.summary.text_zh).toMatch(/^\d+ \/ \d+ 站满足 建标152-2017/);
  });
});

describe('planner check on a network sample with a river (GB 51080 §4.1.3)', () => {
  it('nanshan: the table names the river a district straddles and the road reached only across it', async () => {
    const r = await runCheck(['--place', 'nanshan', '--table'], io);
    expect(r.code).toBe(0);
    const hits = r.report!.stations.flatMap((s) => s.barriers.map((b) => ({ s, b })));
    expect(hits.length).toBeGreaterThan(0);
    for (const { s, b } of hits) {
      expect(b.name).toBe('大沙河');
      expect(b.roadOnlyAcrossM).toBeGreaterThan(0);
      const row = r.stdout.split('\n').find((l) => l.includes(s.name))!;
      expect(row).toContain(`大沙河 ${Math.round(b.lengthInsideM)} m (${(b.roadOnlyAcrossM! / 1000).toFixed(1)} km)`);
    }
  });
});

describe('planner check: road rules data card and --vehicle changes', () => {
  const M = 111194.93;
  const p = (x: number, y: number): [number, number] => [x / M, y / M];
  /**
   * A hand-made place: station S at (0,0) on a road east to (1000,0), the stretch (400,0)–(600,0) under a 3.6 m
   * height limit, a detour (400,0)–(400,250)–(600,250)–(600,0); planning area x −50…1000, y −100…300 (metres).
   * The water tender (3.4 m) drives 1000 m to the east edge (180 s at 20 km/h), the aerial platform (3.9 m) 1500 m.
   */
  function lowBridgePlace(): CheckIO {
    const nodes = [[0, 0], [400, 0], [600, 0], [1000, 0], [400, 250], [600, 250]];
    const osm: OsmData = {
      nodes: new Map(nodes.map(([x, y], i) => [i + 1, { id: i + 1, lon: x / M, lat: y / M }])),
      ways: [
        { id: 1, nodes: [1, 2], tags: { highway: 'residential' } }, { id: 2, nodes: [2, 3], tags: { highway: 'residential', maxheight: '3.6' } },
        { id: 3, nodes: [3, 4], tags: { highway: 'residential' } }, { id: 4, nodes: [2, 5, 6, 3], tags: { highway: 'residential' } },
      ],
      relations: [],
    };
    const graph = buildGraph(osm).graph;
    const box = [p(-50, -100), p(1000, -100), p(1000, 300), p(-50, 300), p(-50, -100)];
    const files: Record<string, string> = {
      'public/data/bridge/place.json': JSON.stringify({ id: 'bridge', name: '桥', nameEn: 'Bridge', group: 'sample', bbox: [...box[0], ...box[2]], center: p(0, 0), zoom: 15, hasNetwork: true, files: { boundary: 'boundary.geojson', graph: 'graph.bin', facilities: 'facilities.geojson' }, attribution: [], notes: [] }),
      'public/data/bridge/boundary.geojson': JSON.stringify({ type: 'FeatureCollection', features: [{ type: 'Feature', properties: {}, geometry: { type: 'Polygon', coordinates: [box] } }] }),
      'public/data/bridge/facilities.geojson': JSON.stringify({ type: 'FeatureCollection', features: [{ type: 'Feature', properties: { kind: 'station', id: 's1', name: '一号站', status: 'existing', position: 'from-data', source: 'test', stationClass: '一级' }, geometry: { type: 'Point', coordinates: p(0, 0) } }] }),
    };
    return {
      readText: async (path) => files[path] ?? io.readText(path),
      readBytes: async (path) => (path === 'public/data/bridge/graph.bin' ? graph.buffer : io.readBytes(path)),
      exists: async (path) => path in files || io.exists(path),
    };
  }

  it('lists the road-km each rule closes for the vehicle and the districts that change with the ladder truck', async () => {
    const place = lowBridgePlace();
    const tender = await runCheck(['--place', 'bridge', '--lang', 'en'], place);
    expect(tender.stderr).toBe('');
    expect(tender.card).toEqual({ vehicleId: 'water-tender', vehicle: 'Water tender', rows: [] });
    expect(tender.changes).toBeNull();
    const ladder = await runCheck(['--place', 'bridge', '--vehicle', 'aerial-platform', '--lang', 'en'], place);
    expect(ladder.card?.rows).toEqual([{ rule: 'maxheight', label: 'height limit', km: expect.closeTo(0.2, 3), nodes: 0 }]);
    const [t0, t1] = [tender.report!.stations[0].worstEdgeSeconds!, ladder.report!.stations[0].worstEdgeSeconds!];
    expect(t1 - t0).toBeCloseTo(90, 0); // the 500 m detour at 20 km/h
    expect(ladder.changes).toEqual({ vehicleId: 'aerial-platform', defaultVehicleId: 'water-tender', changed: [
      {
        stationId: 's1', name: '一号站', verdict: [tender.report!.stations[0].verdict, ladder.report!.stations[0].verdict], worstEdgeSeconds: [t0, t1],
        shareWithinLimit: [tender.report!.stations[0].shareWithinLimit, ladder.report!.stations[0].shareWithinLimit],
        unreachableEdgePoints: [tender.report!.stations[0].unreachableEdgePoints, ladder.report!.stations[0].unreachableEdgePoints],
      },
    ] });
    expect(JSON.parse(ladder.stdout)).toMatchObject({ roadRules: ladder.card, vehicleChanges: ladder.changes });
    const zh = await runCheck(['--place', 'bridge', '--vehicle', 'aerial-platform', '--table'], place);
    expect(zh.stdout).toContain('道路通行规则（登高平台消防车）：各规则封闭的道路\n  限高');
    expect(zh.stdout).toContain('与默认车辆（water-tender）相比结论、最长时间或边缘可达情况变化的辖区：1 个\n  s1 一号站: ');
    const bad = await runCheck(['--place', 'bridge', '--vehicle', 'bicycle', '--lang', 'en'], place);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/^error \[unknown-vehicle\]: unknown vehicle bicycle/);
  });
});

describe('planner check --districts <file>: the district-file check (#15)', () => {
  const STATION = 'osm-node-1866523017';
  const towns = JSON.parse(readFileSync(resolve(root, 'public/data/monaco/districts.geojson'), 'utf8')) as { features: { properties: { name: string }; geometry: { type: string; coordinates: number[][][] } }[] };
  const condamine = towns.features.find((f) => f.properties.name === 'La Condamine')!.geometry;
  const mapRings = (g: { type: string; coordinates: unknown }, f: (p: number[]) => number[]): unknown => {
    const walk = (c: unknown): unknown => (typeof (c as unknown[])[0] === 'number' ? f(c as number[]) : (c as unknown[]).map(walk));
    return { type: g.type, coordinates: walk(g.coordinates) };
  };
  const merc = ([lon, lat]: number[]) => [(lon * Math.PI * 6378137) / 180, 6378137 * Math.log(Math.tan(Math.PI / 4 + (lat * Math.PI) / 360))];
  const file = (geometry: unknown, extra: Record<string, unknown> = {}, props: Record<string, unknown> = { stationId: STATION }) =>
    JSON.stringify({ type: 'FeatureCollection', features: [{ type: 'Feature', properties: props, geometry }], ...extra });
  /** The repository's files plus hand-made ones under their own names. */
  const withFiles = (files: Record<string, string>): CheckIO => ({ ...io, readText: async (p) => files[p] ?? io.readText(p), exists: async (p) => p in files || io.exists(p) });
  const check = (name: string, text: string, lang = 'zh') => runCheck(['--place', 'monaco', '--districts', name, '--table', '--lang', lang], withFiles({ [name]: text }));
  const area = (r: Awaited<ReturnType<typeof runCheck>>) => r.report!.stations.find((s) => s.id === STATION)!.districtAreaKm2;

  it('converts a declared EPSG:3857 file (same district as the lon/lat file, with a note); refuses undeclared metres', async () => {
    const ll = await check('ll.geojson', file(condamine));
    expect(ll.code).toBe(0);
    const m = await check('m.geojson', file(mapRings(condamine, merc), { crs: { type: 'name', properties: { name: 'EPSG:3857' } } }));
    expect(m.code).toBe(0);
    expect(area(m)).toBeGreaterThan(0.1);
    expect(area(m)).toBeCloseTo(area(ll)!, 3);
    expect(m.report!.issues[0].code).toBe('crs-converted');
    expect(m.stdout).toContain('已换算为 WGS84 经纬度');
    const u = await check('u.geojson', file(mapRings(condamine, merc)), 'en');
    expect(u.code).toBe(1); // a data error (2 = usage)
    expect(u.stdout).toBe('');
    expect(u.stderr).toMatch(/^error \[coords-projected\]: Coordinate problem in "u.geojson": coordinate \(\d+\.?\d*, \d+\.?\d*\) looks projected/);
  });

  it('refuses swapped lat/lon, an empty collection and polygons naming no station, in the chosen language', async () => {
    const swapped = await check('s.geojson', file(mapRings(condamine, ([x, y]) => [y, x])));
    expect(swapped.code).toBe(1);
    expect(swapped.stderr).toMatch(/^错误 \[coords-swapped\]：.*经纬度顺序颠倒/);
    const empty = await check('e.geojson', JSON.stringify({ type: 'FeatureCollection', features: [] }), 'en');
    expect(empty.code).toBe(1);
    expect(empty.stderr).toBe('error [districts-empty]: "e.geojson" is empty: it has no features to use as districts\n');
    const noId = await check('n.geojson', file(condamine, {}, { name: 'La Condamine' }), 'en');
    expect(noId.code).toBe(1);
    expect(noId.stderr).toMatch(/^error \[districts-no-station\]: no district polygon has a stationId property naming a station checked here \(e\.g\. osm-node-/);
  });

  it('repairs a bowtie and says so in the report and the table', async () => {
    const bow = { type: 'Polygon', coordinates: [[[7.414, 43.728], [7.432, 43.745], [7.432, 43.728], [7.414, 43.745], [7.414, 43.728]]] };
    const r = await check('bow.geojson', file(bow));
    expect(r.code).toBe(0);
    const note = r.report!.issues.find((i) => i.code === 'district-self-intersection-repaired')!;
    expect(note.en).toContain('at (7.423, 43.7365)');
    expect(note.en).toContain('0.00 km² as drawn, 1.37 km² repaired');
    expect(r.stdout).toContain(`! ${note.zh} / ${note.en}`);
    expect(area(r)).toBeGreaterThan(0.5); // the repaired bowtie clipped to Monaco
  });
});

describe('planner check with a station off the road network', () => {
  it('--scenario with a station in Beijing: no time, a verdict that says off the network, the others unchanged', async () => {
    const own = placeStations(JSON.parse(readFileSync(resolve(root, 'public/data/monaco/facilities.geojson'), 'utf8')));
    const withOwn = createScenario({ name: 't', placeId: 'monaco', stations: own, id: 's1', now: '2026-01-01T00:00:00.000Z' });
    const withBj = addStation(withOwn, { lon: 116.39, lat: 39.9, id: 'bj', name: '北京站', nameEn: 'Beijing' }, '2026-01-01T00:00:01.000Z');
    // And one with its latitude and longitude written the other way round.
    const withFar = addStation(withBj, { lon: 43.72793, lat: 7.417777, id: 'sw', name: '写反站', nameEn: 'Swapped' }, '2026-01-01T00:00:02.000Z');
    const files: Record<string, string> = { 'own.geojson': JSON.stringify(scenarioToGeoJSON(withOwn)), 'far.geojson': JSON.stringify(scenarioToGeoJSON(withFar)) };
    const mem: CheckIO = { ...io, readText: async (p) => files[p] ?? io.readText(p) };
    const far = await runCheck(['--place', 'monaco', '--scenario', 'far.geojson', '--districts', 'towns', '--lang', 'en'], mem);
    expect(far.code).toBe(0);
    const bj = far.report!.stations.find((s) => s.id === 'bj')!;
    expect(bj.verdict).toBe('fail');
    expect([bj.worstEdgeSeconds, bj.worstResponseSeconds, bj.shareWithinLimit, bj.snap]).toEqual([null, null, null, null]);
    expect(bj.stationSnapM).toBeGreaterThan(8_000_000);
    expect(bj.reasons.map((r) => r.code)).toEqual(['station-no-road']);
    expect(bj.reasons[0].en).toMatch(/^off the road network: the station is \d+ m from the nearest usable road \(over 500 m\); no travel time$/);
    expect(bj.reasons[0].zh).toMatch(/^不在路网上：/);
    expect(far.report!.issues.find((i) => i.code === 'station-off-network')?.en).toMatch(/^Beijing: off the road network/);
    const sw = far.report!.issues.find((i) => i.code === 'station-swapped-coordinate')!;
    expect(sw.en).toMatch(/^Swapped: off the road network \(\d+ m from the nearest road, over 500 m\); no travel time; latitude and longitude look swapped: \(7\.417777, 43\.72793\) lies on the network$/);
    expect(sw.zh).toMatch(/经纬度可能写反了/);
    expect(far.report!.stations.find((s) => s.id === 'sw')!.worstEdgeSeconds).toBeNull();
    // The other stations' results are those of the scenario without it.
    const base = await runCheck(['--place', 'monaco', '--scenario', 'own.geojson', '--districts', 'towns', '--lang', 'en'], mem);
    const pick = (r: typeof base) => r.report!.stations.filter((s) => s.id !== 'bj' && s.id !== 'sw').map((s) => [s.id, s.verdict, s.worstEdgeSeconds]);
    expect(pick(far)).toEqual(pick(base));
    // --max-snap-from moves the limit: at 1 m every station whose road point is over 1 m away is off the network.
    const tight = await runCheck(['--place', 'monaco', '--scenario', 'own.geojson', '--districts', 'towns', '--max-snap-from', '1'], mem);
    const offs = tight.report!.stations.filter((s) => s.reasons.some((r) => r.zh.startsWith('不在路网上')));
    expect(offs.length).toBe(base.report!.stations.filter((s) => (s.stationSnapM ?? 0) > 1).length);
    expect(offs.length).toBeGreaterThan(0);
    expect(offs.every((s) => s.worstEdgeSeconds === null)).toBe(true);
    expect((await runCheck(['--place', 'monaco', '--max-snap-from', '1e3'], io)).code).toBe(2);
  });
});

