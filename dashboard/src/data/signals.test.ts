import { describe, expect, it } from 'vitest';
import type { SignalInfo, Values } from '../api/types';
import type { Point } from './series';
import {
  decimalsFor,
  formatValue,
  inferCatalogue,
  loadSelection,
  MAX_SELECTED,
  newestValues,
  saveSelection,
  SignalIndex,
  signalRows,
  stateColor,
  stateSegments,
  unitOf,
} from './signals';

const T0 = 1_764_180_000_000;
const f = (seq: number, dt: number, values: Values, backfilled = false): Point => ({ seq, t: T0 + dt, values, backfilled });

const GEAR: SignalInfo = { id: 7, name: 'Gear', type: 'enum', values: ['Unknown', 'Invalid', 'P', 'R', 'N', 'D', 'SNA'].map((name, code) => ({ code, name })) };
const SPEED: SignalInfo = { id: 0, name: 'VehicleSpeed', aliases: ['speed', 'Vehicle.Speed'], type: 'float', unit: 'mph', resolution: 0.01 };
const LIMIT: SignalInfo = { id: 34, name: 'ChargeLimitSoc', type: 'integer', unit: '%', min: 0, max: 100 };
const LOCKED: SignalInfo = { id: 50, name: 'Locked', type: 'boolean' };
const LOC: SignalInfo = { id: 5, name: 'Location', type: 'location', resolution: 1e-7 };

describe('stateSegments', () => {
  it('holds a value from its capture until the next capture, joining equal neighbours', () => {
    // gear captured on change only, among 100 ms frames of other signals
    const pts = [
      f(1, 0, { Gear: 'P', VehicleSpeed: 0 }),
      f(2, 100, { VehicleSpeed: 0 }),
      f(3, 200, { Gear: 'P' }), // re-captured unchanged (a keyframe): same segment
      f(4, 300, { VehicleSpeed: 0 }),
      f(5, 400, { Gear: 'D', VehicleSpeed: 1 }),
      f(6, 500, { VehicleSpeed: 2 }),
      f(7, 600, { VehicleSpeed: 3 }),
    ];
    expect(stateSegments(pts, 'Gear')).toEqual([
      { from: T0, to: T0 + 400, value: 'P' },
      { from: T0 + 400, to: T0 + 600, value: 'D' }, // holds up to the last frame held
    ]);
  });

  it('leaves a gap where the signal is unavailable, until its next capture', () => {
    const pts = [f(1, 0, { Locked: true }), f(2, 100, {}), f(3, 200, { Locked: null }), f(4, 300, {}), f(5, 400, { Locked: false }), f(6, 500, {})];
    expect(stateSegments(pts, 'Locked')).toEqual([
      { from: T0, to: T0 + 200, value: true },
      { from: T0 + 400, to: T0 + 500, value: false },
    ]);
  });

  it('ends a segment at a hole in the frames and resumes only with the next capture', () => {
    const pts = [f(1, 0, { Gear: 'D' }), f(2, 500, {}), f(3, 5000, {}), f(4, 5500, {}), f(5, 6000, { Gear: 'D' }), f(6, 6500, {})];
    expect(stateSegments(pts, 'Gear')).toEqual([
      { from: T0, to: T0 + 500, value: 'D' },
      { from: T0 + 6000, to: T0 + 6500, value: 'D' },
    ]);
  });

  it('returns nothing for a signal never captured, and keeps enum codes and strings as values', () => {
    expect(stateSegments([f(1, 0, { VehicleSpeed: 3 })], 'Gear')).toEqual([]);
    expect(stateSegments([f(1, 0, { Version: '2026.44.1' }), f(2, 10, {})], 'Version')).toEqual([{ from: T0, to: T0 + 10, value: '2026.44.1' }]);
  });
});

describe('signalRows', () => {
  it('draws a signal at its own rate among denser frames, without breaking the line', () => {
    // Soc at 1 Hz among 50 Hz frames: one row per capture, none in between
    const pts: Point[] = [];
    for (let i = 0; i <= 150; i++) pts.push(f(i, i * 20, i % 50 === 0 ? { Soc: 80 - i / 50, VehicleSpeed: 30 } : { VehicleSpeed: 30 }));
    const rows = signalRows(pts, 'Soc', 100);
    expect(rows.map((r) => [r.t - T0, r.v])).toEqual([
      [0, 80],
      [1000, 79],
      [2000, 78],
      [3000, 77],
    ]);
  });

  it('breaks the line where the value is unavailable and at holes in the frames', () => {
    const pts = [f(1, 0, { Power: 5 }), f(2, 100, { Power: null }), f(3, 200, { Power: 7 }), f(4, 300, { Power: 8 }), f(5, 4000, { Power: 9 })];
    const rows = signalRows(pts, 'Power', 50);
    expect(rows.map((r) => r.v)).toEqual([5, null, 7, 8, null, 9]);
    expect(rows[4].t).toBe(T0 + 2150); // the gap row sits inside the hole
  });

  it('keeps the last value of a bucket and marks backfilled rows for highlighting', () => {
    const rows = signalRows([f(1, 0, { Power: 1 }), f(2, 20, { Power: 2 }, true), f(3, 1000, { Power: 3 })], 'Power', 500);
    expect(rows.map((r) => [r.v, r.bv, r.count])).toEqual([
      [2, 2, 2],
      [3, null, 1],
    ]);
  });

  it('does not start with a gap row, nor repeat one', () => {
    const rows = signalRows([f(1, 0, { Power: null }), f(2, 5000, { Power: null }), f(3, 9000, { Power: 1 })], 'Power', 100);
    expect(rows.map((r) => r.v)).toEqual([1]);
  });
});

