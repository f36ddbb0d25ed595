/** The legend of the map's classes, and the same hexagons as a table (keyboard, screen readers, tests). */
import type { Heatmap } from './api.ts';
import { useDashboardT } from './i18n.ts';
import { inkOn, PALETTE, paletteIndex } from './scale.ts';

export function Legend({ breaks, k }: { breaks: number[]; k: number }) {
  const { t } = useDashboardT();
  return (
    <figure className="dashboard-legend">
      <figcaption>{t('map.legend')}</figcaption>
      <ul>
        {breaks.map((from, index) => {
          const colour = PALETTE[paletteIndex(index, breaks.length)];
          const next = breaks[index + 1];
          const label =
            next === undefined ? `≥ ${from}` : next - 1 === from ? `${from}` : `${from} – ${next - 1}`;
          return (
            <li key={from}>
              <span
                className="swatch"
                style={{ background: colour, color: inkOn(colour) }}
                aria-hidden="true"
              />
              {label}
            </li>
          );
        })}
      </ul>
      <p className="field-hint">
        {t('map.legendNote', { k })} {t('map.legendSpill')}
      </p>
    </figure>
  );
}

export function CellsTable({ heatmap }: { heatmap: Heatmap }) {
  const { t } = useDashboardT();
  const cells = [...heatmap.features].sort((a, b) => b.properties.count - a.properties.count);
  if (cells.length === 0) return <p>{t('cells.none', { k: heatmap.k })}</p>;
  return (
    <details className="dashboard-table-details">
      <summary>{t('cells.show', { count: cells.length })}</summary>
      <div className="table-scroll">
        <table className="data-table dashboard-cells">
          <caption>{t('cells.caption')}</caption>
          <thead>
            <tr>
              <th scope="col">{t('cells.cell')}</th>
              <th scope="col">{t('cells.size')}</th>
              <th scope="col">{t('cells.count')}</th>
            </tr>
          </thead>
          <tbody>
            {cells.map((cell) => (
              <tr key={cell.properties.cell} data-cell={cell.properties.cell}>
                <td>
                  <code>{cell.properties.cell}</code>
                </td>
                <td>{t(`cells.res${cell.properties.resolution}` as 'cells.res9')}</td>
                <td className="number">{cell.properties.count}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </details>
  );
}
