/**
 * Territories: the list (each with its dashboard), deletion after a confirmation that names it,
 * and the import of a GeoJSON file (Feature or FeatureCollection, as `havre territory import`).
 */
import { type FormEvent, useId, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { FormAlert, FormStatus, SubmitButton } from '../app/form.tsx';
import { PATHS } from '../app/paths.ts';
import { useSubmit } from '../app/use-submit.ts';
import { adminApi, type TerritorySummary } from './api.ts';
import { adminErrorMessage, useAdminT } from './i18n.ts';

export function TerritoriesSection({
  territories,
  reload,
}: {
  territories: TerritorySummary[];
  reload: () => Promise<void>;
}) {
  const { t } = useAdminT();
  const { t: appT } = useTranslation();
  const id = useId();
  const describe = (caught: unknown) => adminErrorMessage(t, appT, caught);
  const form = useSubmit(describe);
  const removal = useSubmit(describe);
  const [file, setFile] = useState<File | null>(null);
  const [status, setStatus] = useState<string | null>(null);
  const [confirming, setConfirming] = useState<TerritorySummary | null>(null);

  const onImport = (event: FormEvent) => {
    event.preventDefault();
    setStatus(null);
    if (!file) return form.fail(t('territories.noFile'));
    return form.run(async () => {
      let geojson: unknown;
      try {
        geojson = JSON.parse(await file.text());
      } catch {
        return form.fail(t('territories.notJson'));
      }
      const result = await adminApi.importTerritories(geojson);
      // Said once the list shows it, so what is announced and what is seen agree.
      const imported = t('territories.imported', { ...result, codes: result.codes.join(', ') });
      const moved = result.placesMoved
        ? ` ${t('territories.placesMoved', { count: result.placesMoved })}`
        : '';
      await reload().finally(() => setStatus(imported + moved));
    });
  };

  const remove = (territory: TerritorySummary) =>
    removal.run(async () => {
      await adminApi.deleteTerritory(territory.code);
      setConfirming(null);
      await reload().finally(() => setStatus(t('territories.deleted', { name: territory.name })));
    });

  return (
    <section className="card" aria-labelledby={`${id}-title`}>
      <h2 id={`${id}-title`}>{t('territories.title')}</h2>
      <FormStatus message={status} />
      <FormAlert message={removal.error} attempt={removal.attempt} />
      {territories.length === 0 ? (
        <p>{t('territories.none')}</p>
      ) : (
        <>
          <p className="aside">{t('territories.count', { count: territories.length })}</p>
          <ul className="admin-list">
            {territories.map((territory) => (
              <li key={territory.code}>
                <span>
                  <strong>{territory.name}</strong> · {territory.code} ·{' '}
                  {t(`territories.kind.${territory.kind}`)}
                </span>
                {confirming?.code === territory.code ? (
                  <span className="actions">
                    <span>
                      {t('territories.confirmDelete', { name: territory.name, code: territory.code })}
                    </span>
                    <button type="button" className="button danger small" onClick={() => remove(territory)}>
                      {t('territories.confirm')}
                    </button>
                    <button
                      type="button"
                      className="button secondary small"
                      onClick={() => setConfirming(null)}
                    >
                      {t('territories.cancel')}
                    </button>
                  </span>
                ) : (
                  <span className="actions">
                    <Link className="button secondary small" to={`${PATHS.dashboard}/${territory.code}`}>
                      {t('territories.dashboard')}
                    </Link>
                    <button
                      type="button"
                      className="button secondary small"
                      aria-label={`${t('territories.delete')} ${territory.name}`}
                      onClick={() => setConfirming(territory)}
                    >
                      {t('territories.delete')}
                    </button>
                  </span>
                )}
              </li>
            ))}
          </ul>
        </>
      )}
      <form className="form" noValidate onSubmit={onImport}>
        <h3>{t('territories.importTitle')}</h3>
        <p className="field-hint" id={`${id}-hint`}>
          {t('territories.importHint')}
        </p>
        <FormAlert message={form.error} attempt={form.attempt} />
        <div className="field">
          <label htmlFor={`${id}-file`}>{t('territories.file')}</label>
          <input
            id={`${id}-file`}
            type="file"
            accept=".geojson,.json,application/geo+json,application/json"
            aria-describedby={`${id}-hint`}
            onChange={(event) => setFile(event.target.files?.[0] ?? null)}
          />
        </div>
        <SubmitButton
          busy={form.busy}
          label={t('territories.import')}
          busyLabel={t('territories.importing')}
        />
      </form>
    </section>
  );
}
