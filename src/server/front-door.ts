/**
 * The HTTP server's front door: a few public, read-only, sessionless GET routes answered before
 * Fastify's routing and hook chain, every other request handed to Fastify untouched.
 *
 * Why (measured, bench/README.md): for `GET /api/places/nearest` the work is ~15 µs of CPU
 * (search and answer bytes) and Fastify's stack around it several times that — routing,
 * query-string parsing, schema validation, a request and reply object, a logger child, and
 * the hooks (security headers, rate limit, metrics, authentication, websocket). Its target is a
 * throughput within 0.7× of a bare Fastify route answering a constant, which the stack alone
 * does not leave room for.
 *
 * Same behaviour as the Fastify route, by construction where possible:
 *  - a fast route takes only requests it fully understands; anything else (bad input included)
 *    goes to Fastify, whose route computes the same answer with the same shared code;
 *  - the same security headers (computed once by security-headers.ts), the same rate limiter
 *    (@fastify/rate-limit's own store through `createRateLimit`, same key: the client address
 *    decided by the trust function `request.ip` uses, client-address.ts); a request over the
 *    limit goes to Fastify, which answers the 429;
 *  - the same request metrics (route pattern, status, duration);
 *  - the same two request log lines as Fastify's (level info: "incoming request" with the method
 *    and the path without its query — it can hold a position —, "request completed" with the
 *    status and the response time), each request with its own id (`fd-…`, Fastify's are `req-…`);
 *  - off from the moment the app starts closing (Fastify's drain).
 * A test compares both paths' status, headers and bytes (front-door.test.ts).
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { FastifyBaseLogger, FastifyServerOptions } from 'fastify';

export interface FastAnswer {
  contentType: string;
  body: Buffer;
}

/**
 * A fast route: given the query string (after `?`), null when Fastify must answer, else the
 * function writing the answer (called once the rate limiter let the request through).
 */
export type FastRoute = (search: string) => (() => FastAnswer) | null;

/** What the rate limiter says about one more request (as @fastify/rate-limit's hook reads it). */
export interface RateVerdict {
  isAllowed: boolean;
  isExceeded?: boolean;
  max?: number;
  remaining?: number;
  ttlInSeconds?: number;
}

export interface FrontDoorStack {
  /** Headers every reply carries (security headers). */
  headers: Record<string, string>;
  /** Counts a request for `url` from this address; null when the app has no rate limit. */
  rateLimit: ((ip: string | undefined, url: string) => Promise<RateVerdict>) | null;
  /** Records a response in the request metrics. */
  observe: (method: string, route: string, status: number, seconds: number) => void;
  /** The logger of request lines when requests are logged (level info or lower), else null. */
  requestLog: FastifyBaseLogger | null;
  /** The client's address as `request.ip` has it (client-address.ts): the rate limiter's key. */
  clientAddress: (req: IncomingMessage) => string | undefined;
}

type Handler = (req: IncomingMessage, res: ServerResponse) => void;

export class FrontDoor {
  private readonly routes = new Map<string, FastRoute>();
  private fastify: Handler | null = null;
  private stack: FrontDoorStack | null = null;
  /** The stack's headers as node's flat list: name, value, name, value… */
  private headerList: string[] = [];
  private open = false;
  /** Requests answered here rather than by Fastify (tests and benchmarks check the door is used). */
  answered = 0;
  private nextId = 0;

  /** Adds a fast route for this exact path (its Fastify route stays the reference). */
  route(path: string, fast: FastRoute): void {
    this.routes.set(path, fast);
  }

  /** Opens once the app is ready, with the stack's parts the fast routes must reproduce. */
  connect(stack: FrontDoorStack): void {
    this.stack = stack;
    this.headerList = Object.entries(stack.headers).flat();
    this.open = true;
  }

  /** From the start of shutdown on, Fastify serves (and drains) every request. */
  close(): void {
    this.open = false;
  }

  /** Fastify's `serverFactory`: the server Fastify itself would create, with this door in front. */
  readonly serverFactory = (handler: Handler, options: FastifyServerOptions): Server => {
    this.fastify = handler;
    const server = createServer((req, res) => this.dispatch(req, res));
    server.keepAliveTimeout = options.keepAliveTimeout as number;
    server.requestTimeout = options.requestTimeout as number;
    server.setTimeout(options.connectionTimeout);
    if (options.maxRequestsPerSocket) server.maxRequestsPerSocket = options.maxRequestsPerSocket;
    return server;
  };

  private dispatch(req: IncomingMessage, res: ServerResponse): void {
    if (this.open && req.method === 'GET') {
      const url = req.url as string;
      const q = url.indexOf('?');
      const path = q === -1 ? url : url.slice(0, q);
      const fast = this.routes.get(path);
      const answer = fast?.(q === -1 ? '' : url.slice(q + 1));
      if (answer) {
        void this.serve(req, res, path, answer);
        return;
      }
    }
    (this.fastify as Handler)(req, res);
  }

  private async serve(req: IncomingMessage, res: ServerResponse, path: string, answer: () => FastAnswer) {
    const started = performance.now();
    const stack = this.stack as FrontDoorStack;
    // As Fastify does: a child logger per request carrying its id, the request line first.
    const id = stack.requestLog ? `fd-${(this.nextId++).toString(36)}` : '';
    const log = stack.requestLog?.child({ reqId: id });
    try {
      const verdict = stack.rateLimit
        ? await stack.rateLimit(stack.clientAddress(req), req.url as string)
        : null;
      // Over the limit: Fastify counts it once more (still over) and answers its own 429.
      if (verdict?.isExceeded) return (this.fastify as Handler)(req, res);
      // The app's logger serializes `req` (logger.ts: method, path without query, id).
      log?.info({ req: { method: 'GET', url: path, id } }, 'incoming request');
      const { contentType, body } = answer();
      // The order Fastify writes them in: onRequest hooks (security headers, then the route's
      // rate limit), then the reply's type and length. As a flat [name, value, …] list, which node
      // writes as it is: an object of these 16 headers, copied per request, made the answer cost
      // 158–176 µs of server CPU instead of 82–87 (bench/profile-nearest.ts --ab, same run).
      const headers = this.headerList.slice();
      if (verdict && !verdict.isAllowed) {
        headers.push('x-ratelimit-limit', String(verdict.max));
        headers.push('x-ratelimit-remaining', String(verdict.remaining));
        headers.push('x-ratelimit-reset', String(verdict.ttlInSeconds));
      }
      headers.push('content-type', contentType, 'content-length', String(body.length));
      res.writeHead(200, headers);
      // The body as a one-byte string of its own bytes (latin1 maps bytes to characters 1:1):
      // node then sends head and body as one string in one write; given a Buffer, it queues the
      // head apart and sends both with writev. 1.04–1.05× req/s (profile-nearest --ab).
      res.end(body.toString('latin1'), 'latin1');
      this.answered++;
      const elapsed = performance.now() - started;
      stack.observe('GET', path, 200, elapsed / 1000);
      log?.info({ res: { statusCode: 200 }, responseTime: elapsed }, 'request completed');
    } catch {
      // Unexpected: Fastify's route answers (and its error handler logs) as for any request.
      if (!res.headersSent) (this.fastify as Handler)(req, res);
      else res.destroy();
    }
  }
}
