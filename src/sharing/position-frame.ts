/**
 * The position frame, `{"type":"pos","share":…,"seq":…,"c":…}`, on the relay's hot path.
 *
 * A sharer's browser writes exactly this layout (JSON.stringify of {type, share, seq, c}),
 * and a frame in that layout is byte for byte the frame watchers must receive: the relay
 * checks it in place and forwards the very Buffer it received, without JSON.parse, without
 * re-encoding the ciphertext and without copying it. Any other spelling (spaces, other key
 * order, `share` left out) goes through JSON.parse and `positionFrame`, as before.
 */
import { MAX_POSITION_CIPHERTEXT } from '../shared/envelope.ts';

/** Position frame; `share` is a UUID, `seq` an integer and `c` base64url, so no escaping is needed. */
export const positionFrame = (share: string, seq: number, c: string): Buffer =>
  Buffer.from(`{"type":"pos","share":"${share}","seq":${seq},"c":"${c}"}`);

export interface PositionParts {
  share: string;
  seq: number;
  c: string;
}

const HEAD = Buffer.from('{"type":"pos","share":"');
const SEQ = Buffer.from('","seq":');
const C = Buffer.from(',"c":"');
const UUID_AT = HEAD.length;
const UUID_END = UUID_AT + 36;
const SEQ_AT = UUID_END + SEQ.length;
const MAX_SEQ_DIGITS = 16; // Number.MAX_SAFE_INTEGER has 16 digits

/** Lower-case hex digit. */
const hex = (b: number) => (b >= 0x30 && b <= 0x39) || (b >= 0x61 && b <= 0x66);
/** base64url alphabet: A-Z a-z 0-9 - _ */
const b64url = (b: number) =>
  (b >= 0x41 && b <= 0x5a) ||
  (b >= 0x61 && b <= 0x7a) ||
  (b >= 0x30 && b <= 0x39) ||
  b === 0x2d ||
  b === 0x5f;

/**
 * The parts of a frame in the exact layout above, with a lower-case UUID, a non-negative safe
 * integer seq and a base64url ciphertext of 1..MAX_POSITION_CIPHERTEXT characters; null for
 * anything else (the caller then parses it as ordinary JSON).
 */
export function readPositionFrame(data: Buffer): PositionParts | null {
  const n = data.length;
  if (n < SEQ_AT + 1 + C.length + 3 || HEAD.compare(data, 0, UUID_AT) !== 0) return null;
  for (let i = UUID_AT; i < UUID_END; i++) {
    const at = i - UUID_AT;
    const b = data[i];
    if (at === 8 || at === 13 || at === 18 || at === 23 ? b !== 0x2d : !hex(b)) return null;
  }
  if (SEQ.compare(data, UUID_END, SEQ_AT) !== 0) return null;
  let i = SEQ_AT;
  let seq = 0;
  while (i < n && data[i] >= 0x30 && data[i] <= 0x39) seq = seq * 10 + (data[i++] - 0x30);
  const digits = i - SEQ_AT;
  // JSON has no leading zeros; longer numbers may not be exact.
  if (digits === 0 || digits > MAX_SEQ_DIGITS || (digits > 1 && data[SEQ_AT] === 0x30)) return null;
  if (!Number.isSafeInteger(seq)) return null;
  if (i + C.length > n || C.compare(data, i, i + C.length) !== 0) return null;
  const cAt = i + C.length;
  const cEnd = n - 2;
  if (data[cEnd] !== 0x22 || data[cEnd + 1] !== 0x7d) return null; // "}
  if (cEnd <= cAt || cEnd - cAt > MAX_POSITION_CIPHERTEXT) return null;
  for (let j = cAt; j < cEnd; j++) if (!b64url(data[j])) return null;
  return { share: data.toString('latin1', UUID_AT, UUID_END), seq, c: data.toString('latin1', cAt, cEnd) };
}
