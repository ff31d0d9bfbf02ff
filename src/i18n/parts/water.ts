/** Strings of the data card and the water checks (src/features/datacard, store/water.ts). */
export const zh = {
  water: {
    legendSea: '海域（由 OSM 海岸线拼合）',
    cardTitle: '数据卡',
    cardHint: '各图层的内容、来源与日期；“缺失”表示数据中没有该图层',
    layer: '图层',
    holds: '内容',
    source: '来源（日期）',
    missing: '缺失',
    importedFrom: '导入文件',
    dismiss: '知道了',
  },
};

export const en: typeof zh = {
  water: {
    legendSea: 'Sea (assembled from the OSM coastline)',
    cardTitle: 'Data card',
    cardHint: 'What each layer holds, its source and date; "missing" means the data have no such layer',
    layer: 'Layer',
    holds: 'Holds',
    source: 'Source (date)',
    missing: 'missing',
    importedFrom: 'imported file',
    dismiss: 'OK',
  },
};
