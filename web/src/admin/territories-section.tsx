/**
 * Territories: the list (each with its dashboard), deletion after a confirmation that names it,
 * and the import of a GeoJSON file (Feature or FeatureCollection, as `havre territory import`).
 * The confirmation's question takes the focus (its "Confirmer" is another button: a second
 * Enter does not delete unheard); "Annuler" gives the focus back to "Supprimer", and a
 * deletion to the message that says it.
 */
import { type FormEvent, useId, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { FormAlert, FormStatus, SubmitButton } from '../app/form.tsx';
import { PATHS } from '../app/paths.ts';
import { useSubmit } from '../app/use-submit.ts';
import { useToggleFocus } from '../app/use-toggle-focus.ts';
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
  /** `focus`: the message replaces what had the focus (a deleted territory's row). */
  const [status, setStatus] = useState<{ text: string; focus: boolean } | null>(null);

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
      await reload().finally(() => setStatus({ text: imported + moved, focus: false }));
    });
  };

  const remove = (territory: TerritorySummary) => {
    setStatus(null);
    return removal.run(async () => {
      await adminApi.deleteTerritory(territory.code);
      await reload().finally(() =>
        setStatus({ text: t('territories.deleted', { name: territory.name }), focus: true }),
      );
    });
  };

  return (
    <section className="card" aria-labelledby={`${id}-title`}>
      <h2 id={`${id}-title`}>{t('territories.title')}</h2>
      <FormStatus message={status?.text ?? null} focus={status?.focus} />
      <FormAlert message={removal.error} attempt={removal.attempt} />
      {territories.length === 0 ? (
        <p>{t('territories.none')}</p>
      ) : (
        <>
          <p className="aside">{t('territories.count', { count: territories.length })}</p>
          <ul className="admin-list">
            {territories.map((territory) => (
              <TerritoryRow key={territory.code} territory={territory} onDelete={remove} />
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

function TerritoryRow({
  territory,
  onDelete,
}: {
  territory: TerritorySummary;
  onDelete(territory: TerritorySummary): Promise<void>;
}) {
  const { t } = useAdminT();
  const id = useId();
  const {
    open: confirming,
    setOpen: setConfirming,
    opener,
    opened,
    closeOnEscape,
  } = useToggleFocus<HTMLButtonElement, HTMLSpanElement>();
  const { name, code } = territory;
  return (
    <li>
      <span>
        <strong>{name}</strong> · {code} · {t(`territories.kind.${territory.kind}`)}
      </span>
      {/* Distinct keys: React must not turn the focused "Supprimer" into "Confirmer la suppression". */}
      {confirming ? (
        <span
          key="confirm"
          className="actions"
          role="group"
          aria-labelledby={`${id}-question`}
          onKeyDown={closeOnEscape}
        >
          <span id={`${id}-question`} ref={opened} tabIndex={-1}>
            {t('territories.confirmDelete', { name, code })}
          </span>
          <button
            type="button"
            className="button danger small"
            aria-label={`${t('territories.confirm')} : ${name}`}
            onClick={() => onDelete(territory)}
          >
            {t('territories.confirm')}
          </button>
          <button
            type="button"
            className="button secondary small"
            aria-label={`${t('territories.cancel')} : ${name}`}
            onClick={() => setConfirming(false)}
          >
            {t('territories.cancel')}
          </button>
        </span>
      ) : (
        <span key="actions" className="actions">
          {/*
           * One link and button per territory, named after it ("Tableau de bord : Rouen"). Labels,
           * not hidden text: the row already shows the name once, where it is looked for.
           */}
          <Link
            className="button secondary small"
            to={`${PATHS.dashboard}/${code}`}
            aria-label={`${t('territories.dashboard')} : ${name}`}
          >
            {t('territories.dashboard')}
          </Link>
          <button
            ref={opener}
            type="button"
            className="button secondary small"
            aria-label={`${t('territories.delete')} ${name}`}
            onClick={() => setConfirming(true)}
          >
            {t('territories.delete')}
          </button>
        </span>
      )}
    </li>
  );
}
