/** Request and response schemas of the sharing API. Responses are allow-lists. */
import { type TSchema, Type } from 'typebox';
import { MAX_META_CIPHERTEXT, MAX_POSITION_CIPHERTEXT, WRAPPED_KEY_LENGTH } from '../shared/envelope.ts';

export const Uuid = Type.String({ format: 'uuid' });
export const IdParams = Type.Object({ id: Uuid });
export const Instant = Type.String({ format: 'date-time', description: 'ISO 8601 with offset' });
const Nullable = <T extends TSchema>(schema: T) => Type.Union([schema, Type.Null()]);

export const Problem = Type.Object(
  { code: Type.String(), title: Type.String(), status: Type.Integer() },
  { additionalProperties: true },
);

// ---- devices and contacts ----

export const DeviceBody = Type.Object(
  {
    publicKey: Type.String({
      minLength: 80,
      maxLength: 400,
      description: 'P-256 public key: raw point in base64url (87 characters) or a JWK as JSON text',
    }),
    label: Type.String({ minLength: 1, maxLength: 60, description: 'chosen by the user, e.g. "Téléphone"' }),
  },
  { additionalProperties: false },
);
export const Device = Type.Object({
  id: Type.String(),
  publicKey: Type.String(),
  label: Type.String(),
  createdAt: Type.String(),
  lastSeenAt: Type.String(),
});
export const ContactDevice = Type.Object({
  id: Type.String(),
  publicKey: Type.String(),
  contactId: Type.String(),
});

export const Person = Type.Object({
  id: Type.String({ description: 'id of the relationship (DELETE /api/contacts/:id ends it)' }),
  email: Type.String(),
  since: Type.String(),
});
export const Contacts = Type.Object({
  following: Type.Array(Person, { description: 'people whose sharing I may follow' }),
  followers: Type.Array(Person, { description: 'people who may follow my sharing' }),
});
export const Invite = Type.Object({ token: Type.String(), url: Type.String(), expiresAt: Type.String() });

// ---- sessions ----

export const RecipientKey = Type.Object(
  {
    deviceId: Uuid,
    wrappedKey: Type.String({
      minLength: WRAPPED_KEY_LENGTH,
      maxLength: WRAPPED_KEY_LENGTH,
      pattern: '^[A-Za-z0-9_-]+$',
      description: 'session key wrapped for the device (envelope v1, base64url)',
    }),
  },
  { additionalProperties: false },
);
export const Recipients = Type.Array(RecipientKey, { maxItems: 200 });
export const Meta = Type.String({
  maxLength: MAX_META_CIPHERTEXT,
  pattern: '^[A-Za-z0-9_-]+$',
  description: 'sealed meta (destination label …), opaque to the server',
});

export const ShareCreate = Type.Object(
  {
    id: Type.Optional(
      Type.String({ format: 'uuid', description: 'chosen by the client so that meta can be sealed to it' }),
    ),
    mode: Type.Union([Type.Literal('trip'), Type.Literal('night_out'), Type.Literal('journey')]),
    visibility: Type.Union([Type.Literal('live'), Type.Literal('checkin')]),
    expectedArrival: Type.Optional(Instant),
    until: Type.Optional(Instant),
    recipients: Recipients,
    meta: Type.Optional(Meta),
    stillMinutes: Type.Optional(
      Type.Integer({ minimum: 0, maximum: 240, description: '0 = no immobility question' }),
    ),
  },
  { additionalProperties: false },
);

export const ShareView = Type.Object({
  id: Type.String(),
  audience: Type.Union([Type.Literal('owner'), Type.Literal('contact'), Type.Literal('guest')]),
  mode: Type.String(),
  visibility: Type.String(),
  status: Type.String(),
  access: Type.Union([Type.Literal('owner'), Type.Literal('live'), Type.Literal('waiting')]),
  meta: Nullable(Type.String()),
  expectedArrival: Nullable(Type.String()),
  until: Nullable(Type.String()),
  createdAt: Type.String(),
  endsAt: Type.String(),
  endedAt: Nullable(Type.String()),
  alertReason: Nullable(Type.String()),
  lastSeq: Nullable(Type.Integer()),
  lastPositionAt: Nullable(Type.String()),
  /** contact: who shares */
  owner: Type.Optional(Type.Object({ email: Type.String() })),
  /** contact: the session key wrapped for each of my devices */
  wrappedKeys: Type.Optional(Type.Array(Type.Object({ deviceId: Type.String(), wrappedKey: Type.String() }))),
  /** owner */
  recipients: Type.Optional(Type.Array(Type.Object({ deviceId: Type.String(), contactId: Type.String() }))),
  guestLinks: Type.Optional(
    Type.Array(
      Type.Object({
        id: Type.String(),
        createdAt: Type.String(),
        expiresAt: Type.String(),
        revokedAt: Nullable(Type.String()),
      }),
    ),
  ),
  checkin: Type.Optional(
    Type.Object({ state: Type.String(), dueAt: Nullable(Type.String()), reason: Nullable(Type.String()) }),
  ),
  sos: Type.Optional(Nullable(Type.Object({ id: Type.String(), createdAt: Type.String() }))),
});

