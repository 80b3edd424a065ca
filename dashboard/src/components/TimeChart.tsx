import { memo } from 'react';
import { CartesianGrid, Line, LineChart, ReferenceArea, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import { timeTicks } from '../data/series';
import { formatClock } from '../data/format';

export interface TimeChartProps {
  id: string;
  title: string;
  unit: string;
  rows: ReadonlyArray<TimeRow>;
  /** the row key drawn as the line */
  field: string;
  domain: [number, number];
  color: string;
  decimals?: number;
  spans: Array<[number, number]>;
  gaps: Array<[number, number]>;
  /** Time ranges without data (gaps, and a silent vehicle's trailing time), shaded. */
  holes: Array<[number, number]>;
  /** A row key holding the value only on backfilled rows: drawn a second time, highlighted. */
  highlightField?: string;
  zeroLine?: boolean;
  /** Draw steps (a value holds until the next one: integer signals) instead of straight segments. */
  step?: boolean;
}

/** A chart row: capture time, whether it holds backfilled data, and the values by key. */
export type TimeRow = { t: number; backfilled: boolean } & { [key: string]: number | boolean | null };

const isNum = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v);

/** Time ticks, without those so close to an edge that their label would be clipped. */
function innerTicks([from, to]: [number, number]): number[] {
  const margin = (to - from) * 0.07;
  return timeTicks(from, to, 4).filter((t) => t >= from + margin && t <= to - margin);
}

/**
 * One time-series chart: x = capture time, the line breaks at null rows (gaps are gaps), and
 * backfilled spans are shaded. The container carries data-* counts for the browser test.
 */
export const TimeChart = memo(function TimeChart(p: TimeChartProps) {
  const points = p.rows.reduce((n, r) => (isNum(r[p.field]) ? n + 1 : n), 0);
  const backfilled = p.rows.reduce((n, r) => (r.backfilled && isNum(r[p.field]) ? n + 1 : n), 0);
  const last = [...p.rows].reverse().find((r) => isNum(r[p.field]));
  return (
    <figure
      className="chart"
      data-testid={`chart-${p.id}`}
      data-points={points}
      data-backfilled={backfilled}
      data-gaps={JSON.stringify(p.gaps.slice(-50))}
    >
      <figcaption>
        <span>{p.title}</span>
        <span className="chart-value">
          {last ? (last[p.field] as number).toFixed(p.decimals ?? 1) : '—'} <small>{p.unit}</small>
        </span>
      </figcaption>
      <ResponsiveContainer width="100%" height={170}>
        <LineChart data={p.rows as TimeRow[]} margin={{ top: 6, right: 8, bottom: 0, left: -14 }}>
          <CartesianGrid stroke="var(--grid)" vertical={false} />
          <XAxis
            dataKey="t"
            type="number"
            scale="time"
            domain={p.domain}
            allowDataOverflow
            ticks={innerTicks(p.domain)}
            interval={0}
            tickFormatter={(t: number) => formatClock(t)}
            tick={{ fill: 'var(--muted)', fontSize: 11 }}
            stroke="var(--border)"
          />
          <YAxis
            tick={{ fill: 'var(--muted)', fontSize: 11 }}
            stroke="var(--border)"
            width={52}
            tickCount={5}
            interval={0}
            domain={['auto', 'auto']}
            tickFormatter={(v: number) => (Math.abs(v) >= 1000 ? `${(v / 1000).toFixed(1)}k` : String(Math.round(v * 100) / 100))}
          />
          {p.spans.map(([a, b]) => (
            <ReferenceArea key={`${a}-${b}`} x1={a} x2={Math.max(b, a + 200)} fill="var(--backfill)" fillOpacity={0.2} ifOverflow="hidden" />
          ))}
          {p.holes.map(([a, b]) => (
            <ReferenceArea key={`h${a}-${b}`} x1={a} x2={b} fill="var(--offline)" fillOpacity={0.09} stroke="var(--offline)" strokeOpacity={0.35} strokeDasharray="3 3" ifOverflow="hidden" />
          ))}
          {p.zeroLine && <ReferenceArea y1={0} y2={0} stroke="var(--border)" />}
          <Tooltip
            contentStyle={{ background: 'var(--panel-2)', border: '1px solid var(--border)', borderRadius: 8, color: 'var(--text)' }}
            labelFormatter={(t) => formatClock(Number(t))}
            formatter={(v) => [typeof v === 'number' ? `${v.toFixed(p.decimals ?? 1)} ${p.unit}` : '—', p.title]}
            isAnimationActive={false}
          />
          <Line
            type={p.step ? 'stepAfter' : 'linear'}
            dataKey={p.field}
            stroke={p.color}
            strokeWidth={1.8}
            dot={false}
            connectNulls={false}
            isAnimationActive={false}
            name={p.title}
          />
          {p.highlightField && (
            <Line
              type={p.step ? 'stepAfter' : 'linear'}
              dataKey={p.highlightField}
              stroke="var(--backfill)"
              strokeWidth={2.6}
              dot={false}
              connectNulls={false}
              isAnimationActive={false}
              legendType="none"
              tooltipType="none"
            />
          )}
        </LineChart>
      </ResponsiveContainer>
    </figure>
  );
});
