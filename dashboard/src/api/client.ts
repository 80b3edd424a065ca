import { mutate, UNAUTHORIZED_EVENT } from './session';
import type { CatalogueInfo, DemoState, StoredSample, Summary } from './types';
import type { SeriesSignal } from '../data/history';

/** A /series response. */
export interface SeriesResponse {
  vin: string;
  from: number;
  to: number;
  points: number;
  series: SeriesSignal[];
}

/** A response other than 2xx; `status` 404 on the demo paths means "no demo mode". */
export class HttpError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

async function json<T>(res: Response): Promise<T> {
  if (res.status === 401 && typeof window !== 'undefined') window.dispatchEvent(new Event(UNAUTHORIZED_EVENT));
  if (!res.ok) {
    let detail = res.statusText;
    try {
      const body = (await res.json()) as { error?: string };
      if (body?.error) detail = body.error;
    } catch {
      // body is not JSON: keep the status text
    }
    throw new HttpError(res.status, `${res.status} ${detail}`);
  }
  return (await res.json()) as T;
}

/**
 * Frames of `vin` captured in [fromMs, toMs). `signals` (canonical names) selects what is returned:
 * only those values, and only frames that captured at least one of them; undefined = every signal.
 */
export async function fetchSamples(vin: string, fromMs: number, toMs: number, signals?: readonly string[], abort?: AbortSignal): Promise<StoredSample[]> {
  const q = new URLSearchParams({ from: String(Math.floor(fromMs)), to: String(Math.ceil(toMs)), format: 'json' });
  if (signals && signals.length > 0) q.set('signals', signals.join(','));
  const rows = await json<StoredSample[]>(await fetch(`/api/vehicles/${encodeURIComponent(vin)}/samples?${q}`, { signal: abort }));
  if (!Array.isArray(rows)) throw new Error(`samples of ${vin}: expected a JSON array`);
  return rows;
}

/** The vehicle's signal catalogue (`GET /api/vehicles/{vin}/signals`). */
export async function fetchSignals(vin: string, abort?: AbortSignal): Promise<CatalogueInfo> {
  const cat = await json<CatalogueInfo>(await fetch(`/api/vehicles/${encodeURIComponent(vin)}/signals`, { signal: abort }));
  if (!cat || !Array.isArray(cat.signals)) throw new Error(`signals of ${vin}: expected {"signals": [...]}`);
  return cat;
}

export async function fetchSummary(vin: string, fromMs: number, toMs: number, signal?: AbortSignal): Promise<Summary> {
  const q = new URLSearchParams({ from: String(Math.floor(fromMs)), to: String(Math.ceil(toMs)) });
  return json<Summary>(await fetch(`/api/vehicles/${encodeURIComponent(vin)}/summary?${q}`, { signal }));
}

export async function fetchDemo(): Promise<DemoState> {
  return json<DemoState>(await fetch('/api/demo'));
}

export async function demoCommand(command: 'start' | 'stop'): Promise<DemoState> {
  return json<DemoState>(await mutate(`/api/demo/${command}`, { method: 'POST' }));
}

export async function setDeadZone(vin: string, on: boolean): Promise<DemoState> {
  return json<DemoState>(
    await mutate(`/api/demo/vehicles/${encodeURIComponent(vin)}/deadzone`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ on }),
    }),
  );
}

/**
 * At most `points` buckets per signal over [fromMs, toMs) (`GET …/series`): raw frames for short
 * ranges, the rollups for long ones; each bucket with min and max, so spikes stay visible.
 */
export async function fetchSeries(vin: string, signals: readonly string[], fromMs: number, toMs: number, points: number, abort?: AbortSignal): Promise<SeriesResponse> {
  const q = new URLSearchParams({ signals: signals.join(','), from: String(Math.floor(fromMs)), to: String(Math.ceil(toMs)), points: String(points) });
  const body = await json<SeriesResponse>(await fetch(`/api/vehicles/${encodeURIComponent(vin)}/series?${q}`, { signal: abort }));
  if (!body || !Array.isArray(body.series)) throw new Error(`series of ${vin}: expected {"series": [...]}`);
  return body;
}

/** The vehicle's link-down spans in [fromMs, toMs) (`GET …/offline`): data captured then was backfilled. */
export async function fetchOffline(vin: string, fromMs: number, toMs: number, abort?: AbortSignal): Promise<Array<[number, number]>> {
  const q = new URLSearchParams({ from: String(Math.floor(fromMs)), to: String(Math.ceil(toMs)) });
  const body = await json<{ offline: Array<[number, number]> }>(await fetch(`/api/vehicles/${encodeURIComponent(vin)}/offline?${q}`, { signal: abort }));
  return Array.isArray(body?.offline) ? body.offline : [];
}

/** The capture-time-free GAP events of [fromMs, toMs) (`GET …/events?kind=GAP`): server times of declared gaps. */
export async function fetchGapEvents(vin: string, fromMs: number, toMs: number, abort?: AbortSignal): Promise<number[]> {
  const q = new URLSearchParams({ from: String(Math.floor(fromMs)), to: String(Math.ceil(toMs)), kind: 'GAP', limit: '500' });
  const body = await json<{ events: Array<{ t: number }> }>(await fetch(`/api/vehicles/${encodeURIComponent(vin)}/events?${q}`, { signal: abort }));
  return Array.isArray(body?.events) ? body.events.map((e) => e.t) : [];
}
