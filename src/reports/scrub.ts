/**
 * Removes what could identify someone from a consented description: e-mail addresses,
 * phone numbers (French and international formats) and URLs (with or without a scheme).
 * Errs on the side of removing: a staff member reading "[numéro retiré]" loses little;
 * a phone number left in a report a municipality reads is a broken promise. Pure.
 *
 * What was removed is stored as a marker in no language (`[[phone]]`): each screen says it in
 * its own ("[numéro retiré]", "[phone removed]"), through `scrubbedParts`. Descriptions stored
 * before carry French markers, read the same way (LEGACY_SCRUB_MARKERS).
 */

export const SCRUB_MARKERS = {
  email: '[[email]]',
  url: '[[url]]',
  phone: '[[phone]]',
} as const;

export type ScrubbedKind = keyof typeof SCRUB_MARKERS;

/** The markers written until descriptions were stored with neutral ones, in French. */
export const LEGACY_SCRUB_MARKERS: Record<ScrubbedKind, string> = {
  email: '[e-mail retiré]',
  url: '[lien retiré]',
  phone: '[numéro retiré]',
};

const KIND_OF_MARKER = new Map<string, ScrubbedKind>(
  (Object.keys(SCRUB_MARKERS) as ScrubbedKind[]).flatMap((kind) => [
    [SCRUB_MARKERS[kind], kind],
    [LEGACY_SCRUB_MARKERS[kind], kind],
  ]),
);
const ANY_MARKER = new RegExp(
  [...KIND_OF_MARKER.keys()].map((marker) => marker.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('|'),
  'gu',
);

/** A scrubbed text as its pieces: the person's words, and where something was removed. */
export type ScrubbedPart = string | { removed: ScrubbedKind };

export function scrubbedParts(text: string): ScrubbedPart[] {
  const parts: ScrubbedPart[] = [];
  let last = 0;
  for (const match of text.matchAll(ANY_MARKER)) {
    if (match.index > last) parts.push(text.slice(last, match.index));
    parts.push({ removed: KIND_OF_MARKER.get(match[0]) as ScrubbedKind });
    last = match.index + match[0].length;
  }
  if (last < text.length) parts.push(text.slice(last));
  return parts;
}

// name@domain.tld, also written "name [at] domain [dot] tld" or "name(at)domain.tld".
const EMAIL =
  /[\p{L}\p{N}._%+-]+\s*(?:@|\[at\]|\(at\)|\s(?:at|arobase)\s)\s*[\p{L}\p{N}-]+(?:\s*(?:\.|\[dot\]|\(dot\)|\s(?:dot|point)\s)\s*[\p{L}\p{N}-]+)+/giu;

// Scheme URLs, www. hosts, and bare host names on common top-level domains (bit.ly/x, insta.com).
// A URL does not end with the punctuation of the sentence around it.
const URL_WITH_SCHEME = /\b(?:https?|ftp):\/\/[^\s<>"]*[^\s<>".,;:!?)\]]/giu;
const WWW = /\bwww\.[^\s<>"]*[^\s<>".,;:!?)\]]/giu;
const BARE_HOST =
  /\b[\p{L}\p{N}][\p{L}\p{N}-]*(?:\.[\p{L}\p{N}-]+)*\.(?:fr|com|net|org|io|ly|me|co|eu|info|be|ch|re|app|link|gl|gg|tv|xyz|biz|online|site|shop|page)\b(?:\/(?:[^\s<>"]*[^\s<>".,;:!?)\]])?)?/giu;

// French numbers: +33 6 12 34 56 78, 0033 (0)6…, 06 12 34 56 78, 06.12.34.56.78, 0612345678.
const FRENCH_PHONE = /(?:(?:\+|00)\s?33\s?(?:\(0\)\s?)?|\b0)[1-9](?:[\s.-]?\d{2}){4}\b/gu;
// Any other international number: + and 7 to 15 digits with separators.
const INTERNATIONAL_PHONE = /(?:\+|\b00)\s?\d(?:[\s.\-/]?\(?\d\)?){6,14}\b/gu;
// Long digit runs (9+ digits, separators allowed): numbers written without their prefix.
const DIGIT_RUN = /\b\d(?:[\s.-]?\d){8,}\b/gu;

// Control characters other than tab and newline.
// biome-ignore lint/suspicious/noControlCharactersInRegex: removing them is the point
const CONTROL = /[\u0000-\u0008\u000b-\u001f\u007f]/gu;

export function scrubDescription(text: string): string {
  return text
    .normalize('NFC')
    .replace(CONTROL, '')
    .replace(EMAIL, SCRUB_MARKERS.email)
    .replace(URL_WITH_SCHEME, SCRUB_MARKERS.url)
    .replace(WWW, SCRUB_MARKERS.url)
    .replace(BARE_HOST, SCRUB_MARKERS.url)
    .replace(FRENCH_PHONE, SCRUB_MARKERS.phone)
    .replace(INTERNATIONAL_PHONE, SCRUB_MARKERS.phone)
    .replace(DIGIT_RUN, SCRUB_MARKERS.phone)
    .replace(/[ \t]+/g, ' ')
    .trim();
}
