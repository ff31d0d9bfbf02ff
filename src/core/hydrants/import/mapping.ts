/**
 * Column mapping of a hydrant table (issue #13): which column holds the longitude / x, latitude / y, name, type,
 * status, diameter, pressure and year. The guess reads Chinese and English header names; the user can change it.
 */

export const MAPPED_FIELDS = ['lon', 'lat', 'id', 'name', 'type', 'status', 'diameter', 'pressure', 'year'] as const;
export type MappedField = (typeof MAPPED_FIELDS)[number];

/** Column index per field (0-based), null when the table has no such column (or the position comes from geometry). */
export type ColumnMapping = Record<MappedField, number | null>;

/**
 * Header patterns per field, tried in order against the normalised header (lower case, no spaces, brackets or
 * units). Exact names first, so "x坐标" maps to lon before a looser pattern could take it.
 */
const PATTERNS: Record<MappedField, RegExp[]> = {
  lon: [/^(lon|lng|long|longitude|经度|东经|x|x坐标|坐标x|point_x|gcj_lng|bd_lng|wgs_lng|wgs84_lng|lon_wgs84)$/, /经度|longitude|^lng|^lon/, /^x/],
  lat: [/^(lat|latitude|纬度|北纬|y|y坐标|坐标y|point_y|gcj_lat|bd_lat|wgs_lat|wgs84_lat|lat_wgs84)$/, /纬度|latitude|^lat/, /^y/],
  id: [/^(id|编号|编码|序号|no|fid|objectid|设施编号|消火栓编号)$/, /编号|编码|code$/],
  name: [/^(name|名称|名字|设施名称|消火栓名称|地址|位置|address|location)$/, /名称|name/, /地址|位置|address/],
  type: [/^(type|类型|种类|类别|型式|形式|kind|category|设施类型)$/, /类型|类别|型式|type|kind/],
  status: [/^(status|状态|使用状态|完好情况|状况|condition|state)$/, /状态|状况|完好|status|condition/],
  diameter: [/^(diameter|dn|口径|管径|直径|出水口径|dia)$/, /口径|管径|直径|diameter/],
  pressure: [/^(pressure|压力|水压|静压|出水压力)$/, /压力|水压|pressure/],
  year: [/^(year|年份|年代|建设年份|安装年份|建成年份|建设时间|安装时间|installed|built)$/, /年份|年代|时间|日期|year|date/],
};

/** A header reduced for matching: lower case, without spaces, brackets and what they hold (units), and trailing colons. */
export function normaliseHeader(h: string): string {
  return h.trim().toLowerCase().replace(/[(（[【].*?[)）\]】]/g, '').replace(/[\s:：]/g, '');
}

/**
 * The guessed mapping: each field gets the first column its patterns match (a column serves one field). With
 * `geometry` (GeoJSON, KML, SHP) lon/lat come from the geometry and stay null.
 */
export function guessMapping(header: readonly string[], geometry = false): ColumnMapping {
  const norm = header.map(normaliseHeader);
  const used = new Set<number>();
  const out = Object.fromEntries(MAPPED_FIELDS.map((f) => [f, null])) as ColumnMapping;
  for (let level = 0; level < 3; level++) {
    for (const f of MAPPED_FIELDS) {
      if (out[f] !== null || (geometry && (f === 'lon' || f === 'lat'))) continue;
      const re = PATTERNS[f][level];
      if (!re) continue;
      const i = norm.findIndex((h, k) => !used.has(k) && re.test(h));
      if (i >= 0) {
        out[f] = i;
        used.add(i);
      }
    }
  }
  return out;
}
