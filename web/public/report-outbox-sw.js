/*
 * Havre service worker, reports kept on this phone (imported by the generated sw.js, see
 * web/vite.config.ts). It mirrors `flush` of web/src/reports/outbox.ts — same database, stores,
 * lock and status rules — so that a report made offline is sent even when the app is closed
 * (Background Sync, where the browser has it) or as soon as the app starts again (the first
 * navigation wakes this worker). Plain JavaScript: it is served as is, not bundled.
 */
(() => {
  const DB = 'havre-reports';
  const HISTORY = 'mes signalements';
  const QUEUE = 'envois en attente';
  const LOCK = 'havre-reports-outbox';
  const SYNC_TAG = 'havre-reports-outbox';
  const channel = typeof BroadcastChannel === 'function' ? new BroadcastChannel('havre-reports') : null;

  const done = (request) =>
    new Promise((resolve, reject) => {
      request.onsuccess = () => resolve(request.result);
      request.onerror = () => reject(request.error);
    });

  /** Opens the app's database if the app created it; never creates an empty one. */
  const open = () =>
    new Promise((resolve) => {
      const request = indexedDB.open(DB);
      request.onupgradeneeded = () => request.transaction.abort();
      request.onsuccess = () => {
        const db = request.result;
        if (!db.objectStoreNames.contains(QUEUE)) {
          db.close();
          resolve(null);
          return;
        }
        db.onversionchange = () => db.close(); // let a newer app upgrade it
        resolve(db);
      };
      request.onerror = () => resolve(null);
      request.onblocked = () => resolve(null);
    });

  const codeOf = async (response) => {
    try {
      const problem = await response.json();
      return typeof problem.code === 'string' ? problem.code : null;
    } catch {
      return null;
    }
  };

  /** Same rule as `isRetryable` in outbox.ts. */
  const retryable = (status, code) =>
    code === null ||
    status === 401 ||
    status === 408 ||
    status >= 500 ||
    code === 'HAVRE_ERR_TOO_MANY_REQUESTS' ||
    code === 'HAVRE_ERR_CSRF';

  async function flush() {
    const db = await open();
    if (!db) return;
    try {
      const queued = await done(db.transaction(QUEUE).objectStore(QUEUE).getAll());
      queued.sort((a, b) => (a.queuedAt < b.queuedAt ? -1 : 1));
      for (const item of queued) {
        const response = await fetch('/api/reports', {
          method: 'POST',
          credentials: 'same-origin',
          headers: {
            accept: 'application/json',
            'content-type': 'application/json',
            // Same key as every earlier attempt: a report stored whose answer was lost is not stored twice.
            ...(item.key ? { 'idempotency-key': item.key } : {}),
          },
          body: JSON.stringify(item.body),
        });
        let status = 'sent';
        let code = null;
        if (!response.ok) {
          code = await codeOf(response);
          // Rejecting makes Background Sync try again later.
          if (retryable(response.status, code)) throw new Error(`report held back (${response.status})`);
          status = 'refused';
        }
        const entry = {
          id: item.id,
          category: item.body.category,
          role: item.body.role,
          date: item.body.occurredAt,
          status,
        };
        if (code) entry.error = code;
        const tx = db.transaction([QUEUE, HISTORY], 'readwrite');
        tx.objectStore(QUEUE).delete(item.id);
        tx.objectStore(HISTORY).put(entry);
        await new Promise((resolve, reject) => {
          tx.oncomplete = resolve;
          tx.onerror = () => reject(tx.error);
          tx.onabort = () => reject(tx.error);
        });
        channel?.postMessage('change');
      }
    } finally {
      db.close();
    }
  }

  const flushLocked = () => (self.navigator.locks ? self.navigator.locks.request(LOCK, flush) : flush());

  self.addEventListener('sync', (event) => {
    if (event.tag === SYNC_TAG) event.waitUntil(flushLocked());
  });

  // App start: opening any page of the app wakes this worker. Send what waits, without
  // holding the page back (the response comes from the precache as before).
  self.addEventListener('fetch', (event) => {
    if (event.request.mode === 'navigate') event.waitUntil(flushLocked().catch(() => {}));
  });
})();
