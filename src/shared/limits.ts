/** Limits shared by the server and the web app: one source, so both agree. */
export const LIMITS = {
  passwordMin: 10,
  passwordMax: 256,
  emailMax: 254,
} as const;
