/**
 * An SOS from this browser, once the countdown has run out: prepare the keys (a new session
 * key wrapped for every device of every trusted contact, or the running session's key), ask
 * the server to alert everyone and switch to live, then send positions at the urgent rate.
 * When the server cannot be reached it keeps trying (every few seconds, at once when the
 * network returns) and the screen offers a text message meanwhile. One SOS per tab.
 */
import { generateSessionKey, type Position } from '../../../src/shared/envelope.ts';
import { ApiError, errorCode } from '../api/client.ts';
import {
  type CancelProof,
  isUnreachable,
  type RecipientKey,
  type ShareView,
  sharingApi,
} from '../sharing/api.ts';
import { Observable } from '../sharing/observable.ts';
import { watchPosition } from '../sharing/position-source.ts';
import { runningSharer, runSharer } from '../sharing/sharer.ts';
import { followerDevices, loadContacts, wrapForDevices } from '../sharing/start-share.ts';
import { getShare, listShares, putShare, type ShareRecord } from '../sharing/store.ts';

export interface SosState {
  phase: 'idle' | 'sending' | 'sent' | 'retrying' | 'failed' | 'cancelled' | 'stopped';
  sosId: string | null;
  shareId: string | null;
  /** Error code of the last refusal (not of an unreachable server). */
  error: string | null;
  attempts: number;
  position: Position | null;
  geo: 'waiting' | 'ok' | 'denied' | 'unavailable';
  /** People alerted (trusted contacts who may follow me). */
  contacts: number;
  /** The session goes on after a cancel (it was a trip before the SOS). */
  continues: boolean;
}

const RETRY_MS = 5_000;

export class SosRun extends Observable<SosState> {
  private unwatch: (() => void) | null = null;
  private retry: ReturnType<typeof setTimeout> | null = null;
  private startedAt = 0;
  private key: CryptoKey | null = null;

  constructor(readonly userId: string) {
    super({
      phase: 'idle',
      sosId: null,
      shareId: null,
      error: null,
      attempts: 0,
      position: null,
      geo: 'waiting',
      contacts: 0,
      continues: false,
    });
  }

  /** Follows the position for the screen (coordinates to read out, the 114 text message). */
  watchPosition(): void {
    if (this.unwatch) return;
    this.unwatch = watchPosition({
      precise: true,
      fix: (p) =>
        this.set({
          position: {
            lat: p.coords.latitude,
            lon: p.coords.longitude,
            accuracy: Math.round(p.coords.accuracy),
            heading: null,
            speed: p.coords.speed,
            battery: null,
            t: p.timestamp,
          },
        }),
      state: (geo) => this.set({ geo }),
    });
  }

  /**
   * An SOS already running on the server (this page was reloaded, opened on another tab, or
   * the SOS was started from another phone: then this browser has no key for it and sends
   * nothing; the phone that started it does).
   */
  async adopt(share: ShareView): Promise<void> {
    if (!share.sos) return;
    // The sharer first: the screen follows its connection from the moment it shows `sent`.
    const record = await getShare(share.id);
    if (record) void runSharer(record).makeUrgent();
    // Said with `sent` ("your 2 contacts are alerted"): never "no trusted contact" by default.
    const contacts = await this.countContacts(share.recipients ?? []);
    this.set({ phase: 'sent', sosId: share.sos.id, shareId: share.id, contacts });
    window.removeEventListener('online', this.onOnline);
    this.watchPosition();
  }

  /**
   * Trusted contacts alerted by an SOS: all who follow me (those without a device by e-mail);
   * when the list cannot be had, those of `keyed` (devices or recipients, by contact).
   */
  private async countContacts(keyed: { contactId: string }[]): Promise<number> {
    const contacts = await loadContacts(this.userId).catch(() => null);
    if (contacts) return contacts.contacts.followers.length;
    return new Set(keyed.map((k) => k.contactId)).size;
  }

  async trigger(): Promise<void> {
    if (!['idle', 'cancelled', 'stopped'].includes(this.get().phase)) return;
    this.startedAt = Date.now();
    this.set({ phase: 'sending', error: null, attempts: 0, sosId: null, shareId: null, continues: false });
    this.watchPosition();
    window.addEventListener('online', this.onOnline);
    await this.attempt();
  }

  private readonly onOnline = () => {
    if (this.get().phase === 'retrying') void this.attempt();
  };

  /** The running session of mine whose key this browser holds, if any. */
  private async runningRecord(): Promise<ShareRecord | null> {
    const local = await listShares(this.userId);
    if (local.length === 0) return null;
    try {
      const { mine } = await sharingApi.shares();
      const running = mine.filter((s) => s.status !== 'ended' && local.some((l) => l.shareId === s.id));
      return local.find((l) => running.some((s) => s.id === l.shareId)) ?? null;
    } catch {
      return null;
    }
  }

