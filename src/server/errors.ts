/**
 * One catalogue of errors with stable codes. Clients branch on `code`, never on text.
 * Responses are RFC 9457 `application/problem+json`; a 5xx never shows internals.
 */
export const ERRORS = {
  BAD_REQUEST: { status: 400, title: 'Bad request' },
  VALIDATION: { status: 400, title: 'Invalid request' },
  MALFORMED_JSON: { status: 400, title: 'Malformed JSON body' },
  UNSUPPORTED_MEDIA_TYPE: { status: 415, title: 'Unsupported media type' },
  PAYLOAD_TOO_LARGE: { status: 413, title: 'Request body too large' },
  UNAUTHENTICATED: { status: 401, title: 'Sign-in required' },
  INVALID_CREDENTIALS: { status: 401, title: 'Wrong e-mail or password' },
  FORBIDDEN: { status: 403, title: 'Not allowed' },
  CSRF: { status: 403, title: 'Cross-site request refused' },
  NOT_FOUND: { status: 404, title: 'Not found' },
  CONFLICT: { status: 409, title: 'Conflict' },
  TOKEN_INVALID: { status: 400, title: 'This link is invalid or has expired' },
  PASSWORD_TOO_COMMON: { status: 400, title: 'This password is among the most common ones: choose another' },
  UPGRADE_REQUIRED: { status: 426, title: 'Upgrade required' },
  TOO_MANY_REQUESTS: { status: 429, title: 'Too many requests' },
  LOGIN_THROTTLED: { status: 429, title: 'Too many sign-in attempts, try again later' },
  INVALID_GEOJSON: { status: 400, title: 'Invalid GeoJSON' },
  OUT_OF_TERRITORY: { status: 422, title: 'This point is outside every territory' },
  REPORT_UNKNOWN_CATEGORY: { status: 400, title: 'Unknown report category' },
  REPORT_UNKNOWN_ROLE: { status: 400, title: 'Unknown reporter role (victim or witness)' },
  REPORT_BAD_POSITION: { status: 400, title: 'Latitude or longitude out of range' },
  REPORT_BAD_TIME: { status: 400, title: 'occurredAt is not a valid ISO 8601 instant' },
  REPORT_IN_FUTURE: { status: 400, title: 'occurredAt is in the future' },
  REPORT_TOO_OLD: { status: 400, title: 'occurredAt is older than 30 days' },
  REPORT_DESCRIPTION_TOO_LONG: { status: 400, title: 'The description is too long' },
  REPORT_QUOTA_EXCEEDED: { status: 429, title: 'Daily report limit reached, try again tomorrow' },
  REPORT_BAD_IDEMPOTENCY_KEY: {
    status: 400,
    title: 'Idempotency-Key must be 16 to 100 characters among A-Z, a-z, 0-9, - and _',
  },
  REPORT_BAD_WINDOW: { status: 400, title: 'Invalid time window (from must precede to)' },
  REPORT_NOT_HELD: { status: 409, title: 'This report is not waiting for moderation' },
  ACTION_AREA_OUTSIDE: { status: 422, title: 'The area is outside the territory' },
  SHARE_ENDED: { status: 410, title: 'This sharing session has ended' },
  INVALID_RECIPIENT: { status: 422, title: 'Not a device of one of your trusted contacts' },
  INVALID_PUBLIC_KEY: { status: 400, title: 'Not a P-256 public key' },
  PUSH_ENDPOINT_REFUSED: { status: 400, title: 'The push endpoint must be a public https address' },
  PASSKEY_INVALID: { status: 400, title: 'The passkey response could not be verified' },
  NO_PASSKEY: { status: 409, title: 'No passkey is registered to confirm cancelling an SOS' },
  SELF_CONTACT: { status: 400, title: 'You cannot be your own trusted contact' },
  PLACE_BAD_BBOX: { status: 400, title: 'Invalid bbox (minLon,minLat,maxLon,maxLat)' },
  PLACE_BBOX_TOO_LARGE: { status: 400, title: 'The bbox is too large' },
  PLACE_BAD_HOURS: { status: 400, title: 'Invalid opening_hours value' },
  PLACE_BAD_TIME: { status: 400, title: 'Not a valid ISO 8601 instant' },
  PLACE_BAD_TRAINING_DATE: { status: 400, title: 'Invalid training date' },
  PLACE_STATUS_CONFLICT: {
    status: 409,
    title: 'This decision does not apply to the place in its current status',
  },
  UNAVAILABLE: { status: 503, title: 'Service temporarily unavailable' },
  STORAGE_FULL: { status: 507, title: 'The server’s storage is full: nothing was saved, try again later' },
  INTERNAL: { status: 500, title: 'Internal error' },
} as const satisfies Record<string, { status: number; title: string }>;

export type ErrorName = keyof typeof ERRORS;

export class HavreError extends Error {
  readonly code: string;
  readonly status: number;
  constructor(
    readonly name_: ErrorName,
    readonly detail?: string,
    readonly extra?: Record<string, unknown>,
  ) {
    super(detail ?? ERRORS[name_].title);
    this.name = 'HavreError';
    this.code = `HAVRE_ERR_${name_}`;
    this.status = ERRORS[name_].status;
  }
}

export const fail = (name: ErrorName, detail?: string, extra?: Record<string, unknown>): never => {
  throw new HavreError(name, detail, extra);
};

export interface Problem {
  type: string;
  title: string;
  status: number;
  code: string;
  detail?: string;
  [key: string]: unknown;
}

export function problem(name: ErrorName, detail?: string, extra?: Record<string, unknown>): Problem {
  const { status, title } = ERRORS[name];
  return {
    type: 'about:blank',
    title,
    status,
    code: `HAVRE_ERR_${name}`,
    ...(detail ? { detail } : {}),
    ...extra,
  };
}
