import { useCallback, useEffect, useRef, useState } from 'react';
import { fetchCharges, fetchDrives, type Charge, type Drive, type Page, type PageQuery } from '../api/sessions';
import { fetchSamples } from '../api/client';
import { fetchOfflineSpans } from '../api/sessions';
import type { StoredSample } from '../api/types';

export interface SessionList<T> {
  items: T[];
  loading: boolean;
  error: string | null;
  /** more pages exist (the last page was full) */
  more: boolean;
  loadMore(): void;
}

/**
 * A vehicle's drives or charges in [fromMs, toMs): the first page on mount and whenever the range
 * changes; `loadMore` appends the next page (the server's `nextCursor`). A response for an older
 * range is dropped.
 */
export function useSessionList<T extends Drive | Charge>(vin: string, kind: 'drives' | 'charges', fromMs: number | null, toMs: number | null, limit = 50): SessionList<T> {
  const [state, setState] = useState<{ items: T[]; cursor: string | null; loading: boolean; error: string | null }>({ items: [], cursor: null, loading: true, error: null });
  const gen = useRef(0);
  const load = useCallback(
    (cursor: string | null, append: boolean) => {
      const g = append ? gen.current : ++gen.current;
      setState((s) => ({ ...s, items: append ? s.items : [], loading: true, error: null }));
      const q: PageQuery = { fromMs, toMs, cursor, limit };
      const fetchPage = (kind === 'drives' ? fetchDrives : fetchCharges) as (vin: string, q: PageQuery) => Promise<Page<T>>;
      fetchPage(vin, q).then(
        (page) => g === gen.current && setState((s) => ({ items: append ? [...s.items, ...page.items] : page.items, cursor: page.nextCursor, loading: false, error: null })),
        (e: unknown) => g === gen.current && setState((s) => ({ ...s, loading: false, error: e instanceof Error ? e.message : String(e) })),
      );
    },
    [vin, kind, fromMs, toMs, limit],
  );
  useEffect(() => load(null, false), [load]);
  return {
    items: state.items,
    loading: state.loading,
    error: state.error,
    more: state.cursor !== null,
    loadMore: () => {
      if (state.cursor !== null && !state.loading) load(state.cursor, true);
    },
  };
}

/** Frames of one session (and the vehicle's link-down spans over it), fetched once per key. */
export function useSessionFrames(vin: string, fromMs: number | null, toMs: number | null, signals: readonly string[] | null) {
  const [state, setState] = useState<{ key: string; rows: StoredSample[] | null; offline: Array<[number, number]>; error: string | null }>({ key: '', rows: null, offline: [], error: null });
  const key = fromMs === null || toMs === null || signals === null ? '' : `${vin}|${fromMs}|${toMs}|${signals.join(',')}`;
  useEffect(() => {
    if (!key || fromMs === null || toMs === null || signals === null) return;
    const ctrl = new AbortController();
    Promise.all([fetchSamples(vin, fromMs, toMs + 1, signals, ctrl.signal), fetchOfflineSpans(vin, fromMs, toMs + 1, ctrl.signal)]).then(
      ([rows, offline]) => setState({ key, rows, offline, error: null }),
      (e: unknown) => !ctrl.signal.aborted && setState({ key, rows: [], offline: [], error: e instanceof Error ? e.message : String(e) }),
    );
    return () => ctrl.abort();
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [key]);
  return state.key === key ? state : { key, rows: null, offline: [], error: null };
}
