// @vitest-environment happy-dom
import { act, cleanup, fireEvent, render, screen, waitFor } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { CatalogueInfo, SignalInfo, StoredSample, VehicleState } from '../api/types';
import { SignalIndex, CHART_SIGNALS_KEY } from '../data/signals';
import { FleetStore } from '../live/fleetStore';
import { StoreContext } from '../live/hooks';
import { clearCatalogueCache } from '../live/useCatalogue';
import { SignalPicker } from './SignalPicker';
import { StateBands } from './StateBands';
import { VehicleCard } from './VehicleCard';
import { VehicleView } from './VehicleView';

afterEach(cleanup);

const SIGNALS: SignalInfo[] = [
  { id: 0, name: 'VehicleSpeed', aliases: ['speed'], type: 'float', unit: 'mph', resolution: 0.01 },
  { id: 1, name: 'Power', type: 'float', unit: 'kW', resolution: 0.01 },
  { id: 2, name: 'Soc', type: 'float', unit: '%', resolution: 0.01 },
  { id: 4, name: 'Odometer', type: 'float', unit: 'mi', resolution: 0.001 },
  { id: 5, name: 'Location', type: 'location', resolution: 1e-7 },
  { id: 7, name: 'Gear', type: 'enum', values: ['Unknown', 'Invalid', 'P', 'R', 'N', 'D', 'SNA'].map((name, code) => ({ code, name })) },
  { id: 33, name: 'DetailedChargeState', type: 'enum', values: ['Unknown', 'Disconnected', 'NoPower', 'Starting', 'Charging', 'Complete', 'Stopped'].map((name, code) => ({ code, name })) },
  { id: 50, name: 'Locked', type: 'boolean' },
  { id: 71, name: 'InsideTemp', type: 'float', unit: 'degC', resolution: 0.1 },
  { id: 72, name: 'OutsideTemp', type: 'float', unit: 'degC', resolution: 0.1 },
];
const CAT: CatalogueInfo = { catalogue: '1a2b3c4d5e6f7a8b', hash: 'f'.repeat(64), signals: SIGNALS };
const NOW = 1_764_180_060_000;

function vehicle(p: Partial<VehicleState> = {}): VehicleState {
  return {
    vin: '5YJ3E1EA7KF000001', name: 'Model 3 #1', model: 'model3', link: 'online', catalogue: CAT.catalogue, spoolDepth: 0,
    oldestBufferedMs: null, lastSeq: 10, samplesStored: 11, lastCaptureMs: NOW - 1000,
    latest: { VehicleSpeed: 61.2, Soc: 81.25, Power: 23.456, Gear: 'D', Locked: false, DetailedChargeState: 'Disconnected', OutsideTemp: null },
    bytesReceived: 0, bytesPerSample: 6, fullProtobufBytesPerSample: 70, gaps: 0, ...p,
  };
}

describe('VehicleCard signals', () => {
  const idx = new SignalIndex(CAT);
  const card = (v: VehicleState, signals?: string[]) =>
    render(<VehicleCard vehicle={v} live={undefined} stored={undefined} now={NOW} selected={false} silentMs={null} onSelect={() => {}} catalogue={idx} signals={signals} />);

  it('shows the default handful with units from the catalogue and enums by name', () => {
    const v = vehicle();
    card(v);
    const cell = (n: string) => screen.getByTestId(`card-signal-${v.vin}-${n}`);
    expect(cell('VehicleSpeed').textContent).toBe('Speed61 mph');
    expect(cell('Soc').textContent).toBe('SoC81.3 %');
    expect(cell('Power').textContent).toBe('Power23.5 kW');
    expect(cell('Gear').textContent).toBe('GearD ');
    expect(screen.queryByTestId(`card-signal-${v.vin}-DetailedChargeState`)).toBeNull(); // not plugged in
  });

  it('adds the charge state while plugged in, shows booleans as yes/no and unavailable as n/a', () => {
    const v = vehicle({ latest: { Gear: 'P', DetailedChargeState: 'Charging', Locked: true, OutsideTemp: null } });
    card(v, ['Gear', 'Locked', 'OutsideTemp', 'InsideTemp']);
    expect(screen.getByTestId(`card-signal-${v.vin}-DetailedChargeState`).textContent).toBe('Charge stateCharging ');
    expect(screen.getByTestId(`card-signal-${v.vin}-DetailedChargeState`).querySelector('dd')!.className).toContain('charging');
    expect(screen.getByTestId(`card-signal-${v.vin}-Locked`).textContent).toContain('yes');
    expect(screen.getByTestId(`card-signal-${v.vin}-OutsideTemp`).textContent).toBe('OutsideTempn/a ');
    expect(screen.getByTestId(`card-signal-${v.vin}-InsideTemp`).textContent).toBe('InsideTemp— '); // never captured
  });

  it('prefers the live merged values when they are newer than the vehicle state', () => {
    const v = vehicle();
    render(
      <VehicleCard
        vehicle={v}
        live={{ type: 'sample', vin: v.vin, seq: 11, t: NOW, values: { VehicleSpeed: 12.4, Gear: 'R' } }}
        stored={undefined}
        now={NOW}
        selected={false}
        silentMs={null}
        onSelect={() => {}}
        catalogue={idx}
      />,
    );
    expect(screen.getByTestId(`card-signal-${v.vin}-Gear`).getAttribute('data-value')).toBe('"R"');
    expect(screen.getByTestId(`card-signal-${v.vin}-VehicleSpeed`).textContent).toBe('Speed12 mph');
  });
});

