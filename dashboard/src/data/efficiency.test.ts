import { describe, expect, it } from 'vitest';
import { fillRollingEfficiency, whPerMile } from './efficiency';
import { toChartRows, type Point } from './series';

const T0 = 1_764_180_000_000;

/** One sample per second at constant speed (mph) and power (kW). */
function drive(seconds: number, mph: number, kw: number, startSeq = 0, startT = T0, startOdo = 1000): Point[] {
  const out: Point[] = [];
  for (let i = 0; i <= seconds; i++) {
    out.push({ seq: startSeq + i, t: startT + i * 1000, values: { VehicleSpeed: mph, Power: kw, Soc: 80, Odometer: startOdo + (mph * i) / 3600 }, backfilled: false });
  }
  return out;
}

describe('whPerMile', () => {
  it('divides energy by distance', () => {
    expect(whPerMile(0.25, 1)).toBe(250);
    expect(whPerMile(1.5, 6)).toBe(250);
  });

  it('is undefined (null) for zero or tiny distance instead of infinite', () => {
    expect(whPerMile(0.1, 0)).toBeNull();
    expect(whPerMile(0.1, 0.001)).toBeNull();
    expect(whPerMile(Number.NaN, 1)).toBeNull();
  });

  it('is negative under net regeneration', () => {
    expect(whPerMile(-0.05, 0.5)).toBe(-100);
  });
});

describe('fillRollingEfficiency', () => {
  it('gives kW / mph * 1000 Wh/mi at constant speed and power', () => {
    // 15 kW at 60 mph = 250 Wh/mi
    const rows = fillRollingEfficiency(toChartRows(drive(60, 60, 15), 1000), 30_000);
    const last = rows[rows.length - 1];
    expect(last.efficiency).not.toBeNull();
    expect(last.efficiency!).toBeCloseTo(250, 6);
  });

  it('handles standing still (no distance) as null, never Infinity', () => {
    const rows = fillRollingEfficiency(toChartRows(drive(20, 0, 1.2), 1000), 30_000);
    expect(rows.every((r) => r.efficiency === null)).toBe(true);
  });

  it('shows regeneration as negative Wh/mi', () => {
    const rows = fillRollingEfficiency(toChartRows(drive(30, 40, -8), 1000), 30_000);
    expect(rows[rows.length - 1].efficiency!).toBeCloseTo(-200, 6);
  });

  it('uses only the trailing window', () => {
    // 60 s at 300 Wh/mi (18 kW @ 60 mph), then 60 s at 200 Wh/mi (12 kW @ 60 mph)
    const first = drive(60, 60, 18);
    const second = drive(60, 60, 12, 61, T0 + 61_000, (first[first.length - 1].values.Odometer as number) + 60 / 3600).slice(0);
    const rows = fillRollingEfficiency(toChartRows([...first, ...second], 1000), 30_000);
    expect(rows[rows.length - 1].efficiency!).toBeCloseTo(200, 6);
  });

  it('restarts after a gap instead of integrating across it', () => {
    const before = drive(30, 60, 15);
    const after = drive(30, 60, 30, 1000, T0 + 120_000, 1010);
    const rows = fillRollingEfficiency(toChartRows([...before, ...after], 1000), 300_000);
    expect(rows.some((r) => r.count === 0)).toBe(true);
    // after the gap only the 30 kW part counts: 500 Wh/mi, not a mix and not the odometer jump
    expect(rows[rows.length - 1].efficiency!).toBeCloseTo(500, 6);
  });
});
