import { describe, expect, it } from 'vitest';
import { backfilledSpans, bucketFor, findGaps, GAP_MS, mergeSamples, num, position, timeTicks, toChartRows, toPoint, trimBefore, type Point } from './series';

const T0 = 1_764_180_000_000;

function pt(seq: number, t: number, values: Record<string, number | null> = {}, extra: Partial<Point> = {}): Point {
  return { seq, t, values: { VehicleSpeed: seq, Power: 10, Soc: 80, Odometer: 1000 + seq * 0.001, Location: { lat: 37, lon: -122 }, ...values }, backfilled: false, ...extra };
}

/** Samples every 20 ms (50 Hz) for seqs [from, to]. */
function run(from: number, to: number): Point[] {
  const out: Point[] = [];
  for (let s = from; s <= to; s++) out.push(pt(s, T0 + s * 20));
  return out;
}

describe('mergeSamples', () => {
  it('appends live samples in order on the fast path', () => {
    const merged = mergeSamples(run(0, 9), run(10, 12));
    expect(merged.map((p) => p.seq)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12]);
    expect(merged.some((p) => p.backfilled)).toBe(false);
  });

  it('fills a dead-zone gap at the true capture times and marks the filled samples backfilled', () => {
    // held: before the dead zone (seq 0..49) and live data after it (seq 300..349)
    const held = [...run(0, 49), ...run(300, 349)];
    expect(findGaps(held)).toHaveLength(1);
    // the drained backlog arrives out of order relative to what is held
    const backlog = run(50, 299).reverse();
    const merged = mergeSamples(held, backlog);
    expect(merged.map((p) => p.seq)).toEqual(run(0, 349).map((p) => p.seq));
    for (let i = 1; i < merged.length; i++) expect(merged[i].t).toBeGreaterThan(merged[i - 1].t);
    expect(findGaps(merged)).toEqual([]);
    expect(merged.filter((p) => p.backfilled).map((p) => p.seq)).toEqual(run(50, 299).map((p) => p.seq));
  });

  it('dedupes by seq: a refetch of held samples changes nothing', () => {
    const held = run(0, 99);
    const merged = mergeSamples(held, run(40, 60));
    expect(merged).toBe(held);
    const twice = mergeSamples(mergeSamples(run(0, 10), run(5, 20)), run(0, 20));
    expect(twice.map((p) => p.seq)).toEqual(run(0, 20).map((p) => p.seq));
  });

  it('dedupes duplicates inside one incoming batch and keeps the held copy', () => {
    const held = [pt(1, T0 + 20, { VehicleSpeed: 11 })];
    const merged = mergeSamples(held, [pt(1, T0 + 20, { VehicleSpeed: 99 }), pt(2, T0 + 40), pt(2, T0 + 40)]);
    expect(merged.map((p) => [p.seq, p.values.VehicleSpeed])).toEqual([
      [1, 11],
      [2, 2],
    ]);
  });

  it('replaces the merged values of a live point by its stored frame, keeping the backfill flag', () => {
    const live: Point = { seq: 5, t: T0 + 100, values: { VehicleSpeed: 30, Gear: 'D', Soc: 80 }, backfilled: true, merged: true };
    const held = [pt(4, T0 + 80), live];
    const stored: Point = { seq: 5, t: T0 + 100, values: { VehicleSpeed: 30 }, backfilled: false };
    const merged = mergeSamples(held, [stored]);
    expect(merged).not.toBe(held);
    expect(merged[1]).toEqual({ seq: 5, t: T0 + 100, values: { VehicleSpeed: 30 }, backfilled: true });
    expect(held[1]).toBe(live); // the input is not modified
    // a second live copy of the same seq changes nothing; the stored frame stays
    expect(mergeSamples(merged, [{ ...live, backfilled: false }])).toBe(merged);
  });

  it('marks every incoming sample backfilled while the vehicle drains', () => {
    const merged = mergeSamples(run(0, 4), run(5, 9), true);
    expect(merged.filter((p) => p.backfilled).map((p) => p.seq)).toEqual([5, 6, 7, 8, 9]);
  });

  it('does not mark samples backfilled that extend the window at its old edge without a gap', () => {
    const merged = mergeSamples(run(10, 20), run(0, 9));
    expect(merged[0].seq).toBe(0);
    expect(merged.some((p) => p.backfilled)).toBe(false);
  });
});

