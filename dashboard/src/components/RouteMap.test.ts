import { describe, expect, it } from 'vitest';
import type { Values } from '../api/types';
import type { Point } from '../data/series';
import { routeSegments } from './RouteMap';

const T0 = 1_764_180_000_000;
const f = (seq: number, dt: number, values: Values, backfilled = false): Point => ({ seq, t: T0 + dt, values, backfilled });

describe('routeSegments', () => {
  it('joins Location fixes at their own rate among denser frames into one path', () => {
    const pts: Point[] = [];
    for (let i = 0; i <= 200; i++) pts.push(f(i, i * 20, i % 50 === 0 ? { Location: { lat: 37 + i * 1e-5, lon: -122 + i * 1e-5 }, VehicleSpeed: 30 } : { VehicleSpeed: 30 }));
    const { segments, head } = routeSegments(pts);
    expect(segments).toHaveLength(1);
    expect(segments[0].d.match(/[ML]/g)).toHaveLength(5); // 5 fixes, 4 s at 1 Hz
    expect(head).not.toBeNull();
  });

  it('starts a new path after a hole in the frames or an unavailable fix, and where backfill begins', () => {
    const loc = (k: number) => ({ Location: { lat: 37 + k * 1e-4, lon: -122 } });
    const pts = [f(1, 0, loc(0)), f(2, 100, loc(1)), f(3, 3000, loc(2)), f(4, 3100, loc(3)), f(5, 3200, { Location: null }), f(6, 3300, loc(4)), f(7, 3400, loc(5)), f(8, 3500, loc(6), true)];
    const { segments } = routeSegments(pts);
    expect(segments.map((s) => [s.d.match(/[ML]/g)!.length, s.backfilled])).toEqual([
      [2, false],
      [2, false],
      [2, false],
      [2, true], // joined to the previous fix at the colour change
    ]);
  });

  it('draws nothing with fewer than two fixes', () => {
    expect(routeSegments([f(1, 0, { Location: { lat: 1, lon: 2 } }), f(2, 20, { VehicleSpeed: 1 })]).segments).toEqual([]);
  });
});
