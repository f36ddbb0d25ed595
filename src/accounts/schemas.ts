import { Type } from 'typebox';
import { LIMITS } from '../shared/limits.ts';

export const Email = Type.String({ format: 'email', maxLength: LIMITS.emailMax });
export const Password = Type.String({ minLength: LIMITS.passwordMin, maxLength: LIMITS.passwordMax });
export const Locale = Type.Union([Type.Literal('fr'), Type.Literal('en')]);
export const RoleSchema = Type.Union([
  Type.Literal('citizen'),
  Type.Literal('partner'),
  Type.Literal('staff'),
  Type.Literal('admin'),
]);

/** What the API says about the signed-in user (GET /api/me). An allow-list. */
export const Me = Type.Object({
  id: Type.String(),
  email: Type.String(),
  roles: Type.Array(RoleSchema),
  territories: Type.Array(Type.String()),
  emailVerified: Type.Boolean(),
  locale: Locale,
});

export const Credentials = Type.Object(
  { email: Email, password: Type.String({ minLength: 1, maxLength: LIMITS.passwordMax }) },
  { additionalProperties: false },
);

/**
 * A page of the app (`/…`, never `//host`), possibly with a fragment: where the person goes once
 * the account exists, carried by the e-mail's link so that it works in any browser.
 */
export const AppPath = Type.String({ maxLength: 600, pattern: '^/(?![/\\\\])\\S*$' });

export const Signup = Type.Object(
  { email: Email, password: Password, locale: Type.Optional(Locale), next: Type.Optional(AppPath) },
  { additionalProperties: false },
);

export const TokenBody = Type.Object(
  { token: Type.String({ minLength: 10, maxLength: 200 }) },
  { additionalProperties: false },
);
