import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  canonicalPublicKey,
  decryptMeta,
  decryptPosition,
  EnvelopeError,
  encryptMeta,
  encryptPosition,
  exportPublicKey,
  exportSessionKey,
  fromBase64url,
  generateDeviceKeyPair,
  generateSessionKey,
  guestLinkWithKey,
  importPublicKey,
  importSessionKey,
  isPositionCiphertext,
  isWrappedKey,
  type Position,
  parseGuestFragment,
  toBase64url,
  unwrapSessionKey,
  WRAPPED_KEY_LENGTH,
  wrapSessionKey,
} from './envelope.ts';

const SESSION = '0b8f3c1e-5a2d-4f6e-9c7b-1d2e3f4a5b6c';
const HERE: Position = {
  lat: 48.853411,
  lon: 2.348792,
  accuracy: 12,
  heading: 87.5,
  speed: 1.4,
  battery: 0.62,
  t: 1_764_363_600_000,
};

/** Flips one bit of the decoded bytes at `index` and re-encodes. */
function flip(text: string, index: number): string {
  const bytes = fromBase64url(text);
  bytes[index] ^= 0x01;
  return toBase64url(bytes);
}

describe('base64url', () => {
  it('round-trips any bytes and matches Node’s encoder', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 300 }), (bytes) => {
        const text = toBase64url(bytes);
        expect(text).toBe(Buffer.from(bytes).toString('base64url'));
        expect(fromBase64url(text)).toEqual(bytes);
      }),
    );
  });

  it('refuses characters outside the url-safe alphabet', () => {
    expect(() => fromBase64url('ab+/')).toThrow(EnvelopeError);
  });
});

describe('device keys', () => {
  it('makes a P-256 pair whose private key cannot be exported', async () => {
    const pair = await generateDeviceKeyPair();
    expect(pair.privateKey.extractable).toBe(false);
    await expect(globalThis.crypto.subtle.exportKey('jwk', pair.privateKey)).rejects.toThrow();
    const raw = await exportPublicKey(pair.publicKey);
    expect(fromBase64url(raw)).toHaveLength(65);
  });

  it('imports a public key from raw and from JWK to the same canonical raw form', async () => {
    const pair = await generateDeviceKeyPair();
    const raw = await exportPublicKey(pair.publicKey, 'raw');
    const jwk = await exportPublicKey(pair.publicKey, 'jwk');
    expect(JSON.parse(jwk)).toMatchObject({ kty: 'EC', crv: 'P-256' });
    expect(await canonicalPublicKey(jwk)).toBe(raw);
    expect(await canonicalPublicKey(raw)).toBe(raw);
  });

  it('refuses a point that is not on the curve', async () => {
    const bytes = new Uint8Array(65);
    bytes[0] = 4;
    bytes[1] = 7;
    await expect(importPublicKey(toBase64url(bytes))).rejects.toThrow(EnvelopeError);
    await expect(importPublicKey('not a key')).rejects.toThrow(EnvelopeError);
  });
});

describe('wrapped session keys', () => {
  it('unwraps on the device it was made for, to a key that decrypts the sharer’s positions', async () => {
    const device = await generateDeviceKeyPair();
    const sessionKey = await generateSessionKey();
    const wrapped = await wrapSessionKey(sessionKey, device.publicKey);
    expect(wrapped).toHaveLength(WRAPPED_KEY_LENGTH);
    expect(isWrappedKey(wrapped)).toBe(true);
    const opened = await unwrapSessionKey(wrapped, device);
    expect(opened.extractable).toBe(false);
    const c = await encryptPosition(sessionKey, SESSION, 1, HERE);
    expect(await decryptPosition(opened, SESSION, 1, c)).toEqual(HERE);
  });

  it('gives a different wrapping each time (fresh ephemeral key)', async () => {
    const device = await generateDeviceKeyPair();
    const sessionKey = await generateSessionKey();
    expect(await wrapSessionKey(sessionKey, device.publicKey)).not.toBe(
      await wrapSessionKey(sessionKey, device.publicKey),
    );
  });

  it('fails on another device', async () => {
    const [alice, mallory] = [await generateDeviceKeyPair(), await generateDeviceKeyPair()];
    const wrapped = await wrapSessionKey(await generateSessionKey(), alice.publicKey);
    await expect(unwrapSessionKey(wrapped, mallory)).rejects.toThrow(EnvelopeError);
  });

  it('fails when any byte of the wrapping is altered', async () => {
    const device = await generateDeviceKeyPair();
    const wrapped = await wrapSessionKey(await generateSessionKey(), device.publicKey);
    for (const index of [0, 1, 40, 70, 105]) {
      await expect(unwrapSessionKey(flip(wrapped, index), device)).rejects.toThrow(EnvelopeError);
    }
  });
});

