import { describe, expect, it } from 'vitest';
import type { Point } from '../data/series';
import { LATE_MS, markLate } from './useVehicleSeries';

const NOW = 1_764_180_000_000;
const pt = (seq: number, t: number): Point => ({ seq, t, values: { VehicleSpeed: 1 }, backfilled: false });

describe('markLate', () => {
  it('marks samples captured more than LATE_MS before now as backfilled', () => {
    const out = markLate([pt(1, NOW - LATE_MS - 1), pt(2, NOW - LATE_MS + 500), pt(3, NOW)], NOW, false);
    expect(out.map((p) => p.backfilled)).toEqual([true, false, false]);
  });

  it('marks everything while the vehicle drains', () => {
    expect(markLate([pt(1, NOW), pt(2, NOW + 5)], NOW, true).every((p) => p.backfilled)).toBe(true);
  });

  it('does not modify its input', () => {
    const input = [pt(1, NOW - 60_000)];
    markLate(input, NOW, false);
    expect(input[0].backfilled).toBe(false);
  });
});
