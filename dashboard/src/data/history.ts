/**
 * History mode of the vehicle view: the time range (presets, custom, zoom and pan, all clamped) and
 * the rows a /series response becomes (min/max band, mean line, a break wherever buckets are missing).
 * Pure functions; the component holds the state.
 */

/** A time range [from, to) in epoch ms. */
export interface Range {
  from: number;
  to: number;
}

export const HOUR_MS = 3_600_000;
export const DAY_MS = 24 * HOUR_MS;

export const PRESETS = [
  { id: 'hour', label: 'Hour', ms: HOUR_MS },
  { id: 'day', label: 'Day', ms: DAY_MS },
  { id: 'week', label: 'Week', ms: 7 * DAY_MS },
] as const;

/** The narrowest range zoom goes to (the server's raw path serves it at full resolution). */
export const MIN_SPAN_MS = 10_000;
/** The widest range (the 1 min rollups serve a year in 2,000 points with 263 min buckets). */
export const MAX_SPAN_MS = 366 * DAY_MS;

/** Points asked per signal: about one per horizontal pixel of a chart. */
export const POINTS = 1000;

/** The range of a preset ending at `now`. */
export function presetRange(ms: number, now: number): Range {
  return clampRange({ from: now - ms, to: now }, now);
}

/**
 * A range kept within [MIN_SPAN_MS, MAX_SPAN_MS] and not past `now` (a range ending in the future is
 * shifted back; one narrower than the minimum is widened around its middle).
 */
export function clampRange(r: Range, now: number): Range {
  let from = Math.round(r.from);
  let to = Math.round(r.to);
  const span = Math.min(MAX_SPAN_MS, Math.max(MIN_SPAN_MS, to - from));
  if (to - from !== span) {
    const mid = (from + to) / 2;
    from = Math.round(mid - span / 2);
    to = from + span;
  }
  if (to > now) {
    from -= to - now;
    to = now;
  }
  return { from, to };
}

/**
 * Zoom by `factor` (< 1 in, > 1 out) keeping the instant `at` (default the middle) at the same place
 * on the axis.
 */
export function zoom(r: Range, factor: number, now: number, at = (r.from + r.to) / 2): Range {
  const f = (at - r.from) / (r.to - r.from);
  const span = (r.to - r.from) * factor;
  return clampRange({ from: at - f * span, to: at + (1 - f) * span }, now);
}

/** Shift by `fraction` of the span (negative: back in time). */
export function pan(r: Range, fraction: number, now: number): Range {
  const d = (r.to - r.from) * fraction;
  return clampRange({ from: r.from + d, to: r.to + d }, now);
}

/** A range selected by dragging on a chart (either direction), or null when it is too narrow to mean one. */
export function selection(a: number, b: number, now: number): Range | null {
  if (Math.abs(b - a) < 1000) return null;
  return clampRange({ from: Math.min(a, b), to: Math.max(a, b) }, now);
}

/**
 * The custom range of two `datetime-local` inputs (local time), or an error naming the field.
 */
export function parseCustom(fromText: string, toText: string, now: number): Range | { error: string } {
  const from = Date.parse(fromText);
  const to = Date.parse(toText);
  if (!fromText || Number.isNaN(from)) return { error: `from: '${fromText}' is not a date and time` };
  if (!toText || Number.isNaN(to)) return { error: `to: '${toText}' is not a date and time` };
  if (from >= to) return { error: 'from must be before to' };
  if (to - from > MAX_SPAN_MS) return { error: 'the range may span at most 366 days' };
  return clampRange({ from, to }, now);
}

/** One signal of a /series response. */
export interface SeriesSignal {
  signal: string;
  type: string;
  unit?: string;
  source: 'raw' | '10s' | '1m';
  bucketMs: number;
  /** [t, min, max, mean, last, count] */
  points: Array<[number, number, number, number, number, number]>;
}

/** A chart row: bucket start, the [min, max] band and the mean; all null on a break row. */
export interface HistoryRow {
  t: number;
  band: [number, number] | null;
  mean: number | null;
}

/**
 * The rows of one signal: a break (null row) wherever a bucket or more is missing between two points,
 * so the line and the band show the hole instead of bridging it; and those holes as [from, to] spans.
 */
export function historyRows(s: SeriesSignal): { rows: HistoryRow[]; holes: Array<[number, number]> } {
  const rows: HistoryRow[] = [];
  const holes: Array<[number, number]> = [];
  let prev: number | null = null;
  for (const [t, min, max, mean] of s.points) {
    if (prev !== null && t - prev > 1.5 * s.bucketMs) {
      const end = prev + s.bucketMs;
      rows.push({ t: end, band: null, mean: null });
      holes.push([end, t]);
    }
    rows.push({ t, band: [min, max], mean });
    prev = t;
  }
  return { rows, holes };
}

/** A human label of a response's resolution: "raw, 1.2 s buckets", "10 s rollups, 50 s buckets". */
export function resolutionLabel(s: Pick<SeriesSignal, 'source' | 'bucketMs'>): string {
  const src = s.source === 'raw' ? 'raw frames' : s.source === '10s' ? '10 s rollups' : '1 min rollups';
  const b = s.bucketMs;
  const width = b < 60_000 ? `${+(b / 1000).toFixed(1)} s` : b < HOUR_MS ? `${+(b / 60_000).toFixed(1)} min` : `${+(b / HOUR_MS).toFixed(1)} h`;
  return `${src}, ${width} buckets`;
}
