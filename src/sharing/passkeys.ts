/**
 * Passkeys that confirm cancelling an SOS: the fingerprint, face or screen lock of the phone,
 * instead of typing a PIN or a password with shaking hands (WebAuthn, user verification
 * required: a tap on a security key is not enough, the authenticator must know who holds it).
 *
 * Registering one needs the account password, exactly like setting the SOS PIN: otherwise
 * whoever holds an unlocked phone could enrol their own finger and silence the SOS with it.
 * Every challenge is random, single-use (deleted by the statement that checks it, so two
 * concurrent uses cannot both pass) and lives five minutes. The server keeps the public key
 * and the signature counter only; verification is @simplewebauthn/server's.
 */
import {
  type AuthenticationResponseJSON,
  generateAuthenticationOptions,
  generateRegistrationOptions,
  type PublicKeyCredentialCreationOptionsJSON,
  type PublicKeyCredentialRequestOptionsJSON,
  type RegistrationResponseJSON,
  verifyAuthenticationResponse,
  verifyRegistrationResponse,
} from '@simplewebauthn/server';
import type { Kysely } from 'kysely';
import type { Schema } from '../db/schema.ts';
import type { Config } from '../server/config.ts';
import { fail } from '../server/errors.ts';
import type { Services } from '../server/services.ts';

export const CHALLENGE_TTL_MS = 5 * 60_000;
/** How long the browser waits for the person (the prompt stays up at most this long). */
const PROMPT_TIMEOUT_MS = 2 * 60_000;
export const MAX_PASSKEYS = 10;

type Purpose = 'register' | 'sos-cancel';

/** The relying party is the public address: its host names the passkeys, its origin signs. */
export function relyingParty(config: Pick<Config, 'publicUrl'>) {
  const url = new URL(config.publicUrl);
  return { rpID: url.hostname, origin: url.origin };
}

const b64url = (bytes: Uint8Array) => Buffer.from(bytes).toString('base64url');

/** 32 random bytes; stored as the base64url the browser echoes in its client data. */
async function issueChallenge(
  services: Services,
  userId: string,
  purpose: Purpose,
): Promise<Uint8Array<ArrayBuffer>> {
  const k = services.db.kysely;
  const now = services.clock.now();
  const bytes = new Uint8Array(32);
  crypto.getRandomValues(bytes);
  const challenge = b64url(bytes);
  // Expired challenges are swept here: there are only ever a handful, and no job is needed.
  await k.deleteFrom('webauthn_challenges').where('expires_at', '<=', now).execute();
  await k
    .insertInto('webauthn_challenges')
    .values({ challenge, user_id: userId, purpose, expires_at: now + CHALLENGE_TTL_MS })
    .execute();
  return bytes;
}

/** True once for a live challenge issued to this user for this purpose; it is gone afterwards. */
async function consumeChallenge(
  services: Services,
  userId: string,
  purpose: Purpose,
  challenge: string,
): Promise<boolean> {
  const result = await services.db.kysely
    .deleteFrom('webauthn_challenges')
    .where('challenge', '=', challenge)
    .where('user_id', '=', userId)
    .where('purpose', '=', purpose)
    .where('expires_at', '>', services.clock.now())
    .executeTakeFirst();
  return Number(result.numDeletedRows) === 1;
}

const passkeysOf = (k: Kysely<Schema>, userId: string) =>
  k.selectFrom('sos_passkeys').selectAll().where('user_id', '=', userId).orderBy('created_at').execute();

export async function listPasskeys(k: Kysely<Schema>, userId: string) {
  return (await passkeysOf(k, userId)).map((p) => ({
    id: p.id,
    label: p.label,
    createdAt: new Date(p.created_at).toISOString(),
    lastUsedAt: p.last_used_at === null ? null : new Date(p.last_used_at).toISOString(),
  }));
}

const transportsOf = (json: string | null) => (json ? (JSON.parse(json) as string[]) : undefined);

export async function registrationOptions(
  services: Services,
  user: { id: string; email: string },
): Promise<PublicKeyCredentialCreationOptionsJSON> {
  const existing = await passkeysOf(services.db.kysely, user.id);
  if (existing.length >= MAX_PASSKEYS) fail('CONFLICT', `at most ${MAX_PASSKEYS} passkeys`);
  const { rpID } = relyingParty(services.config);
  return generateRegistrationOptions({
    rpName: 'Havre',
    rpID,
    userName: user.email,
    userDisplayName: user.email,
    // The account id, so that one authenticator keeps one passkey per account.
    userID: new TextEncoder().encode(user.id),
    challenge: await issueChallenge(services, user.id, 'register'),
    timeout: PROMPT_TIMEOUT_MS,
    attestationType: 'none',
    excludeCredentials: existing.map((p) => ({ id: p.id, transports: transportsOf(p.transports) })),
    authenticatorSelection: { residentKey: 'preferred', userVerification: 'required' },
  });
}

