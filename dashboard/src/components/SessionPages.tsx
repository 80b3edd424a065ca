import { useMemo, useState } from 'react';
import { CartesianGrid, Line, LineChart, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import { fetchCharge, fetchDrive, type Charge, type Drive } from '../api/sessions';
import type { VehicleState } from '../api/types';
import { fillRollingEfficiency } from '../data/efficiency';
import { backfilledSpans, findGaps, LOCATION, ODOMETER, POWER, SPEED, toChartRows } from '../data/series';
import {
  backfillLabel,
  efficiencySeries,
  formatCost,
  formatDateTime,
  formatDistance,
  formatDuration,
  formatPlace,
  formatSpeed,
  KM_PER_MI,
  loadUnits,
  meanEfficiency,
  rangeQuery,
  routeHash,
  saveUnits,
  sessionBucket,
  sessionPoints,
  type DistanceUnit,
  type Route,
} from '../data/sessions';
import { signalRows } from '../data/signals';
import { useCatalogue } from '../live/useCatalogue';
import { useSessionFrames, useSessionList } from '../live/useSessions';
import { useAsync } from '../live/useAsync';
import { DriveMap } from './DriveMap';
import { TimeChart, type TimeRow } from './TimeChart';
import { modelName } from './VehicleCard';

const fmt = (v: number | null | undefined, d: number) => (v === null || v === undefined || !Number.isFinite(v) ? '—' : v.toFixed(d));

/** Live · Drives · Charges: the vehicle's pages, as links (hash routes). */
export function VehicleTabs({ vin, page }: { vin: string; page: Route['page'] }) {
  const tab = (target: 'live' | 'drives' | 'charges', label: string) => {
    const active = page === target || (target === 'drives' && page === 'drive') || (target === 'charges' && page === 'charge');
    return (
      <a className={active ? 'active' : ''} href={routeHash({ page: target, vin } as Route)} data-testid={`tab-${target}`} aria-current={active ? 'page' : undefined}>
        {label}
      </a>
    );
  };
  return (
    <nav className="seg tabs" aria-label="vehicle pages">
      {tab('live', 'Live')}
      {tab('drives', 'Drives')}
      {tab('charges', 'Charges')}
    </nav>
  );
}

function useUnits(): [DistanceUnit, (u: DistanceUnit) => void] {
  const [u, setU] = useState(loadUnits);
  return [
    u,
    (v) => {
      saveUnits(v);
      setU(v);
    },
  ];
}

function UnitToggle({ units, set }: { units: DistanceUnit; set(u: DistanceUnit): void }) {
  return (
    <div className="seg" role="group" aria-label="distance unit">
      {(['km', 'mi'] as const).map((u) => (
        <button key={u} className={u === units ? 'active' : ''} onClick={() => set(u)} data-testid={`units-${u}`}>
          {u}
        </button>
      ))}
    </div>
  );
}

/** From / to dates (the browser's zone; `to` includes its whole day) for the lists. */
function DateRange({ from, to, onChange, error }: { from: string; to: string; onChange(from: string, to: string): void; error: string | null }) {
  return (
    <div className="date-range" role="group" aria-label="date range">
      <label>
        from <input type="date" value={from} onChange={(e) => onChange(e.target.value, to)} data-testid="range-from" />
      </label>
      <label>
        to <input type="date" value={to} onChange={(e) => onChange(from, e.target.value)} data-testid="range-to" />
      </label>
      {(from || to) && (
        <button className="btn" onClick={() => onChange('', '')} data-testid="range-clear">
          all
        </button>
      )}
      {error && (
        <span className="notice error" role="alert" data-testid="range-error">
          {error}
        </span>
      )}
    </div>
  );
}

function PageHead({ vehicle, vin, page, title, children }: { vehicle?: VehicleState; vin: string; page: Route['page']; title: string; children?: React.ReactNode }) {
  return (
    <header className="panel-head">
      <div>
        <h2>
          {vehicle?.name ?? vin} · {title}
        </h2>
        <div className="card-sub">
          {vehicle ? `${modelName(vehicle.model)} · ` : ''}
          <span className="mono">{vin}</span>
        </div>
      </div>
      <div className="panel-actions">
        {children}
        <VehicleTabs vin={vin} page={page} />
      </div>
    </header>
  );
}

/** The range inputs, and the last valid query made of them (an invalid range keeps the list as it was). */
function useRange() {
  const [range, setRange] = useState({ from: '', to: '' });
  const [applied, setApplied] = useState<{ fromMs: number | null; toMs: number | null }>({ fromMs: null, toMs: null });
  const q = rangeQuery(range.from, range.to);
  const set = (r: { from: string; to: string }) => {
    setRange(r);
    const next = rangeQuery(r.from, r.to);
    if (!next.error) setApplied({ fromMs: next.fromMs, toMs: next.toMs });
  };
  return { range, setRange: set, q: { ...applied, error: q.error } };
}

function ListFoot({ list, noun }: { list: { items: unknown[]; loading: boolean; error: string | null; more: boolean; loadMore(): void }; noun: string }) {
  return (
    <div className="list-foot">
      {list.error && <div className="notice error">Could not load {noun}: {list.error}</div>}
      {list.loading && (
        <span className="muted small">
          <span className="spinner" aria-hidden="true" /> loading {noun}…
        </span>
      )}
      {!list.loading && !list.error && list.items.length === 0 && (
        <div className="placeholder" data-testid={`${noun}-empty`}>
          No {noun} in this range yet — they appear once the server has derived them from the stored frames.
        </div>
      )}
      {list.more && !list.loading && (
        <button className="btn" onClick={list.loadMore} data-testid="load-more">
          Load more
        </button>
      )}
    </div>
  );
}

export function DrivesPage({ vin, vehicle }: { vin: string; vehicle?: VehicleState }) {
  const [units, setUnits] = useUnits();
  const { range, setRange, q } = useRange();
  const list = useSessionList<Drive>(vin, 'drives', q.fromMs, q.toMs);
  const eff = useMemo(() => efficiencySeries(list.items, units), [list.items, units]);
  const mean = meanEfficiency(list.items, units);
  return (
    <section className="panel sessions" data-testid={`drives-${vin}`} aria-label="drives">
      <PageHead vehicle={vehicle} vin={vin} page="drives" title="Drives">
        <UnitToggle units={units} set={setUnits} />
      </PageHead>
      <DateRange from={range.from} to={range.to} error={q.error} onChange={(from, to) => setRange({ from, to })} />
      <EfficiencyChart points={eff} units={units} mean={mean} />
      {list.items.length > 0 && (
        <div className="table-wrap">
          <table className="sessions-table" data-testid="drives-table">
            <thead>
              <tr>
                <th>Date</th>
                <th className="hide-phone">From → to</th>
                <th>Distance</th>
                <th>Duration</th>
                <th className="hide-phone">Energy</th>
                <th>Wh/{units}</th>
                <th className="hide-phone">Max speed</th>
              </tr>
            </thead>
            <tbody>
              {list.items.map((d) => (
                <tr key={d.id} data-testid={`drive-row-${d.id}`} data-backfill={d.backfillFraction ?? 0} onClick={() => (window.location.hash = routeHash({ page: 'drive', vin, id: d.id }))}>
                  <td>
                    <a href={routeHash({ page: 'drive', vin, id: d.id })} data-testid={`drive-link-${d.id}`}>
                      {formatDateTime(d.startMs)}
                    </a>
                    {backfillLabel(d.backfillFraction) && <span className="pill pill-backfill" title="share of the drive's frames that arrived after a dead zone">{backfillLabel(d.backfillFraction)}</span>}
                  </td>
                  <td className="hide-phone mono small">
                    {formatPlace(d.startLat, d.startLon)} → {formatPlace(d.endLat, d.endLon)}
                  </td>
                  <td>{formatDistance(d.distanceMi, units)}</td>
                  <td>{formatDuration(d.durationS)}</td>
                  <td className="hide-phone">{fmt(d.energyKwh, 2)} kWh</td>
                  <td>{fmt(units === 'km' ? d.whPerKm : d.whPerMi, 0)}</td>
                  <td className="hide-phone">{formatSpeed(d.maxSpeedMph, units)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      <ListFoot list={list} noun="drives" />
    </section>
  );
}

/** Efficiency per drive over time (one dot per drive; backfilled drives amber). */
function EfficiencyChart({ points, units, mean }: { points: ReturnType<typeof efficiencySeries>; units: DistanceUnit; mean: number | null }) {
  const days = points.length > 1 ? (points[points.length - 1].t - points[0].t) / 86_400_000 : 0;
  const tick = (t: number) => (days > 2 ? formatDateTime(t).slice(5, 10) : formatDateTime(t).slice(11));
  return (
    <figure className="chart efficiency-over-time" data-testid="chart-drive-efficiency" data-points={points.length}>
      <figcaption>
        <span>Efficiency per drive</span>
        <span className="chart-value">
          {mean === null ? '—' : mean.toFixed(0)} <small>Wh/{units} overall</small>
        </span>
      </figcaption>
      {points.length === 0 ? (
        <div className="placeholder small">no drive long enough (≥ 0.3 mi) with a known energy in this range</div>
      ) : (
        <ResponsiveContainer width="100%" height={170}>
          <LineChart data={points} margin={{ top: 6, right: 8, bottom: 0, left: -14 }}>
            <CartesianGrid stroke="var(--grid)" vertical={false} />
            <XAxis dataKey="t" type="number" scale="time" domain={['dataMin', 'dataMax']} tickFormatter={tick} tick={{ fill: 'var(--muted)', fontSize: 11 }} stroke="var(--border)" />
            <YAxis tick={{ fill: 'var(--muted)', fontSize: 11 }} stroke="var(--border)" width={52} domain={['auto', 'auto']} />
            <Tooltip
              contentStyle={{ background: 'var(--panel-2)', border: '1px solid var(--border)', borderRadius: 8, color: 'var(--text)' }}
              labelFormatter={(t) => formatDateTime(Number(t))}
              formatter={(v) => [`${typeof v === 'number' ? v.toFixed(0) : v} Wh/${units}`, 'efficiency']}
              isAnimationActive={false}
            />
            <Line
              dataKey="v"
              stroke="#f472b6"
              strokeWidth={1.4}
              isAnimationActive={false}
              dot={(props: { cx?: number; cy?: number; payload?: { backfilled: boolean; id: number } }) => (
                <circle key={props.payload?.id} cx={props.cx} cy={props.cy} r={3.5} fill={props.payload?.backfilled ? 'var(--backfill)' : '#f472b6'} />
              )}
            />
          </LineChart>
        </ResponsiveContainer>
      )}
    </figure>
  );
}

export function ChargesPage({ vin, vehicle }: { vin: string; vehicle?: VehicleState }) {
  const { range, setRange, q } = useRange();
  const list = useSessionList<Charge>(vin, 'charges', q.fromMs, q.toMs);
  const total = list.items.reduce((s, c) => s + (c.energyAddedKwh ?? 0), 0);
  return (
    <section className="panel sessions" data-testid={`charges-${vin}`} aria-label="charges">
      <PageHead vehicle={vehicle} vin={vin} page="charges" title="Charges" />
      <DateRange from={range.from} to={range.to} error={q.error} onChange={(from, to) => setRange({ from, to })} />
      {list.items.length > 0 && (
        <>
          <div className="muted small">
            {list.items.length} sessions{list.more ? ' (more below)' : ''} · {total.toFixed(2)} kWh added
          </div>
          <div className="table-wrap">
            <table className="sessions-table" data-testid="charges-table">
              <thead>
                <tr>
                  <th>Date</th>
                  <th className="hide-phone">Place</th>
                  <th>Energy</th>
                  <th>SoC</th>
                  <th className="hide-phone">Duration</th>
                  <th className="hide-phone">Peak</th>
                  <th>Type</th>
                  <th>Cost</th>
                </tr>
              </thead>
              <tbody>
                {list.items.map((c) => (
                  <tr key={c.id} data-testid={`charge-row-${c.id}`} onClick={() => (window.location.hash = routeHash({ page: 'charge', vin, id: c.id }))}>
                    <td>
                      <a href={routeHash({ page: 'charge', vin, id: c.id })} data-testid={`charge-link-${c.id}`}>
                        {formatDateTime(c.startMs)}
                      </a>
                      {backfillLabel(c.backfillFraction) && <span className="pill pill-backfill">{backfillLabel(c.backfillFraction)}</span>}
                    </td>
                    <td className="hide-phone mono small">{formatPlace(c.lat, c.lon)}</td>
                    <td>{fmt(c.energyAddedKwh, 2)} kWh</td>
                    <td>
                      {fmt(c.socFrom, 0)} → {fmt(c.socTo, 0)} %
                    </td>
                    <td className="hide-phone">{formatDuration(c.durationS)}</td>
                    <td className="hide-phone">{fmt(c.peakPowerKw, 1)} kW</td>
                    <td>{c.kind}</td>
                    <td>{formatCost(c.cost, c.currency)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        </>
      )}
      <ListFoot list={list} noun="charges" />
    </section>
  );
}

function Facts({ items, testid }: { items: Array<[string, string]>; testid: string }) {
  return (
    <dl className="facts" data-testid={testid}>
      {items.map(([k, v]) => (
        <div key={k}>
          <dt>{k}</dt>
          <dd>{v}</dd>
        </div>
      ))}
    </dl>
  );
}

/** The signals a session's charts read, those of the vehicle's catalogue (all of them without one). */
function useSessionSignals(vehicle: VehicleState | undefined, vin: string, wanted: readonly string[]): string[] | null {
  const cat = useCatalogue(vehicle ?? { vin, catalogue: null });
  const key = cat.index ? cat.index.known(wanted).join(',') : cat.error ? '*' : null;
  return useMemo(() => (key === null ? null : key === '*' ? [] : key.split(',').filter(Boolean)), [key]);
}

const DRIVE_SIGNALS = [SPEED, POWER, 'Elevation', ODOMETER, LOCATION, 'Soc'];
const CHARGE_SIGNALS = ['ACChargingPower', 'DCChargingPower', 'Soc', 'PackVoltage', 'PackCurrent'];
const LINE_COLORS = ['var(--accent)', '#34d399', '#fbbf24', '#a78bfa', '#f472b6'];

/** Rows of one signal with a unit conversion (mph → km/h). */
function scaled(rows: TimeRow[], k: number): TimeRow[] {
  if (k === 1) return rows;
  return rows.map((r) => ({ ...r, v: typeof r.v === 'number' ? r.v * k : r.v, bv: typeof r.bv === 'number' ? r.bv * k : r.bv }));
}

export function DriveDetail({ vin, id, vehicle }: { vin: string; id: number; vehicle?: VehicleState }) {
  const [units, setUnits] = useUnits();
  const drive = useAsync(`drive|${vin}|${id}`, (abort) => fetchDrive(vin, id, abort));
  const d = drive.value;
  const signals = useSessionSignals(vehicle, vin, DRIVE_SIGNALS);
  const frames = useSessionFrames(vin, d ? d.startMs : null, d ? d.endMs : null, signals);
  const view = useMemo(() => {
    if (!d || !frames.rows) return null;
    const pts = sessionPoints(frames.rows, frames.offline);
    const bucket = sessionBucket(d.startMs, d.endMs);
    const rows = fillRollingEfficiency(toChartRows(pts, bucket), 30_000);
    const effRows = rows.map((r) => ({ t: r.t, backfilled: r.backfilled, e: r.efficiency === null ? null : units === 'km' ? r.efficiency / KM_PER_MI : r.efficiency }));
    const line = (name: string) => signalRows(pts, name, bucket) as TimeRow[];
    return { pts, rows, effRows, line, spans: backfilledSpans(rows), gaps: findGaps(pts, Math.max(1000, bucket * 2.5)), backfilled: pts.filter((p) => p.backfilled).length };
  }, [d, frames, units]);
  const domain: [number, number] = d ? [d.startMs, Math.max(d.endMs, d.startMs + 1000)] : [0, 1];
  const chart = (key: string, title: string, unit: string, rows: TimeRow[], field: string, color: string, decimals: number, highlight = true, zero = false) => (
    <TimeChart key={key} id={key} title={title} unit={unit} field={field} highlightField={highlight ? 'bv' : undefined} rows={rows} domain={domain} color={color} spans={view!.spans} gaps={view!.gaps} holes={view!.gaps} decimals={decimals} zeroLine={zero} />
  );
  return (
    <section className="panel sessions drive-detail" data-testid={`drive-${id}`} aria-label="drive">
      <PageHead vehicle={vehicle} vin={vin} page="drive" title={d ? `Drive ${formatDateTime(d.startMs)}` : 'Drive'}>
        <UnitToggle units={units} set={setUnits} />
      </PageHead>
      <a className="back" href={routeHash({ page: 'drives', vin })} data-testid="back-to-drives">
        ← all drives
      </a>
      {drive.error && <div className="notice error">Could not load the drive: {drive.error}</div>}
      {d && (
        <Facts
          testid="drive-facts"
          items={[
            ['Start', formatDateTime(d.startMs)],
            ['From → to', `${formatPlace(d.startLat, d.startLon)} → ${formatPlace(d.endLat, d.endLon)}`],
            ['Distance', formatDistance(d.distanceMi, units)],
            ['Duration', formatDuration(d.durationS)],
            ['Energy', `${fmt(d.energyKwh, 2)} kWh (${d.energySource})`],
            [`Efficiency`, `${fmt(units === 'km' ? d.whPerKm : d.whPerMi, 0)} Wh/${units}`],
            ['Max / mean speed', `${formatSpeed(d.maxSpeedMph, units)} / ${formatSpeed(d.meanSpeedMph, units)}`],
            ['Elevation', `+${fmt(d.elevationGainM, 0)} m / −${fmt(d.elevationLossM, 0)} m`],
            ['SoC', `${fmt(d.startSoc, 1)} → ${fmt(d.endSoc, 1)} %`],
            ['Backfilled', backfillLabel(d.backfillFraction) || 'none'],
          ]}
        />
      )}
      {frames.error && <div className="notice error">Could not load the drive's frames: {frames.error}</div>}
      {d && !view && !frames.error && (
        <div className="placeholder" data-testid="drive-loading">
          <span className="spinner" aria-hidden="true" /> loading the drive's frames…
        </div>
      )}
      {view && (
        <>
          <div className="legend">
            <span>
              <i className="sw sw-live" /> live
            </span>
            <span>
              <i className="sw sw-backfill" /> backfilled after a dead zone ({view.backfilled} frames)
            </span>
            <span>
              <i className="sw sw-gap" /> gap: no data
            </span>
            <span className="muted">{view.pts.length} frames</span>
          </div>
          <div className="charts">
            <DriveMap points={view.pts} />
            {chart('drive-speed', 'Speed', units === 'km' ? 'km/h' : 'mph', scaled(view.line(SPEED), units === 'km' ? KM_PER_MI : 1), 'v', LINE_COLORS[0], 0)}
            {chart('drive-power', 'Power', 'kW', view.line(POWER), 'v', LINE_COLORS[1], 1, true, true)}
            {chart('drive-elevation', 'Elevation', 'm', view.line('Elevation'), 'v', LINE_COLORS[3], 0)}
            {chart('drive-efficiency', 'Efficiency (30 s rolling)', `Wh/${units}`, view.effRows as unknown as TimeRow[], 'e', LINE_COLORS[4], 0, false, true)}
          </div>
        </>
      )}
    </section>
  );
}

export function ChargeDetail({ vin, id, vehicle }: { vin: string; id: number; vehicle?: VehicleState }) {
  const charge = useAsync(`charge|${vin}|${id}`, (abort) => fetchCharge(vin, id, abort));
  const c = charge.value;
  const signals = useSessionSignals(vehicle, vin, CHARGE_SIGNALS);
  const frames = useSessionFrames(vin, c ? c.startMs : null, c ? c.endMs : null, signals);
  const view = useMemo(() => {
    if (!c || !frames.rows) return null;
    const pts = sessionPoints(frames.rows, frames.offline);
    const bucket = sessionBucket(c.startMs, c.endMs);
    const line = (name: string) => signalRows(pts, name, bucket) as TimeRow[];
    const rows = toChartRows(pts, bucket);
    return { pts, line, spans: backfilledSpans(rows), gaps: findGaps(pts, Math.max(1000, bucket * 2.5)) };
  }, [c, frames]);
  const domain: [number, number] = c ? [c.startMs, Math.max(c.endMs, c.startMs + 1000)] : [0, 1];
  const power = c?.kind === 'DC' ? 'DCChargingPower' : 'ACChargingPower';
  return (
    <section className="panel sessions charge-detail" data-testid={`charge-${id}`} aria-label="charge">
      <PageHead vehicle={vehicle} vin={vin} page="charge" title={c ? `Charge ${formatDateTime(c.startMs)}` : 'Charge'} />
      <a className="back" href={routeHash({ page: 'charges', vin })} data-testid="back-to-charges">
        ← all charges
      </a>
      {charge.error && <div className="notice error">Could not load the charge: {charge.error}</div>}
      {c && (
        <Facts
          testid="charge-facts"
          items={[
            ['Start', formatDateTime(c.startMs)],
            ['Place', formatPlace(c.lat, c.lon)],
            ['Duration', formatDuration(c.durationS)],
            ['Energy added', `${fmt(c.energyAddedKwh, 2)} kWh`],
            ['SoC', `${fmt(c.socFrom, 1)} → ${fmt(c.socTo, 1)} %`],
            ['Peak / mean power', `${fmt(c.peakPowerKw, 1)} / ${fmt(c.meanPowerKw, 1)} kW`],
            ['Type', c.kind],
            ['Cost', formatCost(c.cost, c.currency)],
            ['Backfilled', backfillLabel(c.backfillFraction) || 'none'],
          ]}
        />
      )}
      {frames.error && <div className="notice error">Could not load the charge's frames: {frames.error}</div>}
      {view && (
        <div className="charts">
          {[
            [power, `Charger power (${c!.kind})`, 'kW', 1],
            ['Soc', 'State of charge', '%', 1],
          ].map(([name, title, unit, dec], i) => (
            <TimeChart
              key={name}
              id={`charge-${name === 'Soc' ? 'soc' : 'power'}`}
              title={title as string}
              unit={unit as string}
              field="v"
              highlightField="bv"
              rows={view.line(name as string)}
              domain={domain}
              color={LINE_COLORS[i]}
              spans={view.spans}
              gaps={view.gaps}
              holes={view.gaps}
              decimals={dec as number}
            />
          ))}
        </div>
      )}
    </section>
  );
}
