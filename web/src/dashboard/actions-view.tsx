/**
 * City actions of a territory: the published list (edit, delete) and the editor. Focus follows
 * what the person did: to the form's title when it opens, back to the button that opened it on
 * "Annuler", to the success message once saved or deleted (the form or the row is gone), to the
 * question of a delete and back to its button when she keeps the action.
 */
import { useCallback, useEffect, useId, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { FormStatus } from '../app/form.tsx';
import { useToggleFocus } from '../app/use-toggle-focus.ts';
import { formatLocale } from '../i18n/locale.ts';
import type { ActionFeature } from '../reports/api.ts';
import { ActionForm } from './action-form.tsx';
import { dashboardApi, dashboardErrorMessage } from './api.ts';
import { useDashboardT } from './i18n.ts';
import type { TerritoryFeature } from './territories.ts';

/** The form of a new action (its opener is the "Nouvelle action" button). */
const NEW = 'new';

export default function ActionsView({ territory }: { territory: TerritoryFeature }) {
  const { t, lang } = useDashboardT();
  const { t: appT } = useTranslation();
  const code = territory.properties.code;
  const [actions, setActions] = useState<ActionFeature[] | null>(null);
  /** null: no form; 'new'; or the action being edited. */
  const [editing, setEditing] = useState<ActionFeature | typeof NEW | null>(null);
  const [status, setStatus] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const newButton = useRef<HTMLButtonElement>(null);
  const editButtons = useRef(new Map<string, HTMLButtonElement>());
  /** Set on "Annuler": the opener ('new' or an action id) that takes the focus once the form is gone. */
  const returnTo = useRef<string | null>(null);

  const load = useCallback(() => {
    dashboardApi.actions(code).then(
      (collection) => setActions(collection.features),
      (caught: unknown) => setError(dashboardErrorMessage(t, appT, caught)),
    );
  }, [code, t, appT]);
  useEffect(load, [load]);

  // After the form closed on "Annuler" (the "Nouvelle action" button is back in the page by now).
  useEffect(() => {
    if (editing !== null || returnTo.current === null) return;
    const target = editButtons.current.get(returnTo.current) ?? newButton.current;
    returnTo.current = null;
    target?.focus();
  }, [editing]);

  const open = (next: ActionFeature | typeof NEW) => {
    setStatus(null); // a new message later takes the focus, even when it reads the same
    setEditing(next);
  };

  /** Deletes; false when it failed (the row stays, its alert says why). */
  async function remove(action: ActionFeature): Promise<boolean> {
    setError(null);
    setStatus(null);
    try {
      await dashboardApi.deleteAction(code, action.id);
    } catch (caught) {
      setError(dashboardErrorMessage(t, appT, caught));
      return false;
    }
    // The row goes at once, with its focused button: the message takes the focus.
    setActions((list) => list?.filter((a) => a.id !== action.id) ?? null);
    if (editing !== null && editing !== NEW && editing.id === action.id) setEditing(null);
    setStatus(t('actions.deleted'));
    load();
    return true;
  }

  const day = new Intl.DateTimeFormat(formatLocale(lang), {
    dateStyle: 'long',
    timeZone: 'UTC',
  });
  const editingAction = editing === NEW ? null : editing;
  return (
    <>
      <p className="dashboard-intro">{t('actions.intro')}</p>
      {/* Saved or deleted: the form or the row has gone, the message takes the focus. */}
      <FormStatus message={status} focus />
      <div role="alert" className="form-alert-region">
        {error && <p className="form-alert">{error}</p>}
      </div>
      {editing ? (
        <ActionForm
          key={editingAction?.id ?? NEW}
          territory={territory}
          editing={editingAction}
          others={(actions ?? []).filter((a) => a.id !== editingAction?.id)}
          onSaved={(message) => {
            setStatus(message);
            setEditing(null);
            load();
          }}
          onCancel={() => {
            returnTo.current = editingAction?.id ?? NEW;
            setEditing(null);
          }}
        />
      ) : (
        <p>
          <button ref={newButton} type="button" className="button primary" onClick={() => open(NEW)}>
            {t('actions.create')}
          </button>
        </p>
      )}
      <section className="card" aria-labelledby="actions-list">
        <h2 id="actions-list">{t('actions.list')}</h2>
        {actions && actions.length === 0 && <p>{t('actions.none')}</p>}
        <ul className="dashboard-actions-list">
          {(actions ?? []).map((action) => (
            <ActionItem
              key={action.id}
              action={action}
              date={day.format(new Date(`${action.properties.date}T00:00:00Z`))}
              editRef={(element) => {
                if (element) editButtons.current.set(action.id, element);
                else editButtons.current.delete(action.id);
              }}
              onEdit={() => open(action)}
              onDelete={remove}
            />
          ))}
        </ul>
      </section>
    </>
  );
}

function ActionItem({
  action,
  date,
  editRef,
  onEdit,
  onDelete,
}: {
  action: ActionFeature;
  date: string;
  editRef(element: HTMLButtonElement | null): void;
  onEdit(): void;
  onDelete(action: ActionFeature): Promise<boolean>;
}) {
  const { t } = useDashboardT();
  const id = useId();
  // The question takes the focus when it opens; "Annuler" (or Escape) gives it back to "Supprimer".
  const {
    open: confirming,
    setOpen: setConfirming,
    opener,
    opened,
    closeOnEscape,
  } = useToggleFocus<HTMLButtonElement, HTMLParagraphElement>();
  const [busy, setBusy] = useState(false);
  const title = action.properties.title;

  const confirm = async () => {
    if (busy) return;
    setBusy(true);
    const deleted = await onDelete(action);
    // Deleted: this row is already gone. Failed: back to "Supprimer", the alert says why.
    if (!deleted) {
      setBusy(false);
      setConfirming(false);
    }
  };

  return (
    <li>
      <div>
        <h3>{title}</h3>
        <p className="field-hint">{date}</p>
        {action.properties.text && <p>{action.properties.text}</p>}
      </div>
      <div className="row-actions">
        <button ref={editRef} type="button" className="button secondary small" onClick={onEdit}>
          {t('actions.edit')}
          <span className="visually-hidden"> : {title}</span>
        </button>
        <button
          ref={opener}
          type="button"
          className="button danger small"
          onClick={() => setConfirming(true)}
        >
          {t('actions.delete')}
          <span className="visually-hidden"> : {title}</span>
        </button>
      </div>
      {confirming && (
        <div
          className="card danger-zone"
          role="alertdialog"
          aria-labelledby={`${id}-question`}
          onKeyDown={closeOnEscape}
        >
          <p id={`${id}-question`} ref={opened} tabIndex={-1}>
            {t('actions.deleteConfirm', { title })}
          </p>
          <p className="actions">
            <button
              type="button"
              className="button danger"
              aria-disabled={busy || undefined}
              onClick={() => void confirm()}
            >
              {t('actions.delete')}
            </button>
            <button type="button" className="button secondary" onClick={() => setConfirming(false)}>
              {t('actions.cancel')}
            </button>
          </p>
        </div>
      )}
    </li>
  );
}
