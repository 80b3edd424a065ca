import { useCallback, useEffect, useRef, useState } from 'react';
import { demoCommand, fetchDemo, HttpError, setDeadZone } from '../api/client';
import type { DemoState } from '../api/types';

export interface Demo {
  /** null while unknown, false when the server has no demo mode (404) — then hide the controls. */
  available: boolean | null;
  state: DemoState | null;
  busy: boolean;
  error: string | null;
  play(): Promise<void>;
  stop(): Promise<void>;
  deadZone(vin: string, on: boolean): Promise<void>;
}

/**
 * The demo control API (`/api/demo`), polled every 3 s and after every (re)connect (`epoch`).
 * `demoMode` is the live snapshot's `demo` flag: false (or null before the first snapshot) means
 * no requests at all, so a server without demo mode sees no 404s from the dashboard.
 */
export function useDemo(epoch: number, demoMode: boolean | null): Demo {
  const [available, setAvailable] = useState<boolean | null>(null);
  const [state, setState] = useState<DemoState | null>(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const inFlight = useRef(0);

  const refresh = useCallback(async () => {
    if (inFlight.current > 0) return; // a command's answer is fresher than a poll
    try {
      const s = await fetchDemo();
      if (inFlight.current > 0) return;
      setState(s);
      setAvailable(true);
    } catch (e) {
      if (e instanceof HttpError && (e.status === 404 || e.status === 403)) setAvailable(false);
      // network errors: the connection banner already says the server is gone
    }
  }, []);

  useEffect(() => {
    if (demoMode === null) return undefined;
    if (!demoMode) {
      setAvailable(false);
      return undefined;
    }
    void refresh();
    const id = setInterval(() => void refresh(), 3000);
    return () => clearInterval(id);
  }, [refresh, epoch, demoMode]);

  const run = useCallback(async (fn: () => Promise<DemoState>) => {
    inFlight.current++;
    setBusy(true);
    try {
      setState(await fn());
      setError(null);
    } catch (e) {
      setError(e instanceof Error ? e.message : String(e));
    } finally {
      inFlight.current--;
      setBusy(false);
    }
  }, []);

  return {
    available,
    state,
    busy,
    error,
    play: () => run(() => demoCommand('start')),
    stop: () => run(() => demoCommand('stop')),
    deadZone: (vin, on) => run(() => setDeadZone(vin, on)),
  };
}
