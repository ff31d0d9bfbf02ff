import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import type { FeatureCollection, Point } from 'geojson';
import { parseSitingRules, sitingChecks, sitingSummary, type PoiProps, type SitingRules } from './siting';

const root = resolve(__dirname, '../..');
const rulesJson = JSON.parse(readFileSync(resolve(root, 'geodata/standards/siting.json'), 'utf8'));
const parsed = parseSitingRules(rulesJson);
if (!parsed.ok) throw new Error(JSON.stringify(parsed.issues));
const rules: SitingRules = parsed.rules;
const pois = JSON.parse(readFileSync(resolve(root, 'tests/fixtures/siting/pois.geojson'), 'utf8')) as FeatureCollection<Point, PoiProps>;
const site = { lon: 112.0, lat: 22.0 };
// Along a meridian the haversine distance is exactly |dLat| · R · π/180.
const M_PER_DEG = (6371008.8 * Math.PI) / 180; // 111195.08 m

const byId = (items: ReturnType<typeof sitingChecks>) => Object.fromEntries(items.map((i) => [i.id, i]));

describe('siting rules data (geodata/standards/siting.json)', () => {
  it('holds the 建标152-2017 numbers: 50 m, 300 m, 15 m; road frontage marked as assumption', () => {
    const t = Object.fromEntries(rules.rules.map((r) => [r.id, r]));
    expect(t.crowded.thresholdM).toBe(50);
    expect(t.crowded.kinds).toEqual(['school', 'kindergarten', 'hospital', 'mall', 'stadium']);
    expect(t.hazmat.thresholdM).toBe(300);
    expect(t.hazmat.kinds).toEqual(['fuel', 'chemical']);
    expect(t['bay-setback'].thresholdM).toBe(15);
    expect(t['road-frontage'].basis).toBe('assumption');
    for (const r of rules.rules) expect(r.clause).toContain('建标152-2017');
  });
  it('rejects malformed rules with bilingual messages', () => {
    const r = parseSitingRules({ kinds: { school: { zh: '学校', en: 'school' } }, rules: [{ id: 'x', test: 'nope', thresholdM: -1, kinds: ['mars'], basis: 'maybe' }] });
    expect(r.ok).toBe(false);
    if (r.ok) return;
    const paths = r.issues.map((i) => i.path);
    expect(paths).toEqual(expect.arrayContaining(['rules[0].test', 'rules[0].thresholdM', 'rules[0].kinds', 'rules[0].basis', 'rules[0].clause']));
    for (const i of r.issues) {
      expect(i.zh).toMatch(/[\u4e00-\u9fff]/);
      expect(i.en).toMatch(/[a-z]/);
    }
    expect(parseSitingRules('x').ok).toBe(false);
  });
});

