// @vitest-environment happy-dom
import { cleanup, fireEvent, render, screen, waitFor } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Charge, Drive } from '../api/sessions';
import type { StoredSample } from '../api/types';
import { TILES_KEY } from '../data/tiles';
import { clearCatalogueCache } from '../live/useCatalogue';
import { ChargeDetail, ChargesPage, DriveDetail, DrivesPage } from './SessionPages';

const VIN = '5YJ3E1EA7KF000001';
const T0 = 1_764_180_000_000;

function drive(i: number, p: Partial<Drive> = {}): Drive {
  const startMs = T0 + i * 3_600_000;
  return {
    id: startMs, vin: VIN, start: new Date(startMs).toISOString(), end: '', startMs, endMs: startMs + 600_000, startLat: 37.4, startLon: -122.1, endLat: 37.41, endLon: -122.12,
    distanceMi: 5 + i, distanceKm: (5 + i) * 1.609344, durationS: 600, energyKwh: 1.5, energySource: 'power', whPerMi: 300, whPerKm: 186.4, maxSpeedMph: 61,
    meanSpeedMph: 30, elevationGainM: 12, elevationLossM: 3, startSoc: 80, endSoc: 78, startOdometerMi: 100, endOdometerMi: 105, backfillFraction: 0, ...p,
  };
}

const CHARGE: Charge = {
  id: T0, vin: VIN, start: '', end: '', startMs: T0, endMs: T0 + 1_800_000, lat: 37.4, lon: -122.1, durationS: 1800, energyAddedKwh: 3.434, socFrom: 89.94, socTo: 94,
  peakPowerKw: 7.44, meanPowerKw: 7.33, kind: 'AC', cost: 1.03, currency: 'EUR', backfillFraction: 0,
};

let requests: string[] = [];
let routes: Array<[RegExp, (url: URL) => unknown]> = [];
const realFetch = globalThis.fetch;

beforeEach(() => {
  requests = [];
  routes = [];
  clearCatalogueCache();
  localStorage.clear();
  globalThis.fetch = (async (input: RequestInfo | URL) => {
    const url = new URL(String(input), 'http://localhost');
    requests.push(url.pathname + url.search);
    for (const [re, answer] of routes) if (re.test(url.pathname)) return new Response(JSON.stringify(answer(url)), { status: 200, headers: { 'Content-Type': 'application/json' } });
    return new Response(JSON.stringify({ error: 'not found' }), { status: 404 });
  }) as typeof fetch;
});
afterEach(() => {
  cleanup();
  globalThis.fetch = realFetch;
});

describe('DrivesPage', () => {
  it('lists the drives with their figures, marks backfilled ones and links each to its page', async () => {
    routes.push([/\/drives$/, () => ({ drives: [drive(0), drive(1, { backfillFraction: 0.25 })], nextCursor: null })]);
    render(<DrivesPage vin={VIN} />);
    const row = await screen.findByTestId(`drive-row-${T0}`);
    expect(row.textContent).toContain('5.00 mi');
    expect(row.textContent).toContain('10 min 00 s');
    expect(row.textContent).toContain('1.50 kWh');
    expect(row.textContent).toContain('37.4000, -122.1000 → 37.4100, -122.1200');
    expect(screen.getByTestId(`drive-row-${T0 + 3_600_000}`).textContent).toContain('25 % backfilled');
    expect(screen.getByTestId(`drive-link-${T0}`).getAttribute('href')).toBe(`#/vehicle/${VIN}/drives/${T0}`);
    expect(screen.getByTestId('chart-drive-efficiency').getAttribute('data-points')).toBe('2');
    expect(screen.queryByTestId('load-more')).toBeNull();
    fireEvent.click(screen.getByTestId('units-km'));
    expect(row.textContent).toContain('8.05 km');
    expect(row.textContent).toContain('186');
    expect(localStorage.getItem('fleetlog.units')).toBe('km');
  });

  it('pages on with the server\'s cursor and asks again for a date range', async () => {
    routes.push([
      /\/drives$/,
      (url) => (url.searchParams.get('cursor') === 'c1' ? { drives: [drive(2)], nextCursor: null } : { drives: [drive(0), drive(1)], nextCursor: 'c1' }),
    ]);
    render(<DrivesPage vin={VIN} />);
    fireEvent.click(await screen.findByTestId('load-more'));
    await screen.findByTestId(`drive-row-${T0 + 7_200_000}`);
    expect(screen.getAllByTestId(/^drive-row-/)).toHaveLength(3);
    expect(requests.filter((r) => r.includes('/drives'))).toEqual([`/api/vehicles/${VIN}/drives?limit=50`, `/api/vehicles/${VIN}/drives?limit=50&cursor=c1`]);
    expect(screen.queryByTestId('load-more')).toBeNull();

    fireEvent.change(screen.getByTestId('range-from'), { target: { value: '2025-11-26' } });
    await waitFor(() => expect(requests[requests.length - 1]).toBe(`/api/vehicles/${VIN}/drives?from=${new Date(2025, 10, 26).getTime()}&limit=50`));
    fireEvent.change(screen.getByTestId('range-to'), { target: { value: '2025-11-25' } });
    expect((await screen.findByTestId('range-error')).textContent).toBe('the start is after the end');
    const n = requests.length; // an invalid range keeps the list (and asks nothing)
    fireEvent.click(screen.getByTestId('range-clear'));
    await waitFor(() => expect(requests.length).toBe(n + 1));
    expect(requests[n]).toBe(`/api/vehicles/${VIN}/drives?limit=50`);
  });

  it('says so when there are no drives, and shows the server\'s error', async () => {
    routes.push([/\/drives$/, () => ({ drives: [], nextCursor: null })]);
    render(<DrivesPage vin={VIN} />);
    expect((await screen.findByTestId('drives-empty')).textContent).toContain('No drives');
    cleanup();
    routes = [];
    render(<DrivesPage vin={VIN} />);
    expect(await screen.findByText(/Could not load drives: 404 not found/)).toBeTruthy();
  });
});

