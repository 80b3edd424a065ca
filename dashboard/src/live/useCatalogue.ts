import { useEffect, useState } from 'react';
import { fetchSignals } from '../api/client';
import type { VehicleState } from '../api/types';
import { SignalIndex } from '../data/signals';

export interface CatalogueState {
  /** null while loading or after an error */
  index: SignalIndex | null;
  error: string | null;
}

/**
 * Catalogues by shortId (vehicles that share one are fetched once), or by VIN for a vehicle whose
 * state names none. A failed fetch is forgotten after a while so that it is retried.
 */
const cache = new Map<string, Promise<SignalIndex>>();
const RETRY_MS = 10_000;

/** For tests: forget every cached catalogue. */
export function clearCatalogueCache(): void {
  cache.clear();
}

export function catalogueKey(v: Pick<VehicleState, 'vin' | 'catalogue'>): string {
  return v.catalogue ? `cat:${v.catalogue}` : `vin:${v.vin}`;
}

export function loadCatalogue(v: Pick<VehicleState, 'vin' | 'catalogue'>): Promise<SignalIndex> {
  const key = catalogueKey(v);
  let p = cache.get(key);
  if (!p) {
    p = fetchSignals(v.vin).then((c) => new SignalIndex(c));
    cache.set(key, p);
    p.catch(() => setTimeout(() => cache.get(key) === p && cache.delete(key), RETRY_MS));
  }
  return p;
}

/** The signal catalogue of `vehicle` (`GET /api/vehicles/{vin}/signals`), shared between views. */
export function useCatalogue(vehicle: Pick<VehicleState, 'vin' | 'catalogue'> | undefined): CatalogueState {
  const key = vehicle ? catalogueKey(vehicle) : null;
  const [state, setState] = useState<{ key: string | null } & CatalogueState>({ key: null, index: null, error: null });
  const [attempt, setAttempt] = useState(0);
  useEffect(() => {
    if (!vehicle || key === null) return undefined;
    let alive = true;
    let retry: ReturnType<typeof setTimeout> | undefined;
    loadCatalogue(vehicle).then(
      (index) => alive && setState({ key, index, error: null }),
      (e: unknown) => {
        if (!alive) return;
        setState({ key, index: null, error: e instanceof Error ? e.message : String(e) });
        retry = setTimeout(() => setAttempt((a) => a + 1), RETRY_MS + 1000); // after the cache forgot it
      },
    );
    return () => {
      alive = false;
      if (retry) clearTimeout(retry);
    };
    // the vehicle object changes on every state message; the catalogue only with its key
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [key, attempt]);
  return state.key === key ? { index: state.index, error: state.error } : { index: null, error: null };
}

/** Catalogues of many vehicles (the fleet's cards): a map from catalogue key to index. */
export function useCatalogues(vehicles: ReadonlyArray<Pick<VehicleState, 'vin' | 'catalogue'>>): Map<string, SignalIndex> {
  const [map, setMap] = useState<Map<string, SignalIndex>>(() => new Map());
  const [attempt, setAttempt] = useState(0);
  const keys: Array<[string, Pick<VehicleState, 'vin' | 'catalogue'>]> = [];
  const seen = new Set<string>();
  for (const v of vehicles) {
    const k = catalogueKey(v);
    if (!seen.has(k)) {
      seen.add(k);
      keys.push([k, v]);
    }
  }
  const joined = keys.map(([k]) => k).join('|');
  useEffect(() => {
    let alive = true;
    let retry: ReturnType<typeof setTimeout> | undefined;
    for (const [k, v] of keys) {
      loadCatalogue(v).then(
        (idx) => alive && setMap((m) => (m.get(k) === idx ? m : new Map(m).set(k, idx))),
        () => {
          // the cards show values without units meanwhile; try again once the cache forgot it
          if (alive && !retry) retry = setTimeout(() => setAttempt((a) => a + 1), RETRY_MS + 1000);
        },
      );
    }
    return () => {
      alive = false;
      if (retry) clearTimeout(retry);
    };
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [joined, attempt]);
  return map;
}
