/**
 * /contacts fetched again without a reload (web/src/sharing/refresh-on-return.ts): Alice's list
 * did not show the contact who accepted her invitation while the page stayed open (QA walk).
 */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { refreshOnReturn } from '../../web/src/sharing/refresh-on-return.ts';

describe('a page fetched again when the person comes back to it', () => {
  let doc: EventTarget & { visibilityState: 'visible' | 'hidden' };
  let win: EventTarget;

  beforeEach(() => {
    vi.useFakeTimers({ now: Date.parse('2026-11-28T22:00:00Z') });
    doc = Object.assign(new EventTarget(), { visibilityState: 'visible' as 'visible' | 'hidden' });
    win = new EventTarget();
    vi.stubGlobal('document', doc);
    vi.stubGlobal('window', win);
  });

  afterEach(() => {
    vi.useRealTimers();
    vi.unstubAllGlobals();
  });

  const options = (awaiting: () => boolean) => ({ pollMs: 15_000, minGapMs: 2_000, awaiting });

  it('fetches once when the tab is shown again and the window focused together', () => {
    const reload = vi.fn();
    const stop = refreshOnReturn(
      reload,
      options(() => false),
    );
    vi.advanceTimersByTime(60_000);
    expect(reload).not.toHaveBeenCalled(); // nothing awaited: no polling
    doc.visibilityState = 'hidden';
    doc.dispatchEvent(new Event('visibilitychange'));
    expect(reload).not.toHaveBeenCalled();
    doc.visibilityState = 'visible';
    doc.dispatchEvent(new Event('visibilitychange'));
    win.dispatchEvent(new Event('focus'));
    expect(reload).toHaveBeenCalledTimes(1);
    stop();
    vi.advanceTimersByTime(5_000);
    win.dispatchEvent(new Event('focus'));
    expect(reload).toHaveBeenCalledTimes(1);
  });

  it('polls while an invitation is awaited and the page is shown, and stops once it is accepted', () => {
    const reload = vi.fn();
    let awaited = true;
    const stop = refreshOnReturn(
      reload,
      options(() => awaited),
    );
    vi.advanceTimersByTime(45_000);
    expect(reload).toHaveBeenCalledTimes(3);
    doc.visibilityState = 'hidden';
    vi.advanceTimersByTime(45_000);
    expect(reload).toHaveBeenCalledTimes(3);
    doc.visibilityState = 'visible';
    awaited = false; // the contact appeared
    vi.advanceTimersByTime(45_000);
    expect(reload).toHaveBeenCalledTimes(3);
    stop();
  });
});
