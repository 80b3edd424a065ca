import { useState } from 'react';
import type { SessionInfo } from '../api/session';
import { login } from '../api/session';

/** The login form: user and password to POST /api/login; the server sets an HttpOnly cookie. */
export function LoginPage({ onLoggedIn, signIn = login }: { onLoggedIn: (s: SessionInfo) => void; signIn?: typeof login }) {
  const [user, setUser] = useState('');
  const [password, setPassword] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const submit = async (e: React.FormEvent) => {
    e.preventDefault();
    setBusy(true);
    setError(null);
    try {
      const s = await signIn(user, password);
      setPassword('');
      onLoggedIn(s);
    } catch (err) {
      setError(err instanceof Error ? err.message : String(err));
    } finally {
      setBusy(false);
    }
  };

  return (
    <div className="login">
      <form className="panel login-panel" onSubmit={(e) => void submit(e)} data-testid="login-form">
        <h1>fleetlog</h1>
        <p className="muted small">Sign in to see the fleet.</p>
        <label>
          User
          <input name="user" autoComplete="username" value={user} onChange={(e) => setUser(e.target.value)} required autoFocus data-testid="login-user" />
        </label>
        <label>
          Password
          <input
            name="password"
            type="password"
            autoComplete="current-password"
            value={password}
            onChange={(e) => setPassword(e.target.value)}
            required
            data-testid="login-password"
          />
        </label>
        {error && (
          <div className="login-error" role="alert" data-testid="login-error">
            {error}
          </div>
        )}
        <button type="submit" disabled={busy || !user || !password} data-testid="login-submit">
          {busy ? 'Signing in…' : 'Sign in'}
        </button>
      </form>
    </div>
  );
}
