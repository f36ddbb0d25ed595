/**
 * Who is calling: a session token from the HttpOnly cookie (the PWA) or from an
 * `Authorization: Bearer` header (CLI and other API clients). Cookie-authenticated writes
 * are protected against CSRF by Fetch Metadata and Origin checks (OWASP), on top of
 * SameSite=Lax cookies.
 */
import type { FastifyReply, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import { fail } from '../server/errors.ts';
import type { CurrentUser } from './policies.ts';
import { listenForSessionChanges, userOfToken } from './session-cache.ts';

export const SESSION_COOKIE = 'havre_session';

declare module 'fastify' {
  interface FastifyRequest {
    user: CurrentUser | null;
    /** The raw token of the current session (for logout), never logged. */
    sessionToken: string | null;
    authenticatedBy: 'cookie' | 'bearer' | null;
  }
  interface FastifyContextConfig {
    /**
     * The route never asks who is calling (public data such as the nearest refuge): the
     * session, if any, is not resolved — no database look-up on its hot path.
     */
    sessionless?: boolean;
  }
}

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/** A browser tells where a request comes from; a cross-site write with our cookie is refused. */
export function isCrossSite(request: FastifyRequest, publicUrl: string): boolean {
  const site = request.headers['sec-fetch-site'];
  if (site === 'cross-site' || site === 'same-site') return true;
  const origin = request.headers.origin;
  if (!origin) return false; // not a browser-initiated cross-origin request
  if (origin === new URL(publicUrl).origin) return false;
  const host = request.headers.host;
  return !host || (origin !== `http://${host}` && origin !== `https://${host}`);
}

export const authentication = fp(async (app) => {
  const { config } = app.services;
  const stopListening = await listenForSessionChanges(app.services);
  app.addHook('onClose', async () => {
    await stopListening();
  });
  app.decorateRequest('user', null);
  app.decorateRequest('sessionToken', null);
  app.decorateRequest('authenticatedBy', null);

  app.addHook('onRequest', async (request) => {
    if (request.routeOptions.config.sessionless === true) return;
    const header = request.headers.authorization;
    const bearer = header?.startsWith('Bearer ') ? header.slice(7).trim() : null;
    const cookie = request.cookies?.[SESSION_COOKIE] ?? null;
    const token = bearer || cookie;
    if (!token || token.length > 200) return;
    const user = await userOfToken(app.services, token);
    if (!user) return;
    if (!bearer && !SAFE_METHODS.has(request.method) && isCrossSite(request, config.publicUrl)) {
      fail('CSRF', 'Cross-site write refused');
    }
    request.user = user;
    request.sessionToken = token;
    request.authenticatedBy = bearer ? 'bearer' : 'cookie';
  });
});

export function requireUser(request: FastifyRequest): CurrentUser {
  if (!request.user) return fail('UNAUTHENTICATED');
  return request.user;
}

export function sessionCookieOptions(publicUrl: string, maxAgeSeconds: number) {
  const secure = publicUrl.startsWith('https:');
  return { path: '/', httpOnly: true, secure, sameSite: 'lax' as const, maxAge: maxAgeSeconds };
}

export function clearSessionCookie(reply: FastifyReply, publicUrl: string) {
  reply.clearCookie(SESSION_COOKIE, sessionCookieOptions(publicUrl, 0));
}
