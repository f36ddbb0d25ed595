/**
 * Login throttling, so that guessing a password is slow and nobody can lock a person out by
 * typing her address (a stalker who knows it would otherwise keep her out at will):
 *
 * - 5 failures for one account **from one client IP** block that pair: the owner signing in
 *   from her own network is not blocked by someone failing from theirs;
 * - 50 failures from one IP, any accounts, block that IP (one machine spraying addresses);
 * - 100 failures for one account **across every IP** (guessing spread over many machines) do
 *   not block the account: they put it on a slow lane, one attempt a minute, for the browsers
 *   that never signed in to it; a browser that did (device-cookie.ts) goes on as usual;
 * - a password reset clears the account's counters: she proved she holds the mailbox.
 *
 * Windows are aligned on the clock (…:00, :15, :30, :45), so the answer can tell the real wait
 * (`retryAfter`): the shared counters (memory or Redis) count but cannot say when a key expires.
 * Every key is an HMAC: no address or IP sits in memory or in Redis.
 */
import { createHmac } from 'node:crypto';
import type { Counters } from '../bus/counters.ts';

export const LOGIN_WINDOW_MS = 15 * 60_000;
/** The block: failures of one account from one IP within a window. */
export const MAX_FAILURES_PER_ACCOUNT_AND_IP = 5;
/** Failures from one IP within a window, whatever the accounts. */
export const MAX_FAILURES_PER_IP = 50;
/** Failures of one account within a window, every IP together: beyond, the slow lane. */
export const ACCOUNT_CEILING = 100;
/** The slow lane lets one attempt through per account and per this period. */
export const SLOW_LANE_MS = 60_000;

export interface LoginKeys {
  pair: string;
  ip: string;
  account: string;
  slowLane: string;
  windowEndsAt: number;
  slowLaneEndsAt: number;
}

const hmac = (secret: string, text: string) => createHmac('sha256', secret).update(text).digest('base64url');

/** The account's part of every key, and the counter of resets that start its counts again. */
function accountKeys(secret: string, email: string, now: number) {
  const window = Math.floor(now / LOGIN_WINDOW_MS);
  const account = hmac(secret, `login:${email}`);
  return { window, account, generation: `login:gen:${account}:${window}` };
}

/** `email` normalised (lower case, trimmed), so that `Alice@…` and `alice@…` count together. */
export async function loginKeys(
  counters: Counters,
  secret: string,
  email: string,
  ip: string,
  now: number,
): Promise<LoginKeys> {
  const { window, account, generation } = accountKeys(secret, email, now);
  // A reset in this window moves the account's counts to new keys (clearLoginFailures).
  const resets = await counters.get(generation);
  const slot = Math.floor(now / SLOW_LANE_MS);
  return {
    pair: `login:pair:${hmac(secret, `login:${email}\n${ip}`)}:${window}:${resets}`,
    ip: `login:ip:${hmac(secret, `ip:${ip}`)}:${window}`,
    account: `login:acct:${account}:${window}:${resets}`,
    slowLane: `login:slow:${account}:${slot}`,
    windowEndsAt: (window + 1) * LOGIN_WINDOW_MS,
    slowLaneEndsAt: (slot + 1) * SLOW_LANE_MS,
  };
}

const secondsUntil = (at: number, now: number) => Math.max(1, Math.ceil((at - now) / 1000));

/**
 * Seconds to wait before this attempt may be made, or null when it may go on.
 * `knownDevice`: the browser signed in to this account before (it skips the slow lane).
 */
export async function loginWait(
  counters: Counters,
  keys: LoginKeys,
  now: number,
  knownDevice: boolean,
): Promise<number | null> {
  const [pair, ip, account] = await Promise.all([
    counters.get(keys.pair),
    counters.get(keys.ip),
    counters.get(keys.account),
  ]);
  if (pair >= MAX_FAILURES_PER_ACCOUNT_AND_IP || ip >= MAX_FAILURES_PER_IP) {
    return secondsUntil(keys.windowEndsAt, now);
  }
  if (account >= ACCOUNT_CEILING && !knownDevice) {
    // The first attempt of each period goes through, right password or not.
    const taken = await counters.hit(keys.slowLane, keys.slowLaneEndsAt - now);
    if (taken > 1) return secondsUntil(keys.slowLaneEndsAt, now);
  }
  return null;
}

export async function recordLoginFailure(counters: Counters, keys: LoginKeys, now: number): Promise<void> {
  const windowMs = Math.max(1, keys.windowEndsAt - now);
  await Promise.all([
    counters.hit(keys.pair, windowMs),
    counters.hit(keys.ip, windowMs),
    counters.hit(keys.account, windowMs),
  ]);
}

/**
 * The owner got in: her own pair starts again. The account's count across IPs stays, or a
 * guesser's next hundred tries would come free each time she signs in.
 */
export async function recordLoginSuccess(counters: Counters, keys: LoginKeys): Promise<void> {
  await counters.reset(keys.pair);
}

/** After a password reset: every count of the account starts again, from every IP. */
export async function clearLoginFailures(
  counters: Counters,
  secret: string,
  email: string,
  now: number,
): Promise<void> {
  const { window, generation } = accountKeys(secret, email, now);
  await counters.hit(generation, (window + 1) * LOGIN_WINDOW_MS - now);
}
