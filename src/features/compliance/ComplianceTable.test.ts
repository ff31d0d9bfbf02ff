/** The compliance table shows worst times and district areas rounded up (they are compared with limits, review of #14). */
import { describe, expect, it } from 'vitest';
import { createElement } from 'react';
import { renderToStaticMarkup } from 'react-dom/server';
import { initI18n, i18next } from '../../i18n';
import type { PlaceReport, StationReport } from '../../core/compliance/report';
import { ComplianceTable } from './ComplianceTable';

const station = (over: Partial<StationReport>): StationReport => ({
  id: 's1', name: '甲站', stationClass: '一级', status: 'existing', position: 'exact', example: false, verdict: 'fail', reasons: [], clauses: [],
  districtAreaKm2: 7.001, areaLimitKm2: 7, areaOk: false, turnoutSeconds: 60, travelLimitSeconds: 240, worstEdgeSeconds: 240.4, worstResponseSeconds: 300.4,
  ...over,
} as unknown as StationReport);

function table(st: StationReport): string {
  initI18n('zh');
  void i18next.changeLanguage('zh');
  const report = { mode: 'network', settings: { turnoutS: 60 }, stations: [st] } as unknown as PlaceReport;
  return renderToStaticMarkup(createElement(ComplianceTable, { report, lang: 'zh', onOpen: () => undefined }));
}

describe('ComplianceTable figures', () => {
  it('a failing row never reads as within the limit: 240.4 s travel → 4:01, response 5:01, 7.001 km² → 7.01 / 7.00', () => {
    const html = table(station({}));
    expect(html).toContain('7.01 / 7.00');
    expect(html).toMatch(/<strong>5:01<\/strong>/);
    expect(html).toContain('4:01');
    expect(html).not.toMatch(/5:00|4:00<|7\.00 \/ 7\.00/);
  });

  it('exact figures stay as they are', () => {
    const html = table(station({ worstEdgeSeconds: 240, worstResponseSeconds: 300, districtAreaKm2: 7, areaOk: true, verdict: 'pass' }));
    expect(html).toContain('7.00 / 7.00');
    expect(html).toMatch(/<strong>5:00<\/strong>/);
  });
});
