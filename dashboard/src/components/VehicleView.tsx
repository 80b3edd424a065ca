import { useEffect, useMemo, useRef, useState } from 'react';
import { fetchSummary } from '../api/client';
import type { Summary, VehicleState } from '../api/types';
import { fillRollingEfficiency } from '../data/efficiency';
import { formatClock, formatNum, linkBadge } from '../data/format';
import { backfilledSpans, bucketFor, findGaps, toChartRows } from '../data/series';
import { useVehicleSeries } from '../live/useVehicleSeries';
import { RouteMap } from './RouteMap';
import { TimeChart } from './TimeChart';
import { modelName } from './VehicleCard';

export const WINDOWS = [
  { label: '1 min', ms: 60_000 },
  { label: '2 min', ms: 2 * 60_000 },
  { label: '5 min', ms: 5 * 60_000 },
  { label: '15 min', ms: 15 * 60_000 },
];

/** No sample for this long at the right edge is drawn as a gap (live data lags ~1 s). */
const TRAILING_GAP_MS = 3000;

/** Rolling window of the efficiency chart. */
const EFFICIENCY_WINDOW_MS = 30_000;

declare global {
  interface Window {
    /** For the browser test: the capture times (and backfill flags) the charts hold. */
    __fleetlogChart?: { vin: string; points(): Array<[number, boolean]> };
  }
}

/** The server's summary of the window (`/summary`), refreshed every 10 s; null until known. */
function useSummary(vin: string, windowMs: number, endRef: { current: number }): Summary | null {
  const [summary, setSummary] = useState<Summary | null>(null);
  useEffect(() => {
    let alive = true;
    const ctrl = new AbortController();
    const load = () => {
      const end = endRef.current;
      fetchSummary(vin, end - windowMs, end + 1, ctrl.signal)
        .then((s) => alive && setSummary(s))
        .catch(() => undefined); // optional decoration: the charts carry the data
    };
    load();
    const id = setInterval(load, 10_000);
    return () => {
      alive = false;
      ctrl.abort();
      clearInterval(id);
    };
  }, [vin, windowMs, endRef]);
  return summary;
}

