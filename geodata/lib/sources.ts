/** The raw inputs the pipeline uses: where each came from, its licence, and what the pipeline does with it. */

export interface RawSource {
  file: string;
  title: string;
  origin: string;
  licence: string;
  attribution: string;
  crs: string;
  use: string;
}

export const OSM_ATTRIBUTION = '© OpenStreetMap contributors (ODbL 1.0)';

export const RAW_SOURCES: RawSource[] = [
  {
    file: 'yangjiang_districts_datav_gcj02.json',
    title: '阳江市 county-level units (Aliyun DataV.GeoAtlas areas_v3, mirrored)',
    origin: 'github.com/anzhou99/GeoJsons, file 441700_full.json, commit 6137cf53e858b0f13a5e2e6d882722d5cf2db805 (2021-08-16)',
    licence: 'no licence stated by the mirror or by DataV; used for planning display with attribution',
    attribution: '行政区划边界：阿里云 DataV.GeoAtlas / 高德 (boundaries: Aliyun DataV.GeoAtlas / AMap)',
    crs: 'GCJ-02',
    use: 'The 阳东区 feature (adcode 441704) is taken, converted from GCJ-02 to WGS84 with gcoord, rounded to 6 decimals and written as both the boundary and the only district of place "yangdong" (the source has no town-level split).',
  },
  {
    file: 'dongguan_towns_poi86_wgs84.geojson',
    title: '东莞市 33 towns and subdistricts (poi86.com, AMap-derived)',
    origin: 'github.com/eddiehe99/dongguan-map, file 441900-poi.geojson, last changed in commit 0140a8a56f9acc5ca437696c00b08919011a6d90 (2025-10-12)',
    licence: 'repository MIT (© 2025 Eddie He); the boundary data is credited to poi86.com, whose own terms are not stated',
    attribution: '镇街边界：poi86.com（源自高德）via eddiehe99/dongguan-map (town boundaries: poi86.com, AMap-derived)',
    crs: 'WGS84 (established by comparison with GCJ-02 and BD-09 copies of the same shapes)',
    use: '清溪镇 (poi86 id 37638) becomes the boundary of place "qingxi"; 清溪镇 and the towns that touch it or lie within 1 km of it become its districts, rounded to 6 decimals.',
  },
  {
    file: 'dongguan_towns_echartsmapjson_bd09.geojson',
    title: '东莞市 32 towns (echarts-mapJson, Baidu BD-09)',
    origin: 'github.com/eddiehe99/dongguan-map, file 441900.geojson, added in commit 1019abcf1801fda4736bab6f8346b29580587996 (2025-10-05); upstream zhangyu9609/echarts-mapJson',
    licence: 'repository MIT; upstream terms not stated',
    attribution: 'echarts-mapJson via eddiehe99/dongguan-map',
    crs: 'BD-09',
    use: 'Not used for output. Kept as a real-world test fixture: the same towns in BD-09, which the tests convert to WGS84 and compare with the poi86 copy.',
  },
  {
    file: 'shenzhen_nanshan_xili_overpass_2021-03-17.osm',
    title: 'Shenzhen 南山 (西丽 / 科技园) OSM extract, Overpass API 2021-03-17',
    origin: 'github.com/wenke727/RoadNetworkCreator, file sumo/osm_bbox.osm.bak.xml, commit 0703265df55ca1f227b3991a8bc88540ac3a715d',
    licence: 'OpenStreetMap data, ODbL 1.0 (repository MIT)',
    attribution: OSM_ATTRIBUTION,
    crs: 'WGS84',
    use: 'Road graph, display roads, water and POIs of place "nanshan". The planning area is the concave hull of the largest road component; example sites and example districts are generated (no stations are tagged).',
  },
  {
    file: 'shanghai_center_overpass_2025-08-09.osm',
    title: 'Central Shanghai drivable roads, Overpass API 2025-08-09',
    origin: 'github.com/jbnu55343/scm_deeponet, file shanghai_center.osm, added in commit 19e7a4b146d1258fb420caed91b2c3402a032d97',
    licence: 'OpenStreetMap data, ODbL 1.0 (the file carries the ODbL note)',
    attribution: OSM_ATTRIBUTION,
    crs: 'WGS84',
    use: 'Road graph and display roads of place "shanghai" (the extract holds highways only). Planning area = concave hull of the largest road component; 20 example sites and example districts are generated.',
  },
  {
    file: 'fallback_monaco_osrm-testdata_2016.osm.pbf',
    title: 'Monaco OSM extract 2016 (OSRM test data)',
    origin: 'github.com/Project-OSRM/osrm-backend, file test/data/monaco.osm.pbf, blob 63346b4ce8b8907b02563e2c9ec7813e4bbb5abd',
    licence: 'OpenStreetMap data, ODbL 1.0 (repository BSD-2-Clause)',
    attribution: OSM_ATTRIBUTION,
    crs: 'WGS84',
    use: 'Place "monaco": road graph, roads, water, POIs, the 3 real fire stations and the hydrant tagged in OSM; the Monaco commune (admin_level 8) is the planning area and its quarters (admin_level 10) clipped to it are the districts.',
  },
  {
    file: 'andorra_graphhopper-testdata_2013.osm.pbf',
    title: 'Andorra OSM extract 2013 (GraphHopper test data)',
    origin: 'github.com/graphhopper/graphhopper, file core/files/andorra.osm.pbf',
    licence: 'OpenStreetMap data, ODbL 1.0 (repository Apache-2.0)',
    attribution: OSM_ATTRIBUTION,
    crs: 'WGS84',
    use: 'Place "andorra": road graph, roads, water and POIs. The country relation is incomplete in the extract, so the planning area is the convex hull of the largest road component; 5 example sites and example districts are generated.',
  },
];

