/**
 * Accounts API: sign up, log in, log out, me, e-mail verification, password reset,
 * GDPR export and erasure. Each route reads as its pipeline: rate limit → auth →
 * validate → handler.
 */

import { Type } from 'typebox';
import type { App } from '../server/app.ts';
import { fail, problem } from '../server/errors.ts';
import { clearSessionCookie, requireUser, SESSION_COOKIE, sessionCookieOptions } from './authenticate.ts';
import { isCommonPassword } from './common-passwords.ts';
import { isKnownDevice, rememberDevice } from './device-cookie.ts';
import { sendPasswordReset, sendVerification } from './emails.ts';
import { announceErased, announceSignedOut } from './events.ts';
import { exportFileName } from './export-file-name.ts';
import { confirmPasswordReset } from './password-reset.ts';
import { dummyHash, verifyPassword } from './passwords.ts';
import { eraseAccount, exportPersonalData } from './personal-data.ts';
import { Credentials, Email, Locale, Me, Password, Signup, TokenBody } from './schemas.ts';
import { sessionsChanged } from './session-cache.ts';
import { completeSignup, startSignup } from './signup.ts';
import {
  consumeEmailToken,
  createSession,
  deleteSession,
  findUserByEmail,
  isAccountPassword,
  loadCurrentUser,
  normaliseEmail,
} from './store.ts';
import { loginKeys, loginWait, recordLoginFailure, recordLoginSuccess } from './throttle.ts';
import { hashToken } from './tokens.ts';

const Problem = Type.Object(
  { code: Type.String(), title: Type.String(), status: Type.Integer() },
  { additionalProperties: true },
);
const DAY = 86_400_000;

/** Auth routes get a stricter rate limit than the global one. */
const AUTH_LIMIT = { rateLimit: { max: 30, timeWindow: 60_000 } };

