// @vitest-environment happy-dom
import { act, cleanup, fireEvent, render, screen } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { SessionInfo } from '../api/session';
import { SessionGate } from '../SessionGate';
import { LoginPage } from './LoginPage';

afterEach(cleanup);

const needsLogin: SessionInfo = { authenticated: false, loginRequired: true, user: null, kind: null, scopes: [], vins: null, csrfToken: null };
const alice: SessionInfo = { authenticated: true, loginRequired: false, user: 'alice', kind: 'user', scopes: ['read'], vins: null, csrfToken: 'c' };

describe('LoginPage', () => {
  it('signs in with user and password and reports a refusal', async () => {
    const signIn = vi.fn(async (user: string, password: string) => {
      if (password !== 'correct horse') throw new Error('wrong user name or password');
      return { ...alice, user };
    });
    const done = vi.fn();
    render(<LoginPage onLoggedIn={done} signIn={signIn} />);
    fireEvent.change(screen.getByTestId('login-user'), { target: { value: 'alice' } });
    fireEvent.change(screen.getByTestId('login-password'), { target: { value: 'battery' } });
    await act(async () => {
      fireEvent.submit(screen.getByTestId('login-form'));
    });
    expect(screen.getByTestId('login-error').textContent).toBe('wrong user name or password');
    expect(done).not.toHaveBeenCalled();
    fireEvent.change(screen.getByTestId('login-password'), { target: { value: 'correct horse' } });
    await act(async () => {
      fireEvent.submit(screen.getByTestId('login-form'));
    });
    expect(signIn).toHaveBeenLastCalledWith('alice', 'correct horse');
    expect(done).toHaveBeenCalledWith(expect.objectContaining({ user: 'alice' }));
  });
});

describe('SessionGate', () => {
  it('shows the login page, not the dashboard, until a session exists', async () => {
    const onReady = vi.fn();
    await act(async () => {
      render(
        <SessionGate onReady={onReady} load={async () => needsLogin}>
          <div data-testid="dashboard" />
        </SessionGate>,
      );
    });
    expect(screen.getByTestId('login-form')).toBeTruthy();
    expect(screen.queryByTestId('dashboard')).toBeNull();
    expect(onReady).not.toHaveBeenCalled();
  });

  it('shows the dashboard and the signed-in user once logged in', async () => {
    const onReady = vi.fn();
    await act(async () => {
      render(
        <SessionGate onReady={onReady} load={async () => alice}>
          <div data-testid="dashboard" />
        </SessionGate>,
      );
    });
    expect(screen.getByTestId('dashboard')).toBeTruthy();
    expect(screen.getByTestId('session-bar').textContent).toContain('alice');
    expect(onReady).toHaveBeenCalled();
  });

  it('shows the dashboard when the server is unreachable (its banner says so)', async () => {
    await act(async () => {
      render(
        <SessionGate onReady={() => {}} load={async () => Promise.reject(new Error('network'))}>
          <div data-testid="dashboard" />
        </SessionGate>,
      );
    });
    expect(screen.getByTestId('dashboard')).toBeTruthy();
  });
});
