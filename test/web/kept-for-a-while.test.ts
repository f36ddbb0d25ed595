/**
 * What the app keeps on the device for a while (web/src/app/kept-for-a-while.ts): the page to
 * continue with after sign-up and an invitation token opened before having an account. Every
 * tab reads it; it is gone by itself once stale, and unreadable entries are dropped.
 */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { forgetKept, keepForAWhile, readKept } from '../../web/src/app/kept-for-a-while.ts';
import { memoryStorage } from '../helpers/memory-storage.ts';

describe('a value kept on the device for a while', () => {
  let storage: ReturnType<typeof memoryStorage>;

  beforeEach(() => {
    storage = memoryStorage();
    vi.stubGlobal('localStorage', storage);
    vi.useFakeTimers({ now: Date.parse('2026-11-28T22:00:00Z') });
  });

  afterEach(() => {
    vi.useRealTimers();
    vi.unstubAllGlobals();
  });

  it('is read back until its time is up, then forgotten and removed from the storage', () => {
    keepForAWhile('havre.test', 'secret-token', 60_000);
    vi.advanceTimersByTime(59_000);
    expect(readKept('havre.test')).toBe('secret-token');
    vi.advanceTimersByTime(2_000);
    expect(readKept('havre.test')).toBeNull();
    expect(storage.items.has('havre.test')).toBe(false);
  });

  it('is forgotten on demand', () => {
    keepForAWhile('havre.test', 'secret-token', 60_000);
    forgetKept('havre.test');
    expect(readKept('havre.test')).toBeNull();
  });

  it('drops what it cannot read (another format, or not JSON) instead of trusting it', () => {
    storage.setItem('havre.test', 'plain-token-from-an-older-release');
    expect(readKept('havre.test')).toBeNull();
    expect(storage.items.has('havre.test')).toBe(false);
    storage.setItem('havre.test', JSON.stringify({ value: 'x' }));
    expect(readKept('havre.test')).toBeNull();
    expect(storage.items.has('havre.test')).toBe(false);
  });

  it('keeps nothing, and throws nothing, when the browser refuses storage', () => {
    const refusing = {
      getItem: () => {
        throw new Error('SecurityError');
      },
      setItem: () => {
        throw new Error('QuotaExceededError');
      },
      removeItem: () => {
        throw new Error('SecurityError');
      },
    };
    vi.stubGlobal('localStorage', refusing);
    expect(() => keepForAWhile('havre.test', 'secret-token', 60_000)).not.toThrow();
    expect(readKept('havre.test')).toBeNull();
    expect(() => forgetKept('havre.test')).not.toThrow();
  });
});
