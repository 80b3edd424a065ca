import { memo, useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { Area, CartesianGrid, ComposedChart, Line, ReferenceArea, ReferenceLine, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import { fetchGapEvents, fetchOffline, fetchSeries, type SeriesResponse } from '../api/client';
import type { SignalInfo } from '../api/types';
import { formatClock } from '../data/format';
import { historyRows, pan, parseCustom, POINTS, presetRange, PRESETS, type Range, resolutionLabel, selection, zoom, type HistoryRow } from '../data/history';
import { labelOf } from '../data/signals';

const COLORS = ['var(--accent)', '#34d399', '#fbbf24', '#a78bfa', '#f472b6', '#60a5fa', '#fb7185', '#4ade80'];

/** A date for a `datetime-local` input (local time, minutes). */
function localInput(t: number): string {
  const d = new Date(t - new Date(t).getTimezoneOffset() * 60_000);
  return d.toISOString().slice(0, 16);
}

function axisLabel(t: number, span: number): string {
  const d = new Date(t);
  return span > 2 * 86_400_000 ? `${d.getMonth() + 1}/${d.getDate()} ${String(d.getHours()).padStart(2, '0')}h` : formatClock(t);
}

interface Loaded {
  range: Range;
  series: SeriesResponse | null;
  offline: Array<[number, number]>;
  gapEvents: number[];
  error: string | null;
}

/**
 * History mode of the vehicle view: a range (hour, day, week, custom; zoom and pan, or drag on a
 * chart to zoom into the selection) charted from `/series` — per bucket the min–max band and the
 * mean — with holes (missing buckets) and declared GAP events marked, and link-down spans (whose
 * data arrived as backfill) shaded.
 */
export function HistoryView({ vin, signals, now }: { vin: string; signals: Array<{ name: string; signal?: SignalInfo }>; now: number }) {
  const [range, setRange] = useState<Range>(() => presetRange(PRESETS[0].ms, now));
  const [custom, setCustom] = useState({ from: localInput(range.from), to: localInput(range.to) });
  const [customError, setCustomError] = useState<string | null>(null);
  const [loaded, setLoaded] = useState<Loaded | null>(null);
  const [drag, setDrag] = useState<{ a: number; b: number } | null>(null);
  const names = useMemo(() => signals.map((s) => s.name), [signals]);
  const key = names.join(',');

  useEffect(() => {
    if (names.length === 0) return;
    const ctrl = new AbortController();
    Promise.all([
      fetchSeries(vin, names, range.from, range.to, POINTS, ctrl.signal),
      fetchOffline(vin, range.from, range.to, ctrl.signal).catch(() => []),
      fetchGapEvents(vin, range.from, range.to, ctrl.signal).catch(() => []),
    ])
      .then(([series, offline, gapEvents]) => setLoaded({ range, series, offline, gapEvents, error: null }))
      .catch((e: Error) => !ctrl.signal.aborted && setLoaded({ range, series: null, offline: [], gapEvents: [], error: e.message }));
    return () => ctrl.abort();
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [vin, key, range.from, range.to]);

  const setBoth = useCallback((r: Range) => {
    setRange(r);
    setCustom({ from: localInput(r.from), to: localInput(r.to) });
  }, []);
  // `now` moves with every live frame: the charts get props that change only with what they draw
  // (rows, domain, a stable onSelect), so their memo holds and a live feed does not redraw them.
  const nowRef = useRef(now);
  nowRef.current = now;
  const onSelect = useCallback(
    (a: number, b: number) => {
      setDrag(null);
      const r = selection(a, b, nowRef.current);
      if (r) setBoth(r);
    },
    [setBoth],
  );
  const rows = useMemo(() => loaded?.series?.series.map((s) => historyRows(s)) ?? [], [loaded]);
  const span = range.to - range.from;
  const domain = useMemo<[number, number]>(() => [range.from, range.to], [range.from, range.to]);
  // A range that ends at the present (within 5 % of its span) zooms in about its end, so the newest
  // data stays in view; any other range about its middle.
  const zoomAt = range.to >= now - span * 0.05 ? range.to : (range.from + range.to) / 2;
  const loading = !loaded || loaded.range !== range;
  return (
    <div className="history" data-testid="history-view" data-from={range.from} data-to={range.to}>
      <div className="history-controls">
        <div className="seg" role="group" aria-label="history range">
          {PRESETS.map((p) => (
            <button key={p.id} className={span === p.ms ? 'active' : ''} onClick={() => setBoth(presetRange(p.ms, now))} data-testid={`history-${p.id}`}>
              {p.label}
            </button>
          ))}
        </div>
        <div className="seg" role="group" aria-label="zoom and pan">
          <button onClick={() => setBoth(pan(range, -0.5, now))} aria-label="earlier" data-testid="history-earlier">
            ◀
          </button>
          <button onClick={() => setBoth(zoom(range, 0.5, now, zoomAt))} aria-label="zoom in" data-testid="history-zoom-in">
            +
          </button>
          <button onClick={() => setBoth(zoom(range, 2, now))} aria-label="zoom out" data-testid="history-zoom-out">
            −
          </button>
          <button onClick={() => setBoth(pan(range, 0.5, now))} aria-label="later" data-testid="history-later">
            ▶
          </button>
        </div>
        <form
          className="history-custom"
          onSubmit={(e) => {
            e.preventDefault();
            const r = parseCustom(custom.from, custom.to, now);
            if ('error' in r) setCustomError(r.error);
            else {
              setCustomError(null);
              setRange(r);
            }
          }}
        >
          <input type="datetime-local" aria-label="from" value={custom.from} onChange={(e) => setCustom({ ...custom, from: e.target.value })} />
          <input type="datetime-local" aria-label="to" value={custom.to} onChange={(e) => setCustom({ ...custom, to: e.target.value })} />
          <button type="submit" data-testid="history-apply">
            Show
          </button>
        </form>
      </div>
      {customError && <div className="notice error">{customError}</div>}
      {loaded?.error && <div className="notice error">Could not load the history: {loaded.error}</div>}
      <div className="legend">
        <span>
          <i className="sw sw-live" /> mean, band = min–max per bucket
        </span>
        <span>
          <i className="sw sw-backfill" /> link down: data backfilled
        </span>
        <span>
          <i className="sw sw-gap" /> gap: no data
        </span>
        {loaded?.series?.series[0] && <span className="muted">{resolutionLabel(loaded.series.series[0])}</span>}
        {loading && <span className="spinner" aria-hidden="true" />}
      </div>
      <div className="charts">
        {names.length === 0 && <div className="placeholder">No signal chosen: pick some with “Signals”.</div>}
        {loaded?.series?.series.map((s, i) => (
          <HistoryChart
            key={s.signal}
            name={s.signal}
            unit={s.unit ?? ''}
            step={s.type !== 'float'}
            data={rows[i]}
            domain={domain}
            color={COLORS[i % COLORS.length]}
            offline={loaded.offline}
            gapEvents={loaded.gapEvents}
            drag={drag}
            onDrag={setDrag}
            onSelect={onSelect}
          />
        ))}
      </div>
    </div>
  );
}

interface ChartProps {
  name: string;
  unit: string;
  step: boolean;
  data: { rows: HistoryRow[]; holes: Array<[number, number]> };
  domain: [number, number];
  color: string;
  offline: Array<[number, number]>;
  gapEvents: number[];
  drag: { a: number; b: number } | null;
  onDrag(d: { a: number; b: number } | null): void;
  onSelect(a: number, b: number): void;
}

type ChartEvent = { activeLabel?: string | number } | null;
const labelT = (e: ChartEvent) => (e && e.activeLabel !== undefined ? Number(e.activeLabel) : null);

const HistoryChart = memo(function HistoryChart(p: ChartProps) {
  const span = p.domain[1] - p.domain[0];
  const points = p.data.rows.reduce((n, r) => (r.mean === null ? n : n + 1), 0);
  return (
    <figure className="chart" data-testid={`history-chart-${p.name}`} data-points={points} data-holes={p.data.holes.length}>
      <figcaption>
        <span>{labelOf(p.name)}</span>
        <small>{p.unit}</small>
      </figcaption>
      <ResponsiveContainer width="100%" height={170}>
        <ComposedChart
          data={p.data.rows}
          margin={{ top: 6, right: 8, bottom: 0, left: -14 }}
          onMouseDown={(e: ChartEvent) => {
            const t = labelT(e);
            if (t !== null) p.onDrag({ a: t, b: t });
          }}
          onMouseMove={(e: ChartEvent) => {
            const t = labelT(e);
            if (p.drag && t !== null) p.onDrag({ a: p.drag.a, b: t });
          }}
          onMouseUp={() => p.drag && p.onSelect(p.drag.a, p.drag.b)}
        >
          <CartesianGrid stroke="var(--grid)" vertical={false} />
          <XAxis dataKey="t" type="number" scale="time" domain={p.domain} allowDataOverflow tickCount={5} tickFormatter={(t: number) => axisLabel(t, span)} tick={{ fill: 'var(--muted)', fontSize: 11 }} stroke="var(--border)" />
          <YAxis tick={{ fill: 'var(--muted)', fontSize: 11 }} stroke="var(--border)" width={52} domain={['auto', 'auto']} />
          {p.offline.map(([a, b]) => (
            <ReferenceArea key={`o${a}`} x1={a} x2={b} fill="var(--backfill)" fillOpacity={0.15} ifOverflow="hidden" />
          ))}
          {p.data.holes.map(([a, b]) => (
            <ReferenceArea key={`h${a}`} x1={a} x2={b} fill="var(--offline)" fillOpacity={0.09} stroke="var(--offline)" strokeOpacity={0.35} strokeDasharray="3 3" ifOverflow="hidden" />
          ))}
          {p.gapEvents.map((t) => (
            <ReferenceLine key={`g${t}`} x={t} stroke="var(--offline)" strokeDasharray="2 2" ifOverflow="hidden" />
          ))}
          {p.drag && <ReferenceArea x1={Math.min(p.drag.a, p.drag.b)} x2={Math.max(p.drag.a, p.drag.b)} fill="var(--accent)" fillOpacity={0.15} />}
          <Area type={p.step ? 'stepAfter' : 'linear'} dataKey="band" stroke="none" fill={p.color} fillOpacity={0.25} connectNulls={false} isAnimationActive={false} />
          <Line type={p.step ? 'stepAfter' : 'linear'} dataKey="mean" stroke={p.color} strokeWidth={1.6} dot={false} connectNulls={false} isAnimationActive={false} />
          <Tooltip
            contentStyle={{ background: 'var(--panel-2)', border: '1px solid var(--border)', borderRadius: 8, color: 'var(--text)' }}
            labelFormatter={(t) => new Date(Number(t)).toISOString().replace('T', ' ').slice(0, 19) + 'Z'}
            isAnimationActive={false}
          />
        </ComposedChart>
      </ResponsiveContainer>
    </figure>
  );
});