describe('SignalPicker', () => {
  it('searches by name and alias, lists signals with data first and hides those without', () => {
    const onChange = vi.fn();
    render(<SignalPicker id="p" label="Signals" title="Signals to chart" signals={SIGNALS} withData={new Set(['VehicleSpeed', 'Gear', 'Soc'])} selected={['Soc']} onChange={onChange} defaults={['VehicleSpeed']} />);
    expect(screen.queryByTestId('p-panel')).toBeNull();
    fireEvent.click(screen.getByTestId('p-toggle'));
    expect(screen.getByTestId('p-toggle').getAttribute('aria-expanded')).toBe('true');
    const listed = () => [...screen.getByTestId('p-panel').querySelectorAll('input[data-testid^="p-option-"]')].map((e) => e.getAttribute('data-testid')!.slice(9));
    expect(listed()).toEqual(['VehicleSpeed', 'Soc', 'Gear']); // no data: not offered
    fireEvent.change(screen.getByTestId('p-search'), { target: { value: 'SPEED' } });
    expect(listed()).toEqual(['VehicleSpeed']);
    fireEvent.click(screen.getByTestId('p-option-VehicleSpeed'));
    expect(onChange).toHaveBeenLastCalledWith(['Soc', 'VehicleSpeed']);
    fireEvent.change(screen.getByTestId('p-search'), { target: { value: 'temp' } });
    expect(listed()).toEqual([]);
    fireEvent.click(screen.getByLabelText(/show signals without data/));
    expect(listed()).toEqual(['InsideTemp', 'OutsideTemp']);
    fireEvent.click(screen.getByTestId('p-reset'));
    expect(onChange).toHaveBeenLastCalledWith(['VehicleSpeed']);
    fireEvent.keyDown(screen.getByTestId('p-search'), { key: 'Escape' });
    expect(screen.queryByTestId('p-panel')).toBeNull();
  });

  it('unticks a chosen signal', () => {
    const onChange = vi.fn();
    render(<SignalPicker id="p" label="Signals" title="t" signals={SIGNALS} selected={['Soc', 'Gear']} onChange={onChange} defaults={[]} />);
    fireEvent.click(screen.getByTestId('p-toggle'));
    fireEvent.click(screen.getByTestId('p-option-Soc'));
    expect(onChange).toHaveBeenLastCalledWith(['Gear']);
  });
});

describe('StateBands', () => {
  it('draws each value as a band over the window, clipped to it, with a text alternative', () => {
    const gear = SIGNALS.find((s) => s.name === 'Gear');
    render(
      <StateBands
        domain={[NOW - 100_000, NOW]}
        holes={[[NOW - 20_000, NOW - 10_000]]}
        spans={[]}
        bands={[
          {
            name: 'Gear',
            signal: gear,
            segments: [
              { from: NOW - 150_000, to: NOW - 50_000, value: 'P' },
              { from: NOW - 50_000, to: NOW - 20_000, value: 'D' },
            ],
          },
          { name: 'Locked', signal: SIGNALS.find((s) => s.name === 'Locked'), segments: [{ from: NOW - 300_000, to: NOW - 200_000, value: true }] },
        ]}
      />,
    );
    const row = screen.getByTestId('state-band-Gear');
    expect(row.getAttribute('data-segments')).toBe('2');
    expect(row.getAttribute('data-values')).toBe('["P","D"]');
    const segs = [...row.querySelectorAll<HTMLElement>('.band-seg')];
    expect(segs.map((s) => [s.style.left, s.style.width, s.textContent])).toEqual([
      ['0%', '50%', 'P'],
      ['50%', '30%', 'D'],
    ]);
    expect(row.querySelector('.band-hole')!.getAttribute('style')).toContain('left: 80%');
    expect(row.querySelector('[role="img"]')!.getAttribute('aria-label')).toMatch(/^Gear: P from .* to .*, D from /);
    expect(screen.getByTestId('state-band-Locked').getAttribute('data-segments')).toBe('0'); // before the window
  });
});

