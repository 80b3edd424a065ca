import { describe, expect, it } from 'vitest';
import type { VehicleState } from '../api/types';
import { backoffMs, fleetTotals, formatAge, formatClock, formatCount, linkBadge } from './format';

function vehicle(p: Partial<VehicleState>): VehicleState {
  return {
    vin: 'V', name: 'n', model: 'model3', link: 'online', spoolDepth: 0, oldestBufferedMs: null, lastSeq: 0,
    samplesStored: 0, lastCaptureMs: null, latest: null, bytesReceived: 0, bytesPerSample: null,
    fullProtobufBytesPerSample: null, gaps: 0, ...p,
  };
}

describe('linkBadge', () => {
  it('maps each link state to a distinct label and class', () => {
    expect(linkBadge('online')).toEqual({ label: 'online', className: 'badge badge-online' });
    expect(linkBadge('offline')).toEqual({ label: 'offline', className: 'badge badge-offline' });
    expect(linkBadge('draining')).toEqual({ label: 'draining', className: 'badge badge-draining' });
    const classes = new Set(['online', 'offline', 'draining'].map((l) => linkBadge(l).className));
    expect(classes.size).toBe(3);
  });

  it('shows an unknown state as itself', () => {
    expect(linkBadge('sleeping')).toEqual({ label: 'sleeping', className: 'badge badge-unknown' });
    expect(linkBadge(null).label).toBe('unknown');
  });
});

describe('formatAge', () => {
  it('formats sub-10-second ages with a decimal', () => {
    expect(formatAge(0)).toBe('0.0 s');
    expect(formatAge(420)).toBe('0.4 s');
    expect(formatAge(9_949)).toBe('9.9 s');
  });

  it('formats seconds, minutes, hours and days', () => {
    expect(formatAge(12_000)).toBe('12 s');
    expect(formatAge(185_000)).toBe('3 m 05 s');
    expect(formatAge(2 * 3_600_000 + 7 * 60_000)).toBe('2 h 07 m');
    expect(formatAge(50 * 3_600_000)).toBe('2 d 2 h');
  });

  it('shows a dash for unknown or negative ages', () => {
    expect(formatAge(null)).toBe('—');
    expect(formatAge(undefined)).toBe('—');
    expect(formatAge(-5)).toBe('—');
    expect(formatAge(Number.NaN)).toBe('—');
  });
});

describe('formatters', () => {
  it('abbreviates counts', () => {
    expect(formatCount(950)).toBe('950');
    expect(formatCount(1234)).toBe('1.23k');
    expect(formatCount(12_345)).toBe('12.3k');
    expect(formatCount(4_560_000)).toBe('4.56M');
    expect(formatCount(null)).toBe('—');
  });

  it('formats a clock time with two digits each', () => {
    const t = new Date(2026, 0, 2, 3, 4, 5).getTime();
    expect(formatClock(t)).toBe('03:04:05');
    expect(formatClock(null)).toBe('—');
  });
});

describe('fleetTotals', () => {
  it('counts draining as online and weights bandwidth saved by samples', () => {
    const t = fleetTotals([
      vehicle({ vin: 'A', link: 'online', samplesStored: 100, bytesPerSample: 7, fullProtobufBytesPerSample: 70 }),
      vehicle({ vin: 'B', link: 'draining', samplesStored: 300, spoolDepth: 40, bytesPerSample: 3.5, fullProtobufBytesPerSample: 70 }),
      vehicle({ vin: 'C', link: 'offline', samplesStored: 0, spoolDepth: 10 }),
    ]);
    expect(t.vehicles).toBe(3);
    expect(t.online).toBe(2);
    expect(t.samplesStored).toBe(400);
    expect(t.spooled).toBe(50);
    // wire 700 + 1050 = 1750 bytes, full 7000 + 21000 = 28000 bytes
    expect(t.bandwidthSaved!).toBeCloseTo(1 - 1750 / 28000, 9);
  });

  it('has no bandwidth figure before any sample', () => {
    expect(fleetTotals([vehicle({})]).bandwidthSaved).toBeNull();
    expect(fleetTotals([]).online).toBe(0);
  });
});

describe('backoffMs', () => {
  it('doubles from 0.5 s up to 10 s, with bounded jitter', () => {
    expect(backoffMs(0, () => 0.5)).toBe(500);
    expect(backoffMs(1, () => 0.5)).toBe(1000);
    expect(backoffMs(4, () => 0.5)).toBe(8000);
    expect(backoffMs(5, () => 0.5)).toBe(10_000);
    expect(backoffMs(50, () => 0.5)).toBe(10_000);
    expect(backoffMs(0, () => 0)).toBe(400);
    expect(backoffMs(0, () => 1)).toBe(600);
  });
});
