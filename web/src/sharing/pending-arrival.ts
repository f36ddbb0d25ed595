/**
 * "I have arrived" tapped without network: kept on this phone (every tab finds it) and sent
 * again until the server has it. Lost, the session would run on, the check-in would ask "are
 * you OK?" of someone safe at home and then alert her contacts. Kept as long as a session may
 * last (a journey: several days); a session that ended meanwhile answers "ended" and the mark
 * is dropped.
 */
import { forgetKept, keepForAWhile, readKept } from '../app/kept-for-a-while.ts';

const KEEP_MS = 8 * 24 * 60 * 60_000;
const key = (shareId: string) => `havre.arrival.${shareId}`;

export const arrivalPending = (shareId: string): boolean => readKept(key(shareId)) !== null;
export const keepArrival = (shareId: string): void => keepForAWhile(key(shareId), '1', KEEP_MS);
export const dropArrival = (shareId: string): void => forgetKept(key(shareId));
