/** The plans' hydrant and intake counts per timeline year (geodata/plans: 阳东区 +240 and 3 intakes; 清溪镇 1,090 + 100). */
import { describe, expect, it } from 'vitest';
import { planCountsInYear, type PlanCountRow } from './timeline';
import { readJson } from '../../tests/support/place';

const counts = (place: string) => (readJson(`geodata/plans/${place}.json`) as { counts: PlanCountRow[] }).counts;

describe('plan hydrant counts in the timeline', () => {
  it('阳东区: +40 in 2021 … +240 by 2025; 3 water intakes (2022–2024); no stock stated', () => {
    const rows = counts('yangdong');
    expect([2020, 2021, 2022, 2023, 2024, 2025].map((y) => planCountsInYear(rows, 'hydrant', y)!.addedToYear)).toEqual([0, 40, 90, 140, 190, 240]);
    expect(planCountsInYear(rows, 'hydrant', 2025)!.addedInPlan).toBe(240);
    expect(planCountsInYear(rows, 'hydrant', 2025)!.stockBefore).toBeNull();
    expect([2021, 2022, 2023, 2024, 2025].map((y) => planCountsInYear(rows, 'water-intake', y)!.addedToYear)).toEqual([0, 1, 2, 3, 3]);
  });

  it('清溪镇: 1,090 before the plan, +100 dated 2025 (no yearly split); no intake rows', () => {
    const rows = counts('qingxi');
    const y24 = planCountsInYear(rows, 'hydrant', 2024)!, y25 = planCountsInYear(rows, 'hydrant', 2025)!;
    expect([y24.stockBefore, y24.addedToYear, y25.addedToYear, y25.addedInPlan]).toEqual([1090, 0, 100, 100]);
    expect(y25.rows[0].citation?.quote).toContain('新增市政消火栓100个');
    expect(planCountsInYear(rows, 'water-intake', 2025)).toBeNull();
  });
});
