import { useEffect, useState } from 'react';

/** The result of `load` for `key`, loaded again when the key changes (the older answer is dropped). */
export function useAsync<T>(key: string, load: (abort: AbortSignal) => Promise<T>): { value: T | null; error: string | null } {
  const [state, setState] = useState<{ key: string; value: T | null; error: string | null }>({ key: '', value: null, error: null });
  useEffect(() => {
    const ctrl = new AbortController();
    load(ctrl.signal).then(
      (value) => setState({ key, value, error: null }),
      (e: unknown) => !ctrl.signal.aborted && setState({ key, value: null, error: e instanceof Error ? e.message : String(e) }),
    );
    return () => ctrl.abort();
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [key]);
  return state.key === key ? state : { value: null, error: null };
}
