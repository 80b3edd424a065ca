import { useCallback, useEffect, useState, type ReactNode } from 'react';
import { LoginPage } from './components/LoginPage';
import type { SessionInfo } from './api/session';
import { fetchSession, logout, UNAUTHORIZED_EVENT } from './api/session';

/**
 * Shows the login page while the server wants a login, else `children` (the dashboard), and calls
 * `onReady` once a session exists (main.tsx then opens /live, so the feed connects with the cookie).
 * When the server cannot be reached, the dashboard is shown anyway: its banner says so.
 */
export function SessionGate({ children, onReady, load = fetchSession }: { children: ReactNode; onReady: () => void; load?: typeof fetchSession }) {
  const [session, setSession] = useState<SessionInfo | null>(null);
  const [unreachable, setUnreachable] = useState(false);

  const check = useCallback(async () => {
    try {
      setSession(await load());
      setUnreachable(false);
    } catch {
      setUnreachable(true);
    }
  }, [load]);

  useEffect(() => {
    void check();
    const onUnauthorized = () => void check();
    window.addEventListener(UNAUTHORIZED_EVENT, onUnauthorized);
    return () => window.removeEventListener(UNAUTHORIZED_EVENT, onUnauthorized);
  }, [check]);

  const ready = unreachable || (session !== null && !(session.loginRequired && !session.authenticated));
  useEffect(() => {
    if (ready) onReady();
  }, [ready, onReady]);

  if (!ready) {
    return session === null ? (
      <div className="placeholder" data-testid="session-loading">
        <span className="spinner" aria-hidden="true" /> connecting…
      </div>
    ) : (
      <LoginPage onLoggedIn={setSession} />
    );
  }
  return (
    <>
      {session?.kind === 'user' && (
        <div className="session-bar" data-testid="session-bar">
          <span className="muted small">
            signed in as <strong>{session.user}</strong>
          </span>
          <button
            type="button"
            className="link-button"
            data-testid="logout"
            onClick={() =>
              void logout().then(() => {
                window.location.reload(); // closes /live and forgets everything shown
              })
            }
          >
            Sign out
          </button>
        </div>
      )}
      {children}
    </>
  );
}
