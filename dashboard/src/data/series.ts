import type { LatLon, Values } from '../api/types';

/** Signals the derived views read: distance and efficiency (Odometer, Power), the route (Location). */
export const SPEED = 'VehicleSpeed';
export const POWER = 'Power';
export const ODOMETER = 'Odometer';
export const LOCATION = 'Location';

/**
 * A frame held in a chart window: the signals it captured (`values`, sparse: a signal that was not
 * captured has no key, an unavailable one is null). `backfilled` marks frames that reached the
 * dashboard late: they arrived while the vehicle was draining its backlog, or they filled a hole
 * between two frames already held. `merged` marks a point made from a live `sample` message, whose
 * values are the vehicle's merged newest values rather than one frame's: the stored frame of the same
 * seq replaces its values when it is fetched.
 */
export interface Point {
  seq: number;
  t: number;
  values: Values;
  backfilled: boolean;
  merged?: boolean;
}

/** A time delta between neighbouring frames above this is a gap (no data), drawn as a break. */
export const GAP_MS = 1000;

export function toPoint(s: { seq: number; t: number; values?: Values | null }, backfilled = false, merged = false): Point {
  const values = s.values && typeof s.values === 'object' ? s.values : {};
  return merged ? { seq: s.seq, t: s.t, values, backfilled, merged } : { seq: s.seq, t: s.t, values, backfilled };
}

/** The number a frame holds for `name`: null when not captured, unavailable or not a finite number. */
export function num(values: Values, name: string): number | null {
  const v = values[name];
  return typeof v === 'number' && Number.isFinite(v) ? v : null;
}

/** The position a frame holds for `name` (a location signal), or null. */
export function position(values: Values, name: string): LatLon | null {
  const v = values[name];
  if (v === null || typeof v !== 'object') return null;
  return Number.isFinite(v.lat) && Number.isFinite(v.lon) ? v : null;
}

/**
 * Merges `incoming` into `held` (both in any order) and returns a new array sorted by capture
 * time (then seq) with one entry per seq. On a duplicate seq the held entry wins, so a sample
 * never flips to "backfilled" when it is fetched a second time — except that a stored frame
 * replaces the values of a held `merged` (live) point, keeping its backfilled flag. An incoming
 * sample that lands strictly inside a gap (> GAP_MS) of the held data is marked backfilled, as is
 * every incoming sample when `arrivingLate`; incoming samples already marked backfilled stay so.
 */
export function mergeSamples(held: Point[], incoming: Point[], arrivingLate = false): Point[] {
  if (incoming.length === 0) return held;
  const last0 = held[held.length - 1];
  // live samples are newer than everything held: only they need deduplicating (no map of the window)
  const allNewer = last0 !== undefined && incoming.every((p) => p.t > last0.t && p.seq > last0.seq);
  const index = new Map<number, number>();
  if (!allNewer) held.forEach((p, i) => index.set(p.seq, i));
  const fresh: Point[] = [];
  const seen = new Set<number>();
  let replaced: Point[] | null = null;
  for (const p of incoming) {
    if (seen.has(p.seq)) continue;
    seen.add(p.seq);
    const i = index.get(p.seq);
    if (i !== undefined) {
      const h = (replaced ?? held)[i];
      if (h.merged && !p.merged) {
        replaced ??= held.slice();
        replaced[i] = { seq: h.seq, t: h.t, values: p.values, backfilled: h.backfilled };
      }
      continue;
    }
    fresh.push(p);
  }
  if (replaced) held = replaced;
  if (fresh.length === 0) return held;
  fresh.sort(byTime);
  const last = held[held.length - 1];
  // Fast path: live samples arrive after everything held.
  if (!last || (fresh[0].t > last.t && fresh[0].seq > last.seq)) {
    const tail = arrivingLate ? fresh.map((p) => ({ ...p, backfilled: true })) : fresh;
    return held.concat(tail);
  }
  const out: Point[] = new Array(held.length + fresh.length);
  let i = 0;
  let j = 0;
  let k = 0;
  while (i < held.length || j < fresh.length) {
    if (j >= fresh.length || (i < held.length && byTime(held[i], fresh[j]) <= 0)) {
      out[k++] = held[i++];
    } else {
      const p = fresh[j++];
      const before = i > 0 ? held[i - 1] : undefined;
      const after = i < held.length ? held[i] : undefined;
      const fillsGap = before !== undefined && after !== undefined && after.t - before.t > GAP_MS;
      out[k++] = arrivingLate || fillsGap ? { ...p, backfilled: true } : p;
    }
  }
  return out;
}

function byTime(a: Point, b: Point): number {
  return a.t - b.t || a.seq - b.seq;
}

/** Drops points before `fromMs`; the array stays sorted. */
export function trimBefore(points: Point[], fromMs: number): Point[] {
  let lo = 0;
  let hi = points.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (points[mid].t < fromMs) lo = mid + 1;
    else hi = mid;
  }
  return lo === 0 ? points : points.slice(lo);
}