describe('sitingChecks', () => {
  it('measures hand-computed distances and gives pass / fail / no-data per kind', () => {
    const items = byId(sitingChecks(site, pois, { rules, road: { distanceM: 12.5, lon: 112.0001, lat: 22.0, roadName: '示例路' } }));
    expect(items['crowded-school'].distanceM).toBeCloseTo(0.0004 * M_PER_DEG, 3); // 44.478 m
    expect(items['crowded-school'].distanceM).toBeCloseTo(44.478, 2);
    expect(items['crowded-school'].status).toBe('fail');
    expect(items['crowded-school'].nearest).toEqual({ name: '示例小学', kind: 'school', lon: 112.0, lat: 22.0004 });
    expect(items['crowded-kindergarten'].distanceM).toBeCloseTo(55.598, 2);
    expect(items['crowded-kindergarten'].status).toBe('pass');
    expect(items['crowded-hospital'].distanceM).toBeCloseTo(100.076, 2);
    expect(items['crowded-hospital'].status).toBe('pass');
    // nearest of two malls: A at 48.93 m (B at 222.39 m is farther)
    expect(items['crowded-mall'].nearest?.name).toBe('示例商场 A');
    expect(items['crowded-mall'].distanceM).toBeCloseTo(48.926, 2);
    expect(items['crowded-mall'].status).toBe('fail');
    // stadium: only a polygon and a bad coordinate in the file → no data, never pass
    expect(items['crowded-stadium'].status).toBe('no-data');
    expect(items['crowded-stadium'].distanceM).toBeUndefined();
    expect(items['crowded-stadium'].note_en).toMatch(/no stadium/);
    expect(items['hazmat-fuel'].distanceM).toBeCloseTo(277.988, 2);
    expect(items['hazmat-fuel'].status).toBe('fail');
    expect(items['hazmat-chemical'].distanceM).toBeCloseTo(333.585, 2);
    expect(items['hazmat-chemical'].status).toBe('pass');
    expect(items['road-frontage']).toMatchObject({ status: 'pass', distanceM: 12.5, basis: 'assumption', nearest: { name: '示例路', kind: 'road' } });
    expect(items['bay-setback'].status).toBe('no-data');
    expect(sitingSummary(Object.values(items))).toEqual({ pass: 4, fail: 3, 'no-data': 2 });
  });

  it('says in the rule text that POI points stand in for entrances', () => {
    const items = byId(sitingChecks(site, pois, { rules }));
    expect(items['crowded-school'].rule_zh).toContain('50 m');
    expect(items['crowded-school'].rule_zh).toContain('学校 POI 点位近似代替其出入口');
    expect(items['crowded-school'].rule_en).toMatch(/school POI point stands in for its entrance/);
    expect(items['hazmat-fuel'].rule_zh).toContain('300 m');
  });

  it('the 50 m line: 50.01 m passes, 49.99 m fails', () => {
    const justOut = byId(sitingChecks({ lon: 112.0, lat: 22.0004 - 50.01 / M_PER_DEG }, pois, { rules }));
    expect(justOut['crowded-school'].status).toBe('pass');
    const justIn = byId(sitingChecks({ lon: 112.0, lat: 22.0004 - 49.99 / M_PER_DEG }, pois, { rules }));
    expect(justIn['crowded-school'].status).toBe('fail');
  });

  it('no POI file → every POI item is no-data; no road → road item no-data', () => {
    const items = sitingChecks(site, null, { rules, road: null });
    expect(items.length).toBe(9);
    expect(items.every((i) => i.status === 'no-data')).toBe(true);
    expect(items.find((i) => i.id === 'crowded-school')?.note_zh).toContain('没有 POI 数据');
    expect(items.find((i) => i.id === 'road-frontage')?.note_en).toMatch(/No road network/);
  });

  it('road frontage fails beyond the threshold; thresholds can be overridden', () => {
    const far = byId(sitingChecks(site, pois, { rules, road: { distanceM: 45 } }));
    expect(far['road-frontage'].status).toBe('fail');
    const edited = byId(sitingChecks(site, pois, { rules, road: { distanceM: 45 }, thresholdsM: { 'road-frontage': 60 } }));
    expect(edited['road-frontage'].status).toBe('pass');
    expect(edited['road-frontage'].rule_zh).toContain('60 m');
  });

  it('outside the POI coverage box, an empty neighbourhood is not a pass', () => {
    // coverage ends 100 m north of the site: the 300 m circle of the chemical rule pokes out, the 50 m one does not
    const north = 22.0 + 100 / M_PER_DEG;
    const items = byId(sitingChecks(site, pois, { rules, coverage: [111.9, 21.9, 112.1, north] }));
    expect(items['crowded-kindergarten'].status).toBe('pass');
    expect(items['hazmat-chemical'].status).toBe('no-data');
    expect(items['hazmat-chemical'].distanceM).toBeCloseTo(333.585, 2);
    expect(items['hazmat-fuel'].status).toBe('fail'); // a real violation stays a failure
  });
});

describe('siting rules cover the built POI files', () => {
  it('every kind in public/data/*/pois.geojson has a label and a rule', async () => {
    const { readdirSync, existsSync } = await import('node:fs');
    const dir = resolve(root, 'public/data');
    const files = readdirSync(dir).map((p) => resolve(dir, p, 'pois.geojson')).filter((f) => existsSync(f));
    expect(files.length).toBeGreaterThan(0);
    const ruled = new Set(rules.rules.flatMap((r) => r.kinds));
    const kinds = new Set(files.flatMap((f) => (JSON.parse(readFileSync(f, 'utf8')) as FeatureCollection<Point, PoiProps>).features.map((x) => x.properties.kind)));
    expect(kinds.size).toBeGreaterThan(0);
    for (const k of kinds) {
      expect(rules.kinds[k], k).toBeDefined();
      expect(ruled.has(k), k).toBe(true);
    }
  });
});
