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

export const Signup = Type.Object(
  { email: Email, password: Password, locale: Type.Optional(Locale) },
  { additionalProperties: false },
);

export const TokenBody = Type.Object(
  { token: Type.String({ minLength: 10, maxLength: 200 }) },
  { additionalProperties: false },
);
