/**
 * The end-to-end envelope of live sharing. Pure Web Crypto (no Node import): the same
 * module runs in the browser and, through `globalThis.crypto.subtle`, in Node 20 tests.
 * The server never imports the key functions; it only checks shapes (`isWrappedKey`,
 * `isPositionCiphertext`), because it never sees a key or a position.
 *
 * Formats (every binary value travels as unpadded base64url):
 *
 * Device key pair: ECDH P-256, private key non-extractable (kept in IndexedDB), public key
 * exported raw (65 bytes, uncompressed point) or as a JWK.
 *
 * Wrapped session key, version 1 (106 bytes):
 *   [0]       0x01 version
 *   [1..65]   ephemeral sender public key, raw P-256 point (a fresh key pair per wrap)
 *   [66..105] AES-KW (RFC 3394) of the 32-byte session key
 *   KEK = HKDF-SHA-256(ikm = ECDH(ephemeral, device), salt = ephemeralPub ‖ devicePub,
 *         info = "havre/wrap/v1") → AES-KW-256.
 *
 * Sealed value (position or meta), version 1:
 *   [0]       0x01 version
 *   [1..12]   96-bit random IV
 *   [13..]    AES-GCM-256 ciphertext with its 16-byte tag
 *   AAD = "havre/pos/v1|<sessionId>|<seq>" for positions, "havre/meta/v1|<sessionId>" for the
 *   session's meta: a ciphertext replayed into another session or at another sequence number
 *   fails to open. The plaintext JSON is padded with spaces to a multiple of 64 bytes so the
 *   length does not tell how many digits a coordinate has.
 *
 * Guest link: `<url returned by the server>&k=<session key>`, the server's url already ending
 * in `#g=<access token>`. Everything after `#` stays in the browser (never sent to a server).
 */

export const ENVELOPE_VERSION = 1;
const WRAP_INFO = 'havre/wrap/v1';
const POINT_BYTES = 65;
const WRAPPED_BYTES = 1 + POINT_BYTES + 40;
const IV_BYTES = 12;
const PAD_TO = 64;

/** Upper bound of a sealed position in base64url characters (the server refuses more). */
export const MAX_POSITION_CIPHERTEXT = 1024;
/** Upper bound of a sealed meta blob (destination label …) in base64url characters. */
export const MAX_META_CIPHERTEXT = 4096;

export interface Position {
  lat: number;
  lon: number;
  /** metres, 68 % confidence (Geolocation API) */
  accuracy: number;
  /** degrees from true north, null when still or unknown */
  heading: number | null;
  /** metres per second, null when unknown */
  speed: number | null;
  /** 0..1, null when the Battery API is unavailable */
  battery: number | null;
  /** epoch milliseconds of the fix */
  t: number;
}

const subtle = (): SubtleCrypto => globalThis.crypto.subtle;
const encoder = new TextEncoder();
const decoder = new TextDecoder();

// ---- base64url ----

const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
const LOOKUP = new Int16Array(128).fill(-1);
for (let i = 0; i < ALPHABET.length; i++) LOOKUP[ALPHABET.charCodeAt(i)] = i;
const BASE64URL = /^[A-Za-z0-9_-]*$/;

export function toBase64url(bytes: Uint8Array): string {
  let out = '';
  let i = 0;
  for (; i + 2 < bytes.length; i += 3) {
    const n = (bytes[i] << 16) | (bytes[i + 1] << 8) | bytes[i + 2];
    out += ALPHABET[n >> 18] + ALPHABET[(n >> 12) & 63] + ALPHABET[(n >> 6) & 63] + ALPHABET[n & 63];
  }
  const rest = bytes.length - i;
  if (rest === 1) {
    const n = bytes[i] << 16;
    out += ALPHABET[n >> 18] + ALPHABET[(n >> 12) & 63];
  } else if (rest === 2) {
    const n = (bytes[i] << 16) | (bytes[i + 1] << 8);
    out += ALPHABET[n >> 18] + ALPHABET[(n >> 12) & 63] + ALPHABET[(n >> 6) & 63];
  }
  return out;
}

