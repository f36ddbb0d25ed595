/** A venue's phone as the server accepts it (src/places/schemas.ts: digits, spaces, + ( ) . -). */
import { PLACE_LIMITS } from '../../../src/places/kinds.ts';

const PHONE = /^[+0-9 ().-]+$/;

export const validPhone = (value: string): boolean =>
  value.length >= 3 && value.length <= PLACE_LIMITS.phoneMax && PHONE.test(value);
