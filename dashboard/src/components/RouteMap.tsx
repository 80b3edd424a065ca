import { memo } from 'react';
import { GAP_MS, LOCATION, position, type Point } from '../data/series';

const W = 320;
const H = 220;
const PAD = 12;
const MAX_POINTS = 900;

interface Segment {
  d: string;
  backfilled: boolean;
}

interface Fix {
  lat: number;
  lon: number;
  backfilled: boolean;
  /** the frames have a hole (> GAP_MS without any frame) since the previous fix */
  afterHole: boolean;
}

/**
 * Projects the Location fixes of sparse frames to SVG paths: equirectangular around the mean
 * latitude, fitted into the box, a new path at every hole in the frames (> GAP_MS without any
 * frame: fixes at their own rate, e.g. 1 Hz, are one line) and at every change between live and
 * backfilled.
 */
export function routeSegments(points: Point[], width = W, height = H): { segments: Segment[]; head: [number, number] | null } {
  const fixes: Fix[] = [];
  let prevT = Number.NaN;
  let hole = false;
  for (const p of points) {
    if (!Number.isNaN(prevT) && p.t - prevT > GAP_MS) hole = true;
    prevT = p.t;
    const pos = position(p.values, LOCATION);
    if (pos) {
      fixes.push({ lat: pos.lat, lon: pos.lon, backfilled: p.backfilled, afterHole: hole });
      hole = false;
    } else if (Object.prototype.hasOwnProperty.call(p.values, LOCATION)) {
      hole = true; // unavailable: do not join across it
    }
  }
  if (fixes.length < 2) return { segments: [], head: null };
  const step = Math.max(1, Math.ceil(fixes.length / MAX_POINTS));
  let minLat = Infinity, maxLat = -Infinity, minLon = Infinity, maxLon = -Infinity;
  for (const f of fixes) {
    minLat = Math.min(minLat, f.lat);
    maxLat = Math.max(maxLat, f.lat);
    minLon = Math.min(minLon, f.lon);
    maxLon = Math.max(maxLon, f.lon);
  }
  const kx = Math.cos((((minLat + maxLat) / 2) * Math.PI) / 180);
  const spanX = Math.max((maxLon - minLon) * kx, 1e-6);
  const spanY = Math.max(maxLat - minLat, 1e-6);
  const scale = Math.min((width - 2 * PAD) / spanX, (height - 2 * PAD) / spanY);
  const ox = (width - spanX * scale) / 2;
  const oy = (height - spanY * scale) / 2;
  const xy = (f: Fix): [number, number] => [ox + (f.lon - minLon) * kx * scale, height - oy - (f.lat - minLat) * scale];
  const segments: Segment[] = [];
  let cur: Segment | null = null;
  let prev: Fix | null = null;
  let holeSincePrev = false;
  for (let i = 0; i < fixes.length; i++) {
    const f = fixes[i];
    holeSincePrev ||= f.afterHole;
    if (i % step !== 0 && i !== fixes.length - 1 && !holeSincePrev && !(prev && prev.backfilled !== f.backfilled)) continue;
    const [x, y] = xy(f);
    const gap = prev !== null && holeSincePrev;
    holeSincePrev = false;
    if (!cur || gap || cur.backfilled !== f.backfilled) {
      if (cur) segments.push(cur);
      const start = prev && !gap ? xy(prev) : null; // keep the line joined at a colour change
      cur = { d: start ? `M${start[0].toFixed(1)},${start[1].toFixed(1)}L${x.toFixed(1)},${y.toFixed(1)}` : `M${x.toFixed(1)},${y.toFixed(1)}`, backfilled: f.backfilled };
    } else {
      cur.d += `L${x.toFixed(1)},${y.toFixed(1)}`;
    }
    prev = f;
  }
  if (cur) segments.push(cur);
  return { segments, head: xy(fixes[fixes.length - 1]) };
}

/** The SVG track; `bare` draws only the track (inside another figure, e.g. the drive map's fallback). */
export const RouteMap = memo(function RouteMap({ points, caption = 'GPS track, window', bare = false }: { points: Point[]; caption?: string; bare?: boolean }) {
  const { segments, head } = routeSegments(points);
  const svg = (
      <svg viewBox={`0 0 ${W} ${H}`} role="img" aria-label={`route: ${caption}`} preserveAspectRatio="xMidYMid meet">
        <defs>
          <pattern id="route-grid" width="20" height="20" patternUnits="userSpaceOnUse">
            <path d="M20 0 L0 0 0 20" fill="none" stroke="var(--grid)" strokeWidth="0.6" />
          </pattern>
        </defs>
        <rect width={W} height={H} fill="url(#route-grid)" rx="8" />
        {segments.length === 0 && (
          <text x={W / 2} y={H / 2} textAnchor="middle" fill="var(--muted)" fontSize="12">
            no position data in this window
          </text>
        )}
        {segments.map((s, i) => (
          <path key={i} d={s.d} fill="none" stroke={s.backfilled ? 'var(--backfill)' : 'var(--accent)'} strokeWidth={s.backfilled ? 2.6 : 2} strokeLinejoin="round" strokeLinecap="round" />
        ))}
        {head && (
          <g>
            <circle cx={head[0]} cy={head[1]} r="7" fill="var(--accent)" opacity="0.25" />
            <circle cx={head[0]} cy={head[1]} r="3.5" fill="var(--accent)" />
          </g>
        )}
      </svg>
  );
  if (bare) {
    return (
      <div className="route-track" data-testid="route" data-segments={segments.length}>
        {svg}
      </div>
    );
  }
  return (
    <figure className="chart route" data-testid="route" data-segments={segments.length}>
      <figcaption>
        <span>Route</span>
        <span className="muted small">{caption}</span>
      </figcaption>
      {svg}
    </figure>
  );
});
