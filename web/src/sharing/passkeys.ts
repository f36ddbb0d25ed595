/**
 * Passkeys that confirm cancelling an SOS (src/sharing/passkeys.ts): the phone's fingerprint,
 * face or screen lock instead of typing a code. The WebAuthn library is loaded only when a
 * passkey is used, so the SOS page keeps its budget before the button.
 */
import { ApiError } from '../api/client.ts';
import { type CancelProof, sharingApi } from './api.ts';

export const PASSKEY_ERRORS = {
  refused: 'HAVRE_ERR_PASSKEY_REFUSED',
  exists: 'HAVRE_ERR_PASSKEY_EXISTS',
  unsupported: 'HAVRE_ERR_PASSKEY_UNSUPPORTED',
} as const;

export const passkeysSupported = (): boolean =>
  typeof window !== 'undefined' && typeof window.PublicKeyCredential === 'function';

/** The browser's refusals in the app's words (ApiError codes the screens translate). */
function browserError(error: unknown): unknown {
  if (error instanceof ApiError) return error;
  const name = (error as { name?: string; cause?: { name?: string } }).cause?.name ?? (error as Error).name;
  if (name === 'InvalidStateError') return new ApiError(PASSKEY_ERRORS.exists, 0);
  if (name === 'SecurityError' || name === 'NotSupportedError')
    return new ApiError(PASSKEY_ERRORS.unsupported, 0);
  // NotAllowedError: the person said no, the prompt timed out, or the phone could not tell who she is.
  return new ApiError(PASSKEY_ERRORS.refused, 0);
}

export async function addPasskey(label: string, password: string) {
  const { startRegistration } = await import('@simplewebauthn/browser');
  const optionsJSON = await sharingApi.passkeyOptions();
  let credential: Awaited<ReturnType<typeof startRegistration>>;
  try {
    credential = await startRegistration({ optionsJSON });
  } catch (error) {
    throw browserError(error);
  }
  return sharingApi.addPasskey(credential, label, password);
}

/** Asks one of her passkeys to sign this SOS's cancel challenge. */
export async function passkeyProof(sosId: string): Promise<CancelProof> {
  const { startAuthentication } = await import('@simplewebauthn/browser');
  const optionsJSON = await sharingApi.sosCancelOptions(sosId);
  try {
    return { passkey: await startAuthentication({ optionsJSON }) };
  } catch (error) {
    throw browserError(error);
  }
}
