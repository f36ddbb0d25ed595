/** The application of a venue: name, kind, address, position, weekly hours, phone, and the charter. */
import { type FormEvent, useId, useState } from 'react';
import { PARTNER_KINDS, PLACE_LIMITS, type PlaceKind } from '../../../src/places/kinds.ts';
import { ApiError } from '../api/client.ts';
import { FormAlert, SubmitButton, TextField } from '../app/form.tsx';
import { useSubmit } from '../app/use-submit.ts';
import { type PartnerPlace, partnerApi } from './api.ts';
import { HoursEditor, type HoursValue } from './hours-editor.tsx';
import { partnerErrorKey, usePartnerT } from './i18n.ts';
import { PhoneField, validPhone } from './phone-field.tsx';
import { type LatLon, PositionPicker } from './position-picker.tsx';

type Field = 'name' | 'address' | 'position' | 'charter' | 'hours' | 'phone';

export function ApplyForm({ onApplied }: { onApplied(place: PartnerPlace): void }) {
  const { t, tList } = usePartnerT();
  const id = useId();
  const submission = useSubmit();
  const [name, setName] = useState('');
  const [kind, setKind] = useState<PlaceKind>('bar');
  const [address, setAddress] = useState('');
  const [position, setPosition] = useState<LatLon | null>(null);
  const [hours, setHours] = useState<HoursValue>({ value: null, problem: null });
  const [phone, setPhone] = useState('');
  const [charter, setCharter] = useState(false);
  const [errors, setErrors] = useState<Partial<Record<Field, string>>>({});

  const check = (): Partial<Record<Field, string>> => {
    const found: Partial<Record<Field, string>> = {};
    if (!name.trim()) found.name = t('validation.name');
    if (!address.trim()) found.address = t('validation.address');
    if (!position) found.position = t('validation.position');
    if (hours.problem) found.hours = hours.problem;
    if (phone.trim() && !validPhone(phone.trim())) found.phone = t('validation.phone');
    if (!charter) found.charter = t('validation.charter');
    return found;
  };

  const submit = (event: FormEvent) => {
    event.preventDefault();
    const found = check();
    setErrors(found);
    const first = Object.values(found)[0];
    if (first) {
      submission.fail(first);
      return;
    }
    void submission.run(async () => {
      try {
        const place = await partnerApi.apply({
          name: name.trim(),
          kind,
          address: address.trim(),
          lat: position!.lat,
          lon: position!.lon,
          openingHours: hours.value,
          phone: phone.trim() || null,
          charterAccepted: true,
        });
        onApplied(place);
      } catch (error) {
        const key = error instanceof ApiError ? partnerErrorKey(error.code) : null;
        if (!key) throw error;
        submission.fail(t(key));
      }
    });
  };

  return (
    <form className="form apply-form" noValidate onSubmit={submit}>
      {/* The form is long: the summary at its top takes the focus, or the button keeps it unseen. */}
      <FormAlert message={submission.error} attempt={submission.attempt} focus />
      <TextField
        label={t('fields.name')}
        value={name}
        maxLength={PLACE_LIMITS.nameMax}
        autoComplete="organization"
        error={errors.name}
        onChange={(e) => setName(e.target.value)}
      />
      <div className="field">
        <label htmlFor={`${id}-kind`}>{t('fields.kind')}</label>
        <select id={`${id}-kind`} value={kind} onChange={(e) => setKind(e.target.value as PlaceKind)}>
          {PARTNER_KINDS.map((k) => (
            <option key={k} value={k}>
              {t(`kinds.${k}`)}
            </option>
          ))}
        </select>
      </div>
      <TextField
        label={t('fields.address')}
        hint={t('fields.addressHint')}
        value={address}
        maxLength={PLACE_LIMITS.addressMax}
        autoComplete="street-address"
        error={errors.address}
        onChange={(e) => setAddress(e.target.value)}
      />
      <PositionPicker value={position} error={errors.position ?? null} onChange={setPosition} />
      <HoursEditor initial={null} onChange={setHours} />
      {errors.hours && <p className="field-error">{errors.hours}</p>}
      <PhoneField value={phone} error={errors.phone} onChange={setPhone} />
      <section className="charter" aria-labelledby={`${id}-charter`}>
        <h2 id={`${id}-charter`}>{t('fields.charter')}</h2>
        <ol>
          {tList('charter').map((line) => (
            <li key={line}>{line}</li>
          ))}
        </ol>
        {errors.charter && <p className="field-error">{errors.charter}</p>}
        <div className="check">
          <input
            id={`${id}-consent`}
            type="checkbox"
            checked={charter}
            aria-invalid={errors.charter ? true : undefined}
            onChange={(e) => setCharter(e.target.checked)}
          />
          <label htmlFor={`${id}-consent`}>{t('fields.charterAccept')}</label>
        </div>
      </section>
      <SubmitButton busy={submission.busy} label={t('submit')} busyLabel={t('submitting')} />
    </form>
  );
}