describe('sealed positions', () => {
  it('round-trips a position and hides every digit of it', async () => {
    const key = await generateSessionKey();
    const c = await encryptPosition(key, SESSION, 42, HERE);
    expect(isPositionCiphertext(c)).toBe(true);
    expect(c).not.toContain('48.85');
    expect(await decryptPosition(key, SESSION, 42, c)).toEqual(HERE);
  });

  it('keeps the same length whatever the number of digits (padding)', async () => {
    const key = await generateSessionKey();
    const short = await encryptPosition(key, SESSION, 1, { ...HERE, lat: 48, lon: 2 });
    const long = await encryptPosition(key, SESSION, 1, { ...HERE, lat: 48.8534112, lon: 2.3487921 });
    expect(short.length).toBe(long.length);
  });

  it('fails with a wrong key', async () => {
    const c = await encryptPosition(await generateSessionKey(), SESSION, 1, HERE);
    await expect(decryptPosition(await generateSessionKey(), SESSION, 1, c)).rejects.toThrow(EnvelopeError);
  });

  it('fails when replayed at another sequence number or into another session (AAD)', async () => {
    const key = await generateSessionKey();
    const c = await encryptPosition(key, SESSION, 7, HERE);
    await expect(decryptPosition(key, SESSION, 8, c)).rejects.toThrow(EnvelopeError);
    await expect(decryptPosition(key, '11111111-2222-4333-8444-555555555555', 7, c)).rejects.toThrow(
      EnvelopeError,
    );
  });

  it('fails when the IV, the ciphertext or the tag is altered', async () => {
    const key = await generateSessionKey();
    const c = await encryptPosition(key, SESSION, 3, HERE);
    const last = fromBase64url(c).length - 1;
    for (const index of [0, 5, 20, last]) {
      await expect(decryptPosition(key, SESSION, 3, flip(c, index))).rejects.toThrow(EnvelopeError);
    }
  });

  it('round-trips any finite position (property)', async () => {
    const key = await generateSessionKey();
    await fc.assert(
      fc.asyncProperty(
        fc.record({
          lat: fc.double({ min: -90, max: 90, noNaN: true }),
          lon: fc.double({ min: -180, max: 180, noNaN: true }),
          accuracy: fc.double({ min: 0, max: 10_000, noNaN: true }),
          heading: fc.option(fc.double({ min: 0, max: 360, noNaN: true }), { nil: null }),
          speed: fc.option(fc.double({ min: 0, max: 100, noNaN: true }), { nil: null }),
          battery: fc.option(fc.double({ min: 0, max: 1, noNaN: true }), { nil: null }),
          t: fc.integer({ min: 0, max: 2 ** 45 }),
        }),
        fc.nat(),
        async (position, seq) => {
          const c = await encryptPosition(key, SESSION, seq, position);
          const back = await decryptPosition(key, SESSION, seq, c);
          // JSON keeps -0 as 0: compare numerically.
          expect(JSON.stringify(back)).toBe(JSON.stringify(position));
        },
      ),
      { numRuns: 50 },
    );
  });
});

describe('sealed meta', () => {
  it('round-trips the destination label and refuses another session', async () => {
    const key = await generateSessionKey();
    const c = await encryptMeta(key, SESSION, { destination: 'Chez Maya, rue des Martyrs' });
    expect(await decryptMeta(key, SESSION, c)).toEqual({ destination: 'Chez Maya, rue des Martyrs' });
    await expect(decryptMeta(key, 'aaaaaaaa-2222-4333-8444-555555555555', c)).rejects.toThrow(EnvelopeError);
  });
});

describe('guest links', () => {
  it('carries the token and the key in the fragment, and the key opens the positions', async () => {
    const key = await generateSessionKey();
    const link = await guestLinkWithKey(`https://havre.example/suivre/${SESSION}#g=TOKEN_abc-123`, key);
    const url = new URL(link);
    expect(url.pathname).toBe(`/suivre/${SESSION}`);
    expect(url.search).toBe('');
    const parsed = parseGuestFragment(url.hash);
    expect(parsed?.token).toBe('TOKEN_abc-123');
    expect(parsed?.key).toBe(await exportSessionKey(key));
    const c = await encryptPosition(key, SESSION, 1, HERE);
    expect(await decryptPosition(await importSessionKey(parsed!.key), SESSION, 1, c)).toEqual(HERE);
  });

  it('refuses a fragment without a key or with a malformed one', () => {
    expect(parseGuestFragment('#g=abc')).toBeNull();
    expect(parseGuestFragment('#g=abc&k=short')).toBeNull();
    expect(parseGuestFragment('')).toBeNull();
  });
});
