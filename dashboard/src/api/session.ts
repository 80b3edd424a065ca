/**
 * The dashboard's credential: GET /api/session says who we are (or that a login is needed) and
 * hands out the CSRF token every state-changing request must carry as `X-CSRF-Token` (see
 * docs/security.md). The session itself is an HttpOnly cookie the browser keeps; this module
 * only remembers the CSRF token.
 */
export interface SessionInfo {
  authenticated: boolean;
  /** true: show the login page (users are configured, or the server is not on loopback). */
  loginRequired: boolean;
  user: string | null;
  /** 'user' (logged in), 'token', 'loopback' (the open local mode), or null. */
  kind: string | null;
  scopes: string[];
  /** null: every vehicle. */
  vins: string[] | null;
  csrfToken: string | null;
}

export const CSRF_HEADER = 'X-CSRF-Token';
/** Dispatched on window when a request answers 401: the session ended, show the login page. */
export const UNAUTHORIZED_EVENT = 'fleetlog:unauthorized';

let csrf: string | null = null;

export function csrfToken(): string | null {
  return csrf;
}

/** An older server without /api/session (404): behave as before, reads open, no token. */
const OPEN: SessionInfo = { authenticated: true, loginRequired: false, user: null, kind: null, scopes: [], vins: null, csrfToken: null };

export async function fetchSession(): Promise<SessionInfo> {
  const res = await fetch('/api/session', { credentials: 'same-origin' });
  if (res.status === 404) {
    csrf = null;
    return OPEN;
  }
  if (!res.ok) throw new Error(`${res.status} ${res.statusText}`);
  const s = (await res.json()) as SessionInfo;
  csrf = s.csrfToken;
  return s;
}

/** Logs in; resolves to the session, rejects with the server's message (e.g. wrong password). */
export async function login(user: string, password: string): Promise<SessionInfo> {
  const res = await fetch('/api/login', {
    method: 'POST',
    credentials: 'same-origin',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ user, password }),
  });
  if (!res.ok) {
    let message = `${res.status} ${res.statusText}`;
    try {
      const body = (await res.json()) as { error?: string };
      if (body?.error) message = body.error;
    } catch {
      // not JSON: keep the status line
    }
    throw new Error(message);
  }
  const s = (await res.json()) as SessionInfo;
  csrf = s.csrfToken;
  return s;
}

export async function logout(): Promise<void> {
  await fetch('/api/logout', { method: 'POST', credentials: 'same-origin', headers: csrf ? { [CSRF_HEADER]: csrf } : {} });
  csrf = null;
}

/**
 * A state-changing request with the CSRF token. A 403 about the token (the server restarted, so the
 * open mode's token changed) fetches the session again and retries once.
 */
export async function mutate(url: string, init: RequestInit = {}): Promise<Response> {
  const attempt = () => {
    const headers = new Headers(init.headers);
    if (csrf) headers.set(CSRF_HEADER, csrf);
    return fetch(url, { ...init, credentials: 'same-origin', headers });
  };
  let res = await attempt();
  if (res.status === 403) {
    const text = await res.clone().text();
    if (text.includes(CSRF_HEADER)) {
      await fetchSession();
      res = await attempt();
    }
  }
  return res;
}
