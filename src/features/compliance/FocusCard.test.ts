/** Where a verdict-table row's card floats: level with its row, never out of the window. */
import { describe, expect, it } from 'vitest';
import { cardTop } from './FocusCard';

describe('the row card beside the table', () => {
  it('sits level with its row (8 px above its top edge)', () => {
    expect(cardTop(300, 200, 720)).toBe(292);
  });
  it('moves up so its bottom stays 30 px inside the window', () => {
    expect(cardTop(650, 200, 720)).toBe(720 - 30 - 200);
  });
  it('never goes above the network banner (56 px), even when taller than the room left', () => {
    expect(cardTop(10, 200, 720)).toBe(56);
    expect(cardTop(400, 700, 720)).toBe(56);
    expect(cardTop(null, 200, 720)).toBe(56);
  });
});
