import { describe, expect, it } from 'vitest';
import { facilityLabels } from './sources';
import { unnamedStation } from '../core/osm/extract';

describe('an OSM fire station without a name (issue 14)', () => {
  it('is named by its OSM element, with operator and ref when tagged', () => {
    expect(unnamedStation('node', 3781320822)).toEqual({ zh: '未命名（OSM 节点 3781320822）', en: 'unnamed (OSM node 3781320822)' });
    expect(unnamedStation('way', 12, { operator: 'Sapeurs Pompiers Monaco', ref: '3' }))
      .toEqual({ zh: '未命名（Sapeurs Pompiers Monaco，编号 3，OSM 路径 12）', en: 'unnamed (Sapeurs Pompiers Monaco, ref 3, OSM way 12)' });
  });
  it('an old stored "未命名消防站" is relabelled from its id, name and label alike', () => {
    const l = facilityLabels({ id: 'osm-node-3781320822', name: '未命名消防站', nameEn: 'Unnamed fire station', status: 'existing', position: 'from-data' });
    expect(l).toEqual({ label_zh: '未命名（OSM 节点 3781320822）', label_en: 'unnamed (OSM node 3781320822)', name: '未命名（OSM 节点 3781320822）', nameEn: 'unnamed (OSM node 3781320822)' });
  });
});
