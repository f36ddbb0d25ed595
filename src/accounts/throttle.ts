/**
 * Login throttling: failures are counted per account (keyed by an HMAC of the e-mail, so
 * no address sits in memory or Redis) and per client IP.
 */
import { createHmac } from 'node:crypto';
import type { Counters } from '../bus/counters.ts';

export const LOGIN_WINDOW_MS = 15 * 60_000;
export const MAX_FAILURES_PER_ACCOUNT = 5;
export const MAX_FAILURES_PER_IP = 50;

export function throttleKeys(secret: string, email: string, ip: string) {
  const account = createHmac('sha256', secret).update(`login:${email}`).digest('base64url');
  return { account: `login:acct:${account}`, ip: `login:ip:${ip}` };
}

export async function isLoginThrottled(counters: Counters, keys: { account: string; ip: string }) {
  const [account, ip] = await Promise.all([counters.get(keys.account), counters.get(keys.ip)]);
  return account >= MAX_FAILURES_PER_ACCOUNT || ip >= MAX_FAILURES_PER_IP;
}

export async function recordLoginFailure(counters: Counters, keys: { account: string; ip: string }) {
  await Promise.all([counters.hit(keys.account, LOGIN_WINDOW_MS), counters.hit(keys.ip, LOGIN_WINDOW_MS)]);
}