describe('VehicleView', () => {
  const realFetch = globalThis.fetch;
  let requests: string[] = [];
  beforeEach(() => {
    clearCatalogueCache();
    localStorage.clear();
    requests = [];
    const frames: StoredSample[] = [];
    for (let i = 0; i <= 300; i++) {
      const t = NOW - 30_000 + i * 100;
      const values: StoredSample['values'] = { VehicleSpeed: i < 100 ? 0 : 30, Power: 10, Odometer: 100 + i * 0.001 };
      if (i === 0) Object.assign(values, { Gear: 'P', Locked: true });
      if (i === 100) Object.assign(values, { Gear: 'D', Locked: false });
      frames.push({ seq: i, t, values });
    }
    globalThis.fetch = (async (input: RequestInfo | URL) => {
      const url = new URL(String(input), 'http://localhost');
      requests.push(decodeURIComponent(url.pathname + url.search));
      if (url.pathname.endsWith('/signals')) return new Response(JSON.stringify(CAT), { status: 200 });
      if (url.pathname.endsWith('/summary')) return new Response(JSON.stringify({ vin: 'x', samples: 0, distanceMi: null, energyKwh: null, whPerMi: null, onlineSeconds: null, offlineSeconds: null }), { status: 200 });
      const sel = (url.searchParams.get('signals') ?? '').split(',');
      const out = frames
        .map((f) => ({ ...f, values: Object.fromEntries(Object.entries(f.values).filter(([k]) => sel.includes(k))) }))
        .filter((f) => Object.keys(f.values).length > 0);
      return new Response(JSON.stringify(out), { status: 200 });
    }) as typeof fetch;
  });
  afterEach(() => {
    globalThis.fetch = realFetch;
  });

  it('fetches only the chosen signals (and what distance, efficiency and the route need) and draws states as bands', async () => {
    localStorage.setItem(CHART_SIGNALS_KEY, JSON.stringify(['VehicleSpeed', 'Gear', 'Locked', 'NotInThisCatalogue']));
    const store = new FleetStore('ws://unused');
    const v = vehicle({ lastCaptureMs: NOW });
    render(
      <StoreContext.Provider value={store}>
        <VehicleView vehicle={v} captureNow={NOW} onClose={() => {}} />
      </StoreContext.Provider>,
    );
    await waitFor(() => expect(screen.getByTestId('state-band-Gear').getAttribute('data-segments')).toBe('2'));
    const samples = requests.filter((r) => r.includes('/samples'));
    expect(samples).toHaveLength(1);
    expect(samples[0]).toContain('signals=VehicleSpeed,Gear,Locked,Power,Odometer,Location');
    expect(screen.getByTestId('state-band-Gear').getAttribute('data-values')).toBe('["P","D"]');
    expect(screen.getByTestId('state-band-Locked').getAttribute('data-values')).toBe('[true,false]');
    expect(screen.getByTestId('chart-VehicleSpeed')).toBeTruthy();
    expect(screen.queryByTestId('chart-Soc')).toBeNull();
    expect(screen.getByTestId('chart-distance')).toBeTruthy();

    // picking a signal refetches with it
    fireEvent.click(screen.getByTestId('chart-signals-toggle'));
    act(() => {
      fireEvent.click(screen.getByTestId('chart-signals-option-Soc'));
    });
    await waitFor(() => expect(requests.filter((r) => r.includes('/samples')).length).toBe(2));
    expect(requests.filter((r) => r.includes('/samples'))[1]).toContain('signals=VehicleSpeed,Gear,Locked,Soc,Power,Odometer,Location');
    expect(JSON.parse(localStorage.getItem(CHART_SIGNALS_KEY)!)).toEqual(['VehicleSpeed', 'Gear', 'Locked', 'Soc', 'NotInThisCatalogue']);
    await waitFor(() => expect(screen.getByTestId('chart-Soc')).toBeTruthy());
  });

  it('without a catalogue (a server without /signals) fetches every signal and types them by their values', async () => {
    const fake = globalThis.fetch;
    globalThis.fetch = (async (input: RequestInfo | URL, init?: RequestInit) => {
      if (String(input).endsWith('/signals')) return new Response(JSON.stringify({ error: 'no route' }), { status: 404 });
      return fake(String(input).replace('format=json', 'format=json&signals=VehicleSpeed,Gear,Power,Odometer'), init);
    }) as typeof fetch;
    localStorage.setItem(CHART_SIGNALS_KEY, JSON.stringify(['VehicleSpeed', 'Gear']));
    const store = new FleetStore('ws://unused');
    render(
      <StoreContext.Provider value={store}>
        <VehicleView vehicle={vehicle({ lastCaptureMs: NOW, catalogue: null })} captureNow={NOW} onClose={() => {}} />
      </StoreContext.Provider>,
    );
    await waitFor(() => expect(screen.getByTestId('state-band-Gear').getAttribute('data-values')).toBe('["P","D"]'));
    const samples = requests.filter((r) => r.includes('/samples'));
    expect(samples[0]).toMatch(/format=json&signals=VehicleSpeed,Gear,Power,Odometer$/); // the view itself sent no selection
    expect(screen.getByTestId('chart-VehicleSpeed')).toBeTruthy();
  });
});
