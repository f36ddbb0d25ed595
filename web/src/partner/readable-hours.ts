/**
 * Opening hours as the partner and staff screens show them outside the editor (hours-model.ts),
 * never as OpenStreetMap code: a value beyond what hours-model.ts reads (months, comments,
 * sunset…) is said to be special, not shown as written.
 */
import { formatLocale } from '../i18n/locale.ts';
import { describeHours } from './hours-model.ts';
import { usePartnerT } from './i18n.ts';

export function useReadableHours(): (value: string) => string {
  const { t, i18n } = usePartnerT();
  const locale = i18n.language;
  const weekday = new Intl.DateTimeFormat(formatLocale(locale), { weekday: 'long', timeZone: 'UTC' });
  return (value) =>
    describeHours(value, {
      day: (i) => weekday.format(Date.UTC(2024, 0, 1 + i)), // 1 January 2024 was a Monday
      closed: t('hours.closed').toLocaleLowerCase(locale),
      allDay: t('hours.allDay'),
      holidaysClosed: t('hours.holidaysClosed'),
      holidays: t('hours.holidays'),
      colon: locale.startsWith('fr') ? ' : ' : ': ',
    }) ?? t('hours.special');
}