describe('toChartRows', () => {
  it('inserts a null row where neighbouring samples are more than a second apart', () => {
    const pts = [...run(0, 49), ...run(200, 249)]; // 3 s hole
    const rows = toChartRows(pts, 100);
    const nulls = rows.filter((r) => r.count === 0);
    expect(nulls).toHaveLength(1);
    expect(nulls[0].power).toBeNull();
    expect(nulls[0].distance).toBeNull();
    expect(nulls[0].t).toBeGreaterThan(T0 + 49 * 20);
    expect(nulls[0].t).toBeLessThan(T0 + 200 * 20);
  });

  it('draws no gap where samples are dense, and buckets them', () => {
    const rows = toChartRows(run(0, 499), 200); // 10 s at 50 Hz, 200 ms buckets
    expect(rows.every((r) => r.count > 0)).toBe(true);
    expect(rows.length).toBeGreaterThanOrEqual(50);
    expect(rows.length).toBeLessThanOrEqual(51);
  });

  it('computes distance traveled from the first odometer in the window', () => {
    const rows = toChartRows(run(0, 99), 20);
    expect(rows[0].distance).toBeCloseTo(0, 9);
    expect(rows[rows.length - 1].distance).toBeCloseTo(0.099, 6);
  });

  it('averages power within a bucket', () => {
    const pts = [pt(0, T0, { Power: 10 }), pt(1, T0 + 20, { Power: 30 })];
    const [row] = toChartRows(pts, 1000);
    expect(row.power).toBe(20);
    expect(row.count).toBe(2);
  });

  it('carries power and odometer of sparse frames into buckets without a capture, not across a gap', () => {
    const sparse = (seq: number, t: number, values: Record<string, number>): Point => ({ seq, t, values, backfilled: false });
    const pts = [
      sparse(0, T0, { Power: 10, Odometer: 100 }),
      sparse(1, T0 + 500, { VehicleSpeed: 30 }), // no power, no odometer in this bucket
      sparse(2, T0 + 900, { Odometer: 100.01 }),
      sparse(3, T0 + 5000, { VehicleSpeed: 31 }), // after a 4.1 s hole
    ];
    const rows = toChartRows(pts, 200);
    expect(rows.map((r) => [r.count, r.power])).toEqual([
      [1, 10],
      [1, 10],
      [1, 10],
      [0, null],
      [1, null],
    ]);
    expect(rows[1].distance).toBe(0);
    expect(rows[2].distance).toBeCloseTo(0.01, 9);
    expect(rows[4].distance).toBeNull(); // the odometer is not known again after the hole
  });

  it('carries backfill into rows and spans', () => {
    const pts = mergeSamples([...run(0, 49), ...run(300, 349)], run(50, 299));
    const rows = toChartRows(pts, 100);
    const spans = backfilledSpans(rows);
    expect(spans).toHaveLength(1);
    expect(spans[0][0]).toBeGreaterThanOrEqual(T0 + 50 * 20);
    expect(spans[0][1]).toBeLessThanOrEqual(T0 + 300 * 20);
    expect(rows.filter((r) => r.backfilled).length).toBeGreaterThan(0);
  });
});

describe('window helpers', () => {
  it('trims points before the window start', () => {
    expect(trimBefore(run(0, 9), T0 + 100).map((p) => p.seq)).toEqual([5, 6, 7, 8, 9]);
    const all = run(0, 3);
    expect(trimBefore(all, 0)).toBe(all);
  });

  it('keeps a 5 minute window at about 300 rows', () => {
    expect(bucketFor(300_000)).toBe(1000);
    expect(bucketFor(120_000)).toBe(400);
    expect(bucketFor(1_000)).toBe(20);
  });

  it('finds gaps only above GAP_MS', () => {
    expect(findGaps([pt(0, T0), pt(1, T0 + GAP_MS)])).toEqual([]);
    expect(findGaps([pt(0, T0), pt(1, T0 + GAP_MS + 1)])).toEqual([[T0, T0 + GAP_MS + 1]]);
  });

  it('converts stored frames, keeping captured, unavailable and absent signals apart', () => {
    const p = toPoint({ seq: 3, t: T0, values: { VehicleSpeed: 12.5, Power: null, Location: { lat: 1, lon: 2 } } });
    expect(p).toEqual({ seq: 3, t: T0, values: { VehicleSpeed: 12.5, Power: null, Location: { lat: 1, lon: 2 } }, backfilled: false });
    expect(num(p.values, 'VehicleSpeed')).toBe(12.5);
    expect(num(p.values, 'Power')).toBeNull();
    expect(num(p.values, 'Odometer')).toBeNull();
    expect(position(p.values, 'Location')).toEqual({ lat: 1, lon: 2 });
    expect(position(p.values, 'Power')).toBeNull();
    expect(toPoint({ seq: 4, t: T0, values: null }).values).toEqual({}); // a malformed row: nothing captured
  });
});

describe('timeTicks', () => {
  it('picks round steps with at most five ticks inside the domain', () => {
    const from = Date.UTC(2026, 0, 1, 12, 0, 7);
    expect(timeTicks(from, from + 120_000)).toEqual([30, 60, 90, 120].map((s) => Date.UTC(2026, 0, 1, 12, 0, 0) + s * 1000));
    const five = timeTicks(from, from + 15 * 60_000);
    expect(five.length).toBeLessThanOrEqual(5);
    expect(five.every((t) => t % 300_000 === 0 && t >= from && t <= from + 15 * 60_000)).toBe(true);
    expect(timeTicks(5, 5)).toEqual([]);
  });
});
