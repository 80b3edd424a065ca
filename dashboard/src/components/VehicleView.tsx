import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { fetchSummary } from '../api/client';
import type { Summary, Values, VehicleState } from '../api/types';
import { fillRollingEfficiency } from '../data/efficiency';
import { formatClock, formatNum, linkBadge } from '../data/format';
import { backfilledSpans, bucketFor, findGaps, LOCATION, ODOMETER, POWER, toChartRows } from '../data/series';
import {
  CHART_SIGNALS_KEY,
  decimalsFor,
  DEFAULT_CHART_SIGNALS,
  inferCatalogue,
  isChartable,
  isNumeric,
  labelOf,
  loadSelection,
  saveSelection,
  signalRows,
  stateSegments,
} from '../data/signals';
import { useCatalogue } from '../live/useCatalogue';
import { useVehicleSeries } from '../live/useVehicleSeries';
import { RouteMap } from './RouteMap';
import { SignalPicker } from './SignalPicker';
import { StateBands } from './StateBands';
import { TimeChart, type TimeRow } from './TimeChart';
import { modelName } from './VehicleCard';
import { VehicleTabs } from './SessionPages';
import { HistoryView } from './HistoryView';

const LINE_COLORS = ['var(--accent)', '#34d399', '#fbbf24', '#a78bfa', '#f472b6', '#60a5fa', '#fb7185', '#4ade80'];

/** The user's chart selection, kept in localStorage (shared by every vehicle). */
function useChartSelection(): [string[], (names: string[]) => void] {
  const [selected, setSelected] = useState(() => loadSelection(CHART_SIGNALS_KEY, DEFAULT_CHART_SIGNALS));
  const set = useCallback((names: string[]) => {
    setSelected(names);
    saveSelection(CHART_SIGNALS_KEY, names);
  }, []);
  return [selected, set];
}

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

