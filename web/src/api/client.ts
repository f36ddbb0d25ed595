/**
 * The one way the web app talks to the Havre API: same-origin cookies, JSON in and out, and
 * every failure turned into an ApiError carrying the server's stable code
 * (`HAVRE_ERR_…`, RFC 9457 problem+json). Screens translate the code, never the server's text.
 */

/** Codes the client itself produces when no server answer could be read. */
export const CLIENT_ERRORS = {
  network: 'HAVRE_ERR_NETWORK',
  unexpected: 'HAVRE_ERR_UNEXPECTED_RESPONSE',
} as const;

/** Fires `expired` when the server says the session is gone, so the app shows the signed-out state. */
export const sessionEvents = new EventTarget();

export class ApiError extends Error {
  constructor(
    readonly code: string,
    readonly status: number,
    readonly title?: string,
    /** The problem's `detail`: which line or feature was wrong, for screens that can say it. */
    readonly detail?: string,
    /** The whole problem body: members a route adds (an ended share's `endReason`). */
    readonly problem: Record<string, unknown> = {},
  ) {
    super(`${code} (${status})`);
    this.name = 'ApiError';
  }
}

export interface RequestOptions {
  method?: 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE';
  body?: unknown;
  signal?: AbortSignal;
  headers?: Record<string, string>;
}

async function send(path: string, options: RequestOptions): Promise<Response> {
  const headers: Record<string, string> = { accept: 'application/json', ...options.headers };
  if (options.body !== undefined) headers['content-type'] = 'application/json';
  try {
    return await fetch(path, {
      method: options.method ?? 'GET',
      credentials: 'same-origin',
      headers,
      body: options.body === undefined ? undefined : JSON.stringify(options.body),
      signal: options.signal,
    });
  } catch (error) {
    if (error instanceof DOMException && error.name === 'AbortError') throw error;
    throw new ApiError(CLIENT_ERRORS.network, 0);
  }
}

async function toApiError(response: Response): Promise<ApiError> {
  const type = response.headers.get('content-type') ?? '';
  if (type.includes('json')) {
    try {
      const problem = (await response.json()) as { code?: unknown; title?: unknown; detail?: unknown };
      if (typeof problem.code === 'string') {
        return new ApiError(
          problem.code,
          response.status,
          typeof problem.title === 'string' ? problem.title : undefined,
          typeof problem.detail === 'string' ? problem.detail : undefined,
          problem as Record<string, unknown>,
        );
      }
    } catch {
      // fall through: an unreadable error body is an unexpected response
    }
  }
  return new ApiError(CLIENT_ERRORS.unexpected, response.status);
}

async function failed(response: Response): Promise<ApiError> {
  const error = await toApiError(response);
  if (error.code === 'HAVRE_ERR_UNAUTHENTICATED') sessionEvents.dispatchEvent(new Event('expired'));
  return error;
}

/** Calls the API and returns the parsed JSON body (undefined for 202/204). */
export async function api<T = unknown>(path: string, options: RequestOptions = {}): Promise<T> {
  const response = await send(path, options);
  if (!response.ok) throw await failed(response);
  if (response.status === 204 || response.status === 202) return undefined as T;
  const type = response.headers.get('content-type') ?? '';
  if (!type.includes('json')) throw new ApiError(CLIENT_ERRORS.unexpected, response.status);
  return (await response.json()) as T;
}

/** Calls the API and returns the body as a Blob (downloads). */
export async function apiBlob(path: string): Promise<Blob> {
  const response = await send(path, {});
  if (!response.ok) throw await failed(response);
  return response.blob();
}

/** The error code to show for anything a call may throw. */
export function errorCode(error: unknown): string {
  return error instanceof ApiError ? error.code : CLIENT_ERRORS.unexpected;
}