export function fromBase64url(text: string): Uint8Array<ArrayBuffer> {
  if (!BASE64URL.test(text) || text.length % 4 === 1) throw new EnvelopeError('not base64url');
  const out = new Uint8Array(Math.floor((text.length * 3) / 4));
  let bits = 0;
  let value = 0;
  let o = 0;
  for (let i = 0; i < text.length; i++) {
    value = (value << 6) | LOOKUP[text.charCodeAt(i)];
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      out[o++] = (value >> bits) & 0xff;
    }
  }
  return out;
}

export class EnvelopeError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'EnvelopeError';
  }
}

// ---- shape checks (what the server can verify without any key) ----

export const isBase64url = (text: string): boolean => BASE64URL.test(text);

/** A version-1 wrapped key has exactly 106 bytes → 142 base64url characters. */
export const WRAPPED_KEY_LENGTH = Math.ceil((WRAPPED_BYTES * 4) / 3);
export const isWrappedKey = (text: string): boolean =>
  text.length === WRAPPED_KEY_LENGTH && BASE64URL.test(text) && text.startsWith('A'); // 0x01 → "A…"

export const isPositionCiphertext = (text: string): boolean =>
  text.length > 0 && text.length <= MAX_POSITION_CIPHERTEXT && BASE64URL.test(text);

// ---- device keys ----

const ECDH = { name: 'ECDH', namedCurve: 'P-256' } as const;

/** A device's key pair. The private key cannot be exported, even by the page's own script. */
export function generateDeviceKeyPair(): Promise<CryptoKeyPair> {
  return subtle().generateKey(ECDH, false, ['deriveBits']) as Promise<CryptoKeyPair>;
}

export async function exportPublicKey(key: CryptoKey, format: 'raw' | 'jwk' = 'raw'): Promise<string> {
  if (format === 'jwk') {
    const { kty, crv, x, y } = await subtle().exportKey('jwk', key);
    return JSON.stringify({ kty, crv, x, y });
  }
  return toBase64url(new Uint8Array(await subtle().exportKey('raw', key)));
}

/** Accepts a raw base64url point or a JWK (as text); throws EnvelopeError when it is not a P-256 point. */
export async function importPublicKey(text: string): Promise<CryptoKey> {
  try {
    if (text.startsWith('{')) {
      const jwk = JSON.parse(text) as JsonWebKey;
      return await subtle().importKey(
        'jwk',
        { kty: jwk.kty, crv: jwk.crv, x: jwk.x, y: jwk.y },
        ECDH,
        true,
        [],
      );
    }
    const raw = fromBase64url(text);
    if (raw.length !== POINT_BYTES || raw[0] !== 4)
      throw new EnvelopeError('not an uncompressed P-256 point');
    return await subtle().importKey('raw', raw, ECDH, true, []);
  } catch {
    throw new EnvelopeError('invalid P-256 public key');
  }
}

/** The raw base64url form of a public key given as raw or JWK (one canonical form to store). */
export async function canonicalPublicKey(text: string): Promise<string> {
  return exportPublicKey(await importPublicKey(text), 'raw');
}

// ---- session keys ----

const GCM = { name: 'AES-GCM', length: 256 } as const;

/** Extractable on the sharer's device only: it is wrapped for contacts and put in guest links. */
export function generateSessionKey(): Promise<CryptoKey> {
  return subtle().generateKey(GCM, true, ['encrypt', 'decrypt']) as Promise<CryptoKey>;
}

export async function exportSessionKey(key: CryptoKey): Promise<string> {
  return toBase64url(new Uint8Array(await subtle().exportKey('raw', key)));
}

export async function importSessionKey(text: string, extractable = false): Promise<CryptoKey> {
  const raw = fromBase64url(text);
  if (raw.length !== 32) throw new EnvelopeError('a session key has 32 bytes');
  return subtle().importKey('raw', raw, 'AES-GCM', extractable, ['encrypt', 'decrypt']);
}