/** A row of the derived charts (distance, efficiency): one time bucket, or a `count` 0 row that
 * breaks the line at a gap. */
export type ChartRow = {
  t: number;
  /** drive power (kW), averaged over the bucket's frames that captured it (else the last known) */
  power: number | null;
  /** miles since the first odometer in the window */
  distance: number | null;
  efficiency: number | null;
  backfilled: boolean;
  count: number;
};

/**
 * Turns sorted frames into derived chart rows: at most one row per `bucketMs` (the last frame of
 * the bucket, power averaged), distance from the first Odometer in the window, and a gap row
 * inserted wherever neighbouring frames are more than max(GAP_MS, 2.5 buckets) apart so the line
 * shows the gap instead of bridging it. Frames are sparse: a bucket without a Power or Odometer
 * capture carries the last value seen since the last gap (a value holds until the next capture).
 */
export function toChartRows(points: Point[], bucketMs: number): ChartRow[] {
  const rows: ChartRow[] = [];
  const gapMs = Math.max(GAP_MS, bucketMs * 2.5);
  let odo0: number | null = null;
  let cur: ChartRow | null = null;
  let powerSum = 0;
  let powerN = 0;
  let lastPower: number | null = null;
  let lastOdo: number | null = null;
  let curBucket = Number.NaN;
  let prevSampleT = Number.NaN;
  const flush = () => {
    if (cur) {
      cur.power = powerN > 0 ? powerSum / powerN : lastPower;
      if (powerN > 0) lastPower = cur.power;
      cur.distance = lastOdo !== null && odo0 !== null ? lastOdo - odo0 : null;
      rows.push(cur);
    }
  };
  for (const p of points) {
    const bucket = Math.floor(p.t / bucketMs);
    const gap = !Number.isNaN(prevSampleT) && p.t - prevSampleT > gapMs;
    prevSampleT = p.t;
    if (bucket !== curBucket || gap) {
      flush();
      if (gap && cur) {
        rows.push(emptyRow((cur.t + p.t) / 2));
        lastPower = null;
        lastOdo = null;
      }
      cur = emptyRow(p.t);
      powerSum = 0;
      powerN = 0;
      curBucket = bucket;
    }
    const row = cur!;
    row.t = p.t;
    row.count++;
    const odo = num(p.values, ODOMETER);
    if (odo !== null) {
      if (odo0 === null) odo0 = odo;
      lastOdo = odo;
    }
    const power = num(p.values, POWER);
    if (power !== null) {
      powerSum += power;
      powerN++;
    }
    if (p.backfilled) row.backfilled = true;
  }
  flush();
  return rows;
}

function emptyRow(t: number): ChartRow {
  return { t, power: null, distance: null, efficiency: null, backfilled: false, count: 0 };
}

/** Gaps (> max(GAP_MS, 2.5 buckets)) between consecutive points, as [fromMs, toMs] pairs. */
export function findGaps(points: Point[], minGapMs = GAP_MS): Array<[number, number]> {
  const gaps: Array<[number, number]> = [];
  for (let i = 1; i < points.length; i++) {
    if (points[i].t - points[i - 1].t > minGapMs) gaps.push([points[i - 1].t, points[i].t]);
  }
  return gaps;
}

/** Contiguous spans of backfilled rows (for highlighting), as [fromMs, toMs] pairs. */
export function backfilledSpans(rows: ReadonlyArray<{ t: number; count: number; backfilled: boolean }>): Array<[number, number]> {
  const spans: Array<[number, number]> = [];
  let start: number | null = null;
  let end = 0;
  for (const r of rows) {
    if (r.count > 0 && r.backfilled) {
      if (start === null) start = r.t;
      end = r.t;
    } else if (r.count > 0 && start !== null) {
      spans.push([start, end]);
      start = null;
    }
  }
  if (start !== null) spans.push([start, end]);
  return spans;
}

/** A bucket width that keeps a window of `windowMs` at about `maxRows` rows (never below 20 ms):
 * about one row per pixel of a chart, which keeps Recharts cheap enough to redraw twice a second. */
export function bucketFor(windowMs: number, maxRows = 300): number {
  return Math.max(20, Math.ceil(windowMs / maxRows));
}

const TICK_STEPS_MS = [1, 2, 5, 10, 15, 30, 60, 120, 300, 600, 900, 1800, 3600].map((s) => s * 1000);

/**
 * Time-axis ticks for `[from, to]`: multiples of the smallest "round" step (1 s … 1 h) that gives
 * at most `maxTicks` ticks. Given explicitly, Recharts does not generate and measure candidate
 * ticks itself, which was most of the cost of redrawing a chart.
 */
export function timeTicks(from: number, to: number, maxTicks = 5): number[] {
  if (!(to > from)) return [];
  const span = to - from;
  const step = TICK_STEPS_MS.find((s) => span / s <= maxTicks) ?? Math.ceil(span / maxTicks / 3_600_000) * 3_600_000;
  const ticks: number[] = [];
  for (let t = Math.ceil(from / step) * step; t <= to; t += step) ticks.push(t);
  return ticks;
}