  private async attempt(): Promise<void> {
    if (this.retry) clearTimeout(this.retry);
    this.retry = null;
    this.set({ attempts: this.get().attempts + 1, phase: this.get().attempts > 0 ? 'retrying' : 'sending' });
    try {
      // A lost answer may have started the SOS already: adopt it rather than alert twice.
      if (this.get().attempts > 1 && this.key && (await this.adoptLanded())) return;
      const existing = await this.runningRecord();
      let recipients: RecipientKey[] = [];
      const devices = await followerDevices(this.userId);
      this.set({ contacts: await this.countContacts(devices) });
      if (!existing) {
        this.key ??= await generateSessionKey();
        recipients = await wrapForDevices(this.key, devices);
      }
      const result = await sharingApi.sos(existing ? { shareId: existing.shareId } : { recipients });
      // Started meanwhile from another phone: that one sends the positions, with its key.
      if (result.alreadyRunning && result.share.id !== existing?.shareId) return this.adopt(result.share);
      const record: ShareRecord = existing ?? {
        shareId: result.share.id,
        userId: this.userId,
        key: this.key!,
        nextSeq: 0,
        stillMinutes: 0,
        urgent: true,
        createdAt: Date.now(),
      };
      record.urgent = true;
      await putShare(record);
      // Contacts who were not following this session before the SOS get its key now.
      if (existing && result.devicesWithoutKey.length > 0) {
        const keys = await wrapForDevices(record.key, result.devicesWithoutKey);
        if (keys.length > 0) await sharingApi.addKeys(record.shareId, keys).catch(() => {});
      }
      void runSharer(record).makeUrgent();
      this.set({ phase: 'sent', sosId: result.id, shareId: result.share.id });
      window.removeEventListener('online', this.onOnline);
    } catch (error) {
      if (isUnreachable(error) || !(error instanceof ApiError)) {
        this.set({ phase: 'retrying' });
        this.retry = setTimeout(() => void this.attempt(), RETRY_MS);
      } else {
        this.set({ phase: 'failed', error: errorCode(error) });
      }
    }
  }

  /** Whether an SOS of mine created since this run began is on the server; adopts it if so. */
  private async adoptLanded(): Promise<boolean> {
    const { mine } = await sharingApi.shares();
    const landed = mine.find((s) => s.sos && Date.parse(s.sos.createdAt) >= this.startedAt - 60_000);
    if (!landed?.sos) return false;
    if (!(await getShare(landed.id)) && this.key) {
      await putShare({
        shareId: landed.id,
        userId: this.userId,
        key: this.key,
        nextSeq: 0,
        stillMinutes: 0,
        urgent: true,
        createdAt: Date.now(),
      });
    }
    await this.adopt(landed);
    return true;
  }

  /** Cancels with the SOS PIN or the account password; contacts are told it is over. */
  async cancel(proof: CancelProof): Promise<void> {
    const { sosId } = this.get();
    if (!sosId) return this.stopTrying();
    const result = await sharingApi.cancelSos(sosId, proof);
    const sharer = runningSharer(result.shareId);
    if (result.ended) await sharer?.finish();
    else {
      const record = await getShare(result.shareId);
      if (record) {
        record.urgent = false;
        await putShare(record);
      }
    }
    this.stopTrying();
    this.set({ phase: 'cancelled', continues: !result.ended, sosId: null });
  }

  /** Stops retrying an SOS that never reached the server (the person cancelled it). */
  stopTrying(): void {
    if (this.retry) clearTimeout(this.retry);
    this.retry = null;
    window.removeEventListener('online', this.onOnline);
    if (this.get().phase !== 'sent') this.set({ phase: 'stopped', sosId: null });
    this.unwatch?.();
    this.unwatch = null;
  }
}

let current: SosRun | null = null;

/** The SOS of this tab for `userId` (one at a time). */
export function sosRun(userId: string): SosRun {
  if (!current || current.userId !== userId) current = new SosRun(userId);
  return current;
}

/**
 * An SOS of mine running on the server, taken up by this tab: its positions go out again at the
 * urgent rate (the SOS page was reloaded, or left for another page of the app). With
 * `onlyIfUrgentHere`, the server is asked only when this browser holds an urgent session (the
 * app's start, for every signed-in page load).
 */
export async function adoptRunningSos(userId: string, onlyIfUrgentHere = false): Promise<boolean> {
  const run = sosRun(userId);
  if (['sending', 'sent', 'retrying'].includes(run.get().phase)) return true;
  if (onlyIfUrgentHere && !(await listShares(userId)).some((record) => record.urgent)) return false;
  const { mine } = await sharingApi.shares().catch(() => ({ mine: [] as ShareView[] }));
  const running = mine.find((share) => share.sos && share.status !== 'ended');
  if (!running) return false;
  await run.adopt(running);
  return true;
}
