/**
 * Texts of the report screens (namespace `reports`), French first. Registered when the
 * report chunk loads; the dashboard imports it too for the category names.
 */
import en from './i18n-en.ts';
import fr from './i18n-fr.ts';
import { type Keys, registerNamespace, useNamespace } from './namespace.ts';

export const REPORTS_NS = 'reports';
registerNamespace(REPORTS_NS, fr, en);

export type ReportsKey = Keys<typeof fr>;
export const useReportsT = () => useNamespace<ReportsKey>(REPORTS_NS);

/** Codes this namespace translates itself (others go to the app's generic messages). */
export const REPORT_ERROR_CODES = Object.keys(fr.errors);
