/**
 * The frame of every page: one `<h1>`, the document title, and focus moved to the heading
 * after an in-app navigation so screen-reader users hear where they arrived.
 */
import { type ReactNode, useEffect, useRef } from 'react';
import { useTranslation } from 'react-i18next';
import { useLocation } from 'react-router';

/**
 * Navigation state for a change of the same page's view (`navigate(url, { state: KEEP_FOCUS })`):
 * focus stays on the control pressed, instead of going back to the page's heading and top.
 */
export const KEEP_FOCUS = { keepFocus: true } as const;

/** The history entry the app opened on; any other entry was reached by navigating. */
const openingEntry = (window.history.state as { key?: string } | null)?.key ?? 'default';

export function Page({
  title,
  hideTitle = false,
  children,
}: {
  title: string;
  /** The heading stays for assistive technology but is not drawn (the home screen). */
  hideTitle?: boolean;
  children: ReactNode;
}) {
  const { t } = useTranslation();
  const heading = useRef<HTMLHeadingElement>(null);

  useEffect(() => {
    document.title = `${title} · ${t('app.name')}`;
  }, [title, t]);

  const { key, state } = useLocation();
  const keepFocus = (state as { keepFocus?: boolean } | null)?.keepFocus === true;
  useEffect(() => {
    // On the page the app opened on, the browser starts at the top of the document, as users expect.
    // A control that only changes how the page shows (list or map) keeps the focus: see KEEP_FOCUS.
    if (key !== openingEntry && !keepFocus) heading.current?.focus();
  }, [key, keepFocus]);

  return (
    <>
      <h1 ref={heading} tabIndex={-1} className={hideTitle ? 'visually-hidden' : 'page-title'}>
        {title}
      </h1>
      {children}
    </>
  );
}
