import { describe, expect, it } from 'vitest';
import type { Drive } from '../api/sessions';
import {
  backfillLabel,
  dayToMs,
  efficiencySeries,
  formatDistance,
  formatDuration,
  formatPlace,
  formatSpeed,
  meanEfficiency,
  parseRoute,
  rangeQuery,
  routeHash,
  sessionBucket,
  sessionPoints,
  trackPieces,
} from './sessions';

const VIN = '5YJ3E1EA7KF000001';

function drive(p: Partial<Drive>): Drive {
  return {
    id: 1000, vin: VIN, start: '', end: '', startMs: 1000, endMs: 601_000, startLat: 37.4, startLon: -122.1, endLat: 37.41, endLon: -122.12,
    distanceMi: 5, distanceKm: 8.04672, durationS: 600, energyKwh: 1.5, energySource: 'power', whPerMi: 300, whPerKm: 186.4, maxSpeedMph: 61,
    meanSpeedMph: 30, elevationGainM: 12, elevationLossM: 3, startSoc: 80, endSoc: 78, startOdometerMi: 100, endOdometerMi: 105, backfillFraction: 0, ...p,
  };
}

describe('routes', () => {
  it('parses every page and builds the same hash back', () => {
    const cases: Array<[string, ReturnType<typeof parseRoute>]> = [
      ['', { page: 'fleet' }],
      ['#/', { page: 'fleet' }],
      [`#/vehicle/${VIN}`, { page: 'live', vin: VIN }],
      [`#/vehicle/${VIN}/drives`, { page: 'drives', vin: VIN }],
      [`#/vehicle/${VIN}/drives/1764180000000`, { page: 'drive', vin: VIN, id: 1764180000000 }],
      [`#/vehicle/${VIN}/charges`, { page: 'charges', vin: VIN }],
      [`#/vehicle/${VIN}/charges/42`, { page: 'charge', vin: VIN, id: 42 }],
    ];
    for (const [hash, route] of cases) {
      expect(parseRoute(hash)).toEqual(route);
      if (hash.startsWith('#/vehicle')) expect(routeHash(route)).toBe(hash);
    }
  });

  it('falls back to the live view for an unknown sub-page, and decodes the VIN', () => {
    expect(parseRoute(`#/vehicle/${VIN}/nonsense`)).toEqual({ page: 'live', vin: VIN });
    expect(parseRoute(`#/vehicle/${VIN}/drives/abc`)).toEqual({ page: 'live', vin: VIN });
    expect(parseRoute('#/vehicle/A%20B/drives')).toEqual({ page: 'drives', vin: 'A B' });
    expect(routeHash({ page: 'drives', vin: 'A B' })).toBe('#/vehicle/A%20B/drives');
    expect(parseRoute('#/vehicle/%E0%A4%A/charges')).toEqual({ page: 'charges', vin: '%E0%A4%A' });
  });
});

describe('formatting', () => {
  it('shows distances and speeds in the chosen unit from the store\'s miles', () => {
    expect(formatDistance(5, 'mi')).toBe('5.00 mi');
    expect(formatDistance(5, 'km')).toBe('8.05 km');
    expect(formatDistance(44.93, 'mi')).toBe('44.9 mi');
    expect(formatDistance(null, 'km')).toBe('—');
    expect(formatSpeed(60, 'km')).toBe('97 km/h');
    expect(formatSpeed(60, 'mi')).toBe('60 mph');
  });

  it('formats durations, places and the backfilled share', () => {
    expect(formatDuration(42)).toBe('42 s');
    expect(formatDuration(492)).toBe('8 min 12 s');
    expect(formatDuration(3900)).toBe('1 h 05 min');
    expect(formatDuration(null)).toBe('—');
    expect(formatPlace(37.39471234, -122.150349)).toBe('37.3947, -122.1503');
    expect(formatPlace(null, 1)).toBe('—');
    expect(backfillLabel(0)).toBe('');
    expect(backfillLabel(null)).toBe('');
    expect(backfillLabel(0.004)).toBe('< 1 % backfilled');
    expect(backfillLabel(0.75)).toBe('75 % backfilled');
  });
});

