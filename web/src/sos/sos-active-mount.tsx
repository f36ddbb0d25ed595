/**
 * The React part of the SOS page: what follows the alert (sos-active.tsx), mounted by
 * sos-entry.ts into its slot of sos.html. Loaded during the countdown, never before it.
 */
import { StrictMode } from 'react';
import { createRoot, type Root } from 'react-dom/client';
import { applyLocale, type Locale } from '../i18n/i18n.ts';
import SosActive from './sos-active.tsx';

let root: Root | null = null;

export async function showActive(slot: HTMLElement, userId: string | null, locale: Locale): Promise<void> {
  await applyLocale(locale);
  root ??= createRoot(slot);
  root.render(
    <StrictMode>
      <SosActive userId={userId} />
    </StrictMode>,
  );
}
