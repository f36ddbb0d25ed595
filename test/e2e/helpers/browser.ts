/**
 * Debian's Chromium driven by playwright-core, with a phone viewport, and a record of
 * everything that went wrong on the page (console errors, uncaught exceptions, CSP violations).
 */
import { type Browser, type BrowserContext, chromium, type Page } from 'playwright-core';

export const PHONE = { width: 390, height: 844 };

export function launchBrowser(): Promise<Browser> {
  return chromium.launch({
    executablePath: process.env.HAVRE_CHROMIUM ?? '/usr/bin/chromium',
    args: [
      '--no-sandbox',
      '--disable-background-networking',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
}

export interface PhonePage {
  context: BrowserContext;
  page: Page;
  /** Console errors, page errors and CSP violations seen so far. */
  problems: string[];
  close(): Promise<void>;
}

/**
 * A fresh browser profile (no cookies, no storage) on a phone-sized screen, in the machine's
 * time zone unless `timeZone` says another (an IANA name).
 */
export async function openPhone(
  browser: Browser,
  baseURL: string,
  { timeZone }: { timeZone?: string } = {},
): Promise<PhonePage> {
  const context = await browser.newContext({
    baseURL,
    ...(timeZone ? { timezoneId: timeZone } : {}),
    viewport: PHONE,
    deviceScaleFactor: 2,
    isMobile: true,
    hasTouch: true,
    locale: 'fr-FR',
    acceptDownloads: true,
  });
  const problems: string[] = [];
  // Init scripts are injected by the browser, not by the page, so the CSP does not block them.
  await context.addInitScript(() => {
    document.addEventListener('securitypolicyviolation', (event) => {
      console.error(`CSP violation: ${event.violatedDirective} ${event.blockedURI}`);
    });
  });
  const page = await context.newPage();
  page.on('console', (message) => {
    if (message.type() === 'error') problems.push(`console: ${message.text()} (${message.location().url})`);
  });
  page.on('pageerror', (error) => problems.push(`pageerror: ${error.message}`));
  return { context, page, problems, close: () => context.close() };
}

/** Whether the element matched by the locator has the keyboard focus. */
export function isFocused(locator: ReturnType<Page['locator']>): Promise<boolean> {
  return locator.evaluate((element) => element === document.activeElement);
}

/** Contrast ratio of each selector's text against its first opaque background (WCAG formula). */
export function contrasts(page: Page, selectors: string[]) {
  return page.evaluate((list) => {
    const rgb = (css: string) => (css.match(/[\d.]+/g) ?? []).slice(0, 3).map(Number);
    const luminance = (css: string) => {
      const [r, g, b] = rgb(css).map((v) => {
        const c = v / 255;
        return c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
      });
      return 0.2126 * r + 0.7152 * g + 0.0722 * b;
    };
    const background = (element: Element | null): string => {
      for (let node = element; node; node = node.parentElement) {
        const colour = getComputedStyle(node).backgroundColor;
        if (!/rgba\(.*, 0\)$/.test(colour) && colour !== 'transparent') return colour;
      }
      return 'rgb(255, 255, 255)';
    };
    return list.map((selector) => {
      const element = document.querySelector(selector);
      if (!element) return { selector, ratio: 0 };
      const a = luminance(getComputedStyle(element).color);
      const b = luminance(background(element));
      return { selector, ratio: (Math.max(a, b) + 0.05) / (Math.min(a, b) + 0.05) };
    });
  }, selectors);
}
