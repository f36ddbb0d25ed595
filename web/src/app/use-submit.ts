/**
 * The state of a form submission or a button's action: busy flag, the error to announce, and a
 * guard against double runs. `describe` puts a failure into words: the app's error messages by
 * default; a capability passes its own (sharing: use-action.ts), memoised so `run` stays stable.
 */
import { useCallback, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { errorMessage } from '../api/error-message.ts';

export type Submission = ReturnType<typeof useSubmit>;

export function useSubmit(describe?: (caught: unknown) => string) {
  const { t } = useTranslation();
  const busyRef = useRef(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [attempt, setAttempt] = useState(0);

  /** Shows a message in the form's live region. */
  const fail = useCallback((message: string) => {
    setError(message);
    setAttempt((n) => n + 1);
  }, []);

  /** Runs the work once at a time; an API error becomes a translated message. */
  const run = useCallback(
    async (work: () => Promise<void>) => {
      if (busyRef.current) return;
      busyRef.current = true;
      setBusy(true);
      setError(null);
      try {
        await work();
      } catch (caught) {
        fail(describe ? describe(caught) : errorMessage(t, caught));
      } finally {
        busyRef.current = false;
        setBusy(false);
      }
    },
    [fail, t, describe],
  );

  const clear = useCallback(() => setError(null), []);

  return { busy, error, attempt, run, fail, clear };
}
