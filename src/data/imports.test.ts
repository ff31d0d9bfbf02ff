import { describe, expect, it } from 'vitest';
import { checkOsmFile, MAX_IMPORT_BYTES } from './imports';

describe('checkOsmFile', () => {
  it('accepts OSM extracts by name', () => {
    for (const name of ['a.osm.pbf', 'b.OSM', 'overpass.json', 'c.pbf']) expect(checkOsmFile({ name, size: 10 })).toBeNull();
  });
  it('rejects other files, empty files and files too large for the browser', () => {
    expect(checkOsmFile({ name: 'notes.txt', size: 10 })).toBe('badType');
    expect(checkOsmFile({ name: 'a.osm', size: 0 })).toBe('empty');
    expect(checkOsmFile({ name: 'a.osm.pbf', size: MAX_IMPORT_BYTES + 1 })).toBe('tooBig');
  });
});