/** geodata/SOURCES.md text (written by --copy-raw together with the checksums). */
export function sourcesMarkdown(checksums: Map<string, string>): string {
  const lines = [
    '# Raw geodata used by the pipeline',
    '',
    'Generated by `npm run geodata -- --copy-raw` from geodata/lib/sources.ts. The files in geodata/raw/ are the only',
    'inputs of the normal build; their SHA-256 sums are in geodata/raw/CHECKSUMS.sha256 and are verified on every build.',
    '',
    'Real data only: no road, station or hydrant is invented. Example sites on the sample places are generated by',
    'k-means over road nodes and are marked `example: true`, `position: "approximate"` in the output.',
    '',
  ];
  lines.push(
    '## What the build writes (public/data/<place>/)',
    '',
    '- `boundary.geojson` planning area, `districts.geojson` responsibility areas (id, name, nameEn), `plan.geojson`',
    '  plan items or example sites, `place.json` (PlaceMeta with attribution and notes); `places.json` lists all places.',
    '- Places with roads also get `graph.bin` (src/core/graph.ts format, built by src/core/buildGraph.ts), `roads.geojson`,',
    '  `water.geojson`, `facilities.geojson` (stations and hydrants tagged in OSM) and `pois.geojson` (siting checks).',
    '- Coordinates are WGS84, rounded to 6 decimals (about 0.1 m). Output is byte-identical on every rebuild',
    '  (tests/pipeline/build.test.ts checks this) and is staged in a sibling folder, then renamed into place.',
    '- Fire-station classes are not in OSM: stations read from OSM get 一级 with `classAssumed: true`.',
    '- Plan places have no roads. `npm run geodata -- --place yangdong --osm <extract>` adds a network from a user\'s',
    '  OSM extract (PBF, XML or Overpass JSON), clipped to the boundary\'s bounding box plus about 2 km.',
    '',
  );
  for (const s of RAW_SOURCES) {
    lines.push(`## ${s.file}`, '', `- What: ${s.title}`, `- Origin: ${s.origin}`, `- Licence: ${s.licence}`,
      `- Attribution shown in the app: ${s.attribution}`, `- Coordinate system: ${s.crs}`,
      `- SHA-256: ${checksums.get(s.file) ?? 'not copied'}`, `- Pipeline use: ${s.use}`, '');
  }
  return lines.join('\n');
}