export async function registerPasskey(
  services: Services,
  userId: string,
  response: RegistrationResponseJSON,
  label: string,
) {
  const { rpID, origin } = relyingParty(services.config);
  let verified: Awaited<ReturnType<typeof verifyRegistrationResponse>>;
  try {
    verified = await verifyRegistrationResponse({
      response,
      expectedChallenge: (challenge) => consumeChallenge(services, userId, 'register', challenge),
      expectedOrigin: origin,
      expectedRPID: rpID,
      requireUserVerification: true,
    });
  } catch (error) {
    return fail('PASSKEY_INVALID', (error as Error).message);
  }
  if (!verified.verified) return fail('PASSKEY_INVALID');
  const { credential } = verified.registrationInfo;
  const now = services.clock.now();
  const k = services.db.kysely;
  // One statement: a credential already registered (to anyone) is refused, concurrently too.
  const inserted = await k
    .insertInto('sos_passkeys')
    .values({
      id: credential.id,
      user_id: userId,
      public_key: b64url(credential.publicKey),
      counter: credential.counter,
      transports: credential.transports ? JSON.stringify(credential.transports) : null,
      label,
      created_at: now,
      last_used_at: null,
    })
    .onConflict((oc) => oc.column('id').doNothing())
    .executeTakeFirst();
  if (Number(inserted.numInsertedOrUpdatedRows ?? 0) !== 1)
    return fail('CONFLICT', 'this passkey is already registered');
  return { id: credential.id, label, createdAt: new Date(now).toISOString(), lastUsedAt: null };
}

export async function removePasskey(k: Kysely<Schema>, userId: string, id: string) {
  const result = await k
    .deleteFrom('sos_passkeys')
    .where('id', '=', id)
    .where('user_id', '=', userId)
    .executeTakeFirst();
  if (Number(result.numDeletedRows) !== 1) fail('NOT_FOUND', 'no such passkey');
}

/** What the browser needs to ask one of her passkeys to confirm a cancel. */
export async function cancelOptions(
  services: Services,
  userId: string,
): Promise<PublicKeyCredentialRequestOptionsJSON> {
  const passkeys = await passkeysOf(services.db.kysely, userId);
  if (passkeys.length === 0) fail('NO_PASSKEY');
  return generateAuthenticationOptions({
    rpID: relyingParty(services.config).rpID,
    challenge: await issueChallenge(services, userId, 'sos-cancel'),
    timeout: PROMPT_TIMEOUT_MS,
    userVerification: 'required',
    allowCredentials: passkeys.map((p) => ({ id: p.id, transports: transportsOf(p.transports) as never })),
  });
}

/**
 * True when the response was signed, with the person verified, by one of HER passkeys over a
 * live challenge issued to her for a cancel. Anything else is a wrong confirmation.
 */
export async function passkeyConfirms(
  services: Services,
  userId: string,
  response: AuthenticationResponseJSON,
): Promise<boolean> {
  const k = services.db.kysely;
  const passkey = await k
    .selectFrom('sos_passkeys')
    .selectAll()
    .where('id', '=', response.id)
    .where('user_id', '=', userId)
    .executeTakeFirst();
  if (!passkey) return false;
  const { rpID, origin } = relyingParty(services.config);
  try {
    const { verified, authenticationInfo } = await verifyAuthenticationResponse({
      response,
      expectedChallenge: (challenge) => consumeChallenge(services, userId, 'sos-cancel', challenge),
      expectedOrigin: origin,
      expectedRPID: rpID,
      credential: {
        id: passkey.id,
        publicKey: Buffer.from(passkey.public_key, 'base64url'),
        counter: passkey.counter,
        transports: transportsOf(passkey.transports) as never,
      },
      requireUserVerification: true,
    });
    if (!verified) return false;
    await k
      .updateTable('sos_passkeys')
      .set({ counter: authenticationInfo.newCounter, last_used_at: services.clock.now() })
      .where('id', '=', passkey.id)
      .execute();
    return true;
  } catch {
    // A malformed or forged response, a replayed challenge, a counter that went back.
    return false;
  }
}
