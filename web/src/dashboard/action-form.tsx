/** Publish or edit a city action: title, text, date, and its area (drawn on the map or typed as GeoJSON). */
import { type FormEvent, lazy, Suspense, useEffect, useId, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ACTION_LIMITS } from '../../../src/shared/reports.ts';
import { FormAlert, focusOnMount, SubmitButton, TextField } from '../app/form.tsx';
import { useSubmit } from '../app/use-submit.ts';
import type { ActionFeature } from '../reports/api.ts';
import {
  type AreaDraft,
  areaText,
  EMPTY_AREA,
  fromAction,
  isComplete,
  parseAreaText,
  toApiArea,
} from './action-area.ts';
import { dashboardApi, dashboardErrorMessage } from './api.ts';
import { useDashboardT } from './i18n.ts';
import type { TerritoryFeature } from './territories.ts';

const AreaEditor = lazy(() => import('./area-editor.tsx'));

/** Today on the staff member's own calendar (the UTC date is yesterday's until 01:00 in Paris). */
const todayIso = () => {
  const d = new Date();
  return `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}-${String(d.getDate()).padStart(2, '0')}`;
};

export function ActionForm({
  territory,
  editing,
  others,
  onSaved,
  onCancel,
}: {
  territory: TerritoryFeature;
  editing: ActionFeature | null;
  others: ActionFeature[];
  onSaved(message: string): void;
  onCancel(): void;
}) {
  const { t } = useDashboardT();
  const { t: appT } = useTranslation();
  const id = useId();
  const submission = useSubmit();
  const [title, setTitle] = useState(editing?.properties.title ?? '');
  const [text, setText] = useState(editing?.properties.text ?? '');
  const [date, setDate] = useState(editing?.properties.date ?? todayIso());
  const [area, setArea] = useState<AreaDraft>(editing ? fromAction(editing) : EMPTY_AREA);
  const [typed, setTyped] = useState(() => areaText(area));
  const [typedInvalid, setTypedInvalid] = useState(false);
  const [errors, setErrors] = useState<{ title?: string; date?: string; area?: string }>({});
  const code = territory.properties.code;

  // The text alternative follows the map (and the other way round, below).
  useEffect(() => {
    setTyped(areaText(area));
    setTypedInvalid(false);
  }, [area]);

  async function submit(event: FormEvent) {
    event.preventDefault();
    const found = {
      title: title.trim() ? undefined : t('actions.titleMissing'),
      date: date ? undefined : t('actions.dateMissing'),
      area: isComplete(area) ? undefined : t('actions.areaMissing'),
    };
    setErrors(found);
    const first = found.title ?? found.date ?? found.area;
    if (first) {
      submission.fail(first);
      return;
    }
    const body = { title: title.trim(), text: text.trim(), date, area: toApiArea(area) };
    await submission.run(async () => {
      try {
        if (editing) await dashboardApi.updateAction(code, editing.id, body);
        else await dashboardApi.createAction(code, body);
        onSaved(t(editing ? 'actions.updated' : 'actions.created'));
      } catch (error) {
        submission.fail(dashboardErrorMessage(t, appT, error));
      }
    });
  }

  const mode = area.mode;
  return (
    <form className="form card action-form" noValidate onSubmit={submit} aria-labelledby={`${id}-title`}>
      {/* Opened by a button that it replaces or that sits further down: the title takes the focus. */}
      <h2 id={`${id}-title`} tabIndex={-1} ref={focusOnMount}>
        {editing ? t('actions.editing', { title: editing.properties.title }) : t('actions.create')}
      </h2>
      <div className="action-form-grid">
        <div>
          <TextField
            label={t('actions.fieldTitle')}
            value={title}
            maxLength={ACTION_LIMITS.titleMax}
            error={errors.title}
            onChange={(event) => setTitle(event.target.value)}
          />
          <div className="field">
            <label htmlFor={`${id}-text`}>{t('actions.fieldText')}</label>
            <textarea
              id={`${id}-text`}
              rows={5}
              maxLength={ACTION_LIMITS.textMax}
              value={text}
              onChange={(event) => setText(event.target.value)}
            />
          </div>
          <TextField
            label={t('actions.fieldDate')}
            type="date"
            value={date}
            error={errors.date}
            onChange={(event) => setDate(event.target.value)}
          />
        </div>
        <fieldset className="action-area" aria-describedby={errors.area ? `${id}-area-error` : undefined}>
          <legend>{t('actions.area')}</legend>
          {errors.area && (
            <p id={`${id}-area-error`} className="field-error">
              {errors.area}
            </p>
          )}
          <div className="segmented">
            {(['polygon', 'cells'] as const).map((option) => (
              <label key={option} className="segment">
                <input
                  type="radio"
                  name={`${id}-mode`}
                  checked={mode === option}
                  onChange={() => setArea(option === 'polygon' ? EMPTY_AREA : { mode: 'cells', cells: [] })}
                />
                <span>{t(option === 'polygon' ? 'actions.modePolygon' : 'actions.modeCells')}</span>
              </label>
            ))}
          </div>
          <p className="field-hint">{t(mode === 'polygon' ? 'actions.polygonHint' : 'actions.cellsHint')}</p>
          <Suspense fallback={<p className="loading">{t('map.loading')}</p>}>
            <AreaEditor territory={territory} others={others} area={area} onChange={setArea} />
          </Suspense>
          <p className="action-area-tools">
            <span role="status">
              {area.mode === 'polygon'
                ? t('actions.vertices', { count: area.vertices.length })
                : t('actions.cellCount', { count: area.cells.length })}
            </span>
            {area.mode === 'polygon' && area.vertices.length > 0 && (
              <button
                type="button"
                className="link-button"
                onClick={() => setArea({ mode: 'polygon', vertices: area.vertices.slice(0, -1) })}
              >
                {t('actions.undo')}
              </button>
            )}
            <button
              type="button"
              className="link-button"
              onClick={() => setArea(area.mode === 'polygon' ? EMPTY_AREA : { mode: 'cells', cells: [] })}
            >
              {t('actions.clearArea')}
            </button>
          </p>
          <details className="action-geojson">
            <summary>{t('actions.geojson')}</summary>
            <div className="field">
              <label htmlFor={`${id}-geojson`}>{t('actions.geojson')}</label>
              <p className="field-hint">{t('actions.geojsonHint')}</p>
              {typedInvalid && <p className="field-error">{t('actions.geojsonInvalid')}</p>}
              <textarea
                id={`${id}-geojson`}
                rows={4}
                spellCheck={false}
                value={typed}
                aria-invalid={typedInvalid || undefined}
                onChange={(event) => setTyped(event.target.value)}
                onBlur={() => {
                  if (!typed.trim()) return;
                  const parsed = parseAreaText(typed);
                  if (parsed) setArea(parsed);
                  else setTypedInvalid(true);
                }}
              />
            </div>
          </details>
        </fieldset>
      </div>
      <FormAlert message={submission.error} attempt={submission.attempt} />
      <p className="actions">
        <SubmitButton
          busy={submission.busy}
          label={editing ? t('actions.save') : t('actions.publish')}
          busyLabel={t('actions.saving')}
        />
        <button type="button" className="button secondary" onClick={onCancel}>
          {t('actions.cancel')}
        </button>
      </p>
    </form>
  );
}
