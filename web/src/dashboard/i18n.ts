/** Texts of the municipal dashboard (namespace `dashboard`), French first. */

import { type Keys, registerNamespace, useNamespace } from '../reports/namespace.ts';
import en from './i18n-en.ts';
import fr from './i18n-fr.ts';

export const DASHBOARD_NS = 'dashboard';
registerNamespace(DASHBOARD_NS, fr, en);

export type DashboardKey = Keys<typeof fr>;
export const useDashboardT = () => useNamespace<DashboardKey>(DASHBOARD_NS);
export const DASHBOARD_ERROR_CODES = Object.keys(fr.errors);
