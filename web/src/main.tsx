/** Entry point of the Havre PWA. The service worker is registered by `registerSW.js` (see vite.config.ts). */
import './i18n/i18n.ts';
import './styles.css';
import { StrictMode, startTransition } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './app/app.tsx';

const root = document.getElementById('root');
if (!root) throw new Error('index.html has no #root element');
// index.html's first screen (SOS, the emergency numbers) is usable meanwhile, so the first render
// may yield to the browser every few milliseconds (a transition) instead of blocking a slow
// phone's main thread for one long task: taps and scrolling stay responsive while the app starts.
startTransition(() => {
  createRoot(root).render(
    <StrictMode>
      <App />
    </StrictMode>,
  );
});