async function deriveKek(
  privateKey: CryptoKey,
  publicKey: CryptoKey,
  ephemeralRaw: Uint8Array,
  deviceRaw: Uint8Array,
  usage: 'wrapKey' | 'unwrapKey',
): Promise<CryptoKey> {
  const shared = await subtle().deriveBits({ name: 'ECDH', public: publicKey }, privateKey, 256);
  const ikm = await subtle().importKey('raw', shared, 'HKDF', false, ['deriveKey']);
  const salt = new Uint8Array(POINT_BYTES * 2);
  salt.set(ephemeralRaw, 0);
  salt.set(deviceRaw, POINT_BYTES);
  return subtle().deriveKey(
    { name: 'HKDF', hash: 'SHA-256', salt, info: encoder.encode(WRAP_INFO) },
    ikm,
    { name: 'AES-KW', length: 256 },
    false,
    [usage],
  );
}

/** Wraps the session key for one device (its public key), with a fresh ephemeral key pair. */
export async function wrapSessionKey(sessionKey: CryptoKey, devicePublicKey: CryptoKey): Promise<string> {
  const ephemeral = (await subtle().generateKey(ECDH, true, ['deriveBits'])) as CryptoKeyPair;
  const ephemeralRaw = new Uint8Array(await subtle().exportKey('raw', ephemeral.publicKey));
  const deviceRaw = new Uint8Array(await subtle().exportKey('raw', devicePublicKey));
  const kek = await deriveKek(ephemeral.privateKey, devicePublicKey, ephemeralRaw, deviceRaw, 'wrapKey');
  const wrapped = new Uint8Array(await subtle().wrapKey('raw', sessionKey, kek, 'AES-KW'));
  const out = new Uint8Array(WRAPPED_BYTES);
  out[0] = ENVELOPE_VERSION;
  out.set(ephemeralRaw, 1);
  out.set(wrapped, 1 + POINT_BYTES);
  return toBase64url(out);
}

/** Opens a wrapped key on the device it was made for. The session key comes out non-extractable. */
export async function unwrapSessionKey(wrappedKey: string, device: CryptoKeyPair): Promise<CryptoKey> {
  const bytes = fromBase64url(wrappedKey);
  if (bytes.length !== WRAPPED_BYTES || bytes[0] !== ENVELOPE_VERSION) {
    throw new EnvelopeError('unknown wrapped-key format');
  }
  const ephemeralRaw = bytes.slice(1, 1 + POINT_BYTES);
  try {
    const ephemeral = await subtle().importKey('raw', ephemeralRaw, ECDH, true, []);
    const deviceRaw = new Uint8Array(await subtle().exportKey('raw', device.publicKey));
    const kek = await deriveKek(device.privateKey, ephemeral, ephemeralRaw, deviceRaw, 'unwrapKey');
    return await subtle().unwrapKey('raw', bytes.slice(1 + POINT_BYTES), kek, 'AES-KW', 'AES-GCM', false, [
      'encrypt',
      'decrypt',
    ]);
  } catch {
    throw new EnvelopeError('this key was not wrapped for this device, or it was altered');
  }
}

// ---- sealed values ----

const utf8 = (text: string): Uint8Array<ArrayBuffer> => new Uint8Array(encoder.encode(text));
const positionAad = (sessionId: string, seq: number) => utf8(`havre/pos/v1|${sessionId}|${seq}`);
const metaAad = (sessionId: string) => utf8(`havre/meta/v1|${sessionId}`);

