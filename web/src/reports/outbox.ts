/**
 * The reports this phone knows about, in its own IndexedDB (never on the account):
 *   - "mes signalements": category, role, date and status of each report made here;
 *   - "envois en attente": the full body of reports not yet acknowledged by the server
 *     (made offline, or while the session had expired), deleted as soon as the server answers 201.
 * A queued report is sent when the network returns (`online` event), when the report screens
 * open, every minute while they are open, by Background Sync where the browser has it, and
 * by the service worker when the app starts (public/report-outbox-sw.js mirrors `flush`).
 * One Web Lock around every flush, shared with the service worker, so no report goes twice.
 */
import { type DBSchema, type IDBPDatabase, openDB } from 'idb';
import type { ReportCategory, ReportRole } from '../../../src/shared/reports.ts';
import { ApiError, CLIENT_ERRORS } from '../api/client.ts';
import { type ReportBody, reportsApi } from './api.ts';

export const OUTBOX_DB = 'havre-reports';
export const HISTORY_STORE = 'mes signalements';
export const QUEUE_STORE = 'envois en attente';
/** Same names in public/report-outbox-sw.js. */
export const OUTBOX_LOCK = 'havre-reports-outbox';
export const OUTBOX_SYNC_TAG = 'havre-reports-outbox';
export const OUTBOX_CHANNEL = 'havre-reports';

export type ReportStatus = 'queued' | 'sent' | 'refused';

export interface HistoryEntry {
  id: string;
  category: ReportCategory;
  role: ReportRole;
  /** When it happened (ISO): shown to the person on their own phone only. */
  date: string;
  status: ReportStatus;
  /** Error code when the server refused it for good. */
  error?: string;
}

interface QueuedReport {
  id: string;
  body: ReportBody;
  queuedAt: string;
  /** Idempotency key of every attempt at this report (send.ts); absent in reports queued before it existed. */
  key?: string;
}

interface OutboxSchema extends DBSchema {
  'mes signalements': { key: string; value: HistoryEntry };
  'envois en attente': { key: string; value: QueuedReport };
}

let opening: Promise<IDBPDatabase<OutboxSchema>> | null = null;

function database(): Promise<IDBPDatabase<OutboxSchema>> {
  opening ??= openDB<OutboxSchema>(OUTBOX_DB, 1, {
    upgrade(db) {
      db.createObjectStore(HISTORY_STORE, { keyPath: 'id' });
      db.createObjectStore(QUEUE_STORE, { keyPath: 'id' });
    },
  }).catch((error: unknown) => {
    opening = null; // storage disabled (private mode): try again next time
    throw error;
  });
  return opening;
}

/** Screens listen to this to refresh statuses (changes from the service worker arrive too). */
export const outboxEvents = new EventTarget();
const channel = typeof BroadcastChannel === 'undefined' ? null : new BroadcastChannel(OUTBOX_CHANNEL);
channel?.addEventListener('message', () => outboxEvents.dispatchEvent(new Event('change')));
function changed() {
  outboxEvents.dispatchEvent(new Event('change'));
  channel?.postMessage('change');
}

const entryOf = (id: string, body: ReportBody, status: ReportStatus, error?: string): HistoryEntry => ({
  id,
  category: body.category,
  role: body.role,
  date: body.occurredAt,
  status,
  ...(error ? { error } : {}),
});

/** Codes after which trying again later can succeed: the report stays queued. */
export function isRetryable(error: unknown): boolean {
  if (!(error instanceof ApiError)) return true;
  if (error.code === CLIENT_ERRORS.network || error.code === CLIENT_ERRORS.unexpected) return true;
  return (
    error.status === 401 ||
    error.status === 408 ||
    error.status >= 500 ||
    error.code === 'HAVRE_ERR_TOO_MANY_REQUESTS' ||
    error.code === 'HAVRE_ERR_CSRF'
  );
}

