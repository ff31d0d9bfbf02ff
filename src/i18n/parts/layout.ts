/** Strings of the task-first layout (src/app tabs), the map legend box and the result cards by the clicked point. */
export const zh = {
  layout: {
    tablist: '任务步骤',
    tab: { data: '数据', check: '检验', plan: '规划', scenarios: '方案', report: '报告' },
    hint: {
      dataNoRoads: '下一步：本地区还没有路网，结论为直线估算——导入 OSM 路网文件或从 OpenStreetMap 获取。',
      dataReady: '路网已就绪。下一步：到「检验」查看各站是否达标。',
      check: '下一步：点击表格中的一行，查看该站的结论卡片并在地图上定位其辖区；点击地图查看最快路线。',
      plan: '下一步：点击「添加站点」，再在地图上点击放置拟建消防站；拖动可移动。',
      scenarios: '下一步：将当前规划另存为方案，再选择两个方案进行对比。',
      report: '报告与导出功能即将合并到此处（PDF 报告、地图 PNG、结论表 CSV/XLSX、GeoJSON）。',
    },
    next: '下一步：{{tab}} →',
    legendShow: '显示图例',
    legendHide: '收起图例',
    cardClose: '关闭',
    estimateTitle: '估算到达时间（直线估算）',
    estimateFrom: '最近的消防站：{{name}}',
    estimateDistance: '直线距离 {{km}} km',
    estimateTravel: '估算行驶时间 {{t}}',
    estimateResponse: '估算响应时间 {{t}}（含出动 {{turnout}}）',
    estimateParams: '估算参数：平均速度 {{speed}} km/h，路网系数 λ = {{lambda}}。没有路网，仅为估算，不是路线。',
    estimateNone: '没有可用的消防站，无法估算。',
  },
};

export const en: typeof zh = {
  layout: {
    tablist: 'Task steps',
    tab: { data: 'Data', check: 'Check', plan: 'Plan', scenarios: 'Scenarios', report: 'Report' },
    hint: {
      dataNoRoads: 'Next: this place has no roads yet, so verdicts are straight-line estimates — import an OSM extract or get roads from OpenStreetMap.',
      dataReady: 'Roads are loaded. Next: open Check to see which stations meet the standard.',
      check: 'Next: click a row of the table for the station’s card and to zoom to its district; click the map for the fastest route.',
      plan: 'Next: press “Add station”, then click the map to place a proposed station; drag to move it.',
      scenarios: 'Next: save the current plan as a scenario, then pick two scenarios to compare.',
      report: 'The report and exports will be merged here (PDF report, map PNG, verdict table CSV/XLSX, GeoJSON).',
    },
    next: 'Next: {{tab}} →',
    legendShow: 'Show legend',
    legendHide: 'Hide legend',
    cardClose: 'Close',
    estimateTitle: 'Estimated arrival (straight-line estimate)',
    estimateFrom: 'Nearest station: {{name}}',
    estimateDistance: 'Straight-line distance {{km}} km',
    estimateTravel: 'Estimated travel time {{t}}',
    estimateResponse: 'Estimated response time {{t}} (turnout {{turnout}} included)',
    estimateParams: 'Estimate parameters: mean speed {{speed}} km/h, road factor λ = {{lambda}}. No road network: an estimate, not a route.',
    estimateNone: 'No station available; nothing to estimate.',
  },
};
