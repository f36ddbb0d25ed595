/** Calls of the accounts API (see src/accounts/routes.ts). */
import { api, apiBlob } from '../api/client.ts';

export type Role = 'citizen' | 'partner' | 'staff' | 'admin';
export type Locale = 'fr' | 'en';

/** GET /api/me: who is signed in. */
export interface Me {
  id: string;
  email: string;
  roles: Role[];
  territories: string[];
  emailVerified: boolean;
  locale: Locale;
}

export const accountsApi = {
  me: (signal?: AbortSignal) => api<Me>('/api/me', { signal }),
  /** Always 202: the link that creates the account arrives by e-mail (verify-first sign-up). */
  signup: (body: { email: string; password: string; locale: Locale; next?: string }) =>
    api<void>('/api/auth/signup', { method: 'POST', body }),
  completeSignup: (token: string) =>
    api<Me>('/api/auth/signup/complete', { method: 'POST', body: { token } }),
  login: (body: { email: string; password: string }) => api<Me>('/api/auth/login', { method: 'POST', body }),
  logout: () => api<void>('/api/auth/logout', { method: 'POST' }),
  setLocale: (locale: Locale) => api<Me>('/api/me', { method: 'PATCH', body: { locale } }),
  verifyEmail: (token: string) => api<void>('/api/auth/verify-email', { method: 'POST', body: { token } }),
  resendVerification: () => api<void>('/api/auth/verify-email/resend', { method: 'POST' }),
  requestPasswordReset: (email: string) =>
    api<void>('/api/auth/password-reset', { method: 'POST', body: { email } }),
  confirmPasswordReset: (token: string, password: string) =>
    api<void>('/api/auth/password-reset/confirm', { method: 'POST', body: { token, password } }),
  exportData: () => apiBlob('/api/me/export'),
  deleteAccount: (password: string) => api<void>('/api/me', { method: 'DELETE', body: { password } }),
};
