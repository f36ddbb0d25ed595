/**
 * A venue's phone: the field of the application and of the venue's management, checked as the
 * server checks it (src/places/schemas.ts: digits, spaces, + ( ) . -).
 */
import { PLACE_LIMITS } from '../../../src/places/kinds.ts';
import { TextField } from '../app/form.tsx';
import { usePartnerT } from './i18n.ts';

const PHONE = /^[+0-9 ().-]+$/;

export const validPhone = (value: string): boolean =>
  value.length >= 3 && value.length <= PLACE_LIMITS.phoneMax && PHONE.test(value);

export function PhoneField({
  value,
  error,
  onChange,
}: {
  value: string;
  error?: string;
  onChange(value: string): void;
}) {
  const { t } = usePartnerT();
  return (
    <TextField
      label={t('fields.phone')}
      hint={t('fields.phoneHint')}
      type="tel"
      value={value}
      maxLength={PLACE_LIMITS.phoneMax}
      autoComplete="tel"
      error={error}
      onChange={(e) => onChange(e.target.value)}
    />
  );
}
