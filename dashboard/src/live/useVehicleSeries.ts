import { useEffect, useRef, useState } from 'react';
import { fetchSamples } from '../api/client';
import { mergeSamples, toPoint, trimBefore, type Point } from '../data/series';
import { vehicleNow } from './fleetStore';
import { useStore } from './hooks';

/**
 * A sample that reaches the dashboard more than this long after its capture (on the capture
 * clock) arrived late: it is backfill from a vehicle's spool, not live data.
 */
export const LATE_MS = 3000;

/** Charts redraw at most this often (ms): live data arrives at 10 Hz per vehicle. */
const RENDER_MS = 500;

/**
 * The window is loaded this much further back: a state signal captured on change (gear) shows its
 * value from the window's start when it was captured (or re-captured in a keyframe) in the 30 s
 * before it.
 */
export const LOOKBACK_MS = 30_000;

/** Marks the points that arrived late (or while the vehicle drains) as backfilled. */
export function markLate(points: Point[], nowMs: number, draining: boolean): Point[] {
  const cutoff = nowMs - LATE_MS;
  return points.map((p) => (draining || p.t < cutoff ? { ...p, backfilled: true } : p));
}

export interface VehicleSeries {
  points: Point[];
  loading: boolean;
  error: string | null;
  /** Newest capture time held (ms), or null. */
  newest: number | null;
}

/**
 * The frames of one vehicle in a trailing window of capture time (plus LOOKBACK_MS), with only
 * the `signals` selected (`?signals=`; null: not known yet, nothing is fetched; empty: every signal):
 * loaded from REST on open
 * (and after every reconnect), extended by live `sample` messages, and on every `stored` event
 * the committed range is refetched and merged — that is how a drained backlog fills the gap at
 * its true capture times. Refetches are coalesced: at most one request in flight per vehicle,
 * pending ranges are merged into one. Re-renders at most every RENDER_MS.
 */
export function useVehicleSeries(
  vin: string,
  windowMs: number,
  endMs: () => number,
  isDraining: () => boolean,
  signals: readonly string[] | null = [],
): VehicleSeries {
  const signalKey = signals === null ? null : signals.join(',');
  const store = useStore();
  const [epoch, setEpoch] = useState(store.getSnapshot().epoch);
  const [series, setSeries] = useState<VehicleSeries>({ points: [], loading: true, error: null, newest: null });
  const ref = useRef<Point[]>([]);
  const endRef = useRef(endMs);
  endRef.current = endMs;
  const drainingRef = useRef(isDraining);
  drainingRef.current = isDraining;

  useEffect(() => store.subscribe(() => setEpoch(store.getSnapshot().epoch)), [store]);

  useEffect(() => {
    if (signalKey === null) return undefined; // the catalogue is not known yet
    const selected = signalKey === '' ? undefined : signalKey.split(',');
    let alive = true;
    const ctrl = new AbortController();
    let renderTimer: ReturnType<typeof setTimeout> | null = null;
    let loaded = false;
    let pending: [number, number] | null = null;
    let fetching = false;
    const early: Point[] = []; // live samples that arrive before the initial load finishes

    const publish = (loading = false, error: string | null = null) => {
      const pts = ref.current;
      setSeries({ points: pts, loading, error, newest: pts.length ? pts[pts.length - 1].t : null });
    };
    const publishSoon = () => {
      if (renderTimer) return;
      renderTimer = setTimeout(() => {
        renderTimer = null;
        if (alive) publish();
      }, RENDER_MS);
    };
    const merge = (incoming: Point[]) => {
      const start = endRef.current() - windowMs * 1.2 - LOOKBACK_MS;
      const now = vehicleNow(store.getSnapshot().clocks[vin], Date.now());
      ref.current = trimBefore(mergeSamples(ref.current, markLate(incoming, now, drainingRef.current())), start);
      publishSoon();
    };

    const fetchPending = async () => {
      if (fetching || !pending || !loaded) return;
      const [from, to] = pending;
      pending = null;
      fetching = true;
      try {
        const rows = await fetchSamples(vin, from, to + 1, selected, ctrl.signal);
        if (!alive) return;
        merge(rows.map((s) => toPoint(s)));
      } catch {
        // the connection banner reports a lost server; a reconnect reloads the window
      } finally {
        fetching = false;
        if (alive && pending) void fetchPending();
      }
    };

    // A reload (another signal selection, window or a reconnect) keeps which frames arrived late:
    // they stay highlighted as backfill. The old points stay on screen until the new ones are here.
    const wasBackfilled = new Set(ref.current.filter((p) => p.backfilled).map((p) => p.seq));
    setSeries((cur) => ({ ...cur, loading: true, error: null }));
    const end = endRef.current();
    fetchSamples(vin, end - windowMs - LOOKBACK_MS, end + 60_000, selected, ctrl.signal)
      .then((rows) => {
        if (!alive) return;
        ref.current = rows.map((s) => toPoint(s, wasBackfilled.has(s.seq)));
        loaded = true;
        if (early.length) ref.current = mergeSamples(ref.current, early);
        publish();
        void fetchPending();
      })
      .catch((e: unknown) => {
        if (!alive) return;
        loaded = true;
        publish(false, e instanceof Error ? e.message : String(e));
      });

    const offSample = store.onSample((m) => {
      if (m.vin !== vin) return;
      // The message carries the vehicle's merged newest values, not this frame's: right for a frame
      // at the live edge, wrong for one drained from the backlog. A late frame enters as a bare
      // marker (its time, no values) until its stored frame is fetched and replaces it.
      const held = ref.current;
      const late = drainingRef.current() || (held.length > 0 && m.t <= held[held.length - 1].t);
      const p = toPoint(late ? { seq: m.seq, t: m.t, values: {} } : m, false, true);
      if (!loaded) {
        early.push(p);
        return;
      }
      merge([p]);
    });
    const offStored = store.onStored((m) => {
      if (m.vin !== vin) return;
      const start = endRef.current() - windowMs;
      if (m.toMs < start) return; // outside the visible window
      const from = Math.max(m.fromMs, start);
      pending = pending ? [Math.min(pending[0], from), Math.max(pending[1], m.toMs)] : [from, m.toMs];
      void fetchPending();
    });

    return () => {
      alive = false;
      ctrl.abort();
      if (renderTimer) clearTimeout(renderTimer);
      offSample();
      offStored();
    };
  }, [store, vin, windowMs, epoch, signalKey]);

  return series;
}
