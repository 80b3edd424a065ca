import { describe, expect, it } from 'vitest';
import { clampRange, DAY_MS, historyRows, HOUR_MS, MAX_SPAN_MS, MIN_SPAN_MS, pan, parseCustom, presetRange, resolutionLabel, selection, zoom } from './history';

const NOW = Date.UTC(2026, 11, 7, 12, 0, 0);

describe('history range', () => {
  it('presets end now and span their length', () => {
    expect(presetRange(HOUR_MS, NOW)).toEqual({ from: NOW - HOUR_MS, to: NOW });
    expect(presetRange(7 * DAY_MS, NOW)).toEqual({ from: NOW - 7 * DAY_MS, to: NOW });
  });

  it('zooming in keeps the chosen instant in place and halves the span', () => {
    const r = { from: NOW - HOUR_MS, to: NOW };
    const at = NOW - HOUR_MS / 4; // three quarters along
    const z = zoom(r, 0.5, NOW, at);
    expect(z.to - z.from).toBe(HOUR_MS / 2);
    expect((at - z.from) / (z.to - z.from)).toBeCloseTo(0.75, 9);
  });

  it('zoom stops at the narrowest and widest spans', () => {
    let r = { from: NOW - HOUR_MS, to: NOW };
    for (let i = 0; i < 30; i++) r = zoom(r, 0.5, NOW);
    expect(r.to - r.from).toBe(MIN_SPAN_MS);
    for (let i = 0; i < 40; i++) r = zoom(r, 2, NOW);
    expect(r.to - r.from).toBe(MAX_SPAN_MS);
    expect(r.to).toBeLessThanOrEqual(NOW);
  });

  it('zooming out at the present never reaches into the future', () => {
    const z = zoom({ from: NOW - HOUR_MS, to: NOW }, 4, NOW);
    expect(z).toEqual({ from: NOW - 4 * HOUR_MS, to: NOW });
  });

  it('pans back by a fraction and forward only up to now', () => {
    const r = { from: NOW - HOUR_MS, to: NOW };
    expect(pan(r, -0.5, NOW)).toEqual({ from: NOW - 1.5 * HOUR_MS, to: NOW - HOUR_MS / 2 });
    expect(pan(r, 0.5, NOW)).toEqual(r);
  });

  it('a drag selection becomes the range, in either direction; a click is not one', () => {
    expect(selection(NOW - 5000, NOW - 65_000, NOW)).toEqual({ from: NOW - 65_000, to: NOW - 5000 });
    expect(selection(NOW - 5000, NOW - 5400, NOW)).toBeNull();
  });

  it('widens a too narrow range around its middle, then shifts it back from the future', () => {
    expect(clampRange({ from: NOW - 60_000, to: NOW - 58_000 }, NOW)).toEqual({ from: NOW - 64_000, to: NOW - 54_000 });
    expect(clampRange({ from: NOW - 4000, to: NOW - 2000 }, NOW)).toEqual({ from: NOW - 10_000, to: NOW });
  });

  it('custom ranges are checked with errors naming the field', () => {
    expect(parseCustom('2026-12-01T10:00', '2026-12-01T11:00', NOW)).toEqual({ from: Date.parse('2026-12-01T10:00'), to: Date.parse('2026-12-01T11:00') });
    expect(parseCustom('yesterday', '2026-12-01T11:00', NOW)).toEqual({ error: "from: 'yesterday' is not a date and time" });
    expect(parseCustom('2026-12-01T10:00', '', NOW)).toEqual({ error: "to: '' is not a date and time" });
    expect(parseCustom('2026-12-01T11:00', '2026-12-01T10:00', NOW)).toEqual({ error: 'from must be before to' });
    expect(parseCustom('2024-01-01T00:00', '2026-01-01T00:00', NOW)).toEqual({ error: 'the range may span at most 366 days' });
  });
});

describe('history rows', () => {
  it('break the line and band where buckets are missing and report the hole', () => {
    const { rows, holes } = historyRows({
      signal: 'VehicleSpeed',
      type: 'float',
      source: '10s',
      bucketMs: 10_000,
      points: [
        [0, 1, 5, 3, 4, 500],
        [10_000, 2, 90, 6, 5, 500],
        [60_000, 0, 1, 0.5, 1, 500],
      ],
    });
    expect(rows).toEqual([
      { t: 0, band: [1, 5], mean: 3 },
      { t: 10_000, band: [2, 90], mean: 6 },
      { t: 20_000, band: null, mean: null },
      { t: 60_000, band: [0, 1], mean: 0.5 },
    ]);
    expect(holes).toEqual([[20_000, 60_000]]);
  });

  it('labels the resolution', () => {
    expect(resolutionLabel({ source: 'raw', bucketMs: 1200 })).toBe('raw frames, 1.2 s buckets');
    expect(resolutionLabel({ source: '1m', bucketMs: 600_000 })).toBe('1 min rollups, 10 min buckets');
  });
});