describe('ChargesPage', () => {
  it('lists charges with energy, SoC, AC/DC and cost', async () => {
    routes.push([/\/charges$/, () => ({ charges: [CHARGE], nextCursor: null })]);
    render(<ChargesPage vin={VIN} />);
    const row = await screen.findByTestId(`charge-row-${T0}`);
    for (const s of ['3.43 kWh', '90 → 94 %', '7.4 kW', 'AC', '1.03 EUR']) expect(row.textContent).toContain(s);
    expect(screen.getByTestId(`charge-link-${T0}`).getAttribute('href')).toBe(`#/vehicle/${VIN}/charges/${T0}`);
  });
});

function frames(from: number, n: number, values: (i: number) => StoredSample['values']): StoredSample[] {
  return Array.from({ length: n }, (_, i) => ({ seq: i, t: from + i * 500, values: values(i) }));
}

describe('DriveDetail', () => {
  it('loads the drive, its frames and its offline spans, and charts them with the backfilled part marked', async () => {
    localStorage.setItem(TILES_KEY, 'off');
    const d = drive(0, { endMs: T0 + 60_000, backfillFraction: 0.5 });
    routes.push([/\/drives\/\d+$/, () => d]);
    routes.push([/\/offline$/, () => ({ offline: [[T0 + 30_000, T0 + 60_000]] })]);
    routes.push([
      /\/samples$/,
      () => frames(T0, 121, (i) => ({ VehicleSpeed: 30, Power: 12, Elevation: 10 + i / 10, Odometer: 100 + i * 0.004, Location: { lat: 37.4 + i * 1e-4, lon: -122.1 } })),
    ]);
    render(<DriveDetail vin={VIN} id={T0} />);
    expect((await screen.findByTestId('drive-facts')).textContent).toContain('50 % backfilled');
    const speed = await screen.findByTestId('chart-drive-speed');
    expect(Number(speed.getAttribute('data-points'))).toBeGreaterThan(100);
    expect(Number(speed.getAttribute('data-backfilled'))).toBeGreaterThan(50);
    for (const id of ['drive-power', 'drive-elevation', 'drive-efficiency']) expect(screen.getByTestId(`chart-${id}`)).toBeTruthy();
    // the catalogue is unknown here (404): every signal is fetched; the window is the drive's, `to` exclusive + 1 ms
    expect(requests).toContain(`/api/vehicles/${VIN}/samples?from=${T0}&to=${T0 + 60_001}&format=json`);
    expect(requests).toContain(`/api/vehicles/${VIN}/offline?from=${T0}&to=${T0 + 60_001}`);
    const map = screen.getByTestId('drive-map');
    expect(map.getAttribute('data-tiles')).toBe('off');
    expect(Number(screen.getByTestId('route').getAttribute('data-segments'))).toBe(2); // live, then backfilled
  });

  it('still draws the drive when the server has no offline endpoint (404: nothing backfilled)', async () => {
    localStorage.setItem(TILES_KEY, 'off');
    routes.push([/\/drives\/\d+$/, () => drive(0, { endMs: T0 + 10_000 })]);
    routes.push([/\/samples$/, () => frames(T0, 21, () => ({ VehicleSpeed: 30, Location: { lat: 37.4, lon: -122.1 } }))]);
    render(<DriveDetail vin={VIN} id={T0} />);
    const speed = await screen.findByTestId('chart-drive-speed');
    expect(speed.getAttribute('data-backfilled')).toBe('0');
  });
});

describe('ChargeDetail', () => {
  it('shows the session\'s figures and its power curve and SoC', async () => {
    routes.push([/\/charges\/\d+$/, () => CHARGE]);
    routes.push([/\/offline$/, () => ({ offline: [] })]);
    // 1 Hz over the 30 min session: about 400 chart rows (one per 4.5 s bucket)
    routes.push([/\/samples$/, () => Array.from({ length: 1800 }, (_, i) => ({ seq: i, t: T0 + i * 1000, values: { ACChargingPower: 7.3, Soc: 89.94 + i * 0.0023 } }))]);
    render(<ChargeDetail vin={VIN} id={T0} />);
    const facts = await screen.findByTestId('charge-facts');
    for (const s of ['3.43 kWh', '89.9 → 94.0 %', '7.4 / 7.3 kW', 'AC', '1.03 EUR']) expect(facts.textContent).toContain(s);
    expect(Number((await screen.findByTestId('chart-charge-power')).getAttribute('data-points'))).toBe(400);
    expect(Number(screen.getByTestId('chart-charge-soc').getAttribute('data-points'))).toBe(400);
    expect(screen.getByTestId('chart-charge-power').getAttribute('data-gaps')).toBe('[]');
  });
});