describe('date range', () => {
  it('takes whole days in the browser zone, the end day included', () => {
    expect(dayToMs('2026-12-07')).toBe(new Date(2026, 11, 7).getTime());
    expect(dayToMs('2026-12-07', true)).toBe(new Date(2026, 11, 8).getTime());
    expect(dayToMs('07.12.2026')).toBeNull();
    expect(rangeQuery('', '')).toEqual({ fromMs: null, toMs: null, error: null });
    expect(rangeQuery('2026-12-07', '2026-12-07')).toEqual({ fromMs: new Date(2026, 11, 7).getTime(), toMs: new Date(2026, 11, 8).getTime(), error: null });
    expect(rangeQuery('2026-12-08', '2026-12-07').error).toBe('the start is after the end');
    expect(rangeQuery('', '2026-13-45').error).toMatch(/not a date/);
  });
});

describe('efficiency over time', () => {
  it('has one point per drive in the chosen unit, oldest first, short or unknown drives left out', () => {
    const drives = [
      drive({ id: 3, startMs: 3000, whPerMi: 250, whPerKm: 155.3, backfillFraction: 0.5 }),
      drive({ id: 1, startMs: 1000 }),
      drive({ id: 2, startMs: 2000, distanceMi: 0.1, whPerMi: 900, whPerKm: 559 }),
      drive({ id: 4, startMs: 4000, whPerMi: null, whPerKm: null }),
    ];
    const km = efficiencySeries(drives, 'km');
    expect(km.map((p) => [p.id, p.v, p.backfilled])).toEqual([
      [1, 186.4, false],
      [3, 155.3, true],
    ]);
    expect(km[0].distance).toBeCloseTo(8.04672, 5);
    expect(efficiencySeries(drives, 'mi').map((p) => p.v)).toEqual([300, 250]);
  });

  it('weights the overall figure by distance (total energy over total distance)', () => {
    const drives = [drive({ energyKwh: 1, distanceMi: 1 }), drive({ energyKwh: 3, distanceMi: 9 })];
    expect(meanEfficiency(drives, 'mi')).toBeCloseTo(400, 6);
    expect(meanEfficiency(drives, 'km')).toBeCloseTo(400 / 1.609344, 6);
    expect(meanEfficiency([drive({ energyKwh: null })], 'mi')).toBeNull();
    expect(meanEfficiency([], 'km')).toBeNull();
  });
});

describe('a session\'s frames', () => {
  const rows = [0, 100, 200, 5000, 5100, 9000].map((t, i) => ({ seq: i, t, values: { VehicleSpeed: 10 + i, Location: { lat: 37 + i * 1e-3, lon: -122 } } }));

  it('marks frames captured while the link was down as backfilled (span ends inclusive)', () => {
    const pts = sessionPoints(rows, [
      [150, 5000],
      [8000, 8500],
    ]);
    expect(pts.map((p) => p.backfilled)).toEqual([false, false, true, true, false, false]);
    expect(sessionPoints(rows).every((p) => !p.backfilled)).toBe(true);
  });

  it('draws the track in pieces: a hole in the frames breaks it, a backfilled span gets its own joined piece', () => {
    const pts = sessionPoints(rows, [[150, 5000]]);
    const pieces = trackPieces(pts);
    // 0,100 live | 200 backfilled (joined to 100) | hole 200→5000 | 5000 backfilled | 5100 live (joined) | hole → 9000 live
    expect(pieces.map((p) => [p.backfilled, p.latlngs.length])).toEqual([
      [false, 2],
      [true, 2],
      [true, 1],
      [false, 2],
      [false, 1],
    ]);
    expect(pieces[1].latlngs[0]).toEqual([37.001, -122]);
  });

  it('keeps about 400 chart rows per session', () => {
    expect(sessionBucket(0, 8 * 60_000)).toBe(1200);
    expect(sessionBucket(0, 1000)).toBe(20);
  });
});
