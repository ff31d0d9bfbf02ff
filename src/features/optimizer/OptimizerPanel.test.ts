import { describe, expect, it } from 'vitest';
import { createElement } from 'react';
import { renderToStaticMarkup } from 'react-dom/server';
import { initI18n, i18next } from '../../i18n';
import { useStore } from '../../store';
import { initialOptimizer } from '../../store/optimizerState';
import type { OptimizeResult } from '../../worker/optimizeProtocol';
import { OptimizerPanel } from './OptimizerPanel';

const result = (over: Partial<OptimizeResult> = {}): OptimizeResult => ({
  runId: 'opt-1', placeId: 'nanshan', model: 'mclp', minutes: 4, mode: 'network',
  demand: { points: 4900, total: 247.1, unit: 'km', uncoverable: 2.5, coveredByFixed: 0 }, candidates: 151, excludedBySiting: 12,
  sites: [
    { rank: 1, candidateId: 'n1', lon: 113.94, lat: 22.55, gain: 108.76, shareAfter: 0.44 },
    { rank: 2, candidateId: 'n2', lon: 113.96, lat: 22.547, gain: 39.8, shareAfter: 0.6017 },
    { rank: 3, candidateId: 'p3', lon: 113.93, lat: 22.54, gain: 20.04, shareAfter: 0.6828, planned: true },
  ],
  curve: Array.from({ length: 11 }, (_, k) => ({ k, covered: k * 20, share: Math.min(1, k * 0.1) })),
  plan: { count: 4, share: 0.6391, bestShare: 0.6972 },
  exact: { status: 'time-limit', objective: 160.2, bound: 189.6, gapPct: 11.2, seconds: 5.1 },
  seconds: 9.3, warnings: [], ...over,
});

/** The panel's markup for a place with the network ready and this optimizer state, in a language. */
function panel(lang: 'zh' | 'en', res: OptimizeResult, netReady = true): string {
  initI18n(lang);
  void i18next.changeLanguage(lang);
  Object.assign(useStore.getInitialState(), {
    lang, placeId: 'nanshan', places: [{ id: 'nanshan', name: '南山', nameEn: 'Nanshan', bbox: [113.9, 22.5, 114, 22.6], hasNetwork: true }],
    network: netReady ? { placeId: 'nanshan', status: 'ready' } : null,
    optimizer: { ...initialOptimizer(), status: 'done', result: res },
  });
  return renderToStaticMarkup(createElement(OptimizerPanel));
}

describe('Suggest sites panel (server render)', () => {
  it('lists the ranked sites with their gain, the plan comparison, the curve with its table and the exact status (zh)', () => {
    const zh = panel('zh', result());
    expect(zh).toContain('选址优化');
    expect(zh.match(/data-testid="optimizer-site"/g)).toHaveLength(3);
    expect(zh).toContain('+108.8 公里道路在 4 分钟内');
    expect(zh).toContain('累计覆盖 44.0%');
    expect(zh).toContain('规划的 4 个新站覆盖 63.9%；最优 4 个覆盖 69.7%');
    expect(zh).toContain('（规划站址，已在方案中）');
    expect(zh).toContain('另有 12 个候选点因选址检查不合格被排除');
    expect(zh).toContain('达到时限（未证最优）；精确求解的最好解 160.20，界 189.60，所示答案与界的差距 11.20 %');
    // the curve: 11 points, axis labels, a table with k = 0…10
    expect(zh.match(/<circle /g)).toHaveLength(11);
    expect(zh).toContain('新增站数');
    expect(zh.match(/<tr><td>/g)).toHaveLength(11);
    // two add buttons (the plan site has none) and "add all"
    expect(zh.match(/>加入方案</g)).toHaveLength(2);
    expect(zh).toContain('data-testid="optimizer-add-all"');
    expect(zh).not.toContain('直线估算模式');
  });

  it('English texts; the straight-line estimate is labelled', () => {
    const en = panel('en', result());
    expect(en).toContain('+108.8 km of road within 4 min');
    expect(en).toContain('The plan’s 4 sites cover 63.9 %; the best 4 cover 69.7 %');
    expect(en).toContain('Coverage vs number of new stations');
    const est = panel('en', result({ mode: 'straight-line-estimate', demand: { points: 900, total: 36, unit: 'km2', uncoverable: 0, coveredByFixed: 3 } }), false);
    expect(est).toContain('Straight-line estimate: this place has no road network');
    expect(est).toContain('+108.76 km² within 4 min (estimate)');
  });

  it('shows the run\'s warnings (e.g. the exact model refused for its size) in the chosen language', () => {
    const w = { code: 'model-too-large', zh: 'pmedian 精确模型过大：686,391 个变量', en: 'the exact pmedian model is too large: 686,391 variables' };
    expect(panel('zh', result({ warnings: [w] }))).toMatch(/data-testid="optimizer-warning">pmedian 精确模型过大：686,391 个变量</);
    expect(panel('en', result({ warnings: [w] }))).toMatch(/data-testid="optimizer-warning">the exact pmedian model is too large: 686,391 variables</);
    expect(panel('en', result())).not.toContain('optimizer-warning');
  });
});
