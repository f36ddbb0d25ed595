/** A button's action in sharing: the app's useSubmit, its errors in sharing's words. */
import { useCallback } from 'react';
import { useSubmit } from '../app/use-submit.ts';
import { sharingError, useT } from './i18n.ts';

export function useAction() {
  const t = useT();
  const describe = useCallback((caught: unknown) => sharingError(t, caught), [t]);
  return useSubmit(describe);
}