export async function recordSent(id: string, body: ReportBody): Promise<void> {
  try {
    await (await database()).put(HISTORY_STORE, entryOf(id, body, 'sent'));
    changed();
  } catch {
    // The report reached the server; only the phone's own list misses it.
  }
}

/** Keeps the report on the phone until the server acknowledges it. Throws if storage is unavailable. */
export async function enqueue(id: string, body: ReportBody, key: string): Promise<void> {
  const db = await database();
  const tx = db.transaction([QUEUE_STORE, HISTORY_STORE], 'readwrite');
  await Promise.all([
    tx.objectStore(QUEUE_STORE).put({ id, body, queuedAt: new Date().toISOString(), key }),
    tx.objectStore(HISTORY_STORE).put(entryOf(id, body, 'queued')),
    tx.done,
  ]);
  changed();
  void requestBackgroundSync();
}

async function requestBackgroundSync(): Promise<void> {
  try {
    const registration = await navigator.serviceWorker?.getRegistration();
    const sync = (registration as { sync?: { register(tag: string): Promise<void> } } | undefined)?.sync;
    await sync?.register(OUTBOX_SYNC_TAG);
  } catch {
    // No Background Sync here: the online event and the next app start send it.
  }
}

function withLock<T>(work: () => Promise<T>): Promise<T> {
  const locks = typeof navigator !== 'undefined' ? navigator.locks : undefined;
  // request() resolves with what the callback's promise resolves to.
  return locks ? (locks.request(OUTBOX_LOCK, work) as unknown as Promise<T>) : work();
}

/** Sends the queued reports, oldest first; stops at the first one the network or session holds back. */
export function flush(): Promise<{ sent: number; left: number }> {
  return withLock(async () => {
    let db: IDBPDatabase<OutboxSchema>;
    try {
      db = await database();
    } catch {
      return { sent: 0, left: 0 };
    }
    const queued = (await db.getAll(QUEUE_STORE)).sort((a, b) => a.queuedAt.localeCompare(b.queuedAt));
    let sent = 0;
    for (const item of queued) {
      let status: ReportStatus = 'sent';
      let code: string | undefined;
      try {
        await reportsApi.submit(item.body, item.key);
      } catch (error) {
        if (isRetryable(error)) break;
        status = 'refused';
        code = error instanceof ApiError ? error.code : undefined;
      }
      const tx = db.transaction([QUEUE_STORE, HISTORY_STORE], 'readwrite');
      await Promise.all([
        tx.objectStore(QUEUE_STORE).delete(item.id),
        tx.objectStore(HISTORY_STORE).put(entryOf(item.id, item.body, status, code)),
        tx.done,
      ]);
      if (status === 'sent') sent += 1;
      changed();
    }
    return { sent, left: await db.count(QUEUE_STORE) };
  });
}

export async function history(): Promise<HistoryEntry[]> {
  const entries = await (await database()).getAll(HISTORY_STORE);
  return entries.sort((a, b) => b.date.localeCompare(a.date));
}

export async function statusOf(id: string): Promise<ReportStatus | undefined> {
  try {
    return (await (await database()).get(HISTORY_STORE, id))?.status;
  } catch {
    return undefined;
  }
}

/** Forgets everything this phone knows about its reports, queued ones included. */
export async function clearHistory(): Promise<void> {
  const db = await database();
  const tx = db.transaction([QUEUE_STORE, HISTORY_STORE], 'readwrite');
  await Promise.all([tx.objectStore(QUEUE_STORE).clear(), tx.objectStore(HISTORY_STORE).clear(), tx.done]);
  changed();
}

let started = false;
/** Once per page: send what is waiting now, when the network returns, and every minute. */
export function startOutbox(): void {
  if (started) return;
  started = true;
  const attempt = () => {
    if (navigator.onLine !== false) flush().catch(() => {});
  };
  window.addEventListener('online', attempt);
  window.setInterval(attempt, 60_000);
  attempt();
}
