import type { CatalogueInfo, SignalInfo, SignalValue, Values } from '../api/types';
import { GAP_MS, type Point } from './series';

/** Numeric signals are drawn as line charts; enum, boolean (and string) ones as state bands. */
export function isNumeric(s: SignalInfo | undefined): boolean {
  return s?.type === 'float' || s?.type === 'integer';
}

export function isState(s: SignalInfo | undefined): boolean {
  return s?.type === 'enum' || s?.type === 'boolean' || s?.type === 'string';
}

/** What the vehicle view can chart: numbers as lines, states as bands (a location is the route). */
export function isChartable(s: SignalInfo | undefined): boolean {
  return isNumeric(s) || isState(s);
}

/** A catalogue indexed by name and alias, ignoring case (as the server looks names up). */
export class SignalIndex {
  private readonly byKey = new Map<string, SignalInfo>();
  readonly signals: readonly SignalInfo[];

  constructor(cat: CatalogueInfo | SignalInfo[] | null | undefined) {
    this.signals = (Array.isArray(cat) ? cat : (cat?.signals ?? [])).filter((s) => s && typeof s.name === 'string');
    for (const s of this.signals) {
      this.byKey.set(s.name.toLowerCase(), s);
      for (const a of s.aliases ?? []) if (!this.byKey.has(a.toLowerCase())) this.byKey.set(a.toLowerCase(), s);
    }
  }

  get(nameOrAlias: string): SignalInfo | undefined {
    return this.byKey.get(nameOrAlias.toLowerCase());
  }

  /** The canonical names of `names` that this catalogue has, in order, without repeats. */
  known(names: readonly string[]): string[] {
    const out: string[] = [];
    for (const n of names) {
      const s = this.get(n);
      if (s && !out.includes(s.name)) out.push(s.name);
    }
    return out;
  }
}

// ---- formatting

/** Decimals to show a float: what its magnitude needs (0 from 100, 1 from 10, else 2), never finer
 * than its resolution. */
export function decimalsFor(s: SignalInfo | undefined, v: number): number {
  if (s?.type === 'integer') return 0;
  const abs = Math.abs(v);
  const byMagnitude = abs >= 100 ? 0 : abs >= 10 ? 1 : 2;
  const res = s?.resolution;
  const byResolution = typeof res === 'number' && res > 0 ? Math.max(0, Math.ceil(-Math.log10(res) - 1e-9)) : 2;
  return Math.min(byMagnitude, byResolution);
}

/** A value as text: enum by name, booleans yes/no, locations as "lat, lon", unavailable "n/a",
 * not captured "—". The unit is not included (see `unitOf`). */
export function formatValue(s: SignalInfo | undefined, v: SignalValue | undefined, decimals?: number): string {
  if (v === undefined) return '—';
  if (v === null) return 'n/a';
  if (typeof v === 'boolean') return v ? 'yes' : 'no';
  if (typeof v === 'number') {
    if (!Number.isFinite(v)) return '—';
    if (s?.type === 'boolean') return v !== 0 ? 'yes' : 'no';
    if (s?.type === 'enum') return s.values?.find((e) => e.code === v)?.name ?? String(v);
    return v.toFixed(decimals ?? decimalsFor(s, v));
  }
  if (typeof v === 'string') return v;
  if (typeof v === 'object' && Number.isFinite(v.lat) && Number.isFinite(v.lon)) return `${v.lat.toFixed(5)}, ${v.lon.toFixed(5)}`;
  return '—';
}

/** The unit shown beside a value (numbers only). */
export function unitOf(s: SignalInfo | undefined): string {
  return isNumeric(s) && s?.unit ? s.unit : '';
}

/** A short human label: `DoorState.DriverFront` → "Door state driver front", `Soc` → "SoC". */
export function labelOf(name: string): string {
  const special: Record<string, string> = { Soc: 'SoC', VehicleSpeed: 'Speed', GpsHeading: 'Heading', DetailedChargeState: 'Charge state' };
  if (special[name]) return special[name];
  return name;
}

// ---- state bands