export function VehicleView({ vehicle, captureNow, values, onClose }: { vehicle: VehicleState; captureNow: number; values?: Values; onClose(): void }) {
  const [windowMs, setWindowMs] = useState(WINDOWS[1].ms); // 2 min: a dead zone is clearly visible
  const [history, setHistory] = useState(false);
  const [selection, setSelection] = useChartSelection();
  const cat = useCatalogue(vehicle);
  const latest = values ?? vehicle.latest;
  // without a catalogue (a server without /signals) every signal is fetched and typed by its values
  // (guessed again only when the set of signal names changes, not on every live value)
  const latestRef = useRef(latest);
  latestRef.current = latest;
  const names = cat.index || !cat.error ? '' : Object.keys(latest ?? {}).join(',');
  const index = useMemo(() => cat.index ?? (cat.error ? inferCatalogue(latestRef.current) : null), [cat.index, cat.error, names]);
  const chosen = useMemo(() => (index ? index.known(selection).filter((n) => isChartable(index.get(n))) : []), [index, selection]);
  const fetchKey = index === null ? null : cat.index === null ? '' : index.known([...chosen, POWER, ODOMETER, LOCATION]).join(',');
  const fetchSignals = useMemo(() => (fetchKey === null ? null : fetchKey === '' ? [] : fetchKey.split(',')), [fetchKey]);
  const withData = useMemo(() => new Set(Object.keys(latest ?? {})), [latest]);
  const nowRef = useRef(captureNow);
  nowRef.current = captureNow;
  const linkRef = useRef(vehicle.link);
  linkRef.current = vehicle.link;
  const series = useVehicleSeries(
    vehicle.vin,
    windowMs,
    () => nowRef.current,
    () => linkRef.current === 'draining',
    fetchSignals,
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
    const bucket = bucketFor(windowMs);
    const rows = fillRollingEfficiency(toChartRows(pts, bucket), EFFICIENCY_WINDOW_MS);
    const lines = chosen
      .filter((n) => isNumeric(index?.get(n)))
      .map((name) => ({ name, signal: index?.get(name), rows: signalRows(pts, name, bucket) as TimeRow[] }));
    // bands start from the lookback before the window: a value captured before it holds into it
    const bands = chosen.filter((n) => !isNumeric(index?.get(n))).map((name) => ({ name, signal: index?.get(name), segments: stateSegments(series.points, name) }));
    const gaps = findGaps(pts);
    // the time since the newest sample is a gap too (a vehicle in a dead zone), once it is clear
    const newest = pts.length ? pts[pts.length - 1].t : null;
    const holes: Array<[number, number]> = newest !== null && end - newest > TRAILING_GAP_MS ? [...gaps, [newest, end]] : gaps;
    return { pts, rows, lines, bands, spans: backfilledSpans(rows), gaps, holes };
    // re-derive when the data or the window changes, not on every clock tick
  }, [series.points, windowMs, end, chosen, index]);
  const chartable = useMemo(() => (index ? index.signals.filter(isChartable) : []), [index]);
  const has = (name: string) => !!index?.get(name);

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
          <VehicleTabs vin={vehicle.vin} page="live" />
          <SignalPicker
            id="chart-signals"
            label="Signals"
            title="Signals to chart"
            signals={chartable}
            withData={withData}
            selected={index ? chosen : selection}
            onChange={(names) => setSelection([...names, ...selection.filter((n) => !index?.get(n))])}
            defaults={DEFAULT_CHART_SIGNALS}
          />
          <div className="seg" role="group" aria-label="mode">
            <button className={history ? '' : 'active'} onClick={() => setHistory(false)} data-testid="mode-live">
              Live
            </button>
            <button className={history ? 'active' : ''} onClick={() => setHistory(true)} data-testid="mode-history">
              History
            </button>
          </div>
          {!history && <div className="seg" role="group" aria-label="time window">
            {WINDOWS.map((w) => (
              <button key={w.ms} className={w.ms === windowMs ? 'active' : ''} onClick={() => setWindowMs(w.ms)} data-testid={`window-${w.ms / 1000}s`}>
                {w.label}
              </button>
            ))}
          </div>}
          <button className="icon-btn" onClick={onClose} aria-label="close vehicle view" data-testid="vehicle-view-close">
            ✕
          </button>
        </div>
      </header>
      {!history && <div className="legend">
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
      </div>}
      {series.error && <div className="notice error">Could not load samples: {series.error}</div>}
      {history ? (
        <HistoryView vin={vehicle.vin} now={captureNow} signals={chosen.filter((n) => index?.get(n)?.type !== 'string').map((name) => ({ name, signal: index?.get(name) }))} />
      ) : series.loading && view.pts.length === 0 ? (
        <div className="placeholder" data-testid="vehicle-loading">
          <span className="spinner" aria-hidden="true" /> loading samples…
        </div>
      ) : (
        <div className="charts">
          {view.bands.length > 0 && <StateBands bands={view.bands} domain={domain} holes={view.holes} spans={view.spans} />}
          {view.lines.map((l, i) => {
            const lastV = [...l.rows].reverse().find((r) => typeof r.v === 'number')?.v;
            return (
              <TimeChart
                key={l.name}
                id={l.name}
                title={labelOf(l.name)}
                unit={l.signal?.unit ?? ''}
                field="v"
                highlightField="bv"
                step={l.signal?.type === 'integer'}
                rows={l.rows}
                domain={domain}
                color={LINE_COLORS[i % LINE_COLORS.length]}
                spans={view.spans}
                gaps={view.gaps}
                holes={view.holes}
                decimals={decimalsFor(l.signal, typeof lastV === 'number' ? lastV : 0)}
                zeroLine={l.name === POWER}
              />
            );
          })}
          {has(ODOMETER) && (
            <TimeChart id="distance" title="Distance traveled" unit="mi" field="distance" rows={view.rows} domain={domain} color="#a78bfa" spans={view.spans} gaps={view.gaps} holes={view.holes} decimals={2} />
          )}
          {has(ODOMETER) && has(POWER) && (
            <TimeChart id="efficiency" title="Efficiency (30 s rolling)" unit="Wh/mi" field="efficiency" rows={view.rows} domain={domain} color="#f472b6" spans={view.spans} gaps={view.gaps} holes={view.holes} decimals={0} zeroLine />
          )}
          {has(LOCATION) && <RouteMap points={view.pts} />}
          {index && view.lines.length === 0 && view.bands.length === 0 && (
            <div className="placeholder" data-testid="no-signals">
              No signal chosen: pick some with “Signals”.
            </div>
          )}
        </div>
      )}
    </section>
  );
}
