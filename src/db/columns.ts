/**
 * Column conventions shared by every migration, so both engines agree:
 * ids are text (UUID), instants are BIGINT epoch milliseconds, JSON is text,
 * booleans are integers 0/1.
 */
export const ID = 'text' as const;
export const INSTANT = 'bigint' as const;
export const JSON_TEXT = 'text' as const;
export const FLAG = 'integer' as const;
export const REAL = 'double precision' as const;
