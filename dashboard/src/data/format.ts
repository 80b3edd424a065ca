import type { Link, VehicleState } from '../api/types';

export interface Badge {
  label: string;
  className: string;
}

/** The badge of a link state; unknown values (a newer server) show as such, never crash. */
export function linkBadge(link: Link | string | null | undefined): Badge {
  switch (link) {
    case 'online':
      return { label: 'online', className: 'badge badge-online' };
    case 'offline':
      return { label: 'offline', className: 'badge badge-offline' };
    case 'draining':
      return { label: 'draining', className: 'badge badge-draining' };
    default:
      return { label: link ? String(link) : 'unknown', className: 'badge badge-unknown' };
  }
}

/** A duration in ms as "0.4 s", "12 s", "3 m 05 s", "2 h 07 m"; "—" when null or negative. */
export function formatAge(ms: number | null | undefined): string {
  if (ms === null || ms === undefined || !Number.isFinite(ms) || ms < 0) return '—';
  if (ms < 10_000) return `${(ms / 1000).toFixed(1)} s`;
  const s = Math.floor(ms / 1000);
  if (s < 60) return `${s} s`;
  const m = Math.floor(s / 60);
  if (m < 60) return `${m} m ${String(s % 60).padStart(2, '0')} s`;
  const h = Math.floor(m / 60);
  if (h < 48) return `${h} h ${String(m % 60).padStart(2, '0')} m`;
  return `${Math.floor(h / 24)} d ${h % 24} h`;
}

/** Clock time (local) of an epoch-ms instant, "14:03:27"; "—" for null. */
export function formatClock(t: number | null | undefined): string {
  if (t === null || t === undefined || !Number.isFinite(t)) return '—';
  const d = new Date(t);
  return [d.getHours(), d.getMinutes(), d.getSeconds()].map((n) => String(n).padStart(2, '0')).join(':');
}

/** 950 → "950", 12_345 → "12.3k", 4_560_000 → "4.56M". */
export function formatCount(n: number | null | undefined): string {
  if (n === null || n === undefined || !Number.isFinite(n)) return '—';
  const abs = Math.abs(n);
  if (abs < 1000) return String(Math.round(n));
  if (abs < 1_000_000) return `${(n / 1000).toFixed(abs < 10_000 ? 2 : 1)}k`;
  if (abs < 1_000_000_000) return `${(n / 1_000_000).toFixed(abs < 10_000_000 ? 2 : 1)}M`;
  return `${(n / 1_000_000_000).toFixed(2)}G`;
}

/** A number with fixed decimals, or "—". */
export function formatNum(v: number | null | undefined, decimals = 1): string {
  return v === null || v === undefined || !Number.isFinite(v) ? '—' : v.toFixed(decimals);
}

export interface FleetTotals {
  vehicles: number;
  online: number;
  samplesStored: number;
  spooled: number;
  /** 1 − wire bytes / full-protobuf bytes, weighted by samples stored; null if unknown. */
  bandwidthSaved: number | null;
}

/** Fleet totals; draining vehicles count as online (they are connected). */
export function fleetTotals(vehicles: VehicleState[]): FleetTotals {
  let online = 0;
  let samples = 0;
  let spooled = 0;
  let wire = 0;
  let full = 0;
  for (const v of vehicles) {
    if (v.link === 'online' || v.link === 'draining') online++;
    samples += v.samplesStored ?? 0;
    spooled += v.spoolDepth ?? 0;
    const n = v.samplesStored ?? 0;
    if (n > 0 && isPositive(v.bytesPerSample) && isPositive(v.fullProtobufBytesPerSample)) {
      wire += v.bytesPerSample * n;
      full += v.fullProtobufBytesPerSample * n;
    }
  }
  return {
    vehicles: vehicles.length,
    online,
    samplesStored: samples,
    spooled,
    bandwidthSaved: full > 0 ? 1 - wire / full : null,
  };
}

function isPositive(v: number | null | undefined): v is number {
  return typeof v === 'number' && Number.isFinite(v) && v > 0;
}

/** Delay before reconnect attempt `attempt` (0-based): 0.5 s doubling to 10 s, ±20 % jitter. */
export function backoffMs(attempt: number, random: () => number = Math.random): number {
  const base = Math.min(10_000, 500 * 2 ** Math.min(attempt, 10));
  return Math.round(base * (0.8 + 0.4 * random()));
}
