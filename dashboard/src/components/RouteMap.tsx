import { memo } from 'react';
import { GAP_MS, type Point } from '../data/series';

const W = 320;
const H = 220;
const PAD = 12;
const MAX_POINTS = 900;

interface Segment {
  d: string;
  backfilled: boolean;
}

/**
 * Projects points to SVG paths: equirectangular around the mean latitude, fitted into the box,
 * a new path at every gap (> GAP_MS) and at every change between live and backfilled.
 */
export function routeSegments(points: Point[], width = W, height = H): { segments: Segment[]; head: [number, number] | null } {
  const pts = points.filter((p) => p.latitude !== null && p.longitude !== null);
  if (pts.length < 2) return { segments: [], head: null };
  const step = Math.max(1, Math.ceil(pts.length / MAX_POINTS));
  let minLat = Infinity, maxLat = -Infinity, minLon = Infinity, maxLon = -Infinity;
  for (const p of pts) {
    minLat = Math.min(minLat, p.latitude!);
    maxLat = Math.max(maxLat, p.latitude!);
    minLon = Math.min(minLon, p.longitude!);
    maxLon = Math.max(maxLon, p.longitude!);
  }
  const kx = Math.cos((((minLat + maxLat) / 2) * Math.PI) / 180);
  const spanX = Math.max((maxLon - minLon) * kx, 1e-6);
  const spanY = Math.max(maxLat - minLat, 1e-6);
  const scale = Math.min((width - 2 * PAD) / spanX, (height - 2 * PAD) / spanY);
  const ox = (width - spanX * scale) / 2;
  const oy = (height - spanY * scale) / 2;
  const xy = (p: Point): [number, number] => [ox + (p.longitude! - minLon) * kx * scale, height - oy - (p.latitude! - minLat) * scale];
  const segments: Segment[] = [];
  let cur: Segment | null = null;
  let prev: Point | null = null;
  for (let i = 0; i < pts.length; i++) {
    const p = pts[i];
    if (i % step !== 0 && i !== pts.length - 1 && !(prev && p.t - prev.t > GAP_MS)) continue;
    const [x, y] = xy(p);
    const gap = prev !== null && p.t - prev.t > GAP_MS;
    if (!cur || gap || cur.backfilled !== p.backfilled) {
      if (cur) segments.push(cur);
      const start = prev && !gap ? xy(prev) : null; // keep the line joined at a colour change
      cur = { d: start ? `M${start[0].toFixed(1)},${start[1].toFixed(1)}L${x.toFixed(1)},${y.toFixed(1)}` : `M${x.toFixed(1)},${y.toFixed(1)}`, backfilled: p.backfilled };
    } else {
      cur.d += `L${x.toFixed(1)},${y.toFixed(1)}`;
    }
    prev = p;
  }
  if (cur) segments.push(cur);
  return { segments, head: xy(pts[pts.length - 1]) };
}

export const RouteMap = memo(function RouteMap({ points }: { points: Point[] }) {
  const { segments, head } = routeSegments(points);
  return (
    <figure className="chart route" data-testid="route">
      <figcaption>
        <span>Route</span>
        <span className="muted small">GPS track, window</span>
      </figcaption>
      <svg viewBox={`0 0 ${W} ${H}`} role="img" aria-label="route of the vehicle in the window" preserveAspectRatio="xMidYMid meet">
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
    </figure>
  );
});
