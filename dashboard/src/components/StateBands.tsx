import { memo } from 'react';
import type { SignalInfo } from '../api/types';
import { formatClock } from '../data/format';
import { formatValue, labelOf, stateColor, type StateSegment } from '../data/signals';
import { timeTicks } from '../data/series';

export interface Band {
  name: string;
  signal: SignalInfo | undefined;
  segments: StateSegment[];
}

export interface StateBandsProps {
  bands: Band[];
  domain: [number, number];
  /** time ranges without any frame, shaded like on the charts */
  holes: Array<[number, number]>;
  /** backfilled spans, shaded like on the charts */
  spans: Array<[number, number]>;
}

/** A segment narrower than this (percent of the window) still gets a sliver, so it is visible. */
const MIN_WIDTH_PCT = 0.35;
/** Segments wider than this (percent) carry their value as text. */
const LABEL_PCT = 7;

function clip([d0, d1]: [number, number], from: number, to: number): { left: number; width: number } | null {
  const span = d1 - d0;
  if (!(span > 0) || to < d0 || from > d1) return null;
  const a = Math.max(from, d0);
  const b = Math.min(to, d1);
  const left = ((a - d0) / span) * 100;
  return { left, width: Math.min(100 - left, Math.max(MIN_WIDTH_PCT, ((b - a) / span) * 100)) };
}

function describe(b: Band, domain: [number, number]): string {
  const inWindow = b.segments.filter((s) => s.to >= domain[0] && s.from <= domain[1]);
  if (inWindow.length === 0) return `${b.name}: no value in this window`;
  const parts = inWindow.slice(-8).map((s) => `${formatValue(b.signal, s.value)} from ${formatClock(Math.max(s.from, domain[0]))} to ${formatClock(s.to)}`);
  return `${b.name}: ${inWindow.length > 8 ? `${inWindow.length} values, the last 8: ` : ''}${parts.join(', ')}`;
}

/**
 * Enum, boolean and string signals as coloured horizontal bands over capture time, one row per
 * signal, on the same time window and ticks as the line charts (the track spans the same inner
 * width as a chart's plot area). A value holds until the next capture; gaps (unavailable, or no
 * frames) stay empty; holes in the frames are shaded red as on the charts.
 */
export const StateBands = memo(function StateBands({ bands, domain, holes, spans }: StateBandsProps) {
  const ticks = timeTicks(domain[0], domain[1], 6).filter((t) => t > domain[0] && t < domain[1]);
  return (
    <figure className="chart bands" data-testid="state-bands" aria-label="states over time">
      <figcaption>
        <span>States</span>
        <span className="muted small">a value holds until the next capture · empty = unavailable or no data</span>
      </figcaption>
      {bands.map((b) => {
        const inWindow = b.segments.filter((s) => s.to >= domain[0] && s.from <= domain[1]);
        const now = b.segments.length ? b.segments[b.segments.length - 1] : null;
        return (
          <div
            key={b.name}
            className="band-row"
            data-testid={`state-band-${b.name}`}
            data-segments={inWindow.length}
            data-values={JSON.stringify([...new Set(inWindow.map((s) => s.value))])}
          >
            <div className="band-label">
              <span title={b.name}>{labelOf(b.name)}</span>
              <span className="band-now">{now ? formatValue(b.signal, now.value) : '—'}</span>
            </div>
            <div className="band-track" role="img" aria-label={describe(b, domain)}>
              {inWindow.map((s) => {
                const g = clip(domain, s.from, s.to)!;
                const text = formatValue(b.signal, s.value);
                return (
                  <div
                    key={`${s.from}`}
                    className="band-seg"
                    style={{ left: `${g.left}%`, width: `${g.width}%`, background: stateColor(b.signal, s.value) }}
                    title={`${b.name} ${text} ${formatClock(s.from)}–${formatClock(s.to)}`}
                  >
                    {g.width >= LABEL_PCT && <span>{text}</span>}
                  </div>
                );
              })}
              {spans.map(([a, z]) => {
                const g = clip(domain, a, z);
                return g && <div key={`s${a}`} className="band-backfill" style={{ left: `${g.left}%`, width: `${g.width}%` }} />;
              })}
              {holes.map(([a, z]) => {
                const g = clip(domain, a, z);
                return g && <div key={`h${a}`} className="band-hole" style={{ left: `${g.left}%`, width: `${g.width}%` }} />;
              })}
            </div>
          </div>
        );
      })}
      <div className="band-axis" aria-hidden="true">
        {ticks.map((t) => (
          <span key={t} style={{ left: `${((t - domain[0]) / (domain[1] - domain[0])) * 100}%` }}>
            {formatClock(t)}
          </span>
        ))}
      </div>
    </figure>
  );
});
