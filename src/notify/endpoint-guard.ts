/**
 * Web Push endpoints are URLs this server POSTs to on a user's word: without a guard, anyone
 * with an account could make Havre send requests into the operator's private network (SSRF).
 * An endpoint must be https and resolve only to public addresses — checked at subscription
 * (a clear 400) and again at every connection (the lookup of the push agent), since a name
 * can resolve differently later (DNS rebinding). Loopback is allowed on a development server
 * (http public URL) only, for local push services in tests.
 */
import { lookup as dnsLookup, type LookupAddress } from 'node:dns';
import { Agent, type AgentOptions } from 'node:https';
import { BlockList, isIP, type LookupFunction } from 'node:net';

/** Not the public Internet: RFC 6890 special-purpose ranges that a push service never uses. */
const PRIVATE = new BlockList();
for (const [net, prefix] of [
  ['0.0.0.0', 8], // "this network"
  ['10.0.0.0', 8],
  ['100.64.0.0', 10], // carrier-grade NAT
  ['169.254.0.0', 16], // link-local (cloud metadata at 169.254.169.254)
  ['172.16.0.0', 12],
  ['192.0.0.0', 24],
  ['192.0.2.0', 24],
  ['192.168.0.0', 16],
  ['198.18.0.0', 15],
  ['198.51.100.0', 24],
  ['203.0.113.0', 24],
  ['224.0.0.0', 4], // multicast
  ['240.0.0.0', 4], // reserved, broadcast
] as const)
  PRIVATE.addSubnet(net, prefix, 'ipv4');
for (const [net, prefix] of [
  ['::', 128],
  ['64:ff9b::', 96], // NAT64: an IPv4 address behind it
  ['100::', 64], // discard
  ['2001:db8::', 32], // documentation
  ['fc00::', 7], // unique local
  ['fe80::', 10], // link-local
  ['ff00::', 8], // multicast
] as const)
  PRIVATE.addSubnet(net, prefix, 'ipv6');
const LOOPBACK = new BlockList();
LOOPBACK.addSubnet('127.0.0.0', 8, 'ipv4');
LOOPBACK.addAddress('::1', 'ipv6');

export type AddressKind = 'public' | 'loopback' | 'private';

/** What kind of address `ip` is; IPv4-mapped IPv6 (`::ffff:10.0.0.1`) counts as its IPv4. */
export function addressKind(ip: string): AddressKind {
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(ip)?.[1];
  const address = mapped ?? ip;
  const family = isIP(address) === 6 ? 'ipv6' : 'ipv4';
  if (LOOPBACK.check(address, family)) return 'loopback';
  if (PRIVATE.check(address, family)) return 'private';
  return 'public';
}

const allowed = (kind: AddressKind, allowLoopback: boolean) =>
  kind === 'public' || (kind === 'loopback' && allowLoopback);

/** The addresses of `host`, or null if it does not resolve within 2 s (a slow resolver must not hold a request). */
function resolveAll(host: string): Promise<LookupAddress[] | null> {
  return new Promise((resolve) => {
    const timer = setTimeout(() => resolve(null), 2_000);
    dnsLookup(host, { all: true, verbatim: true }, (error, addresses) => {
      clearTimeout(timer);
      resolve(error ? null : addresses);
    });
  });
}

/**
 * Why `endpoint` is refused, or null when it may be used. A name that does not resolve now is
 * not refused here (the connection-time guard still applies).
 */
export async function endpointProblem(endpoint: string, allowLoopback: boolean): Promise<string | null> {
  let url: URL;
  try {
    url = new URL(endpoint);
  } catch {
    return 'not a URL';
  }
  if (url.protocol !== 'https:') return 'not https';
  if (url.username || url.password) return 'credentials in the URL';
  // Brackets of IPv6 literals; the trailing dot of a fully qualified name (`localhost.`).
  const host = url.hostname
    .replace(/^\[|\]$/g, '')
    .replace(/\.$/, '')
    .toLowerCase();
  if (isIP(host)) return allowed(addressKind(host), allowLoopback) ? null : 'private address';
  if (host === 'localhost' || host.endsWith('.localhost')) return allowLoopback ? null : 'private address';
  const addresses = await resolveAll(host);
  if (addresses?.some((a) => !allowed(addressKind(a.address), allowLoopback)))
    return 'resolves to a private address';
  return null;
}

/** A `lookup` that fails the connection when the name resolves to any refused address. */
export function guardedLookup(allowLoopback: boolean): LookupFunction {
  return (hostname, options, callback) => {
    dnsLookup(hostname, { ...options, all: true }, (error, addresses) => {
      if (error) return callback(error, '', 4);
      const list = addresses as LookupAddress[];
      if (list.length === 0 || list.some((a) => !allowed(addressKind(a.address), allowLoopback))) {
        const refused = Object.assign(new Error('push endpoint resolves to a private address'), {
          code: 'EPRIVATEADDRESS',
        });
        return callback(refused, '', 4);
      }
      if ((options as { all?: boolean }).all)
        return (callback as (e: null, a: LookupAddress[]) => void)(null, list);
      callback(null, list[0].address, list[0].family);
    });
  };
}

/** The https agent for push deliveries: every connection goes through the guarded lookup. */
export function guardedAgent(allowLoopback: boolean, options: AgentOptions = {}): Agent {
  return new Agent({ keepAlive: true, ...options, lookup: guardedLookup(allowLoopback) });
}
