// @vitest-environment happy-dom
import { act, cleanup, fireEvent, render, screen } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { VehicleState } from '../api/types';
import type { LogLine } from '../live/fleetStore';
import type { Demo } from '../live/useDemo';
import { Terminal } from './Terminal';
import { VehicleCard } from './VehicleCard';

afterEach(cleanup);

const NOW = 1_764_180_060_000;
const V: VehicleState = {
  vin: '5YJ3E1EA7KF000001', name: 'Model 3 #1', model: 'model3', link: 'offline', spoolDepth: 1500,
  oldestBufferedMs: NOW - 30_000, lastSeq: 10, samplesStored: 11, lastCaptureMs: NOW - 31_000,
  latest: { VehicleSpeed: 61.2, Soc: 81.3, Gear: 'D' }, bytesReceived: 0, bytesPerSample: 6, fullProtobufBytesPerSample: 70, gaps: 0,
};

function demo(p: Partial<Demo> = {}): Demo {
  return { available: true, state: { running: true, vehicles: [] }, busy: false, error: null, play: vi.fn(async () => {}), stop: vi.fn(async () => {}), deadZone: vi.fn(async () => {}), ...p };
}

describe('VehicleCard', () => {
  it('shows the link state as text and class, the spool age and the live values', () => {
    render(<VehicleCard vehicle={V} live={undefined} stored={undefined} now={NOW} selected={false} silentMs={null} onSelect={() => {}} />);
    const badge = screen.getByTestId(`link-state-${V.vin}`);
    expect(badge.textContent).toBe('offline');
    expect(badge.className).toContain('badge-offline');
    expect(screen.getByTestId(`vehicle-card-${V.vin}`).getAttribute('data-link')).toBe('offline');
    expect(screen.getByTestId(`spool-${V.vin}`).textContent).toContain('oldest 30 s');
    expect(screen.getByText('61')).toBeTruthy();
    expect(screen.queryByTestId(`deadzone-${V.vin}`)).toBeNull(); // no demo: no toggle
  });

  it('warns when an online vehicle sends no data', () => {
    const online = { ...V, link: 'online' as const };
    const { rerender } = render(<VehicleCard vehicle={online} live={undefined} stored={undefined} now={NOW} selected={false} silentMs={1000} onSelect={() => {}} />);
    expect(screen.queryByTestId(`silent-${V.vin}`)).toBeNull();
    rerender(<VehicleCard vehicle={online} live={undefined} stored={undefined} now={NOW} selected={false} silentMs={12_000} onSelect={() => {}} />);
    expect(screen.getByTestId(`silent-${V.vin}`).textContent).toBe('no data for 12 s');
  });

  it('toggles the dead zone without selecting the card', () => {
    const onSelect = vi.fn();
    const toggle = vi.fn();
    render(<VehicleCard vehicle={V} live={undefined} stored={undefined} now={NOW} selected={false} silentMs={null} onSelect={onSelect} deadZone={{ on: false, busy: false, toggle }} />);
    fireEvent.click(screen.getByTestId(`deadzone-${V.vin}`));
    expect(toggle).toHaveBeenCalledTimes(1);
    expect(onSelect).not.toHaveBeenCalled();
    fireEvent.click(screen.getByTestId(`vehicle-card-${V.vin}`));
    expect(onSelect).toHaveBeenCalledWith(V.vin);
  });
});

describe('Terminal', () => {
  const logs = (n: number, from = 1): LogLine[] => Array.from({ length: n }, (_, i) => ({ id: from + i, t: NOW, level: 'INFO', message: `event ${from + i}` }));

  it('streams log lines, and Enter on an empty line disconnects and reconnects', () => {
    const { rerender } = render(<Terminal logs={logs(3)} demo={demo()} vehicles={[V]} />);
    expect(screen.getByText(/event 3/)).toBeTruthy();
    const input = screen.getByTestId('terminal-input');
    act(() => {
      fireEvent.submit(input.closest('form')!);
    });
    expect(screen.getByTestId('terminal-disconnected').textContent).toContain('disconnected — press Enter to reconnect');
    expect(screen.getByTestId('terminal-status').textContent).toBe('disconnected');
    rerender(<Terminal logs={logs(5)} demo={demo()} vehicles={[V]} />);
    expect(screen.queryByText(/event 4/)).toBeNull();
    act(() => {
      fireEvent.submit(input.closest('form')!);
    });
    expect(screen.getByTestId('terminal-status').textContent).toBe('streaming');
    expect(screen.queryByText(/event 5/)).toBeNull(); // logged while disconnected: skipped
    rerender(<Terminal logs={logs(6)} demo={demo()} vehicles={[V]} />);
    expect(screen.getByText(/event 6/)).toBeTruthy();
  });

  it('hides play/stop without demo mode and calls the API with it', () => {
    const { unmount } = render(<Terminal logs={[]} demo={demo({ available: false, state: null })} vehicles={[]} />);
    expect(screen.queryByTestId('demo-play')).toBeNull();
    expect(screen.queryByTestId('demo-stop')).toBeNull();
    unmount();
    const d = demo();
    render(<Terminal logs={[]} demo={d} vehicles={[V]} />);
    fireEvent.click(screen.getByTestId('demo-stop'));
    expect(d.stop).toHaveBeenCalled();
    const input = screen.getByTestId('terminal-input') as HTMLInputElement;
    fireEvent.change(input, { target: { value: 'dz 1 on' } });
    fireEvent.submit(input.closest('form')!);
    expect(d.deadZone).toHaveBeenCalledWith(V.vin, true);
  });
});
