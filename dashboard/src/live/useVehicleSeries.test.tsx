// @vitest-environment happy-dom
import { act, renderHook, waitFor } from '@testing-library/react';
import type { ReactNode } from 'react';
import { afterEach, describe, expect, it } from 'vitest';
import type { StoredSample } from '../api/types';
import { FleetStore } from './fleetStore';
import { StoreContext } from './hooks';
import { useVehicleSeries } from './useVehicleSeries';

const VIN = '5YJ3E1EA7KF000001';
const NOW = Date.now();
const T0 = NOW - 60_000;

/** 50 Hz samples for seqs [from, to]. */
function samples(from: number, to: number): StoredSample[] {
  const out: StoredSample[] = [];
  for (let s = from; s <= to; s++) out.push({ seq: s, t: T0 + s * 20, values: { VehicleSpeed: 30, Power: 10, Odometer: 100 + s * 0.0002 } });
  return out;
}

/** A hand-written stand-in for the server's samples endpoint over a fixed set of stored samples. */
function fakeServer(stored: () => StoredSample[]) {
  const requests: string[] = [];
  globalThis.fetch = (async (input: RequestInfo | URL) => {
    const url = new URL(String(input), 'http://localhost');
    requests.push(url.pathname + url.search);
    const from = Number(url.searchParams.get('from'));
    const to = Number(url.searchParams.get('to'));
    const body = stored().filter((s) => s.t >= from && s.t < to);
    return new Response(JSON.stringify(body), { status: 200, headers: { 'Content-Type': 'application/json' } });
  }) as typeof fetch;
  return requests;
}

const realFetch = globalThis.fetch;
afterEach(() => {
  globalThis.fetch = realFetch;
});

