import { describe, expect, it, vi } from 'vitest';
import type { VehicleState } from '../api/types';
import { FleetStore, MAX_LOG_LINES } from './fleetStore';

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
      const s = new FleetStore('ws://unused');
      const samples: number[] = [];
      const stored: number[] = [];
      s.onSample((m) => samples.push(m.seq));
      s.onStored((m) => stored.push(m.toSeq));
      s.apply({ type: 'sample', vin: 'A', seq: 5, t: 5000, speed: 30 });
      s.apply({ type: 'sample', vin: 'A', seq: 4, t: 4000, speed: 20 }); // a drain: older
      s.apply({ type: 'stored', vin: 'A', fromSeq: 1, toSeq: 5, fromMs: 1000, toMs: 5000 });
      expect(samples).toEqual([5, 4]);
      expect(stored).toEqual([5]);
      expect(s.getSnapshot().latest.A.seq).toBe(5);
      expect(s.getSnapshot().captureNow).toBe(5000);
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
