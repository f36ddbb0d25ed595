/** Texts of the admin console (namespace `admin`), French first; and its error messages. */
import type { TFunction } from 'i18next';
import { ApiError, errorCode } from '../api/client.ts';
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
  if (!(code in fr.errors)) return errorMessage(appT, caught);
  const said = t(`errors.${code as keyof typeof fr.errors}`);
  // A file of hundreds of communes: the server names the feature that is wrong.
  const detail =
    caught instanceof ApiError && code === 'HAVRE_ERR_INVALID_GEOJSON' ? caught.detail : undefined;
  return detail ? `${said} (${t('detail')} ${detail})` : said;
}
