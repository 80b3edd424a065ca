import { describe, expect, it, vi } from 'vitest';
import type { VehicleState } from '../api/types';
import { FleetStore, MAX_LOG_LINES, MIN_DRAINING_MS, vehicleNow } from './fleetStore';

function vehicle(vin: string, p: Partial<VehicleState> = {}): VehicleState {
  return {
    vin, name: vin, model: 'model3', link: 'online', spoolDepth: 0, oldestBufferedMs: null, lastSeq: 99,
    samplesStored: 100, lastCaptureMs: 1000, latest: null, bytesReceived: 0, bytesPerSample: null,
    fullProtobufBytesPerSample: null, gaps: 0, ...p,
  };
}

describe('FleetStore.apply', () => {
  it('loads a snapshot and replaces a vehicle in place on a vehicle message', () => {
    const s = new FleetStore('ws://unused');
    expect(s.getSnapshot().loaded).toBe(false);
    s.apply({ type: 'snapshot', vehicles: [vehicle('A'), vehicle('B')], demo: true });
    expect(s.getSnapshot()).toMatchObject({ loaded: true, demo: true, epoch: 1 });
    s.apply({ type: 'vehicle', vehicle: vehicle('A', { link: 'offline', spoolDepth: 7 }) });
    const vs = s.getSnapshot().vehicles;
    expect(vs.map((v) => v.vin)).toEqual(['A', 'B']);
    expect(vs[0]).toMatchObject({ link: 'offline', spoolDepth: 7 });
    s.apply({ type: 'vehicle', vehicle: vehicle('C') });
    expect(s.getSnapshot().vehicles.map((v) => v.vin)).toEqual(['A', 'B', 'C']);
  });

  it('shows a short drain as draining for MIN_DRAINING_MS, then the newest state', () => {
    vi.useFakeTimers();
    try {
      let now = 10_000;
      const s = new FleetStore('ws://unused', () => now);
      s.apply({ type: 'snapshot', vehicles: [vehicle('A', { link: 'offline' })], demo: true });
      s.apply({ type: 'vehicle', vehicle: vehicle('A', { link: 'draining', spoolDepth: 400 }) });
      now += 50;
      s.apply({ type: 'vehicle', vehicle: vehicle('A', { link: 'online', spoolDepth: 0 }) });
      expect(s.getSnapshot().vehicles[0]).toMatchObject({ link: 'draining', spoolDepth: 0 });
      now += MIN_DRAINING_MS;
      vi.advanceTimersByTime(MIN_DRAINING_MS);
      expect(s.getSnapshot().vehicles[0].link).toBe('online');
    } finally {
      vi.useRealTimers();
    }
  });

  it('does not let a held drain overwrite a newer offline state', () => {
    vi.useFakeTimers();
    try {
      let now = 10_000;
      const s = new FleetStore('ws://unused', () => now);
      s.apply({ type: 'snapshot', vehicles: [vehicle('A')], demo: true });
      s.apply({ type: 'vehicle', vehicle: vehicle('A', { link: 'draining' }) });
      s.apply({ type: 'vehicle', vehicle: vehicle('A', { link: 'online' }) });
      now += 100;
      s.apply({ type: 'vehicle', vehicle: vehicle('A', { link: 'offline' }) });
      vi.advanceTimersByTime(MIN_DRAINING_MS * 2);
      expect(s.getSnapshot().vehicles[0].link).toBe('offline');
    } finally {
      vi.useRealTimers();
    }
  });

  it('keeps only the last MAX_LOG_LINES log lines', () => {
    const s = new FleetStore('ws://unused');
    for (let i = 0; i < MAX_LOG_LINES + 25; i++) s.apply({ type: 'log', t: i, level: 'INFO', message: `line ${i}` });
    const logs = s.getSnapshot().logs;
    expect(logs).toHaveLength(MAX_LOG_LINES);
    expect(logs[0].message).toBe('line 25');
    expect(logs[logs.length - 1].message).toBe(`line ${MAX_LOG_LINES + 24}`);
  });

  it('counts stored samples from stored ranges without double counting', () => {
    vi.useFakeTimers();
    try {
      const s = new FleetStore('ws://unused');
      s.apply({ type: 'snapshot', vehicles: [vehicle('A', { lastSeq: 99, samplesStored: 100 })], demo: false });
      s.apply({ type: 'stored', vin: 'A', fromSeq: 100, toSeq: 149, fromMs: 0, toMs: 1 });
      s.apply({ type: 'stored', vin: 'A', fromSeq: 120, toSeq: 159, fromMs: 0, toMs: 1 }); // overlaps
      s.apply({ type: 'stored', vin: 'A', fromSeq: 50, toSeq: 60, fromMs: 0, toMs: 1 }); // old
      expect(s.getSnapshot().stored.A).toBe(160);
      s.apply({ type: 'vehicle', vehicle: vehicle('A', { lastSeq: 199, samplesStored: 200 }) });
      expect(s.getSnapshot().stored.A).toBe(200);
    } finally {
      vi.useRealTimers();
    }
  });

  it('routes sample and stored messages to listeners and tracks the newest capture time', () => {
    vi.useFakeTimers();
    try {
      let wall = 100_000;
      const s = new FleetStore('ws://unused', () => wall);
      const samples: number[] = [];
      const stored: number[] = [];
      s.onSample((m) => samples.push(m.seq));
      s.onStored((m) => stored.push(m.toSeq));
      s.apply({ type: 'sample', vin: 'A', seq: 5, t: 5000, values: { VehicleSpeed: 30 } });
      wall = 100_500;
      s.apply({ type: 'sample', vin: 'A', seq: 4, t: 4000, values: { VehicleSpeed: 20 } }); // a drain: older
      s.apply({ type: 'stored', vin: 'A', fromSeq: 1, toSeq: 5, fromMs: 1000, toMs: 5000 });
      expect(samples).toEqual([5, 4]);
      expect(stored).toEqual([5]);
      expect(s.getSnapshot().latest.A.seq).toBe(5);
      // the clock keeps the newest capture time and when it was seen; older samples do not move it
      expect(s.getSnapshot().clocks.A).toEqual({ t: 5000, seenAt: 100_000, newest: 5000, heardAt: 100_000 });
    } finally {
      vi.useRealTimers();
    }
  });

  it('runs each vehicle clock at wall speed from its newest capture time', () => {
    const c = { t: 5000, seenAt: 100_000, newest: 5000, heardAt: 100_000 };
    expect(vehicleNow(c, 103_000)).toBe(8000);
    expect(vehicleNow(c, 99_000)).toBe(5000);
    expect(vehicleNow(undefined, 42)).toBe(42);
    // a stale wall-clock tick never puts "now" before the newest sample
    expect(vehicleNow({ t: 5000, seenAt: 100_000, newest: 6500, heardAt: 101_000 }, 100_200)).toBe(6500);
    const s = new FleetStore('ws://unused', () => 7);
    s.apply({ type: 'snapshot', vehicles: [vehicle('A', { lastCaptureMs: 1000 }), vehicle('B', { lastCaptureMs: null })], demo: false });
    expect(s.getSnapshot().clocks).toEqual({ A: { t: 1000, seenAt: 7, newest: 1000, heardAt: 7 } });
  });

  it('does not turn a vehicle clock back when a drained backlog arrives', () => {
    vi.useFakeTimers();
    try {
      let wall = 0;
      const s = new FleetStore('ws://unused', () => wall);
      s.apply({ type: 'sample', vin: 'A', seq: 1, t: 10_000, values: {} });
      wall = 30_000; // 30 s dead zone: the clock says 40 s
      expect(vehicleNow(s.getSnapshot().clocks.A, wall)).toBe(40_000);
      s.apply({ type: 'sample', vin: 'A', seq: 2, t: 12_000, values: {} }); // the first drained sample
      const c = s.getSnapshot().clocks.A;
      expect(vehicleNow(c, wall)).toBe(40_000);
      expect(c).toMatchObject({ newest: 12_000, heardAt: 30_000 });
      s.apply({ type: 'sample', vin: 'A', seq: 3, t: 41_000, values: {} }); // live again, ahead of the clock
      expect(vehicleNow(s.getSnapshot().clocks.A, wall)).toBe(41_000);
    } finally {
      vi.useRealTimers();
    }
  });

  it('ignores message types it does not know', () => {
    const s = new FleetStore('ws://unused');
    const before = s.getSnapshot();
    s.apply({ type: 'future-thing' } as never);
    expect(s.getSnapshot()).toBe(before);
  });
});