export const PositionIn = Type.Object(
  {
    seq: Type.Integer({ minimum: 0, maximum: Number.MAX_SAFE_INTEGER }),
    c: Type.String({ minLength: 1, maxLength: MAX_POSITION_CIPHERTEXT, pattern: '^[A-Za-z0-9_-]+$' }),
  },
  { additionalProperties: false },
);
export const PositionsBody = Type.Object(
  { positions: Type.Array(PositionIn, { minItems: 1, maxItems: 1000 }) },
  { additionalProperties: false },
);
export const PositionsOut = Type.Object({
  access: Type.Union([Type.Literal('owner'), Type.Literal('live'), Type.Literal('waiting')]),
  positions: Type.Array(Type.Object({ seq: Type.Integer(), c: Type.String() })),
});

export const DueBody = Type.Object({ due: Instant }, { additionalProperties: false });
export const OkBody = Type.Object({ due: Type.Optional(Instant) }, { additionalProperties: false });
export const GuestLinkBody = Type.Object({ expiresAt: Instant }, { additionalProperties: false });
export const GuestLink = Type.Object({
  id: Type.String(),
  token: Type.String(),
  url: Type.String({ description: 'append "&k=" + the session key in the browser (guestLinkWithKey)' }),
  expiresAt: Type.String(),
});

// ---- SOS ----

export const SosBody = Type.Object(
  { shareId: Type.Optional(Uuid), recipients: Type.Optional(Recipients), meta: Type.Optional(Meta) },
  { additionalProperties: false },
);
export const SosResult = Type.Object({
  id: Type.String(),
  alreadyRunning: Type.Boolean({
    description: 'this SOS was already running (started from another phone or an earlier request)',
  }),
  share: ShareView,
  devicesWithoutKey: Type.Array(ContactDevice, {
    description:
      'devices of trusted contacts the session key is not wrapped for yet: POST /api/shares/:id/keys',
  }),
});
// ---- passkeys (WebAuthn) confirming an SOS cancel ----

const B64url = (maxLength: number) => Type.String({ minLength: 1, maxLength, pattern: '^[A-Za-z0-9_-]+$' });
/** What `navigator.credentials.get()` returns, as @simplewebauthn/browser serialises it. */
export const PasskeyAssertion = Type.Object(
  {
    id: B64url(1366),
    rawId: B64url(1366),
    type: Type.Literal('public-key'),
    response: Type.Object(
      {
        clientDataJSON: B64url(4096),
        authenticatorData: B64url(4096),
        signature: B64url(4096),
        userHandle: Type.Optional(Type.String({ maxLength: 1366, pattern: '^[A-Za-z0-9_-]*$' })),
      },
      { additionalProperties: false },
    ),
    clientExtensionResults: Type.Object({}, { additionalProperties: true, maxProperties: 16 }),
    authenticatorAttachment: Type.Optional(
      Type.Union([Type.Literal('platform'), Type.Literal('cross-platform')]),
    ),
  },
  { additionalProperties: false },
);
export const SosCancelBody = Type.Object(
  {
    pin: Type.Optional(Type.String({ pattern: '^[0-9]{4,8}$' })),
    password: Type.Optional(Type.String({ minLength: 1, maxLength: 256 })),
    passkey: Type.Optional(PasskeyAssertion),
  },
  { additionalProperties: false },
);
/** What `navigator.credentials.create()` returns, as @simplewebauthn/browser serialises it. */
export const PasskeyAttestation = Type.Object(
  {
    id: B64url(1366),
    rawId: B64url(1366),
    type: Type.Literal('public-key'),
    response: Type.Object(
      {
        clientDataJSON: B64url(4096),
        attestationObject: B64url(16384),
        authenticatorData: Type.Optional(B64url(8192)),
        transports: Type.Optional(Type.Array(Type.String({ maxLength: 32 }), { maxItems: 8 })),
        publicKeyAlgorithm: Type.Optional(Type.Integer()),
        publicKey: Type.Optional(B64url(8192)),
      },
      { additionalProperties: false },
    ),
    clientExtensionResults: Type.Object({}, { additionalProperties: true, maxProperties: 16 }),
    authenticatorAttachment: Type.Optional(
      Type.Union([Type.Literal('platform'), Type.Literal('cross-platform')]),
    ),
  },
  { additionalProperties: false },
);
export const PasskeyRegistrationBody = Type.Object(
  {
    credential: PasskeyAttestation,
    label: Type.String({ minLength: 1, maxLength: 60 }),
    password: Type.String({ minLength: 1, maxLength: 256 }),
  },
  { additionalProperties: false },
);
export const Passkey = Type.Object({
  id: Type.String(),
  label: Type.String(),
  createdAt: Instant,
  lastUsedAt: Nullable(Instant),
});
export const PasskeyParams = Type.Object({ id: B64url(1366) });
/** WebAuthn options for the browser (PublicKeyCredential{Creation,Request}OptionsJSON). */
export const WebAuthnOptions = Type.Object(
  { challenge: Type.String(), timeout: Type.Optional(Type.Integer()) },
  { additionalProperties: true },
);

export const SosPinBody = Type.Object(
  { pin: Type.String({ pattern: '^[0-9]{4,8}$' }), password: Type.String({ minLength: 1, maxLength: 256 }) },
  { additionalProperties: false },
);
