/**
 * "Download my data" (GDPR art. 15 and 20): the JSON of GET /api/me/export, saved as a file named
 * in the language of the interface (havre-mes-donnees.json, havre-my-data.json), like the server's.
 */
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { exportFileName } from '../../../src/accounts/export-file-name.ts';
import { FormAlert, FormStatus } from '../app/form.tsx';
import { useSubmit } from '../app/use-submit.ts';
import { accountsApi } from './api.ts';

function saveFile(blob: Blob, name: string) {
  const url = URL.createObjectURL(blob);
  const link = document.createElement('a');
  link.href = url;
  link.download = name;
  document.body.append(link);
  link.click();
  link.remove();
  // The browser has started the download; free the memory a little later.
  setTimeout(() => URL.revokeObjectURL(url), 60_000);
}

export function DataExportSection() {
  const { t, i18n } = useTranslation();
  const fileName = exportFileName(i18n.language === 'en' ? 'en' : 'fr');
  const [saved, setSaved] = useState(false);
  const form = useSubmit();

  return (
    <section aria-labelledby="account-data" className="card">
      <h2 id="account-data">{t('account.dataTitle')}</h2>
      <p>{t('account.dataBody')}</p>
      <FormAlert message={form.error} attempt={form.attempt} />
      <FormStatus message={saved ? t('account.downloaded', { file: fileName }) : null} />
      <button
        type="button"
        className="button secondary"
        aria-disabled={form.busy || undefined}
        onClick={() =>
          form.run(async () => {
            setSaved(false);
            saveFile(await accountsApi.exportData(), fileName);
            setSaved(true);
          })
        }
      >
        {form.busy ? t('account.downloading') : t('account.download')}
      </button>
    </section>
  );
}
