/**
 * The session while the network is down (web/src/accounts/last-session.ts). QA walk: a signed-in
 * user looked signed out offline — the header said "Sign in" because GET /api/me failed.
 */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { Me } from '../../web/src/accounts/api.ts';
import {
  afterSessionCheck,
  forgetSession,
  lastSession,
  rememberSession,
  shouldAskServer,
} from '../../web/src/accounts/last-session.ts';
import { ApiError, CLIENT_ERRORS } from '../../web/src/api/client.ts';
import { memoryStorage } from '../helpers/memory-storage.ts';

const alice: Me = {
  id: 'alice-id',
  email: 'alice@example.org',
  roles: ['citizen', 'staff'],
  territories: ['75117'],
  emailVerified: true,
  locale: 'en',
};

describe('what GET /api/me decides', () => {
  it('the server’s answer is who is signed in', () => {
    expect(afterSessionCheck({ me: alice }, null)).toEqual({ kind: 'signed-in', me: alice });
  });

  it('a 401 signs out, even with a session kept on the device', () => {
    const expired = new ApiError('HAVRE_ERR_UNAUTHENTICATED', 401);
    expect(afterSessionCheck({ error: expired }, alice)).toEqual({ kind: 'signed-out' });
  });

  it('no answer keeps the last session known, marked offline', () => {
    const answers = [
      new ApiError(CLIENT_ERRORS.network, 0), // network down
      new ApiError('HAVRE_ERR_UNAVAILABLE', 503), // server away
      new ApiError(CLIENT_ERRORS.unexpected, 200), // a captive portal's page
      new TypeError('Failed to fetch'),
    ];
    for (const error of answers) {
      expect(afterSessionCheck({ error }, alice)).toEqual({ kind: 'offline', me: alice });
      expect(afterSessionCheck({ error }, null)).toEqual({ kind: 'offline', me: null });
    }
  });
});

describe('when the session is asked of the server', () => {
  it('at load, even offline (the answer decides)', () => {
    expect(shouldAskServer({ status: 'loading', offline: false, browserOnline: true })).toBe(true);
    expect(shouldAskServer({ status: 'loading', offline: false, browserOnline: false })).toBe(true);
  });

  it('again once the network is back while the session is only the one kept', () => {
    expect(shouldAskServer({ status: 'ready', offline: true, browserOnline: true })).toBe(true);
    expect(shouldAskServer({ status: 'ready', offline: true, browserOnline: false })).toBe(false);
  });

  it('not while the server answered', () => {
    expect(shouldAskServer({ status: 'ready', offline: false, browserOnline: true })).toBe(false);
  });
});

describe('the session kept on the device', () => {
  let storage: ReturnType<typeof memoryStorage>;
  beforeEach(() => {
    storage = memoryStorage();
    vi.stubGlobal('localStorage', storage);
  });
  afterEach(() => {
    vi.unstubAllGlobals();
  });

  it('keeps what the page shows, for the user of the signed-in hint only', () => {
    rememberSession({ ...alice, secret: 'never kept' } as Me);
    expect(JSON.parse(storage.items.get('havre.lastSession')!)).toEqual(alice);
    expect(lastSession('alice-id')).toEqual(alice);
    expect(lastSession('bob-id')).toBeNull();
    expect(lastSession(null)).toBeNull();
  });

  it('is forgotten at sign-out', () => {
    rememberSession(alice);
    forgetSession();
    expect(lastSession('alice-id')).toBeNull();
  });

  it('drops what is not in its format (another version, a hand edit)', () => {
    for (const value of [
      'not json',
      'null',
      JSON.stringify({ ...alice, roles: ['citizen', 'superuser'] }),
      JSON.stringify({ ...alice, locale: 'de' }),
      JSON.stringify({ id: 'alice-id', email: 'alice@example.org' }),
    ]) {
      storage.items.set('havre.lastSession', value);
      expect(lastSession('alice-id'), value).toBeNull();
    }
  });

  it('keeps nothing, and breaks nothing, when storage is refused', () => {
    vi.stubGlobal('localStorage', {
      getItem: () => {
        throw new Error('SecurityError');
      },
      setItem: () => {
        throw new Error('QuotaExceededError');
      },
      removeItem: () => {
        throw new Error('SecurityError');
      },
    });
    expect(() => rememberSession(alice)).not.toThrow();
    expect(() => forgetSession()).not.toThrow();
    expect(lastSession('alice-id')).toBeNull();
  });
});