async function seal(key: CryptoKey, value: unknown, aad: Uint8Array<ArrayBuffer>): Promise<string> {
  const json = JSON.stringify(value);
  const padded = json + ' '.repeat((PAD_TO - (encoder.encode(json).length % PAD_TO)) % PAD_TO);
  const iv = globalThis.crypto.getRandomValues(new Uint8Array(IV_BYTES));
  const sealed = new Uint8Array(
    await subtle().encrypt({ name: 'AES-GCM', iv, additionalData: aad }, key, utf8(padded)),
  );
  const out = new Uint8Array(1 + IV_BYTES + sealed.length);
  out[0] = ENVELOPE_VERSION;
  out.set(iv, 1);
  out.set(sealed, 1 + IV_BYTES);
  return toBase64url(out);
}

async function open(key: CryptoKey, ciphertext: string, aad: Uint8Array<ArrayBuffer>): Promise<unknown> {
  const bytes = fromBase64url(ciphertext);
  if (bytes.length < 1 + IV_BYTES + 16 || bytes[0] !== ENVELOPE_VERSION) {
    throw new EnvelopeError('unknown ciphertext format');
  }
  let plain: ArrayBuffer;
  try {
    plain = await subtle().decrypt(
      { name: 'AES-GCM', iv: bytes.slice(1, 1 + IV_BYTES), additionalData: aad },
      key,
      bytes.slice(1 + IV_BYTES),
    );
  } catch {
    throw new EnvelopeError('cannot open: wrong key, wrong session or sequence, or altered ciphertext');
  }
  return JSON.parse(decoder.decode(plain));
}

export function encryptPosition(
  key: CryptoKey,
  sessionId: string,
  seq: number,
  position: Position,
): Promise<string> {
  const { lat, lon, accuracy, heading, speed, battery, t } = position;
  return seal(key, { lat, lon, accuracy, heading, speed, battery, t }, positionAad(sessionId, seq));
}

export async function decryptPosition(
  key: CryptoKey,
  sessionId: string,
  seq: number,
  ciphertext: string,
): Promise<Position> {
  const value = (await open(key, ciphertext, positionAad(sessionId, seq))) as Record<string, unknown>;
  const num = (v: unknown) => typeof v === 'number' && Number.isFinite(v);
  const orNull = (v: unknown) => (num(v) ? (v as number) : null);
  if (!num(value?.lat) || !num(value.lon) || !num(value.t)) throw new EnvelopeError('not a position');
  return {
    lat: value.lat as number,
    lon: value.lon as number,
    accuracy: orNull(value.accuracy) ?? 0,
    heading: orNull(value.heading),
    speed: orNull(value.speed),
    battery: orNull(value.battery),
    t: value.t as number,
  };
}

/** What a session says about itself (destination label …), readable by its recipients only. */
export interface SessionMeta {
  destination?: string;
  [key: string]: unknown;
}

export const encryptMeta = (key: CryptoKey, sessionId: string, meta: SessionMeta): Promise<string> =>
  seal(key, meta, metaAad(sessionId));

export async function decryptMeta(
  key: CryptoKey,
  sessionId: string,
  ciphertext: string,
): Promise<SessionMeta> {
  const value = await open(key, ciphertext, metaAad(sessionId));
  if (typeof value !== 'object' || value === null || Array.isArray(value))
    throw new EnvelopeError('not meta');
  return value as SessionMeta;
}

// ---- guest links ----

/** Appends the session key to the link the server returned (`…#g=TOKEN`). */
export async function guestLinkWithKey(serverUrl: string, sessionKey: CryptoKey): Promise<string> {
  if (!serverUrl.includes('#g=')) throw new EnvelopeError('expected a guest link ending in #g=TOKEN');
  return `${serverUrl}&k=${await exportSessionKey(sessionKey)}`;
}

/** Reads `#g=TOKEN&k=KEY` (location.hash). Returns null when one part is missing or malformed. */
export function parseGuestFragment(hash: string): { token: string; key: string } | null {
  const params = new URLSearchParams(hash.replace(/^#/, ''));
  const token = params.get('g');
  const key = params.get('k');
  if (!token || !key || !BASE64URL.test(token) || !BASE64URL.test(key) || key.length !== 43) return null;
  return { token, key };
}