describe('useVehicleSeries', () => {
  it('loads the window, then fills a dead-zone gap from a stored event at the true capture times', async () => {
    // the server holds the samples before and after a dead zone; the backlog is not stored yet
    let held = [...samples(0, 49), ...samples(1300, 1349)];
    const requests = fakeServer(() => held);
    const store = new FleetStore('ws://unused');
    store.apply({ type: 'snapshot', vehicles: [], demo: false });
    const wrapper = ({ children }: { children: ReactNode }) => <StoreContext.Provider value={store}>{children}</StoreContext.Provider>;
    const { result } = renderHook(() => useVehicleSeries(VIN, 120_000, () => NOW, () => false), { wrapper });

    await waitFor(() => expect(result.current.points).toHaveLength(100));
    expect(result.current.loading).toBe(false);
    expect(result.current.points.some((p) => p.backfilled)).toBe(false);

    // the edge drains its backlog: the server stores seqs 50..1299 and says so
    held = samples(0, 1349);
    const backlog = samples(50, 1299);
    act(() => {
      store.apply({ type: 'stored', vin: VIN, fromSeq: 50, toSeq: 1299, fromMs: backlog[0].t, toMs: backlog[backlog.length - 1].t });
    });

    await waitFor(() => expect(result.current.points).toHaveLength(1350), { timeout: 3000 });
    const pts = result.current.points;
    expect(pts.map((p) => p.seq)).toEqual(samples(0, 1349).map((s) => s.seq));
    for (let i = 1; i < pts.length; i++) expect(pts[i].t - pts[i - 1].t).toBe(20);
    // captured about a minute ago, arriving now: backfill
    expect(pts.filter((p) => p.backfilled).map((p) => p.seq)).toEqual(backlog.map((s) => s.seq));
    const refetch = requests[requests.length - 1];
    expect(refetch).toContain(`from=${backlog[0].t}`);
    expect(refetch).toContain(`to=${backlog[backlog.length - 1].t + 1}`);
  });

  it('ignores stored events of other vehicles and outside the window', async () => {
    const requests = fakeServer(() => samples(0, 10));
    const store = new FleetStore('ws://unused');
    const wrapper = ({ children }: { children: ReactNode }) => <StoreContext.Provider value={store}>{children}</StoreContext.Provider>;
    const { result } = renderHook(() => useVehicleSeries(VIN, 120_000, () => NOW, () => false), { wrapper });
    await waitFor(() => expect(result.current.points).toHaveLength(11));
    const before = requests.length;
    act(() => {
      store.apply({ type: 'stored', vin: 'OTHER', fromSeq: 0, toSeq: 5, fromMs: T0, toMs: T0 + 100 });
      store.apply({ type: 'stored', vin: VIN, fromSeq: 0, toSeq: 5, fromMs: NOW - 600_000, toMs: NOW - 500_000 });
    });
    await new Promise((r) => setTimeout(r, 50));
    expect(requests.length).toBe(before);
  });

  it('refetches with ?signals= when the selection changes, keeping the backfill marks', async () => {
    let held = samples(0, 49);
    const requests = fakeServer(() => held);
    const store = new FleetStore('ws://unused');
    store.apply({ type: 'snapshot', vehicles: [], demo: false });
    const wrapper = ({ children }: { children: ReactNode }) => <StoreContext.Provider value={store}>{children}</StoreContext.Provider>;
    const { result, rerender } = renderHook(({ sel }: { sel: string[] | null }) => useVehicleSeries(VIN, 120_000, () => NOW, () => false, sel), {
      wrapper,
      initialProps: { sel: null as string[] | null },
    });
    await new Promise((r) => setTimeout(r, 30));
    expect(requests).toEqual([]); // the catalogue is not known yet: nothing is fetched
    rerender({ sel: ['VehicleSpeed', 'Power'] });
    await waitFor(() => expect(result.current.points).toHaveLength(50));
    expect(new URL(requests[0], 'http://x').searchParams.get('signals')).toBe('VehicleSpeed,Power');
    // a backlog arrives late (captured a minute ago): backfilled
    held = samples(0, 99);
    act(() => {
      store.apply({ type: 'stored', vin: VIN, fromSeq: 50, toSeq: 99, fromMs: T0 + 1000, toMs: T0 + 99 * 20 });
    });
    await waitFor(() => expect(result.current.points).toHaveLength(100), { timeout: 3000 });
    expect(result.current.points.filter((p) => p.backfilled)).toHaveLength(50);
    rerender({ sel: ['VehicleSpeed', 'Power', 'Gear'] });
    await waitFor(() => expect(requests.some((r) => r.includes('signals=VehicleSpeed%2CPower%2CGear'))).toBe(true));
    await waitFor(() => expect(result.current.loading).toBe(false));
    expect(result.current.points).toHaveLength(100);
    expect(result.current.points.filter((p) => p.backfilled).map((p) => p.seq)).toEqual(samples(50, 99).map((s) => s.seq));
  });

  it('takes the merged values of a live sample only at the live edge; a late one is a bare marker until fetched', async () => {
    fakeServer(() => samples(0, 49));
    const store = new FleetStore('ws://unused');
    store.apply({ type: 'snapshot', vehicles: [], demo: false });
    const wrapper = ({ children }: { children: ReactNode }) => <StoreContext.Provider value={store}>{children}</StoreContext.Provider>;
    const { result } = renderHook(() => useVehicleSeries(VIN, 120_000, () => NOW, () => false), { wrapper });
    await waitFor(() => expect(result.current.points).toHaveLength(50));
    act(() => {
      store.apply({ type: 'sample', vin: VIN, seq: 60, t: T0 + 60 * 20, values: { VehicleSpeed: 31, Gear: 'D' } }); // live edge
      store.apply({ type: 'sample', vin: VIN, seq: 55, t: T0 + 55 * 20, values: { VehicleSpeed: 31, Gear: 'D' } }); // drained: older
    });
    await waitFor(() => expect(result.current.points).toHaveLength(52), { timeout: 3000 });
    const bySeq = new Map(result.current.points.map((p) => [p.seq, p]));
    expect(bySeq.get(60)!.values).toEqual({ VehicleSpeed: 31, Gear: 'D' });
    expect(bySeq.get(55)!.values).toEqual({});
    expect(bySeq.get(55)!.merged).toBe(true);
  });
});
