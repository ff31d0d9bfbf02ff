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
  it('a hospital whose name merely contains "pharmac…" stays a hospital; pharmacy names match whole words only', () => {
    expect(poiKind({ amenity: 'hospital', name: 'Shenyang Pharmaceutical University Hospital' })).toBe('hospital');
    expect(poiKind({ amenity: 'hospital', name: 'Pharmacology Research Centre' })).toBe('hospital');
    // strong hospital evidence outweighs a pharmacy word in the name
    expect(poiKind({ amenity: 'hospital', name: 'Hospital Pharmacy Wing' })).toBe('hospital');
    expect(poiKind({ amenity: 'hospital', name: 'Farmacia Centrale', emergency: 'yes' })).toBe('hospital');
    expect(poiKind({ amenity: 'hospital', name: '市第一医院药房' })).toBe('hospital');
    // the mis-tag case: amenity=hospital, emergency=no, a pharmacy's name
    expect(poiKind({ amenity: 'hospital', emergency: 'no', name: 'Apotheke am Markt' })).toBeNull();
    expect(poiKind({ amenity: 'hospital', name: 'Farmacia San Carlo' })).toBeNull();
  });
});
