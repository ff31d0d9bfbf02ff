/** Import progress phases added for extracts of city size (the shared importer.phase keys hold read/parse/build/store). */
export const zh = {
  importScale: {
    phase: { decode: '解码数据块 {{done}} / {{total}}', clip: '裁剪到本地区范围', layers: '生成道路与设施图层，准备路径计算' },
  },
};

export const en: typeof zh = {
  importScale: {
    phase: { decode: 'Decoding block {{done}} of {{total}}', clip: 'Clipping to this place', layers: 'Making the road and facility layers, setting up routing' },
  },
};