/** A span of time in which a state signal held one value. */
export interface StateSegment {
  from: number;
  to: number;
  value: string | number | boolean;
}

/**
 * Segments a state signal over sorted sparse frames: a captured value holds from its capture
 * time until the next capture of the signal (a change or not — equal neighbours join into one
 * segment), and at most until the last frame held. "Unavailable" (null) is a gap until the next
 * capture. A hole in the frames (neighbours more than `gapMs` apart: no data at all, e.g. a
 * dead zone not yet drained) ends the segment at the last frame before it: nothing is known in
 * it, and after it the band resumes only with the next capture of the signal.
 */
export function stateSegments(points: readonly Point[], name: string, gapMs = GAP_MS): StateSegment[] {
  const out: StateSegment[] = [];
  let cur: StateSegment | null = null;
  let prevT = Number.NaN;
  for (const p of points) {
    if (cur !== null && p.t - prevT > gapMs) {
      out.push(cur); // a hole: the value is not known in it
      cur = null;
    }
    prevT = p.t;
    if (!Object.prototype.hasOwnProperty.call(p.values, name)) {
      if (cur !== null) cur.to = p.t; // not captured: the value holds
      continue;
    }
    const v = p.values[name];
    if (cur !== null) {
      cur.to = p.t;
      if (v === cur.value) continue;
      out.push(cur);
      cur = null;
    }
    // unavailable (or a value this view cannot band): a gap until the next capture
    if (v !== null && typeof v !== 'object') cur = { from: p.t, to: p.t, value: v };
  }
  if (cur !== null) out.push(cur);
  return out;
}

// ---- numeric series

/** A row of one numeric signal's chart: `v` null breaks the line (a gap or unavailable). */
export type SeriesRow = {
  t: number;
  v: number | null;
  /** `v` again on backfilled rows, drawn highlighted */
  bv: number | null;
  backfilled: boolean;
  count: number;
};

/**
 * The rows of one numeric signal from sorted sparse frames: only frames that captured it count
 * (its own rate: 1 Hz SoC among 50 Hz frames is one line, not dots); at most one row per `bucketMs`
 * (the last value of the bucket); a null row where the value is unavailable and wherever the frames
 * have a hole (neighbours more than max(GAP_MS, 2.5 buckets) apart) — the line breaks there.
 */
export function signalRows(points: readonly Point[], name: string, bucketMs: number): SeriesRow[] {
  const rows: SeriesRow[] = [];
  const gapMs = Math.max(GAP_MS, bucketMs * 2.5);
  let cur: SeriesRow | null = null;
  let curBucket = Number.NaN;
  let prevT = Number.NaN;
  const gapRow = (t: number) => {
    if (cur) rows.push(cur);
    cur = null;
    curBucket = Number.NaN;
    const last = rows[rows.length - 1];
    if (last && last.v !== null) rows.push({ t, v: null, bv: null, backfilled: false, count: 0 });
  };
  for (const p of points) {
    if (!Number.isNaN(prevT) && p.t - prevT > gapMs) gapRow((prevT + p.t) / 2);
    prevT = p.t;
    if (!Object.prototype.hasOwnProperty.call(p.values, name)) continue;
    const raw = p.values[name];
    const v = typeof raw === 'number' && Number.isFinite(raw) ? raw : typeof raw === 'boolean' ? (raw ? 1 : 0) : null;
    if (v === null) {
      gapRow(p.t);
      continue;
    }
    const bucket = Math.floor(p.t / bucketMs);
    if (!cur || bucket !== curBucket) {
      if (cur) rows.push(cur);
      cur = { t: p.t, v, bv: null, backfilled: false, count: 0 };
      curBucket = bucket;
    }
    const row: SeriesRow = cur;
    row.t = p.t;
    row.v = v;
    row.count++;
    if (p.backfilled) row.backfilled = true;
    row.bv = row.backfilled ? row.v : null;
  }
  if (cur) rows.push(cur);
  return rows;
}

// ---- the value shown of a state, and colours

