/**
 * Privacy promise, checked across the whole suite: after each test file, every log line
 * that any Havre app wrote during it is scanned. No e-mail address, password, session
 * token or cookie may appear.
 */
import { afterAll, expect } from 'vitest';
import { ALL_LOG_LINES, TEST_PASSWORD } from '../helpers/app.ts';

const EMAIL = /[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}/;
const SECRETS = [TEST_PASSWORD, 'havre-demo-2026', 'a-long-password'];
const HEADERS = /"(cookie|authorization|set-cookie)":\s*"(?!\[redacted\])/i;

afterAll(() => {
  const offending = ALL_LOG_LINES.filter(
    (line) => EMAIL.test(line) || HEADERS.test(line) || SECRETS.some((secret) => line.includes(secret)),
  );
  ALL_LOG_LINES.length = 0;
  expect(offending.slice(0, 3), 'log lines carrying personal data or secrets').toEqual([]);
});
