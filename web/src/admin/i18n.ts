/** Texts of the admin console (namespace `admin`), French first; and its error messages. */
import type { TFunction } from 'i18next';
import { errorCode } from '../api/client.ts';
import { errorMessage } from '../api/error-message.ts';
import { type Keys, registerNamespace, type Translate, useNamespace } from '../reports/namespace.ts';
import en from './i18n-en.ts';
import fr from './i18n-fr.ts';

registerNamespace('admin', fr, en);

export type AdminKey = Keys<typeof fr>;
export const useAdminT = () => useNamespace<AdminKey>('admin');

/** The console's own sentence for the codes it knows, else the app's. */
export function adminErrorMessage(t: Translate<AdminKey>, appT: TFunction, caught: unknown): string {
  const code = errorCode(caught);
  return code in fr.errors ? t(`errors.${code as keyof typeof fr.errors}`) : errorMessage(appT, caught);
}
