/**
 * The one error handler: every failure leaves as application/problem+json with a
 * stable code. Bad input is a 4xx; a 5xx never shows internals.
 */
import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { type ErrorName, HavreError, problem } from './errors.ts';

const FASTIFY_CODES: Record<string, ErrorName> = {
  FST_ERR_CTP_INVALID_JSON_BODY: 'MALFORMED_JSON',
  FST_ERR_CTP_EMPTY_JSON_BODY: 'MALFORMED_JSON',
  FST_ERR_CTP_BODY_TOO_LARGE: 'PAYLOAD_TOO_LARGE',
  FST_ERR_CTP_INVALID_MEDIA_TYPE: 'UNSUPPORTED_MEDIA_TYPE',
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: 'BAD_REQUEST',
  FST_ERR_VALIDATION: 'VALIDATION',
};

/** A full disk (SQLite, PostgreSQL `disk_full`, the file system): nothing was written. */
function isStorageFull(error: unknown): boolean {
  const code = (error as { code?: string }).code ?? '';
  return code === 'SQLITE_FULL' || code === '53100' || code === 'ENOSPC';
}

/** Errors of an unreachable database or Redis: the request may succeed later. */
function isUnavailable(error: unknown): boolean {
  const code = (error as { code?: string }).code ?? '';
  return (
    [
      'ECONNREFUSED',
      'ECONNRESET',
      'ETIMEDOUT',
      'EPIPE',
      '57P01',
      '57P02',
      '57P03',
      '08006',
      '08001',
      '08003',
      'REDIS_UNAVAILABLE',
      // A database worker thread ended with the batch (src/db/worker-client.ts): nothing saved.
      'HAVRE_WORKER_EXITED',
    ].includes(code) ||
    code === 'SQLITE_BUSY' ||
    /Connection terminated|timeout exceeded when trying to connect/i.test((error as Error).message ?? '')
  );
}

export function errorHandler(error: FastifyError, request: FastifyRequest, reply: FastifyReply) {
  let body: ReturnType<typeof problem>;
  if (error instanceof HavreError) {
    body = problem(error.name_, error.detail, error.extra);
  } else if (error.validation) {
    const first = error.validation[0];
    const where = error.validationContext ?? 'request';
    const path = first?.instancePath ? first.instancePath.slice(1).replaceAll('/', '.') : '';
    const extra = (first?.params as { additionalProperty?: string })?.additionalProperty;
    const detail = extra
      ? `${where}: unknown field "${extra}"`
      : `${where}${path ? `.${path}` : ''} ${first?.message ?? 'is invalid'}`;
    body = problem('VALIDATION', detail);
  } else if (error.code && FASTIFY_CODES[error.code]) {
    body = problem(FASTIFY_CODES[error.code], error.message);
  } else if (error.statusCode === 429) {
    body = problem('TOO_MANY_REQUESTS');
  } else if (error.statusCode && error.statusCode >= 400 && error.statusCode < 500) {
    body = { ...problem('BAD_REQUEST', error.message), status: error.statusCode };
  } else if (isStorageFull(error)) {
    // The operator must act (free space); the transaction was rolled back, nothing is half-saved.
    request.log.error({ code: (error as { code?: string }).code }, 'storage full');
    body = problem('STORAGE_FULL');
    reply.header('retry-after', '60');
  } else if (isUnavailable(error)) {
    request.log.warn({ code: (error as { code?: string }).code }, 'storage unavailable');
    body = problem('UNAVAILABLE');
    reply.header('retry-after', '5');
  } else {
    request.log.error({ err: error }, 'unhandled error');
    body = problem('INTERNAL');
  }
  return reply.status(body.status).type('application/problem+json').send(body);
}

export function notFoundHandler(request: FastifyRequest, reply: FastifyReply) {
  return reply
    .status(404)
    .type('application/problem+json')
    .send(problem('NOT_FOUND', `No route ${request.method} ${request.url.split('?')[0]}`));
}

/**
 * Errors Fastify raises before routing (a path that is not valid percent-encoded UTF-8, e.g. a
 * lone surrogate `%ED%A0%80`): problem+json like every other error, not Fastify's own JSON.
 */
export function frameworkErrorHandler(error: FastifyError, _request: FastifyRequest, reply: FastifyReply) {
  const body = problem('BAD_REQUEST', error.code === 'FST_ERR_BAD_URL' ? 'Invalid URL encoding' : undefined);
  return reply.status(400).type('application/problem+json').send(body);
}
