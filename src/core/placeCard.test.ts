import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import type { FeatureCollection } from 'geojson';
import { describe, expect, it } from 'vitest';
import { cardRowText, dateInName, placeCard, type CardInput } from './placeCard';
import type { PlaceMeta } from './types';

const root = resolve(__dirname, '../..');
function sample(id: string): CardInput {
  const meta = JSON.parse(readFileSync(resolve(root, `public/data/${id}/place.json`), 'utf8')) as PlaceMeta;
  const layer = (k: keyof PlaceMeta['files']) => {
    const f = meta.files[k];
    return f && existsSync(resolve(root, `public/data/${id}/${f}`)) ? (JSON.parse(readFileSync(resolve(root, `public/data/${id}/${f}`), 'utf8')) as FeatureCollection) : null;
  };
  return { meta, layers: { roads: layer('roads'), water: layer('water'), rail: layer('rail'), facilities: layer('facilities'), plan: layer('plan'), pois: layer('pois') } };
}
const row = (c: ReturnType<typeof placeCard>, l: string) => c.rows.find((r) => r.layer === l)!;

describe('placeCard on the real samples', () => {
  it('Monaco: roads, water with the sea, railways and its three real stations, all from the 2016 OSM extract', () => {
    const input = sample('monaco');
    const c = placeCard(input);
    const meta = input.meta as PlaceMeta;
    // the drivable road length agrees with the pipeline's graph figure (each road once, ferries left out)
    expect(Math.abs(row(c, 'roads').values.km! - meta.stats!.roadKm)).toBeLessThan(1);
    expect(row(c, 'water')).toMatchObject({ missing: false, values: { sea: true } });
    expect(row(c, 'water').values.lineKm).toBeGreaterThan(0);
    expect(row(c, 'rail').missing).toBe(false);
    expect(row(c, 'rail').values.km).toBeGreaterThan(1);
    expect(row(c, 'stations').values).toMatchObject({ existing: 3, planned: 0, example: 0 });
    expect(row(c, 'hydrants').values).toMatchObject({ hydrants: 1, intakes: 0 });
    for (const r of c.rows) expect(r).toMatchObject({ source: 'fallback_monaco_osrm-testdata_2016.osm.pbf', date: '2016' });
    expect(c.dataGaps).toEqual([]);
  });

  it('上海: roads only — water and railways are missing, never "no barrier"', () => {
    const c = placeCard(sample('shanghai'));
    expect(row(c, 'roads')).toMatchObject({ missing: false, source: 'shanghai_center_overpass_2025-08-09.osm', date: '2025-08-09' });
    expect(row(c, 'water')).toMatchObject({ missing: true, source: '', date: '' });
    expect(row(c, 'rail').missing).toBe(true);
    expect(row(c, 'stations').values).toMatchObject({ existing: 0, example: 20 });
    expect(c.dataGaps.map((g) => [g.code, g.zh, g.en])).toEqual([
      ['water-data-missing', '水系数据缺失 — 障碍检查不完整', 'Water data missing — barrier check incomplete'],
      ['rail-data-missing', '铁路数据缺失 — 障碍检查不完整', 'Railway data missing — barrier check incomplete'],
    ]);
    expect(cardRowText(row(c, 'water'), 'zh').value).toBe('缺失');
    expect(cardRowText(row(c, 'water'), 'en').value).toBe('missing');
  });

  it('a plan place before an extract: no roads, water or railways; an imported extract names its file and date', () => {
    const input = sample('yangdong');
    const c = placeCard(input);
    expect(['roads', 'water', 'rail'].map((l) => row(c, l).missing)).toEqual([true, true, true]);
    expect(row(c, 'stations').values.planned).toBeGreaterThan(0);
    const imported = placeCard({ ...sample('nanshan'), imported: { fileName: 'mine.osm.pbf', importedAt: '2026-12-01T10:00:00.000Z' } });
    expect(row(imported, 'roads')).toMatchObject({ source: 'mine.osm.pbf', date: '2026-12-01' });
    expect(imported.dataGaps.map((g) => g.layer)).toEqual(['rail']); // 南山 has water but no railway in its extract
  });

  it('dates in file names', () => {
    expect(dateInName('shenzhen_nanshan_xili_overpass_2021-03-17.osm')).toBe('2021-03-17');
    expect(dateInName('andorra_graphhopper-testdata_2013.osm.pbf')).toBe('2013');
    expect(dateInName('extract.osm.pbf')).toBe('');
  });
});
