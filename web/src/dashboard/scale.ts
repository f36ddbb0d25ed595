/**
 * The colour scale of counts (map hexagons, hour × weekday matrix): five classes from k to the
 * largest count, geometric so a few hot spots do not flatten everything else. Pure.
 */

/** Light to dark, readable on both light and dark backgrounds (ColorBrewer YlOrRd-like). */
export const PALETTE = ['#fde68a', '#fbbf24', '#f97316', '#dc2626', '#7f1d1d'] as const;

/** Lower bound of each class, ascending, the first one k. */
export function classBreaks(k: number, max: number): number[] {
  if (max <= k) return [k];
  const breaks = [k];
  for (let i = 1; i < PALETTE.length; i++) {
    const value = Math.round(k * (max / k) ** (i / PALETTE.length));
    if (value > breaks[breaks.length - 1]) breaks.push(value);
  }
  return breaks;
}

export function colourOf(count: number, breaks: number[]): string {
  let index = 0;
  for (let i = 0; i < breaks.length; i++) if (count >= breaks[i]) index = i;
  return PALETTE[paletteIndex(index, breaks.length)];
}

/** With fewer classes than colours, spread them over the palette (first and last kept). */
export function paletteIndex(index: number, classes: number): number {
  if (classes <= 1) return PALETTE.length - 2;
  return Math.round((index * (PALETTE.length - 1)) / (classes - 1));
}

/** A MapLibre `step` expression on the `count` property. */
export function stepExpression(breaks: number[]): unknown[] | string {
  // One class (a territory with few or no reports): a plain colour. MapLibre refuses a `step`
  // without a stop ("Expected at least 4 arguments").
  if (breaks.length <= 1) return PALETTE[paletteIndex(0, breaks.length)];
  const expression: unknown[] = ['step', ['get', 'count'], PALETTE[paletteIndex(0, breaks.length)]];
  for (let i = 1; i < breaks.length; i++) expression.push(breaks[i], PALETTE[paletteIndex(i, breaks.length)]);
  return expression;
}

/** Text colour on a class swatch (AA contrast). */
export const inkOn = (colour: string) =>
  PALETTE.indexOf(colour as (typeof PALETTE)[number]) >= 3 ? '#ffffff' : '#1a1a1a';
