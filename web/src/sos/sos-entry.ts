/**
 * /sos, its own page (sos.html) and entry: between a tap on SOS and the alert there is only this
 * file, the alert itself (sos-run.ts: keys, the API, the relay) and the strings; no framework.
 * The emergency numbers are links in sos.html, usable before any script runs. The countdown
 * (three seconds with a large Cancel: a pocket or a mistaken tap causes most false alarms) is
 * drawn here with the DOM; what follows the alert (its state, the 114 text message with the
 * position, the nearest open refuges, cancelling with the password) is the React view
 * sos-active.tsx, loaded during the countdown.
 */
import '../styles.css';
import './sos.css';
import { accountsApi } from '../accounts/api.ts';
import { readSignedInHint, writeSignedInHint } from '../accounts/signed-in-hint.ts';
import { ApiError } from '../api/client.ts';
import { deviceLocale } from '../i18n/locale.ts';
import { adoptRunningSos, sosRun } from './sos-run.ts';
import { en, fr } from './strings.ts';

const COUNTDOWN_S = 3;
const locale = deviceLocale();
const strings = locale === 'en' ? en : fr;
type Key = keyof typeof fr;

function t(key: Key, values: Record<string, string | number> = {}): string {
  return strings[key].replace(/\{\{(\w+)\}\}/g, (_, name: string) => String(values[name] ?? ''));
}

/** An element with its attributes and children. */
function el(tag: string, attributes: Record<string, string>, ...children: (Node | string)[]): HTMLElement {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) node.setAttribute(name, value);
  node.append(...children);
  return node;
}

const byId = (id: string) => document.getElementById(id) as HTMLElement;
const flow = byId('sos-flow');
/** The big number: drawn only (the line below says it in words). */
const count = byId('sos-count');
/**
 * The countdown's live region, in sos.html from the start and never removed: screen readers
 * announce what changes inside a region they already know, not a region inserted with its
 * text. The Cancel button is described by it; once cancelled, it says so and takes the focus.
 */
const line = byId('sos-count-text');
/** The buttons and texts of the moment: Cancel; Start again and Home; the no-account lead. */
const actions = byId('sos-flow-actions');
const heading = document.querySelector('h1') as HTMLHeadingElement;

// The page is written in French; an English device gets its strings at once.
document.documentElement.lang = locale;
for (const node of document.querySelectorAll<HTMLElement>('[data-sos]'))
  node.textContent = t(node.dataset.sos as Key);
for (const node of document.querySelectorAll<HTMLElement>('[data-sos-label]'))
  node.setAttribute('aria-label', t(node.dataset.sosLabel as Key));

// What follows the alert: requested now, after the alert's own code (which the page preloads).
const view = import('./sos-active-mount.tsx');
function showActive(userId: string | null): void {
  void view.then(({ showActive }) => showActive(byId('sos-active'), userId, locale));
}

let timer: ReturnType<typeof setInterval> | undefined;

/**
 * What the flow shows: `step` names its look (sos.css), `said` goes into the live line (empty:
 * nothing to say), `children` replace the buttons. The line and the number stay in the page.
 */
function draw(step: 'countdown' | 'stopped' | null, said: string, ...children: Node[]): void {
  flow.className = step ? `sos-flow sos-${step}` : 'sos-flow';
  count.hidden = step !== 'countdown';
  line.className =
    step === 'countdown' ? 'sos-line sos-count-text' : said ? 'sos-line form-status' : 'sos-line';
  line.textContent = said;
  actions.replaceChildren(...children);
}

function countdown(onZero: () => void): void {
  clearInterval(timer);
  count.textContent = String(COUNTDOWN_S);
  // Named "Cancel", described by the line: focused, it reads "Cancel, alerting your contacts in 3 s".
  const cancel = el(
    'button',
    { type: 'button', class: 'sos-cancel', 'aria-describedby': line.id },
    t('cancel'),
  );
  cancel.addEventListener('click', () => stopped(onZero));
  draw(
    'countdown',
    t('countdown', { seconds: COUNTDOWN_S }),
    cancel,
    el('p', { class: 'aside' }, t('countdownHint')),
  );
  cancel.focus();
  const started = Date.now();
  let shown = COUNTDOWN_S;
  timer = setInterval(() => {
    const left = Math.max(0, COUNTDOWN_S - Math.floor((Date.now() - started) / 1_000));
    if (left !== shown) {
      shown = left;
      count.textContent = String(left);
      line.textContent = t('countdown', { seconds: left });
    }
    if (left === 0) {
      clearInterval(timer);
      draw(null, '');
      onZero();
    }
  }, 100);
}

function stopped(onZero: () => void): void {
  clearInterval(timer);
  const again = el('button', { type: 'button', class: 'button danger' }, t('again'));
  again.addEventListener('click', () => countdown(onZero));
  draw(
    'stopped',
    t('stopped'),
    el('div', { class: 'actions' }, again, el('a', { class: 'button secondary', href: '/' }, t('home'))),
  );
  // The Cancel button is gone: focus on what happened, not on "Start again" (a second press of
  // the same key would start the alert again), nor on <body>.
  line.focus();
}

/** Without an account there is nobody to alert: the numbers and the refuges, at once. */
function anonymous(): void {
  clearInterval(timer);
  draw(null, '', el('p', { class: 'sos-lead' }, t('anonymous')));
  byId('sos-signup').hidden = false;
  heading.focus();
  showActive(null);
}

/**
 * Who is signed in: the server says so; offline, the user this device last signed in (the
 * keys of their trusted contacts are in IndexedDB, and the alert retries until it gets through).
 */
function whoIsSignedIn(hint: string): Promise<string | null> {
  return accountsApi.me().then(
    (me) => me.id,
    (error: unknown) => {
      if (error instanceof ApiError && error.status === 401) {
        writeSignedInHint(null);
        return null;
      }
      return hint || null;
    },
  );
}

function signedIn(me: Promise<string | null>): void {
  let done = false;
  const show = (userId: string) => {
    if (done) return;
    done = true;
    clearInterval(timer);
    draw(null, '');
    showActive(userId);
  };
  // An SOS already running (a reload, another tab or device, the sharing screen): show it, do
  // not count again nor send a second one. Normally known long before the countdown ends; on a
  // slow network the countdown's end waits for it at most ADOPT_WAIT_MS, never longer.
  const adopted = me.then((userId) => (userId ? adoptRunningSos(userId).catch(() => false) : false));
  countdown(async () => {
    const userId = await me;
    if (!userId) return anonymous();
    const wait = new Promise<boolean>((resolve) => setTimeout(() => resolve(false), ADOPT_WAIT_MS));
    if (!(await Promise.race([adopted, wait]))) void sosRun(userId).trigger();
    show(userId);
  });
  void me.then(async (userId) => {
    if (!userId) return anonymous();
    if (await adopted) show(userId);
  });
}

/** How long the end of the countdown may wait to learn whether an SOS already runs. */
const ADOPT_WAIT_MS = 1_500;

const hint = readSignedInHint();
if (hint === null) anonymous();
else signedIn(whoIsSignedIn(hint));
