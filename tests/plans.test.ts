import { describe, expect, it } from 'vitest';
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { booleanPointInPolygon, distance, lineString, point, pointToLineDistance } from '@turf/turf';
import type { Feature, FeatureCollection, MultiPolygon, Polygon } from 'geojson';
import type { StationClass } from '../src/core/types.ts';

// Checks the two 十四五 plans encoded as data (geodata/plans/*.json) and geodata/population.json.
const root = resolve(__dirname, '..');
const readJson = (rel: string) => JSON.parse(readFileSync(join(root, rel), 'utf8'));

const CLASSES = ['一级', '二级', '小型', '乡镇一级', '乡镇二级', '特勤'] as const satisfies readonly StationClass[];
const PLACES = ['yangdong', 'qingxi'] as const;

interface Citation { where: string; quote: string }
interface Item {
  id: string; name: string; nameEn: string; kind: 'station' | 'water-intake';
  stationClass?: string; stationClassSource?: string; stationClassNote?: string;
  status: string; phase?: number; position: string; placement: string; positionNote: string;
  example?: boolean; source: string; citation: Citation; lon: number; lat: number;
}
interface Count { kind: string; year: number; period?: [number, number]; added?: number; total?: number; citation: Citation }
interface Plan {
  place: string; planTitle: string; source: { title: string };
  indicators: { key: string; value: unknown; op?: string; year: number | null; unit: string | null; citation: Citation }[];
  items: Item[]; counts: Count[];
  countTotals: { kind: string; period: [number, number]; added: number; citation: Citation }[];
  staffing?: { year: number; added: number }[];
  staffingTotal?: { period: [number, number]; added: number };
  stationTotals?: { existing: number; target: number; targetYear: number; newByYear: Record<string, number> };
}
const plans: Record<string, Plan> = Object.fromEntries(PLACES.map((p) => [p, readJson(`geodata/plans/${p}.json`) as Plan]));
const stations = (p: Plan) => p.items.filter((i) => i.kind === 'station');
const indicator = (p: Plan, key: string, year: number) => p.indicators.find((i) => i.key === key && i.year === year);

type Area = Feature<Polygon | MultiPolygon>;
/** The planning-area boundary as built by the pipeline (public/data). */
function boundary(place: string): Area[] {
  const candidates = [`public/data/${place}/boundary.geojson`];
  const found = candidates.find((c) => existsSync(join(root, c)));
  if (!found) throw new Error(`no boundary for ${place}: expected one of ${candidates.join(', ')} (written by the geodata pipeline)`);
  const gj = readJson(found) as FeatureCollection<Polygon | MultiPolygon> | Area;
  return gj.type === 'FeatureCollection' ? gj.features : [gj];
}

