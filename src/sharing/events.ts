/**
 * What changes who may receive what, announced on the bus so that every instance's relay
 * applies it to its own sockets (the instance that made the change included). Handlers
 * run synchronously with a MemoryBus: once `publish` resolves, the local sockets are updated.
 */
import type { Bus } from '../bus/bus.ts';
import type { EndReason, ShareStatus, ShareVisibility } from './tables.ts';

export const SHARING_TOPIC = 'sharing.events';
/** Positions between instances; only used when a shared bus (Redis) is configured. */
export const SHARING_POSITIONS_TOPIC = 'sharing.positions';

export type SharingEvent =
  /** Status or visibility changed (alert, "I'm OK", SOS, SOS cancelled). */
  | { t: 'session'; share: string; status: ShareStatus; visibility: ShareVisibility }
  /** Session ended (arrived, limit): every socket of the room is told why, then closed. */
  | { t: 'ended'; share: string; reason?: EndReason }
  /** Relationship owner → contact ended: the contact's sockets in the owner's rooms close. */
  | { t: 'revoke-contact'; owner: string; contact: string }
  /** A guest link was revoked. */
  | { t: 'revoke-guest'; link: string }
  /** Ask the sharer "are you OK?" on their open sockets. */
  | { t: 'question'; share: string; reason: 'overdue' | 'still' }
  /**
   * The sharer answered "I'm OK" or chose a new time: her other screens drop the question and
   * read the next one's time; when the expected arrival or end `moved`, the watchers see it too.
   */
  | { t: 'times'; share: string; expectedArrival: number | null; until: number | null; moved: boolean };

export interface RemotePosition {
  origin: string;
  share: string;
  seq: number;
  c: string;
}

export const announce = (bus: Bus, event: SharingEvent): Promise<void> => bus.publish(SHARING_TOPIC, event);
