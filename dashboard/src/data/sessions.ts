import type { Drive } from '../api/sessions';
import type { StoredSample } from '../api/types';
import { GAP_MS, LOCATION, position, toPoint, type Point } from './series';

/** The dashboard's pages, as hash routes (`#/vehicle/VIN`, `#/vehicle/VIN/drives`, `…/drives/ID`, …). */
export type Route =
  | { page: 'fleet' }
  | { page: 'live'; vin: string }
  | { page: 'drives'; vin: string }
  | { page: 'drive'; vin: string; id: number }
  | { page: 'charges'; vin: string }
  | { page: 'charge'; vin: string; id: number };

/** Parses a location hash; anything unknown under a vehicle is its live view, anything else the fleet. */
export function parseRoute(hash: string): Route {
  const m = hash.match(/^#\/vehicle\/([^/?#]+)(?:\/(drives|charges)(?:\/(-?\d+))?)?\/?(?:[?#].*)?$/);
  if (!m) {
    const v = hash.match(/^#\/vehicle\/([^/?#]+)/);
    return v ? { page: 'live', vin: safeDecode(v[1]) } : { page: 'fleet' };
  }
  const vin = safeDecode(m[1]);
  if (!m[2]) return { page: 'live', vin };
  if (m[3] === undefined) return { page: m[2] as 'drives' | 'charges', vin };
  const id = Number(m[3]);
  return m[2] === 'drives' ? { page: 'drive', vin, id } : { page: 'charge', vin, id };
}

function safeDecode(s: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
}

export function routeHash(r: Route): string {
  if (r.page === 'fleet') return '';
  const v = `#/vehicle/${encodeURIComponent(r.vin)}`;
  switch (r.page) {
    case 'live':
      return v;
    case 'drives':
    case 'charges':
      return `${v}/${r.page}`;
    case 'drive':
      return `${v}/drives/${r.id}`;
    case 'charge':
      return `${v}/charges/${r.id}`;
  }
}

export const routeVin = (r: Route): string | null => (r.page === 'fleet' ? null : r.vin);

// ---- units and formatting ----

export type DistanceUnit = 'km' | 'mi';
export const UNITS_KEY = 'fleetlog.units';
export const KM_PER_MI = 1.609344;

export function loadUnits(): DistanceUnit {
  try {
    return localStorage.getItem(UNITS_KEY) === 'km' ? 'km' : 'mi';
  } catch {
    return 'mi';
  }
}

export function saveUnits(u: DistanceUnit): void {
  try {
    localStorage.setItem(UNITS_KEY, u);
  } catch {
    // private mode: the choice lasts for this page only
  }
}

const fmt = (v: number | null | undefined, d: number) => (v === null || v === undefined || !Number.isFinite(v) ? '—' : v.toFixed(d));

/** "12.3 km" / "7.6 mi" from miles (the store's unit). */
export function formatDistance(mi: number | null | undefined, u: DistanceUnit): string {
  if (mi === null || mi === undefined || !Number.isFinite(mi)) return '—';
  return `${fmt(u === 'km' ? mi * KM_PER_MI : mi, mi < 10 ? 2 : 1)} ${u}`;
}

/** "54 km/h" / "34 mph" from mph. */
export function formatSpeed(mph: number | null | undefined, u: DistanceUnit): string {
  if (mph === null || mph === undefined || !Number.isFinite(mph)) return '—';
  return u === 'km' ? `${fmt(mph * KM_PER_MI, 0)} km/h` : `${fmt(mph, 0)} mph`;
}

/** Efficiency of a drive in the chosen unit (Wh/km or Wh/mi). */
export function efficiencyOf(d: Pick<Drive, 'whPerKm' | 'whPerMi'>, u: DistanceUnit): number | null {
  const v = u === 'km' ? d.whPerKm : d.whPerMi;
  return v === null || v === undefined || !Number.isFinite(v) ? null : v;
}

/** "1 h 05 min", "8 min 12 s", "42 s". */
export function formatDuration(seconds: number | null | undefined): string {
  if (seconds === null || seconds === undefined || !Number.isFinite(seconds) || seconds < 0) return '—';
  const s = Math.round(seconds);
  if (s < 60) return `${s} s`;
  if (s < 3600) return `${Math.floor(s / 60)} min ${String(s % 60).padStart(2, '0')} s`;
  return `${Math.floor(s / 3600)} h ${String(Math.floor((s % 3600) / 60)).padStart(2, '0')} min`;
}

/** A place as short coordinates ("52.5200, 13.4050"), or — when unknown. */
export function formatPlace(lat: number | null | undefined, lon: number | null | undefined): string {
  if (lat === null || lat === undefined || lon === null || lon === undefined || !Number.isFinite(lat) || !Number.isFinite(lon)) return '—';
  return `${lat.toFixed(4)}, ${lon.toFixed(4)}`;
}

/** A session's date and time of day in the browser's zone: "2026-12-07 19:43". */
export function formatDateTime(ms: number | null | undefined): string {
  if (ms === null || ms === undefined || !Number.isFinite(ms)) return '—';
  const d = new Date(ms);
  const p = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())} ${p(d.getHours())}:${p(d.getMinutes())}`;
}

/** The backfilled share as a label: "" for none (or unknown), "< 1 %" for a trace, else whole percent. */
export function backfillLabel(f: number | null | undefined): string {
  if (f === null || f === undefined || !Number.isFinite(f) || f <= 0) return '';
  return f < 0.01 ? '< 1 % backfilled' : `${Math.round(f * 100)} % backfilled`;
}

export function formatCost(cost: number | null | undefined, currency: string | null | undefined): string {
  if (cost === null || cost === undefined || !Number.isFinite(cost)) return '—';
  return `${cost.toFixed(2)}${currency ? ` ${currency}` : ''}`;
}

// ---- date range ----

/**
 * The value of an `<input type="date">` ("2026-12-07") as the start of that day in the browser's
 * zone (ms), or null when empty or invalid. `endOfDay` gives the start of the next day instead
 * (the range's `to` is exclusive, so a "to" date includes that whole day).
 */
export function dayToMs(value: string, endOfDay = false): number | null {
  const m = value.match(/^(\d{4})-(\d{2})-(\d{2})$/);
  if (!m) return null;
  const [y, mo, day] = [Number(m[1]), Number(m[2]) - 1, Number(m[3])];
  const check = new Date(y, mo, day);
  if (check.getFullYear() !== y || check.getMonth() !== mo || check.getDate() !== day) return null; // 2026-13-45
  return new Date(y, mo, day + (endOfDay ? 1 : 0)).getTime();
}

/** A date-range pair of input values, checked: `from` after `to` is an error message, not a query. */
export function rangeQuery(from: string, to: string): { fromMs: number | null; toMs: number | null; error: string | null } {
  const fromMs = from ? dayToMs(from) : null;
  const toMs = to ? dayToMs(to, true) : null;
  if (from && fromMs === null) return { fromMs: null, toMs: null, error: `"${from}" is not a date` };
  if (to && toMs === null) return { fromMs: null, toMs: null, error: `"${to}" is not a date` };
  if (fromMs !== null && toMs !== null && fromMs >= toMs) return { fromMs: null, toMs: null, error: 'the start is after the end' };
  return { fromMs, toMs, error: null };
}

// ---- efficiency over time ----

export interface EfficiencyPoint {
  t: number;
  /** Wh per km or per mi (the chosen unit) */
  v: number;
  /** the drive's distance in the chosen unit: very short drives are noisy */
  distance: number;
  backfilled: boolean;
  id: number;
}

/** Drives shorter than this (mi) are left out of the efficiency chart: their Wh/km is mostly noise. */
export const MIN_EFFICIENCY_MI = 0.3;

/** One point per drive with a known efficiency and at least MIN_EFFICIENCY_MI, oldest first. */
export function efficiencySeries(drives: readonly Drive[], u: DistanceUnit): EfficiencyPoint[] {
  const out: EfficiencyPoint[] = [];
  for (const d of drives) {
    const v = efficiencyOf(d, u);
    if (v === null || d.distanceMi === null || !(d.distanceMi >= MIN_EFFICIENCY_MI)) continue;
    out.push({ t: d.startMs, v, distance: u === 'km' ? d.distanceMi * KM_PER_MI : d.distanceMi, backfilled: (d.backfillFraction ?? 0) > 0, id: d.id });
  }
  return out.sort((a, b) => a.t - b.t);
}

/** Distance-weighted mean efficiency of the drives (total energy ÷ total distance), or null. */
export function meanEfficiency(drives: readonly Drive[], u: DistanceUnit): number | null {
  let kwh = 0;
  let mi = 0;
  for (const d of drives) {
    if (d.energyKwh === null || d.distanceMi === null || !Number.isFinite(d.energyKwh) || !(d.distanceMi > 0)) continue;
    kwh += d.energyKwh;
    mi += d.distanceMi;
  }
  if (!(mi >= MIN_EFFICIENCY_MI)) return null;
  const perMi = (kwh * 1000) / mi;
  return u === 'km' ? perMi / KM_PER_MI : perMi;
}

// ---- a session's frames ----

/**
 * Frames of a session as chart points; a frame captured inside one of `offline` (the vehicle's
 * link-down spans, [from, to] ms) arrived late, i.e. was backfilled after a dead zone.
 */
export function sessionPoints(rows: readonly StoredSample[], offline: ReadonlyArray<readonly [number, number]> = []): Point[] {
  const spans = [...offline].sort((a, b) => a[0] - b[0]);
  let j = 0;
  const out: Point[] = [];
  for (const r of rows) {
    while (j < spans.length && spans[j][1] < r.t) j++;
    out.push(toPoint(r, j < spans.length && spans[j][0] <= r.t && r.t <= spans[j][1]));
  }
  return out;
}

/** The bucket width for a session's charts: about 400 rows over the session, at least 20 ms. */
export function sessionBucket(fromMs: number, toMs: number, rows = 400): number {
  return Math.max(20, Math.ceil(Math.max(0, toMs - fromMs) / rows));
}

/** A piece of a track on the map: live or backfilled, [lat, lon] pairs. */
export interface TrackPiece {
  latlngs: Array<[number, number]>;
  backfilled: boolean;
}

/**
 * The Location fixes of a session's frames as map polylines: a new piece at every hole in the
 * frames (> GAP_MS without a frame) or unavailable fix, and at every change between live and
 * backfilled (joined to the previous fix, so the line stays whole). At most ~2000 fixes per piece set.
 */
export function trackPieces(points: readonly Point[], maxFixes = 2000): TrackPiece[] {
  const fixes: Array<{ lat: number; lon: number; backfilled: boolean; afterHole: boolean }> = [];
  let prevT = Number.NaN;
  let hole = false;
  for (const p of points) {
    if (!Number.isNaN(prevT) && p.t - prevT > GAP_MS) hole = true;
    prevT = p.t;
    const pos = position(p.values, LOCATION);
    if (pos) {
      fixes.push({ lat: pos.lat, lon: pos.lon, backfilled: p.backfilled, afterHole: hole });
      hole = false;
    } else if (Object.prototype.hasOwnProperty.call(p.values, LOCATION)) hole = true;
  }
  const step = Math.max(1, Math.ceil(fixes.length / maxFixes));
  const pieces: TrackPiece[] = [];
  let cur: TrackPiece | null = null;
  let prev: (typeof fixes)[number] | null = null;
  let holeSince = false;
  fixes.forEach((f, i) => {
    holeSince ||= f.afterHole;
    const change = prev !== null && prev.backfilled !== f.backfilled;
    if (i % step !== 0 && i !== fixes.length - 1 && !holeSince && !change) return;
    if (!cur || holeSince || change) {
      if (cur) pieces.push(cur);
      cur = { latlngs: prev && !holeSince ? [[prev.lat, prev.lon]] : [], backfilled: f.backfilled };
    }
    cur.latlngs.push([f.lat, f.lon]);
    holeSince = false;
    prev = f;
  });
  if (cur) pieces.push(cur);
  return pieces;
}