describe('plan files', () => {
  it.each(PLACES)('%s: header and indicators carry citations', (place) => {
    const p = plans[place];
    expect(p.place).toBe(place);
    expect(p.planTitle).toMatch(/十四五/);
    expect(p.source.title).toMatch(/十四五/);
    expect(p.indicators.length).toBeGreaterThan(5);
    for (const ind of p.indicators) {
      expect(ind.key, JSON.stringify(ind)).toMatch(/^[a-zA-Z0-9]+$/);
      expect(ind.value, ind.key).not.toBeUndefined();
      expect(ind.year === null || (Number.isInteger(ind.year) && ind.year >= 2015 && ind.year <= 2025), ind.key).toBe(true);
      expect(ind.citation.where.length, ind.key).toBeGreaterThan(2);
      expect(ind.citation.quote.length, ind.key).toBeGreaterThan(2);
    }
    for (const key of ['stationsPer100k', 'professionalFirefightersPerMille', 'fireDeathsPer100k']) {
      expect(p.indicators.some((i) => i.key === key && i.year === 2025), `${place} ${key} 2025 target`).toBe(true);
    }
  });

  it('item ids are unique across plans', () => {
    const ids = PLACES.flatMap((p) => plans[p].items.map((i) => i.id));
    expect(new Set(ids).size).toBe(ids.length);
  });

  it.each(PLACES)('%s: items are well formed, approximate and cited', (place) => {
    for (const it of plans[place].items) {
      const tag = `${place}/${it.id}`;
      expect(['station', 'water-intake'], tag).toContain(it.kind);
      expect(['existing', 'planned'], tag).toContain(it.status);
      expect(it.position, tag).toBe('approximate');
      expect(it.positionNote.length, tag).toBeGreaterThan(10);
      expect(['town-seat', 'named-area', 'existing-unlocated', 'placeholder'], tag).toContain(it.placement);
      if (it.placement === 'existing-unlocated') expect(it.status === 'existing' && !it.example, `${tag} an existing station is no example`).toBe(true);
      if (it.placement === 'placeholder') expect(it.example, `${tag} placeholder must be labelled example`).toBe(true);
      expect(it.source.length, tag).toBeGreaterThan(5);
      expect(it.citation.quote.length, tag).toBeGreaterThan(2);
      expect(it.name.length && it.nameEn.length, tag).toBeTruthy();
      if (it.status === 'planned') {
        expect(Number.isInteger(it.phase) && it.phase! >= 2020 && it.phase! <= 2025, `${tag} phase ${it.phase}`).toBe(true);
      } else {
        expect(it.phase, tag).toBeUndefined();
      }
      if (it.kind === 'station') {
        expect(CLASSES as readonly string[], tag).toContain(it.stationClass);
        expect(['plan', 'inferred', 'assumption'], tag).toContain(it.stationClassSource);
        if (it.stationClassSource !== 'plan') expect(it.stationClassNote?.length, tag).toBeGreaterThan(10);
      }
    }
  });

  it('every station class used has an area limit in the default standard', () => {
    const std = readJson('geodata/standards/jianbiao152-2017.json') as { areaLimitsKm2: Record<string, unknown> };
    for (const place of PLACES) for (const s of stations(plans[place])) expect(Object.keys(std.areaLimitsKm2)).toContain(s.stationClass);
  });
});

describe('positions', () => {
  it.each(PLACES)('%s: every item lies inside the boundary, at least 300 m from its edge', (place) => {
    const areas = boundary(place);
    const rings = areas.flatMap((a) => (a.geometry.type === 'Polygon' ? [a.geometry.coordinates] : a.geometry.coordinates).flat());
    const edges = rings.map((ring) => lineString(ring));
    for (const it of plans[place].items) {
      const pt = point([it.lon, it.lat]);
      expect(areas.some((a) => booleanPointInPolygon(pt, a)), `${it.id} (${it.lon}, ${it.lat}) outside ${place}`).toBe(true);
      const edgeM = Math.min(...edges.map((e) => pointToLineDistance(pt, e, { units: 'meters' })));
      expect(edgeM, `${it.id} only ${Math.round(edgeM)} m from the boundary`).toBeGreaterThanOrEqual(300);
    }
  });

  it.each(PLACES)('%s: stations do not share a spot (≥ 1 km apart)', (place) => {
    const s = stations(plans[place]);
    for (let i = 0; i < s.length; i++) {
      for (let j = i + 1; j < s.length; j++) {
        const km = distance(point([s[i].lon, s[i].lat]), point([s[j].lon, s[j].lat]), { units: 'kilometers' });
        expect(km, `${s[i].id} – ${s[j].id}`).toBeGreaterThanOrEqual(1);
      }
    }
  });
});

