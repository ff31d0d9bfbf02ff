import { describe, expect, it } from 'vitest';
import { buildStyle, LABEL_LAYERS, LAYER_GROUPS, SOURCE_IDS } from './style';
import { LAYER_IDS } from '../store';

describe('offline map style', () => {
  const style = buildStyle('zh');
  const ids = new Set(style.layers.map((l) => l.id));

  it('has no remote resources (no glyphs, sprite or tile URLs)', () => {
    expect(style.glyphs).toBeUndefined();
    expect(style.sprite).toBeUndefined();
    for (const src of Object.values(style.sources)) expect(src.type).toBe('geojson');
  });

  it('every layer uses a declared source and every toggle controls existing layers', () => {
    for (const l of style.layers) if ('source' in l) expect(SOURCE_IDS).toContain(l.source);
    expect(Object.keys(LAYER_GROUPS).sort()).toEqual([...LAYER_IDS].sort());
    for (const group of Object.values(LAYER_GROUPS)) for (const id of group) expect(ids.has(id)).toBe(true);
    for (const l of LABEL_LAYERS) expect(ids.has(l.id)).toBe(true);
  });

  it('labels follow the language', () => {
    const en = buildStyle('en').layers.find((l) => l.id === 'districts-label') as { layout: Record<string, unknown> };
    const zh = style.layers.find((l) => l.id === 'districts-label') as unknown as { layout: Record<string, unknown> };
    expect(JSON.stringify(en.layout['text-field'])).toContain('nameEn');
    expect(JSON.stringify(zh.layout['text-field'])).not.toContain('nameEn');
  });
});
