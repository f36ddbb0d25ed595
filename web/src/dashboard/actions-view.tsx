/** City actions of a territory: the published list (edit, delete) and the editor. */
import { useCallback, useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { FormStatus } from '../app/form.tsx';
import { formatLocale } from '../i18n/locale.ts';
import type { ActionFeature } from '../reports/api.ts';
import { ActionForm } from './action-form.tsx';
import { dashboardApi, dashboardErrorMessage } from './api.ts';
import { useDashboardT } from './i18n.ts';
import type { TerritoryFeature } from './territories.ts';

export default function ActionsView({ territory }: { territory: TerritoryFeature }) {
  const { t, lang } = useDashboardT();
  const { t: appT } = useTranslation();
  const code = territory.properties.code;
  const [actions, setActions] = useState<ActionFeature[] | null>(null);
  /** null: no form; 'new'; or the action being edited. */
  const [editing, setEditing] = useState<ActionFeature | 'new' | null>(null);
  const [confirming, setConfirming] = useState<string | null>(null);
  const [status, setStatus] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);

  const load = useCallback(() => {
    dashboardApi.actions(code).then(
      (collection) => setActions(collection.features),
      (caught: unknown) => setError(dashboardErrorMessage(t, appT, caught)),
    );
  }, [code, t, appT]);
  useEffect(load, [load]);

  async function remove(action: ActionFeature) {
    setError(null);
    try {
      await dashboardApi.deleteAction(code, action.id);
      setStatus(t('actions.deleted'));
    } catch (caught) {
      setError(dashboardErrorMessage(t, appT, caught));
    }
    setConfirming(null);
    load();
  }

  const day = new Intl.DateTimeFormat(formatLocale(lang), {
    dateStyle: 'long',
    timeZone: 'UTC',
  });
  const editingAction = editing === 'new' ? null : editing;
  return (
    <>
      <p className="dashboard-intro">{t('actions.intro')}</p>
      <FormStatus message={status} />
      <div role="alert" className="form-alert-region">
        {error && <p className="form-alert">{error}</p>}
      </div>
      {editing ? (
        <ActionForm
          key={editingAction?.id ?? 'new'}
          territory={territory}
          editing={editingAction}
          others={(actions ?? []).filter((a) => a.id !== editingAction?.id)}
          onSaved={(message) => {
            setStatus(message);
            setEditing(null);
            load();
          }}
          onCancel={() => setEditing(null)}
        />
      ) : (
        <p>
          <button type="button" className="button primary" onClick={() => setEditing('new')}>
            {t('actions.create')}
          </button>
        </p>
      )}
      <section className="card" aria-labelledby="actions-list">
        <h2 id="actions-list">{t('actions.list')}</h2>
        {actions && actions.length === 0 && <p>{t('actions.none')}</p>}
        <ul className="dashboard-actions-list">
          {(actions ?? []).map((action) => (
            <li key={action.id}>
              <div>
                <h3>{action.properties.title}</h3>
                <p className="field-hint">{day.format(new Date(`${action.properties.date}T00:00:00Z`))}</p>
                {action.properties.text && <p>{action.properties.text}</p>}
              </div>
              <div className="row-actions">
                <button type="button" className="button secondary small" onClick={() => setEditing(action)}>
                  {t('actions.edit')}
                  <span className="visually-hidden"> : {action.properties.title}</span>
                </button>
                <button
                  type="button"
                  className="button danger small"
                  onClick={() => setConfirming(action.id)}
                >
                  {t('actions.delete')}
                  <span className="visually-hidden"> : {action.properties.title}</span>
                </button>
              </div>
              {confirming === action.id && (
                <div className="card danger-zone" role="alertdialog" aria-label={t('actions.delete')}>
                  <p>{t('actions.deleteConfirm', { title: action.properties.title })}</p>
                  <p className="actions">
                    <button type="button" className="button danger" onClick={() => remove(action)}>
                      {t('actions.delete')}
                    </button>
                    <button type="button" className="button secondary" onClick={() => setConfirming(null)}>
                      {t('actions.cancel')}
                    </button>
                  </p>
                </div>
              )}
            </li>
          ))}
        </ul>
      </section>
    </>
  );
}
