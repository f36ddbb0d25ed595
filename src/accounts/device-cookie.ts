/**
 * "This browser signed in to this account before" (OWASP's device cookie): when guessing
 * spread over many machines puts an account on the slow lane (throttle.ts), the owner's own
 * browsers skip it, so the guessers cannot keep her out. The cookie holds HMAC(secret, address)
 * of the last few accounts signed in here, nothing else: no state on the server, nothing that
 * names anyone without the secret. It only lifts the slow lane; the per-IP blocks still apply.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';
import type { FastifyReply, FastifyRequest } from 'fastify';

export const DEVICE_COOKIE = 'havre_device';
/** Accounts remembered per browser (a phone shared in a family). */
const MAX_ACCOUNTS = 4;
const YEAR_S = 365 * 86_400;

const proofOf = (secret: string, email: string) =>
  createHmac('sha256', secret).update(`device:${email}`).digest('base64url');

function proofsIn(request: FastifyRequest): string[] {
  const value = request.cookies?.[DEVICE_COOKIE];
  if (!value || value.length > 400) return [];
  return value.split('.').slice(0, MAX_ACCOUNTS);
}

export function isKnownDevice(request: FastifyRequest, secret: string, email: string): boolean {
  const expected = Buffer.from(proofOf(secret, email));
  return proofsIn(request).some((proof) => {
    const given = Buffer.from(proof);
    return given.length === expected.length && timingSafeEqual(given, expected);
  });
}

/** After a successful sign-in. Sent with the sign-in only (its path), never readable by scripts. */
export function rememberDevice(
  request: FastifyRequest,
  reply: FastifyReply,
  options: { secret: string; email: string; publicUrl: string },
): void {
  const proof = proofOf(options.secret, options.email);
  const proofs = [proof, ...proofsIn(request).filter((p) => p !== proof)].slice(0, MAX_ACCOUNTS);
  reply.setCookie(DEVICE_COOKIE, proofs.join('.'), {
    path: '/api/auth/login',
    httpOnly: true,
    secure: options.publicUrl.startsWith('https:'),
    sameSite: 'strict',
    maxAge: YEAR_S,
  });
}