export function VehicleView({ vehicle, captureNow, onClose }: { vehicle: VehicleState; captureNow: number; onClose(): void }) {
  const [windowMs, setWindowMs] = useState(WINDOWS[1].ms); // 2 min: a dead zone is clearly visible
  const nowRef = useRef(captureNow);
  nowRef.current = captureNow;
  const linkRef = useRef(vehicle.link);
  linkRef.current = vehicle.link;
  const series = useVehicleSeries(
    vehicle.vin,
    windowMs,
    () => nowRef.current,
    () => linkRef.current === 'draining',
  );

  useEffect(() => {
    const vin = vehicle.vin;
    window.__fleetlogChart = { vin, points: () => seriesRef.current.points.map((p) => [p.t, p.backfilled]) };
    return () => {
      if (window.__fleetlogChart?.vin === vin) delete window.__fleetlogChart;
    };
  }, [vehicle.vin]);
  const seriesRef = useRef(series);
  seriesRef.current = series;
  const summary = useSummary(vehicle.vin, windowMs, nowRef);

  // the window's right edge moves in whole seconds: charts re-render when data arrives or once a
  // second, not on every unrelated update (a spool-depth change of another vehicle)
  // While data flows the edge follows the newest sample (so charts redraw only when data arrives);
  // when the vehicle falls silent it follows the vehicle's clock, and the gap opens on the right.
  const clockEnd = Math.ceil(captureNow / 1000) * 1000;
  const live = series.newest !== null && captureNow - series.newest < TRAILING_GAP_MS;
  const end = live ? Math.ceil(series.newest! / 1000) * 1000 : Math.max(clockEnd, Math.ceil((series.newest ?? 0) / 1000) * 1000);
  const domain = useMemo<[number, number]>(() => [end - windowMs, end], [end, windowMs]);
  const view = useMemo(() => {
    const pts = series.points.filter((p) => p.t >= end - windowMs);
    const rows = fillRollingEfficiency(toChartRows(pts, bucketFor(windowMs)), EFFICIENCY_WINDOW_MS);
    const gaps = findGaps(pts);
    // the time since the newest sample is a gap too (a vehicle in a dead zone), once it is clear
    const newest = pts.length ? pts[pts.length - 1].t : null;
    const holes: Array<[number, number]> = newest !== null && end - newest > TRAILING_GAP_MS ? [...gaps, [newest, end]] : gaps;
    return { pts, rows, spans: backfilledSpans(rows), gaps, holes };
    // re-derive when the data or the window changes, not on every clock tick
  }, [series.points, windowMs, end]);

  const badge = linkBadge(vehicle.link);
  const backfilledCount = view.pts.reduce((n, p) => (p.backfilled ? n + 1 : n), 0);
  return (
    <section className="panel vehicle-view" data-testid={`vehicle-view-${vehicle.vin}`} aria-label={`${vehicle.name} details`}>
      <header className="panel-head">
        <div>
          <h2>
            {vehicle.name}{' '}
            <span className={badge.className}>
              <span className="dot" aria-hidden="true" />
              {badge.label}
            </span>
          </h2>
          <div className="card-sub">
            {modelName(vehicle.model)} · <span className="mono">{vehicle.vin}</span> · window {formatClock(domain[0])}–{formatClock(domain[1])}
          </div>
        </div>
        <div className="panel-actions">
          <div className="seg" role="group" aria-label="time window">
            {WINDOWS.map((w) => (
              <button key={w.ms} className={w.ms === windowMs ? 'active' : ''} onClick={() => setWindowMs(w.ms)} data-testid={`window-${w.ms / 1000}s`}>
                {w.label}
              </button>
            ))}
          </div>
          <button className="icon-btn" onClick={onClose} aria-label="close vehicle view" data-testid="vehicle-view-close">
            ✕
          </button>
        </div>
      </header>
      <div className="legend">
        <span>
          <i className="sw sw-live" /> live
        </span>
        <span>
          <i className="sw sw-backfill" /> backfilled after a dead zone ({backfilledCount} samples)
        </span>
        <span>
          <i className="sw sw-gap" /> gap: no data (yet)
        </span>
        <span className="muted">{formatNum(view.pts.length, 0)} samples in window</span>
        {summary && (
          <span className="summary" data-testid="vehicle-summary" title="server summary of the window">
            {formatNum(summary.distanceMi, 2)} mi · {formatNum(summary.energyKwh, 2)} kWh · {formatNum(summary.whPerMi, 0)} Wh/mi
          </span>
        )}
      </div>
      {series.error && <div className="notice error">Could not load samples: {series.error}</div>}
      {series.loading && view.pts.length === 0 ? (
        <div className="placeholder" data-testid="vehicle-loading">
          <span className="spinner" aria-hidden="true" /> loading samples…
        </div>
      ) : (
        <div className="charts">
          <TimeChart id="speed" title="Speed" unit="mph" field="speed" rows={view.rows} domain={domain} color="var(--accent)" spans={view.spans} gaps={view.gaps} holes={view.holes} highlightBackfill decimals={1} />
          <TimeChart id="distance" title="Distance traveled" unit="mi" field="distance" rows={view.rows} domain={domain} color="#a78bfa" spans={view.spans} gaps={view.gaps} holes={view.holes} decimals={2} />
          <TimeChart id="power" title="Power" unit="kW" field="power" rows={view.rows} domain={domain} color="#34d399" spans={view.spans} gaps={view.gaps} holes={view.holes} decimals={1} zeroLine />
          <TimeChart id="efficiency" title="Efficiency (30 s rolling)" unit="Wh/mi" field="efficiency" rows={view.rows} domain={domain} color="#f472b6" spans={view.spans} gaps={view.gaps} holes={view.holes} decimals={0} zeroLine />
          <RouteMap points={view.pts} />
        </div>
      )}
    </section>
  );
}
