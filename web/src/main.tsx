/** Entry point of the Havre PWA. The service worker is registered by `registerSW.js` (see vite.config.ts). */
import './styles.css';
import { StrictMode, startTransition, useLayoutEffect } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './app/app.tsx';
import { i18nReady } from './i18n/i18n.ts';

const root = document.getElementById('root');
if (!root) throw new Error('index.html has no #root element');

/**
 * A link of index.html's first screen that had the focus when React replaced that screen gets
 * it back in the app (same href): a keyboard or screen-reader user who started early keeps
 * their place.
 */
function keepFocus(container: HTMLElement): () => void {
  const hrefOf = (element: EventTarget | null) =>
    element instanceof Element ? element.getAttribute('href') : null;
  // Focused before this script ran, or while React renders.
  let href = container.contains(document.activeElement) ? hrefOf(document.activeElement) : null;
  const note = (event: FocusEvent) => {
    href = hrefOf(event.target);
  };
  container.addEventListener('focusin', note);
  return () => {
    container.removeEventListener('focusin', note);
    if (href && document.activeElement === document.body)
      container.querySelector<HTMLElement>(`a[href="${CSS.escape(href)}"]`)?.focus();
  };
}

function OnFirstCommit({ run }: { run: () => void }) {
  useLayoutEffect(() => run(), [run]);
  return null;
}

const restoreFocus = keepFocus(root);
// index.html's first screen (SOS, the emergency numbers) is usable meanwhile, so the first render
// may yield to the browser every few milliseconds (a transition) instead of blocking a slow
// phone's main thread for one long task: taps and scrolling stay responsive while the app starts.
// An English device waits for its strings (a small chunk) rather than flash French.
void i18nReady.then(() =>
  startTransition(() => {
    createRoot(root).render(
      <StrictMode>
        <App />
        <OnFirstCommit run={restoreFocus} />
      </StrictMode>,
    );
  }),
);
