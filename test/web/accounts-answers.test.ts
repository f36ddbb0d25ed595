/**
 * What the accounts pages make of some answers of the server (web/src/accounts/account-errors.ts),
 * and the words they then show. QA walk: a blocked sign-in said "Try again in a few minutes"
 * whatever the wait; an expired reset link left the form on screen with no way to a new link;
 * the data download was named havre-mes-donnees.json in English too.
 */
import i18next from 'i18next';
import { describe, expect, it } from 'vitest';
import { exportFileName } from '../../src/accounts/export-file-name.ts';
import {
  isDeadResetLink,
  isTooCommonPassword,
  minutesToWait,
} from '../../web/src/accounts/account-errors.ts';
import { ApiError } from '../../web/src/api/client.ts';
import en from '../../web/src/i18n/en.ts';
import fr from '../../web/src/i18n/fr.ts';

async function translator(lng: 'fr' | 'en') {
  const instance = i18next.createInstance();
  await instance.init({
    lng,
    resources: { fr: { translation: fr }, en: { translation: en } },
    interpolation: { escapeValue: false },
    showSupportNotice: false,
  });
  return instance.t.bind(instance) as (key: string, options?: Record<string, unknown>) => string;
}

const throttled = (retryAfter: unknown) =>
  new ApiError('HAVRE_ERR_LOGIN_THROTTLED', 429, undefined, undefined, {
    code: 'HAVRE_ERR_LOGIN_THROTTLED',
    retryAfter,
  });

describe('a blocked sign-in', () => {
  it('waits the whole minutes the server says, rounded up', () => {
    expect(minutesToWait(throttled(900))).toBe(15);
    expect(minutesToWait(throttled(301))).toBe(6);
    expect(minutesToWait(throttled(12))).toBe(1);
  });

  it('says nothing of a wait the answer does not give', () => {
    expect(minutesToWait(throttled(undefined))).toBeNull();
    expect(minutesToWait(throttled('900'))).toBeNull();
    expect(minutesToWait(throttled(-5))).toBeNull();
    expect(minutesToWait(new ApiError('HAVRE_ERR_TOO_MANY_REQUESTS', 429))).toBeNull();
    expect(minutesToWait(new Error('offline'))).toBeNull();
  });

  it('tells the wait in French and English', async () => {
    const tFr = await translator('fr');
    const tEn = await translator('en');
    expect(tFr('login.throttled', { count: 15 })).toBe(
      'Trop de tentatives de connexion. Réessayez dans 15 minutes.',
    );
    expect(tFr('login.throttled', { count: 1 })).toBe(
      'Trop de tentatives de connexion. Réessayez dans 1 minute.',
    );
    expect(tEn('login.throttled', { count: 15 })).toBe('Too many sign-in attempts. Try again in 15 minutes.');
    expect(tEn('login.throttled', { count: 1 })).toBe('Too many sign-in attempts. Try again in 1 minute.');
  });
});

describe('a reset link that no longer works', () => {
  it('is recognised by its code (expired, used, or spent by a newer link), nothing else', () => {
    expect(isDeadResetLink(new ApiError('HAVRE_ERR_TOKEN_INVALID', 400))).toBe(true);
    expect(isDeadResetLink(new ApiError('HAVRE_ERR_VALIDATION', 400))).toBe(false);
    expect(isDeadResetLink(new ApiError('HAVRE_ERR_NETWORK', 0))).toBe(false);
    expect(isDeadResetLink(new Error('HAVRE_ERR_TOKEN_INVALID'))).toBe(false);
  });

  it('has its own message, pointing to a new link', async () => {
    expect((await translator('fr'))('newPassword.linkDead')).toMatch(/Demandez-en un nouveau/);
    expect((await translator('en'))('newPassword.linkDead')).toMatch(/Ask for a new one/);
  });
});

describe('a password among the most common', () => {
  it('is recognised by its code and explained in both languages', async () => {
    expect(isTooCommonPassword(new ApiError('HAVRE_ERR_PASSWORD_TOO_COMMON', 400))).toBe(true);
    expect(isTooCommonPassword(new ApiError('HAVRE_ERR_VALIDATION', 400))).toBe(false);
    expect((await translator('fr'))('errors.HAVRE_ERR_PASSWORD_TOO_COMMON')).toMatch(/plus utilisés/);
    expect((await translator('en'))('errors.HAVRE_ERR_PASSWORD_TOO_COMMON')).toMatch(/most used/);
  });
});

describe('the personal-data download', () => {
  it('is named in the language of the interface', () => {
    expect(exportFileName('fr')).toBe('havre-mes-donnees.json');
    expect(exportFileName('en')).toBe('havre-my-data.json');
  });
});
