/** Strings of the issue-14 stumble fixes (change list, swipe view, legend note on block interiors). */
export const zh = {
  stumbles: {
    deleted: '已删除',
    swipeA: 'A：{{name}}',
    swipeB: 'B：{{name}}',
    legendFail: '辖区不达标（红色斜线与红框）',
    legendLate: '超时未到达的道路（橙色）',
    legendBlocks: '街区内部没有道路，不作检验，因此不着色：空白不是漏洞。到达时间只沿道路计算。',
  },
};

export const en: typeof zh = {
  stumbles: {
    deleted: 'Deleted',
    swipeA: 'A: {{name}}',
    swipeB: 'B: {{name}}',
    legendFail: 'District fails (red hatching and outline)',
    legendLate: 'Roads not reached in time (orange)',
    legendBlocks: 'Block interiors have no roads and are not tested, so they stay uncoloured: a blank is not a gap. Times are measured along roads only.',
  },
};
