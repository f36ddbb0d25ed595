/**
 * Web Push (RFC 8030 + RFC 8291 payload encryption + RFC 8292 VAPID) through `web-push`.
 * The VAPID key pair is generated once and stored in the database, so every instance of a
 * scaled-out Havre signs with the same key and browser subscriptions survive restarts.
 * A push carries a title, a short text and a link — never a position.
 */
import type { AgentOptions } from 'node:https';
import type { Kysely } from 'kysely';
import webpush from 'web-push';
import type { Schema } from '../db/schema.ts';
import type { Config } from '../server/config.ts';
import { endpointProblem, guardedAgent } from './endpoint-guard.ts';

export interface PushMessage {
  title: string;
  body: string;
  /** Page to open on click (same origin). */
  url: string;
  /** Replaces an earlier notification with the same tag on the device. */
  tag?: string;
}

export interface PushTarget {
  endpoint: string;
  p256dh: string;
  auth: string;
}

export interface PushTransport {
  /** 'gone': the push service says the subscription no longer exists (404/410). */
  send(target: PushTarget, message: PushMessage): Promise<'sent' | 'gone'>;
  publicKey(): Promise<string>;
}

export interface VapidKeys {
  publicKey: string;
  privateKey: string;
}

/** Reads the VAPID keys, generating them on first use (two instances racing agree on one). */
export async function loadVapidKeys(db: Kysely<Schema>, now: number): Promise<VapidKeys> {
  const read = () =>
    db.selectFrom('notify_settings').select('value').where('name', '=', 'vapid').executeTakeFirst();
  const existing = await read();
  if (existing) return JSON.parse(existing.value) as VapidKeys;
  const keys = webpush.generateVAPIDKeys();
  await db
    .insertInto('notify_settings')
    .values({ name: 'vapid', value: JSON.stringify(keys), created_at: now })
    .onConflict((oc) => oc.column('name').doNothing())
    .execute();
  const stored = await read();
  return JSON.parse(stored!.value) as VapidKeys;
}

/** VAPID `sub`: the public https URL, else the mailbox of HAVRE_MAIL_FROM. */
export function vapidSubject(config: Config): string {
  if (config.publicUrl.startsWith('https:')) return config.publicUrl;
  const address = /<([^>]+)>/.exec(config.mailFrom)?.[1] ?? config.mailFrom;
  return `mailto:${address.trim()}`;
}

/** Loopback push services are for development servers (http public URL) only. */
export const allowsLoopbackPush = (config: Config): boolean => config.publicUrl.startsWith('http:');

export function webPushTransport(
  db: Kysely<Schema>,
  config: Config,
  now: () => number,
  /** Extra TLS options of the push agent (a test CA); the address guard always applies. */
  options: { agentOptions?: AgentOptions } = {},
): PushTransport {
  const allowLoopback = allowsLoopbackPush(config);
  const agent = guardedAgent(allowLoopback, options.agentOptions);
  let keys: Promise<VapidKeys> | null = null;
  const vapid = () => {
    keys ??= loadVapidKeys(db, now()).catch((error) => {
      keys = null;
      throw error;
    });
    return keys;
  };
  return {
    async publicKey() {
      return (await vapid()).publicKey;
    },
    async send(target, message) {
      // Checked again at send time: the subscription may predate the rule, or its name may now
      // resolve elsewhere. Not a push service: forgotten like an expired subscription.
      if (await endpointProblem(target.endpoint, allowLoopback)) return 'gone';
      const { publicKey, privateKey } = await vapid();
      try {
        await webpush.sendNotification(
          { endpoint: target.endpoint, keys: { p256dh: target.p256dh, auth: target.auth } },
          JSON.stringify(message),
          {
            vapidDetails: { subject: vapidSubject(config), publicKey, privateKey },
            TTL: 6 * 3600,
            urgency: 'high',
            timeout: 10_000,
            agent,
          },
        );
        return 'sent';
      } catch (error) {
        const status = (error as { statusCode?: number }).statusCode;
        if (status === 404 || status === 410) return 'gone';
        if ((error as { code?: string }).code === 'EPRIVATEADDRESS') return 'gone'; // rebinding
        // Keep the status only: the message of a WebPushError names the endpoint.
        throw Object.assign(new Error('push delivery failed'), {
          name: 'WebPushError',
          code: String(status ?? 'network'),
        });
      }
    },
  };
}
