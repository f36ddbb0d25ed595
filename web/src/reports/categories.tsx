/**
 * The nine categories of src/shared/reports.ts, each with a line icon (decorative: the
 * button's text names it). Order of the shared module, so screens and server agree.
 */
import type { ReactNode } from 'react';
import { REPORT_CATEGORIES, type ReportCategory } from '../../../src/shared/reports.ts';

const svg = (children: ReactNode) => (
  <svg
    width="32"
    height="32"
    viewBox="0 0 24 24"
    fill="none"
    stroke="currentColor"
    strokeWidth="1.8"
    strokeLinecap="round"
    strokeLinejoin="round"
    aria-hidden="true"
    focusable="false"
  >
    {children}
  </svg>
);

export const CATEGORY_ICONS: Record<ReportCategory, ReactNode> = {
  // a speech bubble with an exclamation mark
  verbal_harassment: svg(
    <>
      <path d="M4 5h16v11H9l-5 4z" />
      <path d="M12 8v3.5M12 13.5v.01" />
    </>,
  ),
  // footsteps behind a person
  following: svg(
    <>
      <circle cx="16" cy="5" r="2" />
      <path d="M16 8v6l2 6M16 14l-2 6" />
      <path d="M5 11c-1 0-1.5 1-1.5 2s.6 2 1.5 2 1.2-1 1.2-2-.2-2-1.2-2zM8.5 15c-1 0-1.5 1-1.5 2s.6 2 1.5 2 1.2-1 1.2-2-.2-2-1.2-2z" />
    </>,
  ),
  // a raised hand: stop
  sexual_harassment: svg(
    <>
      <path d="M8 12V6a1.5 1.5 0 0 1 3 0v5M11 10V4.5a1.5 1.5 0 0 1 3 0V10M14 10V6a1.5 1.5 0 0 1 3 0v7" />
      <path d="M8 12l-1.3-1.6a1.6 1.6 0 0 0-2.5 2L7 17c1.3 2 3 3 5.5 3h.5a4 4 0 0 0 4-4v-3" />
    </>,
  ),
  // a shield with an exclamation mark
  sexual_assault: svg(
    <>
      <path d="M12 3l7 3v5c0 4.5-3 8-7 10-4-2-7-5.5-7-10V6z" />
      <path d="M12 8v4.5M12 15.5v.01" />
    </>,
  ),
  // a lightning bolt
  physical_assault: svg(<path d="M13 3L5 13.5h6L10 21l8-10.5h-6z" />),
  // an eye
  exhibitionism: svg(
    <>
      <path d="M2.5 12S6 5.5 12 5.5 21.5 12 21.5 12 18 18.5 12 18.5 2.5 12 2.5 12z" />
      <circle cx="12" cy="12" r="3" />
    </>,
  ),
  // "not equal"
  discrimination: svg(
    <>
      <circle cx="12" cy="12" r="9" />
      <path d="M8 10h8M8 14h8M14.5 7l-5 10" />
    </>,
  ),
  // a street lamp, unlit
  insecurity: svg(
    <>
      <path d="M9 21h6M12 21V9" />
      <path d="M8 9h8l-1.5-4h-5z" />
      <path d="M5 13l2-1M19 13l-2-1" />
    </>,
  ),
  // three dots
  other: svg(
    <>
      <circle cx="6" cy="12" r="1.2" />
      <circle cx="12" cy="12" r="1.2" />
      <circle cx="18" cy="12" r="1.2" />
    </>,
  ),
};

export { REPORT_CATEGORIES, type ReportCategory };
