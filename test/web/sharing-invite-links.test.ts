/**
 * An invitation link opened in a tab that already shows one (web/src/sharing/pending-invite.ts,
 * followInviteLinks): only the fragment changes, the page does not load again, and the first
 * token stayed in use (QA walk). Each new link's token is kept on the device and leaves the
 * address bar.
 */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { followInviteLinks, pendingInvite } from '../../web/src/sharing/pending-invite.ts';

const FIRST = 'first-invitation-token-0123456789';
const SECOND = 'second-invitation-token-0123456789';

describe('invitation links opened in the same tab', () => {
  let win: EventTarget & { location: { pathname: string; search: string; hash: string } };
  let items: Map<string, string>;

  beforeEach(() => {
    items = new Map();
    vi.stubGlobal('localStorage', {
      getItem: (key: string) => items.get(key) ?? null,
      setItem: (key: string, value: string) => void items.set(key, value),
      removeItem: (key: string) => void items.delete(key),
    });
    const location = { pathname: '/contacts/accepter', search: '', hash: `#${FIRST}` };
    win = Object.assign(new EventTarget(), {
      location,
      history: {
        state: null,
        replaceState: () => {
          location.hash = '';
        },
      },
    });
    vi.stubGlobal('window', win);
  });

  afterEach(() => {
    vi.unstubAllGlobals();
  });

  const open = (token: string) => {
    win.location.hash = `#${token}`;
    win.dispatchEvent(new Event('hashchange'));
  };

  it('takes each new link’s token, keeps it, and clears the address bar', () => {
    const seen: string[] = [];
    const stop = followInviteLinks((token) => seen.push(token));
    expect(seen).toEqual([FIRST]);
    expect(win.location.hash).toBe('');
    expect(pendingInvite()).toBe(FIRST);

    open(SECOND);
    expect(seen).toEqual([FIRST, SECOND]);
    expect(pendingInvite()).toBe(SECOND);
    expect(win.location.hash).toBe('');

    // Another fragment (not a token) or the same link again: nothing new.
    open('contenu');
    open(SECOND);
    expect(seen).toEqual([FIRST, SECOND]);

    stop();
    open(FIRST);
    expect(seen).toEqual([FIRST, SECOND]);
  });
});
