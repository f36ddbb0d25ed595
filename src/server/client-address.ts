/**
 * Who is the client: the address every per-client limit is keyed on (API rate limit, sign-in,
 * sign-up, SOS and invitation throttling).
 *
 * Behind a reverse proxy the socket's peer is the proxy, and the client is in X-Forwarded-For,
 * a header the client can also write. Only the entries added by proxies of this installation
 * can be believed, read from the right (the nearest hop) leftwards, stopping at the first hop
 * that is not one of them. Trusting every hop (`trustProxy: true`) believed the left-most entry,
 * which is the client's own text: `X-Forwarded-For: 10.9.$i.1` gave every request a fresh quota.
 *
 * One trust function decides for both paths that count requests — Fastify's `request.ip`
 * (given as its `trustProxy`) and the front door's fast routes (`clientAddress`) — so the two
 * cannot disagree.
 */
import type { IncomingMessage } from 'node:http';
import proxyAddr from '@fastify/proxy-addr';

/**
 * HAVRE_TRUST_PROXY, validated (config.ts): 0 trusts no proxy (the socket's peer is the
 * client); n trusts the n nearest hops whatever their address; a list trusts the hops whose
 * address is in it (addresses, CIDR ranges, or proxy-addr's `loopback`, `uniquelocal`, `linklocal`).
 */
export type TrustProxy = number | string[];

/** Whether the hop at `address`, `hop` steps from this server (0: the socket's peer), is a proxy of ours. */
export type ProxyTrust = (address: string, hop: number) => boolean;

/**
 * The trust function for a setting; false when no proxy is trusted (Fastify's own default).
 * Throws a TypeError naming a bad address or range.
 */
export function proxyTrust(setting: TrustProxy): ProxyTrust | false {
  if (Array.isArray(setting)) return setting.length > 0 ? proxyAddr.compile(setting) : false;
  if (setting <= 0) return false;
  // Not Fastify's numeric `trustProxy`: since 5.x it trusts no hop at all for a number (it
  // cannot check the peer's address). A hop count is safe only when nothing but the proxy can
  // reach Havre (HAVRE_HOST on loopback or a private address; docs/DEPLOY.md).
  return (_address, hop) => hop < setting;
}

/**
 * The client's address as Fastify's `request.ip` computes it with the same trust function:
 * the farthest address reached before the first hop that is not a trusted proxy.
 */
export function clientAddress(req: IncomingMessage, trust: ProxyTrust | false): string | undefined {
  if (!trust) return req.socket.remoteAddress;
  const addresses = proxyAddr.all(req, trust);
  return addresses[addresses.length - 1];
}
