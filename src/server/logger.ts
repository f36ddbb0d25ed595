/**
 * pino, JSON. Privacy: logs never carry passwords, tokens, e-mail addresses or
 * coordinates. Requests are logged by route pattern without query string (queries can
 * hold a position), and headers that carry secrets are not logged at all.
 */
import pino, { type Logger } from 'pino';
import type { Config } from './config.ts';

export const REDACT = [
  'password',
  '*.password',
  'token',
  '*.token',
  'email',
  '*.email',
  'lat',
  'lon',
  '*.lat',
  '*.lon',
  'req.headers.cookie',
  'req.headers.authorization',
];

export function createLogger(level: Config['logLevel'], destination?: pino.DestinationStream): Logger {
  return pino(
    { level, redact: { paths: REDACT, censor: '[redacted]' }, base: { app: 'havre' } },
    destination,
  );
}

/** Request serializer: method, path without query, request id. Nothing else. */
export function serializeRequest(req: { method: string; url: string; id: string }) {
  const q = req.url.indexOf('?');
  return { method: req.method, path: q === -1 ? req.url : req.url.slice(0, q), id: req.id };
}
