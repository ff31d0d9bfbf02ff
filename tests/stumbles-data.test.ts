/** Issue 14 stumbles in the shipped data: what the pipeline wrote for Monaco and 清溪镇. */
import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { facilityLabels } from '../src/map/sources';

const read = (p: string) => JSON.parse(readFileSync(resolve(__dirname, '../public/data', p), 'utf8')) as { features: { properties: Record<string, unknown> }[] };

describe('shipped data (issue 14)', () => {
  it('清溪镇: the two existing sub-stations are real, approximate (约), not examples', () => {
    const plan = read('qingxi/plan.geojson').features.map((f) => f.properties);
    const existing = plan.filter((p) => p.status === 'existing');
    expect(existing.map((p) => p.id)).toEqual(['qingxi-station-central', 'qingxi-station-sub-1', 'qingxi-station-sub-2']);
    for (const p of existing) {
      expect(p.example, String(p.id)).toBeUndefined();
      expect(p.position).toBe('approximate');
      const l = facilityLabels(p);
      expect(l.label_zh.startsWith('约 ')).toBe(true);
      expect(l.label_en.startsWith('≈ ')).toBe(true);
      expect(l.label_zh + l.label_en).not.toMatch(/示例|example/);
    }
    // the three new stations have no site in the plan: they stay placeholders
    expect(plan.filter((p) => p.status === 'planned').every((p) => p.example === true)).toBe(true);
  });

  it('Monaco: the pharmacy is no siting POI; the station without a name is named by its OSM node', () => {
    const pois = read('monaco/pois.geojson').features.map((f) => f.properties);
    expect(pois.some((p) => p.name === 'Farmacy des Anglais')).toBe(false);
    expect(pois.filter((p) => p.kind === 'hospital').length).toBeGreaterThanOrEqual(2);
    const st = read('monaco/facilities.geojson').features.map((f) => f.properties).find((p) => p.id === 'osm-node-3781320822');
    expect(st).toMatchObject({ name: '未命名（OSM 节点 3781320822）', nameEn: 'unnamed (OSM node 3781320822)' });
  });
});
