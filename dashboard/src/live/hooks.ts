import { createContext, useContext, useEffect, useState, useSyncExternalStore } from 'react';
import type { FleetSnapshot, FleetStore } from './fleetStore';

export const StoreContext = createContext<FleetStore | null>(null);

export function useStore(): FleetStore {
  const store = useContext(StoreContext);
  if (!store) throw new Error('FleetStore missing: wrap the app in <StoreContext.Provider>');
  return store;
}

export function useFleet(): FleetSnapshot {
  const store = useStore();
  return useSyncExternalStore(store.subscribe, store.getSnapshot);
}

/** Wall-clock ms, refreshed every `everyMs`. */
export function useNow(everyMs = 1000): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const id = setInterval(() => setNow(Date.now()), everyMs);
    return () => clearInterval(id);
  }, [everyMs]);
  return now;
}

