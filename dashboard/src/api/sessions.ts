import { HttpError } from './client';
import { UNAUTHORIZED_EVENT } from './session';

/** A drive as served by `GET /api/vehicles/{vin}/drives` (docs/api.md, docs/drives.md). null = not derived. */
export interface Drive {
  id: number;
  vin: string;
  start: string;
  end: string;
  startMs: number;
  endMs: number;
  startLat: number | null;
  startLon: number | null;
  endLat: number | null;
  endLon: number | null;
  distanceMi: number | null;
  distanceKm: number | null;
  durationS: number | null;
  energyKwh: number | null;
  energySource: 'power' | 'soc' | 'power+soc' | 'none' | string;
  whPerMi: number | null;
  whPerKm: number | null;
  maxSpeedMph: number | null;
  meanSpeedMph: number | null;
  elevationGainM: number | null;
  elevationLossM: number | null;
  startSoc: number | null;
  endSoc: number | null;
  startOdometerMi: number | null;
  endOdometerMi: number | null;
  /** share of the drive's frames captured while the vehicle's link was down (0 … 1) */
  backfillFraction: number | null;
}

/** A charging session as served by `GET /api/vehicles/{vin}/charges`. */
export interface Charge {
  id: number;
  vin: string;
  start: string;
  end: string;
  startMs: number;
  endMs: number;
  lat: number | null;
  lon: number | null;
  durationS: number | null;
  energyAddedKwh: number | null;
  socFrom: number | null;
  socTo: number | null;
  peakPowerKw: number | null;
  meanPowerKw: number | null;
  kind: 'AC' | 'DC' | string;
  cost: number | null;
  currency: string | null;
  backfillFraction: number | null;
}

export type SessionKind = 'drives' | 'charges';

/** One page of a session list; `nextCursor` (null on the last page) is passed back as `cursor`. */
export interface Page<T> {
  items: T[];
  nextCursor: string | null;
}

export interface PageQuery {
  fromMs?: number | null;
  toMs?: number | null;
  cursor?: string | null;
  limit?: number;
}

/** The query string of a list request: only the parameters that are set. */
export function pageParams(q: PageQuery): URLSearchParams {
  const p = new URLSearchParams();
  if (q.fromMs != null && Number.isFinite(q.fromMs)) p.set('from', String(Math.floor(q.fromMs)));
  if (q.toMs != null && Number.isFinite(q.toMs)) p.set('to', String(Math.ceil(q.toMs)));
  if (q.limit != null) p.set('limit', String(q.limit));
  if (q.cursor) p.set('cursor', q.cursor);
  return p;
}

async function body<T>(res: Response): Promise<T> {
  if (res.status === 401 && typeof window !== 'undefined') window.dispatchEvent(new Event(UNAUTHORIZED_EVENT));
  if (!res.ok) {
    let detail = res.statusText;
    try {
      const b = (await res.json()) as { error?: string };
      if (b?.error) detail = b.error;
    } catch {
      // not JSON: keep the status text
    }
    throw new HttpError(res.status, `${res.status} ${detail}`);
  }
  return (await res.json()) as T;
}

const base = (vin: string, kind: SessionKind) => `/api/vehicles/${encodeURIComponent(vin)}/${kind}`;

async function fetchPage<T>(vin: string, kind: SessionKind, q: PageQuery, abort?: AbortSignal): Promise<Page<T>> {
  const qs = pageParams(q).toString();
  const b = await body<Record<string, unknown>>(await fetch(`${base(vin, kind)}${qs ? `?${qs}` : ''}`, { signal: abort }));
  const items = b?.[kind];
  if (!Array.isArray(items)) throw new Error(`${kind} of ${vin}: expected {"${kind}": [...]}`);
  const next = b.nextCursor;
  return { items: items as T[], nextCursor: typeof next === 'string' && next !== '' ? next : null };
}

export const fetchDrives = (vin: string, q: PageQuery, abort?: AbortSignal) => fetchPage<Drive>(vin, 'drives', q, abort);
export const fetchCharges = (vin: string, q: PageQuery, abort?: AbortSignal) => fetchPage<Charge>(vin, 'charges', q, abort);

export async function fetchDrive(vin: string, id: number, abort?: AbortSignal): Promise<Drive> {
  return body<Drive>(await fetch(`${base(vin, 'drives')}/${encodeURIComponent(String(id))}`, { signal: abort }));
}

export async function fetchCharge(vin: string, id: number, abort?: AbortSignal): Promise<Charge> {
  return body<Charge>(await fetch(`${base(vin, 'charges')}/${encodeURIComponent(String(id))}`, { signal: abort }));
}

/**
 * The vehicle's link-down spans over [fromMs, toMs) (`GET /api/vehicles/{vin}/offline`): frames captured
 * inside one arrived after the link came back, i.e. were backfilled. A server without the endpoint
 * (404) gives none.
 */
export async function fetchOfflineSpans(vin: string, fromMs: number, toMs: number, abort?: AbortSignal): Promise<Array<[number, number]>> {
  const q = new URLSearchParams({ from: String(Math.floor(fromMs)), to: String(Math.ceil(toMs)) });
  const res = await fetch(`/api/vehicles/${encodeURIComponent(vin)}/offline?${q}`, { signal: abort });
  if (res.status === 404) return [];
  const b = await body<{ offline?: unknown }>(res);
  if (!Array.isArray(b?.offline)) throw new Error(`offline spans of ${vin}: expected {"offline": [[from, to], …]}`);
  return b.offline.filter((s): s is [number, number] => Array.isArray(s) && s.length === 2 && s.every((x) => typeof x === 'number'));
}