describe('counts add up as the plans state', () => {
  it.each(PLACES)('%s: yearly counts sum to the plan totals', (place) => {
    const p = plans[place];
    expect(p.countTotals.length).toBeGreaterThan(0);
    for (const t of p.countTotals) {
      const within = p.counts.filter((c) => {
        const [a, b] = c.period ?? [c.year, c.year];
        return c.kind === t.kind && a >= t.period[0] && b <= t.period[1];
      });
      expect(within.length, `${place} ${t.kind}`).toBeGreaterThan(0);
      expect(within.reduce((s, c) => s + (c.added ?? 0), 0), `${place} ${t.kind}`).toBe(t.added);
    }
    for (const c of p.counts) expect(['hydrant', 'water-intake']).toContain(c.kind);
  });

  it('阳东区: hydrants and intakes per year, staffing, stations', () => {
    const p = plans.yangdong;
    const perYear = (kind: string) => [2021, 2022, 2023, 2024, 2025].map((y) => p.counts.find((c) => c.kind === kind && c.year === y && !c.period)?.added);
    expect(perYear('hydrant').reduce((a, b) => a! + b!, 0)).toBe(p.countTotals.find((t) => t.kind === 'hydrant')!.added);
    expect(perYear('water-intake').filter((n) => n! > 0)).toHaveLength(p.countTotals.find((t) => t.kind === 'water-intake')!.added);
    expect(p.staffing!.reduce((s, x) => s + x.added, 0)).toBe(p.staffingTotal!.added);
    const st = stations(p);
    const newStations = st.filter((s) => s.status === 'planned' && !s.stationClass!.startsWith('乡镇'));
    expect(newStations.length).toBe(indicator(p, 'stationsNew', 2025)!.value);
    expect(st.filter((s) => s.status === 'existing').length).toBe(indicator(p, 'stationsExisting', 2020)!.value);
    // every town team row of 附件2 is one item, named after its town and cited by that row
    for (const t of st.filter((s) => s.stationClass!.startsWith('乡镇'))) {
      expect(t.citation.quote.startsWith(t.name.slice(0, 3)), t.id).toBe(true);
      expect(t.citation.quote).toContain(`${t.stationClass} | ${t.phase}年`);
    }
  });

  it('清溪镇: existing + new stations by year match 附件2, and the per-capita targets follow', () => {
    const p = plans.qingxi;
    const tot = p.stationTotals!;
    const st = stations(p);
    expect(st.filter((s) => s.status === 'existing').length).toBe(tot.existing);
    expect(st.length).toBe(tot.target);
    for (const [year, n] of Object.entries(tot.newByYear)) {
      expect(st.filter((s) => s.status === 'planned' && s.phase === Number(year)).length, year).toBe(n);
    }
    const pop = (readJson('geodata/population.json') as { places: Record<string, { value: number | null }> }).places.qingxi.value!;
    for (const year of [2023, 2025]) {
      const n = st.filter((s) => s.status === 'existing' || s.phase! <= year).length;
      const target = indicator(p, 'stationsPer100k', year)!.value as number;
      expect((n / pop) * 1e5, `stations per 100k in ${year}`).toBeGreaterThanOrEqual(target);
    }
  });
});

describe('population.json', () => {
  const popFile = readJson('geodata/population.json') as {
    places: Record<string, { value: number | null; valueAsWritten?: string; year: number | null; source: string | null; note?: string; citation?: { where: string; quote: string } }>;
    staffPerStationClass: { classes: Record<string, { min: number; max: number | null; assumption: boolean; source: string }> };
  };

  it('has every place; values have a source, nulls have a note', () => {
    for (const id of ['yangdong', 'qingxi', 'nanshan', 'shanghai', 'monaco', 'andorra']) {
      const e = popFile.places[id];
      expect(e, id).toBeDefined();
      if (e.value === null) expect(e.note?.length, id).toBeGreaterThan(10);
      else expect(e.source?.length && e.year, id).toBeTruthy();
    }
  });

  it('清溪镇 population equals the plan’s 万-figure', () => {
    const q = popFile.places.qingxi;
    // The figure quoted from the plan's text, not the file's own restatement of it.
    const quoted = /([\d.]+)万/.exec(q.citation!.quote)!;
    expect(q.value).toBe(Math.round(Number(quoted[1]) * 1e4));
    expect(q.source).toContain(q.citation!.quote);
    expect(plans.qingxi.stationTotals).toBeDefined();
  });

  it('staff assumptions cover every station class, min ≤ max, with a source', () => {
    for (const c of CLASSES) {
      const s = popFile.staffPerStationClass.classes[c];
      expect(s, c).toBeDefined();
      expect(s.min, c).toBeGreaterThan(0);
      if (s.max !== null) expect(s.max, c).toBeGreaterThanOrEqual(s.min);
      expect(typeof s.assumption, c).toBe('boolean');
      expect(s.source.length, c).toBeGreaterThan(10);
    }
  });
});