describe('SignalIndex and formatting', () => {
  const idx = new SignalIndex({ catalogue: 'abc', hash: 'x', signals: [SPEED, GEAR, LIMIT, LOCKED, LOC] });

  it('finds signals by name or alias ignoring case, and keeps only known names', () => {
    expect(idx.get('vehicle.speed')?.name).toBe('VehicleSpeed');
    expect(idx.get('GEAR')).toBe(GEAR);
    expect(idx.get('Nope')).toBeUndefined();
    expect(idx.known(['speed', 'VehicleSpeed', 'Nope', 'gear'])).toEqual(['VehicleSpeed', 'Gear']);
  });

  it('formats each type: enum by name, booleans yes/no, unavailable n/a, not captured a dash', () => {
    expect(formatValue(GEAR, 'D')).toBe('D');
    expect(formatValue(GEAR, 5)).toBe('D'); // a code, should a server send one
    expect(formatValue(LOCKED, true)).toBe('yes');
    expect(formatValue(LOCKED, false)).toBe('no');
    expect(formatValue(SPEED, null)).toBe('n/a');
    expect(formatValue(SPEED, undefined)).toBe('—');
    expect(formatValue(SPEED, 65.4321)).toBe('65.4');
    expect(formatValue(SPEED, 123.456)).toBe('123');
    expect(formatValue(SPEED, 3.14159)).toBe('3.14');
    expect(formatValue(LIMIT, 80)).toBe('80');
    expect(formatValue(LOC, { lat: 37.3947123, lon: -122.1503 })).toBe('37.39471, -122.15030');
    expect(unitOf(SPEED)).toBe('mph');
    expect(unitOf(LIMIT)).toBe('%');
    expect(unitOf(GEAR)).toBe('');
  });

  it('never shows more decimals than the resolution', () => {
    expect(decimalsFor({ ...SPEED, resolution: 1 }, 3.3)).toBe(0);
    expect(decimalsFor({ ...SPEED, resolution: 0.1 }, 3.3)).toBe(1);
    expect(decimalsFor({ ...SPEED, resolution: 0.001 }, 3.3)).toBe(2);
  });

  it('colours gear states by meaning and booleans by truth', () => {
    expect(stateColor(GEAR, 'D')).not.toBe(stateColor(GEAR, 'P'));
    expect(stateColor(LOCKED, true)).not.toBe(stateColor(LOCKED, false));
    expect(stateColor(GEAR, 'SNA')).toBe(stateColor(GEAR, 'Unknown'));
  });

  it('guesses a catalogue from values when the server has none', () => {
    const g = inferCatalogue({ VehicleSpeed: 3, Gear: 'D', Locked: true, Location: { lat: 1, lon: 2 }, Soc: null });
    expect(g.signals.map((s) => [s.name, s.type])).toEqual([
      ['VehicleSpeed', 'float'],
      ['Gear', 'enum'],
      ['Locked', 'boolean'],
      ['Location', 'location'],
      ['Soc', 'float'],
    ]);
  });

  it('prefers the live merged values when they are at least as new as the vehicle state', () => {
    const latest = { VehicleSpeed: 1 };
    const live = { t: 2000, values: { VehicleSpeed: 2 } };
    expect(newestValues(latest, live, 1000)).toBe(live.values);
    expect(newestValues(latest, live, 3000)).toBe(latest);
    expect(newestValues(null, undefined, null)).toEqual({});
  });
});

describe('selection storage', () => {
  function memoryStorage(): Storage {
    const m = new Map<string, string>();
    return {
      get length() {
        return m.size;
      },
      clear: () => m.clear(),
      getItem: (k) => m.get(k) ?? null,
      key: (i) => [...m.keys()][i] ?? null,
      removeItem: (k) => void m.delete(k),
      setItem: (k, v) => void m.set(k, String(v)),
    };
  }

  it('saves and loads a list of names, falling back on anything else', () => {
    const g = globalThis as { localStorage?: Storage };
    const before = g.localStorage;
    g.localStorage = memoryStorage();
    try {
      expect(loadSelection('k', ['A'])).toEqual(['A']);
      saveSelection('k', ['Gear', 'Soc']);
      expect(loadSelection('k', ['A'])).toEqual(['Gear', 'Soc']);
      g.localStorage.setItem('k', '{"not":"a list"}');
      expect(loadSelection('k', ['A'])).toEqual(['A']);
      g.localStorage.setItem('k', 'not json');
      expect(loadSelection('k', ['A'])).toEqual(['A']);
      g.localStorage.setItem('k', JSON.stringify(['Gear', 'Gear', 7, '', 'x'.repeat(200), ...Array.from({ length: 40 }, (_, i) => `S${i}`)]));
      const got = loadSelection('k', []);
      expect(got[0]).toBe('Gear');
      expect(got).toHaveLength(MAX_SELECTED);
      expect(new Set(got).size).toBe(got.length);
    } finally {
      g.localStorage = before;
    }
  });

  it('uses the defaults when there is no storage', () => {
    expect(loadSelection('k', ['A', 'B'])).toEqual(['A', 'B']);
  });
});