const STATE_COLORS = ['#22d3ee', '#34d399', '#a78bfa', '#f472b6', '#60a5fa', '#f59e0b', '#fb7185', '#4ade80', '#c084fc', '#2dd4bf'];
const NAMED: Record<string, string> = {
  P: '#64748b', R: '#f87171', N: '#fbbf24', D: '#34d399',
  Charging: '#22c55e', Starting: '#86efac', Complete: '#60a5fa', Stopped: '#f59e0b', NoPower: '#f87171', Disconnected: '#475569',
};
const DIM = new Set(['Unknown', 'Invalid', 'SNA']);

/** The fill of a state band: fixed colours for gear and charge states, booleans accent (true) or
 * slate (false), unknown-like values dim, other enum values by their position in the catalogue. */
export function stateColor(s: SignalInfo | undefined, v: string | number | boolean): string {
  if (typeof v === 'boolean') return v ? '#22d3ee' : '#334155';
  if (typeof v === 'string') {
    if (DIM.has(v)) return '#1e293b';
    if (NAMED[v] && (s?.name === 'Gear' || s?.name === 'DetailedChargeState' || s?.name === 'ChargeState')) return NAMED[v];
    const i = s?.values?.findIndex((e) => e.name === v) ?? -1;
    if (i >= 0) return STATE_COLORS[i % STATE_COLORS.length];
    let h = 0;
    for (let k = 0; k < v.length; k++) h = (h * 31 + v.charCodeAt(k)) >>> 0;
    return STATE_COLORS[h % STATE_COLORS.length];
  }
  return STATE_COLORS[Math.abs(Math.round(v)) % STATE_COLORS.length];
}

// ---- the user's choice of signals, kept in localStorage

export const MAX_SELECTED = 16;
export const CARD_SIGNALS_KEY = 'fleetlog.cardSignals';
export const CHART_SIGNALS_KEY = 'fleetlog.chartSignals';
export const DEFAULT_CARD_SIGNALS = ['VehicleSpeed', 'Soc', 'Power', 'Gear'];
export const DEFAULT_CHART_SIGNALS = ['VehicleSpeed', 'Power', 'Soc', 'Gear', 'DetailedChargeState', 'Locked'];

function storage(): Storage | null {
  try {
    return typeof localStorage !== 'undefined' ? localStorage : null;
  } catch {
    return null; // storage disabled (privacy mode): the defaults are used
  }
}

/** A stored selection, or `fallback` when there is none or it is not a list of names. */
export function loadSelection(key: string, fallback: readonly string[]): string[] {
  try {
    const raw = storage()?.getItem(key);
    if (!raw || raw.length > 8192) return [...fallback];
    const v: unknown = JSON.parse(raw);
    if (!Array.isArray(v)) return [...fallback];
    const names = v.filter((n): n is string => typeof n === 'string' && n.length > 0 && n.length <= 128);
    return [...new Set(names)].slice(0, MAX_SELECTED);
  } catch {
    return [...fallback];
  }
}

export function saveSelection(key: string, names: readonly string[]): void {
  try {
    storage()?.setItem(key, JSON.stringify(names.slice(0, MAX_SELECTED)));
  } catch {
    // quota or disabled: the choice lasts for this page only
  }
}

/** Values of a vehicle to show: the live merged values when they are at least as new as the state's. */
export function newestValues(latest: Values | null | undefined, live: { t: number; values?: Values } | undefined, lastCaptureMs: number | null): Values {
  if (live && live.values && (lastCaptureMs === null || live.t >= lastCaptureMs)) return live.values;
  return latest ?? {};
}

/**
 * A stand-in catalogue guessed from values (for a server without `/signals`): numbers are floats,
 * booleans booleans, strings enums, {lat, lon} locations; no units.
 */
export function inferCatalogue(values: Values | null | undefined): SignalIndex {
  const signals: SignalInfo[] = Object.entries(values ?? {}).map(([name, v], id) => ({
    id,
    name,
    type: typeof v === 'number' ? 'float' : typeof v === 'boolean' ? 'boolean' : typeof v === 'string' ? 'enum' : v && typeof v === 'object' ? 'location' : 'float',
  }));
  return new SignalIndex(signals);
}
