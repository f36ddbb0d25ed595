/**
 * The most common passwords are refused wherever a password is chosen (sign-up, reset):
 * they are the first an attacker tries, and length alone lets "password123" through. NIST SP
 * 800-63B (5.1.1.2) asks for exactly this check against values known to be commonly used.
 *
 * The list is `passwords-common` of @zxcvbn-ts/language-common (pinned in package.json): 49,233
 * passwords ranked by how often they appear in public leaks, maintained with zxcvbn-ts. Only
 * those Havre's length rule would accept are kept (about 1,600): the shorter ones are refused
 * already. Compared without case or surrounding spaces: "Password123" is guessed as fast.
 * Refused with 400 HAVRE_ERR_PASSWORD_TOO_COMMON (src/server/errors.ts).
 */
import { LIMITS } from '../shared/limits.ts';

const normalise = (password: string) => password.trim().toLowerCase();

/** Loaded on first use: the dictionary is decompressed once, not at every boot of the CLI. */
let common: Promise<Set<string>> | null = null;
function commonPasswords(): Promise<Set<string>> {
  common ??= import('@zxcvbn-ts/language-common').then(
    ({ dictionary }) =>
      new Set(dictionary['passwords-common'].filter((p) => p.length >= LIMITS.passwordMin).map(normalise)),
  );
  return common;
}

export async function isCommonPassword(password: string): Promise<boolean> {
  return (await commonPasswords()).has(normalise(password));
}
