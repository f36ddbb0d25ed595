/** Filters of the places screens: open now, Havre partners only, and kinds (grouped as people think of them). */
import type { PlaceKind } from '../../../src/places/kinds.ts';
import type { Filters } from './api.ts';
import { usePlacesT } from './i18n.ts';

/** Kinds grouped as a person looking for help thinks of them. */
export const KIND_GROUPS: { id: string; kinds: PlaceKind[] }[] = [
  { id: 'police', kinds: ['police', 'gendarmerie'] },
  { id: 'nightlife', kinds: ['bar', 'restaurant', 'nightclub'] },
  { id: 'pharmacy', kinds: ['pharmacy'] },
  { id: 'shop', kinds: ['shop'] },
  { id: 'hotel', kinds: ['hotel'] },
  { id: 'help', kinds: ['association', 'institution'] },
  { id: 'transport', kinds: ['transport'] },
];

export function FiltersPanel({ filters, onChange }: { filters: Filters; onChange(next: Filters): void }) {
  const { t } = usePlacesT();
  const selected = (kinds: PlaceKind[]) => kinds.every((k) => filters.kinds.includes(k));
  const toggleGroup = (kinds: PlaceKind[]) => {
    const next = selected(kinds)
      ? filters.kinds.filter((k) => !kinds.includes(k))
      : [...filters.kinds, ...kinds.filter((k) => !filters.kinds.includes(k))];
    onChange({ ...filters, kinds: next });
  };
  return (
    <fieldset className="place-filters">
      <legend className="visually-hidden">{t('filters.legend')}</legend>
      {/* A fieldset does not scroll reliably: the row of chips scrolls inside it. */}
      <div className="chips-row">
        <label className="chip">
          <input
            type="checkbox"
            checked={filters.openOnly}
            onChange={(e) => onChange({ ...filters, openOnly: e.target.checked })}
          />
          <span>{t('filters.openNow')}</span>
        </label>
        <label className="chip">
          <input
            type="checkbox"
            checked={filters.partnerOnly}
            onChange={(e) => onChange({ ...filters, partnerOnly: e.target.checked })}
          />
          <span>{t('filters.partnerOnly')}</span>
        </label>
        <span className="chip-sep" aria-hidden="true" />
        {KIND_GROUPS.map((group) => (
          <label key={group.id} className="chip">
            <input
              type="checkbox"
              checked={selected(group.kinds)}
              onChange={() => toggleGroup(group.kinds)}
            />
            <span>{t(`filters.groups.${group.id}`)}</span>
          </label>
        ))}
      </div>
    </fieldset>
  );
}
