import { afterEach, describe, expect, it, vi } from 'vitest';
import { csrfToken, fetchSession, mutate } from './session';

type Call = { url: string; init: RequestInit | undefined };

/** A fake server: answers with the queued responses in order and records the requests. */
function fakeFetch(responses: Response[]) {
  const calls: Call[] = [];
  vi.stubGlobal('fetch', async (url: string, init?: RequestInit) => {
    calls.push({ url, init });
    const r = responses.shift();
    if (!r) throw new Error(`unexpected request ${url}`);
    return r;
  });
  return calls;
}

const json = (status: number, body: unknown) => new Response(JSON.stringify(body), { status, headers: { 'Content-Type': 'application/json' } });
const session = (csrf: string) => ({ authenticated: true, loginRequired: false, user: 'loopback', kind: 'loopback', scopes: ['read', 'control'], vins: null, csrfToken: csrf });

afterEach(() => vi.unstubAllGlobals());

describe('session and CSRF', () => {
  it('sends the CSRF token from /api/session on every state-changing request', async () => {
    const calls = fakeFetch([json(200, session('t1')), json(200, { running: false })]);
    await fetchSession();
    expect(csrfToken()).toBe('t1');
    await mutate('/api/demo/stop', { method: 'POST' });
    expect(new Headers(calls[1].init?.headers).get('X-CSRF-Token')).toBe('t1');
    expect(calls[1].init?.credentials).toBe('same-origin');
  });

  it('fetches a new token and retries once when the server restarted (403 about the token)', async () => {
    const calls = fakeFetch([
      json(200, session('old')),
      json(403, { error: 'wrong X-CSRF-Token header: take the token from GET /api/session' }),
      json(200, session('new')),
      json(200, { running: true }),
    ]);
    await fetchSession();
    const res = await mutate('/api/demo/start', { method: 'POST' });
    expect(res.status).toBe(200);
    expect(calls.map((c) => c.url)).toEqual(['/api/session', '/api/demo/start', '/api/session', '/api/demo/start']);
    expect(new Headers(calls[3].init?.headers).get('X-CSRF-Token')).toBe('new');
  });

  it('does not retry a 403 that is about the scope', async () => {
    const calls = fakeFetch([json(200, session('t')), json(403, { error: "'viewer' lacks the control scope" })]);
    await fetchSession();
    expect((await mutate('/api/demo/stop', { method: 'POST' })).status).toBe(403);
    expect(calls).toHaveLength(2);
  });

  it('treats a server without /api/session as open, without a token', async () => {
    fakeFetch([new Response('', { status: 404 })]);
    const s = await fetchSession();
    expect(s.loginRequired).toBe(false);
    expect(csrfToken()).toBeNull();
  });
});
