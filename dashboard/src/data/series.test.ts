import { describe, expect, it } from 'vitest';
import { backfilledSpans, bucketFor, findGaps, GAP_MS, mergeSamples, timeTicks, toChartRows, toPoint, trimBefore, type Point } from './series';

const T0 = 1_764_180_000_000;

function pt(seq: number, t: number, extra: Partial<Point> = {}): Point {
  return { seq, t, speed: seq, power: 10, soc: 80, odometer: 1000 + seq * 0.001, latitude: 37, longitude: -122, backfilled: false, ...extra };
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
    const held = [pt(1, T0 + 20, { speed: 11 })];
    const merged = mergeSamples(held, [pt(1, T0 + 20, { speed: 99 }), pt(2, T0 + 40), pt(2, T0 + 40)]);
    expect(merged.map((p) => [p.seq, p.speed])).toEqual([
      [1, 11],
      [2, 2],
    ]);
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
    expect(nulls[0].speed).toBeNull();
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

  it('averages power within a bucket and keeps the last speed', () => {
    const pts = [pt(0, T0, { power: 10, speed: 1 }), pt(1, T0 + 20, { power: 30, speed: 2 })];
    const [row] = toChartRows(pts, 1000);
    expect(row.power).toBe(20);
    expect(row.speed).toBe(2);
  });

  it('carries backfill into rows and spans', () => {
    const pts = mergeSamples([...run(0, 49), ...run(300, 349)], run(50, 299));
    const rows = toChartRows(pts, 100);
    const spans = backfilledSpans(rows);
    expect(spans).toHaveLength(1);
    expect(spans[0][0]).toBeGreaterThanOrEqual(T0 + 50 * 20);
    expect(spans[0][1]).toBeLessThanOrEqual(T0 + 300 * 20);
    expect(rows.filter((r) => r.backfilledSpeed !== null).length).toBeGreaterThan(0);
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

  it('converts stored samples, turning missing values into null', () => {
    const p = toPoint({ seq: 3, t: T0, speed: 12.5, power: null });
    expect(p).toMatchObject({ seq: 3, t: T0, speed: 12.5, power: null, odometer: null, backfilled: false });
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
