import { describe, expect, it } from 'vitest';
import { poiKind } from './extract';

describe('poiKind: a pharmacy is not a hospital (issue 14)', () => {
  it('keeps real hospitals', () => {
    expect(poiKind({ amenity: 'hospital', name: 'Centre Hospitalier Princesse Grace' })).toBe('hospital');
    expect(poiKind({ healthcare: 'hospital', name: '清溪医院' })).toBe('hospital');
  });
  it('drops pharmacies, by tag or by a name that says so', () => {
    expect(poiKind({ amenity: 'pharmacy', name: 'Pharmacie Centrale' })).toBeNull();
    expect(poiKind({ amenity: 'hospital', healthcare: 'pharmacy' })).toBeNull();
    expect(poiKind({ amenity: 'hospital', shop: 'chemist' })).toBeNull();
    // the Monaco 2016 extract: node 2287695176 as it is tagged there
    expect(poiKind({ name: 'Farmacy des Anglais', amenity: 'hospital', emergency: 'no' })).toBeNull();
    expect(poiKind({ amenity: 'hospital', name: '老百姓大药房' })).toBeNull();
    expect(poiKind({ shop: 'chemist' })).toBeNull();
  });
});