export default async function accountsRoutes(app: App) {
  const { db, clock, config, counters, bus } = app.services;
  const k = db.kysely;
  const ttlMs = config.sessionTtlDays * DAY;

  async function presentMe(userId: string) {
    const user = await loadCurrentUser(k, userId);
    if (!user) return fail('UNAUTHENTICATED');
    const row = await k
      .selectFrom('users')
      .select('locale')
      .where('id', '=', userId)
      .executeTakeFirstOrThrow();
    return { ...user, locale: row.locale === 'en' ? ('en' as const) : ('fr' as const) };
  }

  async function startSession(reply: import('fastify').FastifyReply, userId: string) {
    const token = await createSession(k, userId, clock.now(), ttlMs);
    reply.setCookie(SESSION_COOKIE, token, sessionCookieOptions(config.publicUrl, ttlMs / 1000));
  }

  app.post(
    '/api/auth/signup',
    {
      config: AUTH_LIMIT,
      schema: {
        tags: ['accounts'],
        summary:
          'Ask for an account: always 202 — the link that creates it is sent by e-mail (an address that already has an account is told so by e-mail, never in the answer)',
        body: Signup,
        response: { 202: Type.Null(), 400: Problem },
      },
    },
    async (request, reply) => {
      const { email, password, locale, next } = request.body;
      // Says nothing about the address: the same answer whether it has an account or not.
      if (await isCommonPassword(password)) return fail('PASSWORD_TOO_COMMON');
      await startSignup(app.services, { email, password, locale: locale ?? 'fr', next });
      return reply.status(202).send(null);
    },
  );

  app.post(
    '/api/auth/signup/complete',
    {
      config: AUTH_LIMIT,
      schema: {
        tags: ['accounts'],
        summary: 'Create the account with the link of the sign-up e-mail, and sign in',
        body: TokenBody,
        response: { 201: Me, 400: Problem },
      },
    },
    async (request, reply) => {
      const userId = await completeSignup(app.services, request.body.token);
      if (!userId) return fail('TOKEN_INVALID');
      await startSession(reply, userId);
      reply.status(201);
      return presentMe(userId);
    },
  );

  app.post(
    '/api/auth/login',
    {
      config: AUTH_LIMIT,
      schema: {
        tags: ['accounts'],
        summary:
          'Sign in. Too many failures answer 429 with `retryAfter`, the seconds to wait (also in Retry-After): 5 for one account from one IP, 50 from one IP; beyond 100 for one account from every IP, one attempt a minute for browsers that never signed in to it',
        body: Credentials,
        response: { 200: Me, 401: Problem, 429: Problem },
      },
    },
    async (request, reply) => {
      const { password } = request.body;
      const email = normaliseEmail(request.body.email);
      const keys = await loginKeys(counters, config.secret, email, request.ip, clock.now());
      const knownDevice = isKnownDevice(request, config.secret, email);
      const wait = await loginWait(counters, keys, clock.now(), knownDevice);
      if (wait !== null) {
        reply.header('retry-after', String(wait));
        return fail('LOGIN_THROTTLED', undefined, { retryAfter: wait });
      }
      const user = await findUserByEmail(k, email);
      // Same work whether the account exists or not: timing does not reveal it.
      const ok = await verifyPassword(user?.password_hash ?? (await dummyHash()), password);
      if (!user || !ok) {
        await recordLoginFailure(counters, keys, clock.now());
        return fail('INVALID_CREDENTIALS');
      }
      await recordLoginSuccess(counters, keys);
      rememberDevice(request, reply, { secret: config.secret, email, publicUrl: config.publicUrl });
      await startSession(reply, user.id);
      return presentMe(user.id);
    },
  );

  app.post(
    '/api/auth/logout',
    {
      schema: {
        tags: ['accounts'],
        summary: 'Sign out (revokes the session)',
        response: { 204: Type.Null() },
      },
    },
    async (request, reply) => {
      if (request.sessionToken) {
        await deleteSession(k, request.sessionToken);
        // Sockets opened with this session close at once, on every instance.
        if (request.user) await announceSignedOut(bus, request.user.id, hashToken(request.sessionToken));
        await sessionsChanged(app.services, { tokenHash: hashToken(request.sessionToken) });
      }
      clearSessionCookie(reply, config.publicUrl);
      return reply.status(204).send(null);
    },
  );

  app.get(
    '/api/me',
    { schema: { tags: ['accounts'], summary: 'The signed-in user', response: { 200: Me, 401: Problem } } },
    async (request) => presentMe(requireUser(request).id),
  );

  app.patch(
    '/api/me',
    {
      schema: {
        tags: ['accounts'],
        summary: 'Change preferences (language)',
        body: Type.Object({ locale: Locale }, { additionalProperties: false }),
        response: { 200: Me },
      },
    },
    async (request) => {
      const user = requireUser(request);
      await k.updateTable('users').set({ locale: request.body.locale }).where('id', '=', user.id).execute();
      return presentMe(user.id);
    },
  );

  app.post(
    '/api/auth/verify-email',
    {
      config: AUTH_LIMIT,
      schema: {
        tags: ['accounts'],
        summary: 'Confirm an e-mail address',
        body: TokenBody,
        response: { 204: Type.Null() },
      },
    },
    async (request, reply) => {
      const userId = await consumeEmailToken(k, request.body.token, 'verify', clock.now());
      if (!userId) return fail('TOKEN_INVALID');
      await k.updateTable('users').set({ email_verified_at: clock.now() }).where('id', '=', userId).execute();
      await sessionsChanged(app.services, { userId });
      return reply.status(204).send(null);
    },
  );

  app.post(
    '/api/auth/verify-email/resend',
    {
      config: AUTH_LIMIT,
      schema: {
        tags: ['accounts'],
        summary: 'Send the confirmation e-mail again',
        response: { 202: Type.Null() },
      },
    },
    async (request, reply) => {
      const user = requireUser(request);
      if (!user.emailVerified) await sendVerification(app.services, user.id);
      return reply.status(202).send(null);
    },
  );

  app.post(
    '/api/auth/password-reset',
    {
      config: AUTH_LIMIT,
      schema: {
        tags: ['accounts'],
        summary: 'Ask for a password-reset link (always 202: does not reveal whether the account exists)',
        body: Type.Object({ email: Email }, { additionalProperties: false }),
        response: { 202: Type.Null() },
      },
    },
    async (request, reply) => {
      const user = await findUserByEmail(k, request.body.email);
      if (user) await sendPasswordReset(app.services, user.id);
      return reply.status(202).send(null);
    },
  );

  app.post(
    '/api/auth/password-reset/confirm',
    {
      config: AUTH_LIMIT,
      schema: {
        tags: ['accounts'],
        summary:
          'Set a new password with a reset link; every other reset link stops working, every session is signed out, sign-in throttling of the account starts again, and the owner is told by e-mail',
        body: Type.Object(
          { token: TokenBody.properties.token, password: Password },
          { additionalProperties: false },
        ),
        response: { 204: Type.Null(), 400: Problem },
      },
    },
    async (request, reply) => {
      const { token, password } = request.body;
      // Before the link is spent: she can choose again with the same link.
      if (await isCommonPassword(password)) return fail('PASSWORD_TOO_COMMON');
      if (!(await confirmPasswordReset(app.services, { token, password }))) return fail('TOKEN_INVALID');
      return reply.status(204).send(null);
    },
  );

  app.get(
    '/api/me/export',
    {
      schema: {
        tags: ['accounts'],
        summary: 'Download my data (GDPR art. 15 and 20)',
        response: { 200: Type.Object({}, { additionalProperties: true }) },
      },
    },
    async (request, reply) => {
      const user = requireUser(request);
      const { locale } = await k
        .selectFrom('users')
        .select('locale')
        .where('id', '=', user.id)
        .executeTakeFirstOrThrow();
      const name = exportFileName(locale === 'en' ? 'en' : 'fr');
      reply.header('content-disposition', `attachment; filename="${name}"`);
      reply.header('cache-control', 'no-store');
      return exportPersonalData(k, user.id, clock.now());
    },
  );

  app.delete(
    '/api/me',
    {
      config: AUTH_LIMIT,
      schema: {
        tags: ['accounts'],
        summary: 'Delete my account and every personal datum (GDPR art. 17); needs the password',
        body: Type.Object(
          { password: Type.String({ minLength: 1, maxLength: 256 }) },
          { additionalProperties: false },
        ),
        response: { 204: Type.Null(), 401: Problem },
      },
    },
    async (request, reply) => {
      const user = requireUser(request);
      if (!(await isAccountPassword(k, user.id, request.body.password))) {
        return reply.status(401).type('application/problem+json').send(problem('INVALID_CREDENTIALS'));
      }
      await eraseAccount(k, user.id);
      await announceErased(bus, user.id);
      await sessionsChanged(app.services, { userId: user.id });
      clearSessionCookie(reply, config.publicUrl);
      return reply.status(204).send(null);
    },
  );
}
