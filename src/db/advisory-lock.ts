/**
 * PostgreSQL advisory lock ids: 64 bits of a SHA-256 of a namespace and a key, so that every
 * capability derives its locks the same way and two namespaces never share one by design (a
 * hash collision only makes two keys share a lock: correct, merely less concurrent).
 */
import { createHash } from 'node:crypto';

export const advisoryLockId = (namespace: string, key: string): bigint =>
  createHash('sha256').update(`${namespace}\n${key}`).digest().readBigInt64BE(0);
