/**
 * The name of the personal-data download (GET /api/me/export), in the account's language: the
 * server names the attachment, the web app names the file it saves and says which it was.
 */
export const exportFileName = (locale: 'fr' | 'en'): string =>
  locale === 'en' ? 'havre-my-data.json' : 'havre-mes-donnees.json';
