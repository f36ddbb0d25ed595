/** A button's action: busy flag, its error in this capability's words, no double runs. */
import { useCallback, useRef, useState } from 'react';
import { sharingError, useT } from './i18n.ts';

export function useAction() {
  const t = useT();
  const busyRef = useRef(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [attempt, setAttempt] = useState(0);

  const fail = useCallback((message: string) => {
    setError(message);
    setAttempt((n) => n + 1);
  }, []);

  const run = useCallback(
    async (work: () => Promise<void>) => {
      if (busyRef.current) return;
      busyRef.current = true;
      setBusy(true);
      setError(null);
      try {
        await work();
      } catch (caught) {
        fail(sharingError(t, caught));
      } finally {
        busyRef.current = false;
        setBusy(false);
      }
    },
    [fail, t],
  );

  return { busy, error, attempt, run, fail, clear: () => setError(null) };
}
